"""Shared options: the global flags, the ``describe`` flags, ``--json`` and ``--output-file``.

Persistent options (cobra's term) may be given on a group or on any command below it:
``pynsc --keystore-dir D generate nkey -u`` and ``pynsc generate nkey -u --keystore-dir D`` are the
same. Each command that accepts one carries its own :class:`PersistentOption`; whichever is parsed
records its value in :attr:`App.settings`, and one that is not given on its own command falls back
to the value recorded by an enclosing group. Commands and groups made by :mod:`pynsc.cli.base` get
the global ones automatically.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from pynsc.cli.app import App

__all__ = [
    "DescribeView",
    "PersistentOption",
    "describe_group_options",
    "describe_options",
    "global_options",
    "json_option",
    "output_file_option",
]

F = TypeVar("F", bound=Callable[..., Any])

_GIVEN = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)


def _record(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Callback of every persistent option: record a given value, else inherit a recorded one."""
    app = ctx.ensure_object(App)
    name = param.name
    assert name is not None
    if ctx.get_parameter_source(name) in _GIVEN:
        app.set(name, value)
        return value
    return app.settings.get(name, value)


class PersistentOption(click.Option):
    """An option accepted on a group and every command below it.

    ``is_global`` marks the root's flags, which help lists under their own heading.
    """

    def __init__(self, *args: Any, is_global: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("callback", _record)
        super().__init__(*args, **kwargs)
        self.is_global = is_global


# Global flags ------------------------------------------------------------------------------------


def global_options() -> list[click.Parameter]:
    """Fresh instances of the global flags, for one command (values go to :class:`App`)."""

    def flag(*decls: str, **kwargs: Any) -> PersistentOption:
        return PersistentOption(decls, expose_value=False, is_global=True, **kwargs)

    return [
        flag("--config-dir", metavar="DIR", help="Directory holding nsc.json [env: NSC_HOME]."),
        flag("--data-dir", metavar="DIR", help="Store root: one directory per operator."),
        flag("--keystore-dir", metavar="DIR", help="Keystore root [env: NKEYS_PATH]."),
        flag(
            "-H",
            "--all-dirs",
            metavar="DIR",
            help="Use DIR as config, data and keystore dir.",
        ),
        flag(
            "-K",
            "--private-key",
            metavar="KEY",
            help="Signing key: a role name, public key, seed, or a file holding one.",
        ),
        flag("-i", "--interactive", is_flag=True, default=False, help="Prompt for values."),
        flag(
            "--debug",
            is_flag=True,
            default=False,
            help="Show tracebacks of errors [env: PYNSC_DEBUG=1].",
        ),
    ]


# describe ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DescribeView:
    """How ``describe`` shows a JWT: a table by default, or JSON, the raw token, or one field."""

    json: bool = False
    raw: bool = False
    field: str | None = None
    long_ids: bool = False

    def __post_init__(self) -> None:
        views = (("--json", self.json), ("--raw", self.raw), ("--field", bool(self.field)))
        chosen = [name for name, on in views if on]
        if len(chosen) > 1:
            raise click.UsageError(f"{' and '.join(chosen)} are mutually exclusive")


def _describe_params(*, expose: bool) -> list[Callable[[F], F]]:
    def option(*decls: str, **kwargs: Any) -> Callable[[F], F]:
        return click.option(*decls, cls=PersistentOption, expose_value=expose, **kwargs)

    return [
        option("-J", "--json", "describe_json", is_flag=True, default=False,
               help="Show the JWT payload as JSON."),
        option("-R", "--raw", "describe_raw", is_flag=True, default=False,
               help="Show the raw JWT (decorated when written to a file)."),
        option("-F", "--field", "describe_field", metavar="PATH", default=None,
               help="Show one payload field, e.g. nats.signing_keys[0], JSON-encoded."),
        option("-W", "--long-ids", "describe_long_ids", is_flag=True, default=False,
               help="Show full account ids instead of names."),
    ]


def describe_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``-J/-R/-F/-W`` on a describe command; the command receives them as ``view``."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        view = DescribeView(
            json=kwargs.pop("describe_json"),
            raw=kwargs.pop("describe_raw"),
            field=kwargs.pop("describe_field") or None,
            long_ids=kwargs.pop("describe_long_ids"),
        )
        return f(*args, view=view, **kwargs)

    decorated: Callable[..., Any] = wrapper
    for add in reversed(_describe_params(expose=True)):
        decorated = add(decorated)
    return decorated


def describe_group_options(f: F) -> F:
    """The same flags on the ``describe`` group itself, so they may precede the subcommand."""
    for add in reversed(_describe_params(expose=False)):
        f = add(f)
    return f


# Others ------------------------------------------------------------------------------------------


def json_option(f: F) -> F:
    """``-J/--json``: print machine-readable JSON on stdout instead of text (as ``as_json``)."""
    return click.option(
        "-J", "--json", "as_json", is_flag=True, default=False,
        help="Print JSON on stdout.",
    )(f)


def output_file_option(f: F) -> F:
    """``-o/--output-file FILE`` (``--`` or ``-`` mean stdout), as ``output_file``."""
    return click.option(
        "-o", "--output-file", "output_file", metavar="FILE", default=None,
        help="Write to FILE instead of stdout.",
    )(f)
