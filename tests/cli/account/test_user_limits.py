"""``pynsc.cli.user_limits``: the flags ``edit user`` and ``edit signing-key`` share."""

from __future__ import annotations

from typing import Any

import click
import pytest
from click.testing import CliRunner

from pynsc.claims import TimeRange, UserPermissionLimits
from pynsc.cli.base import command
from pynsc.cli.params import PermissionFlags
from pynsc.cli.user_limits import UserLimitFlags, apply_user_limits, user_limit_options


def _parse(*args: str) -> UserLimitFlags:
    seen: dict[str, Any] = {}

    @command("cmd")
    @click.argument("name", required=False)
    @user_limit_options
    def cmd(name: str | None, user_limits: UserLimitFlags) -> None:
        seen["flags"] = user_limits
        seen["name"] = name

    result = CliRunner().invoke(cmd, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    flags: UserLimitFlags = seen["flags"]
    return flags


def test_nothing_given() -> None:
    assert _parse().is_empty()
    assert not _parse("--locale", "UTC").is_empty()


def test_parsing() -> None:
    flags = _parse(
        "U", "--time", "16:04:05-17:04:09", "--time", "1:00:00-2:00:00", "--rm-time", "a,b",
        "--conn-type", "mqtt,Leafnode_WS", "--rm-conn-type", "websocket", "--subs", "-1",
        "--data", "1KiB", "--payload", "2k", "--bearer", "--source-network", "10.0.0.0/8",
    )
    assert flags.times == (("16:04:05", "17:04:09"), ("1:00:00", "2:00:00"))
    assert flags.rm_times == ("a", "b")
    assert flags.conn_types == ("MQTT", "LEAFNODE_WS")
    assert flags.rm_conn_types == ("WEBSOCKET",)
    assert (flags.subs, flags.data, flags.payload, flags.bearer) == (-1, 1024, 2000, True)
    assert flags.source_networks == ("10.0.0.0/8",)
    assert _parse("--bearer=false").bearer is False
    assert _parse("--bearer=false").perms == PermissionFlags()


def test_bearer_messages() -> None:  # 5.3 #31
    limits = UserPermissionLimits()
    assert apply_user_limits(limits, UserLimitFlags(bearer=True)) == ["changed bearer to true"]
    assert limits.bearer_token is True
    assert apply_user_limits(limits, UserLimitFlags(bearer=False)) == ["changed bearer to false"]
    assert apply_user_limits(limits, UserLimitFlags(bearer=False)) == [
        "ignoring change to bearer - value is already false"
    ]


def test_times_locale_and_conn_types() -> None:  # 5.3 #32
    limits = UserPermissionLimits()
    changes = apply_user_limits(limits, UserLimitFlags(
        times=(("16:04:05", "17:04:09"),), locale="America/New_York", conn_types=("MQTT",),
    ))  # fmt: skip
    assert changes == [
        "added connection type MQTT",
        'changed locale to "America/New_York"',
        "added time range 16:04:05-17:04:09",
    ]
    assert limits.times == [TimeRange(start="16:04:05", end="17:04:09")]
    assert limits.times_location == "America/New_York"
    assert limits.allowed_connection_types == ["MQTT"]
    assert apply_user_limits(limits, UserLimitFlags(rm_times=("16:04:05",))) == [
        "removed time range 16:04:05-17:04:09"
    ]
    assert limits.times == []


def test_limits_keep_what_is_not_given() -> None:
    limits = UserPermissionLimits(subs=3, data=4, payload=5)
    assert apply_user_limits(limits, UserLimitFlags(payload=9)) == ["changed max payload to 9"]
    assert (limits.subs, limits.data, limits.payload) == (3, 4, 9)
    assert apply_user_limits(limits, UserLimitFlags(data=1, subs=2)) == [
        "changed max data to 1",
        "changed max number of subs to 2",
    ]


def test_source_networks_sorted_and_deduplicated() -> None:
    limits = UserPermissionLimits(src=["192.0.2.0/24"])
    apply_user_limits(limits, UserLimitFlags(source_networks=("10.0.0.0/8", "192.0.2.0/24")))
    assert limits.src == ["10.0.0.0/8", "192.0.2.0/24"]


def test_permissions_are_applied() -> None:
    limits = UserPermissionLimits()
    changes = apply_user_limits(limits, UserLimitFlags(perms=PermissionFlags(allow_pub=("a",))))
    assert changes == ['added pub "a"']
    assert limits.pub.allow == ["a"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--conn-type", "hello"], "unknown connection type hello"),
        (["--time", "16:04:05-1"], 'could not parse end time "1"'),
        (["--locale", "../etc"], "invalid location name"),
        (["--data", "1.5"], "not a whole number"),
    ],
)
def test_bad_values(args: list[str], message: str) -> None:
    @command("cmd")
    @user_limit_options
    def cmd(user_limits: UserLimitFlags) -> None:
        raise AssertionError("not reached")

    result = CliRunner().invoke(cmd, args)
    assert result.exit_code == 2
    assert message in result.output
