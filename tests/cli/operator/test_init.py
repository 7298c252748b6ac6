"""``pynsc init``: the whole local environment in one go, and managed imports (§5.3 #43, #45)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc.keys import GITIGNORE, parse_creds
from tests.cli.operator.conftest import (
    AccountServer,
    Env,
    Home,
    assert_valid,
    error_line,
    v1_operator_jwt,
)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_creates_nsc_layout(home: Home) -> None:  # 5.3 #43
    result = home.ok("init", "--name", "O")
    root = home.dir
    op_dir = root / "O"
    assert _read(op_dir / ".nsc") == '{"managed":false,"name":"O","kind":"operator","version":"1"}'
    operator = assert_valid(_read(op_dir / "O.jwt"), c.OperatorClaims)
    sys_account = assert_valid(
        _read(op_dir / "accounts" / "SYS" / "SYS.jwt"), c.AccountClaims
    )
    account = assert_valid(_read(op_dir / "accounts" / "O" / "O.jwt"), c.AccountClaims)
    sys_user = assert_valid(
        _read(op_dir / "accounts" / "SYS" / "users" / "sys.jwt"), c.UserClaims
    )
    user = assert_valid(_read(op_dir / "accounts" / "O" / "users" / "O.jwt"), c.UserClaims)

    # operator: self-signed, local service url, system account set
    assert operator.name == "O"
    assert operator.iss == operator.sub
    assert operator.nats.operator_service_urls == ["nats://localhost:4222"]
    assert operator.nats.system_account == sys_account.sub
    # SYS: signed by the operator, one signing key, the two monitoring exports
    assert sys_account.name == "SYS"
    assert sys_account.iss == operator.sub
    assert len(sys_account.nats.signing_keys) == 1
    exports = {e.subject: e for e in sys_account.nats.exports}
    service = exports["$SYS.REQ.ACCOUNT.*.*"]
    assert (service.type, service.response_type, service.account_token_position) == (
        "service", "Stream", 4,
    )
    stream = exports["$SYS.ACCOUNT.*.>"]
    assert (stream.type, stream.account_token_position) == ("stream", 3)
    # sys user: issued by the SYS signing key on behalf of SYS
    sk = next(iter(sys_account.nats.signing_keys))
    assert (sys_user.name, sys_user.iss) == ("sys", sk)
    assert sys_user.nats.issuer_account == sys_account.sub
    # account and user O
    assert (account.name, account.iss) == ("O", operator.sub)
    assert (user.name, user.iss, user.nats.issuer_account) == ("O", account.sub, "")

    # every key is stored, sharded, 0600 in 0700 dirs
    keystore = home.keystore
    for key in (operator.sub, sys_account.sub, sk, account.sub, sys_user.sub, user.sub):
        path = home.dir / "keys" / key[0] / key[1:3] / f"{key}.nk"
        assert path.is_file(), key
        assert _mode(path) == 0o600
        assert _mode(path.parent) == 0o700
        assert keystore.get(key) is not None
    # creds of both users
    for account_name, user_name, claims in (("SYS", "sys", sys_user), ("O", "O", user)):
        path = home.dir / "creds" / "O" / account_name / f"{user_name}.creds"
        assert _mode(path) == 0o600
        creds = parse_creds(_read(path))
        assert creds.jwt == _read(op_dir / "accounts" / account_name / "users" / f"{user_name}.jwt")
        assert creds.key.public_key == claims.sub
    # the JWT files hold the raw token, no newline
    assert "\n" not in _read(op_dir / "O.jwt")

    # context
    config = home.config()
    assert (config.store_root, config.operator, config.account) == (str(root), "O", "O")

    lines = result.stderr.splitlines()
    assert lines[:8] == [
        "[ OK ] created operator O",
        f"[ OK ] created system_account: name:SYS id:{sys_account.sub}",
        f"[ OK ] created system account user: name:sys id:{sys_user.sub}",
        f"[ OK ] system account user creds file stored in `{root}/creds/O/SYS/sys.creds`",
        "[ OK ] created account O",
        '[ OK ] created user "O"',
        f"[ OK ] project jwt files created in `{root}`",
        f"[ OK ] user creds file stored in `{root}/creds/O/O/O.creds`",
    ]
    # the next steps it suggests are pynsc's own commands
    assert any(line.startswith(">   pynsc server run ") for line in lines)
    assert '>   pynsc tool pub hello "Hello World"' in lines
    assert result.stdout == ""


def test_init_twice_fails_and_changes_nothing(home: Home) -> None:  # 5.3 #43
    home.ok("init", "-n", "A")
    before = home.digest()
    assert error_line(home.run("init", "-n", "A")) == 'an account named "A" already exists'
    assert home.digest() == before


def test_init_existing_operator_without_that_account(env: Env) -> None:
    before = env.digest()
    assert error_line(env.run("init", "-n", "O")) == 'an operator named "O" already exists'
    assert env.digest() == before


def test_init_second_operator_keeps_first(env: Env) -> None:
    env.ok("init", "-n", "B")
    assert env.store("O").operator().sub == env.operator.public_key
    assert env.config().operator == "B"


@pytest.mark.parametrize("name", ["*", ""])
def test_init_random_name(home: Home, name: str) -> None:
    payload = home.json("init", "--name", name)
    chosen = payload["data"]["operator"]["name"]
    assert "_" in chosen
    assert payload["data"]["account"]["name"] == chosen
    assert payload["data"]["user"]["name"] == chosen
    assert (home.dir / chosen / f"{chosen}.jwt").is_file()


def test_init_json(home: Home) -> None:
    result = home.ok("init", "-n", "O", "--json")
    assert result.stderr == ""
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    data = payload["data"]
    store = home.store("O")
    assert data["operator"]["public_key"] == store.operator().sub
    assert data["system_account"]["public_key"] == store.account("SYS").sub
    assert data["user"]["creds"] == str(home.dir / "creds" / "O" / "O" / "O.creds")
    assert payload["messages"][0] == {"level": "ok", "text": "created operator O"}


def test_init_without_flags_needs_a_name(home: Home) -> None:
    before = home.digest()
    result = home.run("init")
    assert result.exit_code == 2
    assert "--name" in error_line(result)
    assert home.digest() == before


@pytest.mark.usefixtures("terminal")
def test_init_interactive_wizard(home: Home) -> None:
    # store dir (default), operator choice (default: create), name
    result = home.ok("init", "-i", input="\n\nW\n")
    assert "name your operator, account and user" in result.stderr
    assert home.store("W").operator().name == "W"
    assert home.config().account == "W"


def test_init_into_another_dir(home: Home, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "stores"
    home.ok("init", "-n", "O", "-d", str(other))
    assert (other / "O" / "O.jwt").is_file()
    assert not (home.dir / "O").exists()
    assert home.config().store_root == str(other)
    # the keystore is not moved by -d
    assert (home.dir / "creds" / "O" / "O" / "O.creds").is_file()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a/b", "name cannot contain '/' or '\\'"),
        ("SYS", 'the name "SYS" is reserved for the system account'),
        ("sys", 'the name "sys" is reserved for the system account'),
    ],
)
def test_init_bad_names_change_nothing(home: Home, name: str, message: str) -> None:
    before = home.digest()
    assert error_line(home.run("init", "-n", name)) == message
    assert home.digest() == before


def test_init_writes_gitignore(home: Home) -> None:
    home.ok("init", "-n", "O")
    assert _read(home.dir / ".gitignore") == GITIGNORE


def test_no_git_ignore(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:  # 5.3 #45
    monkeypatch.setenv("NSC_NO_GIT_IGNORE", "")
    home.ok("init", "-n", "O")
    assert not (home.dir / ".gitignore").exists()
    assert (home.dir / "creds" / "O" / "O" / "O.creds").is_file()


def test_cwd_only_does_not_touch_nsc_json(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSC_CWD_ONLY", "1")
    home.ok("init", "-n", "O")
    assert not (home.dir / "nsc.json").exists()


# Managed operators -------------------------------------------------------------------------------


def test_init_v1_operator_is_refused(home: Home, tmp_path: Path) -> None:  # 5.3 #43
    jwt_file = tmp_path / "v1.jwt"
    jwt_file.write_text(v1_operator_jwt(account_server_url="http://127.0.0.1:1/jwt/v1"))
    before = home.digest()
    message = error_line(home.run("init", "-n", "A", "--url", str(jwt_file)))
    assert message.startswith("the operator jwt (v1) is incompatible this version of nsc")
    assert home.digest() == before


def test_init_managed_from_url(home: Home, account_server: AccountServer) -> None:
    result = home.ok("init", "-n", "A", "--url", account_server.operator_url)
    # the operator store is named after the operator JWT, and managed
    store = home.store("T")
    assert store.is_managed
    assert _read(store.dir / "T.jwt") == account_server.operator_jwt
    account = assert_valid(store.account_token("A"), c.AccountClaims)
    # pushed self-signed, stored as re-signed by the operator
    assert c.decode(account_server.posted[account.sub], c.AccountClaims).iss == account.sub
    assert account.iss == account_server.operator.public_key
    user = assert_valid(store.user_token("A", "A"), c.UserClaims)
    assert user.iss == account.sub
    assert (home.dir / "creds" / "T" / "A" / "A.creds").is_file()
    assert not store.has_account("SYS")
    config = home.config()
    assert (config.operator, config.account) == ("T", "A")
    assert "[ OK ] add managed operator T" in result.stderr
    assert "[ OK ] pushed account jwt to the account server" in result.stderr

    # a second account into the same managed operator
    home.ok("init", "-n", "B", "--url", account_server.operator_url)
    assert store.has_account("B")
    # an existing account name is refused, and nothing changes
    before = home.digest()
    result = home.run("init", "-n", "A", "--url", account_server.operator_url)
    assert error_line(result) == 'an account named "A" already exists'
    assert home.digest() == before


def test_init_well_known_operator_from_env(
    home: Home, account_server: AccountServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NSC_LOCALTEST_OPERATOR", account_server.operator_url)
    home.ok("init", "-n", "A", "-o", "localtest")
    # a well-known operator keeps its well-known name
    store = home.store("LOCALTEST")
    assert store.is_managed
    assert store.has_account("A")


def test_init_unknown_well_known_operator(home: Home) -> None:
    before = home.digest()
    assert error_line(home.run("init", "-n", "A", "-o", "nope")) == (
        'error operator "nope" was not found'
    )
    assert home.digest() == before


def test_init_managed_needs_account_server_url(home: Home, tmp_path: Path) -> None:
    operator = c.OperatorClaims(sub="", name="NOASU")
    from pynsc import keys

    key = keys.generate("operator")
    operator.sub = key.public_key
    jwt_file = tmp_path / "op.jwt"
    jwt_file.write_text(c.encode(operator, key))
    before = home.digest()
    assert error_line(home.run("init", "-n", "A", "-u", str(jwt_file))) == (
        'error importing operator "NOASU" - it doesn\'t define an account server url'
    )
    assert home.digest() == before


def test_init_managed_push_failure_changes_nothing(home: Home, tmp_path: Path) -> None:
    from pynsc import keys

    key = keys.generate("operator")
    operator = c.OperatorClaims(sub=key.public_key, name="DEAD")
    operator.nats.account_server_url = "http://127.0.0.1:1/jwt/v1"
    jwt_file = tmp_path / "op.jwt"
    jwt_file.write_text(c.encode(operator, key))
    before = home.digest()
    message = error_line(home.run("init", "-n", "A", "-u", str(jwt_file)))
    assert message.startswith("error pushing account jwt to http://127.0.0.1:1/jwt/v1/accounts/")
    assert home.digest() == before


def test_init_url_and_remote_operator_exclusive(home: Home) -> None:
    result = home.run("init", "-n", "A", "-u", "x", "-o", "synadia")
    assert result.exit_code == 2
