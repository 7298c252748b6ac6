"""``pynsc edit account``: every flag, nsc's acceptance behaviours §5.3 #25-#30."""

from __future__ import annotations

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.claims import JetStreamLimits
from pynsc.store import ops
from tests.cli.account.conftest import Env, assert_valid_jwt, error_line


@pytest.fixture
def account_a(env: Env) -> keys.KeyPair:
    return env.add_account("A")


def _jwt(env: Env, name: str = "A") -> c.AccountClaims:
    path = env.store.dir / "accounts" / name / f"{name}.jwt"
    claims: c.AccountClaims = assert_valid_jwt(path.read_text())
    return claims


def _fails(env: Env, *args: str, exit_code: int = 1) -> str:
    before = env.digest()
    result = env.run("edit", "account", *args)
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert env.digest() == before
    return error_line(result)


def test_no_option(env: Env, account_a: keys.KeyPair) -> None:  # 5.3 #25
    assert _fails(env, exit_code=2) == "specify an edit option"
    assert _fails(env, "A", exit_code=2) == "specify an edit option"


def test_account_is_required_with_several(env: Env) -> None:
    env.add_account("A")
    env.add_account("B")
    assert _fails(env, "--tag", "x") == "an account is required"


def test_unknown_account(env: Env, account_a: keys.KeyPair) -> None:
    assert _fails(env, "B", "--tag", "x").startswith('"B" not in accounts for operator "O"')


def test_by_public_key_and_name_flag(env: Env, account_a: keys.KeyPair) -> None:
    env.add_account("B")
    env.ok("edit", "account", account_a.public_key, "--tag", "x")
    env.ok("edit", "account", "-n", "B", "--tag", "y")
    assert _jwt(env, "A").nats.tags == ["x"]
    assert _jwt(env, "B").nats.tags == ["y"]


def test_info_description_tags(env: Env, account_a: keys.KeyPair) -> None:
    result = env.ok(
        "edit", "account", "--info-url", "http://foo/bar", "--description", "my account",
        "--tag", "A,B", "--tag", "C",
    )
    assert result.stderr.splitlines() == [
        '[ OK ] added tag "a"',
        '[ OK ] added tag "b"',
        '[ OK ] added tag "c"',
        '[ OK ] changed description to "my account"',
        '[ OK ] changed info url to "http://foo/bar"',
        '[ OK ] edited account "A"',
    ]
    claims = _jwt(env)
    assert claims.nats.tags == ["a", "b", "c"]
    assert claims.nats.description == "my account"
    assert claims.nats.info_url == "http://foo/bar"
    env.ok("edit", "account", "--rm-tag", "A,b")
    assert _jwt(env).nats.tags == ["c"]


def test_times(env: Env, account_a: keys.KeyPair) -> None:
    env.ok("edit", "account", "--start", "2018-01-01", "--expiry", "2050-01-01")
    claims = _jwt(env)
    assert (claims.nbf, claims.exp) == (1514764800, 2524608000)
    env.ok("edit", "account", "--expiry", "0")
    assert _jwt(env).exp == 0
    assert _jwt(env).nbf == 1514764800


def test_limits(env: Env, account_a: keys.KeyPair) -> None:
    env.ok(
        "edit", "account", "--conns", "5", "--data", "10mib", "--exports", "15",
        "--imports", "20", "--payload", "1Kib", "--subscriptions", "30", "--leaf-conns", "31",
        "--js-streams", "5", "--js-consumer", "6", "--js-disk-storage", "7",
        "--js-mem-storage", "8", "--js-max-disk-stream", "9mib", "--js-max-mem-stream", "10",
        "--js-max-ack-pending", "11", "--js-max-bytes-required",
    )
    limits = _jwt(env).nats.limits
    assert (limits.conn, limits.leaf, limits.data) == (5, 31, 10 * 1024 * 1024)
    assert (limits.exports, limits.imports, limits.payload, limits.subs) == (15, 20, 1024, 30)
    assert limits.jetstream == JetStreamLimits(
        streams=5, consumer=6, disk_storage=7, mem_storage=8,
        disk_max_stream_bytes=9 * 1024 * 1024, mem_max_stream_bytes=10, max_ack_pending=11,
        max_bytes_required=True,
    )


def test_bad_number_changes_nothing(env: Env, account_a: keys.KeyPair) -> None:
    line = _fails(env, "--conns", "many", exit_code=2)
    assert "--conns" in line


def test_unpassed_fields_are_kept(env: Env, account_a: keys.KeyPair) -> None:
    """nsc resets wildcards and disallow_bearer on every edit; pynsc keeps them."""
    env.ok("edit", "account", "--wildcard-exports=false", "--disallow-bearer", "--conns", "3")
    env.ok("edit", "account", "--tag", "x")
    env.ok("edit", "account", "--js-enable", "0")
    env.ok("edit", "account", "--description", "d")
    limits = _jwt(env).nats.limits
    assert limits.wildcards is False
    assert limits.disallow_bearer is True
    assert limits.conn == 3
    assert limits.jetstream == JetStreamLimits(disk_storage=-1, mem_storage=-1)
    env.ok("edit", "account", "--wildcard-exports", "--disallow-bearer=false")
    limits = _jwt(env).nats.limits
    assert (limits.wildcards, limits.disallow_bearer) == (True, False)


def test_edit_without_js_flags_leaves_js_alone(env: Env, account_a: keys.KeyPair) -> None:
    env.ok("edit", "account", "--tag", "x")
    limits = _jwt(env).nats.limits
    assert limits.jetstream == JetStreamLimits()
    assert not limits.tiered_limits


def test_signing_keys(env: Env, account_a: keys.KeyPair) -> None:
    first, second = keys.generate("account"), keys.generate("account")
    result = env.ok("edit", "account", "--sk", first.public_key, "--sk", second.require_seed())
    assert f'added signing key "{first.public_key}"' in result.stderr
    claims = _jwt(env)
    assert set(claims.nats.signing_keys) == {first.public_key, second.public_key}
    assert env.keystore.has(second.public_key)  # a seed given is stored
    env.ok("edit", "account", "--rm-sk", first.public_key)
    assert set(_jwt(env).nats.signing_keys) == {second.public_key}


def test_generate_signing_key(env: Env, account_a: keys.KeyPair) -> None:
    payload = env.json("edit", "account", "--sk", "generate")
    keys_now = list(_jwt(env).nats.signing_keys)
    assert len(keys_now) == 1
    assert env.keystore.has(keys_now[0])
    assert payload["messages"][0]["text"] == f'added signing key "{keys_now[0]}"'


def test_bad_signing_keys(env: Env, account_a: keys.KeyPair) -> None:
    user = keys.generate("user")
    assert "not a valid account signing key" in _fails(env, "--sk", user.public_key)
    assert "identity key" in _fails(env, "--sk", account_a.public_key)


def test_removing_unknown_signing_key_warns(env: Env, account_a: keys.KeyPair) -> None:
    other = keys.generate("account")
    result = env.ok("edit", "account", "--rm-sk", other.public_key)
    assert f'[WARN] "{other.public_key}" is not a signing key of the account' in result.stderr


def test_default_permissions(env: Env, account_a: keys.KeyPair) -> None:
    env.ok(
        "edit", "account", "--allow-pub", "a,b", "--allow-pubsub", "c", "--deny-pub", "foo",
        "--deny-pubsub", "bar",
    )
    perms = _jwt(env).nats.default_permissions
    assert (perms.pub.allow, perms.sub.allow) == (["a", "b", "c"], ["c"])
    assert (perms.pub.deny, perms.sub.deny) == (["bar", "foo"], ["bar"])
    env.ok("edit", "account", "--rm", "c,bar")
    perms = _jwt(env).nats.default_permissions
    assert (perms.pub.allow, perms.sub.allow) == (["a", "b"], [])
    assert (perms.pub.deny, perms.sub.deny) == (["foo"], [])


def test_response_permissions(env: Env, account_a: keys.KeyPair) -> None:
    env.ok("edit", "account", "--max-responses", "1000", "--response-ttl", "4ms")
    resp = _jwt(env).nats.default_permissions.resp
    assert resp is not None
    assert (resp.max, resp.ttl) == (1000, 4_000_000)
    env.ok("edit", "account", "--rm-response-perms")
    assert _jwt(env).nats.default_permissions.resp is None


def test_keeps_its_issuer(env: Env) -> None:
    signing = keys.generate("operator")
    env.keystore.store(signing)
    operator = env.store.operator()
    operator.nats.signing_keys.append(signing.public_key)
    ops.save_operator(env.store, operator, env.operator)
    env.add_account("A", signer=signing)
    env.ok("edit", "account", "--tag", "foo")
    assert _jwt(env).iss == signing.public_key


# JetStream ---------------------------------------------------------------------------------------


def test_rm_global_tier(env: Env, account_a: keys.KeyPair) -> None:
    env.ok("edit", "account", "--js-streams", "5", "--js-consumer", "6", "--js-disk-storage", "7")
    assert _jwt(env).nats.limits.streams == 5
    assert (
        _fails(env, "--js-streams", "1", "--rm-js-tier", "0", exit_code=2)
        == "rm-js-tier is exclusive of all other js options"
    )  # 5.3 #27
    result = env.ok("edit", "account", "--rm-js-tier", "0")
    assert "[ OK ] deleted global limit" in result.stderr
    assert _jwt(env).nats.limits.jetstream == JetStreamLimits()


def test_global_prevents_tiered(env: Env, account_a: keys.KeyPair) -> None:  # 5.3 #26
    env.ok("edit", "account", "--js-streams", "5", "--js-disk-storage", "10")
    assert (
        _fails(env, "--js-tier", "2", "--js-disk-storage", "10")
        == "cannot set a jetstream tier limit when a configuration has a global limit"
    )


def test_tiered_prevents_global(env: Env, account_a: keys.KeyPair) -> None:  # 5.3 #26
    env.ok("edit", "account", "--js-tier", "2", "--js-streams", "5", "--js-disk-storage", "10")
    tier = _jwt(env).nats.limits.tiered_limits["R2"]
    assert (tier.streams, tier.disk_storage, tier.mem_storage, tier.consumer) == (5, 10, 0, -1)
    assert (
        _fails(env, "--js-disk-storage", "10")
        == "cannot set a jetstream global limit when a configuration has tiered limits 'R2'"
    )
    env.ok("edit", "account", "--sk", "generate")  # other edits are fine


def test_tiers_edit_and_remove(env: Env, account_a: keys.KeyPair) -> None:
    env.ok("edit", "account", "--js-tier", "1", "--js-disk-storage", "1G")
    env.ok("edit", "account", "--js-tier", "3", "--js-mem-storage", "1M")
    env.ok("edit", "account", "--js-tier", "1", "--js-streams", "4")
    tiers = _jwt(env).nats.limits.tiered_limits
    assert (tiers["R1"].disk_storage, tiers["R1"].streams) == (1_000_000_000, 4)
    assert tiers["R3"].mem_storage == 1_000_000
    assert _fails(env, "--rm-js-tier", "2") == "account doesn't have tier R2 limit"
    result = env.ok("edit", "account", "--rm-js-tier", "1")
    assert "[ OK ] deleted tier limit R1" in result.stderr
    assert list(_jwt(env).nats.limits.tiered_limits) == ["R3"]


def test_rm_tier_without_tiers(env: Env, account_a: keys.KeyPair) -> None:
    assert _fails(env, "--rm-js-tier", "1") == "account doesn't have tier limits"


def test_enable(env: Env, account_a: keys.KeyPair) -> None:  # 5.3 #27
    result = env.ok("edit", "account", "A", "--js-enable", "0")
    assert "[ OK ] enabled global limit" in result.stderr
    assert _jwt(env).nats.limits.jetstream == JetStreamLimits(disk_storage=-1, mem_storage=-1)
    assert _fails(env, "A", "--js-enable", "0") == "jetstream tier global is already enabled"
    assert (
        _fails(env, "A", "--js-enable", "0", "--rm-js-tier", "0", exit_code=2)
        == "rm-js-tier is exclusive of all other js options"
    )


def test_enable_tier(env: Env, account_a: keys.KeyPair) -> None:
    env.ok("edit", "account", "--js-enable", "2")
    assert _jwt(env).nats.limits.tiered_limits["R2"] == JetStreamLimits(
        disk_storage=-1, mem_storage=-1
    )
    assert _fails(env, "--js-enable", "2") == "jetstream tier R2 is already enabled"
    assert _fails(env, "--js-enable", "0").startswith("cannot set a jetstream global limit")


def test_enable_is_exclusive(env: Env, account_a: keys.KeyPair) -> None:
    line = _fails(env, "--js-enable", "1", "--js-streams", "2", exit_code=2)
    assert line == "js-enable is exclusive of all other js options"


def test_disable(env: Env, account_a: keys.KeyPair) -> None:
    env.ok("edit", "account", "--js-tier", "1", "--js-disk-storage", "1G")
    env.ok("edit", "account", "--js-tier", "3", "--js-disk-storage", "1G")
    result = env.ok("edit", "account", "--js-disable")
    assert "[ OK ] deleted tier limit R1" in result.stderr
    assert "[ OK ] deleted tier limit R3" in result.stderr
    limits = _jwt(env).nats.limits
    assert not limits.is_jetstream_enabled()
    assert not limits.tiered_limits
    line = _fails(env, "--js-disable", "--rm-js-tier", "1", exit_code=2)
    assert line == "js-disable is exclusive of all other js options"


def test_deprecated_js_flags(env: Env, account_a: keys.KeyPair) -> None:
    env.ok("edit", "account", "--mem-storage", "1k", "--disk-storage", "2k", "--streams", "3",
           "--consumer", "4")  # fmt: skip
    js = _jwt(env).nats.limits.jetstream
    assert (js.mem_storage, js.disk_storage, js.streams, js.consumer) == (1000, 2000, 3, 4)


@pytest.mark.parametrize(
    "flag",
    [
        "js-max-bytes-required", "js-tier", "js-mem-storage", "js-disk-storage", "js-streams",
        "js-consumer", "js-max-mem-stream", "js-max-disk-stream", "js-max-ack-pending",
        "js-enable",
    ],
)  # fmt: skip
def test_system_account_refuses_js(env: Env, flag: str) -> None:  # 5.3 #28
    env.add_account("SYS")
    env.set_system_account("SYS")
    args = [f"--{flag}"] if flag == "js-max-bytes-required" else [f"--{flag}", "1"]
    line = _fails(env, "SYS", "--tag", "A", *args)
    assert f"--{flag}" in line
    assert line.startswith("system account cannot have jetstream related settings")


def test_system_account_other_edits_and_disable(env: Env) -> None:  # 5.3 #28
    env.add_account("SYS")
    env.set_system_account("SYS")
    env.ok("edit", "account", "SYS", "--tag", "A")
    env.ok("edit", "account", "SYS", "--js-disable")
    assert not _jwt(env, "SYS").nats.limits.is_jetstream_enabled()


def test_system_account_with_tiers_can_only_disable(env: Env) -> None:
    sys_key = env.add_account("SYS")
    env.set_system_account("SYS")
    claims = env.account("SYS")
    claims.nats.limits.tiered_limits["R1"] = JetStreamLimits(disk_storage=-1, mem_storage=-1)
    env.store.write_account("SYS", c.encode(claims, env.operator))
    assert sys_key.public_key == claims.sub
    line = _fails(env, "SYS", "--tag", "x")
    assert line == "system account cannot have JetStream limits - please rerun with --js-disable"
    env.ok("edit", "account", "SYS", "--js-disable")
    assert not env.account("SYS").nats.limits.is_jetstream_enabled()


# Tracing -----------------------------------------------------------------------------------------


def test_tracing_sampling(env: Env, account_a: keys.KeyPair) -> None:  # 5.3 #29
    assert _fails(env, "A", "--trace-context-sampling", "50") == (
        "trace-context-sampling requires a subject"
    )
    env.ok("edit", "account", "A", "--trace-context-subject", "traces")
    for value in ("101", "-1"):
        assert _fails(env, "A", "--trace-context-sampling", value) == (
            "tracing sampling rate must be between 1-100"
        )
    assert _fails(
        env, "A", "--trace-context-sampling", "50", "--trace-context-subject", ""
    ) == "cannot set context sampling rate when disabling the trace context"


def test_tracing_subject(env: Env, account_a: keys.KeyPair) -> None:  # 5.3 #29
    assert _jwt(env).nats.trace is None
    env.ok("edit", "account", "A", "--trace-context-subject", "")
    line = _fails(env, "A", "--trace-context-subject", "traces.*", exit_code=2)
    assert line.endswith('tracing subjects cannot contain wildcards: "traces.*"')
    env.ok("edit", "account", "A", "--trace-context-subject", "traces.here")
    trace = _jwt(env).nats.trace
    assert trace is not None
    assert (trace.dest, trace.sampling) == ("traces.here", 0)
    result = env.ok("edit", "account", "A", "--trace-context-sampling", "75")
    assert "[ OK ] changed trace context sampling to 75%" in result.stderr
    trace = _jwt(env).nats.trace
    assert trace is not None
    assert (trace.dest, trace.sampling) == ("traces.here", 75)
    env.ok("edit", "account", "A", "--trace-context-subject", "")
    assert _jwt(env).nats.trace is None


def test_host_cluster_traffic(env: Env, account_a: keys.KeyPair) -> None:
    env.ok("edit", "account", "A", "--host-cluster-traffic")
    assert _jwt(env).nats.cluster_traffic == "owner"
    env.ok("edit", "account", "A", "--host-cluster-traffic=false")
    assert _jwt(env).nats.cluster_traffic == ""


# Bearer tokens -----------------------------------------------------------------------------------


def test_disallow_bearer_with_bearer_user(env: Env, account_a: keys.KeyPair) -> None:  # 5.3 #30
    env.add_user("A", "U", bearer=True)
    assert _fails(env, "--name", "A", "--disallow-bearer") == (
        'user "U" in account "A" uses bearer token (needs to be deleted/changed first)'
    )
    env.store.delete_user("A", "U")
    env.ok("edit", "account", "--name", "A", "--disallow-bearer")
    assert _jwt(env).nats.limits.disallow_bearer is True


def test_json(env: Env, account_a: keys.KeyPair) -> None:
    payload = env.json("edit", "account", "--conns", "2")
    assert payload["data"]["name"] == "A"
    assert payload["data"]["public_key"] == account_a.public_key
    assert [m["text"] for m in payload["messages"]] == [
        "changed max connections to 2",
        'edited account "A"',
    ]
    assert c.decode(payload["data"]["jwt"], c.AccountClaims).nats.limits.conn == 2


def test_bool_flags_take_values_and_never_swallow_the_name(env: Env) -> None:
    env.add_account("A")
    env.add_account("B")
    env.ok("edit", "account", "--disallow-bearer", "B")  # B is the account, not a value
    assert _jwt(env, "B").nats.limits.disallow_bearer is True
    env.ok("edit", "account", "B", "--disallow-bearer=0", "--js-max-bytes-required=true")
    limits = _jwt(env, "B").nats.limits
    assert limits.disallow_bearer is False
    assert limits.max_bytes_required is True
    env.ok("edit", "account", "B", "--no-js-max-bytes-required")
    assert _jwt(env, "B").nats.limits.max_bytes_required is False
    line = _fails(env, "B", "--wildcard-exports=maybe", exit_code=2)
    assert "'maybe' is not a valid boolean" in line
    assert _jwt(env, "A").nats.limits.disallow_bearer is False


def test_private_key_alone_re_signs(env: Env, account_a: keys.KeyPair) -> None:
    """`edit account A -K <operator signing key>`: what --require-signing-keys asks for."""
    sk = keys.generate("operator")
    env.keystore.store(sk)
    operator = env.store.operator()
    operator.nats.signing_keys.append(sk.public_key)
    ops.save_operator(env.store, operator, env.operator)
    env.ok("edit", "account", "A", "-K", sk.public_key)
    assert env.store.account("A").iss == sk.public_key


def test_a_go_made_account_with_tiers_and_global_defaults_can_be_edited(env: Env) -> None:
    """Issue 10 item 1: Go nsc writes default global JetStream limits (-1) next to tiered
    ones; as nats-io/jwt's decoder does, pynsc reads the tiers alone, so the account validates
    and takes edits."""
    env.add_account("B")
    claims = env.account("B")
    tiers = {"R1": c.JetStreamLimits(mem_storage=1024, disk_storage=1024)}
    claims.nats.limits.tiered_limits = tiers
    for name in ("mem_storage", "disk_storage", "streams", "consumer", "max_ack_pending",
                 "mem_max_stream_bytes", "disk_max_stream_bytes"):  # fmt: skip
        setattr(claims.nats.limits, name, -1)
    env.store.write_account("B", c.encode(claims, env.operator))
    env.ok("edit", "account", "B", "--description", "edited by pynsc")
    edited = env.account("B")
    assert edited.nats.description == "edited by pynsc"
    assert edited.nats.limits.tiered_limits["R1"].mem_storage == 1024
    assert "mem_storage" not in c.peek(env.store.account_token("B"))["nats"]["limits"]
    assert "JetStream Limits and tiered" not in env.ok("validate", "-a", "B").stdout
