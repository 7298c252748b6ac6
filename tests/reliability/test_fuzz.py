"""Fuzzing every parser of user input (issue 9): whatever it is given, a parser answers, or
raises a pynsc error (an :class:`~pynsc.errors.NscError`; click's usage error where the CLI
parses a flag value; ``ValueError`` where that is the documented contract), within a time bound;
and through the command line, a failing command prints one ``Error:`` line and leaves the
store, the keystore and ``nsc.json`` exactly as they were.

Inputs are random text, text drawn from each parser's own alphabet (so it gets past the first
check), and valid values mutated (a character inserted, dropped or replaced). Tokens are also
built from random JSON, signed by a real key, so the claims decoder and the validator see every
shape a payload can take.

Short mode (``make test``): a few hundred examples in all, derandomized. Long mode
(``PYNSC_RELIABILITY_LONG=1``, ``make test-long``): more than 20,000, random; the figures are
printed (``-s``) at the end.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pynsc import _json, claims, keys
from pynsc.actions import user_changes
from pynsc.actions.accounts import check_trace_subject
from pynsc.actions.creds import parse_nsc_url
from pynsc.actions.exports import check_response_type, parse_sampling
from pynsc.actions.issuer import Issuer
from pynsc.actions.operators import check_account_server_url
from pynsc.claims import subjects
from pynsc.claims._codec import assemble, go_json
from pynsc.cli import params
from pynsc.cli.jsonpath import extract_field
from pynsc.cli.output import one_line
from pynsc.errors import NscError
from pynsc.keys import KeyPair
from pynsc.push.client import check_nats_url
from pynsc.push.load import parse_profile
from pynsc.push.resolver import parse_reply
from pynsc.store import ToolConfig
from pynsc.store.layout import check_name
from pynsc.store.signers import load_key
from tests.cli.conftest import Pynsc
from tests.cli.harness import StoreEnv, tree_digest

LONG = os.environ.get("PYNSC_RELIABILITY_LONG", "") not in ("", "0")
#: Seconds one parser call may take: the inputs are at most a few KB, so anything near this is
#: pathological, not noise.
CALL_BOUND = 1.0
#: Seconds one in-process CLI run may take.
CLI_BOUND = 10.0

COUNTS: Counter[str] = Counter()


def _settings(short: int, long: int) -> settings:
    return settings(
        max_examples=long if LONG else short,
        deadline=None,
        derandomize=not LONG,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    if LONG:
        runs = sum(n for name, n in COUNTS.items() if name.startswith("cli "))
        calls = sum(COUNTS.values()) - runs
        lines = [f"{name}: {count}" for name, count in sorted(COUNTS.items())]
        print(  # noqa: T201
            f"\nfuzz: {calls} parser calls and {runs} CLI runs, none raised anything but a "
            "pynsc error\n  " + "\n  ".join(lines)
        )


def check(
    name: str,
    parse: Callable[..., Any],
    *args: Any,
    allowed: tuple[type[BaseException], ...] = (),
) -> Any:
    """``parse(*args)``: its result, or ``None`` when it raised an allowed error (an
    :class:`NscError`, or one of ``allowed``); any other exception propagates and fails the
    test. The call must return within :data:`CALL_BOUND`."""
    started = time.perf_counter()
    try:
        result = parse(*args)
    except (NscError, *allowed):
        result = None
    elapsed = time.perf_counter() - started
    COUNTS[name] += 1
    assert elapsed < CALL_BOUND, f"{name} took {elapsed:.2f}s on {args!r:.200}"
    return result


# Strategies --------------------------------------------------------------------------------------

ANY_CHAR = st.characters(exclude_categories=())  # surrogates and controls included
any_text = st.text(ANY_CHAR, max_size=80)
ASCII = st.characters(min_codepoint=0, max_codepoint=127)


def alphabet_text(alphabet: str, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text mostly of ``alphabet``, now and then anything."""
    return st.text(st.sampled_from(alphabet) | ANY_CHAR, max_size=max_size).filter(
        lambda _: True
    ) | st.text(st.sampled_from(alphabet), max_size=max_size)


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[str]) -> str:
    """A valid value with a few characters inserted, dropped or replaced."""
    text = draw(valid)
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "drop", "replace"]))
        char = draw(ANY_CHAR | st.sampled_from("A2Sx.-=*> \n"))
        if edit == "insert":
            text = text[:position] + char + text[position:]
        elif edit == "drop":
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + char + text[position + 1 :]
    return text


def long_runs(alphabet: str, valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid value with a run of hundreds or thousands of one character of ``alphabet``
    spliced in (a 5,000-digit number made Python's ``int()`` raise ``ValueError``)."""

    def splice(text: str, char: str, count: int, where: int) -> str:
        where = min(where, len(text))
        return text[:where] + char * count + text[where:]

    return st.builds(
        splice, valid, st.sampled_from(alphabet), st.integers(100, 6000), st.integers(0, 40)
    )


def fuzzed(alphabet: str, valid: st.SearchStrategy[str], max_size: int = 40) -> Any:
    return (
        any_text | alphabet_text(alphabet, max_size) | mutated(valid) | long_runs(alphabet, valid)
    )


# Keys

KEYS = {kind: keys.generate(kind) for kind in ("operator", "account", "user", "curve")}
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
valid_keys = st.sampled_from(
    [k.public_key for k in KEYS.values()] + [k.require_seed() for k in KEYS.values()]
)
key_text = fuzzed(B32 + "S", valid_keys, max_size=60) | st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["S", "SA", "SU", "SO", "A", "U", "O", "X", ""]),
    st.text(st.sampled_from(B32), min_size=50, max_size=60),
)

# Subjects

SUBJECT_CHARS = "ab.*>$0123 \t\n\r\f{}()_-,"
valid_subjects = st.sampled_from(
    ["a", "a.b", "a.*", "a.>", ">", "*.b", "a.$1", "$2.x", "q.{{wildcard(1)}}"]
)
subject_text = fuzzed(SUBJECT_CHARS, valid_subjects)

# Times, numbers

DATE_CHARS = "0123456789-:TZz +.mhdwMy UTC"
valid_dates = st.sampled_from(
    ["0", "2024-05-01", "2024-05-01 12:00:00 UTC", "2024-05-01T12:00:00Z",
     "2024-05-01T12:00:00.5+02:00", "3d", "-1w", "2M", "90m", "1y"]
)  # fmt: skip
date_text = fuzzed(DATE_CHARS, valid_dates)
DURATION_CHARS = "0123456789.+-nsuµμmh"
valid_durations = st.sampled_from(["2ms", "1h30m", "1.5s", "-3us", "0", ".5m", "1µs"])
duration_text = fuzzed(DURATION_CHARS, valid_durations)
NUMBER_CHARS = "0123456789.+- kmgtibKMGTIB"
valid_numbers = st.sampled_from(["-1", "1000", "10k", "1MiB", "1.5k", "2 gb", "0"])
number_text = fuzzed(NUMBER_CHARS, valid_numbers)
CLOCK_CHARS = "0123456789:-.,"
valid_clocks = st.sampled_from(["09:00:00", "9:00:00-17:30:00", "23:59:59.5", "00:00:00"])
clock_text = fuzzed(CLOCK_CHARS, valid_clocks)
CIDR_CHARS = "0123456789abcdef.:/%"
valid_cidrs = st.sampled_from(["10.0.0.0/8", "192.168.1.1/32", "::1/128", "fe80::/10"])
cidr_text = fuzzed(CIDR_CHARS, valid_cidrs)
ZONE_CHARS = "AmericaNew_York/UTC.+-0123456789"
valid_zones = st.sampled_from(["UTC", "Local", "America/New_York", "Europe/Paris", ""])
zone_text = fuzzed(ZONE_CHARS, valid_zones)
URL_CHARS = "htps:/nat.lochs@[]%25:4222?#"
valid_urls = st.sampled_from(
    ["nats://localhost:4222", "https://h/jwt/v1", "tls://[::1]:4222", "nsc://op/acct/user?x=y",
     "nsc://synadia?secret=SA&user=u", "http://u:p@h:80/p?q#f"]
)  # fmt: skip
url_text = fuzzed(URL_CHARS, valid_urls)
name_text = fuzzed("abc./\\ \x00é", st.sampled_from(["alice", "A", "my-user", "üser"]))

# JSON and tokens

FIELD_NAMES = [
    "jti", "iat", "iss", "sub", "name", "exp", "nbf", "aud", "nats", "type", "version", "tags",
    "limits", "exports", "imports", "signing_keys", "pub", "allow", "deny", "resp", "src",
    "times", "times_location", "locale", "bearer_token", "allowed_connection_types",
    "issuer_account", "subject", "kind", "token_req", "revocations", "mappings",
    "authorization", "auth_users", "allowed_accounts", "xkey", "tiered_limits", "subs", "data",
    "payload", "conn", "leaf", "wildcards", "disallow_bearer", "default_permissions", "trace",
    "dest", "sampling", "description", "info_url", "account_token_position", "response_type",
    "response_threshold", "service_latency", "results", "operator_service_urls",
    "account_server_url", "system_account", "strict_signing_key_usage",
    "assert_server_version", "max", "start", "end", "weight", "cluster", "key", "role",
    "template", "scope", "mem_storage", "disk_storage", "streams", "consumer", "to",
    "local_subject", "account", "share", "allow_trace", "expires", "activation",
    "mem_max_stream_bytes", "disk_max_stream_bytes", "max_bytes_required", "max_ack_pending",
    "cluster_traffic", "server_id", "client_info", "connect_opts", "user_nkey", "jwt",
]  # fmt: skip
CLAIM_TYPES = ["operator", "account", "user", "activation", "generic", "authorization_request",
               "authorization_response", "cluster", "server", ""]  # fmt: skip
json_key = st.sampled_from(FIELD_NAMES) | st.text(max_size=6)
json_scalar = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(ANY_CHAR, max_size=12)
    | valid_keys | valid_subjects
)  # fmt: skip
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_key, inner, max_size=6),
    max_leaves=24,
)


@st.composite
def payloads(draw: st.DrawFn) -> tuple[dict[str, Any], KeyPair]:
    """A claims payload: registered claims, and a ``nats`` object of a claim type and version
    with random fields; signed by an operator, account or user key."""
    issuer = KEYS[draw(st.sampled_from(["operator", "account", "user"]))]
    nats: dict[str, Any] = draw(st.dictionaries(json_key, json_value, max_size=6))
    nats["type"] = draw(st.sampled_from(CLAIM_TYPES) | st.text(max_size=5))
    nats["version"] = draw(st.sampled_from([2, 2, 2, 1, 3, 0, "2", None]))
    body: dict[str, Any] = draw(st.dictionaries(json_key, json_scalar, max_size=4))
    body.update(
        jti=draw(st.text(B32, max_size=52)),
        iat=draw(st.integers(-(2**40), 2**40)),
        iss=issuer.public_key if draw(st.booleans()) else draw(key_text),
        sub=draw(valid_keys | key_text),
        name=draw(st.text(max_size=10)),
        nats=nats,
    )
    if draw(st.booleans()):
        body["exp"] = draw(st.integers(-(2**40), 2**40))
    return body, issuer


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@st.composite
def signed_tokens(draw: st.DrawFn) -> str:
    body, issuer = draw(payloads())
    payload = go_json(body)
    if draw(st.integers(0, 9)) == 0:  # a v1 token: ed25519 over the payload alone
        header = _b64(b'{"typ":"JWT","alg":"ed25519"}')
        return f"{header}.{_b64(payload)}.{_b64(issuer.sign(_b64(payload).encode()))}"
    return assemble(payload, issuer.sign)


@st.composite
def raw_tokens(draw: st.DrawFn) -> str:
    """Three chunks of random JSON (or anything), base64url-encoded or not."""
    chunks = []
    for _ in range(3):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            chunks.append(_b64(go_json(draw(json_value))))
        elif kind == 1:
            chunks.append(_b64(draw(st.binary(max_size=40))))
        elif kind == 2:
            chunks.append(_b64(b'{"typ":"JWT","alg":"ed25519-nkey"}'))
        else:
            chunks.append(draw(st.text(ANY_CHAR, max_size=20)))
    return draw(st.sampled_from([".", ".", "..", ""])).join(chunks)


# Realistic payloads, every section filled in: mutated at a few places, then signed by their
# issuer, they mostly decode, so the validator and ``describe`` see odd values in every field.
OPERATOR_SK = keys.generate("operator")
ACCOUNT_SK = keys.generate("account")
OTHER_ACCOUNT = keys.generate("account")
_USER_LIMITS = {
    "pub": {"allow": ["a.>", "b"], "deny": ["a.x"]}, "sub": {"allow": ["c q"], "deny": ["d"]},
    "resp": {"max": 1, "ttl": 1_000_000}, "src": ["10.0.0.0/8", "::1/128"],
    "times": [{"start": "09:00:00", "end": "17:00:00"}], "times_location": "Europe/Paris",
    "subs": 10, "data": 1024, "payload": 512, "bearer_token": False,
    "allowed_connection_types": ["STANDARD", "WEBSOCKET"],
}  # fmt: skip
TEMPLATES: list[tuple[dict[str, Any], KeyPair]] = [
    ({"name": "O", "sub": KEYS["operator"].public_key, "exp": 2_000_000_000, "nbf": 1,
      "nats": {"signing_keys": [OPERATOR_SK.public_key], "account_server_url": "http://h:9090",
               "operator_service_urls": ["nats://h:4222", "tls://h:4223"],
               "system_account": KEYS["account"].public_key, "strict_signing_key_usage": True,
               "assert_server_version": "2.10.0", "tags": ["t"], "type": "operator",
               "version": 2}}, KEYS["operator"]),
    ({"name": "A", "sub": KEYS["account"].public_key,
      "nats": {"limits": {"subs": -1, "data": -1, "payload": -1, "imports": 5, "exports": 5,
                          "wildcards": True, "conn": 10, "leaf": -1,
                          "tiered_limits": {"R1": {"mem_storage": 1, "disk_storage": 2}}},
               "exports": [{"name": "s", "subject": "s.*.>", "type": "stream", "token_req": True,
                            "revocations": {OTHER_ACCOUNT.public_key: 5},
                            "account_token_position": 2, "description": "d",
                            "info_url": "https://i"},
                           {"name": "svc", "subject": "svc.*", "type": "service",
                            "response_type": "Stream", "response_threshold": 1_000_000,
                            "service_latency": {"sampling": 50, "results": "lat.r"},
                            "allow_trace": True}],
               "imports": [{"name": "i", "subject": "x.>", "account": OTHER_ACCOUNT.public_key,
                            "type": "stream", "local_subject": "y.>"},
                           {"name": "j", "subject": "q.*", "account": OTHER_ACCOUNT.public_key,
                            "type": "service", "local_subject": "r.$1", "share": True}],
               "signing_keys": [ACCOUNT_SK.public_key,
                                {"kind": "user_scope", "key": KEYS["account"].public_key,
                                 "role": "r", "template": _USER_LIMITS, "description": ""}],
               "revocations": {KEYS["user"].public_key: 100, "*": 5},
               "mappings": {"m.*": [{"subject": "n.$1", "weight": 40},
                                    {"subject": "o.{{wildcard(1)}}", "weight": 60,
                                     "cluster": "c"}]},
               "authorization": {"auth_users": [KEYS["user"].public_key], "allowed_accounts": ["*"],
                                 "xkey": KEYS["curve"].public_key},
               "default_permissions": {"pub": {"allow": ["p"]}, "sub": {"deny": ["q"]}},
               "trace": {"dest": "t.x", "sampling": 50},
               "tags": ["a:b"], "description": "acct", "info_url": "https://x",
               "type": "account", "version": 2}}, KEYS["operator"]),
    ({"name": "U", "sub": KEYS["user"].public_key, "exp": 1_900_000_000,
      "nats": {**_USER_LIMITS, "issuer_account": KEYS["account"].public_key, "tags": ["x"],
               "type": "user", "version": 2}}, ACCOUNT_SK),
    ({"name": "act", "sub": OTHER_ACCOUNT.public_key,
      "nats": {"subject": "s.>", "kind": "stream", "issuer_account": KEYS["account"].public_key,
               "type": "activation", "version": 2}}, ACCOUNT_SK),
]  # fmt: skip


def _leaf_value(draw: st.DrawFn, old: Any) -> Any:
    if draw(st.integers(0, 4)) == 0:
        return draw(json_value)  # any type: often a decode error
    if isinstance(old, bool):
        return draw(st.booleans())
    if isinstance(old, int):
        return draw(st.integers(-(2**64), 2**64) | st.sampled_from([0, -1, 1, 2**63 - 1]))
    if isinstance(old, str):
        return draw(
            subject_text | key_text | url_text | clock_text | zone_text | cidr_text | any_text
        )
    return draw(json_value)


@st.composite
def mutated_claims(draw: st.DrawFn) -> str:
    """A realistic payload with one to four values replaced, signed by its issuer."""
    import copy

    template, issuer = draw(st.sampled_from(TEMPLATES))
    body = copy.deepcopy(template)
    body.update(jti="J" * 52, iat=1_700_000_000, iss=issuer.public_key)
    for _ in range(draw(st.integers(1, 4))):
        node: Any = body
        while True:
            children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
            if not children:
                break
            key, child = draw(st.sampled_from(children))
            if isinstance(child, (dict, list)) and child and draw(st.integers(0, 3)):
                node = child
                continue
            node[key] = _leaf_value(draw, child)
            break
    return assemble(go_json(body), issuer.sign)


tokens = (
    signed_tokens() | raw_tokens() | mutated(signed_tokens()) | any_text
    | mutated_claims() | mutated_claims()
)  # fmt: skip

CREDS_PIECES = [
    "-----BEGIN NATS USER JWT-----\n", "------END NATS USER JWT------\n", "\n", "\r\n", "---",
    "-----BEGIN USER NKEY SEED-----\n", "------END USER NKEY SEED------\n", "*" * 10, " ",
    "a.b.c\n", "é", KEYS["user"].require_seed() + "\n", KEYS["account"].require_seed() + "\n",
]  # fmt: skip


@st.composite
def creds_texts(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return "".join(draw(st.lists(st.sampled_from(CREDS_PIECES), max_size=12)))
    if kind == 1:
        token = draw(signed_tokens() | raw_tokens())
        return keys.format_creds(token, KEYS["user"].require_seed())
    if kind == 2:
        token = draw(signed_tokens())
        return draw(mutated(st.just(keys.format_creds(token, KEYS["user"].require_seed()))))
    return draw(any_text)


# The library's parsers --------------------------------------------------------------------------


@_settings(short=40, long=4000)
@given(token=tokens)
def test_tokens(token: str) -> None:
    decoded = check("decode_token", claims.decode_token, token)
    check("decode", claims.decode, token)
    check("decode(expected)", claims.decode, token, claims.AccountClaims)
    check("decode_generic", claims.decode_generic, token)
    check("decode_unverified", claims.decode_unverified, token, claims.UserClaims)
    check("peek", claims.peek, token)
    if decoded is not None:
        check("validate", claims.validate, decoded.claims, 0)
        check("describe --field", extract_field, decoded.payload, "nats.limits.subs")


@_settings(short=25, long=2500)
@given(text=creds_texts())
def test_creds(text: str) -> None:
    check("parse_creds", keys.parse_creds, text)
    check("decode_creds", claims.decode_creds, text)
    check("parse_decorated_jwt", keys.parse_decorated_jwt, text)
    check("parse_decorated_seed", keys.parse_decorated_seed, text)


@_settings(short=30, long=3000)
@given(text=key_text)
def test_keys(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # load_key reads a file when the value is no key
    pair = check("parse", keys.parse, text)
    check("from_seed", keys.from_seed, text)
    check("from_public_key", keys.from_public_key, text)
    check("kind_of", keys.kind_of, text)
    found = check("is_public_key", keys.is_public_key, text)
    assert found in (True, False)
    assert found == (pair is not None and pair.seed is None and text == pair.public_key)
    if "/" not in text and "~" not in text and not text.startswith("."):
        check("load_key", load_key, text)
    check("Issuer.from_seed", Issuer.from_seed, text)
    if pair is not None:  # only the exact text is a key: no other spelling of it
        assert text.strip() in (pair.public_key, pair.seed)


@_settings(short=30, long=3000)
@given(subject=subject_text, other=subject_text)
def test_subjects(subject: str, other: str) -> None:
    results = claims.ValidationResults()
    check("validate_subject", subjects.validate_subject, subject, results)
    check("subject_error", subjects.subject_error, subject)
    check("has_wildcards", subjects.has_wildcards, subject)
    check("is_contained_in", subjects.is_contained_in, subject, other)
    check("renaming_to_subject", subjects.renaming_to_subject, subject)
    check("validate_renaming_subject", subjects.validate_renaming_subject, subject, other,
          claims.ValidationResults())  # fmt: skip
    check("mapping_destination_errors", subjects.mapping_destination_errors, subject, other)
    check("check_pub_subjects", user_changes.check_pub_subjects, [subject])
    check("check_sub_subjects", user_changes.check_sub_subjects, [subject])
    check("check_trace_subject", check_trace_subject, subject)


@_settings(short=30, long=2500)
@given(date=date_text, clock=clock_text, zone=zone_text)
def test_times(date: str, clock: str, zone: str) -> None:
    usage = (click.UsageError,)
    for now in (0, 1_700_000_000):
        unix = check("parse_date", params.parse_date, date, now, allowed=usage)
        assert unix is None or -(2**63) <= unix < 2**63
        check("parse_at", params.parse_at, date, now, allowed=usage)
    check("parse_go_time", subjects.parse_go_time, clock)
    check("check_time_range", user_changes.check_time_range, clock)
    check("time_zone_error", subjects.time_zone_error, zone)
    check("check_locale", user_changes.check_locale, zone)


@_settings(short=30, long=2500)
@given(number=number_text, duration=duration_text)
def test_numbers(number: str, duration: str) -> None:
    usage = (click.UsageError,)
    value = check("parse_number", params.parse_number, number, allowed=usage)
    assert value is None or -(2**63) <= value < 2**63
    nanoseconds = check("parse_duration", params.parse_duration, duration, allowed=usage)
    assert nanoseconds is None or -(2**63) <= nanoseconds < 2**63
    check("go_atoi", subjects.go_atoi, number)
    check("parse_sampling", parse_sampling, number)
    check("check_response_type", check_response_type, number)


@_settings(short=25, long=2000)
@given(cidr=cidr_text, name=name_text)
def test_cidrs_and_names(cidr: str, name: str) -> None:
    assert check("is_valid_cidr", subjects.is_valid_cidr, cidr) in (True, False)
    check("check_cidr", user_changes.check_cidr, cidr)
    check("check_connection_type", user_changes.check_connection_type, name)
    checked = check("check_name", check_name, name, "user")
    if checked is not None:
        checked.encode("utf-8")  # valid UTF-8: no lone surrogate
        assert "/" not in checked
        assert "\0" not in checked


@_settings(short=25, long=2000)
@given(url=url_text)
def test_urls(url: str) -> None:
    check("parse_go_url", subjects.parse_go_url, url, allowed=(subjects.GoURLError,))
    check("check_account_server_url", check_account_server_url, url)
    check("parse_nsc_url", parse_nsc_url, url)
    check("parse_profile", parse_profile, url)
    check("check_nats_url", check_nats_url, url)


@_settings(short=25, long=2000)
@given(value=json_value, text=any_text)
def test_json_documents(value: Any, text: str, tmp_path: Path) -> None:
    data = go_json(value)
    for raw in (data, data[: len(data) // 2], text.encode("utf-8", "surrogatepass")):
        check("_json.loads", _json.loads, raw, allowed=(ValueError,))
        check("parse_reply", parse_reply, raw)
        path = tmp_path / "nsc.json"
        path.write_bytes(raw)
        assert isinstance(check("ToolConfig.load", ToolConfig.load, path), ToolConfig)
    check("describe --field", extract_field, value, text)


@_settings(short=10, long=500)
@given(text=any_text)
def test_messages_stay_on_one_line(text: str) -> None:
    line = check("one_line", one_line, text)
    assert "\n" not in line
    assert "\r" not in line
    assert "\x1b" not in line
    line.encode("utf-8")  # printable: no lone surrogate left


# Through the command line ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store to copy for each run: operator ``O`` with a signing key, accounts ``A``
    (private export ``p.>``, a signing key, user ``u``) and ``B``."""
    home = tmp_path_factory.mktemp("fuzz") / "nsc"
    home.mkdir()
    env = StoreEnv.create(home, Pynsc(), accounts=("A", "B"))
    env.add_export("A", "p.>", private=True)
    env.add_signing_key("A")
    env.add_operator_signing_key()
    env.add_user("A", "u")
    env.select("A")
    return home


def _file(directory: Path, name: str, text: str) -> str:
    path = directory / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return str(path)


# (strategy of the fuzzed value, command made from it and a scratch directory)
CLI_CASES: list[tuple[str, Any, Callable[[str, Path], list[str]]]] = [
    ("add user NAME", name_text, lambda v, d: ["add", "user", v]),
    ("add account NAME", name_text, lambda v, d: ["add", "account", v]),
    ("add user --allow-pub", subject_text, lambda v, d: ["add", "user", "x", "--allow-pub", v]),
    ("add user --allow-sub", subject_text, lambda v, d: ["add", "user", "x", "--allow-sub", v]),
    ("add export -s", subject_text, lambda v, d: ["add", "export", "-s", v]),
    ("add mapping --to", subject_text, lambda v, d: ["add", "mapping", "-f", "m.*", "-t", v]),
    ("add import --remote-subject", subject_text,
     lambda v, d: ["add", "import", "-a", "B", "--src-account", "A", "--remote-subject", v]),
    ("edit account --trace-context-subject", subject_text,
     lambda v, d: ["edit", "account", "A", "--trace-context-subject", v]),
    ("add user --source-network", cidr_text,
     lambda v, d: ["add", "user", "x", "--source-network", v]),
    ("edit user --time", clock_text, lambda v, d: ["edit", "user", "u", "--time", v]),
    ("edit user --locale", zone_text, lambda v, d: ["edit", "user", "u", "--locale", v]),
    ("add user --expiry", date_text, lambda v, d: ["add", "user", "x", "--expiry", v]),
    ("edit account --conns", number_text, lambda v, d: ["edit", "account", "A", "--conns", v]),
    ("edit account --data", number_text, lambda v, d: ["edit", "account", "A", "--data", v]),
    ("add export --response-threshold", duration_text,
     lambda v, d: ["add", "export", "-s", "svc.x", "--service", "--response-threshold", v]),
    ("revocations add-user --at", date_text,
     lambda v, d: ["revocations", "add-user", "-u", "*", "--at", v]),
    ("-K", key_text, lambda v, d: ["add", "user", "x", "-K", v]),
    ("add user -k", key_text, lambda v, d: ["add", "user", "x", "-k", v]),
    ("edit operator --sk", key_text, lambda v, d: ["edit", "operator", "--sk", v]),
    ("generate activation -t", key_text,
     lambda v, d: ["generate", "activation", "-s", "p.>", "-t", v]),
    ("revocations add-user -u", key_text, lambda v, d: ["revocations", "add-user", "-u", v]),
    ("describe account --field", any_text,
     lambda v, d: ["describe", "account", "A", "--field", v]),
    ("describe jwt -f", tokens, lambda v, d: ["describe", "jwt", "-f", _file(d, "t.jwt", v)]),
    ("describe jwt -f creds", creds_texts(),
     lambda v, d: ["describe", "jwt", "-f", _file(d, "u.creds", v)]),
    ("import user --file", creds_texts(),
     lambda v, d: ["import", "user", "--file", _file(d, "u.creds", v)]),
    ("validate -f", tokens, lambda v, d: ["validate", "-f", _file(d, "all.jwt", v)]),
    ("add import --token", tokens,
     lambda v, d: ["add", "import", "-a", "B", "--token", _file(d, "act.jwt", v)]),
]  # fmt: skip


@st.composite
def cli_runs(draw: st.DrawFn) -> tuple[str, Any, Callable[[str, Path], list[str]]]:
    index = draw(st.integers(0, len(CLI_CASES) - 1))
    name, values, make = CLI_CASES[index]
    return name, draw(values), make


UNEXPECTED = re.compile(r"Error: unexpected [A-Za-z_.]+: ")


def _check_failure(result: Any, args: list[str]) -> None:
    lines = result.stderr.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("Error: ")]
    assert len(errors) == 1, (args, result.stderr)
    assert all(line.startswith("Hint: ") for line in lines[errors[0] + 1 :]), result.stderr
    # how the CLI reports an exception that is no pynsc error: "unexpected ValueError: …"
    assert not UNEXPECTED.match(lines[errors[0]]), (args, result.stderr)
    assert "\r" not in result.stderr
    assert "\x1b" not in result.stderr


@_settings(short=80, long=2500)
@given(run=cli_runs())
def test_cli(run: tuple[str, Any, Callable[[str, Path], list[str]]], pristine: Path) -> None:
    name, value, make = run
    scratch = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        home = scratch / "nsc"
        shutil.copytree(pristine, home)
        args = make(value, scratch)
        before = tree_digest(home)
        started = time.perf_counter()
        result = Pynsc()("-H", str(home), *args)
        elapsed = time.perf_counter() - started
        COUNTS[f"cli {name}"] += 1
        assert elapsed < CLI_BOUND, f"{args!r:.200} took {elapsed:.1f}s"
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
        assert "Traceback" not in result.stderr
        if result.exit_code != 0:
            _check_failure(result, args)
            assert tree_digest(home) == before, f"{args!r:.200} failed and changed the store"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
