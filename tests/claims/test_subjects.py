"""nats-server's subject rules that nats-io/jwt leaves out: :func:`subject_error` and
:func:`mapping_destination_errors` (the claims and actions tests cover where they apply)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from pynsc.claims import ValidationResults
from pynsc.claims.subjects import mapping_destination_errors, subject_error, validate_subject


@pytest.mark.parametrize(
    ("subject", "error"),
    [
        ("a.b", None),
        (">", None),
        ("a.*.>", None),
        ("*", None),
        ("a>.>b.c*", None),  # wildcard characters inside a token are literal
        ("", None),  # Go's rules report an empty subject
        ("a b", None),  # and spaces
        ("a\vb\x00\x1f\x7f", None),  # other control characters: the server takes them
        ("a\tb", 'subject "a\\tb" cannot contain a tab ("\\t")'),
        ("\n", 'subject "\\n" cannot contain a newline ("\\n")'),
        ("a\rb", 'subject "a\\rb" cannot contain a carriage return ("\\r")'),
        ("a\fb", 'subject "a\\fb" cannot contain a form feed ("\\f")'),
        ("x\r\ty", 'subject "x\\r\\ty" cannot contain a carriage return ("\\r")'),  # the first
        (">.a", 'subject ">.a" can have ">" only as its last token'),
        ("a.>.b", 'subject "a.>.b" can have ">" only as its last token'),
        ("a.>.>", 'subject "a.>.>" can have ">" only as its last token'),
        ("a\t.>.b", 'subject "a\\t.>.b" cannot contain a tab ("\\t")'),
    ],
)
def test_subject_error(subject: str, error: str | None) -> None:
    assert subject_error(subject) == error


def test_a_queue_name_is_checked_for_whitespace_only() -> None:
    assert subject_error("q.>.x", queue=True) is None
    assert subject_error("q\tx", queue=True) == 'queue "q\\tx" cannot contain a tab ("\\t")'


def test_validate_subject_reports_every_server_rule_after_go_s() -> None:
    results = ValidationResults()
    validate_subject("a b\n.>.c", results)
    assert [issue.description for issue in results] == [
        'subject "a b\\n.>.c" cannot have spaces',
        'subject "a b\\n.>.c" cannot contain a newline ("\\n")',
        'subject "a b\\n.>.c" can have ">" only as its last token',
    ]
    assert all(issue.blocking for issue in results)


STAR = 'cannot contain the token "*" (refer to a wildcard of the source with {{wildcard(N)}})'


@pytest.mark.parametrize(
    ("source", "destination", "errors"),
    [
        ("a", "b", []),
        ("a.>", "b.>", []),
        (">", ">", []),
        (">", "a.>", []),
        ("a.*", "b.{{wildcard(1)}}", []),
        ("a.*", "b.$1", []),
        ("a.*", "b", []),
        ("a", "b*.>c", []),
        ("", ">", []),  # Go's rules report the empty subject
        ("a", "", []),
        ("a", "*", [f'Mapping "a" destination "*" {STAR}']),
        ("a.*", "*.b", [f'Mapping "a.*" destination "*.b" {STAR}']),
        ("a", ">", ['Mapping "a" destination ">" can end in ">" only when its source does']),
        ("a", "*.*.>", [
            f'Mapping "a" destination "*.*.>" {STAR}',
            'Mapping "a" destination "*.*.>" can end in ">" only when its source does',
        ]),
        ("a.>", "b", ['Mapping "a.>" destination "b" must end in ">" as its source does']),
        (">", "b.*", [
            f'Mapping ">" destination "b.*" {STAR}',
            'Mapping ">" destination "b.*" must end in ">" as its source does',
        ]),
    ],
)  # fmt: skip
def test_mapping_destination_errors(source: str, destination: str, errors: list[str]) -> None:
    assert mapping_destination_errors(source, destination) == errors


def _seconds(check: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        check()
        best = min(best, time.perf_counter() - started)
    return best


def _all_checks(subject: str) -> None:
    subject_error(subject)
    subject_error(subject, queue=True)
    validate_subject(subject, ValidationResults())
    mapping_destination_errors(subject, subject)
    mapping_destination_errors("a", subject)


@pytest.mark.parametrize(
    "unit",
    ["a.", ".>", "\t", "*.", "é ", "a.>.b\r"],
    ids=["dots", "gt", "tab", "star", "utf8", "mix"],
)
def test_linear_in_the_subject(unit: str) -> None:
    """Four times the subject takes at most about four times as long (no backtracking, no
    quadratic scan), and a subject of 100 KB or more well under a second."""
    small = _seconds(lambda: _all_checks(unit * 5_000))
    large = _seconds(lambda: _all_checks(unit * 20_000))
    assert large <= 5 * small + 0.05, (small, large)
    assert large < 1.0
