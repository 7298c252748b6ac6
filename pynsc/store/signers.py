"""Choosing the key that signs (nsc's ``-K`` rules, §4.2).

``-K`` may name a scoped signing key by its role, a public key whose seed is in the keystore, a
seed, or a file holding either. Without ``-K`` the first candidate whose seed is stored signs:
the entity's current issuer first on edits, then the identity key (skipped by strict operators),
then the signing keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pynsc.claims import AccountClaims, OperatorClaims
from pynsc.errors import InvalidKeyError, KeyStoreError
from pynsc.keys import KeyKind, KeyPair, KeyStore, parse, parse_decorated_seed

__all__ = [
    "account_candidates",
    "load_key",
    "operator_candidates",
    "select_signer",
]


def load_key(value: str, keystore: KeyStore | None = None) -> KeyPair:
    """A key from a seed, a public key, or a file holding one (``~`` and relative paths work).

    A public key comes back with its seed when the keystore has it.
    """
    text = value.strip()
    try:
        pair = parse(text)
    except InvalidKeyError:
        pair = _from_file(text)
    if pair.seed is None and keystore is not None:
        stored = keystore.get(pair.public_key)
        if stored is not None:
            return stored
    return pair


def _from_file(text: str) -> KeyPair:
    path = Path(text).expanduser()
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidKeyError(
            f"{text!r} is neither a key nor a readable file holding one"
        ) from None
    seed = parse_decorated_seed(content)
    if seed is not None:
        return parse(seed)
    for line in content.splitlines():
        line = line.strip()
        if line:
            return parse(line)
    raise InvalidKeyError(f"file {text!r} holds no key")


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
