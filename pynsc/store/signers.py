"""Choosing the key that signs (nsc's ``-K`` rules, §4.2).

``-K`` may name a scoped signing key by its role, a public key whose seed is in the keystore, a
seed, or a file holding either. Without ``-K`` the first candidate whose seed is stored signs:
the entity's current issuer first on edits, then the identity key (skipped by strict operators),
then the signing keys.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pynsc.claims import AccountClaims, OperatorClaims
from pynsc.claims.subjects import go_quote
from pynsc.errors import CredsError, InvalidKeyError, KeyStoreError
from pynsc.keys import KeyKind, KeyPair, KeyStore, parse, parse_decorated_seed

__all__ = [
    "EXPECTED_KEY",
    "account_candidates",
    "load_key",
    "looks_like_key",
    "operator_candidates",
    "select_signer",
]


def load_key(value: str, keystore: KeyStore | None = None) -> KeyPair:
    """A key from a seed, a public key, or a file holding one (``~`` and relative paths work).

    A public key comes back with its seed when the keystore has it. A value that is not a key
    is never quoted back in full, since it may be a mistyped seed: the error says what was
    expected and, for something that looks like a key, shows its first two characters only.
    """
    text = value.strip()
    if not text:
        raise InvalidKeyError("an empty value is not a key", hint=EXPECTED_KEY)
    try:
        pair = parse(text)
    except InvalidKeyError as e:
        pair = _from_file(text, e)
    if pair.seed is None and keystore is not None:
        stored = keystore.get(pair.public_key)
        if stored is not None:
            return stored
    return pair


EXPECTED_KEY = (
    "expected a seed (58 characters, starting with S), a public key (56 characters) "
    "or a file holding one"
)
MAX_KEY_FILE_SIZE = 1024 * 1024  # a seed, a creds file: a few KiB; a JWT in it at most 1 MiB
_KIND_LETTERS = frozenset("OAUNCX")
_PATH_CHARACTERS = frozenset("/\\.~")
_LONG_WORD = re.compile("[A-Za-z0-9]{20,}")


def looks_like_key(text: str) -> bool:
    """Whether ``text`` is probably a (mistyped) seed or public key rather than a file name or a
    role: one long word of letters and digits, or ``S`` and a kind letter (``SA…``)."""
    if any(c in _PATH_CHARACTERS for c in text):
        return False
    word = "".join(text.split())  # a seed pasted with a break in it
    if _LONG_WORD.fullmatch(word):
        return True
    return len(word) >= 2 and word[0] in "Ss" and word[1] in _KIND_LETTERS


def redact_key(text: str) -> str:
    """What an error may show of a value that might be a seed: its first two characters."""
    return f"{text[:2]}\u2026"


def shown_key(text: str) -> str:
    """``text`` as an error may show it: redacted when it might be a seed (``S`` and a kind
    letter, or a long word starting with ``S``), else as given."""
    return redact_key(text) if text[:1] in "Ss" and looks_like_key(text) else text


def _bad_key(text: str, error: InvalidKeyError) -> InvalidKeyError:
    what = "seed" if text[:1] in "Ss" else "key"
    reason = error.message.partition(": ")[2] or error.message
    return InvalidKeyError(f"invalid {what} {redact_key(text)}: {reason}", hint=EXPECTED_KEY)


def _from_file(text: str, error: InvalidKeyError) -> KeyPair:
    path = Path(os.path.expanduser(text))  # "~nosuchuser" stays as it is, no RuntimeError
    try:
        with path.open(encoding="utf-8") as file:
            content = file.read(MAX_KEY_FILE_SIZE + 1)
    except (OSError, UnicodeDecodeError, ValueError):  # ValueError: a NUL in the name
        if looks_like_key(text):
            raise _bad_key(text, error) from None
        raise InvalidKeyError(
            f"{go_quote(text)} is neither a key nor a readable file holding one",
            hint=EXPECTED_KEY,
        ) from None
    where = f"file {go_quote(text)}"
    if len(content) > MAX_KEY_FILE_SIZE:
        raise InvalidKeyError(f"{where} is too large to hold a key", hint=EXPECTED_KEY)
    try:
        seed = parse_decorated_seed(content)
        if seed is not None:
            return parse(seed)
        for line in content.splitlines():
            line = line.strip()
            if line:
                return parse(line)
    except (InvalidKeyError, CredsError) as e:
        raise InvalidKeyError(f"{where} holds no valid key: {e.message}") from None
    raise InvalidKeyError(f"{where} holds no key", hint=EXPECTED_KEY)


def _unique(keys: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for key in keys:
        if key:
            seen.setdefault(key, None)
    return list(seen)


def operator_candidates(operator: OperatorClaims, current_issuer: str = "") -> list[str]:
    """Keys that may sign an account, in the order nsc tries them."""
    keys = [current_issuer]
    if not operator.nats.strict_signing_key_usage:
        keys.append(operator.sub)
    keys.extend(operator.nats.signing_keys)
    allowed = set(operator.nats.signing_keys)
    if not operator.nats.strict_signing_key_usage:
        allowed.add(operator.sub)
    return [k for k in _unique(keys) if k in allowed]


def account_candidates(
    account: AccountClaims, current_issuer: str = "", *, strict: bool = False
) -> list[str]:
    """Keys that may sign a user of ``account``, in the order nsc tries them.

    ``strict`` (the operator requires signing keys) leaves the account identity out.
    """
    allowed = set(account.nats.signing_keys)
    if not strict:
        allowed.add(account.sub)
    keys = [current_issuer, account.sub, *sorted(account.nats.signing_keys)]
    return [k for k in _unique(keys) if k in allowed]


def select_signer(
    keystore: KeyStore,
    *,
    private_key: str | None,
    candidates: Sequence[str],
    kinds: Sequence[KeyKind],
    roles: Mapping[str, str] | None = None,
) -> KeyPair:
    """The signing key for a command: ``-K`` when given, else the first stored candidate."""
    if private_key:
        role_key = (roles or {}).get(private_key.strip())
        if role_key is not None:
            pair = keystore.get(role_key)
            if pair is None:
                raise KeyStoreError(
                    f"unable to resolve any of the following signing keys in the keystore: "
                    f"{role_key}",
                    hint=f"the seed of the key with role {private_key!r} is not stored",
                )
        else:
            pair = load_key(private_key, keystore)
        if pair.seed is None:
            raise KeyStoreError(
                f"unable to resolve any of the following signing keys in the keystore: "
                f"{pair.public_key}",
                hint="pass the seed with -K, or store it with 'pynsc import keys'",
            )
        return pair.require(*kinds, role="signing")
    for key in candidates:
        pair = keystore.get(key)
        if pair is not None:
            return pair.require(*kinds, role="signing")
    listed = ", ".join(candidates) if candidates else "(none: no signing keys are declared)"
    raise KeyStoreError(
        f"unable to resolve any of the following signing keys in the keystore: {listed}",
        hint="store one of their seeds with 'pynsc import keys', or pass -K SEED",
    )
