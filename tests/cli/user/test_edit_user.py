"""``pynsc edit user``: every flag, messages (§5.3 #25, #30-#32), signers, creds, JSON."""

from __future__ import annotations

import datetime as dt

import pytest

from pynsc import claims as c
from pynsc import keys
from tests.cli.user.conftest import Env, assert_creds, assert_valid_user


@pytest.fixture
def user_env(env: Env) -> Env:
    env.add_user("A", "U")
    return env


def _edit(env: Env, *args: str, name: str = "U") -> c.UserClaims:
    env.ok("edit", "user", *args)
    return assert_valid_user(env.user_token("A", name))


def test_no_option(user_env: Env) -> None:
    assert user_env.fails("edit", "user", exit_code=2) == "specify an edit option"


def test_default_user_only_when_one(user_env: Env) -> None:
    user_env.add_user("A", "V")
    assert user_env.fails("edit", "user", "--tag", "x") == "user name is required"
    assert _edit(user_env, "-n", "V", "--tag", "x", name="V").nats.tags == ["x"]


@pytest.mark.parametrize("args", [("--tag", "t"), ("U", "--tag", "t"), ("-n", "U", "--tag", "t")])
def test_name_forms(user_env: Env, args: tuple[str, ...]) -> None:
    result = user_env.ok("edit", "user", *args)
    assert result.stderr.splitlines()[-1] == '[ OK ] edited user "U"'


def test_by_public_key(user_env: Env) -> None:
    key = user_env.user("A", "U").sub
    assert _edit(user_env, key, "--tag", "t").nats.tags == ["t"]


def test_unknown_user(user_env: Env) -> None:
    assert user_env.fails("edit", "user", "NO", "--tag", "t").startswith('user "NO" not found')


def test_bearer_messages(user_env: Env) -> None:
    result = user_env.ok("edit", "user", "--bearer")
    assert "[ OK ] changed bearer to true" in result.stderr
    assert user_env.user("A", "U").nats.bearer_token is True
    result = user_env.ok("edit", "user", "--bearer=false")
    assert "[ OK ] changed bearer to false" in result.stderr
    result = user_env.ok("edit", "user", "--bearer=false")
    assert "[ OK ] ignoring change to bearer - value is already false" in result.stderr
    assert user_env.user("A", "U").nats.bearer_token is False


def test_bearer_disallowed_by_account(user_env: Env) -> None:
    user_env.edit_account("A", lambda a: setattr(a.nats.limits, "disallow_bearer", True))
    assert user_env.fails("edit", "user", "--bearer") == "account disallows bearer token"
    _edit(user_env, "--bearer=false")


def test_times_and_locale(user_env: Env) -> None:
    user = _edit(user_env, "--time", "16:04:05-17:04:09", "--locale", "America/New_York")
    assert user.nats.times == [c.TimeRange(start="16:04:05", end="17:04:09")]
    assert user.nats.times_location == "America/New_York"
    user = _edit(user_env, "--rm-time", "16:04:05")
    assert user.nats.times == []
    assert user.nats.times_location == "America/New_York"


def test_locale_alone_is_an_edit(user_env: Env) -> None:
    assert _edit(user_env, "--locale", "Europe/Berlin").nats.times_location == "Europe/Berlin"


def test_bad_time_and_locale(user_env: Env) -> None:
    user_env.fails("edit", "user", "--time", "16:04-17:00", exit_code=2)
    user_env.fails("edit", "user", "--locale", "Nowhere/City", exit_code=2)


def test_conn_types(user_env: Env) -> None:
    assert "unknown connection type" in user_env.fails(
        "edit", "user", "--conn-type", "hello", exit_code=2
    )
    user = _edit(user_env, "--conn-type", "mqtt,standard")
    assert user.nats.allowed_connection_types == ["MQTT", "STANDARD"]
    user = _edit(user_env, "--rm-conn-type", "mqtt")
    assert user.nats.allowed_connection_types == ["STANDARD"]


def test_source_networks(user_env: Env) -> None:
    user = _edit(user_env, "--source-network", "10.0.0.0/8", "--source-network", "1.2.3.4/32")
    assert user.nats.src == ["1.2.3.4/32", "10.0.0.0/8"]
    user = _edit(user_env, "--rm-source-network", "10.0.0.0/8")
    assert user.nats.src == ["1.2.3.4/32"]
    assert "invalid cidr" in user_env.fails(
        "edit", "user", "--source-network", "bad", exit_code=2
    )


def test_limits(user_env: Env) -> None:
    result = user_env.ok("edit", "user", "--subs", "10", "--data", "1k", "--payload", "1KiB")
    user = assert_valid_user(user_env.user_token("A", "U"))
    assert (user.nats.subs, user.nats.data, user.nats.payload) == (10, 1000, 1024)
    assert "[ OK ] changed max payload to 1024" in result.stderr
    assert "[ OK ] changed max data to 1000" in result.stderr
    assert "[ OK ] changed max number of subs to 10" in result.stderr
    user = _edit(user_env, "--subs", "-1")
    assert (user.nats.subs, user.nats.data, user.nats.payload) == (-1, 1000, 1024)


def test_bad_limit(user_env: Env) -> None:
    user_env.fails("edit", "user", "--data", "lots", exit_code=2)


def test_permissions_and_removal(user_env: Env) -> None:
    user = _edit(user_env, "--allow-pubsub", "a", "--deny-pub", "b", "--allow-sub", "c q")
    assert user.nats.pub.allow == ["a"]
    assert user.nats.sub.allow == ["a", "c q"]
    assert user.nats.pub.deny == ["b"]
    user = _edit(user_env, "--rm", "a,b")
    assert user.nats.pub.allow == []
    assert user.nats.sub.allow == ["c q"]
    assert user.nats.pub.deny == []


def test_response_permissions(user_env: Env) -> None:
    user = _edit(user_env, "--allow-pub-response=3", "--response-ttl", "1s")
    assert user.nats.resp == c.ResponsePermission(max=3, ttl=1_000_000_000)
    assert _edit(user_env, "--rm-response-perms").nats.resp is None


def test_tags(user_env: Env) -> None:
    assert _edit(user_env, "--tag", "B,a").nats.tags == ["a", "b"]
    assert _edit(user_env, "--rm-tag", "A").nats.tags == ["b"]


def test_start_and_expiry(user_env: Env) -> None:
    result = user_env.ok("edit", "user", "--start", "2020-01-01", "--expiry", "2040-01-01")
    user = user_env.user("A", "U")
    assert user.nbf == int(dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc).timestamp())
    assert user.exp == int(dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc).timestamp())
    assert "[ OK ] changed jwt start to 2020-01-01 00:00:00 UTC" in result.stderr
    assert _edit(user_env, "--expiry", "0").exp == 0


def test_unedited_fields_are_kept(env: Env) -> None:
    env.add_user("A", "U", bearer_token=True, subs=7, tags=["keep"])
    user = _edit(env, "--payload", "9")
    assert user.nats.bearer_token is True
    assert user.nats.subs == 7
    assert user.nats.tags == ["keep"]


def test_rewrites_creds(user_env: Env) -> None:
    _edit(user_env, "--tag", "t")
    claims = assert_creds(user_env.creds_path("A", "U"), user_env.user("A", "U").sub)
    assert claims.nats.tags == ["t"]


def test_skips_creds_without_seed(env: Env) -> None:
    env.add_user("A", "U", store_key=False)
    result = env.ok("edit", "user", "--tag", "t")
    assert "skipped generating creds file - user private key is not available" in result.stderr
    assert not env.creds_path("A", "U").exists()


def test_resigned_by_current_issuer(env: Env) -> None:
    sk = env.add_signing_key("A")
    env.add_user("A", "U", signer=sk)
    user = _edit(env, "--tag", "t")
    assert user.iss == sk.public_key
    assert user.nats.issuer_account == env.accounts["A"].public_key


def test_signer_flag(user_env: Env) -> None:
    sk = user_env.add_signing_key("A", store_key=False)
    user = _edit(user_env, "--tag", "t", "-K", sk.seed or "")
    assert user.iss == sk.public_key
    assert user.nats.issuer_account == user_env.accounts["A"].public_key


def test_scoped_user_takes_tags_not_limits(env: Env) -> None:
    sk = env.add_signing_key("A", role="svc")
    env.ok("add", "user", "S", "-K", "svc")
    assert _edit(env, "S", "--tag", "t", name="S").iss == sk.public_key
    message = env.fails("edit", "user", "S", "--bearer")
    assert message == "scoped users require no permissions or limits set"
    assert env.fails("edit", "user", "S", "--allow-pub", "x") == (
        "scoped users require no permissions or limits set"
    )


def test_json(user_env: Env) -> None:
    payload = user_env.json("edit", "user", "--bearer")
    texts = [m["text"] for m in payload["messages"]]
    assert texts[0] == "changed bearer to true"
    assert texts[-1] == 'edited user "U"'
    assert payload["data"]["jwt"] == user_env.user_token("A", "U")


def test_no_signer(user_env: Env) -> None:
    user_env.keystore.remove(user_env.accounts["A"].public_key)
    other = keys.generate("account")
    assert user_env.fails("edit", "user", "--tag", "t").startswith("unable to resolve")
    user_env.fails("edit", "user", "--tag", "t", "-K", other.seed or "")


def test_private_key_alone_re_signs(user_env: Env) -> None:
    sk = user_env.add_signing_key("A")
    user_env.ok("edit", "user", "U", "-K", sk.public_key)
    user = user_env.store.user("A", "U")
    assert user.iss == sk.public_key
    assert user.nats.issuer_account == user_env.store.account("A").sub
