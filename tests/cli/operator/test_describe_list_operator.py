"""``pynsc describe operator`` and ``pynsc list operators``."""

from __future__ import annotations

import json
from pathlib import Path

from pynsc import claims as c
from pynsc import keys
from pynsc.store import ToolConfig
from tests.cli.operator.conftest import Env, Home, error_line


def test_describe_current_operator(env: Env) -> None:
    result = env.ok("describe", "operator")
    assert "Operator Details" in result.stdout
    assert env.operator.public_key in result.stdout
    assert result.stderr == ""


def test_describe_shows_system_account_name(env: Env) -> None:
    account = env.add_account("SYS")
    env.ok("edit", "operator", "--system-account", "SYS")
    out = env.ok("describe", "operator").stdout
    assert f"{account.public_key} / SYS" in out


def test_describe_by_name_or_key_without_context(env: Env) -> None:
    key = env.add_operator("P")
    # no current operator at all: two operators and an empty nsc.json
    ToolConfig.update(env.dir / "nsc.json", operator="", account="")
    assert error_line(env.run("describe", "operator")).startswith("set an operator")
    for args in (("P",), ("-n", "P"), ("--name", key.public_key), (key.public_key,)):
        out = env.ok("describe", "operator", *args).stdout
        assert f"| Operator ID          | {key.public_key} |" in out, args


def test_describe_unknown(env: Env) -> None:
    assert error_line(env.run("describe", "operator", "NOPE")).startswith('operator "NOPE" not in')
    key = keys.generate("operator").public_key
    assert error_line(env.run("describe", "operator", key)) == (
        f"no operator found with public key {key}"
    )


def test_describe_json_raw_field_and_file(env: Env, tmp_path: Path) -> None:
    payload = json.loads(env.ok("describe", "operator", "--json").stdout)
    assert payload["sub"] == env.operator.public_key
    raw = env.ok("describe", "operator", "--raw").stdout
    assert raw == env.store().operator_token() + "\n"
    field = env.ok("describe", "operator", "--field", "sub").stdout
    assert field == f'"{env.operator.public_key}"\n'
    out = tmp_path / "op.jwt"
    result = env.ok("describe", "operator", "--raw", "-o", str(out))
    assert out.read_text().startswith("-----BEGIN NATS OPERATOR JWT-----\ney")
    assert "[ OK ] wrote operator jwt to" in result.stderr
    assert c.decode(out.read_text().splitlines()[1], c.OperatorClaims).name == "O"


def test_list_operators(env: Env) -> None:
    key = env.add_operator("P")
    out = env.ok("list", "operators").stdout
    lines = out.splitlines()
    assert "Operators" in lines[1]
    assert f"| O    | {env.operator.public_key} |" in lines
    assert f"| P    | {key.public_key} |" in lines
    payload = env.json("list", "operators")
    assert payload["data"] == [
        {"name": "O", "public_key": env.operator.public_key},
        {"name": "P", "public_key": key.public_key},
    ]
    # the singular alias
    assert env.ok("list", "operator").stdout == out


def test_list_operators_empty(home: Home) -> None:
    assert "No entries defined" in home.ok("list", "operators").stdout
    assert home.json("list", "operators")["data"] == []


def test_list_operators_broken_jwt(env: Env) -> None:
    (env.dir / "O" / "O.jwt").write_text("garbage")
    result = env.ok("list", "operators")
    assert "error loading jwt" in result.stdout
    assert "[WARN]" in result.stderr
