"""``edit account``'s JetStream flags: global (tier 0) or per-replication-tier (``R1``, ``R3`` …)
limits, removing a tier, enabling one, disabling JetStream.

The rules are nsc's:

* ``--rm-js-tier``, ``--js-enable`` and ``--js-disable`` each exclude every other JetStream flag;
* global and tiered limits exclude each other;
* the operator's system account gets no JetStream (only ``--js-disable`` is allowed);
* limits of a tier that has none yet start from nsc's defaults (storage 0, the rest -1).

Unlike nsc, an edit without JetStream flags leaves the JetStream limits alone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.user_limits import bool_value_option, number_callback
from pynsc.errors import NscError

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims, JetStreamLimits, OperatorLimits

__all__ = [
    "JetStreamFlags",
    "apply_jetstream",
    "check_jetstream",
    "check_jetstream_flags",
    "jetstream_options",
]

#: (flag, JetStreamLimits field, what the report calls it)
_VALUES = (
    ("--js-streams", "streams", "max streams"),
    ("--js-consumer", "consumer", "max consumer"),
    ("--js-mem-storage", "mem_storage", "max mem storage"),
    ("--js-max-mem-stream", "mem_max_stream_bytes", "max memory stream"),
    ("--js-disk-storage", "disk_storage", "max disk storage"),
    ("--js-max-disk-stream", "disk_max_stream_bytes", "max disk stream"),
    ("--js-max-ack-pending", "max_ack_pending", "max ack pending"),
)
_HELP = {
    "streams": "maximum streams (-1 is unlimited)",
    "consumer": "maximum consumers (-1 is unlimited)",
    "mem_storage": "maximum memory storage in bytes, e.g. 1GiB (-1 is unlimited, 0 disabled)",
    "mem_max_stream_bytes": "maximum size of a memory stream (-1 is unlimited)",
    "disk_storage": "maximum disk storage in bytes, e.g. 1GiB (-1 is unlimited, 0 disabled)",
    "disk_max_stream_bytes": "maximum size of a disk stream (-1 is unlimited)",
    "max_ack_pending": "maximum acks pending for a consumer (-1 is unlimited)",
}
#: hidden, deprecated spellings (nsc renamed them with a ``js-`` prefix)
_DEPRECATED = (
    ("--mem-storage", "mem_storage"),
    ("--disk-storage", "disk_storage"),
    ("--streams", "streams"),
    ("--consumer", "consumer"),
)


@dataclass(frozen=True, slots=True)
class JetStreamFlags:
    """The JetStream flags as given (``None`` when absent)."""

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

    def is_empty(self) -> bool:
        return self == JetStreamFlags()

    def set_flags(self) -> list[str]:
        """The flags given that set limits (``--js-tier`` included), by name."""
        given = [flag for flag, name, _ in _VALUES if getattr(self, name) is not None]
        if self.tier is not None:
            given.insert(0, "--js-tier")
        if self.max_bytes_required is not None:
            given.append("--js-max-bytes-required")
        return given

    @property
    def tier_number(self) -> int:
        return self.tier or 0


def _tier_label(tier: int) -> str:
    return f"R{tier}" if tier > 0 else "global"


def _not_negative(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 0:
        raise click.BadParameter("a tier is 0 (global) or a replication factor")
    return value


def jetstream_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The JetStream flags; the command receives them as ``jetstream``
    (:class:`JetStreamFlags`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values: dict[str, Any] = {}
        for field in fields(JetStreamFlags):
            values[field.name] = kwargs.pop("js_" + field.name)
        for flag, name in _DEPRECATED:
            old = kwargs.pop("js_old_" + flag.removeprefix("--").replace("-", "_"))
            if values[name] is None:
                values[name] = old
        return f(*args, jetstream=JetStreamFlags(**values), **kwargs)

    decorators: list[Callable[[Any], Any]] = [
        click.option("--js-tier", "js_tier", type=int, default=None, metavar="N",
                     callback=_not_negative,
                     help="JetStream: the replication tier the limits are for "
                          "(0, the default, is the global configuration)."),
        click.option("--rm-js-tier", "js_rm_tier", type=int, default=None, metavar="N",
                     callback=_not_negative,
                     help="JetStream: remove the limits of this tier (0 is global); "
                          "excludes the other JetStream flags."),
        click.option("--js-enable", "js_enable", type=int, default=None, metavar="N",
                     callback=_not_negative,
                     help="JetStream: enable tier N (0 is global) with unlimited storage; "
                          "excludes the other JetStream flags."),
        click.option("--js-disable", "js_disable", is_flag=True, default=False,
                     help="JetStream: delete every JetStream limit of the account."),
    ]  # fmt: skip
    for flag, name, _what in _VALUES:
        decorators.append(click.option(
            flag, "js_" + name, metavar="N", default=None, callback=number_callback,
            help=f"JetStream: {_HELP[name]}.",
        ))  # fmt: skip
    decorators.append(bool_value_option(
        "--js-max-bytes-required", "js_max_bytes_required",
        help="JetStream: streams must be created with a maximum size.",
    ))  # fmt: skip
    for flag, _name in _DEPRECATED:
        decorators.append(click.option(
            flag, "js_old_" + flag.removeprefix("--").replace("-", "_"), metavar="N",
            default=None, callback=number_callback, hidden=True,
        ))  # fmt: skip
    decorated: Callable[..., Any] = wrapper
    for add in reversed(decorators):
        decorated = add(decorated)
    return decorated


# Checking ----------------------------------------------------------------------------------------


def check_jetstream_flags(flags: JetStreamFlags) -> None:
    """The flags that exclude each other (no store needed)."""
    set_flags = flags.set_flags()
    if flags.rm_tier is not None and (set_flags or flags.enable is not None):
        raise click.UsageError("rm-js-tier is exclusive of all other js options")
    if flags.disable and (set_flags or flags.rm_tier is not None or flags.enable is not None):
        raise click.UsageError("js-disable is exclusive of all other js options")
    if flags.enable is not None and set_flags:
        raise click.UsageError("js-enable is exclusive of all other js options")


def _is_set(limits: JetStreamLimits) -> bool:
    """nsc's ``jsLimitsSet``: any field other than its zero value."""
    from pynsc.claims import JetStreamLimits

    return limits != JetStreamLimits()


def _tiers(limits: OperatorLimits) -> str:
    return ",".join(sorted(limits.tiered_limits))


def _check_layout(flags: JetStreamFlags, limits: OperatorLimits) -> None:
    """Global and tiered limits exclude each other."""
    if flags.rm_tier is not None or flags.disable:
        return  # these fix a configuration
    global_set = _is_set(limits.jetstream)
    if limits.tiered_limits and global_set:
        raise NscError(
            "configuration cannot contain both global and tiered limits "
            f"'{_tiers(limits)}' - please use the --rm-js-tier to remove undesired tier(s)"
        )
    setting = bool(flags.set_flags()) or flags.enable is not None
    tier = flags.enable if flags.enable is not None else flags.tier_number
    if setting and limits.tiered_limits and tier == 0:
        raise NscError(
            "cannot set a jetstream global limit when a configuration has tiered limits "
            f"'{_tiers(limits)}'"
        )
    if setting and global_set and tier > 0:
        raise NscError(
            "cannot set a jetstream tier limit when a configuration has a global limit"
        )


def _check_system_account(flags: JetStreamFlags, limits: OperatorLimits) -> None:
    if flags.disable:
        return
    if limits.tiered_limits:
        raise NscError(
            "system account cannot have JetStream limits - please rerun with --js-disable"
        )
    offending = []
    if flags.tier_number != 0:
        offending.append("--js-tier")
    offending += [flag for flag, name, _ in _VALUES if getattr(flags, name) not in (None, 0)]
    if flags.max_bytes_required:
        offending.append("--js-max-bytes-required")
    if flags.enable is not None:
        offending.append("--js-enable")
    if offending:
        raise NscError(
            "system account cannot have jetstream related settings - please rerun without: "
            + " ".join(offending)
        )


def check_jetstream(flags: JetStreamFlags, claims: AccountClaims, *, is_system: bool) -> None:
    """Every JetStream rule, before anything changes (usage errors first)."""
    check_jetstream_flags(flags)
    limits = claims.nats.limits
    if is_system:
        # as nsc: a system account with tiers must be fixed (--js-disable) before other edits
        _check_system_account(flags, limits)
    if flags.is_empty():
        return
    _check_layout(flags, limits)
    if flags.enable is not None and _is_set(_current(limits, flags.enable)):
        raise NscError(f"jetstream tier {_tier_label(flags.enable)} is already enabled")
    if flags.rm_tier is not None and flags.rm_tier > 0:
        label = _tier_label(flags.rm_tier)
        if not limits.tiered_limits:
            raise NscError("account doesn't have tier limits")
        if label not in limits.tiered_limits:
            raise NscError(f"account doesn't have tier {label} limit")


# Applying ----------------------------------------------------------------------------------------


def _current(limits: OperatorLimits, tier: int) -> JetStreamLimits:
    from pynsc.claims import JetStreamLimits

    if tier == 0:
        return limits.jetstream
    return limits.tiered_limits.get(_tier_label(tier), JetStreamLimits())


def _defaults() -> JetStreamLimits:
    """What nsc's flags hold when neither given nor loaded: no storage, the rest unlimited."""
    from pynsc.claims import JetStreamLimits

    return JetStreamLimits(
        streams=-1, consumer=-1, mem_max_stream_bytes=-1, disk_max_stream_bytes=-1,
        max_ack_pending=-1,
    )  # fmt: skip


def _store(limits: OperatorLimits, tier: int, value: JetStreamLimits) -> None:
    if tier == 0:
        limits.jetstream = value
    else:
        limits.tiered_limits[_tier_label(tier)] = value


def apply_jetstream(limits: OperatorLimits, flags: JetStreamFlags) -> list[str]:
    """Apply checked ``flags`` (see :func:`check_jetstream`) to ``limits``; nsc's lines."""
    from pynsc.claims import JetStreamLimits

    if flags.is_empty():
        return []
    if flags.rm_tier is not None:
        if flags.rm_tier == 0:
            limits.jetstream = JetStreamLimits()
            return ["deleted global limit"]
        label = _tier_label(flags.rm_tier)
        del limits.tiered_limits[label]
        return [f"deleted tier limit {label}"]
    if flags.disable:
        limits.jetstream = JetStreamLimits()
        changes = ["deleted global limit"]
        changes += [f"deleted tier limit {label}" for label in sorted(limits.tiered_limits)]
        limits.tiered_limits = {}
        return changes
    if flags.enable is not None:
        _store(limits, flags.enable, JetStreamLimits(disk_storage=-1, mem_storage=-1))
        if flags.enable == 0:
            return ["enabled global limit"]
        return [f"enabled tier limit {_tier_label(flags.enable)}"]
    tier = flags.tier_number
    label = _tier_label(tier)
    current = _current(limits, tier)
    value = current if _is_set(current) else _defaults()
    changes = []
    for _flag, name, what in _VALUES:
        given = getattr(flags, name)
        if given is not None:
            value = replace(value, **{name: given})
            changes.append(f"changed {label} {what} to {given}")
    if flags.max_bytes_required is not None:
        value = replace(value, max_bytes_required=flags.max_bytes_required)
        changes.append(
            f"changed {label} max bytes required to {str(flags.max_bytes_required).lower()}"
        )
    _store(limits, tier, value)
    return changes
