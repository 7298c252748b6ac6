"""Typed adapter over nkeys and PyNaCl: the only module of pynsc that uses either.

An nkey public key is base32 (no padding) of ``prefix byte | 32-byte key | CRC16``; a seed is
``0x90|kind>>5, (kind&31)<<3 | 32-byte seed | CRC16``. The CRC is XMODEM (poly 0x1021, init 0),
little-endian. Ed25519 keys sign; curve (``X``) keys are X25519 keys used to encrypt auth-callout
requests and never sign. The prefix bytes are those of the nkeys package (``PREFIX_BYTE_*``;
``tests/keys`` checks they agree), written out so that importing this module does not load it.
"""

from __future__ import annotations

import binascii
import enum
import functools
import importlib
from binascii import crc_hqx
from typing import Any, Protocol

import nacl.exceptions
import nacl.public
import nacl.signing
import nacl.utils
from nacl.bindings import crypto_sign, crypto_sign_seed_keypair

try:  # libsodium as PyNaCl binds it: signing through it skips a copy of the whole message
    _sodium: Any = importlib.import_module("nacl._sodium")
    _ffi, _lib = _sodium.ffi, _sodium.lib
except (ImportError, AttributeError):  # pragma: no cover - a PyNaCl without its private module
    _ffi = _lib = None

from pynsc._base32 import b32decode, b32encode
from pynsc.errors import InvalidKeyError

__all__ = [
    "PUBLIC_KEY_LENGTH",
    "SEED_LENGTH",
    "KeyKind",
    "KeyPair",
    "Signer",
    "from_public_key",
    "from_seed",
    "generate",
    "is_public_key",
    "kind_of",
    "parse",
]

_SEED_PREFIX = 18 << 3  # base32 "S"; nkeys.PREFIX_BYTE_SEED
_CURVE_PREFIX = 23 << 3  # "X"; nkeys.py predates curve keys
PUBLIC_KEY_LENGTH = 56  # base32 of 1 prefix byte, 32 key bytes, 2 checksum bytes
SEED_LENGTH = 58  # base32 of 2 prefix bytes, 32 seed bytes, 2 checksum bytes
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # tested with str.strip: no regex at import


class KeyKind(enum.Enum):
    """The role of an nkey, told by the first letter of its public key."""

    OPERATOR = "operator"
    ACCOUNT = "account"
    USER = "user"
    SERVER = "server"
    CLUSTER = "cluster"
    CURVE = "curve"

    # Members are singletons compared by identity: hash them as such, in C (Enum's own
    # __hash__ is Python code, run on every lookup of a kind in a dict).
    __hash__ = object.__hash__

    @property
    def prefix_byte(self) -> int:
        return int(_PREFIX_BYTES[self])

    @property
    def letter(self) -> str:
        return _LETTERS[self]

    @classmethod
    def from_letter(cls, letter: str) -> KeyKind:
        try:
            return _BY_LETTER[letter]
        except KeyError:
            raise InvalidKeyError(f"{letter!r} is not an nkey prefix") from None

    @classmethod
    def parse(cls, name: str) -> KeyKind:
        """A kind from its name (``operator``), or its letter (``O``)."""
        found = _BY_NAME.get(name.strip().lower())
        if found is not None:
            return found
        choices = ", ".join(k.value for k in cls)
        raise InvalidKeyError(f"unknown key kind {name!r}", hint=f"use one of: {choices}")


_PREFIX_BYTES = {
    KeyKind.OPERATOR: 14 << 3,  # "O"; the nkeys.PREFIX_BYTE_* values
    KeyKind.ACCOUNT: 0,  # "A"
    KeyKind.USER: 20 << 3,  # "U"
    KeyKind.SERVER: 13 << 3,  # "N"
    KeyKind.CLUSTER: 2 << 3,  # "C"
    KeyKind.CURVE: _CURVE_PREFIX,
}
_BY_PREFIX_BYTE = {b: k for k, b in _PREFIX_BYTES.items()}
_LETTERS = {
    KeyKind.OPERATOR: "O",
    KeyKind.ACCOUNT: "A",
    KeyKind.USER: "U",
    KeyKind.SERVER: "N",
    KeyKind.CLUSTER: "C",
    KeyKind.CURVE: "X",
}
_BY_LETTER = {v: k for k, v in _LETTERS.items()}
_BY_NAME = {k.value: k for k in KeyKind} | {v.lower(): k for k, v in _LETTERS.items()}


class Signer(Protocol):
    """Anything that can sign a JWT: a public key and a ``sign`` method."""

    @property
    def public_key(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...


def _article(word: str) -> str:
    return "an" if word[:1] in "aeio" else "a"  # an operator, an account; a user


def _crc(data: bytes) -> bytes:
    return binascii.crc_hqx(data, 0).to_bytes(2, "little")


def _unb32(text: str, what: str, length: int) -> bytes:
    """The bytes of an encoded key without its checksum, checked as nkeys checks them, and
    stricter: exactly ``length`` characters of canonical base32 (so a key with a character more
    or less, or a flipped padding bit, is refused rather than read as the same key). Messages
    never quote ``text``: it may be a seed."""
    if not text:
        raise InvalidKeyError(f"invalid {what}: not an nkey")
    if text.strip(_ALPHABET):
        raise InvalidKeyError(f"invalid {what}: bad encoding (only A-Z and 2-7 may occur)")
    if len(text) != length:
        raise InvalidKeyError(f"invalid {what}: it has {len(text)} characters, not {length}")
    try:
        raw = b32decode(text)
    except ValueError:
        raise InvalidKeyError(f"invalid {what}: bad encoding (the last character)") from None
    if _crc(raw[:-2]) != raw[-2:]:
        raise InvalidKeyError(f"invalid {what}: bad checksum")
    return raw[:-2]


def _encode_public(kind: KeyKind, raw_key: bytes) -> str:
    body = bytes((kind.prefix_byte,)) + raw_key
    return b32encode(body + _crc(body))


def _encode_seed(kind: KeyKind, raw_seed: bytes) -> str:
    prefix = kind.prefix_byte
    body = bytes((_SEED_PREFIX | prefix >> 5, (prefix & 31) << 3)) + raw_seed
    return b32encode(body + _crc(body))


class KeyPair:
    """An nkey: always a public key, and a seed when it is known.

    Signing needs the seed; verifying needs only the public key. Curve keys neither sign nor
    verify; they seal and open.
    """

    __slots__ = ("_raw_seed", "_secret", "kind", "public_key", "seed")

    def __init__(
        self,
        kind: KeyKind,
        public_key: str,
        seed: str | None = None,
        *,
        _raw_seed: bytes | None = None,
        _secret: bytes | None = None,
    ) -> None:
        self.kind = kind
        self.public_key = public_key
        self.seed = seed
        self._raw_seed = _raw_seed
        self._secret = _secret  # libsodium's 64-byte Ed25519 secret key

    def __repr__(self) -> str:
        return f"KeyPair({self.kind.value}, {self.public_key}, seed={'yes' if self.seed else 'no'})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KeyPair):
            return NotImplemented
        return self.public_key == other.public_key and self.seed == other.seed

    def __hash__(self) -> int:
        return hash(self.public_key)

    @property
    def has_seed(self) -> bool:
        return self.seed is not None

    def public(self) -> KeyPair:
        """The same key without its seed."""
        return KeyPair(self.kind, self.public_key)

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data``."""
        if self._secret is None:
            if self.kind is KeyKind.CURVE:
                raise InvalidKeyError(f"curve key {self.public_key} cannot sign")
            raise InvalidKeyError(f"key {self.public_key} has no seed to sign with")
        return _sign(data, self._secret)

    def verify(self, data: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's signature of ``data``."""
        if self.kind is KeyKind.CURVE:
            raise InvalidKeyError(f"curve key {self.public_key} cannot verify signatures")
        try:
            _verify_key(self.public_key).verify(data, signature)
        except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
            return False
        return True

    def require(self, *kinds: KeyKind, role: str | None = None) -> KeyPair:
        """This key, or an :class:`InvalidKeyError` if its kind is not one of ``kinds``."""
        if self.kind not in kinds:
            wanted = " or ".join(k.value for k in kinds)
            what = f" for {role}" if role else ""
            raise InvalidKeyError(
                f"{self.public_key} is {_article(self.kind.value)} {self.kind.value} key; "
                f"{_article(wanted)} {wanted} key is needed{what}"
            )
        return self

    def require_seed(self) -> str:
        """The seed, or an :class:`InvalidKeyError` when only the public key is known."""
        if self.seed is None:
            raise InvalidKeyError(f"the seed of {self.public_key} is not available")
        return self.seed

    # Curve keys ---------------------------------------------------------------------------

    def seal(self, message: bytes, recipient: str) -> bytes:
        """Encrypt ``message`` for the curve public key ``recipient`` (nkeys xkey format)."""
        box = nacl.public.Box(self._curve_private(), _curve_public(recipient))
        nonce = nacl.utils.random(nacl.public.Box.NONCE_SIZE)
        sealed = box.encrypt(message, nonce)
        return _XKEY_VERSION + bytes(sealed.nonce) + bytes(sealed.ciphertext)

    def open(self, sealed: bytes, sender: str) -> bytes:
        """Decrypt what the curve key ``sender`` sealed for this key."""
        if not sealed.startswith(_XKEY_VERSION):
            raise InvalidKeyError("sealed message has an unknown version")
        body = sealed[len(_XKEY_VERSION) :]
        box = nacl.public.Box(self._curve_private(), _curve_public(sender))
        size = nacl.public.Box.NONCE_SIZE
        try:
            return bytes(box.decrypt(body[size:], body[:size]))
        except nacl.exceptions.CryptoError:
            raise InvalidKeyError("sealed message did not decrypt") from None

    def _curve_private(self) -> nacl.public.PrivateKey:
        if self.kind is not KeyKind.CURVE or self._raw_seed is None:
            raise InvalidKeyError("sealing needs a curve key with its seed")
        return nacl.public.PrivateKey(self._raw_seed)


_XKEY_VERSION = b"xkv1"


def _seed_keypair(raw_seed: bytes) -> tuple[bytes, bytes]:
    """The Ed25519 public key and libsodium secret key of a 32-byte seed."""
    if _lib is None or len(raw_seed) != 32:
        public, secret = crypto_sign_seed_keypair(raw_seed)
        return bytes(public), bytes(secret)
    keys = _ffi.new("unsigned char[96]")  # the 64-byte secret key, then the public key
    if _lib.crypto_sign_seed_keypair(keys + 64, keys, raw_seed) != 0:
        raise InvalidKeyError("libsodium could not derive the key")  # pragma: no cover
    both = _ffi.buffer(keys)[:]
    return both[64:], both[:64]


def _sign(data: bytes, secret: bytes) -> bytes:
    """The detached Ed25519 signature of ``data``: what ``crypto_sign(data, secret)[:64]``
    gives, without PyNaCl copying out the signed message behind it."""
    if _lib is None:
        return bytes(crypto_sign(data, secret)[:64])
    signed = _ffi.new("unsigned char[]", len(data) + 64)
    if _lib.crypto_sign(signed, _ffi.NULL, data, len(data), secret) != 0:
        raise InvalidKeyError("libsodium could not sign")  # pragma: no cover
    return bytes(_ffi.buffer(signed, 64))


@functools.lru_cache(maxsize=256)
def _verify_key(public_key: str) -> nacl.signing.VerifyKey:
    """The PyNaCl key that checks signatures of ``public_key`` (remembered: one account key
    signs thousands of users, and every one of their JWTs is checked against it)."""
    return nacl.signing.VerifyKey(_unb32(public_key, "public key", PUBLIC_KEY_LENGTH)[1:])


def _curve_public(key: str) -> nacl.public.PublicKey:
    pair = from_public_key(key).require(KeyKind.CURVE)
    return nacl.public.PublicKey(_unb32(pair.public_key, "public key", PUBLIC_KEY_LENGTH)[1:])


# public keys derived from seeds in this process, by construction valid (bounded)
_DERIVED: dict[str, KeyKind] = {}
_DERIVED_MAX = 4096


def _from_raw_seed(kind: KeyKind, raw_seed: bytes, seed: str | None = None) -> KeyPair:
    secret: bytes | None
    if kind is KeyKind.CURVE:
        raw_public = bytes(nacl.public.PrivateKey(raw_seed).public_key)
        secret = None
    else:
        raw_public, secret = _seed_keypair(raw_seed)
    prefix = _PREFIX_BYTES[kind]
    public_body = bytes((prefix,)) + raw_public
    if seed is None:
        # Both keys in one base32 pass: the 35 bytes of the public key are a whole number of
        # 5-byte groups, so the encoding of both is the public key's then the seed's.
        seed_body = bytes((_SEED_PREFIX | prefix >> 5, (prefix & 31) << 3)) + raw_seed
        both = b32encode(
            b"".join((
                public_body, crc_hqx(public_body, 0).to_bytes(2, "little"),
                seed_body, crc_hqx(seed_body, 0).to_bytes(2, "little"),
            ))
        )  # fmt: skip
        public_key, seed = both[:PUBLIC_KEY_LENGTH], both[PUBLIC_KEY_LENGTH:]
    else:
        public_key = b32encode(public_body + _crc(public_body))
    if len(_DERIVED) >= _DERIVED_MAX:
        _DERIVED.clear()
    _DERIVED[public_key] = kind
    return KeyPair(kind, public_key, seed, _raw_seed=raw_seed, _secret=secret)


def generate(kind: KeyKind | str) -> KeyPair:
    """A fresh random key of ``kind`` (a :class:`KeyKind`, its name or its letter)."""
    if not isinstance(kind, KeyKind):
        kind = KeyKind.parse(kind)
    return _from_raw_seed(kind, nacl.utils.random(32))


def from_seed(seed: str | bytes) -> KeyPair:
    """The key pair of an encoded seed (``S…``)."""
    text = seed.decode("ascii", "replace") if isinstance(seed, bytes) else seed
    text = text.strip()
    if not text.startswith("S"):
        raise InvalidKeyError("invalid seed: a seed starts with 'S'")
    raw = _unb32(text, "seed", SEED_LENGTH)
    if raw[0] & 0xF8 != _SEED_PREFIX or raw[1] & 0x07:
        raise InvalidKeyError("invalid seed: bad prefix")
    prefix = (raw[0] & 0x07) << 5 | (raw[1] & 0xF8) >> 3
    kind = _BY_PREFIX_BYTE.get(prefix)
    if kind is None:
        raise InvalidKeyError("invalid seed: unknown key kind")
    return _from_raw_seed(kind, raw[2:], text)


def from_public_key(public_key: str) -> KeyPair:
    """A verify-only key pair for a public key (``O…``, ``A…``, ``U…``, ``N…``, ``C…``, ``X…``)."""
    text = public_key
    if text.startswith("S") and len(text) == SEED_LENGTH:
        raise InvalidKeyError(
            "invalid public key: this looks like a seed", hint="give a public key, not a seed"
        )
    raw = _unb32(text, "public key", PUBLIC_KEY_LENGTH)
    kind = _BY_PREFIX_BYTE.get(raw[0])
    if kind is None:
        raise InvalidKeyError("invalid public key: unknown key kind")
    return KeyPair(kind, text)


def parse(text: str) -> KeyPair:
    """A seed or a public key, whichever ``text`` holds."""
    value = text.strip()
    return from_seed(value) if value.startswith("S") else from_public_key(value)


def kind_of(key: str) -> KeyKind:
    """The kind of a public key or seed, checksum included."""
    return parse(key).kind


def public_key_kind(public_key: str) -> KeyKind | None:
    """The kind of a valid public key, else ``None``.

    Keys this process derived itself are known valid and skip the checksum; signers that sign
    again and again are cached.
    """
    known = _DERIVED.get(public_key)
    return known if known is not None else _checked_kind(public_key)


@functools.lru_cache(maxsize=256)
def _checked_kind(public_key: str) -> KeyKind | None:
    try:
        return from_public_key(public_key).kind
    except InvalidKeyError:
        return None


def seed_kind(seed: str) -> KeyKind | None:
    """The kind a seed's prefix names (``SU…`` is a user seed), without decoding it."""
    if len(seed) != SEED_LENGTH or seed[0] != "S":
        return None
    return _BY_LETTER.get(seed[1])


def is_public_key(key: str, kind: KeyKind | None = None) -> bool:
    """Whether ``key`` is a valid public key (of ``kind``, when given)."""
    found = _public_key_kind(key)
    return found is not None and (kind is None or found is kind)


@functools.lru_cache(maxsize=1024)
def _public_key_kind(key: str) -> KeyKind | None:
    """The kind of the public key ``key``, ``None`` when it is not one (remembered: the same
    account key is checked for every user it issues)."""
    if not key or key[0] == "S":
        return None
    derived = _DERIVED.get(key)
    if derived is not None:
        return derived
    try:
        return from_public_key(key).kind
    except InvalidKeyError:
        return None
