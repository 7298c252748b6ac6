"""A command killed part-way leaves either the old state or the new one, or a store where running
the same command again completes it (issue 9, defect 1).

A kill is simulated by a store or keystore write that raises :class:`Killed` (a
``BaseException``, so nothing on the way catches it); the files written before it stay as a
SIGKILL would leave them. ``tests/reliability/test_crash.py`` does the same with real SIGKILLs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pynsc import claims, keys
from pynsc.actions import (
    Nsc,
    add_account,
    add_operator,
    add_user,
    delete_account,
    delete_users,
    edit_user,
    import_user,
    init,
    list_accounts,
    list_operators,
    list_users,
    rename_account,
)
from pynsc.actions.user_changes import UserChanges
from pynsc.errors import ExistsError
from pynsc.keys import KeyStore, parse_decorated_jwt
from pynsc.store import Store
from tests.actions.builders import Deployment, deployment


class Killed(BaseException):
    """The process died here."""


def _kill_at(
    monkeypatch: pytest.MonkeyPatch,
    owner: type[Any],
    method: str,
    when: Callable[..., bool] = lambda *a: True,
) -> None:
    """Make ``owner.method`` die (before doing anything) when ``when(*args)`` holds."""
    original = getattr(owner, method)

    def dying(self: Any, *args: Any, **kwargs: Any) -> Any:
        if when(*args):
            raise Killed(method)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, method, dying)


@pytest.fixture
def d(tmp_path: Path) -> Deployment:
    return deployment(tmp_path)


def _creds_jwt(nsc: Nsc, account: str, user: str) -> str | None:
    text = nsc.keystore.read_creds(nsc.store().name, account, user)
    return None if text is None else parse_decorated_jwt(text).strip()


def _no_errors(nsc: Nsc) -> None:
    assert not [e for e in list_operators(nsc).entries if e.error]
    for operator in nsc.operators():
        assert not [e for e in list_accounts(nsc, operator=operator).entries if e.error]
        store = nsc.store(operator)
        for account in store.account_names():
            listing = list_users(nsc, account=account, operator=operator)
            assert not [e for e in listing.entries if e.error]


def _every_jwt_has_its_seed(nsc: Nsc) -> None:
    keystore = nsc.keystore
    for operator in nsc.operators():
        store = nsc.store(operator)
        for account in store.account_names():
            account_claims = store.account(account)
            for key in (account_claims.sub, *account_claims.nats.signing_keys):
                assert keystore.has(key), f"{account}: no seed for {key}"
            for user in store.user_names(account):
                assert keystore.has(store.user(account, user).sub), f"{account}/{user}"


# Operators and init --------------------------------------------------------------------------


def test_killed_add_operator_does_not_block_its_retry(
    d: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the case: `add operator --sys -n O2` killed before the operator JWT was written
    with monkeypatch.context() as m:
        _kill_at(m, Store, "write_operator")
        with pytest.raises(Killed):
            add_operator(d.nsc, "O2", system_account=True)
    assert "O2" not in d.nsc.operators()
    _no_errors(d.nsc)
    result = add_operator(d.nsc, "O2", system_account=True)
    store = d.nsc.store("O2")
    assert store.operator().sub == result.public_key
    assert store.account_names() == ["SYS"]
    assert store.user_names("SYS") == ["sys"]
    _no_errors(d.nsc)


def test_an_operator_directory_without_its_jwt_is_absent(d: Deployment) -> None:
    # what an older pynsc left when killed: `.nsc` and a temporary file, no `O2.jwt`
    leftover = d.nsc.store_root / "O2"
    leftover.mkdir()
    (leftover / ".nsc").write_text('{"managed":false,"name":"O2","kind":"operator","version":"1"}')
    (leftover / ".O2.jwt.abc123.tmp").write_text("eyJ")
    assert d.nsc.operators() == ["O"]
    _no_errors(d.nsc)
    add_operator(d.nsc, "O2", system_account=True)
    assert d.nsc.operators() == ["O", "O2"]
    assert not list(leftover.glob("*.tmp"))
    _no_errors(d.nsc)


def test_killed_init_can_be_run_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nsc = Nsc.open(all_dirs=tmp_path / "nsc")
    with monkeypatch.context() as m:
        _kill_at(m, Store, "write_operator")
        with pytest.raises(Killed):
            init(nsc, "N")
    assert nsc.operators() == []
    result = init(nsc, "N")
    store = nsc.store("N")
    assert store.account_names() == ["N", "SYS"]
    assert store.user_names("N") == ["N"]
    assert result.creds.is_file()
    _no_errors(nsc)


# Accounts ------------------------------------------------------------------------------------


def test_add_account_clears_what_a_killed_command_left(d: Deployment) -> None:
    # an account directory without its JWT (a killed init, or deletion): its users must not
    # come back under a new account of that name
    users = d.nsc.store_root / "O" / "accounts" / "B" / "users"
    users.mkdir(parents=True)
    (users / "ghost.jwt").write_text(d.account_jwt())
    add_account(d.nsc, "B")
    assert d.nsc.store().user_names("B") == []
    _no_errors(d.nsc)


def test_killed_delete_account_leaves_no_jwt_without_its_seed(
    d: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(d.nsc, "u", account="A")
    store = d.nsc.store()
    account = store.account("A")
    user_key = store.user("A", "u").sub
    with monkeypatch.context() as m:  # killed as the account's own seed goes
        _kill_at(m, KeyStore, "remove", lambda key: key == account.sub)
        with pytest.raises(Killed):
            delete_account(d.nsc, "A", rm_nkey=True, rm_creds=True)
    assert not store.has_account("A")
    _every_jwt_has_its_seed(d.nsc)
    _no_errors(d.nsc)
    result = delete_account(d.nsc, "A", rm_nkey=True, rm_creds=True)  # finishes it
    assert result.public_key == account.sub
    for key in (account.sub, *account.nats.signing_keys, user_key):
        assert not d.nsc.keystore.has(key)
    assert not (store.dir / "accounts" / "A").exists()
    assert d.nsc.keystore.read_creds("O", "A", "u") is None


def test_killed_rename_account_is_finished_by_a_rerun(
    d: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(d.nsc, "u", account="A")
    creds = d.nsc.keystore.read_creds("O", "A", "u")
    with monkeypatch.context() as m:  # killed once the account moved, before the old creds go
        _kill_at(m, KeyStore, "remove_creds")
        with pytest.raises(Killed):
            rename_account(d.nsc, "A", "B")
    store = d.nsc.store()
    assert store.account_names() == ["B", "SYS"]
    result = rename_account(d.nsc, "A", "B")
    assert (result.old, result.new) == ("A", "B")
    assert d.nsc.keystore.read_creds("O", "A", "u") is None
    assert d.nsc.keystore.read_creds("O", "B", "u") == creds
    assert not (store.dir / "accounts" / "B" / "A.jwt").exists()
    with pytest.raises(Exception, match='"A" not in accounts'):
        rename_account(d.nsc, "A", "B")


def test_rename_account_refuses_other_creds_under_the_new_name(d: Deployment) -> None:
    add_user(d.nsc, "u", account="A")
    d.nsc.keystore.write_creds("O", "B", "u", "someone else's creds")
    with pytest.raises(ExistsError, match="already exists"):
        rename_account(d.nsc, "A", "B")


# Users ---------------------------------------------------------------------------------------


def test_killed_add_user_leaves_no_user_without_creds(
    d: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        _kill_at(m, KeyStore, "write_creds")
        with pytest.raises(Killed):
            add_user(d.nsc, "u", account="A")
    assert not d.nsc.store().has_user("A", "u")  # the retry must not say the user exists
    result = add_user(d.nsc, "u", account="A")
    assert _creds_jwt(d.nsc, "A", "u") == result.jwt


def test_killed_edit_user_leaves_the_creds_as_the_jwt(
    d: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(d.nsc, "u", account="A")
    changes = UserChanges(tags=("t",))
    with monkeypatch.context() as m:
        _kill_at(m, KeyStore, "write_creds")
        with pytest.raises(Killed):
            edit_user(d.nsc, "u", account="A", changes=changes)
    store = d.nsc.store()
    assert _creds_jwt(d.nsc, "A", "u") == store.user_token("A", "u")
    result = edit_user(d.nsc, "u", account="A", changes=changes)
    assert _creds_jwt(d.nsc, "A", "u") == result.jwt == store.user_token("A", "u")
    assert "t" in store.user("A", "u").nats.tags


def test_killed_import_user_leaves_no_user_without_creds(
    d: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = keys.generate("user")
    token = claims.encode(claims.UserClaims(sub=user.public_key, name="imp"), d.account)
    with monkeypatch.context() as m:
        _kill_at(m, KeyStore, "write_creds")
        with pytest.raises(Killed):
            import_user(d.nsc, token, key=user)
    assert not d.nsc.store().has_user("A", "imp")
    import_user(d.nsc, token, key=user)
    assert _creds_jwt(d.nsc, "A", "imp") == token


def test_killed_delete_user_is_finished_by_a_rerun(
    d: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(d.nsc, "u", account="A")
    key = d.nsc.store().user("A", "u").sub
    with monkeypatch.context() as m:  # killed as the seed goes
        _kill_at(m, KeyStore, "remove")
        with pytest.raises(Killed):
            delete_users(d.nsc, ["u"], account="A", remove_keys=True, remove_creds=True)
    assert not d.nsc.store().has_user("A", "u")
    result = delete_users(d.nsc, ["u"], account="A", remove_keys=True, remove_creds=True)
    assert result.deleted == [{"name": "u", "public_key": key}]
    assert not d.nsc.keystore.has(key)
    assert d.nsc.keystore.read_creds("O", "A", "u") is None
    with pytest.raises(Exception, match='user "u" not found'):
        delete_users(d.nsc, ["u"], account="A")


# The same calls in memory --------------------------------------------------------------------


def test_memory_store_deletes_and_renames_as_the_disk_store() -> None:
    d = deployment()
    add_user(d.nsc, "u", account="A")
    rename_account(d.nsc, "A", "B")
    assert d.nsc.keystore.read_creds("O", "B", "u") is not None
    delete_users(d.nsc, ["u"], account="B", remove_keys=True, remove_creds=True)
    delete_account(d.nsc, "B", rm_nkey=True)
    assert d.nsc.store().account_names() == ["SYS"]
    assert not d.nsc.keystore.has(d.account.public_key)
