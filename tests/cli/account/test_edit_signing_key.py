"""``pynsc edit signing-key``: scoped signing keys and their user templates (§4.5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from tests.cli.account.conftest import Env, assert_valid_jwt, error_line


@pytest.fixture
def signing(env: Env) -> keys.KeyPair:
    """Account A with one plain signing key (its seed stored)."""
    env.add_account("A")
    key = keys.generate("account")
    env.keystore.store(key)
    claims = env.account("A")
    claims.nats.signing_keys[key.public_key] = None
    env.store.write_account("A", c.encode(claims, env.operator))
    return key


def _scope(env: Env, key: str) -> c.UserScope:
    path = env.store.dir / "accounts" / "A" / "A.jwt"
    claims: c.AccountClaims = assert_valid_jwt(path.read_text())
    scope = claims.nats.signing_keys[key]
    assert scope is not None
    return scope


def _fails(env: Env, *args: str, exit_code: int = 1) -> str:
    before = env.digest()
    result = env.run("edit", "signing-key", *args)
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert env.digest() == before
    return error_line(result)


def test_promote_to_scoped(env: Env, signing: keys.KeyPair) -> None:
    result = env.ok(
        "edit", "signing-key", "--sk", signing.public_key, "--role", "service",
        "--allow-pub", "a.>", "--allow-sub", "b.*", "--description", "svc",
    )
    assert result.stderr.splitlines() == [
        f'[ OK ] made signing key "{signing.public_key}" scoped',
        '[ OK ] changed role to "service"',
        '[ OK ] changed description to "svc"',
        '[ OK ] added pub "a.>"',
        '[ OK ] added sub "b.*"',
        f'[ OK ] edited signing key "{signing.public_key}"',
    ]
    scope = _scope(env, signing.public_key)
    assert (scope.key, scope.role, scope.description) == (signing.public_key, "service", "svc")
    assert scope.template.pub.allow == ["a.>"]
    assert scope.template.sub.allow == ["b.*"]
    assert (scope.template.subs, scope.template.data, scope.template.payload) == (-1, -1, -1)


@pytest.mark.parametrize("form", ["argument", "seed", "file"])
def test_key_forms(env: Env, signing: keys.KeyPair, form: str, tmp_path: Path) -> None:
    """nsc #425: only a public key works there; pynsc takes a seed or a file too."""
    if form == "argument":
        args = [signing.public_key]
    elif form == "seed":
        args = ["--sk", signing.require_seed()]
    else:
        path = tmp_path / "sk.nk"
        path.write_text(signing.require_seed())
        args = ["--sk", str(path)]
    env.ok("edit", "signing-key", *args, "--role", "r")
    assert _scope(env, signing.public_key).role == "r"


def test_by_role(env: Env, signing: keys.KeyPair) -> None:
    env.ok("edit", "signing-key", "--sk", signing.public_key, "--role", "admin")
    env.ok("edit", "signing-key", "--sk", "admin", "--subs", "10")
    env.ok("edit", "signing-key", "--role", "admin", "--payload", "1k")
    template = _scope(env, signing.public_key).template
    assert (template.subs, template.payload) == (10, 1000)
    assert _scope(env, signing.public_key).role == "admin"


def test_generate(env: Env) -> None:
    env.add_account("A")
    payload = env.json("edit", "signing-key", "-a", "A", "--sk", "generate", "--role", "gen")
    key = payload["data"]["key"]
    assert env.keystore.has(key)
    assert _scope(env, key).role == "gen"


def test_not_found(env: Env, signing: keys.KeyPair) -> None:
    other = keys.generate("account")
    assert _fails(env, "--sk", other.public_key) == "signing-key not found"
    assert _fails(env, "--sk", "nope") == "signing-key not found"
    assert _fails(env, "--role", "nope") == "signing-key not found"
    assert _fails(env, exit_code=2).startswith("signing key is required")


def test_duplicate_role(env: Env, signing: keys.KeyPair) -> None:
    env.ok("edit", "signing-key", signing.public_key, "--role", "one")
    env.ok("edit", "account", "--sk", "generate")
    other = next(k for k in env.account("A").nats.signing_keys if k != signing.public_key)
    assert "already the role" in _fails(env, other, "--role", "one")


def test_user_limit_flags(env: Env, signing: keys.KeyPair) -> None:
    key = signing.public_key
    env.ok(
        "edit", "signing-key", key, "--time", "16:04:05-17:04:09", "--locale",
        "America/New_York", "--source-network", "192.0.2.0/24,10.0.0.0/8", "--conn-type",
        "mqtt,standard", "--subs", "5", "--data", "1M", "--payload", "1k", "--bearer",
        "--allow-pub-response=3", "--response-ttl", "1s",
    )
    template = _scope(env, key).template
    assert template.times == [c.TimeRange(start="16:04:05", end="17:04:09")]
    assert template.times_location == "America/New_York"
    assert template.src == ["10.0.0.0/8", "192.0.2.0/24"]
    assert template.allowed_connection_types == ["MQTT", "STANDARD"]
    assert (template.subs, template.data, template.payload) == (5, 1_000_000, 1000)
    assert template.bearer_token is True
    assert template.resp == c.ResponsePermission(max=3, ttl=1_000_000_000)
    result = env.ok(
        "edit", "signing-key", key, "--rm-time", "16:04:05", "--rm-source-network",
        "10.0.0.0/8", "--rm-conn-type", "Mqtt", "--bearer=false", "--rm-response-perms",
    )
    assert "[ OK ] changed bearer to false" in result.stderr
    template = _scope(env, key).template
    assert template.times == []
    assert template.src == ["192.0.2.0/24"]
    assert template.allowed_connection_types == ["STANDARD"]
    assert template.bearer_token is False
    assert template.resp is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--conn-type", "hello"], "unknown connection type hello"),
        (["--time", "16:04:05"], 'require format: "15:04:05-15:04:05" got "16:04:05"'),
        (["--time", "25:00:00-17:00:00"], 'could not parse start time "25:00:00"'),
        (["--locale", "Mars/Olympus"], "unknown time zone Mars/Olympus"),
        (["--source-network", "nonsense"], 'invalid cidr "nonsense"'),
        (["--subs", "lots"], '"lots" is not a number'),
        (["--bearer=maybe"], "not a valid boolean"),
        (["--deny-pub", "foo queue"], "contains illegal space"),
    ],
)
def test_bad_values(env: Env, signing: keys.KeyPair, args: list[str], message: str) -> None:
    line = _fails(env, signing.public_key, *args, exit_code=2)
    assert message in line


def test_a_role_alone_writes_the_template_go_writes(env: Env, signing: keys.KeyPair) -> None:
    """Issue 10 item 4: no ``subs``/``data``/``payload`` in the JWT until one is set."""
    env.ok("edit", "signing-key", "--sk", signing.public_key, "--role", "r")
    token = (env.store.dir / "accounts" / "A" / "A.jwt").read_text()
    template = c.peek(token)["nats"]["signing_keys"][0]["template"]
    assert template == {"pub": {}, "sub": {}}
