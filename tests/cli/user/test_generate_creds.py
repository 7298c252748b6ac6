"""``pynsc generate creds``: default user, -n, -o (atomic, 0600), -a, JSON."""

from __future__ import annotations

from pathlib import Path

from pynsc import claims as c
from tests.cli.user.conftest import Env, assert_creds


def test_only_user_on_stdout(env: Env) -> None:
    key = env.add_user("A", "U").public_key
    result = env.ok("generate", "creds")
    claims, pair = c.decode_creds(result.stdout)
    assert claims.sub == key == pair.public_key
    assert result.stdout == env.creds_path("A", "U").read_text()
    assert result.stderr == ""


def test_named_user(env: Env) -> None:
    env.add_user("A", "U")
    key = env.add_user("A", "V").public_key
    assert c.decode_creds(env.ok("generate", "creds", "-n", "V").stdout)[0].sub == key
    assert c.decode_creds(env.ok("generate", "creds", "--name", key).stdout)[0].sub == key


def test_user_required_with_several(env: Env) -> None:
    env.add_user("A", "U")
    env.add_user("A", "V")
    assert env.fails("generate", "creds") == "user is required"


def test_unknown_user(env: Env) -> None:
    assert env.fails("generate", "creds", "-n", "NO").startswith('user "NO" not found')


def test_seed_not_stored(env: Env) -> None:
    env.add_user("A", "U", store_key=False)
    assert "is not in the keystore" in env.fails("generate", "creds")


def test_output_file(env: Env, tmp_path: Path) -> None:
    key = env.add_user("A", "U").public_key
    target = tmp_path / "out" / "u.creds"
    result = env.ok("generate", "creds", "-o", str(target))
    assert result.stdout == ""
    assert f"generated `{target}`" in result.stderr
    assert_creds(target, key)
    assert target.parent.stat().st_mode & 0o777 == 0o700
    target.write_text("old")
    env.ok("generate", "creds", "--output-file", str(target))
    assert_creds(target, key)


def test_dash_is_stdout(env: Env) -> None:
    env.add_user("A", "U")
    assert env.ok("generate", "creds", "-o", "--").stdout.startswith("-----BEGIN NATS USER JWT")


def test_account_flag(env: Env) -> None:
    env.add_account("B")
    key = env.add_user("B", "U").public_key
    assert c.decode_creds(env.ok("generate", "creds", "-a", "B").stdout)[0].sub == key


def test_json(env: Env, tmp_path: Path) -> None:
    env.add_user("A", "U")
    data = env.json("generate", "creds")["data"]
    assert data["name"] == "U"
    assert data["creds"] == env.creds_path("A", "U").read_text()
    target = tmp_path / "u.creds"
    data = env.json("generate", "creds", "-o", str(target))["data"]
    assert data["path"] == str(target)
