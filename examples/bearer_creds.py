"""A web backend minting per-user bearer creds for browsers, with the pynsc library alone.

    ACCOUNT_SEED=SA... [ACCOUNT=<account JWT or public key>] python examples/bearer_creds.py \
        [--user NAME] [--prefix P] [--ttl 1h] [--out FILE] [--any-connection]
    python examples/bearer_creds.py --count 1000      # mint 1000 and print the rate

The backend holds an account seed or, better, one of the account's signing-key seeds (env
``ACCOUNT_SEED``; without it a fresh account is generated, for trying this out). With a signing
key, ``ACCOUNT`` names the account: its JWT (then a scoped key's scope applies) or its public
key. :class:`pynsc.Issuer` sets ``issuer_account`` whenever the signer is not the account
itself, so the server accepts the JWT. After the backend has authenticated a browser user in its
own way, it signs a short lived user JWT for them:

* a bearer token: the JWT alone authenticates, so a browser (nats.ws) needs no nkey seed and
  signs no nonce; the JWT expires (``--ttl``) since whoever holds it is that user;
* a subject namespace: the user may publish and subscribe under ``<prefix>.<user>.>`` only, and
  receive replies on its own inbox prefix ``_INBOX.<user>.>`` (connect with
  ``inboxPrefix: "_INBOX.<user>"``), so one user never reads another's traffic;
* WEBSOCKET connections only (``--any-connection`` lifts it), so a leaked token is no use over
  plain TCP.

The account must be known to the server (pushed to its resolver). The creds file is printed (or
written, 0600, with ``--out``); a browser is given the JWT part only.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pynsc
from pynsc import claims, keys
from pynsc.errors import InvalidKeyError

_TOKEN = re.compile(r"[A-Za-z0-9_-]+")  # a subject token: no dots, wildcards or spaces
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(text: str) -> int:
    """``90``, ``90s``, ``15m``, ``1h``, ``7d`` → seconds (more than 0)."""
    match = re.fullmatch(r"(\d+)([smhd]?)", text.strip())
    if not match or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"{text!r}: use a positive number of s, m, h or d")
    return int(match.group(1)) * _UNITS[match.group(2) or "s"]


def subject_token(text: str) -> str:
    if not _TOKEN.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r}: letters, digits, '-' and '_' only")
    return text


def issuer() -> tuple[pynsc.Issuer, str]:
    """The issuer: ``ACCOUNT_SEED`` (with ``ACCOUNT`` for a signing key) or a new account."""
    seed = os.environ.get("ACCOUNT_SEED", "").strip()
    if not seed:
        account = keys.generate("account")
        assert account.seed is not None
        origin = "generated; set ACCOUNT_SEED to sign with yours"
        return pynsc.Issuer.from_seed(account.seed), origin
    try:
        pair = keys.from_seed(seed)
    except InvalidKeyError as error:
        sys.exit(f"bearer_creds: ACCOUNT_SEED is not a valid seed: {error}")
    if pair.kind is not keys.KeyKind.ACCOUNT:
        sys.exit(f"bearer_creds: ACCOUNT_SEED is a {pair.kind.value} seed, not an account seed")
    try:
        found = pynsc.Issuer.from_seed(seed, account=os.environ.get("ACCOUNT") or None)
    except pynsc.NscError as error:
        sys.exit(f"bearer_creds: {error}")
    return found, "from ACCOUNT_SEED"


def mint(
    issuer: pynsc.Issuer,
    user_name: str,
    *,
    prefix: str,
    ttl: int,
    websocket_only: bool = True,
    now: int | None = None,
) -> str:
    """The creds text of a new bearer user ``user_name``, valid for ``ttl`` seconds."""
    creds = issuer.issue_user(
        user_name,
        bearer=True,
        allow_pub=[f"{prefix}.{user_name}.>"],
        allow_sub=[f"{prefix}.{user_name}.>", f"_INBOX.{user_name}.>"],
        connection_types=["WEBSOCKET"] if websocket_only else [],
        expiry=ttl,
        now=now,
    )
    return creds.text


def when(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def describe(creds_text: str) -> list[str]:
    """The essentials of the JWT in ``creds_text``, decoded back (signature verified)."""
    uc = claims.decode(keys.parse_decorated_jwt(creds_text), claims.UserClaims)
    user = uc.nats
    return [
        f"user     {uc.sub}  name {uc.name}",
        f"issuer   {uc.iss}",
        f"account  {uc.issuer_account}",
        f"bearer   {'yes' if user.bearer_token else 'no'}: the JWT alone authenticates",
        f"pub      {', '.join(user.pub.allow)}",
        f"sub      {', '.join(user.sub.allow)}",
        f"conn     {', '.join(user.allowed_connection_types) or 'any'}",
        f"issued   {when(uc.iat)}",
        f"expires  {when(uc.exp)} (in {uc.exp - uc.iat}s)",
        f"jti      {uc.jti}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--user", type=subject_token, default="browser-1", help="user name")
    parser.add_argument("--prefix", type=subject_token, default="web", help="subject prefix")
    parser.add_argument("--ttl", type=duration, default=3600, help="lifetime, e.g. 15m, 1h")
    parser.add_argument("--out", type=Path, help="write the creds file here (0600)")
    parser.add_argument(
        "--any-connection", action="store_true", help="do not restrict to WEBSOCKET"
    )
    parser.add_argument("--count", type=int, help="mint N creds and print the rate")
    args = parser.parse_args(argv)
    if args.count is not None and args.count < 1:
        parser.error("--count must be at least 1")

    signer, origin = issuer()
    print(f"account  {signer.account_key}  ({origin})")

    def mint_one(user_name: str) -> str:
        return mint(
            signer,
            user_name,
            prefix=args.prefix,
            ttl=args.ttl,
            websocket_only=not args.any_connection,
        )

    if args.count is not None:
        start = time.perf_counter()
        for i in range(args.count):
            last = mint_one(f"{args.user}-{i}")
        elapsed = time.perf_counter() - start
        rate = args.count / elapsed if elapsed else float("inf")
        print(f"minted {args.count} bearer creds in {elapsed:.3f}s ({rate:.0f}/s)")
        print("last one:")
        print("\n".join(describe(last)))
        return 0

    creds_text = mint_one(args.user)
    print("\n".join(describe(creds_text)))
    if args.out is not None:
        keys.write_creds(args.out, creds_text)
        print(f"creds    written to {args.out}")
    else:
        print(creds_text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
