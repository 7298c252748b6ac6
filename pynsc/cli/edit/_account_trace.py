"""``edit account``'s message tracing flags: ``--trace-context-subject`` (``""`` disables) and
``--trace-context-sampling`` (1-100; 0 means 100)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from pynsc.errors import NscError

if TYPE_CHECKING:
    from pynsc.claims import Account

__all__ = ["TraceFlags", "apply_trace", "check_trace", "trace_options"]


@dataclass(frozen=True, slots=True)
class TraceFlags:
    """The tracing flags as given (``None`` when absent)."""

    subject: str | None = None
    sampling: int | None = None

    def is_empty(self) -> bool:
        return self.subject is None and self.sampling is None


def _subject(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from pynsc.claims import ValidationResults
    from pynsc.claims.subjects import go_quote, has_wildcards, validate_subject

    if not value:
        return value
    results = ValidationResults()
    validate_subject(value, results)
    if not results.is_empty():
        raise click.BadParameter(results.issues[0].description)
    if has_wildcards(value):
        raise click.BadParameter(f"tracing subjects cannot contain wildcards: {go_quote(value)}")
    return value


def trace_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The tracing flags; the command receives them as ``trace`` (:class:`TraceFlags`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        flags = TraceFlags(
            subject=kwargs.pop("trace_subject"), sampling=kwargs.pop("trace_sampling")
        )
        return f(*args, trace=flags, **kwargs)

    decorated: Callable[..., Any] = click.option(
        "--trace-context-sampling", "trace_sampling", type=int, default=None, metavar="1-100",
        help="Percentage of messages whose W3C trace context is sent (0 means 100).",
    )(wrapper)  # fmt: skip
    return click.option(
        "--trace-context-subject", "trace_subject", default=None, metavar="SUBJECT",
        callback=_subject,
        help='Subject W3C trace context information is sent to, e.g. trace.messages '
             '("" disables tracing).',
    )(decorated)  # fmt: skip


def check_trace(flags: TraceFlags, account: Account) -> None:
    """nsc's rules: sampling needs a subject (existing or given) and is 0..100."""
    if flags.sampling is None:
        return
    if flags.subject == "":
        raise NscError("cannot set context sampling rate when disabling the trace context")
    if (account.trace is None or not account.trace.dest) and not flags.subject:
        raise NscError("trace-context-sampling requires a subject")
    if not 0 <= flags.sampling <= 100:
        raise NscError("tracing sampling rate must be between 1-100")


def apply_trace(account: Account, flags: TraceFlags) -> list[str]:
    """Apply checked ``flags``; a changed subject keeps the sampling already set."""
    from pynsc.claims import MsgTrace
    from pynsc.claims.subjects import go_quote

    changes = []
    if flags.subject is not None:
        if flags.subject == "":
            account.trace = None
            changes.append("disabled trace context")
        else:
            sampling = account.trace.sampling if account.trace is not None else 0
            account.trace = MsgTrace(dest=flags.subject, sampling=sampling)
            changes.append(f"changed trace context subject to {go_quote(flags.subject)}")
    if flags.sampling is not None and account.trace is not None:
        account.trace.sampling = flags.sampling
        changes.append(f"changed trace context sampling to {flags.sampling}%")
    return changes
