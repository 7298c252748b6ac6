"""Building blocks of the entity commands: flag-value parsers (``pynsc.cli.params``), the shared
option decorators (``pynsc.cli.options``) and ``Output.report``."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import (
    account_option,
    name_option,
    permission_options,
    permission_set_options,
    time_options,
    user_option,
)
from pynsc.cli.output import Output
from pynsc.cli.params import (
    PermissionFlags,
    TimeFlags,
    check_name,
    parse_at,
    parse_date,
    parse_duration,
    parse_number,
    random_name,
    split_list,
)
from pynsc.errors import NscError
from pynsc.store.report import Level, Report

NOW = 1_700_000_000  # 2023-11-14 22:13:20 UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    moment = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.timezone.utc)
    return int(moment.timestamp())


def bad_parameter(fn: Any, *args: Any) -> str:
    with pytest.raises(click.BadParameter) as caught:
        fn(*args)
    return caught.value.message


# parse_date --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("", NOW, 0),
        ("0", NOW, 0),
        (" 0 ", NOW, 0),
        ("2019-01-06", NOW, utc(2019, 1, 6)),
        ("2018-01-01", NOW, 1514764800),
        ("2050-01-01", NOW, 2524608000),
        ("2019-01-06 10:11:12 UTC", NOW, utc(2019, 1, 6, 10, 11, 12)),
        ("2019-01-06T10:11:12Z", NOW, utc(2019, 1, 6, 10, 11, 12)),
        ("2019-01-06t10:11:12z", NOW, utc(2019, 1, 6, 10, 11, 12)),
        ("2019-01-06T10:11:12.999+01:00", NOW, utc(2019, 1, 6, 9, 11, 12)),
        ("2019-01-06T10:11:12-05:30", NOW, utc(2019, 1, 6, 15, 41, 12)),
        ("1m", NOW, NOW + 60),
        ("32m", NOW, NOW + 32 * 60),
        ("1h", NOW, NOW + 3600),
        ("-1h", NOW, NOW - 3600),
        ("+2h", NOW, NOW + 7200),
        ("3d", NOW, NOW + 3 * 86400),
        ("-3d", NOW, NOW - 3 * 86400),
        ("1w", NOW, NOW + 7 * 86400),
        ("3w", NOW, NOW + 21 * 86400),
        ("2M", NOW, utc(2024, 1, 14, 22, 13, 20)),
        ("-11M", NOW, utc(2022, 12, 14, 22, 13, 20)),
        ("2y", NOW, utc(2025, 11, 14, 22, 13, 20)),
        ("0d", NOW, 0),  # as nsc: a zero count means unset
        ("0M", NOW, 0),
        # Go's AddDate normalizes an overflowing day into the next month
        ("1M", utc(2024, 1, 31), utc(2024, 3, 2)),
        ("1M", utc(2023, 1, 31, 5), utc(2023, 3, 3, 5)),
        ("-1M", utc(2024, 3, 31), utc(2024, 3, 2)),
        ("1y", utc(2024, 2, 29), utc(2025, 3, 1)),
        ("4y", utc(2024, 2, 29), utc(2028, 2, 29)),
    ],
)
def test_parse_date(text: str, now: int, expected: int) -> None:
    assert parse_date(text, now) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2.5d", '"2.5d" is invalid: decimals are not supported - use a whole number of a '
                 "smaller unit (e.g. 36h, not 1.5d)"),
        ("1.d", "decimals are not supported"),
        (".5h", "decimals are not supported"),
        ("-0.5y", "decimals are not supported"),
        ("19-1-6", '"19-1-6" is invalid: expected 0 (unset), yyyy-mm-dd, '),
        ("2019-1-6", "is invalid: expected"),
        ("2019-01-6", "is invalid: expected"),
        ("2019-01-06x", "is invalid: expected"),
        ("2019-01-06 10:11:12", "is invalid: expected"),
        ("3x", "is invalid: expected"),
        ("3D", "is invalid: expected"),
        ("d", "is invalid: expected"),
        ("soon", '"soon" is invalid: expected'),
        ("2019-02-30", '"2019-02-30" is not a valid date: day is out of range for month'),
        ("2019-13-01", '"2019-13-01" is not a valid date: month must be in 1..12'),
        ("2019-01-06T25:00:00Z", "is not a valid date: hour must be in 0..23"),
        ("99999999y", '"99999999y" is not a valid date: '),
    ],
)  # fmt: skip
def test_parse_date_errors(text: str, message: str) -> None:
    assert message in bad_parameter(parse_date, text, NOW)


# parse_number ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("1000", 1000),
        ("-1", -1),
        ("+5", 5),
        (" 42 ", 42),
        ("1b", 1),
        ("10k", 10_000),
        ("10K", 10_000),
        ("10kb", 10_000),
        ("10KB", 10_000),
        ("2m", 2_000_000),
        ("2MB", 2_000_000),
        ("3g", 3_000_000_000),
        ("1t", 1_000_000_000_000),
        ("1ki", 1024),
        ("1KiB", 1024),
        ("2mib", 2 * 1024**2),
        ("1GiB", 1024**3),
        ("1tib", 1024**4),
        ("-1k", -1000),
        ("1.5k", 1500),
        ("0.5KiB", 512),
        ("2 MB", 2_000_000),
        ("9223372036854775807", (1 << 63) - 1),
        ("-9223372036854775808", -(1 << 63)),
    ],
)
def test_parse_number(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a number is required"),
        ("   ", "a number is required"),
        ("abc", '"abc" is not a number - use digits, optionally followed by k, m, g, t (x1000) '
                "or kib, mib, gib, tib (x1024)"),
        ("1,000", "is not a number"),
        ("1 000", "is not a number"),
        ("k", "is not a number"),
        ("--1", "is not a number"),
        ("1x", '"1x" has an unknown unit - use k, m, g, t (x1000) or kib, mib, gib, tib (x1024)'),
        ("1pb", "has an unknown unit"),
        ("1.5", '"1.5" is not a whole number'),
        ("1.0001k", "is not a whole number"),
        ("9223372036854775808", '"9223372036854775808" is out of range'),
        ("10000000t", "is out of range"),
    ],
)  # fmt: skip
def test_parse_number_errors(text: str, message: str) -> None:
    assert message in bad_parameter(parse_number, text)


# parse_at ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", NOW),
        (" 0", NOW),
        ("1000", 1000),
        ("-5", -5),
        (str(NOW + 1), NOW + 1),
        ("2019-01-06T10:11:12Z", utc(2019, 1, 6, 10, 11, 12)),
        ("2019-01-06T10:11:12+02:00", utc(2019, 1, 6, 8, 11, 12)),
    ],
)
def test_parse_at(text: str, expected: int) -> None:
    assert parse_at(text, NOW) == expected


@pytest.mark.parametrize(
    "text", ["hello", "", "1.5", "2019-01-06", "2019-02-30T00:00:00Z", "99999999999999999999"]
)
def test_parse_at_errors(text: str) -> None:
    assert bad_parameter(parse_at, text, NOW) == (
        f'provided value "{text}" is not a number nor parsable as RFC3339'
    )


# parse_duration ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("-0", 0),
        ("2ms", 2_000_000),
        ("1s", 1_000_000_000),
        ("500us", 500_000),
        ("500\u00b5s", 500_000),
        ("500\u03bcs", 500_000),
        ("7ns", 7),
        ("1h30m", 5_400_000_000_000),
        ("1m0.5s", 60_500_000_000),
        ("1.5s", 1_500_000_000),
        (".5s", 500_000_000),
        ("1.s", 1_000_000_000),
        ("-3us", -3_000),
        ("+2h", 7_200_000_000_000),
        ("0s", 0),
        ("1.0000000009s", 1_000_000_000),  # beyond nanoseconds is truncated
        ("2562047h47m16.854775807s", (1 << 63) - 1),
        ("-2562047h47m16.854775808s", -(1 << 63)),
    ],
)
def test_parse_duration(text: str, expected: int) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'time: invalid duration ""'),
        ("-", 'time: invalid duration "-"'),
        (".", 'time: invalid duration "."'),
        ("s", 'time: invalid duration "s"'),
        ("1", 'time: missing unit in duration "1"'),
        ("1h2", 'time: missing unit in duration "1h2"'),
        ("1d", 'time: unknown unit "d" in duration "1d"'),
        ("1 s", 'time: unknown unit " s" in duration "1 s"'),
        ("1S", 'time: unknown unit "S" in duration "1S"'),
        ("2562047h47m16.854775808s", 'time: invalid duration "2562047h47m16.854775808s"'),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    assert bad_parameter(parse_duration, text) == message


# Names -------------------------------------------------------------------------------------------


def test_random_name_is_adjective_underscore_surname() -> None:
    names = {random_name() for _ in range(50)}
    assert all(re.fullmatch("[a-z]+_[a-z]+", name) for name in names)
    assert len(names) > 1


def test_random_name_with_a_seeded_rng_is_reproducible() -> None:
    assert random_name(random.Random(7)) == random_name(random.Random(7))


@pytest.mark.parametrize(("name", "expected"), [("A", "A"), (" spaced ", "spaced"), ("a.b", "a.b")])
def test_check_name(name: str, expected: str) -> None:
    assert check_name(name, "account") == expected


@pytest.mark.parametrize(
    ("name", "what", "message"),
    [
        ("", "account", "account name is required"),
        ("  ", "user", "user name is required"),
        ("A/B", "account", "name cannot contain '/' or '\\'"),
        ("A\\B", "operator", "name cannot contain '/' or '\\'"),
    ],
)
def test_check_name_errors(name: str, what: str, message: str) -> None:
    with pytest.raises(NscError) as caught:
        check_name(name, what)
    assert caught.value.message == message
    assert caught.value.exit_code == 1


# Permissions -------------------------------------------------------------------------------------


def test_split_list() -> None:
    assert split_list(("a,b", "c", "", "foo queue,,d")) == ("a", "b", "c", "foo queue", "d")


def test_time_flags() -> None:
    assert TimeFlags().is_empty()
    times = TimeFlags(start="2019-01-06", expiry="1h")
    assert not times.is_empty()
    assert times.start_at(NOW) == utc(2019, 1, 6)
    assert times.expiry_at(NOW) == NOW + 3600
    assert TimeFlags(start="0").start_at(NOW) == 0
    assert TimeFlags().start_at(NOW) is None
    assert TimeFlags().expiry_at(NOW) is None


# Option decorators -------------------------------------------------------------------------------


def _probe(*decorators: Any) -> tuple[click.Command, dict[str, Any]]:
    """A command with the given decorators that records what it receives."""
    seen: dict[str, Any] = {}

    def body(app: App, **kwargs: Any) -> None:
        seen.update(kwargs, settings=dict(app.settings))

    f: Any = pass_app(body)
    for decorate in reversed(decorators):
        f = decorate(f)
    return command("probe")(f), seen


def _run(cmd: click.Command, *args: str) -> Result:
    return CliRunner().invoke(cmd, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("args", "name"),
    [((), None), (("A",), "A"), (("-n", "A"), "A"), (("--name", "A", "A"), "A")],
)
def test_name_option(args: tuple[str, ...], name: str | None) -> None:
    cmd, seen = _probe(name_option("account"))
    result = _run(cmd, *args)
    assert result.exit_code == 0, result.output
    assert seen["name"] == name


def test_name_option_refuses_two_different_names() -> None:
    cmd, _ = _probe(name_option("account"))
    result = _run(cmd, "-n", "A", "B")
    assert result.exit_code == 2
    assert "the account name is given twice, as --name 'A' and as NAME 'B'" in result.stderr
    assert _run(cmd, "A", "B").exit_code == 2


def test_account_option_records_the_context_account() -> None:
    cmd, seen = _probe(account_option)
    assert _run(cmd, "-a", "A").exit_code == 0
    assert seen["account"] == "A"
    assert seen["settings"]["context_account"] == "A"
    assert _run(cmd, "--account", "ADKEY").exit_code == 0
    assert seen["account"] == "ADKEY"
    assert _run(cmd).exit_code == 0
    assert seen["account"] is None


def test_account_option_replaces_the_global_account_flag() -> None:
    cmd, _ = _probe(account_option)
    assert sum(p.name == "context_account" for p in cmd.params) == 1
    assert _run(cmd, "--help").stdout.count("--account") == 1


def test_user_option() -> None:
    cmd, seen = _probe(user_option)
    assert _run(cmd, "-u", "U").exit_code == 0
    assert seen["user"] == "U"


def test_time_options() -> None:
    cmd, seen = _probe(time_options)
    assert _run(cmd).exit_code == 0
    assert seen["times"] == TimeFlags()
    assert _run(cmd, "--start", "2018-01-01", "--expiry", "2M").exit_code == 0
    assert seen["times"] == TimeFlags(start="2018-01-01", expiry="2M")


def test_time_options_reject_bad_dates_naming_the_flag() -> None:
    cmd, _ = _probe(time_options)
    result = _run(cmd, "--expiry", "1.5d")
    assert result.exit_code == 2
    assert "Invalid value for '--expiry': \"1.5d\" is invalid: decimals" in result.stderr


def test_permission_options_collect_flags() -> None:
    cmd, seen = _probe(permission_options)
    args = ["--allow-pub", "a,b", "--allow-pubsub", "c", "--deny-pub", "foo",
            "--deny-pubsub", "bar", "--allow-sub", "q1 queue", "--allow-sub", "q2",
            "--deny-sub", "d", "--rm", "x,y", "--rm", "z"]  # fmt: skip
    assert _run(cmd, *args).exit_code == 0
    assert seen["perms"] == PermissionFlags(
        allow_pub=("a", "b"),
        allow_pubsub=("c",),
        deny_pub=("foo",),
        deny_pubsub=("bar",),
        allow_sub=("q1 queue", "q2"),
        deny_sub=("d",),
        remove=("x", "y", "z"),
    )


@pytest.mark.parametrize(
    ("args", "max_", "ttl"),
    [
        (("--allow-pub-response", "--response-ttl", "2ms"), 1, 2_000_000),
        (("--allow-pub-response",), 1, None),
        (("--allow-pub-response=5",), 5, None),
        (("--max-responses", "100"), 100, None),
        (("--response-ttl", "1m"), None, 60_000_000_000),
        ((), None, None),
    ],
)
def test_permission_options_response(
    args: tuple[str, ...], max_: int | None, ttl: int | None
) -> None:
    cmd, seen = _probe(permission_set_options)
    result = _run(cmd, *args)
    assert result.exit_code == 0, result.output
    assert seen["perms"].response_max == max_
    assert seen["perms"].response_ttl == ttl


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--deny-pub", "foo queue"), "Invalid value for '--deny-pub': publish permission "
                                      'subject "foo queue" contains illegal space'),
        (("--allow-sub", "foo queue doo"), "Invalid value for '--allow-sub': subscribe "
                                           'permission subject "foo queue doo" can at most '
                                           "contain one space"),
        (("--response-ttl", "1d"), "Invalid value for '--response-ttl': time: unknown unit"),
        (("--allow-pub-response=x",), "Invalid value for '--allow-pub-response'"),
        (("--rm-response-perms", "--allow-pub-response"), "--rm-response-perms cannot"),
    ],
)  # fmt: skip
def test_permission_options_usage_errors(args: tuple[str, ...], message: str) -> None:
    cmd, _ = _probe(permission_options)
    result = _run(cmd, *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_permission_set_options_have_no_remove_flags() -> None:
    cmd, _ = _probe(permission_set_options)
    assert _run(cmd, "--rm", "x").exit_code == 2
    assert _run(cmd, "--rm-response-perms").exit_code == 2
    help_text = _run(cmd, "--help").stdout
    assert "--allow-pubsub" in help_text
    assert "--max-responses" not in help_text  # hidden


# Output.report -----------------------------------------------------------------------------------


def _sample() -> Report:
    report = Report(summarize=True)
    report.ok('added account "A"')
    job = report.add(Report("push"))
    job.warn("accepted")
    job.add_server_message("pending review")
    return report


def test_report_text_goes_to_stderr_and_data_to_stdout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = _sample()
    report.data = "-----BEGIN NATS ACCOUNT JWT-----\neyJ...\n------END NATS ACCOUNT JWT------\n"
    Output().report(report, as_json=False)
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        '[ OK ] added account "A"',
        "[WARN] push:",
        "       [WARN] accepted",
        "       > pending review",
        "1 job succeeded - 1 have warnings",
    ]
    assert captured.out == report.data


def test_report_adds_a_newline_to_text_data_and_ignores_structured_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = Report(data="eyJ.token")
    report.ok("done")
    Output().report(report, as_json=False)
    assert capsys.readouterr().out == "eyJ.token\n"
    report.data = {"a": 1}
    Output().report(report, as_json=False)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "[ OK ] done\n"


def test_report_with_errors_prints_no_summary(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report(summarize=True)
    report.ok("one")
    report.error("two [bold]x[/bold]")
    Output().report(report, as_json=False)
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["[ OK ] one", "[ERR ] two [bold]x[/bold]"]
    assert captured.out == ""


def test_report_as_json_is_stdout_only(capsys: pytest.CaptureFixture[str]) -> None:
    report = _sample()
    report.data = {"name": "A", "é": "<&>"}
    Output().report(report, as_json=True)
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    decoded = json.loads(captured.out)
    assert decoded["ok"] is True
    assert decoded["messages"][0] == {"level": "ok", "text": 'added account "A"'}
    assert decoded["data"] == {"name": "A", "é": "<&>"}


def test_report_levels_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report()
    for level in Level:
        report.entry(level, level.name)
    Output().report(report, as_json=True)
    decoded = json.loads(capsys.readouterr().out)
    assert decoded["ok"] is False
    assert [m["level"] for m in decoded["messages"]] == ["ok", "warning", "error"]
