"""Keys are read exactly (issue 9, defect 2): a seed or public key with a character more, a
character less, or a flipped padding bit is refused by every library entry point, never read
as the same key; and a refused value is never quoted back in full (issue 10, item 10)."""

from __future__ import annotations

import binascii
from pathlib import Path

import pytest

from pynsc import Issuer, keys
from pynsc._base32 import b32decode, b32encode
from pynsc.claims import UserClaims, decode_creds, encode
from pynsc.errors import CredsError, InvalidKeyError, NscError
from pynsc.keys import KeyKind, KeyStore
from pynsc.store.signers import load_key

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _twin(text: str) -> str:
    """``text`` with its last character changed only in bits that are base32 padding."""
    index = _ALPHABET.index(text[-1])
    return text[:-1] + _ALPHABET[index ^ 1]


ACCOUNT = keys.generate("account")
USER = keys.generate("user")
SEED = ACCOUNT.require_seed()
PUBLIC = ACCOUNT.public_key


def _near_misses(key: str) -> dict[str, str]:
    return {
        "one character more": key + "A",
        "two characters more": key + "AA",
        "one character less": key[:-1],
        "a character dropped inside": key[:10] + key[11:],
        "a character doubled": key[:10] + key[10] + key[10:],
    }


SEED_MISSES = {**_near_misses(SEED), "a padding bit flipped": _twin(SEED)}
PUBLIC_MISSES = _near_misses(PUBLIC)


def test_a_seed_ends_in_padding_bits_a_public_key_does_not() -> None:
    # 58 characters carry 290 bits for 288: the last character has two padding bits
    assert len(SEED) * 5 - 36 * 8 == 2
    assert len(PUBLIC) * 5 == 35 * 8


@pytest.mark.parametrize("bad", SEED_MISSES.values(), ids=SEED_MISSES.keys())
def test_near_miss_seeds_are_refused(bad: str) -> None:
    for read in (keys.parse, keys.from_seed, keys.kind_of, load_key):
        with pytest.raises(InvalidKeyError) as info:
            read(bad)
        assert SEED[2:] not in str(info.value)
        assert bad[2:] not in str(info.value)
    with pytest.raises(InvalidKeyError):
        keys.from_seed(bad.encode())
    with pytest.raises(InvalidKeyError):
        Issuer.from_seed(bad)
    assert not keys.is_public_key(bad)


@pytest.mark.parametrize("bad", PUBLIC_MISSES.values(), ids=PUBLIC_MISSES.keys())
def test_near_miss_public_keys_are_refused(bad: str) -> None:
    for read in (keys.parse, keys.from_public_key, keys.kind_of, load_key):
        with pytest.raises(InvalidKeyError):
            read(bad)
    assert not keys.is_public_key(bad)
    assert not keys.is_public_key(bad, KeyKind.ACCOUNT)
    with pytest.raises(InvalidKeyError):
        Issuer.from_seed(SEED, account=bad)


def test_exact_keys_still_read() -> None:
    assert keys.parse(SEED) == ACCOUNT
    assert keys.parse(f"  {SEED}\n") == ACCOUNT
    assert keys.parse(PUBLIC).public_key == PUBLIC
    assert keys.from_seed(SEED.encode()).public_key == PUBLIC
    assert keys.is_public_key(PUBLIC, KeyKind.ACCOUNT)
    assert load_key(SEED) == ACCOUNT
    assert Issuer.from_seed(SEED).account_key == PUBLIC


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SEED + "A", "it has 59 characters, not 58"),
        (PUBLIC + "A", "it has 57 characters, not 56"),
        (_twin(SEED), "bad encoding"),
        ("S" + SEED[1:].lower(), "bad encoding"),
        (SEED[:-3] + "1AA", "bad encoding"),
        (PUBLIC.lower(), "bad encoding"),
    ],
    ids=["seed+1", "public+1", "padding bit", "lower-case seed", "digit 1", "lower-case key"],
)
def test_refusals_say_why(text: str, message: str) -> None:
    with pytest.raises(InvalidKeyError, match=message):
        keys.parse(text)
    with pytest.raises(InvalidKeyError, match="a seed starts with 'S'"):
        keys.from_seed(SEED.lower())


def test_a_seed_given_as_a_public_key_is_named_so_and_not_echoed() -> None:
    with pytest.raises(InvalidKeyError, match="looks like a seed") as info:
        keys.from_public_key(SEED)
    assert SEED not in str(info.value)


def test_seed_with_unused_prefix_bits_is_refused() -> None:
    """The 3 low bits of a seed's second byte are unused: set, they would be another spelling
    of the same seed (with a checksum to match, made here by hand)."""
    raw = bytearray(b32decode(SEED)[:-2])
    raw[1] |= 0x01
    crc = binascii.crc_hqx(bytes(raw), 0).to_bytes(2, "little")
    other = b32encode(bytes(raw) + crc)
    assert other != SEED
    assert len(other) == 58
    with pytest.raises(InvalidKeyError, match="bad prefix"):
        keys.from_seed(other)


# base32 itself -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 3, 6, 9, 11])
def test_base32_refuses_lengths_no_bytes_encode_to(size: int) -> None:
    with pytest.raises(ValueError, match="truncated or extra"):
        b32decode("A" * size)


def test_base32_refuses_set_padding_bits() -> None:
    assert b32decode("AA") == b"\x00"
    with pytest.raises(ValueError, match="not canonical"):
        b32decode("AB")  # 10 bits for 8: the last 2 must be zero


# The keystore, files and creds -----------------------------------------------------------------


def test_keystore_never_answers_for_a_near_miss(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    store.store(ACCOUNT)
    assert store.get(PUBLIC) == ACCOUNT
    for bad in PUBLIC_MISSES.values():
        assert store.get(bad) is None
    store.key_path(PUBLIC).write_text(SEED + "A")
    with pytest.raises(InvalidKeyError):
        store.get(PUBLIC)
    store.key_path(PUBLIC).write_text(_twin(SEED))
    with pytest.raises(InvalidKeyError):
        store.get(PUBLIC)


def test_key_files_with_near_misses_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "key.nk"
    for bad in (SEED + "A", _twin(SEED), PUBLIC + "A"):
        path.write_text(bad + "\n")
        with pytest.raises(InvalidKeyError, match="holds no valid key") as info:
            load_key(str(path))
        assert bad[2:] not in str(info.value)
    path.write_text(SEED + "\n")
    assert load_key(str(path)) == ACCOUNT


def test_creds_with_a_near_miss_seed_are_refused() -> None:
    token = encode(UserClaims(sub=USER.public_key, name="u"), ACCOUNT)
    good = keys.format_creds(token, USER.require_seed())
    assert decode_creds(good)[1] == USER
    bad = good.replace(USER.require_seed(), _twin(USER.require_seed()))
    with pytest.raises(NscError):
        keys.parse_creds(bad)
    with pytest.raises(NscError):
        decode_creds(bad)


def test_a_jwt_issued_by_a_near_miss_key_does_not_verify() -> None:
    from pynsc.claims import decode
    from pynsc.claims._codec import b64decode, b64encode

    token = encode(UserClaims(sub=USER.public_key, name="u"), ACCOUNT)
    header, payload, signature = token.split(".")
    body = b64decode(payload, "payload").replace(PUBLIC.encode(), (PUBLIC + "A").encode())
    with pytest.raises(NscError):
        decode(f"{header}.{b64encode(body)}.{signature}")


# What errors show of a bad value (issue 10, item 10) -----------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("SAgarbage", "SA\u2026"),
        (SEED + "A", "SA\u2026"),
        (SEED[:20] + " " + SEED[20:], "SA\u2026"),
        (SEED[1:], "AA\u2026" if SEED[1:3] == "AA" else SEED[1:3] + "\u2026"),
        (SEED.lower(), "sa\u2026"),
    ],
    ids=["short", "one more", "split", "no S", "lower-case"],
)
def test_a_bad_key_value_shows_at_most_two_characters(value: str, shown: str) -> None:
    with pytest.raises(InvalidKeyError) as info:
        load_key(value)
    text = f"{info.value} {info.value.hint}"
    assert shown in text
    assert value[2:12] not in text
    assert "expected a seed" in text


@pytest.mark.parametrize(
    "value", ["no-such-file.nk", "./missing", "~/nope/key.nk", "~0", "~no-such-user/k.nk"]
)
def test_a_missing_key_file_is_named(value: str) -> None:
    with pytest.raises(InvalidKeyError, match="neither a key nor a readable file") as info:
        load_key(value)
    assert value in str(info.value)


def test_an_empty_key_value_is_an_error() -> None:
    with pytest.raises(InvalidKeyError, match="empty value is not a key"):
        load_key("  ")


def test_a_huge_key_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.nk"
    path.write_text("x" * (2 * 1024 * 1024))
    with pytest.raises(InvalidKeyError, match="too large"):
        load_key(str(path))


def test_creds_token_must_be_ascii() -> None:
    """Go's ``[\\w\\-.=]`` is ASCII: a JWT block with other letters is no block (defect 7)."""
    seed = USER.require_seed()
    text = keys.format_creds("eyJhb\u00e9.x.y", seed)
    with pytest.raises(CredsError, match="no JWT block"):
        keys.parse_creds(text)
    text = keys.format_creds("eyJhb\u0661.x.y", seed)  # an Arabic-Indic digit: \\w in Python
    with pytest.raises(CredsError, match="no JWT block"):
        keys.parse_creds(text)
