"""The system-account user that talks to nats-server resolvers (nsc §4.10).

:func:`system_user` picks, in order:

1. ``--system-user NAME`` (a user of the system account in the store, with its seed stored);
2. a short-lived user minted now, signed by the system account's identity key, or (when the
   operator requires signing keys) by its first unscoped signing key whose seed is stored. It
   may publish only the subjects the operation needs, subscribe only to its own inbox prefix,
   and expires after :data:`TEMPORARY_USER_TTL` seconds;
3. any stored user of the system account whose seed is stored.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pynsc.claims import AccountClaims, UserClaims, encode, peek
from pynsc.claims.subjects import go_quote
from pynsc.errors import KeyStoreError, NotFoundError, PushError
from pynsc.keys import KeyKind, KeyPair, KeyStore, generate
from pynsc.push.client import UserCredentials
from pynsc.store import Store

__all__ = [
    "TEMPORARY_USER_NAME",
    "TEMPORARY_USER_TTL",
    "SystemAccount",
    "SystemUser",
    "system_account",
    "system_user",
]

TEMPORARY_USER_TTL = 120
"""Seconds a minted system user is valid (nsc: 2 minutes)."""

TEMPORARY_USER_NAME = "pynsc temporary push user"


@dataclass(frozen=True, slots=True)
class SystemAccount:
    """The operator's system account: its public key, and its local name and claims when the
    store has it."""

    public_key: str
    name: str = ""
    claims: AccountClaims | None = None

    @property
    def label(self) -> str:
        return self.name or self.public_key


@dataclass(frozen=True, slots=True)
class SystemUser:
    """A user of the system account to connect with."""

    credentials: UserCredentials
    name: str
    public_key: str
    temporary: bool


def system_account(
    store: Store, name_or_key: str | None = None, *, index: Mapping[str, str] | None = None
) -> SystemAccount:
    """``name_or_key`` (an account of the store, or an account public key), else the operator's
    system account. ``index`` (account key → name, e.g. :meth:`Store.account_subjects`) saves
    looking the key up in the store."""
    if name_or_key:
        if store.account_named(name_or_key) is None and _is_account_key(name_or_key):
            return _by_key(store, name_or_key, index)
        name = store.find_account(name_or_key)
        claims = store.account(name)
        return SystemAccount(claims.sub, name, claims)
    operator = store.operator()
    key = operator.nats.system_account
    if not key:
        raise PushError(
            f"operator {go_quote(operator.name)} has no system account",
            hint="set one with 'pynsc edit operator --system-account NAME', "
            "or pass --system-account",
        )
    return _by_key(store, key, index)


def _is_account_key(text: str) -> bool:
    from pynsc.keys import is_public_key

    return is_public_key(text, KeyKind.ACCOUNT)


_USUAL_NAME = "SYS"


def _by_key(store: Store, key: str, index: Mapping[str, str] | None) -> SystemAccount:
    """The system account with public key ``key``: its name found in ``index``, else under the
    name nsc gives it, else by reading every account's subject."""
    name = (index or {}).get(key, "")
    if not name:
        if store.has_account(_USUAL_NAME) and peek(store.account_token(_USUAL_NAME)).get(
            "sub"
        ) == key:
            name = _USUAL_NAME
        else:
            name = store.account_subjects().get(key, "")
    claims = store.account(name) if name else None
    if claims is not None and claims.sub != key:  # the unverified index lied
        name, claims = "", None
    return SystemAccount(key, name, claims)


def system_user(
    store: Store,
    keystore: KeyStore,
    *,
    account: SystemAccount,
    user: str | None = None,
    allow_pub: Sequence[str] = (),
    allow_sub: Sequence[str] = (),
    inbox_prefix: str = "_INBOX",
    now: int | None = None,
) -> SystemUser:
    """The user to connect to the resolvers with (see the module's docstring).

    ``allow_pub`` are the subjects a minted user may publish; it may subscribe to
    ``<inbox_prefix>.>`` and ``allow_sub``.
    """
    if user:
        return _stored_user(store, keystore, account, user)
    minted = _mint(store, keystore, account, allow_pub, allow_sub, inbox_prefix, now)
    if minted is not None:
        return minted
    for name in store.user_names(account.name) if account.name else ():
        found = _stored_seed_user(store, keystore, account.name, name)
        if found is not None:
            return found
    raise KeyStoreError(
        f"no key to sign a system user of account {go_quote(account.label)}: neither its key "
        "nor a signing key is stored, and no stored user of it has its seed",
        hint="pass --system-user NAME, or store the system account's key with "
        "'pynsc import keys'",
    )


def _stored_user(
    store: Store, keystore: KeyStore, account: SystemAccount, user: str
) -> SystemUser:
    if not account.name:
        raise NotFoundError(
            f"system account {account.public_key} is not in the store, so it has no user "
            f"{go_quote(user)}"
        )
    name = store.find_user(account.name, user)
    found = _stored_seed_user(store, keystore, account.name, name)
    if found is None:
        claims = store.user(account.name, name)
        raise KeyStoreError(
            f"the seed of system user {go_quote(name)} ({claims.sub}) is not in the keystore",
            hint="store it with 'pynsc import keys', or pick another --system-user",
        )
    return found


def _stored_seed_user(
    store: Store, keystore: KeyStore, account: str, name: str
) -> SystemUser | None:
    token = store.user_token(account, name)
    claims = store.user(account, name)
    pair = keystore.get(claims.sub)
    if pair is None or pair.seed is None:
        return None
    return SystemUser(UserCredentials(token, pair.seed), name, claims.sub, temporary=False)


def _signer(
    store: Store, keystore: KeyStore, account: SystemAccount
) -> KeyPair | None:
    """The key that signs a minted system user, or ``None`` when none is stored.

    Raises when the operator's rules leave no key that could ever do it.
    """
    strict = store.operator().nats.strict_signing_key_usage
    claims = account.claims
    signing = dict(claims.nats.signing_keys) if claims is not None else {}
    unscoped = [key for key, scope in signing.items() if scope is None]
    if strict:
        if not signing:
            raise PushError(
                f"operator requires signing keys, system account {go_quote(account.label)} "
                "doesn't have signing keys",
                hint="add one with 'pynsc edit account SYS --sk generate', or pass "
                "--system-user",
            )
        if not unscoped:
            raise PushError(
                f"system account {go_quote(account.label)} only has scoped signing keys, "
                "specify --system-user"
            )
    candidates = ([] if strict else [account.public_key]) + unscoped
    for key in candidates:
        pair = keystore.get(key)
        if pair is not None and pair.seed is not None:
            return pair
    return None


def _mint(
    store: Store,
    keystore: KeyStore,
    account: SystemAccount,
    allow_pub: Sequence[str],
    allow_sub: Sequence[str],
    inbox_prefix: str,
    now: int | None,
) -> SystemUser | None:
    signer = _signer(store, keystore, account)
    if signer is None:
        return None
    issued = int(time.time()) if now is None else now
    user = generate(KeyKind.USER)
    claims = UserClaims(sub=user.public_key, name=TEMPORARY_USER_NAME)
    claims.exp = issued + TEMPORARY_USER_TTL
    claims.nats.pub.allow = list(dict.fromkeys(allow_pub))
    claims.nats.sub.allow = list(dict.fromkeys([f"{inbox_prefix}.>", *allow_sub]))
    if signer.public_key != account.public_key:
        claims.nats.issuer_account = account.public_key
    token = encode(claims, signer)
    return SystemUser(
        UserCredentials(token, user.require_seed()),
        TEMPORARY_USER_NAME,
        user.public_key,
        temporary=True,
    )
