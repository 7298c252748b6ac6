"""The ``--sampling`` flag of ``add export`` and ``edit export``: click callbacks over
:func:`pynsc.actions.exports.parse_sampling`, so a bad value is a usage error naming the flag."""

from __future__ import annotations

import click

from pynsc.actions import exports
from pynsc.errors import UsageError

__all__ = ["parse_edit_sampling", "parse_sampling"]


def _sampling(value: str | None, *, allow_zero: bool) -> int | None:
    if value is None:
        return None
    try:
        return exports.parse_sampling(value, allow_zero=allow_zero)
    except UsageError as e:
        raise click.BadParameter(e.message) from e


def parse_sampling(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``--sampling`` of ``add export``: ``1``..``100``, or ``header``/``headers``."""
    return _sampling(value, allow_zero=False)


def parse_edit_sampling(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> int | None:
    """``--sampling`` of ``edit export``: as for ``add export``, and ``0`` turns latency tracking
    off (:data:`pynsc.actions.exports.SAMPLING_OFF`)."""
    return _sampling(value, allow_zero=True)
