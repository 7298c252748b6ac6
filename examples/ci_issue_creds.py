"""A CI job issuing creds for a list of services, from an account signing seed in the environment.

    ACCOUNT_SIGNING_SEED=SA... ACCOUNT_JWT=eyJ... \\
        python examples/ci_issue_creds.py --out creds/ --ttl 7d orders billing

For each service it issues a user named after it, allowed to publish and subscribe under
``<prefix>.<service>.>`` (``--prefix``, default ``svc``), to answer requests made to it, and to
get replies on its own inbox prefix ``_INBOX_<service>`` (so connect with that inbox prefix), and
writes ``<out>/<service>.creds`` (0600, in a 0700 directory). A summary goes to stdout as JSON
lines, one per service: name, public key, expiry and the creds file; never a seed.

``ACCOUNT_SIGNING_SEED`` is the seed of one of the account's signing keys (or of the account
itself); ``ACCOUNT_JWT`` is the account's JWT (``pynsc describe account --raw``), or
``ACCOUNT`` its public key. With the JWT, a scoped signing key is recognised and its scope
applied: the services then get the scope's permissions, and ``--prefix`` is not used.

Exit status: 0 when every service got creds, 1 on a bad environment or argument (one line on
stderr), and nothing is written then.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import timedelta
from pathlib import Path

import pynsc

_NAME = re.compile(r"[A-Za-z0-9_-]+")
_UNITS = {"m": 60, "h": 3600, "d": 86400}


def ttl(text: str) -> timedelta:
    """``90m``, ``12h``, ``7d`` → a positive duration."""
    match = re.fullmatch(r"(\d+)([mhd])", text.strip())
    if not match or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"{text!r}: use a positive number of m, h or d")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def service(text: str) -> str:
    if not _NAME.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r}: letters, digits, '-' and '_' only")
    return text


def issuer_from_env() -> pynsc.Issuer:
    seed = os.environ.get("ACCOUNT_SIGNING_SEED", "").strip()
    if not seed:
        raise pynsc.UsageError("set ACCOUNT_SIGNING_SEED to an account or signing-key seed")
    account = os.environ.get("ACCOUNT_JWT") or os.environ.get("ACCOUNT") or None
    return pynsc.Issuer.from_seed(seed, account=account)


def issue_all(
    issuer: pynsc.Issuer, services: list[str], *, prefix: str, lifetime: timedelta
) -> list[pynsc.Creds]:
    """Creds for every service, issued before anything is written."""
    issued = []
    for name in services:
        if issuer.is_scoped:
            issued.append(issuer.issue_user(name, expiry=lifetime))
            continue
        issued.append(
            issuer.issue_user(
                name,
                allow_pubsub=[f"{prefix}.{name}.>"],
                allow_sub=[f"_INBOX_{name}.>"],
                allow_pub_response=1,
                expiry=lifetime,
            )
        )
    return issued


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("services", nargs="+", type=service, help="service names")
    parser.add_argument("--out", type=Path, required=True, help="directory for the creds")
    parser.add_argument("--ttl", type=ttl, default=timedelta(days=7), help="e.g. 12h, 7d")
    parser.add_argument("--prefix", type=service, default="svc", help="subject prefix")
    args = parser.parse_args(argv)
    try:
        issued = issue_all(
            issuer_from_env(), args.services, prefix=args.prefix, lifetime=args.ttl
        )
        for creds in issued:
            path = creds.write(args.out / f"{creds.name}.creds")
            print(json.dumps({"name": creds.name, "public_key": creds.public_key,
                              "expires": creds.expires, "creds": str(path)}))  # fmt: skip
    except pynsc.NscError as error:
        print(f"ci_issue_creds: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
