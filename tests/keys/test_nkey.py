"""nkeys: generation, parsing, kinds, checksums, signing, and parity with the nkeys package."""

from __future__ import annotations

import nkeys
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pynsc import keys
from pynsc.errors import InvalidKeyError
from pynsc.keys import KeyKind

GOLDEN_SEEDS = {
    "SOAFYNORQLQFJYBYNUGC5D7SH2MXMUX5BFEWWGHN3EK4VGG5TPT5DZP7QU": (
        "OCAT33MTVU2VUOIMGNGUNXJ66AH2RLSDAF3MUBCYAY5QMIL65NQM6XQG"
    ),
    "SAANDLKMXL6CUS3CP52WIXBEDN6YJ545GDKC65U5JZPPV6WH6ESWUA6YAI": (
        "ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA"
    ),
    "SUAP277QP7U4JMFFPVZHLJYEQJ2UHOTYVEIZJYAWRJXQLP4FRSEHYZJJOU": (
        "UBO2MQV67TQTVIRV3XFTEZOACM4WLOCMCDMAWN5QVN5PI2N6JHTVDRON"
    ),
}


@pytest.mark.parametrize(("seed", "public_key"), GOLDEN_SEEDS.items())
def test_known_seeds_give_known_public_keys(seed: str, public_key: str) -> None:
    assert keys.from_seed(seed).public_key == public_key


@pytest.mark.parametrize(
    ("kind", "seed_prefix", "letter"),
    [
        (KeyKind.OPERATOR, "SO", "O"),
        (KeyKind.ACCOUNT, "SA", "A"),
        (KeyKind.USER, "SU", "U"),
        (KeyKind.SERVER, "SN", "N"),
        (KeyKind.CLUSTER, "SC", "C"),
        (KeyKind.CURVE, "SX", "X"),
    ],
)
def test_generate_every_kind(kind: KeyKind, seed_prefix: str, letter: str) -> None:
    pair = keys.generate(kind)
    assert pair.seed is not None
    assert pair.seed.startswith(seed_prefix)
    assert len(pair.seed) == 58
    assert pair.public_key.startswith(letter)
    assert len(pair.public_key) == 56
    assert keys.kind_of(pair.public_key) is kind
    assert keys.kind_of(pair.seed) is kind
    assert keys.from_seed(pair.seed).public_key == pair.public_key


@pytest.mark.parametrize("name", ["operator", "O", "account", "a", "user", "curve", "x"])
def test_kind_from_name_or_letter(name: str) -> None:
    assert keys.generate(name).kind is KeyKind.parse(name)


def test_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(InvalidKeyError, match="unknown key kind 'bogus'"):
        keys.generate("bogus")


def test_sign_and_verify() -> None:
    pair = keys.generate("account")
    sig = pair.sign(b"hello")
    assert len(sig) == 64
    public = keys.from_public_key(pair.public_key)
    assert public.verify(b"hello", sig)
    assert not public.verify(b"hullo", sig)
    assert not public.has_seed
    with pytest.raises(InvalidKeyError, match="has no seed"):
        public.sign(b"x")


def test_curve_keys_seal_and_open_but_do_not_sign() -> None:
    alice, bob = keys.generate("curve"), keys.generate("curve")
    sealed = alice.seal(b"secret", bob.public_key)
    assert sealed.startswith(b"xkv1")
    assert bob.open(sealed, alice.public_key) == b"secret"
    with pytest.raises(InvalidKeyError, match="cannot sign"):
        alice.sign(b"x")
    with pytest.raises(InvalidKeyError, match="did not decrypt"):
        keys.generate("curve").open(sealed, alice.public_key)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not an nkey"),
        ("SUAP277QP7U4JMFFPVZHLJYEQJ2UHOTYVEIZJYAWRJXQLP4FRSEHYZJKOU", "checksum"),
        ("UBO2MQV67TQTVIRV3XFTEZOACM4WLOCMCDMAWN5QVN5PI2N6JHTVDQON", "checksum"),
        ("U!!!", "encoding"),
        ("hello", "not an nkey|encoding|checksum"),
    ],
)
def test_bad_keys_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidKeyError, match=message):
        keys.parse(text)


def test_require_kind() -> None:
    user = keys.generate("user")
    assert user.require(KeyKind.USER) is user
    with pytest.raises(InvalidKeyError, match="an account key is needed for signing"):
        user.require(KeyKind.ACCOUNT, role="signing")


def test_is_public_key() -> None:
    account = keys.generate("account")
    assert keys.is_public_key(account.public_key)
    assert keys.is_public_key(account.public_key, KeyKind.ACCOUNT)
    assert not keys.is_public_key(account.public_key, KeyKind.USER)
    assert account.seed is not None
    assert not keys.is_public_key(account.seed)
    assert not keys.is_public_key("A" * 55 + "B")


_KINDS = st.sampled_from([k for k in KeyKind if k is not KeyKind.CURVE])


@given(raw=st.binary(min_size=32, max_size=32), kind=_KINDS)
def test_seed_round_trip_matches_nkeys_package(raw: bytes, kind: KeyKind) -> None:
    theirs = nkeys.encode_seed(raw, kind.prefix_byte).decode()
    pair = keys.from_seed(theirs)
    assert pair.seed == theirs
    assert pair.kind is kind
    assert pair.public_key == nkeys.from_seed(theirs.encode()).public_key.decode()
    assert keys.from_public_key(pair.public_key).kind is kind


def test_padded_public_key_is_not_a_public_key() -> None:
    """nkeys rejects surrounding whitespace; only parse() strips input."""
    account = keys.generate("account")
    assert not keys.is_public_key(f" {account.public_key}")
    with pytest.raises(InvalidKeyError):
        keys.from_public_key(f"{account.public_key}\n")
    assert keys.parse(f" {account.public_key}\n").public_key == account.public_key


def test_the_wrong_kind_is_named_with_its_article() -> None:
    """Issue 10 item 14: 'is an operator key; an account key is needed' (not 'a operator')."""
    operator = keys.generate("operator")
    with pytest.raises(InvalidKeyError, match="is an operator key; an account key is needed"):
        operator.require(KeyKind.ACCOUNT)
