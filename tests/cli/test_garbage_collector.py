"""The console script runs with the cyclic garbage collector off (a short run frees what it
makes by reference counting), and the commands that may run for long turn it back on."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pynsc.cli import cli
from pynsc.cli.base import NscCommand, NscGroup

LONG_RUNNING = {
    ("push",), ("pull",), ("server", "run"), ("tool", "pub"), ("tool", "sub"), ("tool", "req"),
    ("tool", "reply"), ("tool", "rtt"), ("pub",), ("sub",), ("req",), ("reply",), ("rtt",),
}  # fmt: skip


def _leaves(group: NscGroup, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], NscCommand]:
    import click

    found: dict[tuple[str, ...], NscCommand] = {}
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, NscGroup):
            found.update(_leaves(command, (*path, name)))
        elif isinstance(command, NscCommand):
            found[(*path, name)] = command
    return found


def test_only_the_long_running_commands_turn_the_collector_back_on() -> None:
    flagged = {path for path, command in _leaves(cli).items() if command.long_running}
    assert flagged == LONG_RUNNING


@pytest.mark.parametrize("args", [["--help"], ["tool", "rtt", "--help"]])
def test_the_console_script_runs_without_the_collector(args: list[str]) -> None:
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.stderr.write(f'gc={gc.isenabled()}\\n'))\n"
        f"sys.argv = ['pynsc', *{args!r}]\n"
        "from pynsc.cli import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)  # fmt: skip
    assert "gc=False" in result.stderr, result.stderr


def test_a_long_running_command_turns_the_collector_on() -> None:
    import gc

    import click
    from click.testing import CliRunner

    from pynsc.cli.base import command

    @command("probe", long_running=True)
    def probe() -> None:
        click.echo(f"gc={gc.isenabled()}")

    gc.disable()
    try:
        result = CliRunner().invoke(probe, [])
    finally:
        gc.enable()
    assert result.output.strip() == "gc=True"
