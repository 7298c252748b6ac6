"""Deleting users at the library level: revoking first, removing keys and creds."""

from __future__ import annotations

import pytest

from pynsc.actions import add_user
from pynsc.actions.user_deletion import delete_users
from pynsc.errors import KeyStoreError, NotFoundError, UsageError

from .builders import Deployment, deployment
from .test_operators import snapshot


@pytest.fixture
def users() -> Deployment:
    d = deployment()
    for name in ("U", "V", "W"):
        add_user(d.nsc, name)
    return d


def test_delete_keeps_key_and_creds_by_default(users: Deployment) -> None:
    key = users.nsc.store().user("A", "U").sub
    result = delete_users(users.nsc, ["U"])
    assert users.nsc.store().user_names("A") == ["V", "W"]
    assert users.nsc.keystore.has(key)
    assert users.nsc.keystore.read_creds("O", "A", "U") is not None
    assert result.deleted == [{"name": "U", "public_key": key}]
    assert result.revoked == []
    entry = result.report.children[0]
    assert entry.text == f"user U [{key}]"
    assert [e.text for e in entry.children] == ["user deleted"]


def test_delete_several_once_each(users: Deployment) -> None:
    result = delete_users(users.nsc, ["U", "V", "U"])
    assert [d["name"] for d in result.deleted] == ["U", "V"]
    assert users.nsc.store().user_names("A") == ["W"]


def test_remove_keys_and_creds(users: Deployment) -> None:
    key = users.nsc.store().user("A", "U").sub
    result = delete_users(users.nsc, ["U"], remove_keys=True, remove_creds=True)
    assert not users.nsc.keystore.has(key)
    assert users.nsc.keystore.read_creds("O", "A", "U") is None
    assert [e.text for e in result.report.children[0].children] == [
        "user deleted", "deleted private key", "removed creds file",
    ]  # fmt: skip
    users.nsc.keystore.remove(users.nsc.store().user("A", "V").sub)
    users.nsc.keystore.remove_creds("O", "A", "V")
    result = delete_users(users.nsc, ["V"], remove_keys=True, remove_creds=True)
    assert [e.text for e in result.report.children[0].children][1:] == [
        "private key is not stored", "creds file is not stored",
    ]  # fmt: skip


def test_revoke_resigns_the_account_first(users: Deployment) -> None:
    u = users.nsc.store().user("A", "U").sub
    result = delete_users(users.nsc, ["U"], revoke=True, now=1_700_000_000)
    account = users.nsc.store().account("A")
    assert account.nats.revocations == {u: 1_700_000_000}
    assert account.iss == users.operator.public_key
    assert result.revoked == [u]
    assert result.report.children[-1].text == 'edited account "A"'
    # already revoked: said, and the account is not re-signed again
    add_user(users.nsc, "U", key=u)
    token = users.account_jwt()
    result = delete_users(users.nsc, ["U"], revoke=True)
    assert result.revoked == []
    assert "user is already revoked" in [e.text for e in result.report.children[0].children]
    assert users.account_jwt() == token


def test_revoke_without_an_operator_key_deletes_nothing(users: Deployment) -> None:
    for key in users.nsc.keystore.list():
        if key.startswith("O"):
            users.nsc.keystore.remove(key)
    before = snapshot(users.nsc)
    with pytest.raises(KeyStoreError):
        delete_users(users.nsc, ["U"], revoke=True)
    assert snapshot(users.nsc) == before


def test_every_user_must_exist(users: Deployment) -> None:
    before = snapshot(users.nsc)
    with pytest.raises(NotFoundError, match='user "NOPE" not found in account "A"'):
        delete_users(users.nsc, ["U", "NOPE"])
    with pytest.raises(UsageError, match="please specify a user to delete"):
        delete_users(users.nsc, [])
    with pytest.raises(UsageError, match="please specify a user to delete"):
        delete_users(users.nsc, [" "])
    assert snapshot(users.nsc) == before
