"""Shared options: the global flags, the ``describe`` flags, ``--json`` and ``--output-file``, and
the entity flags (``name_option``, ``account_option``, ``user_option``, ``time_options``,
``permission_options``), which hand a command parsed values (see :mod:`pynsc.cli.params`).

Persistent options (cobra's term) may be given on a group or on any command below it:
``pynsc --keystore-dir D generate nkey -u`` and ``pynsc generate nkey -u --keystore-dir D`` are the
same. Each command that accepts one carries its own :class:`PersistentOption`; whichever is parsed
records its value in :attr:`App.settings`, and one that is not given on its own command falls back
to the value recorded by an enclosing group. Commands and groups made by :mod:`pynsc.cli.base` get
the global ones automatically.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from pynsc.cli.app import App
from pynsc.errors import UsageError

if TYPE_CHECKING:
    from pynsc.cli.params import DescribeView, PermissionFlags

# The value parsers (:mod:`pynsc.cli.params`) are imported where a value is parsed: ``pynsc
# --help`` lists the global flags without them.

__all__ = [
    "DescribeView",
    "PersistentOption",
    "account_option",
    "describe_group_options",
    "describe_options",
    "duration_callback",
    "global_options",
    "json_option",
    "name_option",
    "output_file_option",
    "permission_options",
    "permission_set_options",
    "time_options",
    "user_option",
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


def _record_private_key(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """``-K``: as :func:`_record`, but an empty value is an error, not "no key"."""
    if isinstance(value, str) and not value.strip():
        assert param.name is not None
        if ctx.get_parameter_source(param.name) in _GIVEN:
            raise click.BadParameter(
                "an empty value is not a key: give a role name, a public key, a seed, "
                "or a file holding one",
                ctx=ctx,
                param=param,
            )
    return _record(ctx, param, value)


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
            callback=_record_private_key,
            help="Signing key: a role name, public key, seed, or a file holding one.",
        ),
        flag("-i", "--interactive", is_flag=True, default=False, help="Prompt for values."),
        flag(
            "-O",
            "--operator",
            "context_operator",
            metavar="NAME",
            help="Operator for this command only (nsc.json is not changed).",
        ),
        flag(
            "--account",
            "context_account",
            metavar="NAME|KEY",
            help="Account for this command only (nsc.json is not changed).",
        ),
        flag(
            "--debug",
            is_flag=True,
            default=False,
            help="Show tracebacks of errors [env: PYNSC_DEBUG=1].",
        ),
    ]


# describe ----------------------------------------------------------------------------------------


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
        from pynsc.cli.params import DescribeView

        view = DescribeView.of(
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
        "-J", "--json", "as_json", is_flag=True, default=False, callback=_record_json,
        help="Print JSON on stdout.",
    )(f)


def _record_json(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """Remember JSON mode, so a failure is reported as JSON on stdout too."""
    if value:
        ctx.ensure_object(App).settings["json"] = True
    return value


def output_file_option(f: F) -> F:
    """``-o/--output-file FILE`` (``--`` or ``-`` mean stdout), as ``output_file``."""
    return click.option(
        "-o", "--output-file", "output_file", metavar="FILE", default=None,
        help="Write to FILE instead of stdout.",
    )(f)


# Entities ----------------------------------------------------------------------------------------


def _apply(f: Callable[..., Any], decorators: list[Callable[[F], F]]) -> Callable[..., Any]:
    """``f`` decorated as if the decorators were stacked above it in this order."""
    for add in reversed(decorators):
        f = add(f)
    return f


def name_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-n/--name NAME`` or a positional ``NAME`` (nsc takes either), as ``name``.

    ``name`` is ``None`` when neither is given; giving both with different values is a usage
    error. ``what`` ("account", "user" …) is used in help and messages.
    """

    def decorator(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            flag, argument = kwargs.pop("name_flag"), kwargs.pop("name_argument")
            if flag is not None and argument is not None and flag != argument:
                raise click.UsageError(
                    f"the {what} name is given twice, as --name {flag!r} and as NAME "
                    f"{argument!r}: give it once"
                )
            return f(*args, name=flag if flag is not None else argument, **kwargs)

        return _apply(wrapper, [
            click.option("-n", "--name", "name_flag", metavar="NAME", default=None,
                         help=f"Name of the {what} (or give it as the NAME argument)."),
            click.argument("name_argument", metavar="[NAME]", required=False, default=None),
        ])  # fmt: skip

    return decorator


def account_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``-a/--account NAME|KEY``: the account to work on, by name or public key, as ``account``.

    It is the command's own spelling of the global ``--account``: the value is recorded as the
    context account for this run (never in nsc.json), and one given before the subcommand is
    inherited. ``None`` means the current account.
    """

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return f(*args, account=kwargs.pop("context_account") or None, **kwargs)

    return click.option(
        "-a", "--account", "context_account", cls=PersistentOption, metavar="NAME|KEY",
        default=None, help="Account name or public key (default: the current account).",
    )(wrapper)  # fmt: skip


def user_option(f: F) -> F:
    """``-u/--user NAME|KEY``: a user of the account, by name or public key, as ``user``."""
    return click.option(
        "-u", "--user", "user", metavar="NAME|KEY", default=None,
        help="User name or public key.",
    )(f)  # fmt: skip


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Reject a malformed date while parsing (so the message names the flag); keep the text,
    which the command parses against its own ``now``."""
    if value is not None:
        from pynsc.cli.params import parse_date

        parse_date(value, int(time.time()))
    return value


def time_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--start DATE`` and ``--expiry DATE`` (nsc's ``[time]``), as ``times``
    (:class:`~pynsc.cli.params.TimeFlags`; each ``None`` when not given)."""

    from pynsc.cli.params import DATE_FORMATS, TimeFlags

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        times = TimeFlags(start=kwargs.pop("time_start"), expiry=kwargs.pop("time_expiry"))
        return f(*args, times=times, **kwargs)

    return _apply(wrapper, [
        click.option("--start", "time_start", metavar="DATE", default=None,
                     callback=_check_date, help=f"Valid from: {DATE_FORMATS}."),
        click.option("--expiry", "time_expiry", metavar="DATE", default=None,
                     callback=_check_date, help=f"Valid until: {DATE_FORMATS}."),
    ])  # fmt: skip


def _subjects(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    from pynsc.cli.params import split_list

    return split_list(value)


def _pub_subjects(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    from pynsc.cli.params import check_pub_subjects, split_list

    subjects = split_list(value)
    check_pub_subjects(subjects)
    return subjects


def _sub_subjects(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    from pynsc.cli.params import check_sub_subjects, split_list

    subjects = split_list(value)
    check_sub_subjects(subjects)
    return subjects


def duration_callback(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> int | None:
    """Click callback of a ``DURATION`` option: a Go duration in nanoseconds (``None``: not
    given)."""
    from pynsc.cli.params import parse_duration

    return None if value is None else parse_duration(value)


_LIST = "comma list or repeated"


def _permission_set_params() -> list[Callable[[F], F]]:
    def subjects(flag: str, name: str, check: Any, what: str) -> Callable[[F], F]:
        return click.option(flag, name, metavar="SUBJECT[,...]", multiple=True, callback=check,
                            help=f"{what} ({_LIST}).")  # fmt: skip

    return [
        subjects("--allow-pub", "perm_allow_pub", _pub_subjects, "Allow publishing to subjects"),
        subjects("--allow-sub", "perm_allow_sub", _sub_subjects,
                 "Allow subscribing to subjects, each optionally followed by a space and a queue"),
        subjects("--allow-pubsub", "perm_allow_pubsub", _pub_subjects,
                 "Allow publishing and subscribing to subjects"),
        subjects("--deny-pub", "perm_deny_pub", _pub_subjects, "Deny publishing to subjects"),
        subjects("--deny-sub", "perm_deny_sub", _sub_subjects,
                 "Deny subscribing to subjects, each optionally followed by a space and a queue"),
        subjects("--deny-pubsub", "perm_deny_pubsub", _pub_subjects,
                 "Deny publishing and subscribing to subjects"),
        click.option("--allow-pub-response", "perm_allow_pub_response", type=int,
                     is_flag=False, flag_value=1, default=None, metavar="[N]",
                     help="Allow publishing to the reply subject of N requests received "
                          "(1 without a value; write --allow-pub-response=N)."),
        click.option("--response-ttl", "perm_response_ttl", metavar="DURATION", default=None,
                     callback=duration_callback,
                     help="How long after a request its reply may be published: a Go "
                          "duration such as 500ms, 5s or 1m (default: no limit)."),
        click.option("--max-responses", "perm_max_responses", type=int, default=None,
                     hidden=True, help="Deprecated: use --allow-pub-response=N."),
    ]  # fmt: skip


def _permission_rm_params() -> list[Callable[[F], F]]:
    return [
        click.option("--rm", "perm_remove", metavar="SUBJECT[,...]", multiple=True,
                     callback=_subjects,
                     help=f"Remove subjects from every allow and deny list ({_LIST})."),
        click.option("--rm-response-perms", "perm_rm_response_perms", is_flag=True,
                     default=False, help="Remove the response permission."),
    ]  # fmt: skip


def _with_permissions(
    f: Callable[..., Any], params: list[Callable[[F], F]]
) -> Callable[..., Any]:
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            perms = _permission_flags(kwargs)
        except UsageError as e:
            raise click.UsageError(e.message) from e
        return f(*args, perms=perms, **kwargs)

    return _apply(wrapper, params)


def _permission_flags(kwargs: dict[str, Any]) -> PermissionFlags:
    from pynsc.actions.user_changes import PermissionChanges

    return PermissionChanges(
        allow_pub=kwargs.pop("perm_allow_pub"),
        allow_sub=kwargs.pop("perm_allow_sub"),
        allow_pubsub=kwargs.pop("perm_allow_pubsub"),
        deny_pub=kwargs.pop("perm_deny_pub"),
        deny_sub=kwargs.pop("perm_deny_sub"),
        deny_pubsub=kwargs.pop("perm_deny_pubsub"),
        remove=kwargs.pop("perm_remove", ()),
        allow_pub_response=kwargs.pop("perm_allow_pub_response"),
        max_responses=kwargs.pop("perm_max_responses"),
        response_ttl=kwargs.pop("perm_response_ttl"),
        rm_response_perms=kwargs.pop("perm_rm_response_perms", False),
        )


def permission_set_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """nsc's ``[perm-set]`` (``--allow-pub`` … ``--response-ttl``), for ``add`` commands; the
    command receives them as ``perms`` (:class:`~pynsc.cli.params.PermissionFlags`)."""
    return _with_permissions(f, _permission_set_params())


def permission_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """nsc's ``[perm-set]`` and ``[perm-rm]`` (``--rm``, ``--rm-response-perms``), for ``edit``
    commands; the command receives them as ``perms``
    (:class:`~pynsc.cli.params.PermissionFlags`)."""
    return _with_permissions(f, [*_permission_set_params(), *_permission_rm_params()])


def __getattr__(name: str) -> object:
    # ``DescribeView`` lives with the other parsed values, in pynsc.cli.params (loaded on first
    # use, so that the global flags, all ``pynsc --help`` needs of this module, come cheap)
    if name == "DescribeView":
        from pynsc.cli.params import DescribeView

        return DescribeView
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
