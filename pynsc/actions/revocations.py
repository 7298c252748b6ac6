"""Revocations: of users (in the account JWT) and of activations (in an export), as nsc does.

A revocation is an entry ``public key -> Unix time``: a JWT of that key issued at or before the
time is revoked; ``*`` (:data:`ALL`) stands for every key. The rules, all here and nowhere else:

* adding an entry never lowers an existing time (jwt's ``Revoke``; the later time is kept, with
  a warning);
* a user is named (its file name, case ignored), given by public key (no user file needed, so
  an account of 100,000 users costs no more than one of ten), ``*``, or is the account's only
  user; a name and a key exclude each other;
* an activation revocation targets an account public key, a local account's name, or ``*``;
  the export is the stream (or service) export whose subject is, or contains, the subject
  given, else the only one of that kind;
* removing an entry that is not there is an error; so is listing where there are none;
* the account is re-signed by an operator key, its current issuer first, and (for a managed
  operator) goes through the account server before it is stored
  (:func:`pynsc.actions.account_update.update_account`).
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pynsc.actions.account_update import update_account
from pynsc.actions.session import Nsc
from pynsc.claims import SERVICE, STREAM, AccountClaims, Export
from pynsc.claims.subjects import go_quote, is_contained_in
from pynsc.errors import InvalidKeyError, NotFoundError, StoreError, UsageError
from pynsc.keys import KeyKind, KeyPair, is_public_key
from pynsc.store import Store
from pynsc.store.report import Report
from pynsc.store.signers import shown_key

__all__ = [
    "ALL",
    "Revocation",
    "RevocationList",
    "RevocationResult",
    "activation_revocations",
    "delete_activation_revocation",
    "delete_user_revocation",
    "go_time",
    "revoke",
    "revoke_activation",
    "revoke_user",
    "select_export",
    "user_revocations",
]

ALL = "*"
"""The key that stands for every user (or every importing account)."""


def go_time(unix: int) -> str:
    """Go's ``time.Time.String()`` in UTC: ``2006-01-02 15:04:05 +0000 UTC``."""
    try:
        moment = _dt.datetime.fromtimestamp(unix, tz=_dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return str(unix)
    return f"{moment:%Y-%m-%d %H:%M:%S} +0000 UTC"


def revoke(revocations: dict[str, int], key: str, at: int) -> int:
    """Revoke ``key`` at ``at`` without lowering an existing time; the time now in force."""
    current = revocations.get(key)
    if current is None or current < at:
        revocations[key] = at
        return at
    return current


@dataclass(frozen=True, slots=True)
class Revocation:
    """One entry: the revoked key (or ``*``), the local name of that key when known, and the
    time before which its JWTs are revoked."""

    public_key: str
    name: str | None
    at: int

    def to_dict(self) -> dict[str, Any]:
        return {"public_key": self.public_key, "name": self.name, "at": self.at}


@dataclass(slots=True)
class RevocationResult:
    """What a revocation was added or removed: the account, the key (``*`` for all), the user's
    name when known, the time in force (``None`` when removed), the export for an activation,
    and the account JWT written."""

    report: Report
    account: str
    public_key: str
    jwt: str
    name: str | None = None
    at: int | None = None
    export: Export | None = None


@dataclass(slots=True)
class RevocationList:
    """The revocations of an account (users) or of an export (activations), sorted by key.

    ``label`` is what they revoke from: the account's name (or key), or ``"<kind> <export>"``.
    """

    report: Report
    account: str
    label: str
    revocations: list[Revocation]
    export: Export | None = None


def _now(at: int | None) -> int:
    return int(time.time()) if at is None else at


def _kept(report: Report, in_force: int, when: int) -> None:
    if in_force != when:
        report.warn(f"kept the existing later revocation time {go_time(in_force)}")


def _local_names(
    keys: set[str], names: Callable[[], Iterable[str]], key_of: Callable[[str], str]
) -> dict[str, str]:
    """The names whose keys are in ``keys`` (reads entities only until all are found; an
    unreadable one is skipped)."""
    found: dict[str, str] = {}
    if not keys:
        return found
    for name in names():
        try:
            key = key_of(name)
        except StoreError:
            continue
        if key in keys:
            found.setdefault(key, name)
            if len(found) == len(keys):
                break
    return found


def _listing(
    revocations: dict[str, int],
    names: Callable[[], Iterable[str]],
    key_of: Callable[[str], str],
) -> list[Revocation]:
    local = _local_names(set(revocations) - {ALL}, names, key_of)
    return [Revocation(key, local.get(key), revocations[key]) for key in sorted(revocations)]


# Users ---------------------------------------------------------------------------------------


def _find_name(store: Store, account: str, name: str) -> str:
    """The stored user called ``name`` (by file name; case is ignored, as nsc does)."""
    value = name.strip()
    if store.has_user(account, value):
        return value
    folded = value.casefold()
    found = next((n for n in store.user_names(account) if n.casefold() == folded), None)
    if found is None:
        raise store.user_not_found(account, value)
    return found


def _user_target(
    store: Store, account: str, name: str | None, public_key: str | None
) -> tuple[str, str | None]:
    """(public key or ``*``, user name when known) of the user to act on."""
    if name and public_key:
        raise UsageError("user and user-public-key are mutually exclusive")
    if public_key is not None:
        key = public_key.strip()
        if key == ALL:
            return ALL, None
        if not is_public_key(key, KeyKind.USER):
            raise InvalidKeyError(f'{shown_key(key)} is not a valid "user" public key')
        return key, None
    if name:
        user = _find_name(store, account, name)
    else:
        default = store.only_user(account)
        if default is None:
            raise StoreError(
                f"no default user available for account {account}",
                hint="name the user with -n NAME, or give its key with -u KEY ('*' for all)",
            )
        user = default
    return store.user(account, user).sub, user


def revoke_user(
    nsc: Nsc,
    *,
    account: str | None = None,
    name: str | None = None,
    public_key: str | None = None,
    at: int | None = None,
    signer: str | KeyPair | None = None,
) -> RevocationResult:
    """Revoke a user of ``account`` (default: the current one): its JWTs issued at or before
    ``at`` (Unix seconds; default now).

    The user is ``name``, or ``public_key`` (``*``: every user), or the account's only user.
    The account is re-signed by an operator key (``signer``, default ``nsc.signer``, else its
    current issuer); servers apply it once it is pushed. A later time already set is kept.
    """
    when = _now(at)
    report = Report()
    with update_account(nsc, account, report, signer=signer) as update:
        key, user = _user_target(update.store, update.name, name, public_key)
        in_force = revoke(update.claims.nats.revocations, key, when)
    if key == ALL:
        report.ok(f"revoked all users issued before {go_time(in_force)}")
    else:
        report.ok(f'revoked user "{key}"')
    _kept(report, in_force, when)
    report.data = {
        "account": update.name,
        "public_key": key,
        "name": user,
        "at": in_force,
        "jwt": update.token,
    }
    return RevocationResult(report, update.name, key, update.token, name=user, at=in_force)


def delete_user_revocation(
    nsc: Nsc,
    *,
    account: str | None = None,
    name: str | None = None,
    public_key: str | None = None,
    signer: str | KeyPair | None = None,
) -> RevocationResult:
    """Remove the revocation of a user (``name``, ``public_key`` or ``*``, default: the only
    user) from ``account``, re-signed as :func:`revoke_user` does."""
    report = Report()
    with update_account(nsc, account, report, signer=signer) as update:
        account_name = update.name
        key, user = _user_target(update.store, account_name, name, public_key)
        revocations = update.claims.nats.revocations
        if key not in revocations:
            message = f"user with public key {key} is not revoked"
            if not revocations:
                message += f" (no user revocations set in account {account_name})"
            raise NotFoundError(
                message, hint=f"list them with 'pynsc revocations list-users -a {account_name}'"
            )
        del revocations[key]
    report.ok(
        "deleted all user revocation" if key == ALL else f'deleted user revocation for "{key}"'
    )
    report.data = {"account": account_name, "public_key": key, "name": user, "jwt": update.token}
    return RevocationResult(report, account_name, key, update.token, name=user)


def user_revocations(nsc: Nsc, account: str | None = None) -> RevocationList:
    """The user revocations of ``account`` (default: the current one), each with the name of
    the local user whose key it is; an error when there are none."""
    store = nsc.store()
    account_name = nsc.require_account(account)
    claims = store.account(account_name)
    label = claims.name or claims.sub
    if not claims.nats.revocations:
        raise NotFoundError(f"account {label} does not have revoked users")
    entries = _listing(
        claims.nats.revocations,
        names=lambda: store.user_names(account_name),
        key_of=lambda user: store.user(account_name, user).sub,
    )
    report = Report(data={"account": account_name,
                          "revocations": [e.to_dict() for e in entries]})  # fmt: skip
    return RevocationList(report, account_name, label, entries)


# Activations ---------------------------------------------------------------------------------


def _kind(service: bool) -> str:
    return SERVICE if service else STREAM


def _label(export: Export) -> str:
    return export.name or export.subject


def select_export(
    claims: AccountClaims, account: str, subject: str | None, service: bool = False
) -> Export:
    """The stream (or ``service``) export of ``claims`` that ``subject`` names: the export
    whose subject it is, else one that contains it; without ``subject`` the only one of that
    kind."""
    if not claims.nats.exports:
        raise NotFoundError(f"account {go_quote(account)} doesn't have exports")
    kind = _kind(service)
    candidates = [e for e in claims.nats.exports if e.type == kind]
    if not candidates:
        hint = "add --service" if not service else "leave out --service for stream exports"
        raise NotFoundError(f"account {go_quote(account)} doesn't have {kind} exports", hint=hint)
    if subject is None or not subject.strip():
        if len(candidates) == 1:
            return candidates[0]
        raise UsageError("a subject is required")
    wanted = subject.strip()
    exact = next((e for e in candidates if e.subject == wanted), None)
    if exact is not None:
        return exact
    for export in candidates:
        if is_contained_in(wanted, export.subject):
            return export
    raise NotFoundError(
        "unable to locate export",
        hint=f"no {kind} export of account {go_quote(account)} contains {go_quote(wanted)}",
    )


def _target_key(store: Store, target: str | None) -> str:
    """The importing account's key: ``*``, an account public key, or a local account's name."""
    if target is None or not target.strip():
        raise UsageError("target-account cannot be empty")
    value = target.strip()
    if value == ALL or is_public_key(value, KeyKind.ACCOUNT):
        return value
    if store.has_account(value):
        return store.account(value).sub
    raise InvalidKeyError(f'{shown_key(value)} is not a valid "account" public key')


def _export_data(account: str, export: Export, **more: Any) -> dict[str, Any]:
    return {
        "account": account,
        "export": {"name": export.name, "subject": export.subject, "type": export.type},
        **more,
    }


def revoke_activation(
    nsc: Nsc,
    target: str,
    *,
    account: str | None = None,
    subject: str | None = None,
    service: bool = False,
    at: int | None = None,
    signer: str | KeyPair | None = None,
) -> RevocationResult:
    """Revoke the activations an export of ``account`` (default: the current one) granted to
    ``target`` (an account public key, a local account's name, or ``*``), issued at or before
    ``at`` (default now).

    The export is chosen by :func:`select_export`; the account is re-signed as
    :func:`revoke_user` does. A later time already set is kept.
    """
    when = _now(at)
    report = Report()
    with update_account(nsc, account, report, signer=signer) as update:
        key = _target_key(update.store, target)
        export = select_export(update.claims, update.name, subject, service)
        in_force = revoke(export.revocations, key, when)
    if key == ALL:
        report.ok(
            f'revoked all activations for "{_label(export)}" issued before {go_time(in_force)}'
        )
    else:
        report.ok(f'revoked activation "{_label(export)}" for account {key}')
    _kept(report, in_force, when)
    report.data = _export_data(update.name, export, public_key=key, at=in_force,
                               jwt=update.token)  # fmt: skip
    return RevocationResult(report, update.name, key, update.token, at=in_force, export=export)


def delete_activation_revocation(
    nsc: Nsc,
    target: str,
    *,
    account: str | None = None,
    subject: str | None = None,
    service: bool = False,
    signer: str | KeyPair | None = None,
) -> RevocationResult:
    """Remove the revocation of ``target`` (an account key, name, or ``*``) from an export of
    ``account`` (default: the current one), re-signed as :func:`revoke_user` does."""
    kind = _kind(service)
    report = Report()
    with update_account(nsc, account, report, signer=signer) as update:
        account_name = update.name
        key = _target_key(update.store, target)
        export = select_export(update.claims, account_name, subject, service)
        if key not in export.revocations:
            who = "all accounts" if key == ALL else f"account {key}"
            raise NotFoundError(
                f"{kind} export {_label(export)} has no revocation for {who}",
                hint=f"list them with 'pynsc revocations list-activations -a {account_name}"
                f"{' --service' if service else ''} -s {export.subject}'",
            )
        del export.revocations[key]
    if key == ALL:
        report.ok(f"deleted {kind} {_label(export)} revocation for all accounts")
    else:
        report.ok(f"deleted {kind} {_label(export)} revocation for account {key}")
    report.data = _export_data(account_name, export, public_key=key, jwt=update.token)
    return RevocationResult(report, account_name, key, update.token, export=export)


def activation_revocations(
    nsc: Nsc,
    *,
    account: str | None = None,
    subject: str | None = None,
    service: bool = False,
) -> RevocationList:
    """The revocations of an export of ``account`` (default: the current one), chosen by
    :func:`select_export`, each with the name of the local account whose key it is; an error
    when there are none."""
    store = nsc.store()
    account_name = nsc.require_account(account)
    claims = store.account(account_name)
    export = select_export(claims, account_name, subject, service)
    label = f"{_kind(service)} {_label(export)}"
    if not export.revocations:
        raise NotFoundError(f"{label} has no revocations")
    entries = _listing(
        export.revocations,
        names=store.account_names,
        key_of=lambda name: store.account(name).sub,
    )
    report = Report(data=_export_data(account_name, export,
                                      revocations=[e.to_dict() for e in entries]))  # fmt: skip
    return RevocationList(report, account_name, label, entries, export=export)
