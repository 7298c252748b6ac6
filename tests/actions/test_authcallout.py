"""The auth callout rules, at the library level (no CLI involved)."""

from __future__ import annotations

import pytest

from pynsc import keys
from pynsc.actions.authcallout import AuthCalloutChanges, edit_authcallout
from pynsc.claims import ExternalAuthorization
from pynsc.errors import ClaimsError, InvalidKeyError, UsageError
from pynsc.keys import KeyKind

from .builders import Deployment, deployment


def _auth(d: Deployment) -> ExternalAuthorization:
    return d.nsc.store().account("A").nats.authorization


def test_something_must_change_and_disable_comes_alone() -> None:
    d = deployment()
    with pytest.raises(UsageError, match="please specify some options"):
        edit_authcallout(d.nsc, "A", AuthCalloutChanges())
    with pytest.raises(UsageError, match="--disable is exclusive of all other options"):
        edit_authcallout(d.nsc, "A", AuthCalloutChanges(disable=True, rm_curve=True))


def test_keys_must_be_of_their_kind() -> None:
    d = deployment()
    account = keys.generate("account").public_key
    with pytest.raises(InvalidKeyError, match=f'"{account}" is not a valid user key'):
        edit_authcallout(d.nsc, "A", AuthCalloutChanges(auth_users=(account,)))
    user = keys.generate("user").public_key
    with pytest.raises(InvalidKeyError, match='"hello" is not a valid account key'):
        edit_authcallout(d.nsc, "A", AuthCalloutChanges(auth_users=(user,),
                                                        allowed_accounts=("hello",)))
    with pytest.raises(InvalidKeyError, match="is not a valid curve key"):
        edit_authcallout(d.nsc, "A", AuthCalloutChanges(auth_users=(user,), curve=account))


def test_accounts_need_users_and_nothing_is_stored_before_it_validates() -> None:
    d = deployment()
    changes = AuthCalloutChanges(allowed_accounts=("SYS",), curve="generate")
    with pytest.raises(ClaimsError, match="cannot have accounts without users specified"):
        edit_authcallout(d.nsc, "A", changes)
    assert d.nsc.keystore.list(KeyKind.CURVE) == []
    assert _auth(d) == ExternalAuthorization()


def test_add_remove_and_their_reports() -> None:
    d = deployment()
    user = keys.generate("user")
    result = edit_authcallout(d.nsc, "A", AuthCalloutChanges(
        auth_users=(user.require_seed(),), allowed_accounts=("SYS",),
    ))  # fmt: skip
    system = d.system.public_key
    assert result.report.lines() == [
        f'[ OK ] added user "{user.public_key}"',
        f'[ OK ] added account "{system}"',
    ]
    assert (_auth(d).auth_users, _auth(d).allowed_accounts) == ([user.public_key], [system])
    result = edit_authcallout(d.nsc, "A", AuthCalloutChanges(
        auth_users=(user.public_key,), allowed_accounts=("*",),
        rm_allowed_accounts=(system, d.account.public_key),
    ))  # fmt: skip
    assert result.report.lines() == [
        f'[ OK ] skipped adding user "{user.public_key}" - as it\'s already set',
        '[ OK ] added account "*"',
        f'[ OK ] deleted account "{system}"',
        f'[ OK ] skipping account "{d.account.public_key}" - as it\'s not currently set',
    ]
    assert result.report.data is not None
    assert result.report.data["authorization"] == {
        "auth_users": [user.public_key], "allowed_accounts": ["*"], "xkey": "",
    }  # fmt: skip


def test_curve_generated_is_stored_and_returned_then_removed() -> None:
    d = deployment()
    user = keys.generate("user").public_key
    result = edit_authcallout(d.nsc, "A", AuthCalloutChanges(auth_users=(user,),
                                                             curve="generate"))  # fmt: skip
    curve = result.curve
    assert curve is not None
    assert curve.seed is not None
    assert d.nsc.keystore.has(curve.public_key)
    assert result.report.lines()[0] == f'[ OK ] generated and stored curve key "{curve.public_key}"'
    assert _auth(d).xkey == curve.public_key
    result = edit_authcallout(d.nsc, "A", AuthCalloutChanges(rm_curve=True))
    assert result.report.lines() == [f"[ OK ] removed {curve.public_key} curve key"]
    result = edit_authcallout(d.nsc, "A", AuthCalloutChanges(rm_curve=True))
    assert "didn't do anything" in result.report.lines()[0]


def test_a_public_curve_key_is_not_stored() -> None:
    d = deployment()
    curve = keys.generate("curve")
    user = keys.generate("user").public_key
    edit_authcallout(d.nsc, "A", AuthCalloutChanges(auth_users=(user,),
                                                    curve=curve.public_key))  # fmt: skip
    assert _auth(d).xkey == curve.public_key
    assert not d.nsc.keystore.has(curve.public_key)


def test_disable_removes_everything() -> None:
    d = deployment()
    user = keys.generate("user").public_key
    edit_authcallout(d.nsc, "A", AuthCalloutChanges(auth_users=(user,)))
    result = edit_authcallout(d.nsc, "A", AuthCalloutChanges(disable=True))
    assert result.report.lines() == ["[ OK ] removed external authorization configuration"]
    assert _auth(d) == ExternalAuthorization()
