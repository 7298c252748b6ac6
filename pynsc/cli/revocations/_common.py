"""What the revocation commands share: ``--at``, how times are shown, revoking a key.

A revocation is an entry ``public key -> Unix time`` in the account JWT (users) or in one of its
exports (activations); a JWT of that key issued at or before the time is revoked. ``*`` stands
for every key. Adding an entry never lowers an existing time (jwt's ``Revoke``), and the
account is re-signed by an operator key, its current issuer first.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from pynsc.cli.app import App

__all__ = [
    "ALL",
    "at_option",
    "go_time",
    "list_revocations",
    "revoke",
    "rfc1123",
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



def list_revocations(
    app: App,
    revocations: dict[str, int],
    *,
    what: str,
    title: str,
    names: Callable[[], Iterable[str]],
    key_of: Callable[[str], str],
    data: dict[str, Any],
    as_json: bool,
) -> None:
    """Print ``revocations`` as the table ``title`` (``what``: the column of local names,
    "Account" or "User"), or with ``--json`` as ``data`` plus ``"revocations": [{"public_key",
    "name", "at"}]``. A key's name is the first of ``names`` whose key (``key_of``) it is."""
    from pynsc.cli.table import Table
    from pynsc.store.report import Report

    local = _local_names(set(revocations) - {ALL}, names, key_of)
    rows: list[dict[str, Any]] = [
        {"public_key": key, "name": local.get(key), "at": revocations[key]}
        for key in sorted(revocations)
    ]
    if as_json:
        app.output.report(Report(data={**data, "revocations": rows}), as_json=True)
        return
    table = Table(title=title, headers=("Public Key", what, "Revoke Credentials Before"))
    for row in rows:
        key = row["public_key"]
        shown = f"{key} [All {what}s]" if key == ALL else key
        table.add(shown, row["name"] or "", rfc1123(row["at"]))
    app.output.table(table)


def _local_names(
    keys: set[str], names: Callable[[], Iterable[str]], key_of: Callable[[str], str]
) -> dict[str, str]:
    """The names whose keys are in ``keys`` (reads entities only until all are found; an
    unreadable one is skipped)."""
    from pynsc.errors import StoreError

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
