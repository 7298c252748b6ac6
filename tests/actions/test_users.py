"""The user rules, at the library level: add_user, edit_user, and the Issuer (no store)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

import pynsc
from pynsc import claims, keys
from pynsc.actions import Issuer, UserChanges, add_user, edit_user
from pynsc.actions.user_changes import PermissionChanges
from pynsc.claims import UserClaims
from pynsc.errors import (
    ClaimsError,
    DecodeError,
    ExistsError,
    InvalidKeyError,
    StoreError,
    UsageError,
)

from .builders import deployment

NOW = 1_800_000_000


def _user(token: str) -> UserClaims:
    return claims.decode(token, UserClaims)


# add_user -----------------------------------------------------------------------------------


def test_add_user_signs_with_the_account_key_and_stores_key_and_creds() -> None:
    d = deployment()
    result = add_user(d.nsc, "u1")
    user = _user(result.jwt)
    assert user.iss == d.account.public_key
    assert user.nats.issuer_account == ""
    assert d.nsc.keystore.has(user.sub)
    assert result.creds_path is not None
    assert d.nsc.keystore.read_creds("O", "A", "u1") == result.creds.text
    assert [e.text for e in result.report.children][-1] == 'added user "u1" to account "A"'
    assert result.report.data["public_key"] == user.sub


def test_duplicate_user_names_are_refused() -> None:
    d = deployment()
    add_user(d.nsc, "u1")
    with pytest.raises(ExistsError, match='the user "u1" already exists'):
        add_user(d.nsc, "u1")


def test_random_name_for_star() -> None:
    d = deployment()
    assert "_" in add_user(d.nsc, "*").name


def test_a_signing_key_signer_sets_issuer_account() -> None:
    d = deployment()
    result = add_user(d.nsc, "u1", signer=d.signing.public_key)
    user = _user(result.jwt)
    assert user.iss == d.signing.public_key
    assert user.nats.issuer_account == d.account.public_key


def test_a_scoped_signer_found_by_role_gives_a_scoped_user() -> None:
    d = deployment()
    result = add_user(d.nsc, "u1", signer="web", changes=UserChanges(tags=("project:42",)))
    user = _user(result.jwt)
    assert user.iss == d.scoped.public_key
    assert user.nats.issuer_account == d.account.public_key
    assert user.nats.limits().is_empty()
    assert user.nats.tags == ["project:42"]


def test_a_scoped_signer_refuses_permissions_and_limits() -> None:
    d = deployment()
    for changes in (
        UserChanges(perms=PermissionChanges(allow_pub=("a",))),
        UserChanges(bearer=True),
        UserChanges(source_networks=("10.0.0.0/8",)),
        UserChanges(subs=3),
    ):
        with pytest.raises(StoreError, match="scoped users require no permissions or limits"):
            add_user(d.nsc, "u1", signer="web", changes=changes)
    assert not d.nsc.store().has_user("A", "u1")


def test_strict_operator_refuses_the_account_identity_key() -> None:
    d = deployment(strict=True)
    with pytest.raises(InvalidKeyError, match="the operator requires signing keys"):
        add_user(d.nsc, "u1", signer=d.account.seed)
    user = _user(add_user(d.nsc, "u2").jwt)
    assert user.iss != d.account.public_key
    assert user.nats.issuer_account == d.account.public_key


def test_strict_operator_needs_an_account_signing_key() -> None:
    d = deployment(strict=True)
    store = d.nsc.store()
    account = store.account("A")
    account.nats.signing_keys = {}
    pynsc.store.ops.save_account(store, "A", account, keys.from_seed(d.operator.seed or ""))
    with pytest.raises(StoreError, match="operator requires signing keys and the account has"):
        add_user(d.nsc, "u1")


def test_disallow_bearer_refuses_bearer_users() -> None:
    d = deployment(disallow_bearer=True)
    with pytest.raises(StoreError, match="forbids the use of bearer token"):
        add_user(d.nsc, "u1", changes=UserChanges(bearer=True))
    add_user(d.nsc, "u2")
    with pytest.raises(StoreError, match="account disallows bearer token"):
        edit_user(d.nsc, "u2", changes=UserChanges(bearer=True))


def test_a_given_user_key_must_be_a_user_key() -> None:
    d = deployment()
    with pytest.raises(InvalidKeyError, match="invalid user key"):
        add_user(d.nsc, "u1", key=keys.generate("account").public_key)
    pair = keys.generate("user")
    result = add_user(d.nsc, "u1", key=pair.public_key)
    assert result.creds_path is None
    assert _user(result.jwt).sub == pair.public_key


def test_claims_that_do_not_validate_are_refused_and_nothing_is_written() -> None:
    d = deployment()
    with pytest.raises(ClaimsError):
        add_user(d.nsc, "u1", changes=UserChanges(perms=PermissionChanges(allow_pub=("a..b",))))
    assert not d.nsc.store().has_user("A", "u1")


def test_every_user_option_lands_in_the_jwt() -> None:
    d = deployment()
    changes = UserChanges(
        perms=PermissionChanges(allow_pub=("a",), deny_sub=("b",), allow_pub_response=2),
        times=(("08:00:00", "17:00:00"),), locale="Europe/Paris",
        source_networks=("10.0.0.0/8",), conn_types=("websocket",), subs=5, data=6,
        payload=7, bearer=True, tags=("T",), start=NOW, expiry=NOW + 60,
    )  # fmt: skip
    user = _user(add_user(d.nsc, "u1", changes=changes).jwt).nats
    assert (user.pub.allow, user.sub.deny) == (["a"], ["b"])
    assert user.resp is not None
    assert user.resp.max == 2
    assert [(t.start, t.end) for t in user.times] == [("08:00:00", "17:00:00")]
    assert user.times_location == "Europe/Paris"
    assert user.src == ["10.0.0.0/8"]
    assert user.allowed_connection_types == ["WEBSOCKET"]
    assert (user.subs, user.data, user.payload, user.bearer_token) == (5, 6, 7, True)
    assert user.tags == ["t"]


def test_edit_user_keeps_what_is_not_changed_and_rewrites_the_creds() -> None:
    d = deployment()
    add_user(d.nsc, "u1", changes=UserChanges(perms=PermissionChanges(allow_pub=("a",))))
    result = edit_user(d.nsc, "u1", changes=UserChanges(subs=3))
    user = _user(result.jwt)
    assert user.nats.pub.allow == ["a"]
    assert user.nats.subs == 3
    assert d.nsc.keystore.read_creds("O", "A", "u1") == result.creds.text
    assert next(e.text for e in result.report.children) == "changed max number of subs to 3"


def test_edit_of_a_scoped_user_refuses_limits() -> None:
    d = deployment()
    add_user(d.nsc, "u1", signer="web")
    with pytest.raises(StoreError, match=r"conflict with signing key scope|require no permissions"):
        edit_user(d.nsc, "u1", changes=UserChanges(subs=3))


def test_bad_values_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="invalid cidr"):
        UserChanges(source_networks=("nope",))
    with pytest.raises(UsageError, match="unknown connection type"):
        UserChanges(conn_types=("pigeon",))
    with pytest.raises(UsageError, match="require format"):
        UserChanges(times=(("8", "9"),))
    with pytest.raises(UsageError, match="contains illegal space"):
        PermissionChanges(allow_pub=("a b",))


def test_on_disk_the_creds_are_private(tmp_path: Path) -> None:
    d = deployment(tmp_path)
    result = add_user(d.nsc, "u1")
    assert result.creds_path is not None
    assert stat.S_IMODE(result.creds_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(result.creds_path.parent.stat().st_mode) == 0o700
    assert d.nsc.store().has_user("A", "u1")
    reopened = pynsc.Nsc.open(
        config_dir=tmp_path / "config", data_dir=tmp_path / "stores",
        keystore_dir=tmp_path / "keys", operator="O", account="A",
    )  # fmt: skip
    assert reopened.store().user("A", "u1").sub == _user(result.jwt).sub


# Issuer -------------------------------------------------------------------------------------


def test_issuer_from_the_account_seed() -> None:
    account = keys.generate("account")
    creds = Issuer.from_seed(account.seed or "").issue_user("u", bearer=True, now=NOW)
    user = _user(creds.jwt)
    assert user.iss == account.public_key
    assert user.nats.issuer_account == ""
    assert user.nats.bearer_token is True
    assert creds.seed is not None
    assert creds.text.startswith("-----BEGIN NATS USER JWT-----")


def test_issuer_from_a_signing_key_and_the_account_key_sets_issuer_account() -> None:
    d = deployment()
    issuer = Issuer.from_seed(d.signing.seed or "", account=d.account.public_key)
    user = _user(issuer.issue_user("u").jwt)
    assert user.iss == d.signing.public_key
    assert user.nats.issuer_account == d.account.public_key


def test_issuer_from_a_signing_key_and_the_account_jwt() -> None:
    d = deployment()
    issuer = Issuer.from_seed(d.signing.seed or "", account=d.account_jwt())
    assert issuer.is_signing_key
    assert not issuer.is_scoped
    assert _user(issuer.issue_user("u").jwt).nats.issuer_account == d.account.public_key


def test_issuer_with_a_scoped_key_applies_the_scope_and_refuses_permissions() -> None:
    d = deployment()
    issuer = Issuer.from_seed(d.scoped.seed or "", account=d.account_jwt())
    assert issuer.is_scoped
    user = _user(issuer.issue_user("u", tags=["project:42"]).jwt)
    assert user.nats.limits().is_empty()
    assert user.nats.issuer_account == d.account.public_key
    with pytest.raises(StoreError, match="scoped users require no permissions or limits set"):
        issuer.issue_user("u", allow_pub=["x"])


def test_issuer_refuses_a_key_the_account_does_not_list() -> None:
    d = deployment()
    stranger = keys.generate("account")
    with pytest.raises(InvalidKeyError, match="is not a signing key of account"):
        Issuer.from_seed(stranger.seed or "", account=d.account_jwt())


def test_issuer_refuses_wrong_inputs() -> None:
    with pytest.raises(InvalidKeyError, match="not a valid seed"):
        Issuer.from_seed("SAgarbage")
    with pytest.raises(InvalidKeyError, match="needs a seed"):
        Issuer.from_seed(keys.generate("account").public_key)
    with pytest.raises(InvalidKeyError, match="an account key is needed"):
        Issuer.from_seed(keys.generate("user").seed or "")
    with pytest.raises(InvalidKeyError, match="neither an account public key nor"):
        Issuer.from_seed(keys.generate("account").seed or "", account="nope")
    with pytest.raises(DecodeError, match="the account JWT is invalid"):
        Issuer.from_seed(keys.generate("account").seed or "", account="a.b.c")
    issuer = Issuer.from_seed(keys.generate("account").seed or "")
    with pytest.raises(UsageError, match="takes a list"):
        issuer.issue_user("u", allow_pub="a.>")


def test_issuer_disallow_bearer_from_the_account_jwt() -> None:
    d = deployment(disallow_bearer=True)
    issuer = Issuer.from_seed(d.signing.seed or "", account=d.account_jwt())
    with pytest.raises(StoreError, match="forbids the use of bearer token"):
        issuer.issue_user("u", bearer=True)


@pytest.mark.parametrize(
    ("expiry", "expected"),
    [
        (3600, NOW + 3600),
        (dt.timedelta(hours=2), NOW + 7200),
        (dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc), 1893456000),
        (dt.datetime(2030, 1, 1), 1893456000),
        (dt.date(2030, 1, 1), 1893456000),
    ],
)
def test_issuer_expiry_forms(expiry: pynsc.actions.issuer.Moment, expected: int) -> None:
    issuer = Issuer.from_seed(keys.generate("account").seed or "")
    creds = issuer.issue_user("u", expiry=expiry, not_before=0, now=NOW)
    assert creds.expires == expected
    assert _user(creds.jwt).nbf == NOW


def test_issuer_every_field() -> None:
    issuer = Issuer.from_seed(keys.generate("account").seed or "")
    creds = issuer.issue_user(
        "u", allow_pub=["p"], allow_sub=["s"], allow_pubsub=["ps"], deny_pub=["dp"],
        deny_sub=["ds"], deny_pubsub=["dps"], allow_pub_response=3,
        response_ttl=dt.timedelta(seconds=2), tags=["t"], source_networks=["10.0.0.0/8"],
        connection_types=["WEBSOCKET"], times=[("01:00:00", "02:00:00")],
        locale="UTC", subs=1, data=2, payload=3, now=NOW,
    )  # fmt: skip
    user = _user(creds.jwt).nats
    assert user.pub.allow == ["p", "ps"]
    assert user.sub.allow == ["ps", "s"]
    assert user.pub.deny == ["dp", "dps"]
    assert user.sub.deny == ["dps", "ds"]
    assert user.resp is not None
    assert (user.resp.max, user.resp.ttl) == (3, 2_000_000_000)
    assert user.allowed_connection_types == ["WEBSOCKET"]
    assert (user.subs, user.data, user.payload) == (1, 2, 3)


def test_issuer_from_store_follows_the_cli_rules() -> None:
    d = deployment(strict=True)
    issuer = Issuer.from_store(d.nsc, "A")
    assert issuer.key.public_key != d.account.public_key
    scoped = Issuer.from_store(d.nsc, "A", signer="web")
    assert scoped.is_scoped


def test_creds_write_is_private(tmp_path: Path) -> None:
    creds = Issuer.from_seed(keys.generate("account").seed or "").issue_user("u")
    path = creds.write(tmp_path / "new" / "u.creds")
    assert path.read_text() == creds.text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_creds_without_a_seed_have_no_text() -> None:
    creds = Issuer.from_seed(keys.generate("account").seed or "").issue_user(
        "u", key=keys.generate("user").public_key
    )
    with pytest.raises(InvalidKeyError, match="no seed"):
        _ = creds.text


def test_without_the_identity_seed_a_stored_signing_key_signs() -> None:
    d = deployment()
    d.nsc.keystore.remove(d.account.public_key)
    d.nsc.keystore.remove(d.scoped.public_key)
    user = _user(add_user(d.nsc, "u1").jwt)
    assert user.iss == d.signing.public_key
    assert user.nats.issuer_account == d.account.public_key
