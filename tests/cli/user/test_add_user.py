"""``pynsc add user``: names, keys, signers (plain, scoped, strict), permissions, bearer,
time, tags, networks, JSON, and failures that change nothing (nsc-spec §5.3 #7-#14)."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from tests.cli.conftest import Pynsc
from tests.cli.user.conftest import Env, assert_creds, assert_valid_user, make_env


def _added(env: Env, *args: str) -> c.UserClaims:
    env.ok("add", "user", *args)
    name = args[0] if args and not args[0].startswith("-") else args[args.index("-n") + 1]
    return assert_valid_user(env.user_token("A", name))


# Names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("U",), ("-n", "U"), ("--name", "U")])
def test_name_by_flag_or_argument(env: Env, args: tuple[str, ...]) -> None:
    result = env.ok("add", "user", *args)
    user = assert_valid_user(env.user_token("A", "U"))
    assert user.name == "U"
    lines = result.stderr.splitlines()
    assert lines == [
        f'[ OK ] generated and stored user key "{user.sub}"',
        f"[ OK ] generated user creds file `{env.creds_path('A', 'U')}`",
        '[ OK ] added user "U" to account "A"',
    ]
    assert result.stdout == ""
    assert env.keystore.get(user.sub) is not None
    assert_creds(env.creds_path("A", "U"), user.sub)


def test_creds_path_shown_with_tilde(
    tmp_path: Path, pynsc: Pynsc, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    env = make_env(tmp_path / "nsc", pynsc)
    result = env.ok("add", "user", "U")
    assert "[ OK ] generated user creds file `~/nsc/creds/O/A/U.creds`" in result.stderr


def test_duplicate_fails(env: Env) -> None:
    env.ok("add", "user", "foo")
    assert env.fails("add", "user", "foo") == 'the user "foo" already exists'


def test_name_is_required(env: Env) -> None:
    assert env.fails("add", "user") == "user name is required"


@pytest.mark.parametrize("name", ["A/B", "A\\B"])
def test_bad_name(env: Env, name: str) -> None:
    assert env.fails("add", "user", name) == "name cannot contain '/' or '\\'"


def test_name_twice_differently_is_a_usage_error(env: Env) -> None:
    env.fails("add", "user", "U", "-n", "V", exit_code=2)


def test_star_makes_random_names(env: Env) -> None:
    env.ok("add", "user", "*")
    env.ok("add", "user", "--name", "*")
    names = env.store.user_names("A")
    assert len(names) == 2
    assert all("_" in n for n in names)


# Account -----------------------------------------------------------------------------------------


def test_account_by_name_or_key(env: Env) -> None:
    b = env.add_account("B")
    env.ok("add", "user", "U", "-a", "B")
    env.ok("add", "user", "V", "--account", b.public_key)
    assert env.store.user_names("B") == ["U", "V"]
    assert env.store.user_names("A") == []
    assert env.user("B", "U").iss == b.public_key


def test_account_required_with_several(env: Env) -> None:
    env.add_account("B")
    assert env.fails("add", "user", "U") == "an account is required"


def test_unknown_account(env: Env) -> None:
    message = env.fails("add", "user", "U", "-a", "NO")
    assert message.startswith('"NO" not in accounts for operator "O"')


# Keys --------------------------------------------------------------------------------------------


def test_public_key_is_used_not_stored(env: Env) -> None:
    key = keys.generate("user")
    result = env.ok("add", "user", "U", "--public-key", key.public_key)
    user = assert_valid_user(env.user_token("A", "U"))
    assert user.sub == key.public_key
    assert user.nats.issuer_account == ""
    assert user.iss == env.accounts["A"].public_key
    assert "skipped generating creds file - user private key is not available" in result.stderr
    assert "generated and stored user key" not in result.stderr
    assert not env.creds_path("A", "U").exists()
    assert env.keystore.get(key.public_key) is None


def test_public_key_seed_is_not_stored(env: Env) -> None:
    key = keys.generate("user")
    env.ok("add", "user", "U", "-k", key.seed or "")
    assert env.user("A", "U").sub == key.public_key
    assert env.keystore.get(key.public_key) is None
    assert not env.creds_path("A", "U").exists()


def test_public_key_from_file(env: Env, tmp_path: Path) -> None:
    key = keys.generate("user")
    path = tmp_path / "user.nk"
    path.write_text(key.seed or "")
    env.ok("add", "user", "U", "-k", str(path))
    assert env.user("A", "U").sub == key.public_key
    assert env.keystore.get(key.public_key) is None


def test_public_key_already_stored_gets_creds(env: Env) -> None:
    key = keys.generate("user")
    env.keystore.store(key)
    env.ok("add", "user", "U", "-k", key.public_key)
    assert_creds(env.creds_path("A", "U"), key.public_key)


def test_public_key_of_wrong_kind(env: Env) -> None:
    assert env.fails("add", "user", "U", "-k", keys.generate("account").public_key) == (
        "invalid user key"
    )


def test_public_key_garbage(env: Env) -> None:
    env.fails("add", "user", "U", "-k", "not-a-key")


# Signers -----------------------------------------------------------------------------------------


def test_signing_key_by_seed_sets_issuer_account(env: Env) -> None:
    sk = env.add_signing_key("A", store_key=False)
    user = _added(env, "U", "-K", sk.seed or "")
    assert user.iss == sk.public_key
    assert user.nats.issuer_account == env.accounts["A"].public_key


@pytest.mark.parametrize("how", ["public", "seed", "file"])
def test_signing_key_forms(env: Env, how: str, tmp_path: Path) -> None:
    sk = env.add_signing_key("A")
    value = {"public": sk.public_key, "seed": sk.seed or ""}.get(how)
    if value is None:
        path = tmp_path / "sk.nk"
        path.write_text(sk.seed or "")
        value = str(path)
    user = _added(env, "U", "-K", value)
    assert user.iss == sk.public_key


def test_identity_is_default_signer(env: Env) -> None:
    env.add_signing_key("A")
    user = _added(env, "U")
    assert user.iss == env.accounts["A"].public_key
    assert user.nats.issuer_account == ""


def test_signing_key_used_when_identity_seed_missing(env: Env) -> None:
    sk = env.add_signing_key("A")
    env.keystore.remove(env.accounts["A"].public_key)
    user = _added(env, "U")
    assert user.iss == sk.public_key


def test_no_signer_available(env: Env) -> None:
    env.keystore.remove(env.accounts["A"].public_key)
    message = env.fails("add", "user", "U")
    assert message.startswith("unable to resolve any of the following signing keys")
    assert env.accounts["A"].public_key in message


def test_foreign_signer_rejected(env: Env) -> None:
    other = keys.generate("account")
    env.fails("add", "user", "U", "-K", other.seed or "")


@pytest.mark.parametrize("how", ["role", "public", "seed", "file"])
def test_scoped_signer_makes_scoped_user(env: Env, how: str, tmp_path: Path) -> None:
    sk = env.add_signing_key("A", role="service")
    value = {"role": "service", "public": sk.public_key, "seed": sk.seed or ""}.get(how)
    if value is None:
        path = tmp_path / "sk.nk"
        path.write_text(sk.seed or "")
        value = str(path)
    user = _added(env, "U", "-K", value, "--tag", "t1")
    assert user.iss == sk.public_key
    assert user.nats.issuer_account == env.accounts["A"].public_key
    assert user.nats.limits().is_empty()
    assert user.nats.tags == ["t1"]


@pytest.mark.parametrize(
    "flag",
    [("--bearer",), ("--allow-pub", "x"), ("--deny-sub", "y"), ("--allow-pub-response",),
     ("--response-ttl", "1s"), ("--source-network", "10.0.0.0/8")],
)  # fmt: skip
def test_scoped_signer_refuses_permissions(env: Env, flag: tuple[str, ...]) -> None:
    env.add_signing_key("A", role="service")
    message = env.fails("add", "user", "U", "-K", "service", *flag)
    assert message == "scoped users require no permissions or limits set"


def test_unknown_role_or_missing_scoped_seed(env: Env) -> None:
    env.add_signing_key("A", role="service", store_key=False)
    message = env.fails("add", "user", "U", "-K", "service")
    assert message.startswith("unable to resolve any of the following signing keys")


def test_strict_operator_needs_account_signing_keys(env: Env) -> None:
    env.set_strict()
    assert env.fails("add", "user", "U") == (
        "unable to issue users when operator requires signing keys and the account has none"
    )


def test_strict_operator_uses_signing_key(env: Env) -> None:
    env.set_strict()
    sk = env.add_signing_key("A")
    user = _added(env, "U")
    assert user.iss == sk.public_key
    assert env.fails("add", "user", "V", "-K", env.accounts["A"].seed or "").startswith(
        "the operator requires signing keys"
    )


# Claims ------------------------------------------------------------------------------------------


def test_defaults(env: Env) -> None:
    user = _added(env, "U")
    assert user.nats.bearer_token is False
    assert (user.nats.subs, user.nats.data, user.nats.payload) == (-1, -1, -1)
    assert user.nats.pub.allow == []
    assert user.nats.sub.allow == []
    assert user.nats.resp is None
    assert user.nbf == 0
    assert user.exp == 0


def test_bearer(env: Env) -> None:
    assert _added(env, "U", "--bearer").nats.bearer_token is True


def test_bearer_forbidden_by_account(env: Env) -> None:
    env.edit_account("A", lambda a: setattr(a.nats.limits, "disallow_bearer", True))
    assert env.fails("add", "user", "U", "--bearer") == (
        'account "A" forbids the use of bearer token'
    )
    env.ok("add", "user", "U")


def test_permissions(env: Env) -> None:
    user = _added(
        env, "U", "--allow-pub", "a,b", "--allow-pubsub", "c", "--deny-pub", "foo",
        "--deny-pubsub", "bar", "--allow-sub", "q", "--deny-sub", "d,e",
    )  # fmt: skip
    assert user.nats.pub.allow == ["a", "b", "c"]
    assert user.nats.sub.allow == ["c", "q"]
    assert user.nats.pub.deny == ["bar", "foo"]
    assert user.nats.sub.deny == ["bar", "d", "e"]


def test_permissions_repeated_flags(env: Env) -> None:
    user = _added(env, "U", "--allow-pub", "a", "--allow-pub", "b")
    assert user.nats.pub.allow == ["a", "b"]


def test_deny_pub_with_space_fails(env: Env) -> None:
    message = env.fails("add", "user", "U", "--deny-pub", "foo queue", exit_code=2)
    assert "contains illegal space" in message


def test_allow_sub_with_two_spaces_fails(env: Env) -> None:
    message = env.fails("add", "user", "U", "--allow-sub", "foo queue doo", exit_code=2)
    assert "can at most contain one space" in message


def test_allow_sub_with_queue(env: Env) -> None:
    assert _added(env, "U", "--allow-sub", "foo queue").nats.sub.allow == ["foo queue"]


def test_response_permissions(env: Env) -> None:
    user = _added(env, "U", "--allow-pub-response", "--response-ttl", "2ms")
    assert user.nats.resp == c.ResponsePermission(max=1, ttl=2_000_000)


def test_response_count_and_max_responses(env: Env) -> None:
    assert _added(env, "U", "--allow-pub-response=5").nats.resp == c.ResponsePermission(max=5)
    user = _added(env, "V", "--max-responses", "100")
    assert user.nats.resp is not None
    assert user.nats.resp.max == 100


def test_bad_response_ttl(env: Env) -> None:
    message = env.fails("add", "user", "U", "--response-ttl", "2x", exit_code=2)
    assert "time: unknown unit" in message


def test_times(env: Env) -> None:
    user = _added(env, "U", "--start", "2018-01-01", "--expiry", "2050-01-01")
    utc = dt.timezone.utc
    assert user.nbf == int(dt.datetime(2018, 1, 1, tzinfo=utc).timestamp())
    assert user.exp == int(dt.datetime(2050, 1, 1, tzinfo=utc).timestamp())


def test_relative_expiry(env: Env) -> None:
    before = int(time.time())
    env.ok("add", "user", "U", "--expiry", "2d")
    exp = env.user("A", "U").exp
    assert before + 2 * 86400 <= exp <= int(time.time()) + 2 * 86400


def test_bad_date(env: Env) -> None:
    env.fails("add", "user", "U", "--expiry", "tomorrow", exit_code=2)


def test_tags_are_lowercased_sorted_unique(env: Env) -> None:
    assert _added(env, "U", "--tag", "b,A", "--tag", "a").nats.tags == ["a", "b"]


def test_source_network(env: Env) -> None:
    user = _added(env, "U", "--source-network", "10.0.0.0/8,192.168.1.0/24")
    assert user.nats.src == ["10.0.0.0/8", "192.168.1.0/24"]


def test_bad_source_network(env: Env) -> None:
    assert "invalid cidr" in env.fails("add", "user", "U", "--source-network", "nope", exit_code=2)


# Output ------------------------------------------------------------------------------------------


def test_json(env: Env) -> None:
    payload = env.json("add", "user", "U")
    user = env.user("A", "U")
    assert payload["messages"] == [
        {"level": "ok", "text": f'generated and stored user key "{user.sub}"'},
        {"level": "ok", "text": f"generated user creds file `{env.creds_path('A', 'U')}`"},
        {"level": "ok", "text": 'added user "U" to account "A"'},
    ]
    data = payload["data"]
    assert data["name"] == "U"
    assert data["account"] == "A"
    assert data["public_key"] == user.sub
    assert data["creds"] == str(env.creds_path("A", "U"))
    assert data["jwt"] == env.user_token("A", "U")


def test_json_has_nothing_else_on_stdout(env: Env) -> None:
    result = env.ok("add", "user", "U", "--json")
    json.loads(result.stdout)
    assert result.stderr == ""


def test_files_are_private(env: Env) -> None:
    user = _added(env, "U")
    jwt = env.store.dir / "accounts" / "A" / "users" / "U.jwt"
    assert jwt.stat().st_mode & 0o777 == 0o600
    assert env.keystore.key_path(user.sub).stat().st_mode & 0o777 == 0o600
    assert env.creds_path("A", "U").parent.stat().st_mode & 0o777 == 0o700


def test_cost_does_not_depend_on_other_users(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    """No other user file is listed or read when adding one."""
    for i in range(3):
        env.add_user("A", f"u{i}")
    from pynsc.store import Store

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("add user must not list or read other users")

    monkeypatch.setattr(Store, "user_names", forbidden)
    monkeypatch.setattr(Store, "user", forbidden)
    monkeypatch.setattr(Store, "find_user", forbidden)
    env.ok("add", "user", "U")


def test_add_user_takes_the_limit_options_of_edit_user(env: Env) -> None:
    user = _added(
        env, "U", "--conn-type", "websocket,standard", "--subs", "5", "--data", "1k",
        "--payload", "512", "--time", "08:00:00-17:00:00", "--locale", "Europe/Paris",
        "--allow-pub", "a.>",
    )  # fmt: skip
    limits = user.nats
    assert limits.allowed_connection_types == ["WEBSOCKET", "STANDARD"]
    assert (limits.subs, limits.data, limits.payload) == (5, 1000, 512)
    assert [(t.start, t.end) for t in limits.times] == [("08:00:00", "17:00:00")]
    assert limits.times_location == "Europe/Paris"
    assert limits.pub.allow == ["a.>"]


def test_add_user_has_no_removal_flags(env: Env) -> None:
    assert "--rm-conn-type" not in env.ok("add", "user", "--help").stdout
    env.fails("add", "user", "U", "--rm-time", "08:00:00", exit_code=2)


def test_source_networks_keep_the_order_given_once_each(env: Env) -> None:
    """Issue 10 item 2: as Go nsc, ``add user`` keeps the order given (duplicates dropped)."""
    user = _added(env, "U", "--source-network", "172.16.0.0/12,10.0.0.0/8,172.16.0.0/12")
    assert user.nats.src == ["172.16.0.0/12", "10.0.0.0/8"]


def test_permission_flags_are_reported_as_nsc_reports_them(env: Env) -> None:
    """Issue 10 item 9: nsc's lines, in nsc's order, before the key and creds lines."""
    result = env.ok("add", "user", "U", "--allow-pub", "a.x,a.y", "--allow-sub", "b",
                    "--deny-pub", "c", "--allow-pubsub", "d", "--deny-sub", "e",
                    "--allow-pub-response=2", "--response-ttl", "5s")  # fmt: skip
    lines = result.stderr.splitlines()
    assert lines[:9] == [
        "[ OK ] set max responses to 2",
        "[ OK ] set response ttl to 5s",
        '[ OK ] added pub "a.x"',
        '[ OK ] added pub "a.y"',
        '[ OK ] added pub "d"',
        '[ OK ] added deny pub "c"',
        '[ OK ] added sub "b"',
        '[ OK ] added sub "d"',
        '[ OK ] added deny sub "e"',
    ]
    assert lines[9].startswith("[ OK ] generated and stored user key")


def test_tags_are_reported_one_by_one_on_edit(env: Env) -> None:
    env.ok("add", "user", "U", "--tag", "team")
    assert env.ok("edit", "user", "U", "--rm-tag", "team").stderr.splitlines()[0] == (
        '[ OK ] removed tag "team"'
    )
    assert env.ok("edit", "user", "U", "--tag", "Q").stderr.splitlines()[0] == (
        '[ OK ] added tag "q"'
    )


def test_allow_pub_response_takes_a_value_only_after_equals(env: Env) -> None:
    """Issue 10 item 6: pflag's optional value: the bare flag means 1 and the next word is
    not its value (``--allow-pub-response v8`` makes user v8), as Go nsc reads it."""
    env.ok("add", "user", "--allow-pub-response", "v8")
    user = assert_valid_user(env.user_token("A", "v8"))
    assert user.nats.resp is not None
    assert user.nats.resp.max == 1
    other = _added(env, "w", "--allow-pub-response=3")
    assert other.nats.resp is not None
    assert other.nats.resp.max == 3


def test_source_network_order_survives_other_options(env: Env) -> None:
    """The order given stays when other limit flags come with it (found by
    scripts/go_conformance.py)."""
    user = _added(env, "U", "--allow-pub-response=4",
                  "--source-network", "172.16.0.0/12,10.0.0.0/8")  # fmt: skip
    assert user.nats.src == ["172.16.0.0/12", "10.0.0.0/8"]
