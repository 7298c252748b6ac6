"""``pynsc add account``: nsc's acceptance behaviours §5.3 #1-#6, and better-than-nsc checks."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.store import ops
from tests.cli.account.conftest import Env, assert_valid_jwt, error_line


def _jwt(env: Env, name: str) -> c.AccountClaims:
    path = env.store.dir / "accounts" / name / f"{name}.jwt"
    claims: c.AccountClaims = assert_valid_jwt(path.read_text())
    return claims


def test_adds_account_with_generated_key(env: Env) -> None:
    result = env.ok("add", "account", "A")
    claims = _jwt(env, "A")
    assert result.stderr.splitlines() == [
        f'[ OK ] generated and stored account key "{claims.sub}"',
        '[ OK ] added account "A"',
    ]
    assert result.stdout == ""
    assert claims.name == "A"
    assert claims.iss == env.operator.public_key
    assert env.keystore.has(claims.sub)
    key_file = env.keystore.key_path(claims.sub)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    limits = claims.nats.limits
    assert (limits.conn, limits.leaf, limits.subs, limits.data, limits.payload) == (-1,) * 5
    assert (limits.imports, limits.exports, limits.wildcards) == (-1, -1, True)
    assert not limits.is_jetstream_enabled()
    # nsc persists the new account as the current one
    assert env.config().account == "A"


def test_name_flag_and_json(env: Env) -> None:
    payload = env.json("add", "account", "-n", "B")
    claims = _jwt(env, "B")
    assert payload["data"]["name"] == "B"
    assert payload["data"]["public_key"] == claims.sub
    assert c.decode(payload["data"]["jwt"], c.AccountClaims).sub == claims.sub
    assert [m["text"] for m in payload["messages"]] == [
        f'generated and stored account key "{claims.sub}"',
        'added account "B"',
    ]


def test_name_is_required(env: Env) -> None:  # 5.3 #1
    before = env.digest()
    assert error_line(env.run("add", "account")) == "account name is required"
    assert env.digest() == before


def test_duplicate_names_fail_case_insensitively(env: Env) -> None:  # 5.3 #1
    env.ok("add", "account", "A")
    before = env.digest()
    assert error_line(env.run("add", "account", "A")) == 'the account "A" already exists'
    assert error_line(env.run("add", "account", "a")) == 'the account "a" already exists'
    assert env.digest() == before


def test_star_picks_random_names(env: Env) -> None:  # 5.3 #2
    first = env.ok("add", "account", "--name", "*")
    second = env.ok("add", "account", "--name", "*")
    names = env.store.account_names()
    assert len(names) == 2
    assert names[0] != names[1]
    for result in (first, second):
        assert "generated and stored account key" in result.stderr
        assert "added account" in result.stderr


@pytest.mark.parametrize("kind", ["cluster", "operator", "user", "server"])
@pytest.mark.parametrize("form", ["public", "seed"])
def test_public_key_of_wrong_kind(env: Env, kind: str, form: str) -> None:  # 5.3 #3
    key = keys.generate(kind)
    value = key.public_key if form == "public" else key.require_seed()
    before = env.digest()
    result = env.run("add", "account", "-n", "X", "--public-key", value)
    assert result.exit_code == 1
    assert error_line(result) == "specified key is not a valid account nkey"
    assert env.digest() == before


def test_public_key_garbage(env: Env) -> None:
    before = env.digest()
    result = env.run("add", "account", "-n", "X", "--public-key", "nonsense")
    assert result.exit_code == 1
    assert "nonsense" in error_line(result)
    assert env.digest() == before


@pytest.mark.parametrize("name", ["A/B", "A\\B"])
def test_bad_names(env: Env, name: str) -> None:  # 5.3 #4
    before = env.digest()
    assert error_line(env.run("add", "account", name)) == "name cannot contain '/' or '\\'"
    assert env.digest() == before


def test_default_permissions(env: Env) -> None:  # 5.3 #5
    env.ok(
        "add", "account", "-n", "A", "--allow-pub", "a,b", "--allow-pubsub", "c",
        "--deny-pub", "foo", "--deny-pubsub", "bar",
    )
    perms = _jwt(env, "A").nats.default_permissions
    assert sorted(perms.pub.allow) == ["a", "b", "c"]
    assert perms.sub.allow == ["c"]
    assert sorted(perms.pub.deny) == ["bar", "foo"]
    assert perms.sub.deny == ["bar"]


def test_start_and_expiry(env: Env) -> None:  # 5.3 #6
    env.ok("add", "account", "A", "--start", "2018-01-01", "--expiry", "2050-01-01")
    claims = _jwt(env, "A")
    assert claims.nbf == 1514764800
    assert claims.exp == 2524608000
    assert claims.iss == env.operator.public_key


def test_bad_date_changes_nothing(env: Env) -> None:
    before = env.digest()
    result = env.run("add", "account", "A", "--expiry", "tomorrow")
    assert result.exit_code == 2
    assert env.digest() == before


def test_public_key_is_used_not_generated(env: Env) -> None:
    account = keys.generate("account")
    result = env.ok("add", "account", "A", "--public-key", account.public_key)
    assert _jwt(env, "A").sub == account.public_key
    assert "generated" not in result.stderr
    assert not env.keystore.has(account.public_key)


def test_public_key_as_seed_or_file_stores_the_seed(env: Env, tmp_path: Path) -> None:
    account = keys.generate("account")
    result = env.ok("add", "account", "A", "-k", account.require_seed())
    assert _jwt(env, "A").sub == account.public_key
    assert f'stored account key "{account.public_key}"' in result.stderr
    assert env.keystore.has(account.public_key)

    other = keys.generate("account")
    seed_file = tmp_path / "b.nk"
    seed_file.write_text(other.require_seed())
    env.ok("add", "account", "B", "-k", str(seed_file))
    assert _jwt(env, "B").sub == other.public_key


def test_same_key_twice_is_refused(env: Env) -> None:
    account = keys.generate("account")
    env.ok("add", "account", "A", "-k", account.public_key)
    before = env.digest()
    result = env.run("add", "account", "B", "-k", account.public_key)
    assert "already used by account" in error_line(result)
    assert env.digest() == before


def test_signed_by_operator_signing_key_with_k(env: Env) -> None:
    signing = keys.generate("operator")
    operator = env.store.operator()
    operator.nats.signing_keys.append(signing.public_key)
    ops.save_operator(env.store, operator, env.operator)
    env.ok("add", "account", "A", "-K", signing.require_seed())
    assert _jwt(env, "A").iss == signing.public_key


def test_strict_operator_signs_with_signing_key(env: Env) -> None:
    signing = keys.generate("operator")
    env.keystore.store(signing)
    operator = env.store.operator()
    operator.nats.signing_keys.append(signing.public_key)
    operator.nats.strict_signing_key_usage = True
    ops.save_operator(env.store, operator, env.operator)
    env.ok("add", "account", "A")
    assert _jwt(env, "A").iss == signing.public_key


def test_no_operator_key_fails_cleanly(env: Env) -> None:
    env.keystore.remove(env.operator.public_key)
    before = env.digest()
    result = env.run("add", "account", "A")
    assert "unable to resolve any of the following signing keys" in error_line(result)
    assert env.digest() == before


def test_wrong_signer_is_refused(env: Env) -> None:
    other = keys.generate("operator")
    before = env.digest()
    result = env.run("add", "account", "A", "-K", other.require_seed())
    assert error_line(result) == "invalid account signer"
    assert env.digest() == before


def test_managed_operator_accounts_are_self_signed(env: Env) -> None:
    from pynsc.store import StoreInfo

    (env.store.dir / ".nsc").write_text(StoreInfo("O", managed=True).to_json())
    env.keystore.remove(env.operator.public_key)  # a managed operator has no seed here
    result = env.ok("add", "account", "A")
    claims = _jwt(env, "A")
    assert claims.iss == claims.sub
    assert '[WARN] account "A" is self-signed' in result.stderr


def test_operator_for_this_run_only_is_not_persisted(env: Env) -> None:
    from pynsc.store import Store

    other = Store.create(env.store.root, "P")
    op = keys.generate("operator")
    env.keystore.store(op)
    ops.save_operator(other, c.OperatorClaims(sub=op.public_key, name="P"), op)
    before = env.config()
    env.ok("add", "account", "X", "-O", "P")
    assert other.account_names() == ["X"]
    assert other.account("X").iss == op.public_key
    assert env.config() == before


@pytest.mark.usefixtures("terminal")
def test_interactive_prompts_for_the_name(env: Env) -> None:
    result = env.run("add", "account", "-i", input="Z\n")
    assert result.exit_code == 0, result.stderr
    assert env.store.account_names() == ["Z"]


def test_default_permissions_are_reported_first(env: Env) -> None:
    """Issue 10 item 9: ``add account`` reports the permission changes as nsc does."""
    result = env.ok("add", "account", "B", "--allow-pub", "a", "--deny-sub", "e",
                    "--allow-pub-response=3")  # fmt: skip
    assert result.stderr.splitlines()[:3] == [
        "[ OK ] set max responses to 3",
        '[ OK ] added pub "a"',
        '[ OK ] added deny sub "e"',
    ]
