"""``edit account --sk KEY|generate`` and ``--rm-sk KEY``: the account's signing keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pynsc.errors import InvalidKeyError

if TYPE_CHECKING:
    from pynsc.claims import Account
    from pynsc.keys import KeyPair, KeyStore

__all__ = ["GENERATE", "apply_signing_keys", "resolve_signing_keys"]

GENERATE = "generate"


def resolve_signing_keys(
    values: tuple[str, ...], keystore: KeyStore, account_key: str
) -> list[KeyPair]:
    """The keys ``--sk`` names: ``generate`` makes a new one; otherwise a public key, a seed or a
    file holding one, which must be an account key other than the account's own."""
    from pynsc.keys import KeyKind, generate
    from pynsc.store.signers import load_key

    pairs = []
    for value in values:
        if value.strip() == GENERATE:
            pairs.append(generate(KeyKind.ACCOUNT))
            continue
        pair = load_key(value, keystore)
        if pair.kind is not KeyKind.ACCOUNT:
            raise InvalidKeyError(f"{pair.public_key} is not a valid account signing key")
        if pair.public_key == account_key:
            raise InvalidKeyError(
                f"{pair.public_key} is the account's identity key, not a signing key"
            )
        pairs.append(pair)
    return pairs


def _public_key(value: str, keystore: KeyStore) -> str:
    from pynsc.store.signers import load_key

    return load_key(value, keystore).public_key


def apply_signing_keys(
    account: Account, added: list[KeyPair], removed: tuple[str, ...], keystore: KeyStore
) -> tuple[list[str], list[str]]:
    """Add and remove signing keys; (changes, warnings) for the report.

    A key added again is left as it is (a scoped key keeps its scope); removing a key the
    account does not have is only a warning.
    """
    changes, warnings = [], []
    for pair in added:
        if pair.public_key not in account.signing_keys:
            account.signing_keys[pair.public_key] = None
            changes.append(f'added signing key "{pair.public_key}"')
    for value in removed:
        key = _public_key(value, keystore)
        if key in account.signing_keys:
            del account.signing_keys[key]
            changes.append(f'removed signing key "{key}"')
        else:
            warnings.append(f'"{key}" is not a signing key of the account')
    return changes, warnings
