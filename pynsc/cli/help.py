"""``pynsc help [COMMAND...]`` and ``pynsc completion bash|zsh|fish``, as cobra gives nsc.

``help add user`` prints what ``add user --help`` prints, on stdout. ``completion SHELL`` prints
the script that makes the shell complete pynsc's commands and flags (click's own machinery: the
script calls ``pynsc`` back with ``_PYNSC_COMPLETE`` set).
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command, group

__all__ = ["completion_group", "help_command"]

SHELLS = ("bash", "zsh", "fish")


@command("help", short_help="Help about any command.")
@click.argument("topic", nargs=-1)
@pass_app
@click.pass_context
def help_command(ctx: click.Context, app: App, topic: tuple[str, ...]) -> None:
    """Show the help of a command: 'pynsc help add user' is 'pynsc add user --help'."""
    root = ctx.find_root()
    current: click.Command = root.command
    current_ctx = root
    for word in topic:
        found = (
            current.get_command(current_ctx, word) if isinstance(current, click.Group) else None
        )
        if found is None:
            raise click.UsageError(f"unknown help topic {' '.join(topic)!r}")
        current_ctx = click.Context(found, info_name=word, parent=current_ctx)
        current = found
    app.output.data(current.get_help(current_ctx))


@group("completion", lazy_subcommands={})
def completion_group() -> None:
    """Print a shell completion script for pynsc (bash, zsh or fish).

    \b
    bash:  eval "$(pynsc completion bash)"    (or save it in ~/.bash_completion.d/pynsc)
    zsh:   eval "$(pynsc completion zsh)"     (after compinit)
    fish:  pynsc completion fish > ~/.config/fish/completions/pynsc.fish
    """


def _script(shell: str) -> str:
    from click.shell_completion import get_completion_class

    completion = get_completion_class(shell)
    assert completion is not None  # click ships every shell of SHELLS
    from pynsc.cli import cli

    return completion(cli, {}, "pynsc", "_PYNSC_COMPLETE").source()


def _shell_command(shell: str) -> click.Command:
    @command(shell, short_help=f"Print the completion script for {shell}.")
    @pass_app
    def print_script(app: App) -> None:
        app.output.data(_script(shell))

    print_script.help = f"Print the script that makes {shell} complete pynsc's commands."
    return print_script


for _shell in SHELLS:
    completion_group.add_command(_shell_command(_shell))
