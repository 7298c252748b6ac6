"""The listing rules at the library level: entities, keys and their status, expirations."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import keys
from pynsc.actions import Nsc, UserChanges, add_user
from pynsc.actions.listing import (
    KeyEntry,
    KeyQuery,
    collect_keys,
    expirations,
    humanized_date,
    list_accounts,
    list_keys,
    list_operators,
    list_users,
    rfc3339,
)
from pynsc.errors import KeyStoreError, NotFoundError, StoreError
from pynsc.keys import KeyKind

from .builders import Deployment, deployment

NOW = 1_800_000_000
DAY = 86_400


# Operators, accounts, users -------------------------------------------------------------------


def test_list_operators_and_accounts() -> None:
    d = deployment()
    operators = list_operators(d.nsc)
    assert [(e.name, e.public_key) for e in operators.entries] == [("O", d.operator.public_key)]
    accounts = list_accounts(d.nsc)
    assert [e.name for e in accounts.entries] == ["A", "SYS"]
    assert accounts.report.data == [
        {"name": "A", "public_key": d.account.public_key},
        {"name": "SYS", "public_key": d.system.public_key},
    ]
    assert not accounts.report.children  # nothing to warn of


def test_a_jwt_that_does_not_load_is_a_warning_not_a_failure() -> None:
    d = deployment()
    d.nsc.store().write_account("BROKEN", "not a jwt")
    listing = list_accounts(d.nsc)
    broken = next(e for e in listing.entries if e.name == "BROKEN")
    assert broken.error
    assert not broken.public_key
    warnings = [c.text for c in listing.report.children]
    assert warnings == [f'account "BROKEN": {broken.error}']


def test_an_operator_for_one_listing_must_exist() -> None:
    d = deployment()
    with pytest.raises(NotFoundError, match='operator "X" not in') as caught:
        list_accounts(d.nsc, operator="X")
    assert caught.value.hint == "list them with 'pynsc list operators'"
    assert d.nsc.operator == "O"


def test_list_users_of_the_current_named_or_only_account() -> None:
    d = deployment()
    add_user(d.nsc, "u1")
    add_user(d.nsc, "u2")
    assert [e.name for e in list_users(d.nsc).entries] == ["u1", "u2"]
    assert list_users(d.nsc, account=d.system.public_key).entries == []
    # an operator named for this listing: its only account, else one must be named
    with pytest.raises(StoreError, match="an account is required"):
        list_users(d.nsc, operator="O")
    assert [e.name for e in list_users(d.nsc, operator="O", account="A").entries] == ["u1", "u2"]


@pytest.mark.parametrize("root", [False, True], ids=["memory", "disk"])
def test_list_users_verifies_signatures_only_when_asked(root: bool, tmp_path: Path) -> None:
    """A listing trusts the signature of a user issued by the account's keys (``validate``
    checks it); ``verify=True`` checks every one, as a full decode of each user does."""
    d = deployment(tmp_path if root else None)
    add_user(d.nsc, "u1")
    store = d.nsc.store()
    head, _, signature = store.user_token("A", "u1").rpartition(".")
    store.write_user("A", "u2", f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}")
    store.write_user("A", "u3", store.account_token("A"))
    listed = list_users(d.nsc)
    assert [(e.name, bool(e.error)) for e in listed.entries] == [
        ("u1", False), ("u2", False), ("u3", True)
    ]
    assert listed.entries[2].error.endswith("expected user claims, got account claims")
    verified = list_users(d.nsc, verify=True)
    assert [(e.name, bool(e.error)) for e in verified.entries] == [
        ("u1", False), ("u2", True), ("u3", True)
    ]
    assert verified.entries[1].error.endswith("JWT signature verification failed")
    assert [m.text for m in verified.report.children] == [
        f'user "{e.name}": {e.error}' for e in verified.entries if e.error
    ]


def test_list_users_needs_an_account() -> None:
    d = deployment()
    d.nsc.select(account="")
    with pytest.raises(StoreError, match="an account is required"):
        list_users(d.nsc)


# Keys ----------------------------------------------------------------------------------------


@pytest.fixture
def keyed() -> Deployment:
    d = deployment()
    add_user(d.nsc, "U")
    return d


def _pubs(entries: list[KeyEntry]) -> list[str]:
    return [e.pub for e in entries]


def test_default_keys_are_the_operator_the_current_account_and_its_users(keyed: Deployment) -> None:
    d = keyed
    found = list_keys(d.nsc)
    user = d.nsc.store().user("A", "U").sub
    assert _pubs(found.keys)[0] == d.operator.public_key
    assert (found.keys[1].kind, found.keys[1].signing) == (KeyKind.OPERATOR, True)
    assert d.account.public_key in _pubs(found.keys)
    assert d.system.public_key not in _pubs(found.keys)  # not the current account
    assert _pubs(found.keys)[-1] == user
    by_pub = {e.pub: e for e in found.keys}
    assert by_pub[d.signing.public_key].signing
    assert by_pub[user].parent == d.account.public_key
    assert by_pub[d.account.public_key].parent == d.operator.public_key
    assert all(e.stored and not e.invalid for e in found.keys)
    assert found.seeds == {}
    assert "seed" not in found.report.data[0]


def test_kind_flags_list_every_account(keyed: Deployment) -> None:
    d = keyed
    accounts = _pubs(collect_keys(d.nsc, KeyQuery(accounts=True)))
    assert d.system.public_key in accounts
    assert d.operator.public_key not in accounts
    assert _pubs(collect_keys(d.nsc, KeyQuery(operator=True)))[0] == d.operator.public_key
    only_a = collect_keys(d.nsc, KeyQuery(accounts=True, account="A"))
    assert d.system.public_key not in _pubs(only_a)


def test_user_filter_and_unknown_user(keyed: Deployment) -> None:
    d = keyed
    user = d.nsc.store().user("A", "U").sub
    assert _pubs(collect_keys(d.nsc, KeyQuery(users=True, user="U"))) == [user]
    assert _pubs(collect_keys(d.nsc, KeyQuery(all=True, filter=user[-8:].lower()))) == [user]
    with pytest.raises(NotFoundError, match='user "nobody" not found'):
        collect_keys(d.nsc, KeyQuery(user="nobody"))


def test_seeds_and_unstored_keys(keyed: Deployment) -> None:
    d = keyed
    d.nsc.keystore.remove(d.signing.public_key)
    found = list_keys(d.nsc, seeds=True)
    signing = next(e for e in found.keys if e.pub == d.signing.public_key)
    assert not signing.stored
    assert d.signing.public_key not in found.seeds
    assert found.seeds[d.account.public_key] == d.account.seed
    data = {entry["pub"]: entry for entry in found.report.data}
    assert data[d.account.public_key]["seed"] == d.account.seed
    assert "seed" not in data[d.signing.public_key]


def test_unreferenced_keys(keyed: Deployment) -> None:
    d = keyed
    stray_user, stray_account = keys.generate("user"), keys.generate("account")
    for pair in (stray_user, stray_account):
        d.nsc.keystore.store(pair)
    found = collect_keys(d.nsc, KeyQuery(unreferenced=True, all=True))
    assert _pubs(found) == [stray_account.public_key, stray_user.public_key]  # by kind
    assert all(e.unreferenced and e.stored for e in found)
    assert [e.kind for e in found] == [KeyKind.ACCOUNT, KeyKind.USER]


def test_no_match_is_a_warning(keyed: Deployment) -> None:
    found = list_keys(keyed.nsc, KeyQuery(all=True, filter="NOTAKEY"))
    assert found.keys == []
    assert [c.text for c in found.report.children] == ["no keys matched query"]


def test_keys_need_an_operator_unless_unreferenced() -> None:
    nsc = Nsc.memory()
    nsc.keystore.store(keys.generate("user"))
    with pytest.raises(StoreError, match="operator is not set"):
        collect_keys(nsc)
    assert len(collect_keys(nsc, KeyQuery(unreferenced=True, all=True))) == 1


def test_keys_need_a_keystore_on_disk(tmp_path: Path) -> None:
    nsc = Nsc.open(all_dirs=tmp_path / "nowhere")
    with pytest.raises(KeyStoreError, match="does not exist"):
        collect_keys(nsc)


def test_a_seed_file_of_another_key_is_invalid(tmp_path: Path) -> None:
    d = deployment(tmp_path)
    other = keys.generate("account")
    d.nsc.keystore.key_path(d.signing.public_key).write_text(other.seed or "")
    found = {e.pub: e for e in collect_keys(d.nsc)}
    entry = found[d.signing.public_key]
    assert entry.stored
    assert entry.invalid
    assert entry.seed(d.nsc.keystore) is None


def test_query_defaults() -> None:
    query = KeyQuery().normalized("A")
    assert (query.operator, query.accounts, query.users, query.curves) == (True,) * 4
    assert query.account == "A"
    assert KeyQuery(all=True).normalized("A").account is None
    assert KeyQuery(operator=True).normalized("A").accounts is False


# Expirations ---------------------------------------------------------------------------------


def test_humanized_dates() -> None:
    assert humanized_date(0, NOW) == ""
    assert humanized_date(NOW + 28 * DAY, NOW) == "In 4 Weeks"
    assert humanized_date(NOW - 2 * DAY, NOW) == "2 Days Ago"
    assert humanized_date(NOW + 90, NOW) == "In 1 Minute"
    assert rfc3339(NOW) == "2027-01-15T08:00:00Z"


def test_expirations_classify_each_resource() -> None:
    d = deployment()
    add_user(d.nsc, "never", now=NOW)
    soon = add_user(d.nsc, "soon", now=NOW, changes=_expiring(NOW + 10 * DAY))
    add_user(d.nsc, "gone", now=NOW - 10 * DAY, changes=_expiring(NOW - DAY))
    result = expirations(d.nsc, threshold=NOW + 30 * DAY, now=NOW)
    rows = {row.resource: row for row in result.rows}
    assert rows["O"].when == "Never"
    assert not rows["O"].expires_soon
    assert rows["O/A/soon"].expires_soon
    assert not rows["O/A/soon"].expired
    assert rows["O/A/soon"].id == soon.creds.public_key
    assert rows["O/A/gone"].expired
    assert rows["O/A/gone"].when == "1 Day Ago"
    creds_row = rows[str(d.nsc.keystore.creds_path("O", "A", "soon"))]
    assert creds_row.expires_soon
    assert result.report.data["expiration_threshold"] == rfc3339(NOW + 30 * DAY)
    assert result.report.data["report"][0] == {
        "resource": "O", "id": d.operator.public_key, "when": "Never", "expiry": 0,
        "expiration_date": "", "expires_soon": False, "expired": False,
    }  # fmt: skip
    skipped = expirations(d.nsc, threshold=NOW + 30 * DAY, skip=True, now=NOW)
    assert {row.resource.rsplit("/", 1)[-1] for row in skipped.rows} == {
        "soon", "gone", "soon.creds", "gone.creds"
    }  # fmt: skip
    # no threshold: nothing expires soon
    assert not any(row.expires_soon for row in expirations(d.nsc, now=NOW).rows)


def _expiring(unix: int) -> UserChanges:
    return UserChanges(expiry=unix)
