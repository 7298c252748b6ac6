"""Command and group classes of the pynsc tree.

* :class:`NscCommand` and :class:`NscGroup` carry the global flags (:func:`global_options`), so
  they are accepted before or after the subcommand, and list them under "Global options".
* :class:`NscGroup` loads its subcommands lazily, from :class:`Lazy` entries (or bare
  ``"module:attribute"`` strings) that also hold what its help lists of each, so ``pynsc --help``,
  a group's ``--help`` and shell completion of subcommand names import no subcommand at all.
* :class:`RootGroup` translates errors, once, in ``invoke``: an :class:`~pynsc.errors.NscError`
  becomes ``Error: <message>`` (plus a hint) on stderr and its exit code; click usage errors keep
  exit 2; anything else is one ``Error:`` line and exit 1, with a traceback only under ``--debug``;
  Ctrl-C exits 130.

Leaf modules make their command with :func:`command`, group packages theirs with :func:`group`.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Callable, Mapping
from gettext import gettext as _
from typing import TYPE_CHECKING, Any, NoReturn

import click
import click.parser

from pynsc.cli.app import App
from pynsc.cli.options import PersistentOption, global_options
from pynsc.errors import KeyStoreError, NscError, UsageError

if TYPE_CHECKING:
    from click.parser import _OptionParser as _ClickParser
    from click.parser import _ParsingState
    from click.shell_completion import CompletionItem

    from pynsc.cli.output import Output

__all__ = [
    "CliError",
    "CliUsageError",
    "Lazy",
    "NscCommand",
    "NscGroup",
    "RootGroup",
    "command",
    "group",
]

EXIT_INTERRUPTED = 130


class CliError(click.ClickException):
    """What the user sees of a failure: ``Error: <message>``, an optional hint, an exit code."""

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        exit_code: int = 1,
        output: Output | None = None,
    ) -> None:
        super().__init__(message)
        self.hint = hint
        # click declares ``exit_code`` a class constant; each error needs its own
        vars(self)["exit_code"] = exit_code
        self._output = output

    def show(self, file: Any = None) -> None:
        (self._output or _new_output()).error(self.format_message(), hint=self.hint)


class CliUsageError(click.UsageError):
    """A usage error shown as one line, ``Error: …``, and a hint naming the command's help."""

    def show(self, file: Any = None) -> None:
        path = self.ctx.command_path if self.ctx is not None else "pynsc"
        _new_output().error(self.format_message(), hint=f"see '{path} --help'")


def _new_output() -> Output:
    from pynsc.cli.output import Output

    return Output()


def _one_line(error: click.UsageError) -> CliUsageError:
    return CliUsageError(error.format_message(), ctx=error.ctx)


def _json_failure(app: App, message: str) -> None:
    """In ``--json`` mode a failure is also a report object on stdout, for scripts."""
    if app.settings.get("json") and not app.output.wrote_json:
        app.output.json(
            {"ok": False, "messages": [{"level": "error", "text": message}], "data": None},
            indent=2,
        )


def _refuse_old_keystore(app: App) -> None:
    from pynsc.keys.keystore import needs_migration

    root = app.paths.keystore_dir
    if needs_migration(root):
        raise KeyStoreError(
            f"the keystore `{root}` uses the pre-2.0 layout and needs migration",
            hint="run 'pynsc keys migrate' first",
        )


def _is_global(param: click.Parameter) -> bool:
    return isinstance(param, PersistentOption) and param.is_global


def _format_options(
    command: click.Command, ctx: click.Context, formatter: click.HelpFormatter
) -> None:
    """Help's option list, the global flags apart (except on the root, where they are its own)."""
    local: list[tuple[str, str]] = []
    shared: list[tuple[str, str]] = []
    is_root = ctx.parent is None
    for param in command.get_params(ctx):
        if isinstance(param, click.Argument):
            continue
        record = param.get_help_record(ctx)
        if record is not None:
            (shared if _is_global(param) and not is_root else local).append(record)
    if local:
        with formatter.section("Options"):
            formatter.write_dl(local)
    if shared:
        with formatter.section("Global options"):
            formatter.write_dl(shared)


def _add_global_options(params: list[click.Parameter]) -> None:
    """Append the global flags, except any whose name the command already uses for itself
    (``generate nkey --operator`` is a kind of key, not the context operator)."""
    taken = {decl for p in params for decl in (*p.opts, *p.secondary_opts)}
    params.extend(g for g in global_options() if not taken.intersection(g.opts))


_TRUE_WORDS = frozenset({"1", "t", "true", "y", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "f", "false", "n", "no", "off"})


def _bool_values(params: list[click.Parameter], args: list[str]) -> list[str]:
    """``--flag=true|false`` as cobra accepts it, for boolean flags: ``--flag`` or its
    ``--no-flag`` secondary (``--flag=false`` on a flag without one, default false, is dropped).
    Everything after ``--`` is left alone."""
    flags: dict[str, click.Option] = {}
    for param in params:
        if isinstance(param, click.Option) and param.is_flag and param.is_bool_flag:
            flags.update((opt, param) for opt in param.opts if opt.startswith("--"))
    if not flags:
        return args
    out: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            out.extend(args[index:])
            break
        name, eq, value = arg.partition("=")
        option = flags.get(name) if eq else None
        if option is None:
            out.append(arg)
        elif value.lower() in _TRUE_WORDS:
            out.append(name)
        elif value.lower() not in _FALSE_WORDS:
            raise click.BadParameter(f"{value!r} is not a valid boolean", param_hint=f"'{name}'")
        elif option.secondary_opts:
            out.append(option.secondary_opts[0])
        elif option.default:
            raise click.BadParameter("cannot be set to false", param_hint=f"'{name}'")
    return out


def _optional_values(params: list[click.Parameter], args: list[str]) -> list[str]:
    """pflag's rule for a flag with an optional value (``--allow-pub-response[=N]``): the bare
    flag means its default value, and a value is taken only as ``--flag=N``; the next word is
    never its value (``--allow-pub-response v8`` is the flag, then the argument ``v8``).
    Everything after ``--`` is left alone."""
    bare: dict[str, str] = {}
    for param in params:
        if not isinstance(param, click.Option) or param.is_flag:
            continue
        value = param.flag_value
        if not getattr(param, "_flag_needs_value", False) or not isinstance(value, (int, str)):
            continue
        if isinstance(value, str) and value.startswith("\0"):
            continue  # a marker for "flag needs an argument", not an optional value
        long = next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])
        bare.update((opt, f"{long}={value}") for opt in param.opts)
    if not bare:
        return args
    out: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            out.extend(args[index:])
            break
        out.append(bare.get(arg, arg))
    return out


if not TYPE_CHECKING:  # click 8.2 made its parser private
    _ClickParser = getattr(click.parser, "_OptionParser", None) or click.parser.OptionParser


class _Parser(_ClickParser):
    """click's option parser, without the error it builds and drops for each short option.

    click first looks every option word up as a long option; for ``-f`` that lookup fails and
    raises a "no such option" error (its message translated by gettext, its "did you mean"
    worked out by difflib), which click catches to parse the word as short options. A word
    that cannot be a long option goes to the short option parsing here directly; anything else
    (``--name``, ``-x=1``, a normalized token) takes click's own way.
    """

    def _process_opts(self, arg: str, state: _ParsingState) -> None:
        if (
            "=" not in arg
            and arg[:2] not in self._opt_prefixes
            and arg not in self._long_opt
            and (self.ctx is None or self.ctx.token_normalize_func is None)
        ):
            self._match_short_opt(arg, state)
            return
        super()._process_opts(arg, state)


def _make_parser(command: click.Command, ctx: click.Context) -> _Parser:
    """What ``click.Command.make_parser`` makes, as a :class:`_Parser`."""
    parser = _Parser(ctx)
    for param in command.get_params(ctx):
        param.add_to_parser(parser, ctx)
    return parser


# Commands that run whatever state the keystore is in.
_NO_MIGRATION_CHECK = {"pynsc keys migrate", "pynsc describe jwt"}


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``, without importing shutil (and the compression
    modules it imports): ``$COLUMNS`` when positive, else stdout's terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    if stdout is None:
        return 80
    try:
        size = os.get_terminal_size(stdout.fileno())
    except (AttributeError, ValueError, OSError):
        return 80
    return size.columns or 80


class NscContext(click.Context):
    """click's context, with the help's width worked out as click does but without shutil."""

    def make_formatter(self) -> click.HelpFormatter:
        width = self.terminal_width
        if width is None and click.formatting.FORCED_WIDTH is None:
            max_width = 80 if self.max_content_width is None else self.max_content_width
            width = max(min(_terminal_columns(), max_width) - 2, 50)
        return self.formatter_class(width=width, max_width=self.max_content_width)


_HELP_TEXT = "Show this message and exit."


def _help_option(command: click.Command, ctx: click.Context) -> click.Option | None:
    """``command.get_help_option(ctx)`` as click makes it, with its help text given: click
    looks the text up with gettext, whose first call imports ``locale`` and searches for
    catalogs (a millisecond of every run; click ships no translations). Versions of click
    that do not cache the option get click's own."""
    if getattr(command, "_help_option", False) is not None:  # cached, or click has no cache
        return click.Command.get_help_option(command, ctx)
    names = command.get_help_option_names(ctx)
    if not names or not command.add_help_option:
        return None
    storage = getattr(click.core, "_HELP_OPTION_STORAGE_NAME", None)

    def show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit()

    option = click.Option(
        [*names, storage] if storage else names, is_flag=True, expose_value=False,
        is_eager=True, help=_HELP_TEXT, callback=show_help,
    )  # fmt: skip
    command._help_option = option
    return option


class NscCommand(click.Command):
    """A leaf command: its own options plus the global flags.

    Boolean flags also take a value, as nsc's do: ``--revoke=false`` is ``--no-revoke``.
    """

    context_class = NscContext

    def __init__(self, *args: Any, long_running: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: a command that may run for long (a subscriber, a server, network exchanges): the
        #: cyclic garbage collector, off while a run starts (see :func:`pynsc.cli.main`), is
        #: turned back on for it
        self.long_running = long_running
        _add_global_options(self.params)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)

    def invoke(self, ctx: click.Context) -> Any:
        if self.long_running:
            import gc

            gc.enable()
        if ctx.command_path not in _NO_MIGRATION_CHECK:
            _refuse_old_keystore(ctx.ensure_object(App))
        try:
            return super().invoke(ctx)
        except UsageError as e:
            # the library's usage errors read as click's: one line and "see '… --help'"
            if e.hint is not None:
                raise
            raise click.UsageError(e.message, ctx=ctx) from e

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        params = self.get_params(ctx)
        return super().parse_args(ctx, _bool_values(params, _optional_values(params, args)))

    def make_parser(self, ctx: click.Context) -> _Parser:
        return _make_parser(self, ctx)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_options(self, ctx, formatter)


class Lazy:
    """A subcommand imported on first use, and what its group's help lists of it.

    ``target`` is ``"package.module:attribute"``. ``short_help`` and ``help`` are the loaded
    command's: its explicit ``short_help``, or else the first sentence of its help (which click
    shortens to fit the terminal); ``hidden`` keeps it out of help and completion. Listing a
    group's subcommands then imports none of them; a test checks every entry against the
    command it names.
    """

    __slots__ = ("help", "hidden", "short_help", "target")

    def __init__(
        self,
        target: str,
        short_help: str | None = None,
        *,
        help: str | None = None,
        hidden: bool = False,
    ) -> None:
        self.target = target
        self.short_help = short_help
        self.help = help
        self.hidden = hidden

    def __repr__(self) -> str:
        return f"Lazy({self.target!r}, {self.short_help!r}, help={self.help!r})"

    def get_short_help_str(self, limit: int = 45) -> str:
        """What the loaded command's ``get_short_help_str(limit)`` returns."""
        command = click.Command(None, short_help=self.short_help, help=self.help)
        return command.get_short_help_str(limit)


_Listed = Lazy | click.Command


class NscGroup(click.Group):
    """A verb group whose subcommands are imported only when needed.

    ``lazy_subcommands`` maps a command name to a :class:`Lazy` entry, or to a bare
    ``"package.module:attribute"`` (which help and completion must import to describe).
    """

    context_class = NscContext
    command_class = NscCommand
    group_class = type

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)

    def __init__(
        self,
        *args: Any,
        lazy_subcommands: Mapping[str, Lazy | str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})
        _add_global_options(self.params)

    def make_parser(self, ctx: click.Context) -> _Parser:
        return _make_parser(self, ctx)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_subcommands})

    def _visible(self, ctx: click.Context, names: list[str]) -> list[tuple[str, _Listed]]:
        """The subcommands among ``names`` that help and completion show, each as its
        :class:`Lazy` entry when it has one (nothing is imported), else as the command."""
        shown: list[tuple[str, _Listed]] = []
        for name in names:
            entry = self.lazy_subcommands.get(name)
            listed = entry if isinstance(entry, Lazy) else self.get_command(ctx, name)
            if listed is not None and not listed.hidden:
                shown.append((name, listed))
        return shown

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's list of subcommands, made from the :class:`Lazy` entries."""
        commands = self._visible(ctx, self.list_commands(ctx))
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _listed in commands)
        rows = [(name, listed.get_short_help_str(limit)) for name, listed in commands]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """click's completion of subcommand names, made from the :class:`Lazy` entries (a TAB
        press imports no subcommand), then of options."""
        from click.shell_completion import CompletionItem

        names = [name for name in self.list_commands(ctx) if name.startswith(incomplete)]
        results = [
            CompletionItem(name, help=listed.get_short_help_str())
            for name, listed in self._visible(ctx, names)
        ]
        results.extend(click.Command.shell_complete(self, ctx, incomplete))
        return results

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self.lazy_subcommands.get(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        target = entry.target if isinstance(entry, Lazy) else entry
        module_name, _colon, attribute = target.partition(":")
        loaded = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(loaded, (NscCommand, NscGroup)):
            raise TypeError(f"{target} must be made with pynsc.cli.base.command() or group()")
        return loaded


class RootGroup(NscGroup):
    """The ``pynsc`` group: the one place errors become messages and exit codes."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as e:
            if isinstance(e, CliUsageError):
                raise
            raise _one_line(e) from e

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            _json_failure(ctx.ensure_object(App), e.format_message())
            if isinstance(e, CliUsageError):
                raise
            raise _one_line(e) from e
        except click.ClickException as e:
            _json_failure(ctx.ensure_object(App), e.format_message())
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except NscError as e:
            app = ctx.ensure_object(App)
            if app.debug:
                app.output.traceback()
            _json_failure(app, e.message)
            raise CliError(e.message, hint=e.hint, exit_code=e.exit_code, output=app.output) from e
        except KeyboardInterrupt:
            _interrupted(ctx)
        except OSError as e:
            if e.errno == errno.EPIPE:  # stdout closed early (| head): let click pacify it
                raise
            _unexpected(ctx, e)
        except Exception as e:  # noqa: BLE001 - the one place every other error is reported
            _unexpected(ctx, e)


def _interrupted(ctx: click.Context) -> NoReturn:
    ctx.ensure_object(App).output.status("Interrupted")
    ctx.exit(EXIT_INTERRUPTED)


def _unexpected(ctx: click.Context, error: Exception) -> NoReturn:
    app = ctx.ensure_object(App)
    if app.debug:
        app.output.traceback()
        hint = None
    else:
        hint = "run with --debug (or PYNSC_DEBUG=1) to see the traceback"
    message = str(error) or type(error).__name__
    raise CliError(
        f"unexpected {type(error).__name__}: {message}", hint=hint, output=app.output
    ) from error


def command(name: str, **kwargs: Any) -> Callable[[Callable[..., Any]], NscCommand]:
    """``@click.command`` making an :class:`NscCommand` (so the global flags work after it)."""
    return click.command(name, cls=NscCommand, **kwargs)


def group(
    name: str, *, lazy_subcommands: Mapping[str, Lazy | str], **kwargs: Any
) -> Callable[[Callable[..., Any]], NscGroup]:
    """``@click.group`` making a lazily loading :class:`NscGroup`."""
    return click.group(name, cls=NscGroup, lazy_subcommands=lazy_subcommands, **kwargs)
