"""The signing-key rules, at the library level: adding, removing, scoping, finding by role
(no CLI involved)."""

from __future__ import annotations

import pytest

from pynsc import keys
from pynsc.actions import UserChanges, add_user
from pynsc.actions.signing_keys import (
    add_signing_key,
    apply_signing_keys,
    edit_signing_key,
    find_signing_key,
    key_by_role,
    remove_signing_key,
    resolve_signing_keys,
    scoped_key,
)
from pynsc.actions.user_changes import PermissionChanges
from pynsc.claims import Account, UserScope
from pynsc.errors import ExistsError, InvalidKeyError, NotFoundError, UsageError
from pynsc.keys import KeyKind

from .builders import SCOPED_TEMPLATE, Deployment, deployment


def _scope(d: Deployment, key: str) -> UserScope:
    scope = d.nsc.store().account("A").nats.signing_keys[key]
    assert scope is not None
    return scope


# Keys -----------------------------------------------------------------------------------------


def test_resolve_generates_or_takes_account_keys_other_than_the_identity() -> None:
    d = deployment()
    given = keys.generate("account")
    pairs = resolve_signing_keys(["generate", given.require_seed()], d.nsc.keystore, "Aself")
    assert pairs[0].kind is KeyKind.ACCOUNT
    assert pairs[0].seed is not None
    assert pairs[1] == given
    with pytest.raises(InvalidKeyError, match="is not a valid account signing key"):
        resolve_signing_keys([keys.generate("operator").public_key], d.nsc.keystore, "A")
    with pytest.raises(InvalidKeyError, match="the account's identity key"):
        resolve_signing_keys([d.account], d.nsc.keystore, d.account.public_key)


def test_adding_again_keeps_the_scope_removing_an_unknown_key_warns() -> None:
    d = deployment()
    scope = UserScope(key=d.scoped.public_key, role="r")
    account = Account(signing_keys={d.scoped.public_key: scope})
    other = keys.generate("account").public_key
    lines, warnings = apply_signing_keys(account, [d.scoped], [other], d.nsc.keystore)
    assert (lines, account.signing_keys[d.scoped.public_key]) == ([], scope)
    assert warnings == [f'"{other}" is not a signing key of the account']


def test_add_signing_key_generates_and_stores_it() -> None:
    d = deployment()
    result = add_signing_key(d.nsc, "A")
    assert result.generated is not None
    assert d.nsc.keystore.has(result.public_key)
    assert result.public_key in d.nsc.store().account("A").nats.signing_keys
    assert result.report.lines()[0] == f'[ OK ] added signing key "{result.public_key}"'
    public = keys.generate("account").public_key
    assert add_signing_key(d.nsc, "A", key=public).generated is None
    assert not d.nsc.keystore.has(public)


def test_remove_signing_key_by_key_or_role() -> None:
    d = deployment()
    remove_signing_key(d.nsc, d.signing.public_key, "A")
    remove_signing_key(d.nsc, "web", "A")
    assert d.nsc.store().account("A").nats.signing_keys == {}
    assert d.nsc.keystore.has(d.scoped.public_key)  # the seed stays
    with pytest.raises(NotFoundError, match="signing-key not found"):
        remove_signing_key(d.nsc, d.signing.public_key, "A")


# Roles ----------------------------------------------------------------------------------------


def test_scoped_key_by_role() -> None:
    d = deployment()
    key, scope = scoped_key(d.nsc, "A", "web")
    assert key == d.scoped.public_key
    assert scope.template == SCOPED_TEMPLATE
    assert key_by_role(d.nsc.store().account("A"), "web") == key
    with pytest.raises(NotFoundError, match="has no signing key with role 'admin'"):
        scoped_key(d.nsc, "A", "admin")


def test_find_signing_key_forms() -> None:
    d = deployment()
    claims = d.nsc.store().account("A")
    keystore = d.nsc.keystore
    assert find_signing_key(claims, d.signing.require_seed(), None, keystore) == (
        d.signing.public_key, None
    )  # fmt: skip
    assert find_signing_key(claims, "web", None, keystore)[0] == d.scoped.public_key
    assert find_signing_key(claims, None, "web", keystore)[0] == d.scoped.public_key
    key, generated = find_signing_key(claims, "generate", None, keystore)
    assert generated is not None
    assert generated.public_key == key
    with pytest.raises(UsageError, match="signing key is required"):
        find_signing_key(claims, None, None, keystore)
    for value in ("nope", keys.generate("account").public_key):
        with pytest.raises(NotFoundError, match="signing-key not found"):
            find_signing_key(claims, value, None, keystore)


# edit_signing_key -----------------------------------------------------------------------------


def test_promote_to_scoped_with_a_template() -> None:
    d = deployment()
    template = UserChanges(perms=PermissionChanges(allow_pub=("a.>",)), subs=10)
    result = edit_signing_key(d.nsc, d.signing.public_key, account="A", role="svc",
                              description="s", template=template)  # fmt: skip
    assert result.report.lines() == [
        f'[ OK ] made signing key "{d.signing.public_key}" scoped',
        '[ OK ] changed role to "svc"',
        '[ OK ] changed description to "s"',
        "[ OK ] changed max number of subs to 10",
        '[ OK ] added pub "a.>"',
        f'[ OK ] edited signing key "{d.signing.public_key}"',
    ]
    scope = _scope(d, d.signing.public_key)
    assert (scope.role, scope.description, scope.template.subs) == ("svc", "s", 10)
    assert scope.template.pub.allow == ["a.>"]
    assert result.role == "svc"


def test_edit_by_role_keeps_the_rest_of_the_scope() -> None:
    d = deployment()
    edit_signing_key(d.nsc, account="A", role="web", template=UserChanges(payload=1000))
    scope = _scope(d, d.scoped.public_key)
    assert scope.template.payload == 1000
    assert scope.template.pub.allow == SCOPED_TEMPLATE.pub.allow


def test_a_role_belongs_to_one_key() -> None:
    d = deployment()
    with pytest.raises(ExistsError, match='role "web" is already the role of signing key'):
        edit_signing_key(d.nsc, d.signing.public_key, account="A", role="web")


def test_generate_a_scoped_key() -> None:
    d = deployment()
    result = edit_signing_key(d.nsc, "generate", account="A", role="gen")
    assert result.generated is not None
    assert d.nsc.keystore.has(result.public_key)
    assert _scope(d, result.public_key).role == "gen"
    assert result.report.lines()[0] == f'[ OK ] added signing key "{result.public_key}"'


def test_a_template_takes_no_tags_or_validity() -> None:
    d = deployment()
    with pytest.raises(UsageError, match="permissions and limits only"):
        edit_signing_key(d.nsc, "web", account="A", template=UserChanges(tags=("x",)))


def test_users_signed_by_role_get_the_scope() -> None:
    d = deployment()
    result = add_user(d.nsc, "u", account="A", signer="web")
    assert result.issuer == d.scoped.public_key
    assert result.creds.claims.nats.limits().is_empty()


def test_a_new_scope_has_an_empty_template_until_a_limit_is_set() -> None:
    """As Go nsc writes it (issue 10 item 4): a role alone writes no subs/data/payload; the
    first permission or limit makes the ones not given -1; later edits keep set values."""
    d = deployment()
    added = add_signing_key(d.nsc, "A")
    template = edit_signing_key(d.nsc, account="A", key=added.public_key, role="r").scope
    assert template is not None
    assert (template.template.subs, template.template.data, template.template.payload) == (0, 0, 0)
    edited = edit_signing_key(d.nsc, account="A", key="r", template=UserChanges(subs=5)).scope
    assert edited is not None
    assert (edited.template.subs, edited.template.data, edited.template.payload) == (5, -1, -1)
    again = edit_signing_key(d.nsc, account="A", key="r", template=UserChanges(
        perms=PermissionChanges(allow_pub=("x",)))).scope
    assert again is not None
    assert (again.template.subs, again.template.pub.allow) == (5, ["x"])
