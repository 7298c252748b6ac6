"""``pynsc expirations``: when the operator, accounts, users and creds files expire."""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass
from typing import Any

import click

from pynsc.claims import decode_creds
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.params import DATE_FORMATS, parse_date
from pynsc.cli.table import Table
from pynsc.errors import NscError
from pynsc.store.report import Report

_MINUTE, _HOUR, _DAY = 60, 3600, 86400
_WEEK, _MONTH = 7 * _DAY, 30 * _DAY
_YEAR = 12 * _MONTH
# go-humanize's default magnitudes: (below this many seconds, format, divide by)
_MAGNITUDES: tuple[tuple[float, str, int], ...] = (
    (1, "now", 1),
    (2, "1 second %s", 1),
    (_MINUTE, "%d seconds %s", 1),
    (2 * _MINUTE, "1 minute %s", 1),
    (_HOUR, "%d minutes %s", _MINUTE),
    (2 * _HOUR, "1 hour %s", 1),
    (_DAY, "%d hours %s", _HOUR),
    (2 * _DAY, "1 day %s", 1),
    (_WEEK, "%d days %s", _DAY),
    (2 * _WEEK, "1 week %s", 1),
    (_MONTH, "%d weeks %s", _WEEK),
    (2 * _MONTH, "1 month %s", 1),
    (_YEAR, "%d months %s", _MONTH),
    (18 * _MONTH, "1 year %s", 1),
    (2 * _YEAR, "2 years %s", 1),
    (37 * _YEAR, "%d years %s", _YEAR),
    (float("inf"), "a long while %s", 1),
)


def _rel_time(diff: int, label: str) -> str:
    for limit, text, divide in _MAGNITUDES:
        if diff < limit:
            if "%d" in text:
                return text.replace("%d", str(diff // divide), 1).replace("%s", label)
            return text.replace("%s", label)
    raise AssertionError("unreachable")  # pragma: no cover


def humanized_date(unix: int, now: int) -> str:
    """nsc's ``HumanizedDate``: ``In 4 Weeks``, ``2 Days Ago`` (title-cased go-humanize)."""
    if unix == 0:
        return ""
    text = _rel_time(now - unix, "ago") if now > unix else "in " + _rel_time(unix - now, "")
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def rfc3339(unix: int) -> str:
    return _dt.datetime.fromtimestamp(unix, tz=_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class _Row:
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


@command("expirations", short_help="Report what expires, and when.")
@click.option("-e", "--within", "within", metavar="DATE", default="1M", show_default=True,
              help=f"Mark what expires before this date: {DATE_FORMATS}.")
@click.option("--skip", is_flag=True, default=False,
              help="Show only what is expired or expires soon.")
@json_option
@pass_app
def expirations_command(app: App, *, within: str, skip: bool, as_json: bool) -> None:
    """Report the expiry of the operator, its accounts, their users and the users' creds files.

    --json prints {"expiration_threshold", "report": [{"resource", "id", "when", "expiry",
    "expiration_date", "expires_soon", "expired"}]} in "data".
    """
    now = int(time.time())
    threshold = parse_date(within, now)
    store = app.context.store()
    keystore = app.keystore
    operator = store.operator()

    def row(resource: str, key: str, expiry: int) -> _Row:
        return _Row(resource, key, expiry, now, threshold)

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
        data={
            "expiration_threshold": rfc3339(threshold),
            "report": [r.to_json() for r in rows],
        }
    )
    app.output.report(report, as_json=as_json)
    if as_json:
        return
    title = humanized_date(threshold, now) if threshold else "Never"
    table = Table(f"Expiration Report ({title})", headers=("Expired", "Resource", "Expiration"))
    for r in rows:
        state = "Yes" if r.expired else "Soon" if r.expires_soon else "No"
        expiration = f"{rfc3339(r.expiry)} - {r.when}" if r.expiry else r.when
        table.add(state, r.resource, expiration)
    app.output.table(table)
