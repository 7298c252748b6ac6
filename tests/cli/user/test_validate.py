"""``pynsc validate`` (§5.3 #51) and ``pynsc expirations``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.store import ops
from tests.cli.user.conftest import Env


def test_healthy_store(env: Env) -> None:
    env.add_user("A", "U")
    result = env.ok("validate")
    assert result.stdout.count("No issues found") == 2
    assert 'Operator "O"' in result.stdout
    assert 'Account "A"' in result.stdout


def test_expired_user(env: Env) -> None:
    env.add_user("A", "U", exp=int(time.time()) - 60)
    before = env.digest()
    result = env.run("validate")
    assert result.exit_code == 1
    assert 'user "U": claim is expired' in result.stdout
    assert "Error: validation found errors" in result.stderr
    assert env.digest() == before


def test_all_and_account_are_exclusive(env: Env) -> None:
    assert "specify only one" in env.fails("validate", "-A", "-a", "A", exit_code=2)
    assert "specify only one" in env.fails("validate", "-f", "x", "-A", exit_code=2)


def test_all_accounts(env: Env) -> None:
    env.add_account("B")
    result = env.ok("validate", "--all-accounts")
    assert 'Account "A"' in result.stdout
    assert 'Account "B"' in result.stdout


def test_no_current_account_validates_operator_only(env: Env) -> None:
    env.add_account("B")
    result = env.ok("validate")
    assert 'Account "' not in result.stdout
    assert 'Account "B"' in env.ok("validate", "-a", "B").stdout


def test_user_not_issued_by_account(env: Env) -> None:
    stranger = keys.generate("account")
    user = keys.generate("user")
    token = c.encode(c.UserClaims(sub=user.public_key, name="X"), stranger)
    env.store.write_user("A", "X", token)
    result = env.run("validate")
    assert result.exit_code == 1
    assert 'user "X" is not issued by account or account signing keys' in result.stdout


def test_subjects_the_server_cannot_use_written_elsewhere(env: Env) -> None:
    """JWTs Go nsc writes (nats-io/jwt v2.8 lets these through) are reported, not signed."""
    account = env.store.account("A")
    account.nats.mappings = {"src": [c.WeightedMapping(subject=">")]}
    account.nats.exports = [c.Export(subject="a.>.b", type=c.STREAM)]
    env.store.write_account("A", c.encode(account, env.operator))
    user = keys.generate("user")
    claims = c.UserClaims(sub=user.public_key, name="X")
    claims.nats.pub.allow = ["a\tb"]
    env.store.write_user("A", "X", c.encode(claims, env.accounts["A"]))
    result = env.run("validate")
    assert result.exit_code == 1
    assert 'subject "a.>.b" can have ">" only as its last token' in result.stdout
    assert 'Mapping "src" destination ">" can end in ">" only when its source does' in result.stdout
    assert 'user "X": subject "a\\tb" cannot contain a tab ("\\t")' in result.stdout
    before = env.account_token("A")
    refused = env.run("edit", "account", "A", "--conns", "3")
    assert refused.exit_code == 1
    assert 'can have ">" only as its last token' in refused.stderr
    assert env.account_token("A") == before


def test_strict_operator_and_identity_issued_user(env: Env) -> None:
    env.add_user("A", "U")
    env.set_strict()
    result = env.run("validate")
    assert result.exit_code == 1
    assert 'user "U" is issued by account key but operator is in strict mode' in result.stdout
    assert "Account is not issued by operator or operator signing keys" in result.stdout


def test_system_account_with_jetstream(env: Env) -> None:
    def sys_js(account: c.AccountClaims) -> None:
        account.nats.limits.mem_storage = -1
        account.nats.limits.disk_storage = -1

    env.edit_account("A", sys_js)
    operator = env.store.operator()
    operator.nats.system_account = env.accounts["A"].public_key
    ops.save_operator(env.store, operator, env.operator)
    assert "JetStream should not be enabled for system account" in env.run("validate").stdout


def test_json(env: Env) -> None:
    env.add_user("A", "U", exp=int(time.time()) - 60)
    result = env.run("validate", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["data"][1]["issues"] == [
        {"description": 'user "U": claim is expired', "blocking": False, "time_check": True}
    ]


def test_file(env: Env, tmp_path: Path) -> None:
    good = env.store.account_token("A")
    expired = c.encode(
        c.AccountClaims(sub=keys.generate("account").public_key, exp=int(time.time()) - 9),
        env.operator,
    )
    path = tmp_path / "jwts.txt"
    path.write_text(f"{good}\nhash|{expired}\n\n")
    result = env.run("validate", "-f", str(path))
    assert result.exit_code == 1
    assert "claim is expired (1 occurrences)" in result.stdout
    assert "summary of all accounts" in result.stdout
    path.write_text("garbage\n")
    assert env.fails("validate", "--file", str(path)).startswith("claim decoding error")


# expirations -------------------------------------------------------------------------------------


@pytest.fixture
def expiring(env: Env) -> Env:
    now = int(time.time())
    env.add_user("A", "OLD", exp=now - 60)
    env.add_user("A", "SOON", exp=now + 3 * 86400 + 3600)
    env.add_user("A", "LATER", exp=now + 400 * 86400)
    env.add_user("A", "NEVER", store_key=False)
    return env


def test_expirations_table(expiring: Env) -> None:
    out = expiring.ok("expirations").stdout
    assert "Expiration Report (In " in out
    rows = {line.split("|")[2].strip(): line.split("|")[1].strip()
            for line in out.splitlines() if line.startswith("| ") and "O/A" in line}  # fmt: skip
    assert rows["O/A/OLD"] == "Yes"
    assert rows["O/A/SOON"] == "Soon"
    assert rows["O/A/LATER"] == "No"
    assert rows["O/A/NEVER"] == "No"
    assert rows["O/A"] == "No"
    assert "In 3 Days" in out
    assert str(expiring.creds_path("A", "OLD")) in out


def test_expirations_json_and_skip(expiring: Env) -> None:
    data = expiring.json("expirations", "--skip")["data"]
    assert data["expiration_threshold"].endswith("Z")
    resources = [r["resource"] for r in data["report"]]
    assert "O/A/OLD" in resources
    assert "O/A/SOON" in resources
    assert "O/A/LATER" not in resources
    old = next(r for r in data["report"] if r["resource"] == "O/A/OLD")
    assert old["expired"] is True
    assert old["expires_soon"] is True
    assert set(old) == {
        "resource", "id", "when", "expiry", "expiration_date", "expires_soon", "expired",
    }  # fmt: skip


def test_expirations_within(expiring: Env) -> None:
    data = expiring.json("expirations", "--within", "2y")["data"]
    later = next(r for r in data["report"] if r["resource"] == "O/A/LATER")
    assert later["expires_soon"] is True
    data = expiring.json("expirations", "-e", "0")["data"]
    soon = next(r for r in data["report"] if r["resource"] == "O/A/SOON")
    assert soon["expires_soon"] is False
    never = next(r for r in data["report"] if r["resource"] == "O/A/NEVER")
    assert never["when"] == "Never"
    assert never["expiration_date"] == ""


def test_expirations_bad_within(expiring: Env) -> None:
    expiring.fails("expirations", "--within", "soon", exit_code=2)
