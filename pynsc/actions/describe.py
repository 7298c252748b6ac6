"""Describing: which JWT ``describe`` shows, decoded and verified, with what its table needs.

The rules, all here and nowhere else:

* an operator is named by its name or public key, among every operator of the store root (no
  current operator needed); without a name, the current operator;
* an account is named by its name or public key; without a name, the current account when it
  still exists (no other default);
* a user is named by its name or public key; without a name, its account's only user;
* the JWT stored for an operator (account) must hold operator (account) claims;
* the table of an operator names its system account, the table of an account the accounts it
  imports from; a user issued by a scoped signing key comes with that key's scope.

The tables, ``--json``, ``--raw`` and ``--field`` views are the CLI's (:mod:`pynsc.cli.render`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pynsc._model import dataclass
from pynsc.claims import decode_token
from pynsc.errors import NotFoundError, StoreError
from pynsc.keys import KeyKind, is_public_key, parse_decorated_jwt

if TYPE_CHECKING:  # describe_jwt needs no store: `describe jwt` does not import one
    from pynsc.actions.session import Nsc
    from pynsc.claims import AccountClaims, ClaimsData, Decoded, UserScope
    from pynsc.store import Store

__all__ = [
    "Described",
    "describe_account",
    "describe_jwt",
    "describe_operator",
    "describe_user",
    "user_scope",
]


@dataclass(frozen=True, slots=True)
class Described:
    """A verified JWT to show, and what its table shows beside the claims.

    ``names`` maps public keys to account names (the operator's system account, an account's
    imports), when asked for; ``scope`` is the scope of the signing key that issued a user.
    """

    decoded: Decoded
    names: dict[str, str] | None = None
    scope: UserScope | None = None

    @property
    def token(self) -> str:
        return self.decoded.token

    @property
    def claims(self) -> ClaimsData:
        return self.decoded.claims

    @property
    def payload(self) -> dict[str, Any]:
        return self.decoded.payload

    @property
    def claim_type(self) -> str:
        return self.decoded.claim_type


def _find_operator(nsc: Nsc, wanted: str) -> Store:
    operators = nsc.operators()
    if wanted in operators:
        return nsc.store(wanted)
    if is_public_key(wanted, KeyKind.OPERATOR):
        for name in operators:
            try:
                store = nsc.store(name)
                if store.operator().sub == wanted:
                    return store
            except StoreError:
                continue
        raise NotFoundError(f"no operator found with public key {wanted}")
    raise NotFoundError(
        f'operator "{wanted}" not in `{nsc.store_root}`',
        hint="list them with 'pynsc list operators'",
    )


def describe_operator(
    nsc: Nsc, name_or_key: str | None = None, *, names: bool = True
) -> Described:
    """The operator named (or keyed) ``name_or_key``, else the current one; ``names`` looks up
    the name of its system account."""
    from pynsc.claims import OperatorClaims

    wanted = (name_or_key or "").strip()
    store = _find_operator(nsc, wanted) if wanted else nsc.store()
    decoded = decode_token(store.operator_token())
    claims = decoded.claims
    if not isinstance(claims, OperatorClaims):
        raise StoreError(f'the JWT of operator "{store.name}" holds {decoded.claim_type} claims')
    found: dict[str, str] | None = None
    system = claims.nats.system_account
    if system and names:
        try:
            found = {system: store.find_account(system)}
        except StoreError:
            found = None
    return Described(decoded, found)


def describe_account(
    nsc: Nsc, name_or_key: str | None = None, *, names: bool = True
) -> Described:
    """The account named (or keyed) ``name_or_key``, else the current one; ``names`` maps the
    keys of the accounts it imports from to their names."""
    from pynsc.claims import AccountClaims

    wanted = (name_or_key or "").strip()
    store = nsc.store()
    if wanted:
        try:
            found = store.find_account(wanted)
        except NotFoundError:
            if is_public_key(wanted, KeyKind.ACCOUNT):
                raise NotFoundError(f"no account found with public key {wanted}") from None
            raise
    elif nsc.account and store.has_account(nsc.account):
        found = nsc.account
    else:
        raise StoreError("account is required", hint="pass the account name or public key")
    decoded = decode_token(store.account_token(found))
    claims = decoded.claims
    if not isinstance(claims, AccountClaims):
        raise StoreError(f'the JWT of account "{found}" holds {decoded.claim_type} claims')
    key_names = store.account_key_names() if names and claims.nats.imports else None
    return Described(decoded, key_names)


def user_scope(account: AccountClaims, user: ClaimsData) -> UserScope | None:
    """The scope of the signing key of ``account`` that issued ``user``, when it is scoped."""
    return account.nats.signing_keys.get(user.iss)


def describe_user(
    nsc: Nsc, name_or_key: str | None = None, *, account: str | None = None
) -> Described:
    """The user named (or keyed) ``name_or_key`` of ``account`` (default: the current one),
    else the account's only user; with the scope of the key that issued it."""
    from pynsc.actions.users import find_user

    store = nsc.store()
    account_name = nsc.require_account(account)
    user = find_user(store, account_name, name_or_key)
    decoded = decode_token(store.user_token(account_name, user))
    try:
        scope = user_scope(store.account(account_name), decoded.claims)
    except StoreError:
        scope = None
    return Described(decoded, scope=scope)


def describe_jwt(text: str) -> Described:
    """A JWT, decorated JWT or creds file's text, decoded and verified."""
    return Described(decode_token(parse_decorated_jwt(text)))
