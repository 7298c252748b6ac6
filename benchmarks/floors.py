"""The plain-Python floors of ``bench.py``: the least any Python program does for the same answer.

    python benchmarks/floors.py list USERS_DIR
    python benchmarks/floors.py config OPERATOR_JWT ACCOUNTS_DIR
    python benchmarks/floors.py validate OPERATOR_JWT ACCOUNTS_DIR

Each runs as a fresh process, as the pynsc command it is measured against does, so interpreter
start-up is on both sides. Only the standard library is imported (and PyNaCl for ``validate``),
nothing of pynsc:

* ``list``: read every ``*.jwt`` file of USERS_DIR, split the JWT, base64url-decode the payload,
  ``json.loads`` it (what ``pynsc list users`` must at least do to show true names and keys).
* ``config``: the same for the operator JWT and every account JWT
  (``ACCOUNTS_DIR/<name>/<name>.jwt``), what ``pynsc generate config --mem-resolver`` reads.
* ``validate``: the same for the operator, every account and every user of every account,
  plus an ed25519 verify of each signature with PyNaCl's ``VerifyKey`` on the raw key decoded
  from the issuer's nkey (one ``VerifyKey`` per issuer).

Each prints how many JWTs it read (the benchmark checks the count on its warm-up run).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any


def _payload(token: str) -> dict[str, Any]:
    """The claims of a compact JWT: split, base64url-decode the middle part, parse."""
    body = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return decoded


def _jwt_files(directory: str) -> Iterator[str]:
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.name.endswith(".jwt") and entry.is_file():
                yield entry.path


def _account_files(accounts_dir: str) -> Iterator[tuple[str, str]]:
    """``(account JWT path, account directory)`` for every account under ``accounts_dir``."""
    with os.scandir(accounts_dir) as entries:
        for entry in entries:
            path = os.path.join(entry.path, entry.name + ".jwt")
            if entry.is_dir() and os.path.isfile(path):
                yield path, entry.path


def _read(path: str) -> str:
    with open(path, encoding="ascii") as handle:
        return handle.read().strip()


def floor_list(users_dir: str) -> int:
    count = 0
    for path in _jwt_files(users_dir):
        claims = _payload(_read(path))
        _ = claims["name"], claims["sub"]
        count += 1
    return count


def floor_config(operator_jwt: str, accounts_dir: str) -> int:
    _payload(_read(operator_jwt))
    count = 1
    for path, _ in _account_files(accounts_dir):
        claims = _payload(_read(path))
        _ = claims["name"], claims["sub"]
        count += 1
    return count


def _raw_key(public_key: str) -> bytes:
    """The 32 key bytes of an nkey: base32 without padding = prefix byte, key, 2-byte CRC."""
    decoded = base64.b32decode(public_key + "=" * (-len(public_key) % 8))
    return decoded[1:33]


def floor_validate(operator_jwt: str, accounts_dir: str) -> int:
    import nacl.signing

    verifiers: dict[str, nacl.signing.VerifyKey] = {}

    def check(path: str) -> None:
        token = _read(path)
        signed, _, signature = token.rpartition(".")
        issuer = _payload(token)["iss"]
        verifier = verifiers.get(issuer)
        if verifier is None:
            verifier = verifiers[issuer] = nacl.signing.VerifyKey(_raw_key(issuer))
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        verifier.verify(signed.encode("ascii"), raw)  # raises BadSignatureError

    check(operator_jwt)
    count = 1
    for path, directory in _account_files(accounts_dir):
        check(path)
        count += 1
        users = os.path.join(directory, "users")
        if os.path.isdir(users):
            for user in _jwt_files(users):
                check(user)
                count += 1
    return count


def main(argv: Sequence[str]) -> int:
    if len(argv) == 2 and argv[0] == "list":
        count = floor_list(argv[1])
    elif len(argv) == 3 and argv[0] == "config":
        count = floor_config(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "validate":
        count = floor_validate(argv[1], argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(count)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (OSError, ValueError, KeyError, binascii.Error) as error:
        print(f"floor failed: {error}", file=sys.stderr)
        sys.exit(1)
