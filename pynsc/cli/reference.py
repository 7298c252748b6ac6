"""The command reference in ``docs/cli-reference.md``, made from the click tree itself.

``python -m pynsc.cli.reference > docs/cli-reference.md`` rewrites it; a test fails when the file
and the tree disagree, so the reference never goes stale.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

WIDTH = 100


def _walk(command: click.Command, path: list[str], parent: click.Context | None) -> Iterator[str]:
    ctx = click.Context(
        command,
        info_name=path[-1],
        parent=parent,
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        help_option_names=["-h", "--help"],
    )
    yield f"## `{' '.join(path)}`\n\n```text\n{command.get_help(ctx).rstrip()}\n```\n"
    if isinstance(command, click.Group):
        seen: set[int] = set()
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden or id(sub) in seen or sub.name != name:
                continue  # aliases (create, list operator, revocations add_user) once only
            seen.add(id(sub))
            yield from _walk(sub, [*path, name], ctx)


def render() -> str:
    from pynsc.cli import cli

    head = (
        "# pynsc command reference\n\n"
        "Generated from the command tree by `python -m pynsc.cli.reference`; do not edit.\n"
        "Global options are accepted before or after the subcommand.\n"
    )
    return head + "\n" + "\n".join(_walk(cli, ["pynsc"], None))


if __name__ == "__main__":
    sys.stdout.write(render())
