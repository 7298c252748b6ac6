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
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

import click

from pynsc.errors import KeyStoreError, NotFoundError, NscError, StoreError
from pynsc.keys import KeyKind, KeyStore
from pynsc.keys.nkey import public_key_kind
from pynsc.store import Context, Store

__all__ = ["KeyEntry", "KeyQuery", "collect_keys", "key_query_options"]

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

    def seed(self, keystore: KeyStore) -> str | None:
        """The stored seed; ``None`` when it is not stored or cannot be read."""
        if not self.stored or self.invalid:
            return None
        try:
            pair = keystore.get(self.pub)
        except NscError:
            return None
        return pair.seed if pair is not None else None

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


def key_query_options(
    verb: str, *, curves_flags: tuple[str, ...], curve_key: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The key selection flags of ``list keys`` (``verb`` "Show") and ``export keys``
    ("Export"), handed to the command as ``query`` (:class:`KeyQuery`). ``curves_flags`` name
    the flag for every curve key; ``curve_key`` adds ``--curve KEY`` (one curve key)."""

    def flag(decls: tuple[str, ...], dest: str, what: str) -> Callable[[Any], Any]:
        return click.option(*decls, dest, is_flag=True, default=False, help=f"{verb} {what}.")

    def value(decl: str, metavar: str, what: str) -> Callable[[Any], Any]:
        dest = decl.lstrip("-")
        return click.option(decl, dest, metavar=metavar, default=None, help=f"{verb} {what}.")

    options = [
        flag(("-o", "--operator"), "operator", "operator keys"),
        flag(("-a", "--accounts"), "accounts", "account keys"),
        flag(("-u", "--users"), "users", "user keys"),
        flag(curves_flags, "curves", "curve (xkey) keys"),
        value("--account", "NAME|KEY", "the keys of this account only"),
        value("--user", "NAME", "the key of this user only"),
        *([value("--curve", "KEY", "this curve key only")] if curve_key else []),
        flag(("-A", "--all"), "all", "operator, account, user and curve keys"),
        click.option("-f", "--filter", "filter", metavar="TEXT", default="",
                     help=f"{verb} only keys containing TEXT."),
        flag(("--not-referenced",), "unreferenced",
             "keystore keys the current operator context does not reference"),
    ]  # fmt: skip
    names = [f.name for f in fields(KeyQuery)]

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            query = KeyQuery(**{name: kwargs.pop(name) for name in names if name in kwargs})
            return f(*args, query=query, **kwargs)

        decorated: Callable[..., Any] = wrapper
        for add in reversed(options):
            decorated = add(decorated)
        return decorated

    return decorate


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
    from pynsc.cli.output import display_path

    if not keystore.keys_dir.is_dir():
        raise KeyStoreError(f"keystore {display_path(keystore.keys_dir)} does not exist")
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
