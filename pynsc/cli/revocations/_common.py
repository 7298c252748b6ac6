"""What the revocation commands share: ``--at``, how times are shown, re-signing the account.

A revocation is an entry ``public key -> Unix time`` in the account JWT (users) or in one of its
exports (activations); a JWT of that key issued at or before the time is revoked. ``*`` stands
for every key. Adding an entry never lowers an existing time (jwt's ``Revoke``), and the
account is re-signed by an operator key, its current issuer first.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims
    from pynsc.cli.app import App
    from pynsc.store import Store
    from pynsc.store.report import Report

__all__ = [
    "ALL",
    "at_option",
    "go_time",
    "revoke",
    "rfc1123",
    "save_account",
]

ALL = "*"

F = TypeVar("F", bound=Callable[..., Any])

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _utc(unix: int) -> _dt.datetime | None:
    try:
        return _dt.datetime.fromtimestamp(unix, tz=_dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def rfc1123(unix: int) -> str:
    """Go's ``time.RFC1123`` in UTC: ``Mon, 02 Jan 2006 15:04:05 UTC`` (English names always)."""
    moment = _utc(unix)
    if moment is None:
        return str(unix)
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
        f"{moment.year:04d} {moment:%H:%M:%S} UTC"
    )


def go_time(unix: int) -> str:
    """Go's ``time.Time.String()`` in UTC: ``2006-01-02 15:04:05 +0000 UTC``."""
    moment = _utc(unix)
    if moment is None:
        return str(unix)
    return f"{moment:%Y-%m-%d %H:%M:%S} +0000 UTC"


def _parse_at(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    from pynsc.cli.params import parse_at

    if value is None:
        return None
    return parse_at(value, int(time.time()))


def at_option(help: str) -> Callable[[F], F]:
    """``--at TIME`` as ``at`` (Unix seconds; ``None`` when not given, meaning now)."""
    return click.option(
        "--at", "at", metavar="TIME", default=None, callback=_parse_at,
        help=f"{help} ('0' is now; RFC3339 or seconds since the epoch; default now).",
    )  # fmt: skip


def revoke(revocations: dict[str, int], key: str, at: int) -> int:
    """Revoke ``key`` at ``at`` without lowering an existing time; the time now in force."""
    current = revocations.get(key)
    if current is None or current < at:
        revocations[key] = at
        return at
    return current


def save_account(
    app: App, store: Store, name: str, claims: AccountClaims, report: Report
) -> str:
    """Validate, re-sign (an operator key, the current issuer first) and write the account
    (for a managed operator: push it to its account server and write what that returns).

    Nothing is written if the account does not validate, no signer is found or a managed
    operator's account server cannot take it.
    """
    from pynsc.cli._accounts import store_account
    from pynsc.store import ops

    signer = ops.operator_signer(
        store, app.keystore, store.operator(), private_key=app.private_key,
        current_issuer=claims.iss, account_key=claims.sub,
    )  # fmt: skip
    return store_account(store, name, ops.sign_account(claims, signer), report)
