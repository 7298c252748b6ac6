"""What importing the keys and claims layers loads, and the nkeys constants written out."""

from __future__ import annotations

import json
import subprocess
import sys

import nkeys

from pynsc.keys import nkey

_LOADED = """
import json, sys
import pynsc.claims
print(json.dumps(sorted(sys.modules)))
"""


def test_importing_claims_loads_nothing_it_does_not_need() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _LOADED], check=True, capture_output=True, text=True
    ).stdout
    loaded = set(json.loads(out))
    for name in ("hashlib", "zoneinfo", "ipaddress", "tempfile", "shutil", "pathlib", "nkeys",
                 "urllib.parse", "pynsc.claims.validation", "pynsc._fs", "pynsc.keys.keystore",
                 "click", "rich"):  # fmt: skip
        assert name not in loaded, name


def test_prefix_bytes_are_those_of_nkeys() -> None:
    assert nkey._SEED_PREFIX == nkeys.PREFIX_BYTE_SEED
    assert nkey.KeyKind.OPERATOR.prefix_byte == nkeys.PREFIX_BYTE_OPERATOR
    assert nkey.KeyKind.ACCOUNT.prefix_byte == nkeys.PREFIX_BYTE_ACCOUNT
    assert nkey.KeyKind.USER.prefix_byte == nkeys.PREFIX_BYTE_USER
    assert nkey.KeyKind.SERVER.prefix_byte == nkeys.PREFIX_BYTE_SERVER
    assert nkey.KeyKind.CLUSTER.prefix_byte == nkeys.PREFIX_BYTE_CLUSTER


def test_signing_matches_pynacl() -> None:
    import nacl.signing

    pair = nkey.generate("account")
    assert pair._raw_seed is not None
    reference = nacl.signing.SigningKey(pair._raw_seed)
    for data in (b"", b"x", bytes(range(256)) * 9):
        assert pair.sign(data) == reference.sign(data).signature
        assert pair.verify(data, pair.sign(data))
    assert nkey._encode_public(nkey.KeyKind.ACCOUNT, bytes(reference.verify_key)) == pair.public_key
