"""Which JWT ``describe`` shows, at the library level: finding the operator, account or user,
the claims each must hold, and the names and scope its table needs."""

from __future__ import annotations

import pytest

from pynsc import claims, keys
from pynsc.actions import add_user
from pynsc.actions.describe import (
    describe_account,
    describe_jwt,
    describe_operator,
    describe_user,
)
from pynsc.claims import AccountClaims, Import, OperatorClaims, UserClaims
from pynsc.errors import DecodeError, NotFoundError, SignatureError, StoreError
from pynsc.store.ops import save_account

from .builders import deployment

# Operators -----------------------------------------------------------------------------------


def test_operator_current_by_name_and_by_key() -> None:
    d = deployment()
    current = describe_operator(d.nsc)
    assert isinstance(current.claims, OperatorClaims)
    assert current.token == d.operator_jwt()
    assert current.claim_type == "operator"
    assert describe_operator(d.nsc, "O").token == current.token
    assert describe_operator(d.nsc, f" {d.operator.public_key} ").token == current.token


def test_operator_names_its_system_account_when_asked() -> None:
    d = deployment()
    assert describe_operator(d.nsc).names == {d.system.public_key: "SYS"}
    assert describe_operator(d.nsc, names=False).names is None


def test_unknown_operator() -> None:
    d = deployment()
    with pytest.raises(NotFoundError, match='operator "X" not in') as caught:
        describe_operator(d.nsc, "X")
    assert caught.value.hint == "list them with 'pynsc list operators'"
    other = keys.generate("operator").public_key
    with pytest.raises(NotFoundError, match=f"no operator found with public key {other}"):
        describe_operator(d.nsc, other)


def test_an_operator_jwt_must_hold_operator_claims() -> None:
    d = deployment()
    d.nsc.store().write_operator(d.account_jwt())
    with pytest.raises(StoreError, match='the JWT of operator "O" holds account claims'):
        describe_operator(d.nsc)


# Accounts ------------------------------------------------------------------------------------


def test_account_current_by_name_and_by_key() -> None:
    d = deployment()
    current = describe_account(d.nsc)
    assert isinstance(current.claims, AccountClaims)
    assert current.claims.name == "A"
    assert describe_account(d.nsc, "SYS").claims.sub == d.system.public_key
    assert describe_account(d.nsc, d.system.public_key).claims.name == "SYS"
    assert current.names is None  # no imports: no names to look up


def test_account_has_no_default_but_the_current_one() -> None:
    d = deployment()
    d.nsc.select(account="")
    with pytest.raises(StoreError, match="account is required") as caught:
        describe_account(d.nsc)
    assert caught.value.hint == "pass the account name or public key"


def test_unknown_account() -> None:
    d = deployment()
    with pytest.raises(NotFoundError, match='"X" not in accounts for operator "O"'):
        describe_account(d.nsc, "X")
    other = keys.generate("account").public_key
    with pytest.raises(NotFoundError, match=f"^no account found with public key {other}$"):
        describe_account(d.nsc, other)


def test_account_names_the_accounts_it_imports_from() -> None:
    d = deployment()
    store = d.nsc.store()
    account = store.account("A")
    account.nats.imports.append(
        Import(name="s", subject="s.>", account=d.system.public_key, type="stream")
    )
    save_account(store, "A", account, d.operator)
    names = describe_account(d.nsc).names
    assert names is not None
    assert names[d.system.public_key] == "SYS"
    assert names[d.signing.public_key] == "A"  # signing keys name their account too
    assert describe_account(d.nsc, names=False).names is None


# Users ---------------------------------------------------------------------------------------


def test_user_only_one_by_name_and_by_key() -> None:
    d = deployment()
    added = add_user(d.nsc, "u1")
    only = describe_user(d.nsc)
    assert isinstance(only.claims, UserClaims)
    assert only.token == added.jwt
    assert only.scope is None
    add_user(d.nsc, "u2")
    with pytest.raises(StoreError, match="user is required"):
        describe_user(d.nsc)
    assert describe_user(d.nsc, added.creds.public_key).token == added.jwt
    assert describe_user(d.nsc, "u1", account=d.account.public_key).token == added.jwt
    with pytest.raises(NotFoundError, match='user "nobody" not found in account "A"'):
        describe_user(d.nsc, "nobody")


def test_a_user_of_a_scoped_key_comes_with_its_scope() -> None:
    d = deployment()
    add_user(d.nsc, "web", signer="web")
    described = describe_user(d.nsc, "web")
    assert described.scope is not None
    assert described.scope.role == "web"
    assert described.scope.key == d.scoped.public_key


# Tokens --------------------------------------------------------------------------------------


def test_jwt_text_creds_and_decorated() -> None:
    d = deployment()
    added = add_user(d.nsc, "u1")
    assert describe_jwt(added.jwt).token == added.jwt
    assert describe_jwt(added.creds.text).token == added.jwt
    assert describe_jwt(keys.decorate_jwt(d.account_jwt(), "account")).claim_type == "account"
    assert describe_jwt(f"  {d.operator_jwt()}\n").payload["sub"] == d.operator.public_key


def test_jwt_must_verify() -> None:
    d = deployment()
    header, _payload, signature = d.account_jwt().split(".")
    other = claims.encode(claims.AccountClaims(sub=d.system.public_key), d.operator)
    with pytest.raises(SignatureError):
        describe_jwt(".".join([header, other.split(".")[1], signature]))
    with pytest.raises(DecodeError):
        describe_jwt("garbage")
