"""``edit account``'s message tracing flags: ``--trace-context-subject`` (``""`` disables) and
``--trace-context-sampling`` (1-100; 0 means 100).

Parsing only: the command receives the library's :class:`~pynsc.actions.accounts.TraceChanges`;
a bad subject fails while parsing, naming the flag.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from pynsc.actions.accounts import TraceChanges, check_trace_subject
from pynsc.errors import UsageError

__all__ = ["trace_options"]


def _subject(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return value
    try:
        return check_trace_subject(value)
    except UsageError as e:
        raise click.BadParameter(e.message) from e


def trace_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The tracing flags; the command receives them as ``trace``
    (:class:`~pynsc.actions.accounts.TraceChanges`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        changes = TraceChanges(
            subject=kwargs.pop("trace_subject"), sampling=kwargs.pop("trace_sampling")
        )
        return f(*args, trace=changes, **kwargs)

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
