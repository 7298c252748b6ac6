"""The mapping rules, at the library level: add_mapping (weights per cluster, replacing an
entry, subjects) and delete_mapping (no CLI involved)."""

from __future__ import annotations

import re

import pytest

from pynsc import claims, keys
from pynsc.actions.mappings import add_mapping, check_mappings, delete_mapping
from pynsc.claims import STREAM, AccountClaims, Export, WeightedMapping
from pynsc.errors import ClaimsError, NotFoundError, UsageError

from .builders import Deployment, deployment


def _mappings(d: Deployment) -> dict[str, list[tuple[str, int, str]]]:
    account = claims.decode(d.account_jwt(), AccountClaims)
    return {
        source: [(m.subject, m.weight, m.cluster) for m in targets]
        for source, targets in account.nats.mappings.items()
    }


def test_add_with_the_default_weight() -> None:
    d = deployment()
    result = add_mapping(d.nsc, "a", "b")
    assert [e.text for e in result.report.children] == ["added mapping a -> b, weight 100%"]
    assert _mappings(d) == {"a": [("b", 0, "")]}
    assert result.entries == [WeightedMapping(subject="b")]
    assert (result.account, result.source, result.jwt) == ("A", "a", d.account_jwt())
    assert result.report.data == {"account": "A", "from": "a", "to": "b", "weight": 100,
                                  "cluster": ""}  # fmt: skip


def test_weights_add_up_to_100_per_cluster() -> None:
    d = deployment()
    add_mapping(d.nsc, "q", "qq", weight=100)
    with pytest.raises(ClaimsError, match=re.escape(
        'mapping validation failed: [Mapping "q" exceeds 100% among all of it\'s weighted to '
        "mappings]"
    )):  # fmt: skip
        add_mapping(d.nsc, "q", "qqq", weight=10)
    result = add_mapping(d.nsc, "q", "qqq", weight=10, cluster="C")
    assert result.report.children[0].text == 'added mapping q -> qqq, weight 10%, cluster "C"'
    add_mapping(d.nsc, "q", "r", weight=90, cluster="C")
    with pytest.raises(ClaimsError, match='Mapping "q" in cluster "C" exceeds 100%'):
        add_mapping(d.nsc, "q", "s", weight=1, cluster="C")
    assert _mappings(d) == {"q": [("qq", 100, ""), ("qqq", 10, "C"), ("r", 90, "C")]}


def test_the_same_destination_and_cluster_replaces() -> None:
    d = deployment()
    add_mapping(d.nsc, "q", "qq", weight=50)
    add_mapping(d.nsc, "q", "qq", weight=40, cluster="A")
    add_mapping(d.nsc, "q", "qq", weight=30)
    add_mapping(d.nsc, "q", "qq", weight=70, cluster="A")
    assert _mappings(d) == {"q": [("qq", 30, ""), ("qq", 70, "A")]}


@pytest.mark.parametrize(
    ("source", "to", "weight", "message"),
    [
        ("", "b", 0, "from subject is required"),
        (" ", "b", 0, "from subject is required"),
        ("a", "", 0, "to subject is required"),
        ("a", "b", 256, "weight 256 is not in the range 0-255"),
        ("a", "b", -1, "weight -1 is not in the range 0-255"),
    ],
)
def test_add_argument_rules(source: str, to: str, weight: int, message: str) -> None:
    d = deployment()
    with pytest.raises(UsageError, match=message):
        add_mapping(d.nsc, source, to, weight=weight)


@pytest.mark.parametrize(
    ("source", "to", "weight", "message"),
    [
        ("q", "a", 150, 'Mapping "q" has a weight 150 that exceeds 100'),
        ("a b", "b", 0, 'subject "a b" cannot have spaces'),
        ("a", "b..c", 0, 'subject "b..c"'),
    ],
)
def test_mappings_that_do_not_validate(source: str, to: str, weight: int, message: str) -> None:
    d = deployment()
    before = d.account_jwt()
    with pytest.raises(ClaimsError, match=re.escape(f"mapping validation failed: [{message}")):
        add_mapping(d.nsc, source, to, weight=weight)
    assert d.account_jwt() == before


def test_check_mappings_then_the_whole_account() -> None:
    account = AccountClaims(sub=keys.generate("account").public_key, name="A")
    account.nats.mappings = {"a": [WeightedMapping(subject="b")]}
    check_mappings(account)
    account.nats.exports.append(Export(subject="x y", type=STREAM))
    with pytest.raises(ClaimsError) as caught:
        check_mappings(account)
    assert caught.value.message == 'subject "x y" cannot have spaces'


def test_delete_every_entry_or_one() -> None:
    d = deployment()
    for to, cluster in (("a", ""), ("b", ""), ("a", "C"), ("c", "C")):
        add_mapping(d.nsc, "q", to, weight=10, cluster=cluster)
    result = delete_mapping(d.nsc, "q", "a")
    assert [e.text for e in result.report.children] == ["deleted mapping q -> a"]
    assert result.entries == [WeightedMapping(subject="a", weight=10)]
    result = delete_mapping(d.nsc, "q", cluster="C")
    assert [e.text for e in result.report.children] == ['deleted all mapping for q in cluster "C"']
    assert result.report.data["deleted"] == [
        {"to": "a", "weight": 10, "cluster": "C"}, {"to": "c", "weight": 10, "cluster": "C"}
    ]  # fmt: skip
    assert _mappings(d) == {"q": [("b", 10, "")]}
    delete_mapping(d.nsc, "q")
    assert _mappings(d) == {}


def test_delete_what_is_not_there() -> None:
    d = deployment()
    with pytest.raises(UsageError, match="from subject is required"):
        delete_mapping(d.nsc, " ")
    with pytest.raises(NotFoundError, match='account "A" has no mapping for "q"'):
        delete_mapping(d.nsc, "q")
    add_mapping(d.nsc, "q", "a", weight=10, cluster="C")
    with pytest.raises(NotFoundError, match=re.escape(
        'no mapping "q" -> "a" found in account "A"'
    )) as caught:  # fmt: skip
        delete_mapping(d.nsc, "q", "a")
    assert caught.value.hint == 'it is mapped in cluster "C": add --cluster'
    with pytest.raises(NotFoundError, match='no mapping for "q" in cluster "D" found'):
        delete_mapping(d.nsc, "q", cluster="D")
    assert _mappings(d) == {"q": [("a", 10, "C")]}


# Subjects and wildcards nats-server cannot use ---------------------------------------------------

NOT_LAST = 'subject "{}" can have ">" only as its last token'


def _star(source: str, to: str) -> str:
    return (
        f'Mapping "{source}" destination "{to}" cannot contain the token "*" '
        "(refer to a wildcard of the source with {{wildcard(N)}})"
    )


@pytest.mark.parametrize(
    ("source", "to", "message"),
    [
        ("a\tb", "b", 'subject "a\\tb" cannot contain a tab ("\\t")'),
        ("a", "b\nc", 'subject "b\\nc" cannot contain a newline ("\\n")'),
        ("a", "b\rc", 'subject "b\\rc" cannot contain a carriage return ("\\r")'),
        ("a.>.b", "c", NOT_LAST.format("a.>.b")),
        ("a", ">.b", NOT_LAST.format(">.b")),
        ("src", ">", 'Mapping "src" destination ">" can end in ">" only when its source does'),
        ("src", "*", _star("src", "*")),
        ("src", "*.*.>", _star("src", "*.*.>")),
        ("a.*", "b.*", _star("a.*", "b.*")),
        ("a.>", "b", 'Mapping "a.>" destination "b" must end in ">" as its source does'),
    ],
)
def test_subjects_and_wildcards_the_server_cannot_use(source: str, to: str, message: str) -> None:
    """Refused with the arguments (a usage error), before the account is read or written."""
    d = deployment()
    before = d.account_jwt()
    with pytest.raises(UsageError) as caught:
        add_mapping(d.nsc, source, to)
    assert caught.value.message == message
    assert d.account_jwt() == before


@pytest.mark.parametrize(
    ("source", "to"),
    [("a.>", "b.>"), (">", ">"), ("a.*", "b.{{wildcard(1)}}"), ("a.*.*", "b.$2.$1"),
     ("a.*", "b"), ("a", "b*.c>")],
)  # fmt: skip
def test_wildcard_destinations_the_server_maps(source: str, to: str) -> None:
    d = deployment()
    add_mapping(d.nsc, source, to)
    assert _mappings(d) == {source: [(to, 0, "")]}


def test_a_mapping_the_server_cannot_use_blocks_the_account_until_deleted() -> None:
    """An account written elsewhere (Go nsc accepts ``src -> >``) validates with the error,
    refuses other changes, and is mended by deleting the mapping."""
    d = deployment()
    account = claims.decode(d.account_jwt(), AccountClaims)
    account.nats.mappings = {"src": [WeightedMapping(subject=">")]}
    d.nsc.store().write_account("A", claims.encode(account, d.operator))
    gains = 'Mapping "src" destination ">" can end in ">" only when its source does'
    assert [i.description for i in claims.validate(account).errors()] == [gains]
    with pytest.raises(ClaimsError, match=re.escape(f"mapping validation failed: [{gains}]")):
        add_mapping(d.nsc, "x", "y")
    delete_mapping(d.nsc, "src")
    add_mapping(d.nsc, "x", "y")
    assert _mappings(d) == {"x": [("y", 0, "")]}
