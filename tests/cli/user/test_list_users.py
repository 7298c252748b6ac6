"""``pynsc list users``: table, JSON, -a/-o without changing the context."""

from __future__ import annotations

import json
import re

from pynsc.store import ToolConfig
from tests.cli.user.conftest import Env


def test_table(env: Env) -> None:
    u = env.add_user("A", "U").public_key
    v = env.add_user("A", "V").public_key
    out = env.ok("list", "users").stdout
    assert "Users" in out
    assert re.search(rf"^\| U +\| {u} \|$", out, re.MULTILINE)
    assert re.search(rf"^\| V +\| {v} \|$", out, re.MULTILINE)
    assert out.index("| U ") < out.index("| V ")


def test_empty(env: Env) -> None:
    assert "No entries defined" in env.ok("list", "users").stdout


def test_json(env: Env) -> None:
    u = env.add_user("A", "U").public_key
    payload = env.json("list", "users")
    assert payload["data"] == [{"name": "U", "public_key": u}]
    assert env.json("list", "user")["data"] == payload["data"]


def test_json_empty(env: Env) -> None:
    assert env.json("list", "users")["data"] == []


def test_account_flag_does_not_persist(env: Env) -> None:
    b = env.add_account("B")
    u = env.add_user("B", "U").public_key
    before = ToolConfig.load(env.home / "nsc.json")
    assert env.json("list", "users", "-a", "B")["data"] == [{"name": "U", "public_key": u}]
    assert env.json("list", "users", "--account", b.public_key)["data"][0]["name"] == "U"
    assert ToolConfig.load(env.home / "nsc.json") == before


def test_account_required_with_several(env: Env) -> None:
    env.add_account("B")
    assert env.fails("list", "users") == "an account is required"


def test_unknown_account_and_operator(env: Env) -> None:
    assert env.fails("list", "users", "-a", "NO").startswith('"NO" not in accounts')
    assert env.fails("list", "users", "-o", "NO").startswith('operator "NO" not in')


def test_operator_flag(env: Env) -> None:
    assert json.loads(env.ok("list", "users", "-o", "O", "--json").stdout)["ok"] is True


def test_bad_jwt_is_reported_not_fatal(env: Env) -> None:
    env.add_user("A", "U")
    (env.store.dir / "accounts" / "A" / "users" / "X.jwt").write_text("garbage")
    result = env.ok("list", "users")
    assert "error loading jwt" in result.stdout
    assert '[WARN] user "X"' in result.stderr
