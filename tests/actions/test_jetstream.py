"""The JetStream rules, at the library level: global versus tiered limits, enabling, removing,
disabling, and no JetStream on the system account (no CLI involved)."""

from __future__ import annotations

import re

import pytest

from pynsc.actions.accounts import AccountChanges, edit_account
from pynsc.actions.jetstream import (
    JetStreamChanges,
    apply_jetstream,
    check_jetstream,
    check_system_account,
    has_jetstream_limits,
)
from pynsc.claims import JetStreamLimits, OperatorLimits
from pynsc.errors import StoreError, UsageError

from .builders import Deployment, deployment


def _edit(d: Deployment, account: str = "A", **changes: object) -> list[str]:
    result = edit_account(d.nsc, account, AccountChanges(jetstream=JetStreamChanges(**changes)))
    return result.report.lines()


def _limits(d: Deployment, account: str = "A") -> OperatorLimits:
    return d.nsc.store().account(account).nats.limits


# Changes that exclude each other --------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rm_tier": 0, "streams": 1}, "rm-js-tier is exclusive of all other js options"),
        ({"rm_tier": 1, "enable": 1}, "rm-js-tier is exclusive of all other js options"),
        ({"disable": True, "rm_tier": 1}, "js-disable is exclusive of all other js options"),
        ({"disable": True, "tier": 2}, "js-disable is exclusive of all other js options"),
        ({"enable": 1, "disk_storage": 2}, "js-enable is exclusive of all other js options"),
        ({"tier": -1}, "a tier is 0 (global) or a replication factor"),
    ],
)
def test_changes_that_exclude_each_other(changes: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        JetStreamChanges(**changes)  # type: ignore[arg-type]


# Global versus tiered -------------------------------------------------------------------------


def test_global_limits_start_from_nsc_defaults() -> None:
    d = deployment()
    assert _edit(d, streams=5, disk_storage=10)[:2] == [
        "[ OK ] changed global max streams to 5",
        "[ OK ] changed global max disk storage to 10",
    ]
    assert _limits(d).jetstream == JetStreamLimits(
        streams=5, disk_storage=10, consumer=-1, mem_max_stream_bytes=-1,
        disk_max_stream_bytes=-1, max_ack_pending=-1,
    )  # fmt: skip


def test_global_prevents_tiered() -> None:
    d = deployment()
    _edit(d, streams=5, disk_storage=10)
    with pytest.raises(StoreError, match="cannot set a jetstream tier limit when a "
                                         "configuration has a global limit"):  # fmt: skip
        _edit(d, tier=2, disk_storage=10)
    with pytest.raises(StoreError, match="tier limit when a configuration has a global"):
        _edit(d, enable=1)


def test_tiered_prevents_global_but_not_other_edits() -> None:
    d = deployment()
    assert _edit(d, tier=2, streams=5)[0] == "[ OK ] changed R2 max streams to 5"
    assert _limits(d).tiered_limits["R2"].streams == 5
    with pytest.raises(StoreError, match="global limit when a configuration has tiered "
                                         "limits 'R2'"):  # fmt: skip
        _edit(d, disk_storage=10)
    edit_account(d.nsc, "A", AccountChanges(tags=("x",)))


def test_both_global_and_tiered_must_be_fixed_first() -> None:
    limits = OperatorLimits(disk_storage=1, tiered_limits={"R1": JetStreamLimits(streams=1)})
    with pytest.raises(StoreError, match="cannot contain both global and tiered limits 'R1'"):
        check_jetstream(JetStreamChanges(tier=1, streams=2), limits, is_system=False)
    check_jetstream(JetStreamChanges(rm_tier=0), limits, is_system=False)
    check_jetstream(JetStreamChanges(disable=True), limits, is_system=False)


def test_tiers_edit_and_remove() -> None:
    d = deployment()
    _edit(d, tier=1, disk_storage=1000)
    _edit(d, tier=3, mem_storage=10)
    _edit(d, tier=1, streams=4)
    tiers = _limits(d).tiered_limits
    assert (tiers["R1"].disk_storage, tiers["R1"].streams, tiers["R3"].mem_storage) == (
        1000, 4, 10
    )  # fmt: skip
    with pytest.raises(StoreError, match="account doesn't have tier R2 limit"):
        _edit(d, rm_tier=2)
    assert _edit(d, rm_tier=1)[0] == "[ OK ] deleted tier limit R1"
    assert list(_limits(d).tiered_limits) == ["R3"]


def test_rm_tier_without_tiers() -> None:
    d = deployment()
    with pytest.raises(StoreError, match="account doesn't have tier limits"):
        _edit(d, rm_tier=1)
    assert _edit(d, rm_tier=0)[0] == "[ OK ] deleted global limit"


def test_enable_once() -> None:
    d = deployment()
    assert _edit(d, enable=0)[0] == "[ OK ] enabled global limit"
    assert _limits(d).jetstream == JetStreamLimits(disk_storage=-1, mem_storage=-1)
    with pytest.raises(StoreError, match="jetstream tier global is already enabled"):
        _edit(d, enable=0)


def test_enable_tier_once() -> None:
    d = deployment()
    assert _edit(d, enable=2)[0] == "[ OK ] enabled tier limit R2"
    with pytest.raises(StoreError, match="jetstream tier R2 is already enabled"):
        _edit(d, enable=2)


def test_disable_deletes_every_limit() -> None:
    d = deployment()
    _edit(d, tier=1, disk_storage=5)
    _edit(d, tier=3, disk_storage=5)
    assert _edit(d, disable=True)[:3] == [
        "[ OK ] deleted global limit",
        "[ OK ] deleted tier limit R1",
        "[ OK ] deleted tier limit R3",
    ]
    assert not has_jetstream_limits(_limits(d))


def test_no_changes_leave_jetstream_alone() -> None:
    limits = OperatorLimits(streams=3)
    assert apply_jetstream(limits, JetStreamChanges()) == []
    assert limits.streams == 3


def test_max_bytes_required() -> None:
    d = deployment()
    assert _edit(d, max_bytes_required=True)[0] == (
        "[ OK ] changed global max bytes required to true"
    )
    assert _limits(d).max_bytes_required is True


# The system account ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "flags"),
    [
        ({"tier": 1, "streams": 1}, "--js-tier --js-streams"),
        ({"disk_storage": 1, "max_ack_pending": 2}, "--js-disk-storage --js-max-ack-pending"),
        ({"max_bytes_required": True}, "--js-max-bytes-required"),
        ({"enable": 0}, "--js-enable"),
    ],
)
def test_system_account_gets_no_jetstream(changes: dict[str, object], flags: str) -> None:
    d = deployment()
    with pytest.raises(StoreError) as error:
        _edit(d, "SYS", **changes)
    assert error.value.message == (
        "system account cannot have jetstream related settings - please rerun without: "
        + flags
    )


def test_system_account_other_edits_and_disable() -> None:
    d = deployment()
    _edit(d, "SYS", disable=True)
    edit_account(d.nsc, "SYS", AccountChanges(tags=("x",)))


def test_system_account_with_tiers_can_only_disable() -> None:
    limits = OperatorLimits(tiered_limits={"R1": JetStreamLimits(disk_storage=-1)})
    with pytest.raises(StoreError, match="please rerun with --js-disable"):
        check_jetstream(JetStreamChanges(), limits, is_system=True)
    check_jetstream(JetStreamChanges(disable=True), limits, is_system=True)


def test_an_account_with_jetstream_cannot_become_the_system_account() -> None:
    check_system_account("A", OperatorLimits())
    with pytest.raises(StoreError, match="cannot have tiered JetStream limits - run "
                                         '"pynsc edit account A --js-disable" first'):  # fmt: skip
        check_system_account("A", OperatorLimits(tiered_limits={"R1": JetStreamLimits()}))
    with pytest.raises(StoreError, match="system accounts cannot have JetStream limits"):
        check_system_account("A", OperatorLimits(max_bytes_required=True))
