"""``pynsc add operator``: local operators, signing keys, system account, -K, and imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from tests.cli.operator.conftest import (
    AccountServer,
    Env,
    Home,
    assert_valid,
    error_line,
    v1_operator_jwt,
)


def _operator(home: Home, name: str) -> c.OperatorClaims:
    claims: c.OperatorClaims = assert_valid(
        (home.dir / name / f"{name}.jwt").read_text(), c.OperatorClaims
    )
    return claims


def test_add_local_operator(home: Home) -> None:
    result = home.ok("add", "operator", "O")
    claims = _operator(home, "O")
    assert claims.name == "O"
    assert claims.iss == claims.sub
    assert home.keystore.has(claims.sub)
    assert (home.dir / "O" / ".nsc").read_text() == (
        '{"managed":false,"name":"O","kind":"operator","version":"1"}'
    )
    assert result.stderr.splitlines() == [
        f'[ OK ] generated and stored operator key "{claims.sub}"',
        '[ OK ] added operator "O"',
        "[ OK ] When running your own nats-server, make sure they run at least version 2.2.0",
    ]
    assert result.stdout == ""
    assert home.config().operator == "O"


def test_name_flag_json_and_random(home: Home) -> None:
    payload = home.json("add", "operator", "-n", "N")
    assert payload["data"]["name"] == "N"
    assert payload["data"]["public_key"] == _operator(home, "N").sub
    payload = home.json("add", "operator", "--name", "*")
    name = payload["data"]["name"]
    assert "_" in name
    assert _operator(home, name).name == name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "operator name is required"),
        (("a/b",), "name cannot contain '/' or '\\'"),
        (("O",), 'operator named "O" exists already'),
        (("X", "-K", "SAADOZRUTPZS6LIXS6CSSSW5GXY3DNMQMSDTVWHQNHQTIBPGNSADSMBPEU"),
         "specified key is not a valid operator nkey"),
    ],
)
def test_bad_input_changes_nothing(env: Env, args: tuple[str, ...], message: str) -> None:
    before = env.digest()
    assert error_line(env.run("add", "operator", *args)) == message
    assert env.digest() == before


def test_signing_key_and_system_account(home: Home) -> None:
    result = home.ok("add", "operator", "O", "--generate-signing-key", "--sys")
    operator = _operator(home, "O")
    assert len(operator.nats.signing_keys) == 1
    sk = operator.nats.signing_keys[0]
    assert home.keystore.has(sk)
    store = home.store("O")
    sys_account = assert_valid(store.account_token("SYS"), c.AccountClaims)
    assert operator.nats.system_account == sys_account.sub
    assert sys_account.iss == sk  # signed by the new signing key
    sys_user = assert_valid(store.user_token("SYS", "sys"), c.UserClaims)
    assert sys_user.nats.issuer_account == sys_account.sub
    assert (home.dir / "creds" / "O" / "SYS" / "sys.creds").is_file()
    lines = result.stderr.splitlines()
    assert f"[ OK ] created operator signing key: {sk}" in lines
    assert f"[ OK ] created system_account: name:SYS id:{sys_account.sub}" in lines
    config = home.config()
    assert (config.operator, config.account) == ("O", "SYS")


def test_system_account_signed_by_identity(home: Home) -> None:
    home.ok("add", "operator", "O", "-s")
    operator = _operator(home, "O")
    assert not operator.nats.signing_keys
    assert home.store("O").account("SYS").iss == operator.sub


def test_signing_key_alone(home: Home) -> None:
    home.ok("add", "operator", "O", "--generate-signing-key")
    operator = _operator(home, "O")
    assert len(operator.nats.signing_keys) == 1
    assert not operator.nats.system_account


def test_start_and_expiry(home: Home) -> None:
    home.ok("add", "operator", "O", "--start", "2018-01-01", "--expiry", "2050-01-01")
    operator = _operator(home, "O")
    assert (operator.nbf, operator.exp) == (1514764800, 2524608000)


def test_bad_date_is_a_usage_error(home: Home) -> None:
    before = home.digest()
    result = home.run("add", "operator", "O", "--expiry", "tomorrow")
    assert result.exit_code == 2
    assert home.digest() == before


def test_private_key_is_used_and_stored(home: Home, tmp_path: Path) -> None:
    seed_key = keys.generate("operator")
    result = home.ok("add", "operator", "O", "-K", seed_key.seed or "")
    assert _operator(home, "O").sub == seed_key.public_key
    assert home.keystore.get(seed_key.public_key) == seed_key
    assert f'[ OK ] stored operator key "{seed_key.public_key}"' in result.stderr.splitlines()
    # from a file too
    file_key = keys.generate("operator")
    seed_file = tmp_path / "op.nk"
    seed_file.write_text(file_key.seed or "")
    home.ok("add", "operator", "P", "-K", str(seed_file))
    assert _operator(home, "P").sub == file_key.public_key
    assert home.keystore.has(file_key.public_key)


def test_private_key_public_only_is_refused(home: Home) -> None:
    before = home.digest()
    public = keys.generate("operator").public_key
    message = error_line(home.run("add", "operator", "O", "-K", public))
    assert message == f"the seed of operator key {public} is not in the keystore"
    assert home.digest() == before


# Imports -----------------------------------------------------------------------------------------


def _operator_jwt(
    tmp_path: Path, name: str = "IMP", *, decorated: bool = False
) -> tuple[Path, str]:
    key = keys.generate("operator")
    claims = c.OperatorClaims(sub=key.public_key, name=name)
    claims.nats.account_server_url = "http://127.0.0.1:1/jwt/v1"
    token = c.encode(claims, key)
    path = tmp_path / f"{name}.jwt"
    path.write_text(c.decorate(token) if decorated else token)
    return path, token


def test_import_from_file(home: Home, tmp_path: Path) -> None:
    path, token = _operator_jwt(tmp_path, decorated=True)
    result = home.ok("add", "operator", "-u", str(path))
    store = home.store("IMP")
    assert store.is_managed
    assert store.operator_token() == token
    assert '[ OK ] imported operator "IMP"' in result.stderr.splitlines()
    assert home.keystore.list() == []  # no operator seed for a managed operator
    assert home.config().operator == "IMP"


def test_import_with_other_name(home: Home, tmp_path: Path) -> None:
    path, _ = _operator_jwt(tmp_path)
    home.ok("add", "operator", "--url", str(path), "--name", "Other")
    assert home.store("Other").is_managed


def test_import_from_url(home: Home, account_server: AccountServer) -> None:
    home.ok("add", "operator", "-u", account_server.operator_url)
    assert home.store("T").operator_token() == account_server.operator_jwt


def test_import_well_known_name(
    home: Home, account_server: AccountServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NSC_ACME_OPERATOR", account_server.operator_url)
    home.ok("add", "operator", "-u", "acme")
    assert home.store("ACME").operator().sub == account_server.operator.public_key


def test_reimport_needs_force(home: Home, tmp_path: Path) -> None:
    path, _ = _operator_jwt(tmp_path)
    home.ok("add", "operator", "-u", str(path))
    before = home.digest()
    assert error_line(home.run("add", "operator", "-u", str(path))) == (
        "operator named IMP exists already"
    )
    assert home.digest() == before
    home.ok("add", "operator", "-u", str(path), "--force")
    # another operator with the same name: forced, with a warning
    other = tmp_path / "other"
    other.mkdir()
    other_path, other_token = _operator_jwt(other)
    result = home.ok("add", "operator", "-u", str(other_path), "--force")
    assert "[WARN] existing and new operator represent different entities, forced to continue" in (
        result.stderr.splitlines()
    )
    assert home.store("IMP").operator_token() == other_token


def test_import_v1_is_refused(home: Home, tmp_path: Path) -> None:
    path = tmp_path / "v1.jwt"
    path.write_text(v1_operator_jwt())
    before = home.digest()
    message = error_line(home.run("add", "operator", "-u", str(path)))
    assert message.startswith("the operator jwt (v1) is incompatible this version of nsc")
    assert home.digest() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("O", "--force"), "force only works with -u"),
        (("-u", "x.jwt", "--sys"),
         "importing an operator is not compatible with system account generation"),
        (("-u", "x.jwt", "--generate-signing-key"),
         "signing key can not be added when importing the operator"),
        (("-u", "x.jwt", "--expiry", "1y"), "--start and --expiry cannot be used when importing"),
    ],
)
def test_flag_combinations(home: Home, args: tuple[str, ...], message: str) -> None:
    before = home.digest()
    result = home.run("add", "operator", *args)
    assert result.exit_code == 2
    assert error_line(result) == message
    assert home.digest() == before


def test_import_missing_file(home: Home, tmp_path: Path) -> None:
    before = home.digest()
    missing = str(tmp_path / "missing.jwt")
    assert "does not exist" in error_line(home.run("add", "operator", "-u", missing))
    assert home.digest() == before
