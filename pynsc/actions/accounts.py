"""Accounts: add, edit, delete, rename, with every rule nsc applies.

The rules, all here and nowhere else (JetStream's are :mod:`pynsc.actions.jetstream`'s, signing
keys' :mod:`pynsc.actions.signing_keys`'):

* an account name is required (``*`` picks a random one) and unique ignoring case;
* an account key given by the caller is an account key (``A…``) no other account uses;
* an operator key signs (the key asked for, else the current issuer, else a stored one; a strict
  operator's signing keys only); a managed operator's new accounts sign themselves, and every
  account JWT of a managed operator goes to its account server before it is stored;
* a new account becomes the current one;
* edits change only what they name (nsc rewrites ``wildcards`` and ``disallow_bearer`` on every
  edit); ``disallow_bearer`` needs every user of the account to be without a bearer token;
* tracing: a subject without wildcards (``""`` disables tracing); a sampling rate of 1-100 (0
  means 100) needs a subject and cannot come with disabling;
* a managed operator's account is deleted only when forced; deleting re-signs it to expire in a
  minute with its users revoked (unless told not to), then removes its users, and, when asked,
  their seeds, the account's and its signing keys' seeds, and the users' creds;
* renaming re-issues the JWT under the new name with the same key; the new name must be free,
  the users and their creds follow, and the current account too.

Crashes: a new account's seed is stored before its JWT, and what a killed command left under
its name is cleared first; a deletion sets the account JWT aside before any seed goes, and a
rename copies the creds before the account moves and removes the old ones after, so a killed
``delete account``/``rename account`` is finished by running it again.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pynsc.actions.account_update import (
    AccountUpdate,
    exchange_account,
    operator_key,
    store_account,
    update_account,
)
from pynsc.actions.jetstream import JetStreamChanges, apply_jetstream, check_jetstream
from pynsc.actions.session import Nsc
from pynsc.actions.signing_keys import GENERATE, apply_signing_keys, resolve_signing_keys
from pynsc.actions.user_changes import (
    PermissionChanges,
    apply_permissions,
    apply_tags,
)
from pynsc.claims import (
    Account,
    AccountClaims,
    ClaimsData,
    MsgTrace,
    OperatorLimits,
    ValidationResults,
    decode,
    decode_unverified,
    encode,
)
from pynsc.claims.subjects import go_quote, has_wildcards, validate_subject
from pynsc.errors import ClaimsError, ExistsError, InvalidKeyError, NscError, StoreError, UsageError
from pynsc.keys import KeyKind, KeyPair, KeyStore, generate
from pynsc.store import layout, ops
from pynsc.store.config import ToolConfig
from pynsc.store.report import Report
from pynsc.store.signers import load_key
from pynsc.store.store import Store
from pynsc.text import display_path, render_date

__all__ = [
    "DELETE_EXPIRES_IN",
    "GENERATE",
    "AccountChanges",
    "AccountLimitChanges",
    "AccountResult",
    "DeleteAccountResult",
    "RenameAccountResult",
    "TraceChanges",
    "add_account",
    "apply_account_limits",
    "apply_trace",
    "apply_validity",
    "check_no_bearer_users",
    "check_trace",
    "check_trace_subject",
    "delete_account",
    "edit_account",
    "rename_account",
]

DELETE_EXPIRES_IN = 60
"""Seconds from now the account JWT :func:`delete_account` re-signs (and a managed operator
pushes) expires at."""


@dataclass(slots=True)
class AccountResult:
    """What :func:`add_account`/:func:`edit_account` did: the report, the account and its JWT."""

    report: Report
    name: str
    claims: AccountClaims
    jwt: str

    @property
    def public_key(self) -> str:
        return self.claims.sub


# Limits --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountLimitChanges:
    """An account's NATS limits to set (``None`` keeps one; ``-1`` is unlimited)."""

    conns: int | None = None
    leaf_conns: int | None = None
    data: int | None = None
    exports: int | None = None
    imports: int | None = None
    payload: int | None = None
    subscriptions: int | None = None
    wildcard_exports: bool | None = None
    disallow_bearer: bool | None = None

    def is_empty(self) -> bool:
        """Whether nothing is to change."""
        return self == AccountLimitChanges()


# (field, limit it sets, nsc's message), in the order nsc reports them
_LIMITS = (
    ("conns", "conn", "changed max connections to {}"),
    ("leaf_conns", "leaf", "changed leaf node connections to {}"),
    ("data", "data", "changed max data to {} bytes"),
    ("exports", "exports", "changed max exports to {}"),
    ("wildcard_exports", "wildcards", "changed wild card exports to {}"),
    ("disallow_bearer", "disallow_bearer", "changed disallow bearer to {}"),
    ("imports", "imports", "changed max imports to {}"),
    ("payload", "payload", "changed max payload size to {}"),
    ("subscriptions", "subs", "changed max subscriptions to {}"),
)


def apply_account_limits(limits: OperatorLimits, changes: AccountLimitChanges) -> list[str]:
    """Set the limits ``changes`` names on ``limits``; nsc's line for each."""
    lines = []
    for name, attribute, message in _LIMITS:
        value = getattr(changes, name)
        if value is None:
            continue
        setattr(limits, attribute, value)
        shown = ("true" if value else "false") if isinstance(value, bool) else value
        lines.append(message.format(shown))
    return lines


def check_no_bearer_users(store: Store, account: str) -> None:
    """Every user of ``account`` is without a bearer token (what ``disallow_bearer`` needs).
    Reads all the account's users: made only when ``disallow_bearer`` is being set."""
    for user in store.user_names(account):
        if store.user(account, user).nats.bearer_token:
            raise StoreError(
                f'user "{user}" in account "{account}" uses bearer token '
                "(needs to be deleted/changed first)"
            )


# Tracing -------------------------------------------------------------------------------------


def check_trace_subject(subject: str) -> str:
    """A subject message traces may go to: valid, without wildcards (``""`` passes: it
    disables tracing). A :class:`UsageError` otherwise."""
    if not subject:
        return subject
    results = ValidationResults()
    validate_subject(subject, results)
    if not results.is_empty():
        raise UsageError(results.issues[0].description)
    if has_wildcards(subject):
        raise UsageError(f"tracing subjects cannot contain wildcards: {go_quote(subject)}")
    return subject


@dataclass(frozen=True, slots=True)
class TraceChanges:
    """Message tracing to set: the subject W3C trace context goes to (``""`` disables tracing)
    and the percentage of messages sampled (1-100; 0 means 100). ``None`` keeps a value."""

    subject: str | None = None
    sampling: int | None = None

    def __post_init__(self) -> None:
        if self.subject is not None:
            check_trace_subject(self.subject)

    def is_empty(self) -> bool:
        """Whether nothing is to change."""
        return self.subject is None and self.sampling is None


def check_trace(changes: TraceChanges, account: Account) -> None:
    """nsc's rules: a sampling rate needs a subject (set or given), not with disabling, and is
    within 0..100."""
    if changes.sampling is None:
        return
    if changes.subject == "":
        raise ClaimsError("cannot set context sampling rate when disabling the trace context")
    if (account.trace is None or not account.trace.dest) and not changes.subject:
        raise ClaimsError("trace-context-sampling requires a subject")
    if not 0 <= changes.sampling <= 100:
        raise ClaimsError("tracing sampling rate must be between 1-100")


def apply_trace(account: Account, changes: TraceChanges) -> list[str]:
    """Apply checked ``changes`` (:func:`check_trace`); a changed subject keeps the sampling
    already set. nsc's lines."""
    lines = []
    if changes.subject is not None:
        if changes.subject == "":
            account.trace = None
            lines.append("disabled trace context")
        else:
            sampling = account.trace.sampling if account.trace is not None else 0
            account.trace = MsgTrace(dest=changes.subject, sampling=sampling)
            lines.append(f"changed trace context subject to {go_quote(changes.subject)}")
    if changes.sampling is not None and account.trace is not None:
        account.trace.sampling = changes.sampling
        lines.append(f"changed trace context sampling to {changes.sampling}%")
    return lines


# Validity ------------------------------------------------------------------------------------


def apply_validity(claims: ClaimsData, start: int | None, expiry: int | None) -> list[str]:
    """Set ``nbf`` (``start``) and ``exp`` (``expiry``), Unix seconds, 0 clearing one and
    ``None`` keeping it; a line per change, in nsc's words for accounts and operators."""
    lines = []
    if start is not None and start != claims.nbf:
        claims.nbf = start
        lines.append(
            f"changed jwt valid start to {render_date(start)}" if start
            else "changed jwt start to not have a start date"
        )  # fmt: skip
    if expiry is not None and expiry != claims.exp:
        claims.exp = expiry
        lines.append(
            f"changed jwt expiry to {render_date(expiry)}" if expiry
            else "changed jwt expiry to never expire"
        )  # fmt: skip
    return lines


# Editing -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountChanges:
    """What :func:`edit_account` changes; ``None`` or empty keeps a value.

    ``signing_keys`` are key pairs, public keys, seeds, files, or :data:`GENERATE` for a new key
    (a seed is stored); ``rm_signing_keys`` public keys, seeds or files. ``perms`` are the
    account's default user permissions. ``start``/``expiry`` are Unix seconds (0 clears).
    ``host_cluster_traffic`` routes the account's cluster traffic through its own connections.
    """

    tags: tuple[str, ...] = ()
    rm_tags: tuple[str, ...] = ()
    signing_keys: tuple[str | KeyPair, ...] = ()
    rm_signing_keys: tuple[str, ...] = ()
    description: str | None = None
    info_url: str | None = None
    host_cluster_traffic: bool | None = None
    limits: AccountLimitChanges = field(default_factory=AccountLimitChanges)
    perms: PermissionChanges = field(default_factory=PermissionChanges)
    jetstream: JetStreamChanges = field(default_factory=JetStreamChanges)
    trace: TraceChanges = field(default_factory=TraceChanges)
    start: int | None = None
    expiry: int | None = None

    def __post_init__(self) -> None:
        for name in ("tags", "rm_tags", "signing_keys", "rm_signing_keys"):
            value = getattr(self, name)
            if isinstance(value, (str, KeyPair)):
                raise UsageError(f"{name} takes a list, not one value")
            object.__setattr__(self, name, tuple(value))

    def is_empty(self) -> bool:
        """Whether nothing is to change."""
        return self == AccountChanges()


def _apply_details(account: Account, changes: AccountChanges) -> list[str]:
    lines = apply_tags(account.tags, changes.tags, changes.rm_tags)
    if changes.description is not None:
        account.description = changes.description
        lines.append(f"changed description to {go_quote(changes.description)}")
    if changes.info_url is not None:
        account.info_url = changes.info_url
        lines.append(f"changed info url to {go_quote(changes.info_url)}")
    if changes.host_cluster_traffic is not None:
        account.cluster_traffic = "owner" if changes.host_cluster_traffic else ""
        lines.append(f"changed cluster traffic to {go_quote(account.cluster_traffic)}")
    return lines


def edit_account(
    nsc: Nsc,
    name: str | None = None,
    changes: AccountChanges | None = None,
    *,
    signer: str | KeyPair | None = None,
) -> AccountResult:
    """Change account ``name`` (name or public key; default: the current one) and re-sign it.

    Only what ``changes`` names changes; no changes re-signs the account (with ``signer``, an
    operator key, say one the operator now requires). Every rule is checked before anything is
    written.
    """
    changes = changes or AccountChanges()
    report = Report()
    with update_account(nsc, name, report, signer=signer) as update:
        lines, warnings, new_keys = _edit(nsc, update, changes)
        for pair in new_keys:
            if pair.seed is not None:
                update.store_key(pair)
    for line in lines:
        report.ok(line)
    for line in warnings:
        report.warn(line)
    report.ok(f'edited account "{update.name}"')
    claims = update.claims
    report.data = {"name": update.name, "public_key": claims.sub, "jwt": update.token}
    return AccountResult(report, update.name, claims, update.token)


def _edit(
    nsc: Nsc, update: AccountUpdate, changes: AccountChanges
) -> tuple[list[str], list[str], list[KeyPair]]:
    store, claims = update.store, update.claims
    is_system = store.operator().nats.system_account == claims.sub
    check_jetstream(changes.jetstream, claims.nats.limits, is_system=is_system)
    check_trace(changes.trace, claims.nats)
    if changes.limits.disallow_bearer:
        check_no_bearer_users(store, update.name)
    new_keys = resolve_signing_keys(changes.signing_keys, nsc.keystore, claims.sub)
    update.signer()  # no signer: said before a bad rm_signing_keys
    lines, warnings = apply_signing_keys(
        claims.nats, new_keys, changes.rm_signing_keys, nsc.keystore
    )
    lines += apply_validity(claims, changes.start, changes.expiry)
    lines += _apply_details(claims.nats, changes)
    lines += apply_account_limits(claims.nats.limits, changes.limits)
    lines += apply_jetstream(claims.nats.limits, changes.jetstream)
    lines += apply_permissions(claims.nats.default_permissions, changes.perms)
    lines += apply_trace(claims.nats, changes.trace)
    return lines, warnings, new_keys


# Adding --------------------------------------------------------------------------------------


def _account_name(name: str) -> str:
    if name.strip() == "*":
        from pynsc.names import random_name

        return random_name()
    return layout.check_name(name, "account")


def _account_key(key: str | KeyPair | None, keystore: KeyStore) -> KeyPair:
    """The account key: given (key pair, public key, seed or file), else a new one."""
    if key is None or (isinstance(key, str) and not key.strip()):
        return generate(KeyKind.ACCOUNT)
    pair = key if isinstance(key, KeyPair) else load_key(key, keystore)
    if pair.kind is not KeyKind.ACCOUNT:
        raise InvalidKeyError("specified key is not a valid account nkey")
    return pair


def _check_unique(store: Store, name: str, public_key: str, *, given: bool) -> None:
    """Names are unique ignoring case; a given key must be unused (a new one is, so the
    accounts are read only then)."""
    if store.account_named(name) is not None:
        raise ExistsError(f'the account "{name}" already exists')
    if not given:
        return
    for other, claims in store.accounts():
        if claims.sub == public_key:
            raise ExistsError(f'account key {public_key} is already used by account "{other}"')


def add_account(
    nsc: Nsc,
    name: str,
    *,
    key: str | KeyPair | None = None,
    permissions: PermissionChanges | None = None,
    start: int | None = None,
    expiry: int | None = None,
    signer: str | KeyPair | None = None,
    save_current: bool = False,
) -> AccountResult:
    """Add account ``name`` to the current operator, signed by an operator key, and make it the
    current account of ``nsc`` (``save_current``: in ``nsc.json`` too, as ``pynsc add account``
    does).

    ``key`` is the account's key (key pair, public key, seed or file); by default one is
    generated. A seed is stored. ``permissions`` are the account's default user permissions;
    ``start``/``expiry`` Unix seconds. ``signer`` picks the operator key (default
    ``nsc.signer``).
    """
    account_name = _account_name(name)
    store = nsc.store()
    given = not (key is None or (isinstance(key, str) and not key.strip()))
    account_key = _account_key(key, nsc.keystore)
    claims = AccountClaims(sub=account_key.public_key, name=account_name)
    claims.nbf = start or 0
    claims.exp = expiry or 0
    lines = apply_permissions(claims.nats.default_permissions, permissions or PermissionChanges())
    signer = signer or nsc.signer
    report = Report()
    for line in lines:  # as nsc, the permission lines come first
        report.ok(line)
    with store.lock():
        _check_unique(store, account_name, account_key.public_key, given=given)
        if store.is_managed and not signer and account_key.seed is not None:
            issuer = account_key  # a managed operator's accounts are self-signed
        else:
            issuer = operator_key(nsc, store, claims, signer=signer)
        token = ops.sign_account(claims, issuer)
        # a managed operator's account server first: if it fails, nothing is stored
        token = exchange_account(store, token, report)
        if account_key.seed is not None and not nsc.keystore.has(account_key.public_key):
            nsc.keystore.store(account_key)
            verb = "stored" if given else "generated and stored"
            report.ok(f'{verb} account key "{account_key.public_key}"')
        store.prepare_account(account_name)  # what a killed command left under the name
        store.write_account(account_name, token)
    if store.is_managed and decode(token).iss == account_key.public_key:
        report.warn(
            f'account "{account_name}" is self-signed: push it to the account server of '
            f'operator "{store.name}" to have it signed'
        )
    report.ok(f'added account "{account_name}"')
    nsc.select(account=account_name, save=save_current)
    report.data = {"name": account_name, "public_key": account_key.public_key, "jwt": token}
    return AccountResult(report, account_name, decode(token, AccountClaims), token)


# Deleting ------------------------------------------------------------------------------------


@dataclass(slots=True)
class DeleteAccountResult:
    """What :func:`delete_account` did: the report, the account, the users it revoked and the
    expiring account JWT it signed (to push where the account must stop working)."""

    report: Report
    name: str
    public_key: str
    revoked_users: list[str]
    jwt: str


def _read_users(store: Store, account: str, report: Report) -> list[tuple[str, str]]:
    """(name, public key) of every user of ``account``; an unreadable one has no key."""
    users = []
    for name in store.user_names(account):
        try:
            users.append((name, store.user(account, name).sub))
        except NscError as e:
            report.warn(f"error loading user {name}: {e}")
            users.append((name, ""))
    return users


def _revoke(claims: AccountClaims, users: list[tuple[str, str]], now: int) -> list[str]:
    """Revoke every user not revoked yet; the public keys revoked now."""
    revoked = []
    for _name, public_key in users:
        if public_key and not claims.nats.revocations.get(public_key):
            claims.nats.revocations[public_key] = now
            revoked.append(public_key)
    return revoked


def _remove_key(keystore: KeyStore, public_key: str, report: Report, what: str) -> None:
    if keystore.remove(public_key):
        report.ok(f'deleted {what} "{public_key}"')
    else:
        report.ok(f'{what} "{public_key}" is not stored')


def _prune_creds_dir(keystore: KeyStore, operator: str, account: str) -> None:
    """Remove the (empty) creds directory of ``account``; nothing when it holds files or is
    not on disk (an in-memory keystore has none)."""
    with contextlib.suppress(OSError):
        (keystore.creds_dir / operator / account).rmdir()


def delete_account(
    nsc: Nsc,
    name: str | None = None,
    *,
    revoke: bool = True,
    rm_nkey: bool = False,
    rm_creds: bool = False,
    force: bool = False,
    signer: str | KeyPair | None = None,
    now: int | None = None,
) -> DeleteAccountResult:
    """Delete account ``name`` (default: the current one) and its users.

    As nsc: the account JWT is first re-signed to expire in :data:`DELETE_EXPIRES_IN` seconds
    with every user revoked (unless ``revoke`` is false), and stored (a managed operator's
    account server gets it before anything is deleted); then the users go, with their seeds
    (``rm_nkey``, which also removes the account's and its signing keys' seeds) and creds
    (``rm_creds``). A managed operator's account needs ``force``.

    The account is gone from the moment its JWT is set aside; its users, seeds and creds are
    removed after that, each JWT after its seed. Run again, the same call finishes a deletion
    a killed process started.
    """
    store = nsc.store()
    wanted = (name or "").strip()
    if store.deleted_account(wanted or nsc.account) is None:
        nsc.require_account(wanted or None)  # not found: said first
    if store.is_managed and not force:
        raise StoreError(
            "managed accounts may require the account JWT or nkeys to cancel a service, "
            "specify the --force to override"
        )
    keystore = nsc.keystore
    report = Report()
    with store.lock():
        unfinished = store.deleted_account(wanted or nsc.account)
        if unfinished is not None:  # a killed deletion: finish it
            found = wanted or nsc.account
            claims = decode_unverified(unfinished, AccountClaims)
            users = _read_users(store, found, report)
            revoked: list[str] = []
            token = unfinished
        else:
            found = nsc.require_account(wanted or None)
            claims = store.account(found)
            key = operator_key(nsc, store, claims, signer=signer)
            if store.operator().nats.system_account == claims.sub:
                report.warn(f'"{found}" is the system account of operator "{store.name}"')
            users = _read_users(store, found, report)
            moment = int(time.time()) if now is None else now
            revoked = _revoke(claims, users, moment) if revoke else []
            claims.exp = moment + DELETE_EXPIRES_IN
            # no validation: an account with issues can be deleted too
            token = store_account(store, found, encode(claims, key), report)
            store.mark_account_deleted(found)  # the account is gone: the rest may follow
        for user, public_key in users:
            entry = report.add(Report(f"user {user} [{public_key or '?'}]"))
            if revoke and public_key and unfinished is None:
                entry.ok("revoked user" if public_key in revoked else "user is already revoked")
            removed_creds = rm_creds and keystore.remove_creds(store.name, found, user)
            removed_key = rm_nkey and bool(public_key) and keystore.remove(public_key)
            store.delete_user(found, user)  # after its seed: a re-run still knows the key
            entry.ok("user deleted")
            if rm_nkey and public_key:
                entry.ok("deleted private key" if removed_key else "private key is not stored")
            if rm_creds:
                entry.ok("removed creds file" if removed_creds else "creds file is not stored")
        if rm_creds:
            _prune_creds_dir(keystore, store.name, found)
        if unfinished is None:
            report.ok(f'expired account "{found}"')
        else:
            report.ok(f'finishing the deletion of account "{found}"')
        if rm_nkey:
            for signing_key in sorted(claims.nats.signing_keys):
                _remove_key(keystore, signing_key, report, "signing key")
            _remove_key(keystore, claims.sub, report, "private key")
        store.purge_account(found)  # last: a re-run still finds the keys until then
        report.ok("deleted account")
        report.ok("deleted account directory")
    if nsc.account == found:
        nsc.select(account="")
    data: dict[str, Any] = {
        "name": found, "public_key": claims.sub, "revoked_users": revoked, "jwt": token,
    }  # fmt: skip
    report.data = data
    return DeleteAccountResult(report, found, claims.sub, revoked, token)


# Renaming ------------------------------------------------------------------------------------


@dataclass(slots=True)
class RenameAccountResult:
    """What :func:`rename_account` did: the report, both names, the key and the new JWT."""

    report: Report
    old: str
    new: str
    public_key: str
    jwt: str


def _creds_of(
    keystore: KeyStore, operator: str, account: str, users: Iterable[str]
) -> list[tuple[str, str]]:
    """(user, creds text) of the ``users`` of ``account`` whose creds are stored."""
    found = []
    for user in users:
        text = keystore.read_creds(operator, account, user)
        if text is not None:
            found.append((user, text))
    return found


def rename_account(
    nsc: Nsc, old: str, new: str, *, signer: str | KeyPair | None = None
) -> RenameAccountResult:
    """Rename account ``old`` (name or public key) to ``new``: its JWT is re-issued with the new
    name and the same key, its users and their creds move under the new name, and the current
    account follows (in ``nsc.json`` too when it named the old one). User JWTs don't hold the
    account name, so they stay valid as they are.

    The creds are copied under the new name first, then the account directory is renamed (the
    account is ``new`` from then on), then the old creds are removed. Run again, the same call
    finishes a rename a killed process started.
    """
    store = nsc.store()
    new = layout.check_name(new, "account")
    keystore = nsc.keystore
    with store.lock():
        if store.unfinished_rename(old.strip(), new):
            return _finish_rename(nsc, store, old.strip(), new)
        old = store.find_account(old)
        report = Report(f'rename account "{old}" to "{new}"')
        taken = store.account_named(new)
        if taken is not None and taken != old:
            raise ExistsError(f'account "{new}" already exists')
        if new == old:
            raise ExistsError(f'account "{old}" is already named "{new}"')
        creds = _creds_of(keystore, store.name, old, store.user_names(old))
        for user, text in creds:
            if keystore.read_creds(store.name, new, user) not in (None, text):
                path = keystore.creds_path(store.name, new, user)
                raise ExistsError(f"creds file {display_path(path)} already exists")
        claims = store.account(old)
        key = operator_key(nsc, store, claims, signer=signer)
        claims.name = new
        token = ops.sign_account(claims, key)
        token = exchange_account(store, token, report)  # managed: pushed before any move
        _copy_creds(keystore, store.name, old, new, creds)
        directory = store.rename_account(old, new, token, finish=False)
        report.ok(f'stored account "{new}"')
        report.ok(f"moved users to {display_path(directory)}")
        report.ok("deleted old account jwt")
        _drop_old_creds(nsc, store, old, new, creds, report)
    report.data = {"old": old, "new": new, "public_key": claims.sub}
    return RenameAccountResult(report, old, new, claims.sub, token)


def _copy_creds(
    keystore: KeyStore, operator: str, old: str, new: str, creds: list[tuple[str, str]]
) -> None:
    """The ``creds`` of ``old``'s users written under ``new`` too (unless already there)."""
    for user, text in creds:
        if keystore.read_creds(operator, new, user) != text:
            keystore.write_creds(operator, new, user, text)


def _drop_old_creds(
    nsc: Nsc, store: Store, old: str, new: str, creds: list[tuple[str, str]], report: Report
) -> None:
    """The last steps of a rename, once the account is ``new``: the old creds go, the current
    account follows, and the old JWT left as a mark is dropped."""
    keystore = nsc.keystore
    for user, _text in creds:
        keystore.remove_creds(store.name, old, user)
    _prune_creds_dir(keystore, store.name, old)
    if creds:
        report.ok(f"moved creds directory to {display_path(keystore.creds_dir / store.name / new)}")
    else:
        report.ok("skipping... no creds directory found")
    _follow_rename(nsc, store.name, old, new)
    store.finish_rename(old, new)


def _finish_rename(nsc: Nsc, store: Store, old: str, new: str) -> RenameAccountResult:
    """Finish the rename of ``old`` to ``new`` a killed process did not: the account is
    ``new`` already."""
    report = Report(f'rename account "{old}" to "{new}"')
    report.ok(f'account "{old}" was renamed "{new}" already: finishing')
    token, claims = store.account_with_token(new, verify=False)
    creds = _creds_of(nsc.keystore, store.name, old, store.user_names(new))
    _copy_creds(nsc.keystore, store.name, old, new, creds)
    _drop_old_creds(nsc, store, old, new, creds, report)
    report.data = {"old": old, "new": new, "public_key": claims.sub}
    return RenameAccountResult(report, old, new, claims.sub, token)


def _follow_rename(nsc: Nsc, operator: str, old: str, new: str) -> None:
    """The current account follows a rename: in ``nsc``, and in ``nsc.json`` when it names it."""
    if not nsc.in_memory and not nsc.context.cwd_only:
        context = nsc.context
        saved = ToolConfig.load(context.paths.config_file)  # as it is now, not when opened
        if saved.account == old and saved.operator == operator:
            with contextlib.suppress(OSError):
                context.save(account=new)
    if nsc.account == old and nsc.operator == operator:
        nsc.select(account=new)
