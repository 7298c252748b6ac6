"""``pynsc edit authcallout``: every flag, nsc's messages, validation of the whole account before
anything is written, JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import keys
from pynsc.keys import KeyKind, KeyPair
from tests.cli.authcallout.conftest import Env, assert_valid_account


@pytest.fixture
def acct(env: Env) -> Env:
    env.add_account("A")
    return env


def _auth(env: Env, account: str = "A") -> tuple[list[str], list[str], str]:
    auth = env.account(account).nats.authorization
    return list(auth.auth_users), list(auth.allowed_accounts), auth.xkey


def _key(kind: str) -> KeyPair:
    return keys.generate(kind)


def test_no_option(acct: Env) -> None:
    assert acct.fails("edit", "authcallout", exit_code=2) == "please specify some options"


def test_accounts_without_users(acct: Env) -> None:
    other = _key("account").public_key
    message = acct.fails("edit", "authcallout", "--allowed-account", other)
    assert message == "External authorization cannot have accounts without users specified"


def test_generated_curve_not_stored_when_invalid(acct: Env) -> None:
    other = _key("account").public_key
    message = acct.fails("edit", "authcallout", "--allowed-account", other, "-x", "generate")
    assert "External authorization cannot have accounts without users specified" in message
    assert acct.keystore.list(KeyKind.CURVE) == []


def test_auth_user_must_be_a_user_key(acct: Env) -> None:
    other = _key("account").public_key
    assert acct.fails("edit", "authcallout", "--auth-user", other) == (
        f'"{other}" is not a valid user key'
    )


@pytest.mark.parametrize(
    "value", ["hello", "UAUGJSHSTZY4ESHTL32CYYQNGT6MHXDQY6APMFMVRXWZN76RHE2IRN5O"]
)
def test_allowed_account_must_be_an_account_key(acct: Env, value: str) -> None:
    user = _key("user").public_key
    message = acct.fails("edit", "authcallout", "--auth-user", user, "--allowed-account", value)
    assert message == f'"{value}" is not a valid account key'


def test_auth_user_only(acct: Env) -> None:
    user = _key("user").public_key
    result = acct.ok("edit", "authcallout", "--auth-user", user)
    assert result.stderr.splitlines() == [f'[ OK ] added user "{user}"']
    assert _auth(acct) == ([user], [], "")
    account = assert_valid_account(acct.account_token("A"))
    assert account.nats.authorization.is_enabled()
    assert account.iss == acct.operator.public_key


def test_auth_user_by_seed_file_and_lists(acct: Env, tmp_path: Path) -> None:
    u1, u2, u3, u4 = (_key("user") for _ in range(4))
    assert u3.seed is not None
    assert u2.seed is not None
    path = tmp_path / "u3.nk"
    path.write_text(u3.seed)
    acct.ok(
        "edit", "authcallout",
        "--auth-user", f"{u1.public_key},{u2.seed}", "--auth-user", str(path),
        "--auth-user", u4.public_key,
    )  # fmt: skip
    assert _auth(acct)[0] == [u1.public_key, u2.public_key, u3.public_key, u4.public_key]
    assert acct.keystore.get(u2.public_key) is None  # a user's seed is not stored


def test_add_and_remove_with_reports(acct: Env) -> None:
    u1, u2 = _key("user").public_key, _key("user").public_key
    a1, a2 = _key("account").public_key, _key("account").public_key
    acct.ok("edit", "authcallout", "--auth-user", f"{u1},{u2}", "--allowed-account", f"{a1},{a2}")
    assert _auth(acct) == ([u1, u2], [a1, a2], "")
    result = acct.ok(
        "edit", "authcallout", "--auth-user", u1, "--rm-auth-user", u2,
        "--allowed-account", a1, "--rm-allowed-account", a2,
    )  # fmt: skip
    assert result.stderr.splitlines() == [
        f'[ OK ] skipped adding user "{u1}" - as it\'s already set',
        f'[ OK ] deleted user "{u2}"',
        f'[ OK ] skipped adding account "{a1}" - as it\'s already set',
        f'[ OK ] deleted account "{a2}"',
    ]
    assert _auth(acct) == ([u1], [a1], "")
    result = acct.ok("edit", "authcallout", "--rm-auth-user", u2, "--rm-allowed-account", a2)
    assert result.stderr.splitlines() == [
        f'[ OK ] skipping user "{u2}" - as it\'s not currently set',
        f'[ OK ] skipping account "{a2}" - as it\'s not currently set',
    ]


def test_removing_the_last_user_with_accounts_left_fails(acct: Env) -> None:
    u, a = _key("user").public_key, _key("account").public_key
    acct.ok("edit", "authcallout", "--auth-user", u, "--allowed-account", a)
    message = acct.fails("edit", "authcallout", "--rm-auth-user", u)
    assert message == "External authorization cannot have accounts without users specified"


def test_wildcard_account(acct: Env) -> None:
    u, a = _key("user").public_key, _key("account").public_key
    acct.ok("edit", "authcallout", "--auth-user", u, "--allowed-account", "*")
    assert _auth(acct)[1] == ["*"]
    message = acct.fails("edit", "authcallout", "--allowed-account", a)
    assert 'AllowedAccounts can only be a list of accounts or "*"' in message
    acct.ok("edit", "authcallout", "--rm-allowed-account", "*")
    acct.ok("edit", "authcallout", "--allowed-account", a)
    assert _auth(acct)[1] == [a]


def test_allowed_account_by_local_name(acct: Env) -> None:
    b = acct.add_account("B")
    acct.ok("edit", "authcallout", "A", "--auth-user", _key("user").public_key,
            "--allowed-account", "B")  # fmt: skip
    assert _auth(acct)[1] == [b.public_key]


def test_curve_generate(acct: Env) -> None:
    u = _key("user").public_key
    result = acct.ok("edit", "authcallout", "--auth-user", u, "--curve", "generate")
    xkey = _auth(acct)[2]
    assert keys.is_public_key(xkey, KeyKind.CURVE)
    stored = acct.keystore.get(xkey)
    assert stored is not None
    assert stored.seed is not None
    assert stored.seed.startswith("SX")
    assert result.stderr.splitlines() == [
        f'[ OK ] generated and stored curve key "{xkey}"',
        f'[ OK ] added user "{u}"',
        f"[ OK ] set curve key {xkey}",
    ]
    assert acct.keystore.list(KeyKind.CURVE) == [xkey]


def test_curve_public_seed_and_file(acct: Env, tmp_path: Path) -> None:
    acct.ok("edit", "authcallout", "--auth-user", _key("user").public_key)
    public = _key("curve")
    acct.ok("edit", "authcallout", "-x", public.public_key)
    assert _auth(acct)[2] == public.public_key
    assert acct.keystore.get(public.public_key) is None
    seeded = _key("curve")
    assert seeded.seed is not None
    path = tmp_path / "x.nk"
    path.write_text(seeded.seed)
    acct.ok("edit", "authcallout", "-x", str(path))
    assert _auth(acct)[2] == seeded.public_key
    assert acct.keystore.get(seeded.public_key) is not None


def test_curve_must_be_a_curve_key(acct: Env) -> None:
    user = _key("user").public_key
    message = acct.fails("edit", "authcallout", "--auth-user", user, "-x", user)
    assert message == f'"{user}" is not a valid curve key'


def test_rm_curve(acct: Env) -> None:
    acct.ok("edit", "authcallout", "--auth-user", _key("user").public_key, "-x", "generate")
    xkey = _auth(acct)[2]
    result = acct.ok("edit", "authcallout", "--rm-curve")
    assert result.stderr.splitlines() == [f"[ OK ] removed {xkey} curve key"]
    assert _auth(acct)[2] == ""
    assert acct.keystore.get(xkey) is not None
    result = acct.ok("edit", "authcallout", "--rm-curve")
    assert result.stderr.splitlines() == [
        "[ OK ] remove curve key didn't do anything as the curve key was not set"
    ]


def test_disable(acct: Env) -> None:
    acct.ok("edit", "authcallout", "--auth-user", _key("user").public_key,
            "--allowed-account", _key("account").public_key, "-x", "generate")  # fmt: skip
    result = acct.ok("edit", "authcallout", "--disable")
    assert result.stderr.splitlines() == ["[ OK ] removed external authorization configuration"]
    assert _auth(acct) == ([], [], "")
    assert acct.account("A").to_dict()["nats"]["authorization"] == {}
    assert_valid_account(acct.account_token("A"))


@pytest.mark.parametrize("other", [("--rm-curve",), ("--auth-user", "U"), ("-x", "generate")])
def test_disable_is_exclusive(acct: Env, other: tuple[str, ...]) -> None:
    message = acct.fails("edit", "authcallout", "--disable", *other, exit_code=2)
    assert message == "--disable is exclusive of all other options"


def test_account_by_argument_flag_and_key(acct: Env) -> None:
    b = acct.add_account("B")
    user = _key("user").public_key
    acct.ok("edit", "authcallout", "B", "--auth-user", user)
    acct.ok("edit", "authcallout", "-a", "A", "--auth-user", user)
    acct.ok("edit", "authcallout", "--account", b.public_key, "--rm-auth-user", user)
    assert _auth(acct, "A")[0] == [user]
    assert _auth(acct, "B")[0] == []


def test_account_given_twice(acct: Env) -> None:
    acct.add_account("B")
    user = _key("user").public_key
    acct.fails("edit", "authcallout", "A", "-a", "B", "--auth-user", user, exit_code=2)


def test_account_required(acct: Env) -> None:
    acct.add_account("B")
    message = acct.fails("edit", "authcallout", "--auth-user", _key("user").public_key)
    assert message == "an account is required"


def test_keeps_the_rest_of_the_account(acct: Env) -> None:
    acct.add_export("A", "foo.>", private=True)
    acct.edit_account("A", lambda claims: claims.nats.revocations.update({"*": 5}))
    before = acct.account("A").to_dict()["nats"]
    acct.ok("edit", "authcallout", "--auth-user", _key("user").public_key)
    after = acct.account("A").to_dict()["nats"]
    after["authorization"] = before["authorization"]
    assert after == before


def test_signed_by_the_current_issuer(acct: Env) -> None:
    key = acct.add_operator_signing_key()
    acct.edit_account("A", lambda claims: None, signer=key)
    acct.ok("edit", "authcallout", "--auth-user", _key("user").public_key)
    assert acct.account("A").iss == key.public_key


def test_without_an_operator_key(acct: Env) -> None:
    acct.keystore.remove(acct.operator.public_key)
    message = acct.fails("edit", "authcallout", "--auth-user", _key("user").public_key,
                         "-x", "generate")  # fmt: skip
    assert "unable to resolve any of the following signing keys" in message
    assert acct.keystore.list(KeyKind.CURVE) == []


def test_json(acct: Env) -> None:
    user = _key("user").public_key
    payload = acct.json("edit", "authcallout", "--auth-user", user, "--allowed-account", "*")
    assert payload["messages"] == [
        {"level": "ok", "text": f'added user "{user}"'},
        {"level": "ok", "text": 'added account "*"'},
    ]
    data = payload["data"]
    assert data["authorization"] == {"auth_users": [user], "allowed_accounts": ["*"], "xkey": ""}
    assert (data["account"], data["public_key"]) == ("A", acct.accounts["A"].public_key)
    assert data["jwt"] == acct.account_token("A")
    assert_valid_account(data["jwt"])
