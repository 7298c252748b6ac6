"""Revocations of users and activations at the library level (no CLI involved)."""

from __future__ import annotations

import pytest

from pynsc import claims, keys
from pynsc.actions import add_user
from pynsc.actions.revocations import (
    ALL,
    activation_revocations,
    delete_activation_revocation,
    delete_user_revocation,
    go_time,
    revoke,
    revoke_activation,
    revoke_user,
    select_export,
    user_revocations,
)
from pynsc.claims import SERVICE, STREAM, AccountClaims, Export
from pynsc.errors import InvalidKeyError, KeyStoreError, NotFoundError, StoreError, UsageError
from pynsc.store.ops import save_account

from .builders import Deployment, deployment
from .test_operators import snapshot

AT = 1_700_000_000


def _account(d: Deployment, name: str = "A") -> AccountClaims:
    return d.nsc.store().account(name)


@pytest.fixture
def users() -> Deployment:
    d = deployment()
    for name in ("U", "V"):
        add_user(d.nsc, name)
    return d


def test_revoke_never_lowers_a_time() -> None:
    revocations: dict[str, int] = {}
    assert revoke(revocations, "K", 10) == 10
    assert revoke(revocations, "K", 5) == 10
    assert revoke(revocations, "K", 20) == 20
    assert revocations == {"K": 20}
    assert go_time(0) == "1970-01-01 00:00:00 +0000 UTC"


# Users ---------------------------------------------------------------------------------------


def test_revoke_user_by_name_ignoring_case(users: Deployment) -> None:
    key = users.nsc.store().user("A", "U").sub
    result = revoke_user(users.nsc, name="u", at=AT)
    assert (result.public_key, result.name, result.at) == (key, "U", AT)
    account = _account(users)
    assert account.nats.revocations == {key: AT}
    assert account.iss == users.operator.public_key  # its current issuer re-signed it
    assert result.jwt == users.account_jwt()
    assert [e.text for e in result.report.children] == [f'revoked user "{key}"']


def test_revoke_user_by_key_needs_no_user(users: Deployment) -> None:
    stranger = keys.generate("user").public_key
    result = revoke_user(users.nsc, public_key=stranger, at=AT)
    assert result.name is None
    assert _account(users).nats.revocations == {stranger: AT}


def test_revoke_all_users(users: Deployment) -> None:
    result = revoke_user(users.nsc, public_key=ALL, at=AT)
    assert _account(users).nats.revocations == {ALL: AT}
    assert result.report.children[0].text == f"revoked all users issued before {go_time(AT)}"


def test_revoke_keeps_a_later_time_with_a_warning(users: Deployment) -> None:
    revoke_user(users.nsc, name="U", at=AT)
    result = revoke_user(users.nsc, name="U", at=AT - 100)
    assert result.at == AT
    assert result.report.children[1].text == (
        f"kept the existing later revocation time {go_time(AT)}"
    )
    assert list(_account(users).nats.revocations.values()) == [AT]


def test_default_user_is_the_only_one() -> None:
    d = deployment()
    with pytest.raises(StoreError, match="no default user available for account A"):
        revoke_user(d.nsc)
    add_user(d.nsc, "U")
    assert revoke_user(d.nsc).name == "U"
    add_user(d.nsc, "V")
    with pytest.raises(StoreError, match="no default user available"):
        revoke_user(d.nsc)


def test_user_target_rules_change_nothing(users: Deployment) -> None:
    before = snapshot(users.nsc)
    other = keys.generate("user").public_key
    with pytest.raises(UsageError, match="mutually exclusive"):
        revoke_user(users.nsc, name="U", public_key=other)
    with pytest.raises(InvalidKeyError, match='is not a valid "user" public key'):
        revoke_user(users.nsc, public_key=users.account.public_key)
    with pytest.raises(NotFoundError, match='user "NOPE" not found in account "A"'):
        revoke_user(users.nsc, name="NOPE")
    with pytest.raises(NotFoundError):
        revoke_user(users.nsc, name="U", account="NOPE")
    assert snapshot(users.nsc) == before


def test_revoke_in_another_account_by_key(users: Deployment) -> None:
    revoke_user(users.nsc, account=users.system.public_key, public_key=ALL, at=AT)
    assert _account(users, "SYS").nats.revocations == {ALL: AT}
    assert _account(users).nats.revocations == {}


def test_revoke_with_a_signer_and_without_one(users: Deployment) -> None:
    sk = users.nsc.store().operator().nats.signing_keys[0]
    revoke_user(users.nsc, name="U", signer=sk)
    assert _account(users).iss == sk
    users.nsc.keystore.remove(sk)
    users.nsc.keystore.remove(users.operator.public_key)
    before = snapshot(users.nsc)
    with pytest.raises(KeyStoreError, match="unable to resolve any of the following"):
        revoke_user(users.nsc, name="V")
    assert snapshot(users.nsc) == before


def test_delete_user_revocation(users: Deployment) -> None:
    with pytest.raises(NotFoundError, match="no user revocations set in account A"):
        delete_user_revocation(users.nsc, name="U")
    revoke_user(users.nsc, name="U", at=AT)
    with pytest.raises(NotFoundError, match=r"is not revoked$"):
        delete_user_revocation(users.nsc, name="V")
    result = delete_user_revocation(users.nsc, name="U")
    assert result.report.children[0].text == f'deleted user revocation for "{result.public_key}"'
    assert _account(users).nats.revocations == {}
    revoke_user(users.nsc, public_key=ALL)
    result = delete_user_revocation(users.nsc, public_key=ALL)
    assert result.report.children[0].text == "deleted all user revocation"


def test_user_revocations_list_names(users: Deployment) -> None:
    with pytest.raises(NotFoundError, match="account A does not have revoked users"):
        user_revocations(users.nsc)
    stranger = keys.generate("user").public_key
    revoke_user(users.nsc, name="V", at=AT)
    revoke_user(users.nsc, public_key=stranger, at=AT + 1)
    revoke_user(users.nsc, public_key=ALL, at=AT + 2)
    listing = user_revocations(users.nsc, "A")
    v = users.nsc.store().user("A", "V").sub
    by_key = {r.public_key: r for r in listing.revocations}
    assert [r.public_key for r in listing.revocations] == sorted(by_key)
    assert (by_key[v].name, by_key[v].at) == ("V", AT)
    assert by_key[stranger].name is None
    assert by_key[ALL].at == AT + 2
    assert listing.label == "A"
    assert listing.report.data["revocations"][0] == listing.revocations[0].to_dict()


# Activations ---------------------------------------------------------------------------------


@pytest.fixture
def exports() -> Deployment:
    d = deployment()
    store = d.nsc.store()
    account = store.account("A")
    account.nats.exports = [
        Export(name="foo", subject="foo.>", type=STREAM, token_req=True),
        Export(subject="svc.a", type=SERVICE, token_req=True),
        Export(subject="svc.b", type=SERVICE, token_req=True),
    ]
    save_account(store, "A", account, d.operator)
    return d


def test_select_export() -> None:
    account = AccountClaims(sub=keys.generate("account").public_key, name="A")
    with pytest.raises(NotFoundError, match="doesn't have exports"):
        select_export(account, "A", None)
    account.nats.exports = [
        Export(subject="a.>", type=STREAM),
        Export(subject="a.b", type=STREAM),
        Export(subject="s", type=SERVICE),
    ]
    assert select_export(account, "A", "a.b").subject == "a.b"  # the exact one first
    assert select_export(account, "A", "a.c").subject == "a.>"  # else one containing it
    assert select_export(account, "A", None, service=True).subject == "s"  # the only one
    with pytest.raises(UsageError, match="a subject is required"):
        select_export(account, "A", None)
    with pytest.raises(NotFoundError, match="unable to locate export"):
        select_export(account, "A", "z")
    account.nats.exports = account.nats.exports[:2]
    with pytest.raises(NotFoundError, match="doesn't have service exports"):
        select_export(account, "A", None, service=True)


def test_revoke_activation_by_key_name_and_all(exports: Deployment) -> None:
    target = keys.generate("account").public_key
    result = revoke_activation(exports.nsc, target, subject="foo.x", at=AT)
    assert result.export is not None
    assert result.export.subject == "foo.>"
    assert _account(exports).nats.exports[0].revocations == {target: AT}
    assert result.report.children[0].text == f'revoked activation "foo" for account {target}'
    revoke_activation(exports.nsc, "SYS", subject="svc.a", service=True, at=AT)
    assert _account(exports).nats.exports[1].revocations == {exports.system.public_key: AT}
    result = revoke_activation(exports.nsc, ALL, subject="svc.b", service=True, at=AT)
    assert result.report.children[0].text == (
        f'revoked all activations for "svc.b" issued before {go_time(AT)}'
    )
    kept = revoke_activation(exports.nsc, target, subject="foo.>", at=AT - 1)
    assert kept.at == AT


def test_activation_target_rules(exports: Deployment) -> None:
    before = snapshot(exports.nsc)
    with pytest.raises(UsageError, match="target-account cannot be empty"):
        revoke_activation(exports.nsc, " ", subject="foo.>")
    with pytest.raises(InvalidKeyError, match='NOPE is not a valid "account" public key'):
        revoke_activation(exports.nsc, "NOPE", subject="foo.>")
    with pytest.raises(UsageError, match="a subject is required"):
        revoke_activation(exports.nsc, ALL, service=True)
    assert snapshot(exports.nsc) == before


def test_delete_and_list_activation_revocations(exports: Deployment) -> None:
    target = keys.generate("account").public_key
    with pytest.raises(NotFoundError, match="stream foo has no revocations"):
        activation_revocations(exports.nsc)
    with pytest.raises(NotFoundError, match=f"has no revocation for account {target}"):
        delete_activation_revocation(exports.nsc, target)
    revoke_activation(exports.nsc, target, at=AT)
    revoke_activation(exports.nsc, "SYS", at=AT)
    listing = activation_revocations(exports.nsc)
    assert listing.label == "stream foo"
    assert {r.public_key: r.name for r in listing.revocations} == {
        target: None, exports.system.public_key: "SYS",
    }  # fmt: skip
    assert listing.report.data["export"] == {"name": "foo", "subject": "foo.>", "type": "stream"}
    result = delete_activation_revocation(exports.nsc, target)
    assert result.report.children[0].text == f"deleted stream foo revocation for account {target}"
    assert set(_account(exports).nats.exports[0].revocations) == {exports.system.public_key}


def test_revocations_keep_the_account_valid(users: Deployment) -> None:
    revoke_user(users.nsc, public_key=ALL)
    account = claims.decode(users.account_jwt(), AccountClaims)
    assert not claims.validate(account).is_blocking(True)
