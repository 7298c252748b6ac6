"""Values as nsc words them in its messages and tables: dates, byte sizes, Go durations.

Pure functions, used by the actions (report lines) and the CLI (tables) alike.
"""

from __future__ import annotations

import datetime as _dt
import math
import os

__all__ = [
    "display_path",
    "go_duration",
    "human_bytes",
    "humanized_date",
    "render_date",
    "rfc3339",
]


def render_date(unix: int) -> str:
    """``YYYY-MM-DD HH:MM:SS UTC``; 0 (unset) is empty."""
    if unix <= 0:
        return ""
    try:
        moment = _dt.datetime.fromtimestamp(unix, tz=_dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return str(unix)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


_SI = ("B", "kB", "MB", "GB", "TB", "PB", "EB")


def human_bytes(size: int) -> str:
    """SI size as go-humanize's ``Bytes`` prints it: ``9 B``, ``1.0 kB``, ``12 MB``."""
    if size < 10:
        return f"{size} B"
    exponent = min(math.floor(math.log(size) / math.log(1000)), len(_SI) - 1)
    value = math.floor(size / 1000**exponent * 10 + 0.5) / 10
    return f"{value:.1f} {_SI[exponent]}" if value < 10 else f"{value:.0f} {_SI[exponent]}"


def go_duration(nanoseconds: int) -> str:
    """A duration as Go's ``time.Duration.String``: ``0s``, ``1.5ms``, ``2m0s``, ``1h0m0.5s``."""
    if nanoseconds == 0:
        return "0s"
    sign = "-" if nanoseconds < 0 else ""
    ns = abs(nanoseconds)
    if ns < 1_000:
        return f"{sign}{ns}ns"
    if ns < 1_000_000:
        return f"{sign}{_decimal(ns, 1_000)}µs"
    if ns < 1_000_000_000:
        return f"{sign}{_decimal(ns, 1_000_000)}ms"
    hours, rest = divmod(ns, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    seconds = f"{_decimal(rest, 1_000_000_000)}s"
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    if minutes:
        return f"{sign}{minutes}m{seconds}"
    return f"{sign}{seconds}"


def _decimal(value: int, unit: int) -> str:
    whole, frac = divmod(value, unit)
    if not frac:
        return str(whole)
    digits = str(frac).rjust(len(str(unit)) - 1, "0").rstrip("0")
    return f"{whole}.{digits}"


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` in backticks, with the home directory shown as ``~`` (as nsc shows paths)."""
    text = os.fspath(path)
    home = os.environ.get("HOME")
    if not home:
        from pathlib import Path

        home = str(Path.home())
    if home and home != "/" and (text == home or text.startswith(home.rstrip("/") + "/")):
        text = "~" + text[len(home.rstrip("/")) :]
    return f"`{text}`"


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
    """nsc's ``HumanizedDate``: ``In 4 Weeks``, ``2 Days Ago`` (title-cased go-humanize);
    0 (never) is empty."""
    if unix == 0:
        return ""
    text = _rel_time(now - unix, "ago") if now > unix else "in " + _rel_time(unix - now, "")
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def rfc3339(unix: int) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    return _dt.datetime.fromtimestamp(unix, tz=_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
