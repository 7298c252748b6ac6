"""The keys of the current context, as ``list keys`` and ``export keys`` select them (nsc's
``KeyCollectorParams``).

Without a kind flag: the operator (and its signing keys), the current account (its signing keys
and auth-callout xkey) and that account's users. With kind flags (``--operator``,
``--accounts``, ``--users``, ``--curves``/``--all``): those kinds, of every account unless
``--account`` names one. ``--not-referenced`` turns it around: every keystore key that the
context does not reference.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from pynsc.errors import NotFoundError, NscError, StoreError
from pynsc.keys import KeyKind, KeyStore
from pynsc.keys.nkey import public_key_kind
from pynsc.store import Context, Store

__all__ = ["KeyEntry", "KeyQuery", "collect_keys"]

UNREFERENCED = "?"
_ORDER = (KeyKind.OPERATOR, KeyKind.ACCOUNT, KeyKind.USER, KeyKind.CURVE)


@dataclass(slots=True)
class KeyEntry:
    """One key: whose it is, its kind, and whether (and where) its seed is stored."""

    name: str
    pub: str
    kind: KeyKind | None
    parent: str = ""
    signing: bool = False
    curve: bool = False
    key_path: str = ""
    invalid: bool = False
    jwt: str = ""

    @property
    def stored(self) -> bool:
        return bool(self.key_path)

    @property
    def unreferenced(self) -> bool:
        return self.name == UNREFERENCED

    def resolve(self, keystore: KeyStore) -> KeyEntry:
        """Fill in ``key_path`` (and ``invalid``) from the keystore."""
        try:
            path = keystore.key_path(self.pub)
        except NscError:
            return self
        if not path.is_file():
            return self
        self.key_path = str(path)
        try:
            self.invalid = keystore.get(self.pub) is None
        except NscError:
            self.invalid = True
        return self

    def to_json(self, seed: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "pub": self.pub}
        if self.parent:
            out["parent"] = self.parent
        out["expected_kind"] = self.kind.value if self.kind is not None else ""
        out["signing"] = self.signing
        out["curve"] = self.curve
        out["key_path"] = self.key_path
        out["invalid"] = self.invalid
        if self.jwt:
            out["jwt"] = base64.b64encode(self.jwt.encode("ascii")).decode("ascii")
        if seed:
            out["seed"] = seed
        return out


@dataclass(slots=True)
class KeyQuery:
    """Which keys to collect: the kind flags, one account/user/curve, a filter."""

    operator: bool = False
    accounts: bool = False
    users: bool = False
    curves: bool = False
    all: bool = False
    unreferenced: bool = False
    account: str | None = None
    user: str | None = None
    curve: str | None = None
    filter: str = ""

    def normalized(self, current_account: str) -> KeyQuery:
        """nsc's defaults: no kind flag means the operator, the current account and its users;
        ``--all`` means every kind."""
        query = KeyQuery(**{f.name: getattr(self, f.name) for f in fields(self)})
        if not (query.operator or query.accounts or query.users or query.curves or query.all):
            query.operator = query.accounts = query.users = query.curves = True
            query.account = query.account or current_account or None
        if query.all:
            query.operator = query.accounts = query.users = query.curves = True
        return query

    def wants(self, entry: KeyEntry) -> bool:
        kinds = {
            KeyKind.OPERATOR: self.operator,
            KeyKind.ACCOUNT: self.accounts,
            KeyKind.USER: self.users,
            KeyKind.CURVE: self.curves,
        }
        if entry.kind is not None and not kinds.get(entry.kind, True):
            return False
        if self.curve and entry.curve and entry.pub != self.curve:
            return False
        return not self.filter or self.filter.upper() in entry.pub


def _operator_keys(store: Store, keystore: KeyStore) -> list[KeyEntry]:
    claims = store.operator()
    token = store.operator_token()
    keys = [KeyEntry(claims.name, claims.sub, KeyKind.OPERATOR, jwt=token).resolve(keystore)]
    for key in claims.nats.signing_keys:
        keys.append(
            KeyEntry(claims.name, key, KeyKind.OPERATOR, signing=True).resolve(keystore)
        )
    return keys


def _account_keys(store: Store, keystore: KeyStore, name: str, parent: str) -> list[KeyEntry]:
    claims = store.account(name)
    keys = [
        KeyEntry(
            claims.name, claims.sub, KeyKind.ACCOUNT, parent=parent,
            jwt=store.account_token(name),
        ).resolve(keystore)
    ]  # fmt: skip
    for key in claims.nats.signing_keys:
        keys.append(KeyEntry(claims.name, key, KeyKind.ACCOUNT, signing=True).resolve(keystore))
    xkey = claims.nats.authorization.xkey
    if xkey:
        keys.append(KeyEntry(claims.name, xkey, KeyKind.CURVE, curve=True).resolve(keystore))
    return keys


def _user_key(store: Store, keystore: KeyStore, account: str, user: str, parent: str) -> KeyEntry:
    token = store.user_token(account, user)
    claims = store.user(account, user)
    return KeyEntry(
        claims.name, claims.sub, KeyKind.USER, parent=parent, jwt=token
    ).resolve(keystore)


def _referenced(
    context: Context, keystore: KeyStore, query: KeyQuery
) -> Iterator[KeyEntry]:
    if not context.operator:
        return
    store = context.store()
    operator_keys = _operator_keys(store, keystore)
    yield from operator_keys
    accounts = [store.find_account(query.account)] if query.account else store.account_names()
    found_user = False
    for name in accounts:
        account_keys = _account_keys(store, keystore, name, operator_keys[0].pub)
        yield from account_keys
        if query.user:
            if store.has_user(name, query.user):
                found_user = True
                yield _user_key(store, keystore, name, query.user, account_keys[0].pub)
            continue
        if not query.users and not query.unreferenced:
            continue  # the users are filtered out anyway: do not read them
        for user in store.user_names(name):
            yield _user_key(store, keystore, name, user, account_keys[0].pub)
    if query.user and not found_user:
        raise NotFoundError(f'user "{query.user}" not found')


def collect_keys(context: Context, keystore: KeyStore, query: KeyQuery) -> list[KeyEntry]:
    """The keys ``query`` selects, in nsc's order (see the module docstring)."""
    query = query.normalized(context.account)
    if not context.operator and not query.unreferenced:
        raise StoreError(
            "operator is not set -- set an operator first or try --not-referenced to list all "
            "keys not in the context"
        )
    keys = list(_referenced(context, keystore, query))
    if query.unreferenced:
        known = {k.pub for k in keys}
        others = [
            KeyEntry(UNREFERENCED, pub, public_key_kind(pub)).resolve(keystore)
            for pub in keystore.list()
            if pub not in known
        ]
        keys = sorted(
            others,
            key=lambda k: (_ORDER.index(k.kind) if k.kind in _ORDER else len(_ORDER), k.pub),
        )
    return [k for k in keys if query.wants(k)]
