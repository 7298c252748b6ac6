"""The library's permission and user-limit changes: checks and application, no CLI involved."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pynsc.actions.user_changes import PermissionChanges, apply_permissions
from pynsc.claims.types import Permission, Permissions, ResponsePermission
from pynsc.errors import UsageError


def _perms(**lists: list[str]) -> Permissions:
    return Permissions(
        pub=Permission(allow=lists.get("pub_allow", []), deny=lists.get("pub_deny", [])),
        sub=Permission(allow=lists.get("sub_allow", []), deny=lists.get("sub_deny", [])),
    )


def test_apply_pubsub_adds_to_both_sides() -> None:
    # nsc acceptance behaviour 5
    perms = Permissions()
    flags = PermissionChanges(
        allow_pub=("a", "b"), allow_pubsub=("c",), deny_pub=("foo",), deny_pubsub=("bar",)
    )
    changes = apply_permissions(perms, flags)
    assert perms.pub.allow == ["a", "b", "c"]
    assert perms.sub.allow == ["c"]
    assert perms.pub.deny == ["bar", "foo"]  # sorted, as nsc stores them
    assert perms.sub.deny == ["bar"]
    assert perms.resp is None
    assert changes == [
        'added pub "a"',
        'added pub "b"',
        'added pub "c"',
        'added deny pub "foo"',
        'added deny pub "bar"',
        'added sub "c"',
        'added deny sub "bar"',
    ]


def test_apply_sorts_and_deduplicates_and_is_silent_for_no_ops() -> None:
    perms = _perms(pub_allow=["z", "a"])
    changes = apply_permissions(perms, PermissionChanges(allow_pub=("m", "a", "m")))
    assert perms.pub.allow == ["a", "m", "z"]
    assert changes == ['added pub "m"']
    assert apply_permissions(perms, PermissionChanges()) == []


def test_apply_rm_removes_from_all_four_lists() -> None:
    perms = _perms(
        pub_allow=["a", "b", "c"], sub_allow=["c"], pub_deny=["foo", "bar"], sub_deny=["bar"]
    )
    changes = apply_permissions(perms, PermissionChanges(remove=("c", "bar", "absent")))
    assert (perms.pub.allow, perms.sub.allow, perms.pub.deny, perms.sub.deny) == (
        ["a", "b"], [], ["foo"], []
    )  # fmt: skip
    assert changes == [
        'removed pub "c"',
        'removed deny pub "bar"',
        'removed sub "c"',
        'removed deny sub "bar"',
    ]


def test_apply_rm_wins_over_an_add_of_the_same_subject() -> None:
    perms = Permissions()
    apply_permissions(perms, PermissionChanges(allow_pub=("x", "y"), remove=("x",)))
    assert perms.pub.allow == ["y"]


def test_apply_queue_subscriptions_and_remove_by_exact_string() -> None:
    perms = Permissions()
    apply_permissions(perms, PermissionChanges(allow_sub=("foo queue",), deny_sub=("bar q",)))
    assert (perms.sub.allow, perms.sub.deny) == (["foo queue"], ["bar q"])
    apply_permissions(perms, PermissionChanges(remove=("foo",)))
    assert perms.sub.allow == ["foo queue"]
    apply_permissions(perms, PermissionChanges(remove=("foo queue",)))
    assert perms.sub.allow == []


@pytest.mark.parametrize(
    ("flags", "resp", "changes"),
    [
        # nsc acceptance behaviour 10
        (
            PermissionChanges(allow_pub_response=1, response_ttl=2_000_000),
            ResponsePermission(max=1, ttl=2_000_000),
            ["set max responses to 1", "set response ttl to 2ms"],
        ),
        (
            PermissionChanges(max_responses=100),
            ResponsePermission(max=100, ttl=0),
            ["set max responses to 100"],
        ),
        (
            PermissionChanges(allow_pub_response=5, max_responses=5),
            ResponsePermission(max=5, ttl=0),
            ["set max responses to 5"],
        ),
        (
            PermissionChanges(response_ttl=90_000_000_000),
            ResponsePermission(max=0, ttl=90_000_000_000),
            ["set response ttl to 1m30s"],
        ),
    ],
)
def test_apply_response_permissions(
    flags: PermissionChanges, resp: ResponsePermission, changes: list[str]
) -> None:
    perms = Permissions()
    assert apply_permissions(perms, flags) == changes
    assert perms.resp == resp


def test_apply_response_updates_an_existing_permission() -> None:
    perms = Permissions(resp=ResponsePermission(max=3, ttl=1_000))
    apply_permissions(perms, PermissionChanges(allow_pub_response=7))
    assert perms.resp == ResponsePermission(max=7, ttl=1_000)


def test_apply_rm_response_perms_keeps_the_other_changes() -> None:
    perms = Permissions(resp=ResponsePermission(max=3, ttl=1_000))
    changes = apply_permissions(perms, PermissionChanges(rm_response_perms=True, allow_pub=("a",)))
    assert perms.resp is None
    assert perms.pub.allow == ["a"]
    assert changes == ["removed response permissions", 'added pub "a"']
    assert apply_permissions(perms, PermissionChanges(rm_response_perms=True)) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        # nsc acceptance behaviour 8
        ({"deny_pub": ("foo queue",)}, 'publish permission subject "foo queue" contains illegal '
                                       "space"),
        ({"allow_pub": ("a b",)}, "contains illegal space"),
        ({"allow_pubsub": ("a b",)}, "contains illegal space"),
        ({"deny_pubsub": ("a b",)}, "contains illegal space"),
        ({"allow_sub": ("foo queue doo",)}, 'subscribe permission subject "foo queue doo" can at '
                                            "most contain one space"),
        ({"deny_sub": ("a b c",)}, "can at most contain one space"),
    ],
)  # fmt: skip
def test_permission_flags_reject_spaces(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        PermissionChanges(**kwargs)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"allow_pub_response": 1, "max_responses": 2}, "--max-responses is a deprecated"),
        ({"rm_response_perms": True, "allow_pub_response": 1}, "--rm-response-perms cannot"),
        ({"rm_response_perms": True, "response_ttl": 5}, "--rm-response-perms cannot"),
    ],
)
def test_permission_flags_reject_contradictions(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        PermissionChanges(**kwargs)


def test_permission_flags_accept_a_queue_subscription_and_know_when_empty() -> None:
    assert not PermissionChanges(allow_sub=("foo queue",)).is_empty()
    assert PermissionChanges().is_empty()
    assert PermissionChanges(max_responses=3).response_max == 3
    assert PermissionChanges(allow_pub_response=2).response_max == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"allow_pub": ("a\rb",)},
         'publish permission subject "a\\rb" cannot contain a carriage return ("\\r")'),
        ({"deny_pub": ("a.>.b",)}, 'publish permission subject "a.>.b" can have ">" only as its '
                                   "last token"),
        ({"allow_pubsub": ("a\tb",)}, 'publish permission subject "a\\tb" cannot contain a tab'),
        ({"deny_pubsub": (">.a",)}, 'publish permission subject ">.a" can have ">"'),
        ({"allow_sub": ("a\nb",)},
         'subscribe permission subject "a\\nb" cannot contain a newline ("\\n")'),
        ({"deny_sub": ("a.>.b q",)}, 'subscribe permission subject "a.>.b" can have ">" only'),
        ({"allow_sub": ("a q\fx",)},
         'subscribe permission queue "q\\fx" cannot contain a form feed ("\\f")'),
    ],
)  # fmt: skip
def test_permission_flags_reject_what_the_server_cannot_use(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        PermissionChanges(**kwargs)
    assert caught.value.message.startswith(message)


def test_a_queue_name_may_hold_a_greater_than_and_bad_subjects_can_be_removed() -> None:
    assert not PermissionChanges(allow_sub=("a q.>.x",)).is_empty()
    perms = Permissions(pub=Permission(allow=["a\tb", "ok"]))
    assert apply_permissions(perms, PermissionChanges(remove=("a\tb",))) == [
        'removed pub "a\\tb"'
    ]
    assert perms.pub.allow == ["ok"]
