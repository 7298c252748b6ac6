"""``Output``: data verbatim on stdout, everything else on stderr, no markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc.cli.output import Output, display_path
from pynsc.cli.table import Table


def test_data_is_verbatim(capsys: pytest.CaptureFixture[str]) -> None:
    out = Output()
    out.data("a\tb [bold]x[/bold] :smile: " + "y" * 300)
    out.data("no newline", end="")
    captured = capsys.readouterr()
    assert captured.out == "a\tb [bold]x[/bold] :smile: " + "y" * 300 + "\nno newline"
    assert captured.err == ""


def test_json_one_space_no_html_escaping(capsys: pytest.CaptureFixture[str]) -> None:
    Output().json({"a": ["<&>"], "é": 1})
    assert capsys.readouterr().out == '{\n "a": [\n  "<&>"\n ],\n "é": 1\n}\n'


def test_table(capsys: pytest.CaptureFixture[str]) -> None:
    one, two = Table("T"), Table("U")
    one.add("k", "v")
    two.add("x", "y")
    Output().table([one, two])
    assert capsys.readouterr().out == one.render() + "\n" + two.render()


def test_diagnostics_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    out = Output()
    out.status("plain [red]text[/red] nats://h:4222")
    out.ok("done")
    out.warning("careful")
    out.error("it broke", hint="fix it")
    out.error("no hint")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "plain [red]text[/red] nats://h:4222",
        "[ OK ] done",
        "[WARN] careful",
        "Error: it broke",
        "Hint: fix it",
        "Error: no hint",
    ]


def test_display_path(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert display_path(home / "keys" / "a.nk") == "`~/keys/a.nk`"
    assert display_path(home) == "`~`"
    assert display_path("/elsewhere/x") == "`/elsewhere/x`"
    assert display_path(str(home) + "x/y") == f"`{home}x/y`"
