"""Shared test fixtures: where the Go-made reference material lives (``tests/fixtures``, see its
README), and an isolated home."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GO_FIXTURES = FIXTURES / "go-jwt-2.3.0"
GOLDEN = FIXTURES / "golden-jwt-v2.8.2.json"


@pytest.fixture(scope="session")
def golden() -> dict[str, Any]:
    """The four byte-exact tokens made by nats-io/jwt v2.8.2."""
    return json.loads(GOLDEN.read_text())


@pytest.fixture(scope="session")
def manifest() -> dict[str, Any]:
    """The manifest of the Go jwt 2.3.0 fixture set."""
    return json.loads((GO_FIXTURES / "manifest.json").read_text())


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own HOME/XDG dirs, so nothing reads or writes the real ones."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in ("NSC_HOME", "NKEYS_PATH", "NSC_CWD_ONLY", "NSC_NO_GIT_IGNORE", "PYNSC_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
