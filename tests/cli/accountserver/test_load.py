"""``pynsc load`` (nsc-spec §1.9): a managed operator, one of its accounts (the JWT from the
account server, the seed given) and a new user with creds, made current; with ``--url`` and with
``--profile nsc://<operator>?secret=<seed>&user=<name>`` naming an ``NSC_<NAME>_OPERATOR``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair
from pynsc.store import Store, ToolConfig
from tests.cli.account_server import start_account_server
from tests.cli.accountserver.conftest import (
    AccountServer,
    Home,
    lines,
    refused_port_url,
    register_account,
    resign,
)


@pytest.fixture
def acme(managed_server: AccountServer) -> KeyPair:
    """Account ``Acme`` of the managed operator, signed by its server."""
    return register_account(managed_server)


def assert_loaded(
    home: Home, server: AccountServer, account: KeyPair, *, operator: str = "T",
    user: str = "default",
) -> c.UserClaims:  # fmt: skip
    """The store ``operator`` is managed and holds the operator and account JWTs the server
    serves, the account seed is stored, the user is signed by the account and has creds, and
    operator and account are current. The user's claims."""
    store = Store.open(home.dir, operator)
    assert store.is_managed
    assert store.operator_token() == server.operator_jwt
    assert store.account_token("Acme") == server.accounts[account.public_key]
    assert store.account("Acme").iss == server.operator.public_key
    stored = home.keystore.get(account.public_key)
    assert stored is not None
    assert stored.seed == account.seed
    claims = store.user("Acme", user)
    assert claims.name == user
    assert claims.iss == account.public_key
    assert claims.nats.issuer_account == ""
    creds = home.keystore.creds_path(operator, "Acme", user)
    assert creds.stat().st_mode & 0o777 == 0o600
    from_creds, pair = c.decode_creds(creds.read_text())
    assert from_creds.sub == claims.sub == pair.public_key
    assert home.keystore.has(claims.sub)
    config = home.config()
    assert (config.operator, config.account) == (operator, "Acme")
    return claims


def test_load_with_url(home: Home, managed_server: AccountServer, acme: KeyPair) -> None:
    assert acme.seed is not None
    result = home.ok("load", "--url", managed_server.operator_url, "--seed", acme.seed)
    user = assert_loaded(home, managed_server, acme)
    creds = home.keystore.creds_path("T", "Acme", "default")
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        '[ OK ] imported operator "T"',
        '[ OK ] stored account "Acme" from the account server',
        f'[ OK ] stored account key "{acme.public_key}"',
        f'[ OK ] generated and stored user key "{user.sub}"',
        f"[ OK ] generated and stored user credentials at `{creds}`",
        '[ OK ] made operator "T" and account "Acme" current',
    ]
    assert managed_server.requests[-2:] == [
        ("GET", "/jwt/v1/operator"),
        ("GET", f"/jwt/v1/accounts/{acme.public_key}"),
    ]


def test_load_with_profile(
    home: Home, managed_server: AccountServer, acme: KeyPair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NSC_ACME_OPERATOR", managed_server.operator_url)
    home.ok("load", "--profile", f"nsc://acme?secret={acme.seed}&user=carol")
    assert_loaded(home, managed_server, acme, operator="acme", user="carol")


def test_load_with_profile_takes_user_flag(
    home: Home, managed_server: AccountServer, acme: KeyPair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NSC_ACME_OPERATOR", managed_server.operator_url)
    home.ok("load", "--profile", f"nsc://acme?secret={acme.seed}", "--user", "dave")
    assert_loaded(home, managed_server, acme, operator="acme", user="dave")


def test_load_json(home: Home, managed_server: AccountServer, acme: KeyPair) -> None:
    assert acme.seed is not None
    payload = home.json("load", "--url", managed_server.operator_url, "--seed", acme.seed,
                        "--user", "bob")  # fmt: skip
    user = assert_loaded(home, managed_server, acme, user="bob")
    data = payload["data"]
    assert data["store_root"] == str(home.dir)
    assert data["operator"] == {
        "name": "T", "public_key": managed_server.operator.public_key, "managed": True,
        "account_server_url": managed_server.account_server_url, "created": True,
    }  # fmt: skip
    assert data["account"] == {
        "name": "Acme", "public_key": acme.public_key,
        "issuer": managed_server.operator.public_key, "jwt": "stored", "key_stored": True,
    }  # fmt: skip
    assert data["user"] == {
        "name": "bob", "public_key": user.sub, "created": True,
        "creds": str(home.keystore.creds_path("T", "Acme", "bob")),
    }  # fmt: skip
    assert data["warnings"] == []
    assert acme.seed not in json.dumps(payload)


def test_load_again_keeps_the_user(
    home: Home, managed_server: AccountServer, acme: KeyPair
) -> None:
    assert acme.seed is not None
    args = ("load", "--url", managed_server.operator_url, "--seed", acme.seed)
    home.ok(*args)
    store = Store.open(home.dir, "T")
    user_jwt = store.user_token("Acme", "default")
    creds = home.keystore.creds_path("T", "Acme", "default")
    creds_text = creds.read_text()
    result = home.ok(*args)
    assert result.stderr.splitlines() == [
        '[ OK ] operator "T" is in the store already',
        '[ OK ] account "Acme" is unchanged',
        '[WARN] the user "default" already exists',
        f"[ OK ] found user credentials at `{creds}`",
        '[ OK ] made operator "T" and account "Acme" current',
    ]
    assert store.user_token("Acme", "default") == user_jwt
    assert creds.read_text() == creds_text


def test_load_a_second_user(home: Home, managed_server: AccountServer, acme: KeyPair) -> None:
    assert acme.seed is not None
    home.ok("load", "--url", managed_server.operator_url, "--seed", acme.seed)
    result = home.ok("load", "--url", managed_server.operator_url, "--seed", acme.seed,
                     "--user", "bob")  # fmt: skip
    assert "stored account key" not in result.stderr
    assert Store.open(home.dir, "T").user_names("Acme") == ["bob", "default"]
    assert_loaded(home, managed_server, acme, user="bob")


def test_load_takes_the_servers_newer_account(
    home: Home, managed_server: AccountServer, acme: KeyPair
) -> None:
    assert acme.seed is not None
    home.ok("load", "--url", managed_server.operator_url, "--seed", acme.seed)
    served = managed_server.accounts[acme.public_key]
    iat = c.decode(served, c.AccountClaims).iat + 10
    managed_server.accounts[acme.public_key] = resign(
        served, managed_server.operator, iat=iat,
        change=lambda claims: setattr(claims.nats.limits, "conn", 4),
    )  # fmt: skip
    result = home.ok("load", "--url", managed_server.operator_url, "--seed", acme.seed)
    assert '[ OK ] stored account "Acme" from the account server' in result.stderr
    assert Store.open(home.dir, "T").account("Acme").nats.limits.conn == 4


def test_load_self_signed_account_warns(
    home: Home, managed_server: AccountServer, acme: KeyPair
) -> None:
    assert acme.seed is not None
    pending = c.encode(c.AccountClaims(sub=acme.public_key, name="Acme"), acme)
    managed_server.accounts[acme.public_key] = pending
    result = home.ok("load", "--url", managed_server.operator_url, "--seed", acme.seed)
    assert (
        '[WARN] account "Acme" is self-signed: the account server has not signed it yet - '
        "pull it again later" in result.stderr.splitlines()
    )
    assert Store.open(home.dir, "T").account_token("Acme") == pending


def test_load_then_push_and_pull(home: Home, managed_server: AccountServer, acme: KeyPair) -> None:
    assert acme.seed is not None
    home.ok("load", "--url", managed_server.operator_url, "--seed", acme.seed)
    managed_server.requests.clear()
    home.ok("push")
    assert managed_server.requests == [("POST", f"/jwt/v1/accounts/{acme.public_key}")]
    result = home.ok("pull", "-A")
    assert lines(result.stderr)[1:] == ['[ OK ] operator "T" is unchanged',
                                        '[ OK ] account "Acme" is unchanged']  # fmt: skip


# Failures: one error line, nothing written --------------------------------------------------------


def test_load_needs_a_url(home: Home) -> None:
    message = home.fails("load", exit_code=2)
    assert message.startswith("missing account server URL")


def test_load_needs_a_seed(home: Home, managed_server: AccountServer) -> None:
    message = home.fails("load", "--url", managed_server.operator_url, exit_code=2)
    assert message.startswith("expected account seed to initialize")


@pytest.mark.parametrize("kind", ["public key", "user seed"])
def test_load_needs_an_account_seed(
    home: Home, managed_server: AccountServer, acme: KeyPair, kind: str
) -> None:
    value = acme.public_key if kind == "public key" else keys.generate("user").require_seed()
    message = home.fails("load", "--url", managed_server.operator_url, "--seed", value)
    assert message == "expected account seed to initialize"


def test_load_bad_seed(home: Home, managed_server: AccountServer, acme: KeyPair) -> None:
    assert acme.seed is not None
    bad = acme.seed[:-3] + ("AAA" if not acme.seed.endswith("AAA") else "BBB")
    message = home.fails("load", "--url", managed_server.operator_url, "--seed", bad)
    assert message.startswith("failed to parse the account seed: ")
    assert bad not in message


def test_load_account_unknown_to_the_server(home: Home, managed_server: AccountServer) -> None:
    other = keys.generate("account")
    message = home.fails("load", "--url", managed_server.operator_url,
                         "--seed", other.require_seed())  # fmt: skip
    assert message == (
        f"error pulling account jwt from {managed_server.account_server_url}/accounts/"
        f"{other.public_key}: 404 Not Found - not found"
    )


def test_load_account_not_signed_by_the_operator(
    home: Home, managed_server: AccountServer, acme: KeyPair
) -> None:
    stranger = keys.generate("operator")
    served = managed_server.accounts[acme.public_key]
    managed_server.accounts[acme.public_key] = resign(served, stranger, iat=0)
    message = home.fails("load", "--url", managed_server.operator_url,
                         "--seed", acme.require_seed())  # fmt: skip
    assert message == (
        f'the account server returned account "Acme" issued by {stranger.public_key}, not by '
        'operator "T"'
    )


def test_load_unknown_profile_operator(home: Home, acme: KeyPair) -> None:
    message = home.fails("load", "--profile", f"nsc://nope?secret={acme.seed}")
    assert message == 'unable to find operator "nope"'
    result = home.run("load", "--profile", f"nsc://nope?secret={acme.seed}")
    assert "NSC_NOPE_OPERATOR=" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--url", "http://x"), "--profile and --url are mutually exclusive"),
        (("--seed", "SAX"), "--profile and --seed are mutually exclusive"),
        (("--user", "bob"), "--user and the profile's user= differ"),
    ],
)
def test_load_profile_conflicts(
    home: Home, acme: KeyPair, args: tuple[str, ...], expected: str
) -> None:
    profile = f"nsc://acme?secret={acme.seed}&user=carol"
    assert home.fails("load", "--profile", profile, *args, exit_code=2) == expected


@pytest.mark.parametrize("profile", ["acme", "::::", "http://acme?secret=SA", "nsc://?secret=SA"])
def test_load_malformed_profile(home: Home, profile: str) -> None:
    message = home.fails("load", "--profile", profile, exit_code=2)
    assert message.startswith("the profile url must look like nsc://<operator>?secret=")


@pytest.mark.parametrize("url", ["", "nats://127.0.0.1:4222"])
def test_load_operator_without_http_account_server(home: Home, url: str) -> None:
    server = start_account_server(url)
    try:
        key = register_account(server)
        message = home.fails("load", "--url", server.operator_url, "--seed", key.require_seed())
    finally:
        server.stop()
    if url:
        assert message == (
            f"operator \"T\" has account server url '{url}' - unable to fetch the account jwt "
            "from it"
        )
    else:
        assert message == (
            'error importing operator "T" - it doesn\'t define an account server url'
        )


def test_load_a_different_operator_of_the_same_name(
    home: Home, managed_server: AccountServer, acme: KeyPair
) -> None:
    home.ok("load", "--url", managed_server.operator_url, "--seed", acme.require_seed())
    other = start_account_server()
    try:
        key = register_account(other)
        message = home.fails("load", "--url", other.operator_url, "--seed", key.require_seed())
    finally:
        other.stop()
    assert message == 'a different operator named "T" already exists'


def test_load_an_account_whose_name_is_taken(
    home: Home, managed_server: AccountServer, acme: KeyPair
) -> None:
    home.ok("load", "--url", managed_server.operator_url, "--seed", acme.require_seed())
    twin = register_account(managed_server, "acme")
    message = home.fails("load", "--url", managed_server.operator_url,
                         "--seed", twin.require_seed())  # fmt: skip
    assert message == ('an account named "Acme" with another key already exists in operator "T"')


def test_load_from_an_unreachable_url(home: Home, acme: KeyPair) -> None:
    url = refused_port_url() + "/operator"
    message = home.fails("load", "--url", url, "--seed", acme.require_seed())
    assert message.startswith(f"cannot load {url}")


def test_load_operator_from_a_file(
    home: Home, managed_server: AccountServer, acme: KeyPair, tmp_path: Path
) -> None:
    path = tmp_path / "operator.jwt"
    path.write_text(managed_server.operator_jwt)
    home.ok("load", "--url", str(path), "--seed", acme.require_seed())
    assert_loaded(home, managed_server, acme)
    assert ToolConfig.load(home.dir / "nsc.json").operator == "T"


# The library call ---------------------------------------------------------------------------------


def test_parse_profile() -> None:
    from pynsc.push.load import parse_profile

    profile = parse_profile("nsc://MyOp?secret=SAXX&user=carol")
    assert (profile.operator, profile.seed, profile.user) == ("MyOp", "SAXX", "carol")
    assert "SAXX" not in repr(profile)
    assert parse_profile("nsc://op").user == ""


def test_load_account_as_a_library(
    tmp_path: Path, managed_server: AccountServer, acme: KeyPair
) -> None:
    from pynsc.keys import KeyStore
    from pynsc.push.load import load_account

    keystore = KeyStore(tmp_path / "keys")
    result = load_account(
        tmp_path / "stores",
        keystore,
        operator_name="T",
        operator_token=managed_server.operator_jwt,
        account_seed=acme.require_seed(),
    )
    assert result.store.is_managed
    assert (result.account_name, result.user_name) == ("Acme", "default")
    assert result.creds == keystore.creds_path("T", "Acme", "default")
    assert result.store.account_token("Acme") == managed_server.accounts[acme.public_key]
    assert not (tmp_path / "nsc.json").exists()  # the context is the caller's
