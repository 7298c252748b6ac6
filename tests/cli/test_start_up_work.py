"""A command run does no work nobody asked for: click's help option is made without a gettext
catalog search (which imports ``locale``), and valid short options are parsed without click
building a "no such option" error first (which imports ``difflib``). Help still reads as
click's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import Pynsc


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('MODULES ' + ' '.join(sys.modules) + '\\n'))\n"
        f"sys.argv = ['pynsc', *{args!r}]\n"
        "from pynsc.cli import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stderr.splitlines() if x.startswith("MODULES "))
    return set(line.split()[1:])


def test_add_user_searches_no_catalog(tmp_path: Path, pynsc: Pynsc) -> None:
    home = str(tmp_path / "nsc")
    assert pynsc("-H", home, "init", "-n", "O").exit_code == 0
    loaded = _modules_after(["-H", home, "add", "user", "-n", "u"])
    assert "pynsc.actions.users" in loaded
    assert not {"locale", "difflib"} & loaded


def test_the_help_option_reads_as_clicks(pynsc: Pynsc) -> None:
    for args in (["--help"], ["add", "--help"], ["add", "user", "-h"]):
        result = pynsc(*args)
        assert result.exit_code == 0
        assert "  -h, --help" in result.stdout
        assert "Show this message and exit." in result.stdout
