"""Every parser of user input runs in time linear in its input (issue 9): the time for 4x the
input is at most 5x the time.

Each case grows its input until one call takes long enough to measure (so start-up costs and
timer noise do not dominate), then compares the best of several runs at that size with the best
at a larger size, the garbage collector off. Short mode (``make test``): a 16x larger input
may take at most 80x the time (a quadratic parser takes 256x), best of 3. Long mode
(``PYNSC_RELIABILITY_LONG=1``): the issue's bound, 4x the input in at most 5x the time, best of
7, each ratio printed (``-s``). Fast calls are timed in batches, so even a millisecond compares
well; a call of a few microseconds at the larger size does no work that grows with the input
(it is refused at a glance), and is only reported. A ratio over the bound is measured
again, up to three times, before it fails: a slow moment of a busy machine is not a quadratic
parser, which fails every time.
"""

from __future__ import annotations

import base64
import gc
import math
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import click
import pytest

from pynsc import _json, claims, keys
from pynsc.actions import user_changes
from pynsc.actions.creds import parse_nsc_url
from pynsc.claims import subjects
from pynsc.claims._codec import assemble, go_json
from pynsc.cli import params
from pynsc.cli.jsonpath import parse_field_path
from pynsc.cli.output import one_line
from pynsc.errors import NscError
from pynsc.store.layout import check_name
from pynsc.store.signers import load_key

LONG = os.environ.get("PYNSC_RELIABILITY_LONG", "") not in ("", "0")
GROWTH = 4 if LONG else 16  # how much larger the second input is
BOUND = 5.0 if LONG else 80.0  # at most this many times the time (quadratic: 256x)
REPEAT = 7 if LONG else 3  # best of
MIN_TIME = 0.01 if LONG else 0.002  # seconds one call takes at the smaller size
ATTEMPTS = 3
INSTANT = 20e-6  # seconds: a call this short does no work that grows with its input

FIGURES: list[str] = []


@dataclass(frozen=True)
class Case:
    """``call(make(n))`` for sizes ``n`` from ``start`` up to ``limit``."""

    name: str
    make: Callable[[int], Any]
    call: Callable[[Any], Any]
    start: int = 1_000
    limit: int = 1_000_000


def quiet(parse: Callable[..., Any], *extra: Any) -> Callable[[Any], Any]:
    """``parse(value, *extra)`` with the errors a parser may raise swallowed."""

    def call(value: Any) -> Any:
        try:
            return parse(value, *extra)
        except (NscError, click.UsageError, ValueError):
            return None

    return call


# Inputs ----------------------------------------------------------------------------------------

ACCOUNT = keys.generate("account")
OPERATOR = keys.generate("operator")
USER = keys.generate("user")


def _account_token(exports: int) -> str:
    """A signed account JWT with ``exports`` exports (about 80 bytes each)."""
    body = {
        "jti": "J" * 52, "iat": 1, "iss": OPERATOR.public_key, "name": "A",
        "sub": ACCOUNT.public_key,
        "nats": {"exports": [{"name": f"e{i}", "subject": f"e.{i}.>", "type": "stream"}
                             for i in range(exports)], "type": "account", "version": 2},
    }  # fmt: skip
    return assemble(go_json(body), OPERATOR.sign)


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


HEADER = _b64('{"typ":"JWT","alg":"ed25519-nkey"}')


def _payload_token(payload: str) -> str:
    return f"{HEADER}.{_b64(payload)}.{_b64('x')}"


def _creds(exports: int) -> str:
    return keys.format_creds(_account_token(exports), USER.require_seed())


CASES = [
    # creds and decorated JWTs
    Case("parse_creds: BEGIN runs", lambda n: "-----BEGIN" * n, quiet(keys.parse_creds),
         100, 100_000),
    Case("parse_creds: dash lines", lambda n: "------\n" * n, quiet(keys.parse_creds),
         100, 140_000),
    Case("parse_creds: one dash run", lambda n: "-" * n, quiet(keys.parse_creds),
         1_000, 1_000_000),
    Case("parse_creds: large creds", _creds, quiet(keys.parse_creds), 10, 10_000),
    Case("parse_decorated_seed: seed-like lines", lambda n: "SU\n" * n,
         quiet(keys.parse_decorated_seed), 100, 300_000),
    Case("decode_creds: large creds", _creds, quiet(claims.decode_creds), 10, 10_000),
    # tokens
    Case("decode: account with n exports", _account_token, quiet(claims.decode), 10, 10_000),
    Case("decode_generic: account with n exports", _account_token, quiet(claims.decode_generic),
         10, 10_000),
    Case("decode: dots", lambda n: "." * n, quiet(claims.decode), 1_000, 1_000_000),
    Case("decode: base64 garbage", lambda n: "A" * n + ".B.C", quiet(claims.decode),
         1_000, 1_000_000),
    Case("decode: wide payload", lambda n: _payload_token("[" + "[]," * n + "[]]"),
         quiet(claims.decode), 1_000, 200_000),
    Case("decode: brackets in strings", lambda n: _payload_token('{"a":"' + "[" * n + '"}'),
         quiet(claims.decode), 1_000, 700_000),
    Case("decode: deep payload", lambda n: _payload_token("[" * n), quiet(claims.decode),
         1_000, 700_000),
    Case("json: many short lists", lambda n: "[" + "[1]," * n + "[]]", quiet(_json.loads),
         1_000, 250_000),
    # keys
    Case("keys.parse: long seed-like", lambda n: "SA" + "A" * n, quiet(keys.parse),
         1_000, 1_000_000),
    Case("keys.parse: long key-like", lambda n: "A" * n, quiet(keys.parse), 1_000, 1_000_000),
    Case("load_key: long seed-like", lambda n: "SA" + "A" * n, quiet(load_key), 1_000, 200_000),
    # subjects, CIDRs, times
    Case("subject_error", lambda n: "a." * n + "b", quiet(subjects.subject_error), 1_000, 500_000),
    Case("validate_subject", lambda n: "a." * n + ">",
         quiet(lambda s: subjects.validate_subject(s, claims.ValidationResults())),
         1_000, 500_000),
    Case("is_contained_in", lambda n: "a." * n + "b",
         quiet(lambda s: subjects.is_contained_in(s, s[:-1] + ">")), 1_000, 500_000),
    Case("mapping_destination_errors", lambda n: "a.*." * n + "b",
         quiet(lambda s: subjects.mapping_destination_errors(s, s.replace("*", "$1"))),
         100, 100_000),
    Case("validate_renaming_subject", lambda n: ("$1." * n + "x", "*." * n + "x"),
         quiet(lambda pair: subjects.validate_renaming_subject(*pair, claims.ValidationResults())),
         100, 100_000),
    Case("check_pub_subjects", lambda n: ["a.b"] * n, quiet(user_changes.check_pub_subjects),
         1_000, 300_000),
    Case("check_cidr", lambda n: "1." * n + "/8", quiet(user_changes.check_cidr),
         1_000, 500_000),
    Case("check_cidr: long prefix length", lambda n: "10.0.0.0/" + "1" * n,
         quiet(user_changes.check_cidr), 1_000, 1_000_000),
    Case("check_time_range", lambda n: "0" * n + "-1", quiet(user_changes.check_time_range),
         1_000, 1_000_000),
    Case("check_locale", lambda n: "Europe/" * n, quiet(user_changes.check_locale),
         1_000, 150_000),
    # dates, durations, numbers
    Case("parse_date: long count", lambda n: "1" * n + "m", quiet(params.parse_date, 0),
         1_000, 500_000),
    Case("parse_date: long fraction", lambda n: "2024-05-01T12:00:00." + "1" * n + "Z",
         quiet(params.parse_date, 0), 1_000, 500_000),
    Case("parse_at: long number", lambda n: "1" * n, quiet(params.parse_at, 0), 1_000, 500_000),
    Case("parse_duration: many parts", lambda n: "1s" * n, quiet(params.parse_duration),
         100, 200_000),
    Case("parse_duration: long fraction", lambda n: "1." + "1" * n + "s",
         quiet(params.parse_duration), 1_000, 1_000_000),
    Case("parse_duration: long number", lambda n: "1" * n + "s", quiet(params.parse_duration),
         1_000, 1_000_000),
    Case("parse_number: long", lambda n: "1" * n, quiet(params.parse_number), 1_000, 1_000_000),
    Case("parse_number: leading zeros", lambda n: "0" * n + "1.5" + "0" * n + "k",
         quiet(params.parse_number), 1_000, 500_000),
    Case("go_atoi", lambda n: "1" * n, quiet(subjects.go_atoi), 1_000, 1_000_000),
    # names, URLs, paths, messages
    Case("check_name", lambda n: "a" * n, quiet(check_name, "user"), 1_000, 1_000_000),
    Case("parse_go_url", lambda n: "http://h/" + "%41" * n, quiet(subjects.parse_go_url),
         1_000, 300_000),
    Case("parse_nsc_url", lambda n: "nsc://o?" + "seed=1&" * n, quiet(parse_nsc_url),
         1_000, 150_000),
    Case("describe --field path", lambda n: "a." * n + "b", quiet(parse_field_path), 10, 2_000),
    Case("describe --field indices", lambda n: "a" + "[0]" * n, quiet(parse_field_path),
         10, 1_300),
    Case("one_line", lambda n: "\n" * n, quiet(one_line), 1_000, 1_000_000),
    Case("go_quote", lambda n: "\n\u00e9" * n, quiet(subjects.go_quote), 1_000, 500_000),
]  # fmt: skip


# Measuring -------------------------------------------------------------------------------------


def _batch(call: Callable[[Any], Any], value: Any, number: int) -> float:
    started = time.perf_counter()
    for _ in range(number):
        call(value)
    return time.perf_counter() - started


def _seconds(call: Callable[[Any], Any], value: Any, repeat: int) -> float:
    """Seconds one call takes: the best of ``repeat`` batches, each of as many calls as last
    :data:`MIN_TIME` together (one, for slow calls), the garbage collector off (it is run once
    per case, before measuring)."""
    gc.disable()
    try:
        single = _batch(call, value, 1)
        number = min(10_000, max(1, math.ceil(MIN_TIME / max(single, 1e-7))))
        return min(_batch(call, value, number) for _ in range(repeat)) / number
    finally:
        gc.enable()


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    if LONG and FIGURES:
        print("\nlinear: time for 4x the input / time (bound 5.0)\n  " + "\n  ".join(FIGURES))  # noqa: T201


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_parser_is_linear(case: Case) -> None:
    gc.collect()
    size = case.start
    largest = case.limit // GROWTH
    while size * 2 <= largest and _seconds(case.call, case.make(size), 1) < MIN_TIME:
        size *= 2
    small_input, big_input = case.make(size), case.make(size * GROWTH)
    ratios = []
    for _ in range(ATTEMPTS):
        small = _seconds(case.call, small_input, REPEAT)
        big = _seconds(case.call, big_input, REPEAT)
        if big < INSTANT:  # refused at a glance, whatever the size: nothing grows
            FIGURES.append(f"{case.name}: instant ({big * 1e6:.1f} us at {size * GROWTH})")
            return
        ratios.append(big / small)
        if ratios[-1] <= BOUND:
            break
    FIGURES.append(
        f"{case.name}: {min(ratios):.2f} (n={size}: {small * 1e3:.3f} ms, "
        f"{GROWTH}n: {big * 1e3:.3f} ms)"
    )
    assert min(ratios) <= BOUND, (
        f"{case.name}: {GROWTH}x the input took {min(ratios):.1f}x the time "
        f"(at most {BOUND}x; n={size}, {small * 1e3:.3f} ms)"
    )
