"""Validation at the library level: a store's own rules on top of the claims checks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pynsc import claims, keys
from pynsc.actions import UserChanges, add_user
from pynsc.actions.validate import FAILED, ValidationResult, validate_jwts, validate_store
from pynsc.claims import AccountClaims, UserClaims
from pynsc.errors import ClaimsError, UsageError
from pynsc.store.ops import save_account

from .builders import deployment


def _descriptions(result: ValidationResult, title: str) -> list[str]:
    sections = {s.title: s for s in result.sections}
    return [i.description for i in sections[title].issues]


def test_healthy_store_passes() -> None:
    d = deployment()
    add_user(d.nsc, "U")
    result = validate_store(d.nsc)
    assert [s.title for s in result.sections] == ['Operator "O"', 'Account "A"']
    assert not result.failed
    result.raise_for_errors()
    assert result.report.children == []
    assert result.report.data[1] == {"name": 'Account "A"', "issues": []}


def test_expired_user_fails() -> None:
    d = deployment()
    add_user(d.nsc, "U", changes=UserChanges(expiry=int(time.time()) - 60))
    result = validate_store(d.nsc)
    assert result.failed
    assert 'user "U": claim is expired' in _descriptions(result, 'Account "A"')
    assert result.report.children[0].text == FAILED
    with pytest.raises(ClaimsError, match=FAILED):
        result.raise_for_errors()


def test_user_must_be_issued_by_its_account() -> None:
    d = deployment()
    stranger, user = keys.generate("account"), keys.generate("user")
    d.nsc.store().write_user(
        "A", "X", claims.encode(UserClaims(sub=user.public_key, name="X"), stranger)
    )
    result = validate_store(d.nsc)
    assert 'user "X" is not issued by account or account signing keys' in _descriptions(
        result, 'Account "A"'
    )
    assert result.failed


@pytest.mark.parametrize("root", [False, True], ids=["memory", "disk"])
def test_a_forged_or_broken_user_jwt_is_an_error_of_its_account(
    root: bool, tmp_path: Path
) -> None:
    """Every user's signature is verified, however many users are read at once."""
    d = deployment(tmp_path if root else None)
    add_user(d.nsc, "U")
    store = d.nsc.store()
    token = store.user_token("A", "U")
    head, _, signature = token.rpartition(".")
    store.write_user("A", "F", f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}")
    store.write_user("A", "G", "garbage")
    issues = _descriptions(validate_store(d.nsc), 'Account "A"')
    assert len(issues) == 2
    assert issues[0].startswith('user "F": the JWT of "F" in `')
    assert issues[0].endswith("is invalid: JWT signature verification failed")
    assert issues[1].startswith('user "G": the JWT of "G" in `')


def test_strict_operator_user_issued_by_the_account_identity() -> None:
    d = deployment(strict=True)
    store = d.nsc.store()
    user = keys.generate("user")
    store.write_user("A", "U", claims.encode(UserClaims(sub=user.public_key, name="U"), d.account))
    result = validate_store(d.nsc)
    assert 'user "U" is issued by account key but operator is in strict mode' in (
        _descriptions(result, 'Account "A"')
    )


def test_system_account_without_jetstream_and_issuer_checks() -> None:
    d = deployment()
    store = d.nsc.store()
    sys_claims = store.account("SYS")
    sys_claims.nats.limits.disk_storage = 1024
    save_account(store, "SYS", sys_claims, d.operator)
    stranger = keys.generate("operator")
    account = AccountClaims(sub=keys.generate("account").public_key, name="B")
    store.write_account("B", claims.encode(account, stranger))
    result = validate_store(d.nsc, all_accounts=True)
    assert [s.title for s in result.sections][1:] == ['Account "A"', 'Account "B"', 'Account "SYS"']
    assert "JetStream should not be enabled for system account" in _descriptions(
        result, 'Account "SYS"'
    )
    assert "Account is not issued by operator or operator signing keys" in _descriptions(
        result, 'Account "B"'
    )


def test_account_choice() -> None:
    d = deployment()
    assert [s.title for s in validate_store(d.nsc, account="SYS").sections][1:] == [
        'Account "SYS"'
    ]
    d.nsc.select(account="")
    assert len(validate_store(d.nsc).sections) == 1  # no current account: the operator only
    with pytest.raises(UsageError, match="specify only one of --account or --all-accounts"):
        validate_store(d.nsc, account="A", all_accounts=True)


def test_validate_jwts_by_subject_with_a_summary() -> None:
    d = deployment()
    expired = AccountClaims(sub=keys.generate("account").public_key, name="E", exp=1000)
    other = AccountClaims(sub=keys.generate("account").public_key, name="F", exp=1000)
    text = "\n".join([
        claims.encode(expired, d.operator),
        f"hash|{claims.encode(other, d.operator)}",
        "",
    ])  # fmt: skip
    result = validate_jwts(text)
    assert [s.title for s in result.sections] == [expired.sub, other.sub,
                                                   "summary of all accounts"]  # fmt: skip
    assert _descriptions(result, "summary of all accounts") == [
        "claim is expired (2 occurrences)"
    ]
    assert result.failed
    assert len(validate_jwts(claims.encode(expired, d.operator)).sections) == 1
    with pytest.raises(ClaimsError, match="claim decoding error"):
        validate_jwts("garbage")
