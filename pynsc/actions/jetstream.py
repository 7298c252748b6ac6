"""An account's JetStream limits: global (tier 0) or per replication tier (``R1``, ``R3`` …),
removing a tier, enabling one, disabling JetStream; and the system account, which has none.

The rules, all here and nowhere else:

* ``rm_tier``, ``enable`` and ``disable`` each exclude every other JetStream change, and a tier
  is 0 (global) or a replication factor (:class:`JetStreamChanges` checks when made);
* global and tiered limits exclude each other;
* the operator's system account gets no JetStream: an edit may only disable it
  (:func:`check_jetstream`), and an account with JetStream limits cannot become the system
  account (:func:`check_system_account`);
* limits of a tier that has none yet start from nsc's defaults (storage 0, the rest -1);
* changes that set nothing leave the JetStream limits alone (nsc rewrites them on every edit).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pynsc.claims import JetStreamLimits, OperatorLimits
from pynsc.errors import StoreError, UsageError

__all__ = [
    "JS_VALUES",
    "JetStreamChanges",
    "apply_jetstream",
    "check_jetstream",
    "check_system_account",
    "check_tier",
    "has_jetstream_limits",
    "limits_set",
    "tier_label",
]

JS_VALUES = (
    ("--js-streams", "streams", "max streams"),
    ("--js-consumer", "consumer", "max consumer"),
    ("--js-mem-storage", "mem_storage", "max mem storage"),
    ("--js-max-mem-stream", "mem_max_stream_bytes", "max memory stream"),
    ("--js-disk-storage", "disk_storage", "max disk storage"),
    ("--js-max-disk-stream", "disk_max_stream_bytes", "max disk stream"),
    ("--js-max-ack-pending", "max_ack_pending", "max ack pending"),
)
"""(nsc's flag, :class:`JetStreamChanges` field, what the report calls it), in nsc's order."""


def check_tier(tier: int | None) -> int | None:
    """A tier is 0 (global) or a replication factor; ``None`` (not given) passes."""
    if tier is not None and tier < 0:
        raise UsageError("a tier is 0 (global) or a replication factor")
    return tier


def tier_label(tier: int) -> str:
    """``R<n>`` for a replication tier, ``global`` for 0."""
    return f"R{tier}" if tier > 0 else "global"


@dataclass(frozen=True, slots=True)
class JetStreamChanges:
    """What to do to an account's JetStream limits; ``None`` keeps a value.

    ``tier`` picks the limits the values go to (0 or ``None``: the global ones). ``rm_tier``
    deletes a tier's limits, ``enable`` enables a tier with unlimited storage, ``disable``
    deletes every JetStream limit; each excludes the other changes. Sizes are bytes, ``-1``
    unlimited.
    """

    tier: int | None = None
    rm_tier: int | None = None
    enable: int | None = None
    disable: bool = False
    streams: int | None = None
    consumer: int | None = None
    mem_storage: int | None = None
    mem_max_stream_bytes: int | None = None
    disk_storage: int | None = None
    disk_max_stream_bytes: int | None = None
    max_ack_pending: int | None = None
    max_bytes_required: bool | None = None

    def __post_init__(self) -> None:
        for tier in (self.tier, self.rm_tier, self.enable):
            check_tier(tier)
        set_flags = self.set_flags()
        if self.rm_tier is not None and (set_flags or self.enable is not None):
            raise UsageError("rm-js-tier is exclusive of all other js options")
        if self.disable and (set_flags or self.rm_tier is not None or self.enable is not None):
            raise UsageError("js-disable is exclusive of all other js options")
        if self.enable is not None and set_flags:
            raise UsageError("js-enable is exclusive of all other js options")

    def is_empty(self) -> bool:
        """Whether nothing is to change."""
        return self == JetStreamChanges()

    def set_flags(self) -> list[str]:
        """nsc's flags for the changes that set limits (``--js-tier`` included)."""
        given = [flag for flag, name, _ in JS_VALUES if getattr(self, name) is not None]
        if self.tier is not None:
            given.insert(0, "--js-tier")
        if self.max_bytes_required is not None:
            given.append("--js-max-bytes-required")
        return given

    @property
    def tier_number(self) -> int:
        return self.tier or 0


# Checking ------------------------------------------------------------------------------------


def limits_set(limits: JetStreamLimits) -> bool:
    """nsc's ``jsLimitsSet``: any field other than its zero value."""
    return limits != JetStreamLimits()


def has_jetstream_limits(limits: OperatorLimits) -> bool:
    """Whether an account has any JetStream limit, global or tiered."""
    return bool(limits.tiered_limits) or limits_set(limits.jetstream)


def _tiers(limits: OperatorLimits) -> str:
    return ",".join(sorted(limits.tiered_limits))


def check_system_account(name: str, limits: OperatorLimits) -> None:
    """Account ``name`` may become the operator's system account: it has no JetStream limits
    (else a :class:`StoreError` telling to disable them first)."""
    rerun = f'"pynsc edit account {name} --js-disable"'
    if limits.tiered_limits:
        raise StoreError(
            f"system accounts cannot have tiered JetStream limits - run {rerun} first"
        )
    if limits_set(limits.jetstream):
        raise StoreError(f"system accounts cannot have JetStream limits - run {rerun} first")


def _check_layout(changes: JetStreamChanges, limits: OperatorLimits) -> None:
    """Global and tiered limits exclude each other."""
    if changes.rm_tier is not None or changes.disable:
        return  # these fix a configuration
    global_set = limits_set(limits.jetstream)
    if limits.tiered_limits and global_set:
        raise StoreError(
            "configuration cannot contain both global and tiered limits "
            f"'{_tiers(limits)}' - please use the --rm-js-tier to remove undesired tier(s)"
        )
    setting = bool(changes.set_flags()) or changes.enable is not None
    tier = changes.enable if changes.enable is not None else changes.tier_number
    if setting and limits.tiered_limits and tier == 0:
        raise StoreError(
            "cannot set a jetstream global limit when a configuration has tiered limits "
            f"'{_tiers(limits)}'"
        )
    if setting and global_set and tier > 0:
        raise StoreError(
            "cannot set a jetstream tier limit when a configuration has a global limit"
        )


def _check_system_edit(changes: JetStreamChanges, limits: OperatorLimits) -> None:
    """The system account's edits: only ``disable`` touches JetStream, and tiers left on it
    must be disabled before any other edit (as nsc)."""
    if changes.disable:
        return
    if limits.tiered_limits:
        raise StoreError(
            "system account cannot have JetStream limits - please rerun with --js-disable"
        )
    offending = []
    if changes.tier_number != 0:
        offending.append("--js-tier")
    offending += [flag for flag, name, _ in JS_VALUES if getattr(changes, name) not in (None, 0)]
    if changes.max_bytes_required:
        offending.append("--js-max-bytes-required")
    if changes.enable is not None:
        offending.append("--js-enable")
    if offending:
        raise StoreError(
            "system account cannot have jetstream related settings - please rerun without: "
            + " ".join(offending)
        )


def check_jetstream(
    changes: JetStreamChanges, limits: OperatorLimits, *, is_system: bool
) -> None:
    """Every JetStream rule for ``changes`` to an account whose limits are ``limits``
    (``is_system``: the operator's system account), before anything changes."""
    if is_system:
        _check_system_edit(changes, limits)
    if changes.is_empty():
        return
    _check_layout(changes, limits)
    if changes.enable is not None and limits_set(_current(limits, changes.enable)):
        raise StoreError(f"jetstream tier {tier_label(changes.enable)} is already enabled")
    if changes.rm_tier is not None and changes.rm_tier > 0:
        label = tier_label(changes.rm_tier)
        if not limits.tiered_limits:
            raise StoreError("account doesn't have tier limits")
        if label not in limits.tiered_limits:
            raise StoreError(f"account doesn't have tier {label} limit")


# Applying ------------------------------------------------------------------------------------


def _current(limits: OperatorLimits, tier: int) -> JetStreamLimits:
    if tier == 0:
        return limits.jetstream
    return limits.tiered_limits.get(tier_label(tier), JetStreamLimits())


def _defaults() -> JetStreamLimits:
    """What nsc's flags hold when neither given nor loaded: no storage, the rest unlimited."""
    return JetStreamLimits(
        streams=-1, consumer=-1, mem_max_stream_bytes=-1, disk_max_stream_bytes=-1,
        max_ack_pending=-1,
    )  # fmt: skip


def _put(limits: OperatorLimits, tier: int, value: JetStreamLimits) -> None:
    if tier == 0:
        limits.jetstream = value
    else:
        limits.tiered_limits[tier_label(tier)] = value


def apply_jetstream(limits: OperatorLimits, changes: JetStreamChanges) -> list[str]:
    """Apply checked ``changes`` (see :func:`check_jetstream`) to ``limits``; nsc's lines."""
    if changes.is_empty():
        return []
    if changes.rm_tier is not None:
        if changes.rm_tier == 0:
            limits.jetstream = JetStreamLimits()
            return ["deleted global limit"]
        label = tier_label(changes.rm_tier)
        del limits.tiered_limits[label]
        return [f"deleted tier limit {label}"]
    if changes.disable:
        limits.jetstream = JetStreamLimits()
        lines = ["deleted global limit"]
        lines += [f"deleted tier limit {label}" for label in sorted(limits.tiered_limits)]
        limits.tiered_limits = {}
        return lines
    if changes.enable is not None:
        _put(limits, changes.enable, JetStreamLimits(disk_storage=-1, mem_storage=-1))
        if changes.enable == 0:
            return ["enabled global limit"]
        return [f"enabled tier limit {tier_label(changes.enable)}"]
    tier = changes.tier_number
    label = tier_label(tier)
    current = _current(limits, tier)
    value = current if limits_set(current) else _defaults()
    lines = []
    for _flag, name, what in JS_VALUES:
        given = getattr(changes, name)
        if given is not None:
            value = replace(value, **{name: given})
            lines.append(f"changed {label} {what} to {given}")
    if changes.max_bytes_required is not None:
        value = replace(value, max_bytes_required=changes.max_bytes_required)
        lines.append(
            f"changed {label} max bytes required to {str(changes.max_bytes_required).lower()}"
        )
    _put(limits, tier, value)
    return lines
