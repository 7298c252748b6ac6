"""One-shot `--operator/-O` and `--account` overrides: they pick the context for one command,
before or after the subcommand, and never change nsc.json (nsc #710)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Pynsc
from tests.cli.user.conftest import make_env


def test_overrides_apply_once_and_are_never_saved(tmp_path: Path, pynsc: Pynsc) -> None:
    env = make_env(tmp_path / "nsc", pynsc, accounts=("A", "B"))
    env.ok("select", "account", "A")
    config = tmp_path / "nsc" / "nsc.json"
    saved = config.read_bytes()

    env.ok("--account", "B", "add", "user", "u1")
    env.ok("add", "user", "u2", "--account", "B")
    assert env.store.user_names("B") == ["u1", "u2"]
    assert env.store.user_names("A") == []
    assert config.read_bytes() == saved

    env.ok("add", "operator", "P")  # a second operator becomes current, as in nsc
    saved = config.read_bytes()
    assert json.loads(saved)["operator"] == "P"
    env.ok("-O", "O", "add", "account", "C")
    env.ok("add", "account", "D", "--operator", "O")
    assert {"C", "D"} <= set(env.store.account_names())
    assert config.read_bytes() == saved, "overrides never touch nsc.json"

    result = env.run("-O", "NOPE", "list", "accounts")
    assert result.exit_code == 1
    assert 'operator "NOPE" not in' in result.stderr
