"""``pynsc edit operator``: every flag, and §5.3 #25, #33, #34 with nsc's messages."""

from __future__ import annotations

from pathlib import Path

from pynsc import claims as c
from pynsc import keys
from pynsc.store import ops
from tests.cli.conftest import Pynsc
from tests.cli.operator.conftest import Env, assert_valid, error_line

ACCOUNT_SEED = "SAADOZRUTPZS6LIXS6CSSSW5GXY3DNMQMSDTVWHQNHQTIBPGNSADSMBPEU"


def _operator(env: Env) -> c.OperatorClaims:
    claims: c.OperatorClaims = assert_valid(env.store().operator_token(), c.OperatorClaims)
    return claims


def _fails(env: Env, *args: str, exit_code: int = 1) -> str:
    before = env.digest()
    result = env.run("edit", "operator", *args)
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert env.digest() == before
    return error_line(result)


def test_nothing_to_do(env: Env) -> None:  # 5.3 #25
    assert _fails(env, exit_code=2) == "specify an edit option"


def test_sk_needs_a_value(env: Env) -> None:  # 5.3 #33
    assert _fails(env, "--sk", exit_code=2) == "flag needs an argument: --sk"


def test_sk_of_wrong_kind(env: Env) -> None:  # 5.3 #33
    assert _fails(env, "--sk", ACCOUNT_SEED).startswith("invalid operator signing key")
    assert _fails(env, "--sk", "nonsense").startswith("invalid operator signing key")


def test_signing_keys(env: Env, tmp_path: Path) -> None:
    public = keys.generate("operator")
    seeded = keys.generate("operator")
    in_file = keys.generate("operator")
    key_file = tmp_path / "sk.nk"
    key_file.write_text(in_file.seed or "")
    result = env.ok(
        "edit", "operator", "--sk", public.public_key, "--sk", f"{seeded.seed},generate",
        "--sk", str(key_file),
    )
    operator = _operator(env)
    assert operator.iss == env.operator.public_key
    sks = operator.nats.signing_keys
    assert len(sks) == 4
    assert sks[:2] == [public.public_key, seeded.public_key]
    assert sks[3] == in_file.public_key
    generated = sks[2]
    assert env.keystore.has(generated)
    assert env.keystore.has(seeded.public_key)  # seeds given are stored
    assert env.keystore.has(in_file.public_key)
    assert not env.keystore.has(public.public_key)
    lines = result.stderr.splitlines()
    assert f'[ OK ] added signing key "{public.public_key}"' in lines
    assert lines[-1] == '[ OK ] edited operator "O"'
    # an account signed by one of them is accepted, then no longer once it is removed
    env.ok("edit", "operator", "--rm-sk", seeded.public_key)
    assert seeded.public_key not in _operator(env).nats.signing_keys


def test_rm_unknown_signing_key(env: Env) -> None:
    key = keys.generate("operator").public_key
    assert _fails(env, "--rm-sk", key) == f'"{key}" is not a signing key of operator "O"'


def test_generate_adds_one_key(env: Env) -> None:
    assert len(env.keystore.list()) == 1
    env.ok("edit", "operator", "--sk", "generate")
    assert len(env.keystore.list()) == 2


def test_system_account(env: Env) -> None:  # 5.3 #33
    account = env.add_account("TEST")
    assert _fails(env, "--system-account", "DOESNOTEXIST") == (
        "account DOESNOTEXIST does not exist in the current operator"
    )
    result = env.ok("edit", "operator", "--system-account", "TEST")
    assert f'[ OK ] set system account "{account.public_key}"' in result.stderr.splitlines()
    assert _operator(env).nats.system_account == account.public_key
    # by public key, even of an account this store does not hold
    other = keys.generate("account").public_key
    result = env.ok("edit", "operator", "--system-account", other)
    assert "set system account" in result.stderr
    assert _operator(env).nats.system_account == other
    env.ok("edit", "operator", "--system-account", account.public_key)
    assert _operator(env).nats.system_account == account.public_key


def test_system_account_cannot_have_jetstream(env: Env) -> None:
    env.add_account("A")
    store = env.store()
    claims = store.account("A")
    claims.nats.limits.disk_storage = 1024
    ops.save_account(store, "A", claims, env.operator)
    assert _fails(env, "--system-account", "A") == (
        'system accounts cannot have JetStream limits - run "pynsc edit account A --js-disable" '
        "first"
    )
    claims.nats.limits.disk_storage = 0
    claims.nats.limits.tiered_limits = {"R3": c.JetStreamLimits(disk_storage=1024)}
    ops.save_account(store, "A", claims, env.operator)
    assert _fails(env, "--system-account", "A").startswith(
        "system accounts cannot have tiered JetStream limits"
    )


def test_require_signing_keys(env: Env) -> None:  # 5.3 #34
    assert _fails(env, "--require-signing-keys") == "operator requires at least one signing key"
    env.ok("edit", "operator", "--require-signing-keys", "--sk", "generate")
    operator = _operator(env)
    assert operator.nats.strict_signing_key_usage
    sk = operator.nats.signing_keys[0]
    # back off: --require-signing-keys=false and the key removed
    env.ok("edit", "operator", "--require-signing-keys=false", "--rm-sk", sk)
    operator = _operator(env)
    assert not operator.nats.strict_signing_key_usage
    assert operator.nats.signing_keys == []


def test_require_signing_keys_with_identity_issued_account(env: Env) -> None:  # 5.3 #34
    env.add_account("A")
    assert _fails(env, "--require-signing-keys", "--sk", "generate") == (
        'account "A" needs to be issued with a signing key first'
    )


def test_require_signing_keys_with_identity_issued_user(env: Env) -> None:  # 5.3 #34
    sk = keys.generate("operator")
    env.ok("edit", "operator", "--sk", sk.seed or "")
    env.add_account("A", signer=sk)
    env.add_user("A", "U")  # issued by the account identity
    assert _fails(env, "--require-signing-keys") == (
        'user "U" in account "A" needs to be issued with a signing key first'
    )
    # once the user is issued by an account signing key, strict mode is accepted
    account_sk = keys.generate("account")
    env.keystore.store(account_sk)
    store = env.store()
    claims = store.account("A")
    claims.nats.signing_keys[account_sk.public_key] = None
    ops.save_account(store, "A", claims, sk)
    store.delete_user("A", "U")
    env.add_user("A", "U", signer=account_sk)
    result = env.ok("edit", "operator", "--require-signing-keys")
    assert "[ OK ] strict signing key usage set to: true" in result.stderr.splitlines()


def test_tags(env: Env) -> None:
    result = env.ok("edit", "operator", "--tag", "One,two", "--tag", " Three ")
    assert _operator(env).nats.tags == ["one", "three", "two"]
    assert '[ OK ] added tag "one"' in result.stderr.splitlines()
    env.ok("edit", "operator", "--rm-tag", "TWO")
    assert _operator(env).nats.tags == ["one", "three"]


def test_account_server_url(env: Env) -> None:
    url = "https://foo.com/v1/jwt/accounts"
    result = env.ok("edit", "operator", "--account-jwt-server-url", url)
    assert f'[ OK ] set account jwt server url to "{url}"' in result.stderr.splitlines()
    assert _operator(env).nats.account_server_url == url
    env.ok("edit", "operator", "-u", "nats://localhost:4222")
    assert _operator(env).nats.account_server_url == "nats://localhost:4222"
    result = env.ok("edit", "operator", "--rm-account-jwt-server-url")
    assert "[ OK ] removed account server url" in result.stderr.splitlines()
    assert _operator(env).nats.account_server_url == ""
    assert _fails(env, "-u", "ftp://x").startswith('invalid account jwt server url "ftp://x"')
    assert _fails(env, "-u", "a", "--rm-account-jwt-server-url", exit_code=2).endswith(
        "mutually exclusive"
    )


def test_service_urls(env: Env) -> None:
    u1, u2 = "nats://localhost:4222", "tls://localhost:4333"
    env.ok("edit", "operator", "--service-url", u1, "-n", u2)
    assert _operator(env).nats.operator_service_urls == [u1, u2]
    env.ok("edit", "operator", "--rm-service-url", u1)
    assert _operator(env).nats.operator_service_urls == [u2]
    assert "protocol not supported" in _fails(env, "-n", "http://localhost:4222")
    assert _fails(env, "--rm-service-url", u1) == f'"{u1}" is not a service url of operator "O"'


def test_times_and_other_fields_are_kept(env: Env) -> None:
    env.ok("edit", "operator", "--tag", "keep", "-n", "nats://a:4222", "--expiry", "2050-01-01")
    operator = _operator(env)
    assert operator.exp == 2524608000
    env.ok("edit", "operator", "--start", "2019-04-13")
    operator = _operator(env)
    assert operator.nbf == 1555113600
    assert operator.exp == 2524608000
    assert operator.nats.tags == ["keep"]
    assert operator.nats.operator_service_urls == ["nats://a:4222"]
    env.ok("edit", "operator", "--expiry", "0")
    assert _operator(env).exp == 0


def test_json(env: Env) -> None:
    payload = env.json("edit", "operator", "--tag", "x")
    assert payload["data"]["name"] == "O"
    assert c.decode(payload["data"]["jwt"], c.OperatorClaims).nats.tags == ["x"]
    assert payload["messages"][-1] == {"level": "ok", "text": 'edited operator "O"'}


def test_needs_the_operator_seed(env: Env) -> None:
    env.keystore.remove(env.operator.public_key)
    assert "unable to resolve any of the following signing keys" in _fails(env, "--tag", "x")
    # -K with the seed works
    env.ok("edit", "operator", "--tag", "x", "-K", env.operator.seed or "")
    assert _operator(env).nats.tags == ["x"]


def test_signing_key_cannot_sign_the_operator(env: Env) -> None:
    sk = keys.generate("operator")
    env.ok("edit", "operator", "--sk", sk.seed or "")
    message = _fails(env, "--tag", "x", "-K", sk.seed or "")
    assert message.startswith("the operator JWT must be signed by the operator identity")


def test_empty_system_account_is_a_usage_error(tmp_path: Path, pynsc: Pynsc) -> None:
    home = tmp_path / "nsc"
    assert pynsc("-H", str(home), "init", "-n", "O").exit_code == 0
    result = pynsc("-H", str(home), "edit", "operator", "--system-account", "")
    assert result.exit_code == 2
    assert "an account name or public key is required" in result.stderr
