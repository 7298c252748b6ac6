"""pynsc as a library, no CLI: an operator, its system account, an account and a user.

    python examples/library_usage.py [OUTPUT_DIR]

Writes into OUTPUT_DIR (default: a new temporary directory):

    jwt/O.jwt, jwt/SYS.jwt, jwt/A.jwt, jwt/U.jwt    the signed JWTs
    keys/                                           the seeds, in an nsc-style sharded keystore
    keys/creds/O/A/U.creds                          the user's creds file, for a NATS client

A nats-server started with ``operator: jwt/O.jwt``, ``system_account: <SYS>``, ``resolver:
MEMORY`` and ``resolver_preload`` holding SYS and A lets a client in with U.creds.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pynsc import claims, keys


def main(out: Path) -> None:
    # 1. Keys: one identity key per entity. Seeds are secrets; public keys name things.
    operator = keys.generate("operator")
    system = keys.generate("account")
    account = keys.generate("account")
    user = keys.generate("user")

    # 2. Claims, signed top-down: the operator signs itself and its accounts, an account its users.
    oc = claims.OperatorClaims(sub=operator.public_key, name="O")
    oc.nats.system_account = system.public_key
    operator_jwt = claims.encode(oc, operator)

    system_jwt = claims.encode(claims.AccountClaims(sub=system.public_key, name="SYS"), operator)
    account_jwt = claims.encode(claims.AccountClaims(sub=account.public_key, name="A"), operator)

    uc = claims.UserClaims(sub=user.public_key, name="U")
    uc.nats.pub.allow = ["demo.>", "_INBOX.>"]
    uc.nats.sub.allow = ["demo.>", "_INBOX.>"]
    user_jwt = claims.encode(uc, account)

    # 3. Files: JWTs are public; seeds and creds go to the keystore (0600 files, 0700 dirs).
    jwt_dir = out / "jwt"
    jwt_dir.mkdir(parents=True, exist_ok=True)
    tokens = {"O": operator_jwt, "SYS": system_jwt, "A": account_jwt, "U": user_jwt}
    for name, token in tokens.items():
        (jwt_dir / f"{name}.jwt").write_text(token + "\n")

    store = keys.KeyStore(out / "keys")
    for pair in (operator, system, account, user):
        store.store(pair)
    assert user.seed is not None
    creds = store.write_creds("O", "A", "U", keys.format_creds(user_jwt, user.seed))

    # 4. Read it back: decoding verifies every signature and the seed matches the JWT subject.
    decoded, _ = claims.decode_creds(creds.read_text())
    owner = claims.decode(account_jwt, claims.AccountClaims)
    if decoded.iss != owner.sub or owner.iss != operator.public_key:
        raise SystemExit("the chain of trust does not hold")

    print(f"operator O    {operator.public_key}  {jwt_dir / 'O.jwt'}")
    print(f"account  SYS  {system.public_key}  {jwt_dir / 'SYS.jwt'}")
    print(f"account  A    {account.public_key}  {jwt_dir / 'A.jwt'}")
    print(f"user     U    {user.public_key}  {jwt_dir / 'U.jwt'}")
    print(f"creds         {creds}")
    print(f"keystore      {store.root} ({len(store.list())} seeds)")
    print(f"verified: U.creds holds user {decoded.name} of account {owner.name}")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="pynsc-"))
    main(target)
