"""``pynsc env`` (§5.3 #44) and ``pynsc select operator|account`` (#52)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.operator.conftest import Env, Home, error_line


def _rows(out: str) -> dict[str, list[str]]:
    """Table rows by their first cell, decorations stripped (nsc's StripTableDecorations)."""
    rows: dict[str, list[str]] = {}
    for line in out.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) >= 2 and cells[0]:
            rows[cells[0]] = cells[1:]
    return rows


def test_env_table(env: Env) -> None:
    env.add_account("A")
    result = env.ok("env")
    assert result.stderr == ""
    rows = _rows(result.stdout)
    assert "NSC Environment" in result.stdout
    assert rows["$NSC_CWD_ONLY"][0] == "No"
    assert rows["$NKEYS_PATH"] == ["No", str(env.dir)]
    assert rows["$NSC_HOME"] == ["No", str(env.dir)]
    assert rows["Current Store Dir"] == ["", str(env.dir)]
    assert rows["Current Operator"] == ["", "O"]
    assert rows["Current Account"] == ["", "A"]
    assert rows["Root CAs to trust"] == ["", "Default: System Trust Store"]


def test_env_json(env: Env) -> None:
    payload = env.json("env")
    data = payload["data"]
    assert data["operator"] == "O"
    assert data["store_root"] == str(env.dir)
    assert data["keystore_dir"] == str(env.dir)
    assert data["variables"]["NSC_CWD_ONLY"] is False


def test_env_sets_and_persists(env: Env) -> None:
    env.add_account("A")
    env.add_account("B")
    env.add_operator("P")
    env.add_account("C", operator="P")
    result = env.ok("env", "-o", "P")
    assert _rows(result.stdout)["Current Operator"] == ["", "P"]
    config = env.config()
    assert (config.operator, config.account) == ("P", "C")  # its only account
    env.ok("env", "--operator", "O", "--account", "B")
    config = env.config()
    assert (config.operator, config.account) == ("O", "B")
    key = env.store().account("A").sub
    env.ok("env", "-a", key)  # by public key
    assert env.config().account == "A"


def test_env_store(env: Env, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    env.ok("env", "--store", str(other))
    config = env.config()
    assert (config.store_root, config.operator, config.account) == (str(other), "", "")
    before = env.digest()
    missing = tmp_path / "missing"
    assert error_line(env.run("env", "-s", str(missing))) == (
        f"store directory `{missing}` does not exist"
    )
    assert env.digest() == before


def test_env_unknown_operator_or_account(env: Env) -> None:  # 5.3 #44
    before = env.digest()
    assert error_line(env.run("env", "-o", "X")).startswith('operator "X" not in')
    assert error_line(env.run("env", "-a", "A")).startswith(
        '"A" not in accounts for operator "O"'
    )
    # a bad account leaves a good operator unsaved too
    env.add_operator("P")
    before = env.digest()
    assert error_line(env.run("env", "-o", "P", "-a", "NOPE")).startswith('"NOPE" not in')
    assert env.digest() == before


def test_env_cwd_only(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:  # 5.3 #44
    monkeypatch.setenv("NSC_CWD_ONLY", "")
    result = env.ok("env")
    assert _rows(result.stdout)["$NSC_CWD_ONLY"][0] == "Yes"
    before = env.digest()
    assert error_line(env.run("env", "--account", "A")) == (
        "$NSC_CWD_ONLY is set - change your cwd to change context"
    )
    assert env.digest() == before


def test_env_from_cwd(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    env.add_account("A")
    env.add_account("B")
    monkeypatch.chdir(env.dir / "O" / "accounts" / "B")
    rows = _rows(env.ok("env").stdout)
    assert rows["From CWD"] == ["", "Yes"]
    assert rows["Current Account"] == ["", "B"]
    monkeypatch.chdir(os.path.dirname(env.dir))
    assert _rows(env.ok("env").stdout)["From CWD"] == ["", "No"]


def test_select_operator(env: Env) -> None:
    env.add_operator("P")
    env.add_account("C", operator="P")
    result = env.ok("select", "operator", "P")
    assert result.stderr == '[ OK ] current operator set to "P"\n'
    config = env.config()
    assert (config.operator, config.account) == ("P", "C")
    payload = env.json("select", "operator", "O")
    assert payload["data"] == {"operator": "O", "account": ""}


def test_select_account(env: Env) -> None:  # 5.3 #52
    env.add_account("A")
    key = env.add_account("B").public_key
    env.ok("select", "account", "A")
    assert env.config().account == "A"
    before = env.digest()
    assert error_line(env.run("select", "account", "NO")).startswith(
        '"NO" not in accounts for operator "O"'
    )
    assert env.digest() == before
    assert env.config().account == "A"
    env.ok("select", "account", key)
    assert env.config().account == "B"


def test_select_needs_exactly_one_name(env: Env) -> None:
    assert env.run("select", "account").exit_code == 2
    assert env.run("select", "operator", "a", "b").exit_code == 2


def test_select_unknown_operator(home: Home) -> None:
    before = home.digest()
    assert error_line(home.run("select", "operator", "X")).startswith('operator "X" not in')
    assert home.digest() == before


def test_select_cwd_only(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSC_CWD_ONLY", "1")
    assert "NSC_CWD_ONLY" in error_line(env.run("select", "operator", "O"))


def test_selecting_the_same_operator_or_store_keeps_the_account(env: Env) -> None:
    # issue 10, item 7: the current account survives selecting the current context again
    env.add_account("A1")
    env.add_account("A2")
    env.ok("select", "account", "A1")
    env.ok("select", "operator", "O")
    assert (env.config().operator, env.config().account) == ("O", "A1")
    env.ok("add", "user", "u1")
    env.ok("env", "-o", "O")
    env.ok("env", "-s", str(env.dir))
    assert (env.config().operator, env.config().account) == ("O", "A1")
    assert env.store().has_user("A1", "u1")


def test_selecting_another_operator_keeps_an_account_it_has(env: Env) -> None:
    env.add_account("A")
    env.add_account("B")
    env.add_operator("P")
    env.add_account("A", operator="P")
    env.add_account("C", operator="P")
    env.ok("select", "account", "A")
    env.ok("select", "operator", "P")
    assert env.config().account == "A"  # as nsc: P has an "A" too
    env.ok("select", "account", "C")
    env.ok("select", "operator", "O")
    assert env.config().account == ""  # O has no "C", and two accounts
