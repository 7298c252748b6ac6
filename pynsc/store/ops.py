"""The operations store commands share: choosing signers, signing and saving JWTs, writing creds.

Every function here works on a :class:`Store` and a :class:`KeyStore`; none prints. Callers hold
``store.lock()`` around a read-modify-write so concurrent processes do not lose changes.
"""

from __future__ import annotations

from pynsc._model import dataclass
from pynsc.claims import (
    AccountClaims,
    OperatorClaims,
    UserClaims,
    UserScope,
    encode,
    validate,
)
from pynsc.errors import ClaimsError, InvalidKeyError
from pynsc.keys import KeyKind, KeyPair, KeyStore
from pynsc.store.signers import account_candidates, operator_candidates, select_signer
from pynsc.store.store import Store

__all__ = [
    "UserSigner",
    "account_signer",
    "check_account_signer",
    "operator_signer",
    "save_account",
    "save_operator",
    "sign_account",
]


def operator_signer(
    store: Store,
    keystore: KeyStore,
    operator: OperatorClaims,
    *,
    private_key: str | None = None,
    current_issuer: str = "",
    account_key: str = "",
) -> KeyPair:
    """The key that signs an account JWT: ``-K``, else the first stored operator key.

    Managed operators (imported, no operator seed) sign accounts with the account's own key.
    """
    candidates = operator_candidates(operator, current_issuer)
    if store.is_managed and account_key:
        candidates = [account_key, *candidates]
    kinds = (KeyKind.OPERATOR, KeyKind.ACCOUNT) if store.is_managed else (KeyKind.OPERATOR,)
    signer = select_signer(
        keystore, private_key=private_key, candidates=candidates, kinds=kinds
    )
    valid = set(operator.nats.signing_keys)
    if not operator.nats.strict_signing_key_usage:
        valid.add(operator.sub)
    if store.is_managed and account_key:
        valid.add(account_key)
    if signer.public_key not in valid:
        raise InvalidKeyError(
            "invalid account signer",
            hint="sign with the operator key or one of its signing keys",
        )
    return signer


@dataclass(frozen=True, slots=True)
class UserSigner:
    """The key that signs a user, and its scope when it is a scoped signing key."""

    key: KeyPair
    scope: UserScope | None

    @property
    def is_scoped(self) -> bool:
        return self.scope is not None


def account_signer(
    keystore: KeyStore,
    account: AccountClaims,
    *,
    private_key: str | None = None,
    current_issuer: str = "",
    strict: bool = False,
) -> UserSigner:
    """The key that signs a user or an activation of ``account`` (``-K`` may be a role name).

    ``strict`` (the operator requires signing keys) refuses the account identity key.
    """
    roles = {
        scope.role: key
        for key, scope in account.nats.signing_keys.items()
        if scope is not None and scope.role
    }
    key = select_signer(
        keystore,
        private_key=private_key,
        candidates=account_candidates(account, current_issuer, strict=strict),
        kinds=(KeyKind.ACCOUNT,),
        roles=roles,
    )
    return check_account_signer(account, key, strict=strict)


def check_account_signer(
    account: AccountClaims, key: KeyPair, *, strict: bool = False
) -> UserSigner:
    """``key`` as the signer of ``account``'s users: the identity key (not when ``strict``) or
    one of its signing keys, with its scope when it has one."""
    if strict and key.public_key == account.sub:
        raise InvalidKeyError(
            f"the operator requires signing keys: {key.public_key} is the identity key of "
            f"account {account.name!r}",
            hint="sign with one of the account's signing keys (-K KEY)",
        )
    if key.public_key != account.sub and key.public_key not in account.nats.signing_keys:
        raise InvalidKeyError(
            f"{key.public_key} is not a signing key of account {account.name!r}",
            hint="add it with 'pynsc edit account --sk KEY'",
        )
    return UserSigner(key, account.nats.signing_keys.get(key.public_key))


def _check(claims: AccountClaims | OperatorClaims | UserClaims) -> None:
    results = validate(claims)
    errors = results.errors()
    if errors:
        raise ClaimsError("; ".join(issue.description for issue in errors))


def save_operator(store: Store, claims: OperatorClaims, signer: KeyPair) -> str:
    """Validate, sign with the operator identity key, and write the operator JWT."""
    _check(claims)
    token = encode(claims, signer)
    store.write_operator(token)
    return token


def sign_account(claims: AccountClaims, signer: KeyPair) -> str:
    """Validate and sign an account JWT, without writing it."""
    _check(claims)
    return encode(claims, signer)


def save_account(store: Store, name: str, claims: AccountClaims, signer: KeyPair) -> str:
    """Validate, sign and write an account JWT."""
    token = sign_account(claims, signer)
    store.write_account(name, token)
    return token
