"""What the revocation commands share: ``--at``, and the table of a list of revocations.

The rules are :mod:`pynsc.actions.revocations`'.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from pynsc.actions.revocations import RevocationList
    from pynsc.cli.app import App

__all__ = ["at_option", "render_revocations", "rfc1123"]

F = TypeVar("F", bound=Callable[..., Any])

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc1123(unix: int) -> str:
    """Go's ``time.RFC1123`` in UTC: ``Mon, 02 Jan 2006 15:04:05 UTC`` (English names always)."""
    try:
        moment = _dt.datetime.fromtimestamp(unix, tz=_dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return str(unix)
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
        f"{moment.year:04d} {moment:%H:%M:%S} UTC"
    )


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


def render_revocations(app: App, result: RevocationList, *, what: str, as_json: bool) -> None:
    """``result`` as the table "Revoked <what>s for <label>" (``what``: "User" or "Account",
    the column of local names), or with ``--json`` as its report."""
    from pynsc.actions.revocations import ALL
    from pynsc.cli.table import Table

    if as_json:
        app.output.report(result.report, as_json=True)
        return
    table = Table(
        title=f"Revoked {what}s for {result.label}",
        headers=("Public Key", what, "Revoke Credentials Before"),
    )
    for entry in result.revocations:
        key = entry.public_key
        shown = f"{key} [All {what}s]" if key == ALL else key
        table.add(shown, entry.name or "", rfc1123(entry.at))
    app.output.table(table)
