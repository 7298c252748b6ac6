"""``pynsc describe account`` (§5.3 #39) and ``pynsc list accounts``."""

from __future__ import annotations

import json
from pathlib import Path

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import parse_decorated_jwt
from pynsc.store import Store, ops
from tests.cli.account.conftest import Env, error_line

# describe account ------------------------------------------------------------------------------


def test_only_account_is_the_default(env: Env) -> None:
    account = env.add_account("A")
    result = env.ok("describe", "account")
    assert "Account Details" in result.stdout
    assert account.public_key in result.stdout
    assert result.stderr == ""


def test_several_accounts_need_a_name(env: Env) -> None:  # 5.3 #39
    env.add_account("A")
    env.add_account("B")
    assert error_line(env.run("describe", "account")) == "account is required"


def test_by_name_flag_and_public_key(env: Env) -> None:  # 5.3 #39
    a = env.add_account("A")
    b = env.add_account("B")
    assert a.public_key in env.ok("describe", "account", "A").stdout
    assert b.public_key in env.ok("describe", "account", "-n", "B").stdout
    assert b.public_key in env.ok("describe", "account", b.public_key).stdout


def test_unknown(env: Env) -> None:
    env.add_account("A")
    assert error_line(env.run("describe", "account", "X")).startswith(
        '"X" not in accounts for operator "O"'
    )
    missing = keys.generate("account").public_key
    assert error_line(env.run("describe", "account", missing)) == (
        f"no account found with public key {missing}"
    )


def test_field_json_raw(env: Env, tmp_path: Path) -> None:  # 5.3 #39
    account = env.add_account("A")
    assert env.ok("describe", "account", "--field", "sub").stdout == f'"{account.public_key}"\n'
    payload = json.loads(env.ok("describe", "account", "--json").stdout)
    assert payload["sub"] == account.public_key
    token = env.store.account_token("A")
    assert env.ok("describe", "account", "--raw").stdout == token + "\n"
    out = tmp_path / "a.jwt"
    result = env.ok("describe", "account", "--raw", "-o", str(out))
    assert out.read_text().startswith("-----BEGIN NATS ACCOUNT JWT-----\ney")
    assert parse_decorated_jwt(out.read_text()) == token
    assert "wrote account jwt to" in result.stderr


def test_imports_show_friendly_names(env: Env) -> None:
    exporter = env.add_account("EXP")
    env.add_account("IMP")
    claims = env.account("IMP")
    claims.nats.imports.append(
        c.Import(name="x", subject="x.>", account=exporter.public_key, type="stream")
    )
    env.store.write_account("IMP", c.encode(claims, env.operator))
    table = env.ok("describe", "account", "IMP").stdout
    assert "| EXP " in table
    long_ids = env.ok("describe", "account", "IMP", "--long-ids").stdout
    assert exporter.public_key in long_ids


# list accounts ---------------------------------------------------------------------------------


def test_list_table_and_json(env: Env) -> None:
    a = env.add_account("A")
    b = env.add_account("B")
    result = env.ok("list", "accounts")
    assert result.stdout.splitlines()[1].strip("| ").startswith("Accounts")
    assert f"| A    | {a.public_key} |" in result.stdout
    assert f"| B    | {b.public_key} |" in result.stdout
    payload = env.json("list", "accounts")
    assert payload["data"] == [
        {"name": "A", "public_key": a.public_key},
        {"name": "B", "public_key": b.public_key},
    ]


def test_list_empty(env: Env) -> None:
    assert "No entries defined" in env.ok("list", "accounts").stdout
    assert env.json("list", "accounts")["data"] == []


def test_list_other_operator_does_not_persist(env: Env) -> None:
    other = Store.create(env.store.root, "P")
    op = keys.generate("operator")
    env.keystore.store(op)
    ops.save_operator(other, c.OperatorClaims(sub=op.public_key, name="P"), op)
    account = keys.generate("account")
    ops.save_account(other, "X", c.AccountClaims(sub=account.public_key, name="X"), op)
    env.add_account("A")
    before = env.config()
    payload = env.json("list", "accounts", "-o", "P")
    assert payload["data"] == [{"name": "X", "public_key": account.public_key}]
    assert env.config() == before  # nsc would make P the current operator
    assert env.json("list", "accounts")["data"][0]["name"] == "A"
    assert error_line(env.run("list", "accounts", "--operator", "Q")).startswith(
        'operator "Q" not in'
    )


def test_list_broken_jwt(env: Env) -> None:
    env.add_account("A")
    (env.store.dir / "accounts" / "A" / "A.jwt").write_text("garbage")
    result = env.ok("list", "accounts")
    assert "error loading jwt" in result.stdout
    assert "[WARN]" in result.stderr
