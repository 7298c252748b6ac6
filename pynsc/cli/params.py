"""Parsers for flag values, as nsc reads them, and the permission flags every entity command shares.

Pure helpers: no printing, no store access. A value that cannot be parsed is a usage error,
:class:`click.BadParameter` (exit 2; click names the flag when the parser runs in a callback or
type); a name that breaks the store's rules is :class:`~pynsc.store.layout.InvalidNameError`
(exit 1, as in nsc). Times are Unix seconds; ``now`` is always a parameter.

* :func:`parse_date`: ``--start``/``--expiry``/``--within``: ``0``, dates, RFC3339, ``3d``, ``2M``.
* :func:`parse_number`: limits: ``-1``, ``1000``, ``10k``, ``1MiB``.
* :func:`parse_at`: revocation ``--at``: ``0`` (now), RFC3339 or Unix seconds.
* :func:`parse_duration`: Go durations (``--response-ttl 2ms``) in nanoseconds.
* :class:`DescribeView`: ``describe``'s ``-J/-R/-F/-W``.
* :class:`PermissionFlags`: nsc's ``[perm-set]``/``[perm-rm]`` (the library's
  ``PermissionChanges``).
* :func:`random_name` (for ``--name '*'``) and :func:`check_name`.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

import click

from pynsc.errors import UsageError

if TYPE_CHECKING:
    import random

    from pynsc.actions.user_changes import PermissionChanges as PermissionFlags
    from pynsc.claims import ClaimsData

__all__ = [
    "DATE_FORMATS",
    "DescribeView",
    "PermissionFlags",
    "TimeFlags",
    "check_name",
    "check_pub_subjects",
    "check_sub_subjects",
    "parse_at",
    "parse_date",
    "parse_duration",
    "parse_number",
    "random_name",
    "split_list",
]

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _quote(text: str) -> str:
    """``text`` as Go's ``%q`` shows it (nsc's messages quote values that way)."""
    from pynsc.claims.subjects import go_quote

    return go_quote(text)


# Dates -------------------------------------------------------------------------------------------

# Patterns are compiled on first use (``re`` caches them): most runs parse no date or number.
_DAY = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_CLOCK = r"([0-9]{2}):([0-9]{2}):([0-9]{2})"
_DATE = _DAY
_NSC_TIME = _DAY + " " + _CLOCK + " UTC"
_RFC3339 = _DAY + "[Tt]" + _CLOCK + r"(?:\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
_RELATIVE = r"([+-]?[0-9]+)([mhdwMy])"
_DECIMAL_RELATIVE = r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+)[mhdwMy]"

DATE_FORMATS = (
    "0 (unset), yyyy-mm-dd, 'yyyy-mm-dd hh:mm:ss UTC', RFC3339, or a time from now: "
    "#m(inutes), #h(ours), #d(ays), #w(eeks), #M(onths), #y(ears), e.g. 90m, 3d, -1w, 2M"
)


def _unix(moment: _dt.datetime) -> int:
    """Unix seconds of an aware datetime, floored as Go's ``Time.Unix``."""
    return (moment - _EPOCH) // _dt.timedelta(seconds=1)


def _utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> int:
    return _unix(_dt.datetime(year, month, day, hour, minute, second, tzinfo=_dt.timezone.utc))


def _offset(zone: str) -> _dt.timezone:
    if zone in ("Z", "z"):
        return _dt.timezone.utc
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    delta = _dt.timedelta(hours=hours, minutes=minutes)
    return _dt.timezone(-delta if zone[0] == "-" else delta)


def _parse_rfc3339(text: str) -> int | None:
    """Unix seconds of an RFC3339 time (``2024-05-01T12:00:00Z``), ``None`` if not that form.

    Raises :class:`ValueError` for one in that form with an impossible field.
    """
    match = re.fullmatch(_RFC3339, text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    zone = _offset(match.group(7))
    return _unix(_dt.datetime(year, month, day, hour, minute, second, tzinfo=zone))


def _add_months(moment: _dt.datetime, months: int) -> _dt.datetime:
    """Go's ``AddDate(0, months, 0)``: an overflowing day rolls into the next month
    (Jan 31 + 1M = Mar 3 or 2)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    first = moment.replace(year=year, month=month + 1, day=1)
    return first + _dt.timedelta(days=moment.day - 1)


def _relative(count: int, unit: str, now: int) -> int:
    if unit == "m":
        return now + count * 60
    if unit == "h":
        return now + count * 3600
    if unit in ("d", "w"):
        return now + count * 86400 * (7 if unit == "w" else 1)
    moment = _dt.datetime.fromtimestamp(now, tz=_dt.timezone.utc)
    return _unix(_add_months(moment, count * (12 if unit == "y" else 1)))


def parse_date(text: str, now: int) -> int:
    """A ``--start``/``--expiry``/``--within`` value as Unix seconds; 0 means unset.

    Accepted: ``""`` and ``0`` (unset); ``yyyy-mm-dd`` (UTC midnight); ``yyyy-mm-dd hh:mm:ss
    UTC`` (as pynsc prints dates); RFC3339; or a whole number of a unit from ``now``, negative
    allowed: ``m`` minutes, ``h`` hours, ``d`` days, ``w`` weeks, ``M`` months, ``y`` years
    (months and years are calendar steps in UTC; a count of 0 means unset, as in nsc).
    """
    value = text.strip()
    if value in ("", "0"):
        return 0
    try:
        if (match := re.fullmatch(_DATE, value) or re.fullmatch(_NSC_TIME, value)) is not None:
            return _utc(*(int(field) for field in match.groups()))
        if (unix := _parse_rfc3339(value)) is not None:
            return unix
        if (match := re.fullmatch(_RELATIVE, value)) is not None:
            count = _int64(match.group(1))
            if count is None:
                raise OverflowError("the count is out of range")
            unix = 0 if count == 0 else _relative(count, match.group(2), now)
            if not _INT64_MIN <= unix <= _INT64_MAX:
                raise OverflowError("the time is out of range")
            return unix
    except (ValueError, OverflowError) as e:
        raise click.BadParameter(f"{_quote(text)} is not a valid date: {e}") from e
    if re.fullmatch(_DECIMAL_RELATIVE, value):
        raise click.BadParameter(
            f"{_quote(text)} is invalid: decimals are not supported - "
            "use a whole number of a smaller unit (e.g. 36h, not 1.5d)"
        )
    raise click.BadParameter(f"{_quote(text)} is invalid: expected {DATE_FORMATS}")


def parse_at(text: str, now: int) -> int:
    """A revocation ``--at`` value as Unix seconds: ``0`` is ``now``; else RFC3339 or seconds."""
    value = text.strip()
    if value == "0":
        return now
    try:
        unix = _parse_rfc3339(value)
    except (ValueError, OverflowError):
        unix = None
    if unix is not None:
        return unix
    seconds = _int64(value)
    if seconds is not None:
        return seconds
    raise click.BadParameter(
        f"provided value {_quote(text)} is not a number nor parsable as RFC3339"
    )


_INTEGER = r"([+-]?)0*([0-9]+)"


def _int64(text: str) -> int | None:
    """``text`` as a signed 64-bit integer (``strconv.ParseInt``), else ``None``; a string of
    thousands of digits is refused by its length, never converted."""
    match = re.fullmatch(_INTEGER, text)
    if match is None or len(match.group(2)) > 19:
        return None
    value = int(match.group(1) + match.group(2))
    return value if _INT64_MIN <= value <= _INT64_MAX else None


class TimeFlags(NamedTuple):  # a NamedTuple: made in a tenth of a dataclass's start-up time
    """``--start``/``--expiry`` as given (``None`` when absent), parsed against a ``now``."""

    start: str | None = None
    expiry: str | None = None

    def start_at(self, now: int) -> int | None:
        """``nbf`` to set (0 clears it), or ``None`` to leave it as it is."""
        return None if self.start is None else parse_date(self.start, now)

    def expiry_at(self, now: int) -> int | None:
        """``exp`` to set (0 clears it), or ``None`` to leave it as it is."""
        return None if self.expiry is None else parse_date(self.expiry, now)

    def is_empty(self) -> bool:
        return self.start is None and self.expiry is None

    def apply(self, claims: ClaimsData, now: int) -> list[str]:
        """Set ``claims``' ``nbf`` and ``exp`` as given; a report line per change, in nsc's
        words for ``edit account`` and ``edit operator``."""
        from pynsc.cli.render import render_date

        changes = []
        start = self.start_at(now)
        if start is not None and start != claims.nbf:
            claims.nbf = start
            changes.append(
                f"changed jwt valid start to {render_date(start)}" if start
                else "changed jwt start to not have a start date"
            )
        expiry = self.expiry_at(now)
        if expiry is not None and expiry != claims.exp:
            claims.exp = expiry
            changes.append(
                f"changed jwt expiry to {render_date(expiry)}" if expiry
                else "changed jwt expiry to never expire"
            )
        return changes


# Numbers -----------------------------------------------------------------------------------------

_NUMBER = r"([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+) ?([A-Za-z]*)"
_UNITS: dict[str, int] = {"": 1, "b": 1}
for _power, _prefix in enumerate("kmgt", start=1):
    _UNITS[_prefix] = _UNITS[_prefix + "b"] = 1000**_power
    _UNITS[_prefix + "i"] = _UNITS[_prefix + "ib"] = 1024**_power
_UNIT_HELP = "k, m, g, t (x1000) or kib, mib, gib, tib (x1024)"
_EXACT_DIGITS = 100  # enough digits for any value that passes the length checks


def parse_number(text: str) -> int:
    """A limit flag value (``--data``, ``--js-mem-storage`` …) as an integer.

    Digits with an optional sign and an optional unit, case-insensitive, one space allowed
    before it: ``k``/``kb`` … ``t``/``tb`` are powers of 1000, ``ki``/``kib`` … ``ti``/``tib``
    powers of 1024, ``b`` is 1. A decimal is accepted only when the result is whole (``1.5k``).
    """
    value = text.strip()
    if not value:
        raise click.BadParameter("a number is required")
    match = re.fullmatch(_NUMBER, value)
    if match is None:
        raise click.BadParameter(
            f"{_quote(text)} is not a number - use digits, optionally followed by {_UNIT_HELP}"
        )
    sign, digits, unit = match.groups()
    multiplier = _UNITS.get(unit.lower())
    if multiplier is None:
        raise click.BadParameter(f"{_quote(text)} has an unknown unit - use {_UNIT_HELP}")
    whole, _, fraction = digits.partition(".")
    whole, fraction = whole.lstrip("0"), fraction.rstrip("0")
    if len(whole) > 20:  # beyond int64 before any unit
        raise click.BadParameter(f"{_quote(text)} is out of range")
    if len(fraction) > 40:  # times at most 2**40, a longer fraction is never whole
        raise click.BadParameter(f"{_quote(text)} is not a whole number")
    from decimal import Context, Decimal  # only here: most runs parse no number

    exact = Context(prec=_EXACT_DIGITS)
    amount = exact.multiply(Decimal(f"{whole or 0}.{fraction or 0}"), Decimal(multiplier))
    if amount != amount.to_integral_value():
        raise click.BadParameter(f"{_quote(text)} is not a whole number")
    result = -int(amount) if sign == "-" else int(amount)
    if not _INT64_MIN <= result <= _INT64_MAX:
        raise click.BadParameter(f"{_quote(text)} is out of range")
    return result


# Go durations ------------------------------------------------------------------------------------

_DURATION_UNITS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # micro sign
    "\u03bcs": 1_000,  # Greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_DURATION_PART = r"([0-9]*)(?:\.([0-9]*))?"
_DURATION_UNIT = r"[^.0-9]*"
_DIGITS = frozenset("0123456789")
_UINT63 = 1 << 63


def _leading_fraction(digits: str) -> str:
    """The digits of a fraction Go's ``leadingFraction`` keeps: as many as fit in an
    ``int64`` (the rest are read but dropped, so they cannot change the result)."""
    kept = digits[:19]
    return kept if int(kept or "0") <= _UINT63 else kept[:18]


def parse_duration(text: str) -> int:
    """Go's ``time.ParseDuration``, in nanoseconds: ``2ms``, ``1h30m``, ``1.5s``, ``-3us``, ``0``.

    Errors read as Go's: ``time: invalid duration "x"``, ``time: missing unit in duration "1"``,
    ``time: unknown unit "d" in duration "1d"``. Scanned left to right once: linear in ``text``.
    """
    position = 0
    negative = False
    if text[:1] in ("+", "-"):
        negative = text[0] == "-"
        position = 1
    if len(text) == position + 1 and text[position] == "0":
        return 0
    invalid = click.BadParameter(f"time: invalid duration {_quote(text)}")
    if position == len(text):
        raise invalid
    total = 0
    while position < len(text):
        if text[position] != "." and text[position] not in _DIGITS:
            raise invalid
        part = re.compile(_DURATION_PART).match(text, position)
        assert part is not None  # the pattern matches the empty string
        whole, fraction = part.group(1), part.group(2) or ""
        if not whole and not fraction:
            raise invalid
        unit_match = re.compile(_DURATION_UNIT).match(text, part.end())
        assert unit_match is not None  # the pattern matches the empty string
        unit = unit_match.group()
        position = unit_match.end()
        if not unit:
            raise click.BadParameter(f"time: missing unit in duration {_quote(text)}")
        scale = _DURATION_UNITS.get(unit)
        if scale is None:
            raise click.BadParameter(
                f"time: unknown unit {_quote(unit)} in duration {_quote(text)}"
            )
        whole = whole.lstrip("0")
        if len(whole) > 19 or int(whole or "0") > _UINT63:  # Go's leadingInt overflows
            raise invalid
        total += int(whole or "0") * scale
        fraction = _leading_fraction(fraction)
        if fraction:  # as Go computes it, in float64
            total += int(float(int(fraction)) * (float(scale) / float(10 ** len(fraction))))
        if total > _INT64_MAX + (1 if negative else 0):
            raise invalid
    return -total if negative else total


# describe ----------------------------------------------------------------------------------------


class DescribeView(NamedTuple):
    """How ``describe`` shows a JWT: a table by default, or JSON, the raw token, or one field
    (see :meth:`of` for the flags, which exclude each other)."""

    json: bool = False
    raw: bool = False
    field: str | None = None
    long_ids: bool = False

    @classmethod
    def of(cls, *, json: bool, raw: bool, field: str | None, long_ids: bool) -> DescribeView:
        """The view the flags ask for; more than one of ``--json``, ``--raw`` and ``--field``
        is a usage error."""
        views = (("--json", json), ("--raw", raw), ("--field", bool(field)))
        chosen = [name for name, on in views if on]
        if len(chosen) > 1:
            raise click.UsageError(f"{' and '.join(chosen)} are mutually exclusive")
        return cls(json=json, raw=raw, field=field, long_ids=long_ids)


# Permissions -------------------------------------------------------------------------------------


def split_list(values: Iterable[str]) -> tuple[str, ...]:
    """Values of a repeatable flag whose every value may also be a comma list (pflag's
    ``StringSlice``): ``("a,b", "c")`` is ``("a", "b", "c")``. Empty items are dropped;
    spaces are kept (a subscribe permission may be ``"subject queue"``)."""
    return tuple(item for value in values for item in value.split(",") if item)


def _usage(check: Callable[[Iterable[str]], None], subjects: Iterable[str]) -> None:
    try:
        check(subjects)
    except UsageError as e:
        raise click.BadParameter(e.message) from e


def check_pub_subjects(subjects: Iterable[str]) -> None:
    """The library's publish-subject check, as a usage error naming the flag."""
    from pynsc.actions import user_changes

    _usage(user_changes.check_pub_subjects, subjects)


def check_sub_subjects(subjects: Iterable[str]) -> None:
    """The library's subscribe-subject check, as a usage error naming the flag."""
    from pynsc.actions import user_changes

    _usage(user_changes.check_sub_subjects, subjects)


def __getattr__(name: str) -> object:
    # ``PermissionFlags``: nsc's [perm-set]/[perm-rm] flags are the library's
    # PermissionChanges, loaded on first use so that ``import pynsc.cli`` stays light
    if name == "PermissionFlags":
        from pynsc.actions.user_changes import PermissionChanges

        return PermissionChanges
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Names -------------------------------------------------------------------------------------------

def random_name(rng: random.Random | None = None) -> str:
    """A random ``adjective_surname`` name, e.g. ``brave_turing`` (for ``--name '*'``)."""
    from pynsc.names import random_name as pick

    return pick(rng)


def check_name(name: str, what: str) -> str:
    """``name`` trimmed, or :class:`~pynsc.store.layout.InvalidNameError` (exit 1):
    ``<what> name is required`` when empty, ``name cannot contain '/' or '\\'``."""
    from pynsc.store.layout import check_name as store_check_name

    return store_check_name(name, what)
