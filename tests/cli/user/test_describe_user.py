"""``pynsc describe user``: by name, argument or public key; the default user; the views;
the scoped-key table (§5.3 #40)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pynsc import claims as c
from tests.cli.user.conftest import Env


def test_by_name_argument_and_key(env: Env) -> None:
    key = env.add_user("A", "U").public_key
    env.add_user("A", "V")
    for args in (("U",), ("-n", "U"), ("--name", "U"), (key,)):
        out = env.ok("describe", "user", *args).stdout
        assert "| User ID " in out
        assert key in out
        assert re.search(r"^\| Name +\| U +\|$", out, re.MULTILINE)


def test_only_user_is_the_default(env: Env) -> None:
    key = env.add_user("A", "U").public_key
    assert key in env.ok("describe", "user").stdout


def test_user_is_required_with_several(env: Env) -> None:
    env.add_user("A", "U")
    env.add_user("A", "V")
    result = env.run("describe", "user")
    assert result.exit_code == 1
    assert "user is required" in result.stderr


def test_user_is_required_without_users(env: Env) -> None:
    assert env.fails("describe", "user") == "user is required"


def test_unknown_name_and_key(env: Env) -> None:
    env.add_user("A", "U")
    assert env.fails("describe", "user", "NO").startswith('user "NO" not found')
    other = env.add_user("A", "V").public_key
    env.store.delete_user("A", "V")
    assert env.fails("describe", "user", other) == f"no user found with public key {other}"


def test_account_flag(env: Env) -> None:
    b = env.add_account("B")
    key = env.add_user("B", "U").public_key
    assert key in env.ok("describe", "user", "U", "-a", "B").stdout
    assert key in env.ok("describe", "user", "U", "--account", b.public_key).stdout


def test_json_raw_field(env: Env) -> None:
    key = env.add_user("A", "U", tags=["x"]).public_key
    payload = json.loads(env.ok("describe", "user", "U", "--json").stdout)
    assert payload["sub"] == key
    assert payload["nats"]["tags"] == ["x"]
    assert env.ok("describe", "user", "-J").stdout == env.ok("describe", "user", "U", "-J").stdout
    assert env.ok("describe", "user", "U", "--raw").stdout == env.user_token("A", "U") + "\n"
    assert env.ok("describe", "user", "U", "--field", "sub").stdout == f'"{key}"\n'


def test_output_file(env: Env, tmp_path: Path) -> None:
    env.add_user("A", "U")
    target = tmp_path / "u.jwt"
    result = env.ok("describe", "user", "U", "--raw", "-o", str(target))
    assert target.read_text().startswith("-----BEGIN NATS USER JWT-----\n")
    assert "wrote user jwt to" in result.stderr
    assert result.stdout == ""


def test_scoped_user_gets_scope_table(env: Env) -> None:
    template = c.UserPermissionLimits()
    template.pub.allow = ["svc.>"]
    sk = env.add_signing_key("A", role="service", scope=template)
    env.ok("add", "user", "S", "-K", "service")
    out = env.ok("describe", "user", "S").stdout
    assert "| Issuer Scoped  | Yes" in out
    assert "Scoped Signing Key - Details" in out
    assert sk.public_key in out
    assert "| Role                 | service" in out
    assert "svc.>" in out


def test_plain_user_has_no_scope_table(env: Env) -> None:
    sk = env.add_signing_key("A")
    env.add_user("A", "U", signer=sk)
    out = env.ok("describe", "user", "U").stdout
    assert "Scoped Signing Key" not in out
    assert "| Issuer Account " in out
