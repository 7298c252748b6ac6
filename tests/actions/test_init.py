"""``init`` at the library level: a local environment, the system account template, managed
operators (no CLI involved)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pynsc import claims, keys
from pynsc.actions import Nsc
from pynsc.actions.init import LOCAL_SERVICE_URL, init
from pynsc.actions.operators import add_operator
from pynsc.claims import AccountClaims, OperatorClaims, UserClaims
from pynsc.errors import ExistsError, PushError, StoreError, UsageError
from pynsc.keys import parse_creds
from pynsc.store.layout import InvalidNameError
from tests.cli.account_server import AccountServer, start_account_server

from .test_operators import snapshot


@pytest.fixture
def account_server() -> Iterator[AccountServer]:
    server = start_account_server()
    try:
        yield server
    finally:
        server.stop()


def test_init_local_in_memory() -> None:
    nsc = Nsc.memory()
    result = init(nsc, "O")
    assert (nsc.operator, nsc.account) == ("O", "O")
    assert result.nsc is nsc
    store = nsc.store()
    operator = store.operator()
    assert operator.iss == operator.sub == result.operator_key
    assert operator.nats.operator_service_urls == [LOCAL_SERVICE_URL]
    sys_account = store.account("SYS")
    assert operator.nats.system_account == sys_account.sub
    assert sys_account.iss == operator.sub
    (sys_sk,) = sys_account.nats.signing_keys
    service = {e.subject: e for e in sys_account.nats.exports}["$SYS.REQ.ACCOUNT.*.*"]
    assert (service.type, service.response_type, service.account_token_position) == (
        "service", "Stream", 4,
    )  # fmt: skip
    sys_user = store.user("SYS", "sys")
    assert (sys_user.iss, sys_user.nats.issuer_account) == (sys_sk, sys_account.sub)
    account = store.account("O")
    assert (account.iss, account.sub) == (operator.sub, result.account_key)
    user = store.user("O", "O")
    assert (user.iss, user.sub, user.nats.issuer_account) == (account.sub, result.user_key, "")
    for key in (operator.sub, sys_account.sub, sys_sk, account.sub, sys_user.sub, user.sub):
        assert nsc.keystore.has(key)
    creds = nsc.keystore.read_creds("O", "O", "O")
    assert creds is not None
    assert parse_creds(creds).jwt == store.user_token("O", "O")
    lines = [e.text for e in result.report.children]
    assert lines[0] == "created operator O"
    assert lines[5] == 'created user "O"'
    assert result.report.data["user"]["public_key"] == user.sub
    assert any("pynsc server run" in m for m in result.report.server_messages)


def test_init_random_name() -> None:
    nsc = Nsc.memory()
    for name in (None, "", "*"):
        result = init(nsc, name)
        assert "_" in result.operator
        assert result.account == result.user == result.operator


def test_init_names_that_are_refused_change_nothing() -> None:
    nsc = Nsc.memory()
    init(nsc, "A")
    add_operator(nsc, "B")
    before = snapshot(nsc)
    with pytest.raises(InvalidNameError, match="cannot contain"):
        init(nsc, "a/b")
    for reserved in ("SYS", "sys"):
        with pytest.raises(ExistsError, match=f'the name "{reserved}" is reserved'):
            init(nsc, reserved)
    with pytest.raises(ExistsError, match='an account named "A" already exists'):
        init(nsc, "A")
    with pytest.raises(ExistsError, match='an operator named "B" already exists'):
        init(nsc, "B")
    assert snapshot(nsc) == before


def test_init_into_a_directory_saves_the_context_when_asked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    nsc = Nsc.open(all_dirs=home)
    other = tmp_path / "elsewhere" / "stores"
    result = init(nsc, "O", directory=other, save_current=True)
    assert result.store_root == other
    assert (other / "O" / "O.jwt").is_file()
    assert not (home / "O").exists()
    assert (home / "creds" / "O" / "O" / "O.creds").is_file()  # the keystore stays
    config = json.loads((home / "nsc.json").read_text())
    assert (config["store_root"], config["operator"], config["account"]) == (str(other), "O", "O")
    assert (result.nsc.operator, result.nsc.account) == ("O", "O")
    assert result.nsc.store().account("O").sub == result.account_key


def test_init_without_save_leaves_nsc_json_alone(tmp_path: Path) -> None:
    nsc = Nsc.open(all_dirs=tmp_path)
    init(nsc, "O")
    assert not (tmp_path / "nsc.json").exists()
    assert (nsc.operator, nsc.account) == ("O", "O")


def test_init_in_memory_has_no_directory() -> None:
    with pytest.raises(UsageError, match="in-memory"):
        init(Nsc.memory(), "O", directory="/tmp/x")


def test_init_url_and_remote_operator_exclude_each_other() -> None:
    with pytest.raises(UsageError, match="mutually exclusive"):
        init(Nsc.memory(), "A", url="x", remote_operator="synadia")


def test_init_unknown_remote_operator() -> None:
    with pytest.raises(StoreError, match='error operator "nope" was not found'):
        init(Nsc.memory(), "A", remote_operator="nope")


def test_init_managed(account_server: AccountServer) -> None:
    nsc = Nsc.memory()
    result = init(nsc, "A", url=account_server.operator_url)
    assert result.managed
    assert (nsc.operator, nsc.account) == ("T", "A")
    store = nsc.store()
    assert store.is_managed
    assert store.operator_token() == account_server.operator_jwt
    account = store.account("A")
    # pushed self-signed, stored as the account server re-signed it
    assert account_server.last_posted(account.sub).iss == account.sub
    assert account.iss == account_server.operator.public_key
    assert store.user("A", "A").iss == account.sub
    assert not store.has_account("SYS")
    assert nsc.keystore.read_creds("T", "A", "A") is not None
    texts = [e.text for e in result.report.children]
    assert texts[:2] == ["add managed operator T", "pushed account jwt to the account server"]
    # a second account in the same operator; an existing name is refused
    init(nsc, "B", url=account_server.operator_url)
    assert store.has_account("B")
    before = snapshot(nsc)
    with pytest.raises(ExistsError, match='an account named "A" already exists'):
        init(nsc, "A", url=account_server.operator_url)
    assert snapshot(nsc) == before


def test_init_managed_by_well_known_name(
    account_server: AccountServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NSC_LOCALTEST_OPERATOR", account_server.operator_url)
    nsc = Nsc.memory()
    result = init(nsc, "A", remote_operator="localtest")
    assert result.operator == "LOCALTEST"  # a well-known operator keeps its well-known name
    assert nsc.store("LOCALTEST").has_account("A")


def test_init_managed_needs_an_account_server_url(tmp_path: Path) -> None:
    key = keys.generate("operator")
    path = tmp_path / "op.jwt"
    path.write_text(claims.encode(OperatorClaims(sub=key.public_key, name="NOASU"), key))
    nsc = Nsc.memory()
    with pytest.raises(StoreError, match="it doesn't define an account server url"):
        init(nsc, "A", url=str(path))
    assert nsc.operators() == []


def test_init_managed_of_another_entity_is_refused(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    add_operator(nsc, "DEAD")
    key = keys.generate("operator")
    op = OperatorClaims(sub=key.public_key, name="DEAD")
    op.nats.account_server_url = "http://127.0.0.1:1/jwt/v1"
    path = tmp_path / "op.jwt"
    path.write_text(claims.encode(op, key))
    with pytest.raises(ExistsError, match='a different operator named "DEAD" already exists'):
        init(nsc, "A", url=str(path))


def test_init_managed_push_failure_writes_nothing(tmp_path: Path) -> None:
    key = keys.generate("operator")
    op = OperatorClaims(sub=key.public_key, name="DEAD")
    op.nats.account_server_url = "http://127.0.0.1:1/jwt/v1"
    path = tmp_path / "op.jwt"
    path.write_text(claims.encode(op, key))
    nsc = Nsc.memory()
    with pytest.raises(PushError, match=r"error pushing account jwt to http://127\.0\.0\.1:1"):
        init(nsc, "A", url=str(path))
    assert nsc.operators() == []
    assert nsc.keystore.list() == []


def test_the_new_jwts_validate() -> None:
    nsc = Nsc.memory()
    init(nsc, "O")
    store = nsc.store()
    tokens = [
        (store.operator_token(), OperatorClaims),
        *((store.account_token(a), AccountClaims) for a in ("SYS", "O")),
        *((store.user_token(a, u), UserClaims) for a, u in (("SYS", "sys"), ("O", "O"))),
    ]
    for token, kind in tokens:
        assert not claims.validate(claims.decode(token, kind)).is_blocking(True)
