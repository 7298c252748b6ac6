"""A path starting with ``~name`` for a user that does not exist is taken as written (a relative
path), as the shell and Go nsc take it, instead of failing with an unexpected RuntimeError from
``Path.expanduser``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Pynsc

NO_SUCH_USER = "~no-such-user-for-pynsc"


@pytest.fixture
def store(pynsc: Pynsc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.chdir(tmp_path)
    assert pynsc("-H", str(home), "init", "-n", "O").exit_code == 0
    assert pynsc("-H", str(home), "add", "user", "-n", "u").exit_code == 0
    return home


def test_generate_creds_to_unknown_home(pynsc: Pynsc, store: Path, tmp_path: Path) -> None:
    result = pynsc("-H", str(store), "generate", "creds", "-n", "u", "-o",
                   f"{NO_SUCH_USER}/u.creds")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    written = tmp_path / NO_SUCH_USER / "u.creds"
    assert written.read_text().startswith("-----BEGIN NATS USER JWT-----")


def test_export_keys_to_unknown_home(pynsc: Pynsc, store: Path, tmp_path: Path) -> None:
    result = pynsc("-H", str(store), "export", "keys", "--dir", f"{NO_SUCH_USER}/keys")
    assert result.exit_code == 0, result.stderr
    assert list((tmp_path / NO_SUCH_USER / "keys").glob("*.nk"))
