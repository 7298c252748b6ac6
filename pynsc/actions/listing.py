"""Listings: the operators, accounts, users and keys of a store, and when things expire.

The rules, all here and nowhere else:

* an entity whose JWT does not load is listed with the reason, as a warning, not a failure;
* users are many: their listing verifies no signature of a user issued by the account or one
  of its signing keys (``validate`` does), and reads each file once;
* ``--operator``/``--account`` pick the operator and account for one listing only (the only
  account of that operator when none is named);
* which keys ``list keys`` (and ``export keys``) select: without a kind flag the operator's, the
  current account's and its users'; with kind flags those kinds of every account (or one
  account, one user, one curve key, a filter); ``unreferenced`` every stored key the operator
  does not reference; and for each key whether its seed is stored, and readable;
* what expires: the operator, each account, each user and each user's creds file, expired when
  its expiry has passed and expiring soon when it comes before a threshold.

Tables are the CLI's (:mod:`pynsc.cli.listing`); the actions return plain entries.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from pynsc.actions.session import Nsc
from pynsc.claims import ClaimsData, decode_creds
from pynsc.errors import KeyStoreError, NotFoundError, NscError, StoreError
from pynsc.keys import KeyKind, KeyStore
from pynsc.keys.nkey import public_key_kind
from pynsc.store import Store
from pynsc.store.memory import MemoryKeyStore
from pynsc.store.report import Report
from pynsc.text import display_path, humanized_date, rfc3339

__all__ = [
    "UNREFERENCED",
    "Expirations",
    "Expiry",
    "KeyEntry",
    "KeyListing",
    "KeyQuery",
    "ListEntry",
    "Listing",
    "collect_keys",
    "expirations",
    "list_accounts",
    "list_keys",
    "list_operators",
    "list_users",
]

UNREFERENCED = "?"
"""The name of a key that the operator does not reference (``unreferenced`` listings)."""

_ORDER = (KeyKind.OPERATOR, KeyKind.ACCOUNT, KeyKind.USER, KeyKind.CURVE)


# Operators, accounts, users ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One stored entity: its file name, and its JWT's name and subject (or why it failed)."""

    name: str
    jwt_name: str = ""
    public_key: str = ""
    error: str = ""

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "public_key": self.public_key}


@dataclass(slots=True)
class Listing:
    """What :func:`list_operators`/:func:`list_accounts`/:func:`list_users` found.

    ``report`` warns of each entity whose JWT did not load; its data is
    ``[{"name", "public_key"}]``.
    """

    report: Report
    kind: str
    entries: list[ListEntry]


def _load(kind: str, names: Iterable[str], load: Callable[[str], ClaimsData]) -> Listing:
    entries = []
    for name in names:
        try:
            claims = load(name)
        except NscError as e:
            entries.append(ListEntry(name, error=str(e)))
            continue
        entries.append(ListEntry(name, claims.name, claims.sub))
    return _listing(kind, entries)


def _listing(kind: str, entries: list[ListEntry]) -> Listing:
    report = Report(data=[entry.to_json() for entry in entries])
    for entry in entries:
        if entry.error:
            report.warn(f'{kind} "{entry.name}": {entry.error}')
    return Listing(report, kind, entries)


def _operator_store(nsc: Nsc, operator: str | None) -> Store:
    """The store of ``operator`` (for this listing only), else the current one."""
    if not operator:
        return nsc.store()
    if not nsc.has_operator(operator):
        raise NotFoundError(
            f'operator "{operator}" not in `{nsc.store_root}`',
            hint="list them with 'pynsc list operators'",
        )
    return nsc.store(operator)


def list_operators(nsc: Nsc) -> Listing:
    """The operators of the store root: name and public key."""
    return _load("operator", nsc.operators(), lambda name: nsc.store(name).operator())


def list_accounts(nsc: Nsc, *, operator: str | None = None) -> Listing:
    """The accounts of ``operator`` (default: the current one; the current one is not
    changed)."""
    store = _operator_store(nsc, operator)
    return _load("account", store.account_names(), store.account)


def list_users(
    nsc: Nsc, *, account: str | None = None, operator: str | None = None, verify: bool = False
) -> Listing:
    """The users of ``account`` (name or public key) of ``operator``; without ``account`` the
    current account, or with ``operator`` that operator's only account.

    A file that is not a user JWT of that account is listed with the reason. Signatures are
    checked only with ``verify`` (``validate`` checks them), or for a user whose issuer is not
    the account or one of its signing keys: a listing of 100,000 users reads each file once
    and costs little more than parsing them.
    """
    store = _operator_store(nsc, operator)
    if account:
        account_name = store.find_account(account)
    elif operator:
        names = store.account_names()
        if len(names) != 1:
            raise StoreError("an account is required", hint="pass -a/--account NAME")
        account_name = names[0]
    else:
        account_name = nsc.require_account(None)
    if verify:
        return _load("user", store.user_names(account_name),
                     lambda name: store.user(account_name, name))  # fmt: skip
    return _load_users(store, account_name)


def _load_users(store: Store, account: str) -> Listing:
    """The users of ``account``, each file read once and decoded without verifying its
    signature when its issuer is the account or one of its signing keys (any other goes
    through the full decode, so what fails is reported as it always was)."""
    try:
        claims = store.account(account)
        issuers = {claims.sub, *claims.nats.signing_keys}
    except NscError:
        issuers = set()  # every user takes the full decode, which says why it fails
    entries = []
    for name, user in store.users(account, verify=False, issuers=issuers):
        if isinstance(user, NscError):
            entries.append(ListEntry(name, error=str(user)))
        else:
            entries.append(ListEntry(name, user.name, user.sub))
    return _listing("user", entries)


# Keys ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class KeyEntry:
    """One key: whose it is, its kind, and whether (and where) its seed is stored.

    ``invalid`` means a seed file is there but holds no usable seed of this key.
    """

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
            if not keystore.has(self.pub):
                return self
            path = keystore.key_path(self.pub)
        except NscError:
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
    """Which keys to collect: the kind flags, one account/user/curve, a filter (nsc's
    ``KeyCollectorParams``)."""

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
        ``all`` means every kind."""
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


@dataclass(slots=True)
class KeyListing:
    """What :func:`list_keys` found: the keys in nsc's order and, when asked for, their seeds
    (public key → seed, only for the seeds that could be read)."""

    report: Report
    keys: list[KeyEntry]
    seeds: dict[str, str] = field(default_factory=dict)


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


def _referenced(nsc: Nsc, query: KeyQuery) -> Iterator[KeyEntry]:
    if not nsc.operator:
        return
    store, keystore = nsc.store(), nsc.keystore
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


def _keystore_exists(keystore: KeyStore) -> bool:
    return isinstance(keystore, MemoryKeyStore) or keystore.keys_dir.is_dir()


def collect_keys(nsc: Nsc, query: KeyQuery | None = None) -> list[KeyEntry]:
    """The keys ``query`` selects, in nsc's order: the operator, then each account followed by
    its users (see the module docstring); unreferenced keys by kind, then public key."""
    keystore = nsc.keystore
    if not _keystore_exists(keystore):
        raise KeyStoreError(
            f"keystore {display_path(keystore.keys_dir)} does not exist",
            hint="create keys with 'pynsc init' or 'pynsc add operator', or point "
            "--keystore-dir (NKEYS_PATH) at your keystore",
        )
    query = (query or KeyQuery()).normalized(nsc.account)
    if not nsc.operator and not query.unreferenced:
        raise StoreError(
            "operator is not set -- set an operator first or try --not-referenced to list all "
            "keys not in the context"
        )
    keys = list(_referenced(nsc, query))
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


def list_keys(nsc: Nsc, query: KeyQuery | None = None, *, seeds: bool = False) -> KeyListing:
    """The keys ``query`` selects (:func:`collect_keys`), with their seeds when ``seeds``.

    The report's data is ``[{"name", "pub", "parent", "expected_kind", "signing", "curve",
    "key_path", "invalid", "jwt", "seed"}]`` (``seed`` only with ``seeds``); it warns when no
    key matched.
    """
    keys = collect_keys(nsc, query)
    found: dict[str, str] = {}
    if seeds:
        for entry in keys:
            seed = entry.seed(nsc.keystore)
            if seed is not None:
                found[entry.pub] = seed
    report = Report(data=[k.to_json(found.get(k.pub)) for k in keys])
    if not keys:
        report.warn("no keys matched query")
    return KeyListing(report, keys, found)


# Expirations ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Expiry:
    """When one resource (an operator, account, user or creds file) expires, as of ``now``.

    ``expiry`` 0 never expires. ``expires_soon`` is true for an expiry before ``threshold``
    (an expired one included); a ``threshold`` of 0 marks nothing.
    """

    resource: str
    id: str
    expiry: int
    now: int
    threshold: int

    @property
    def expired(self) -> bool:
        return self.expiry != 0 and self.now > self.expiry

    @property
    def expires_soon(self) -> bool:
        return self.expiry != 0 and self.threshold > 0 and self.threshold > self.expiry

    @property
    def when(self) -> str:
        """``In 3 Weeks``, ``2 Days Ago``, or ``Never``."""
        return humanized_date(self.expiry, self.now) if self.expiry else "Never"

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "id": self.id,
            "when": self.when,
            "expiry": self.expiry,
            "expiration_date": rfc3339(self.expiry) if self.expiry else "",
            "expires_soon": self.expires_soon,
            "expired": self.expired,
        }


@dataclass(slots=True)
class Expirations:
    """What :func:`expirations` found; the report's data is ``{"expiration_threshold",
    "report": [Expiry.to_json()]}``."""

    report: Report
    threshold: int
    now: int
    rows: list[Expiry]


def expirations(
    nsc: Nsc, *, threshold: int = 0, skip: bool = False, now: int | None = None
) -> Expirations:
    """The expiry of the current operator, its accounts, their users and the users' creds
    files; ``threshold`` (Unix seconds) marks what expires before it, ``skip`` keeps only
    what is expired or expires soon. Accounts whose JWT does not load are left out."""
    now = int(time.time()) if now is None else now
    store, keystore = nsc.store(), nsc.keystore
    operator = store.operator()

    def row(resource: str, key: str, expiry: int) -> Expiry:
        return Expiry(resource, key, expiry, now, threshold)

    rows = [row(operator.name, operator.sub, operator.exp)]
    for name in store.account_names():
        try:
            account = store.account(name)
        except NscError:
            continue
        rows.append(row(f"{operator.name}/{account.name}", account.sub, account.exp))
        for user_name in store.user_names(name):
            user = store.user(name, user_name)
            rows.append(row(f"{operator.name}/{account.name}/{user.name}", user.sub, user.exp))
            creds = keystore.read_creds(store.name, name, user_name)
            if creds is None:
                continue
            creds_user, _ = decode_creds(creds)
            path = keystore.creds_path(store.name, name, user_name)
            rows.append(row(str(path), creds_user.sub, creds_user.exp))
    if skip:
        rows = [r for r in rows if r.expired or r.expires_soon]
    report = Report(
        data={"expiration_threshold": rfc3339(threshold), "report": [r.to_json() for r in rows]}
    )
    return Expirations(report, threshold, now, rows)
