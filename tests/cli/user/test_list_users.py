"""``pynsc list users``: table, JSON, -a/-o without changing the context."""

from __future__ import annotations

import base64
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


def test_every_file_that_is_not_a_user_jwt_of_the_account_is_reported(env: Env) -> None:
    """Users are listed without verifying each signature, yet nothing invalid is listed as a
    user: wrong type, bad base64 or JSON, a field of the wrong type, an issuer that is not an
    account key, a forged signature of a foreign issuer, a file that is not UTF-8."""
    from pynsc import claims as c
    from pynsc import keys

    u = env.add_user("A", "U").public_key
    users = env.store.dir / "accounts" / "A" / "users"
    good = (users / "U.jwt").read_text()
    head, body, signature = good.split(".")
    other = keys.generate("account")
    foreign = c.encode(c.UserClaims(sub=keys.generate("user").public_key, name="F"), other)
    fh, fb, fs = foreign.split(".")
    bad_field = base64.urlsafe_b64encode(
        json.dumps({**c.peek(good), "nats": {"type": "user", "version": 2, "pub": {"allow": 1}}})
        .encode()
    ).decode().rstrip("=")
    files = {
        "account": env.store.account_token("A"),
        "base64": f"{head}.!{body}.{signature}",
        "json": f"{head}.{body[:-8]}.{signature}",
        "field": f"{head}.{bad_field}.{signature}",
        "forged": f"{fh}.{fb}.{'A' if fs[0] != 'A' else 'B'}{fs[1:]}",
        "garbage": "garbage",
    }
    for name, token in files.items():
        (users / f"{name}.jwt").write_text(token)
    (users / "latin1.jwt").write_bytes(b"\xe9t\xe9")

    result = env.ok("list", "users")
    for name in (*files, "latin1"):
        assert re.search(rf"^\| {name} +\| error loading jwt - ", result.stdout, re.MULTILINE)
        assert f'[WARN] user "{name}": ' in result.stderr
    assert re.search(rf"^\| U +\| {u} +\|$", result.stdout, re.MULTILINE)
    assert "expected user claims, got account claims" in result.stderr
    assert "signature verification failed" in result.stderr

    payload = env.json("list", "users")
    assert payload["ok"] is True
    assert {"name": "U", "public_key": u} in payload["data"]
    listed = {entry["name"]: entry["public_key"] for entry in payload["data"]}
    assert all(listed[name] == "" for name in (*files, "latin1"))
    assert len(payload["messages"]) == len(files) + 1
