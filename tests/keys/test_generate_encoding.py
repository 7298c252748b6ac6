"""generate encodes the public key and the seed in one base32 pass: the same text as encoding
each alone, and as the nkeys package."""

from __future__ import annotations

import nkeys

from pynsc import keys
from pynsc.keys import nkey


def test_generated_keys_are_encoded_as_each_alone_and_as_nkeys() -> None:
    for kind in nkey.KeyKind:
        for _ in range(20):
            pair = keys.generate(kind)
            raw_seed = pair._raw_seed
            assert raw_seed is not None
            assert pair.seed == nkey._encode_seed(kind, raw_seed)
            again = keys.from_seed(pair.seed)
            assert again.public_key == pair.public_key
            assert again.kind is kind
            if kind is not nkey.KeyKind.CURVE:
                assert pair._secret == again._secret
                reference = nkeys.from_seed(pair.seed.encode())
                assert reference.public_key.decode() == pair.public_key
                assert pair.verify(b"data", pair.sign(b"data"))


def test_seed_keypair_gives_libsodiums_secret_key() -> None:
    raw = bytes(range(32))
    public, secret = nkey._seed_keypair(raw)
    assert secret == raw + public
    assert len(public) == 32
