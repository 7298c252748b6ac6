"""The ``pynsc`` command line: ``main()``, and the root group ``cli`` (:mod:`pynsc.cli.root`).

Only this package imports click and rich. Verb groups are packages (``describe/``, ``generate/``)
with one module per leaf command, loaded on demand.

Start-up is most of a run's time, so this module imports nothing but :mod:`pynsc` itself:
``pynsc --version`` is answered here without importing click, and ``cli`` is imported on first
use (``from pynsc.cli import cli`` works as usual).
"""

import os
import sys

from pynsc import __version__

TYPE_CHECKING = False  # mypy treats this name as typing's (importing typing costs ~5 ms)
if TYPE_CHECKING:
    from pynsc.cli.root import cli

__all__ = ["cli", "main"]

_VERSION_ARGS = (["--version"], ["-v"])


def main() -> None:
    """Console-script entry point.

    The cyclic garbage collector is off for the run: a command lasts milliseconds to seconds
    and frees what it makes by reference counting, while the collector's passes over the
    objects imports create cost about 5% of a short command (more when listing 100,000
    users). Commands that may run for long turn it back on (``long_running``).
    """
    if sys.argv[1:] in _VERSION_ARGS and _print_version():
        return
    import gc

    gc.disable()
    from pynsc.cli.root import cli

    cli.main(prog_name="pynsc")


def _print_version() -> bool:
    """``pynsc --version`` without click: what the root's ``-v/--version`` prints, and how click
    ends a run whose stdout is a closed pipe (exit 1, nothing on stderr). ``False`` when click
    must answer: during shell completion, or without a stdout."""
    if "_PYNSC_COMPLETE" in os.environ or sys.stdout is None:
        return False
    try:
        sys.stdout.write(f"pynsc version {__version__}\n")
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    return True


def __getattr__(name: str) -> object:
    if name == "cli":
        from pynsc.cli.root import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
