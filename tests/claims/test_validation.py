"""Validation: every rule and message of nats-io/jwt v2 ``Validate``, with Go's issue order."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pynsc.claims import (
    Account,
    AccountClaims,
    Activation,
    ActivationClaims,
    AuthorizationRequest,
    AuthorizationRequestClaims,
    AuthorizationResponse,
    AuthorizationResponseClaims,
    ClaimsData,
    Export,
    ExternalAuthorization,
    GenericClaims,
    Import,
    JetStreamLimits,
    MsgTrace,
    Operator,
    OperatorClaims,
    OperatorLimits,
    Permission,
    Permissions,
    ResponsePermission,
    ServiceLatency,
    TimeRange,
    User,
    UserClaims,
    UserPermissionLimits,
    UserScope,
    ValidationIssue,
    ValidationResults,
    WeightedMapping,
    decode,
    encode,
    validate,
)
from pynsc.claims.subjects import (
    GoURLError,
    go_atoi,
    go_quote,
    has_wildcards,
    is_contained_in,
    is_valid_cidr,
    is_valid_time_zone,
    parse_go_time,
    parse_go_url,
    renaming_to_subject,
)
from pynsc.claims.validation import operator_service_url_error, server_version_error
from pynsc.keys import KeyPair, generate
from tests.conftest import GO_FIXTURES

NOW = 1_800_000_000

OPERATOR = generate("operator")
OPERATOR_SK = generate("operator")
ACCOUNT = generate("account")
EXPORTER = generate("account")
EXPORTER_SK = generate("account")
OTHER_ACCOUNT = generate("account")
USER = generate("user")
SERVER = generate("server")
CURVE = generate("curve")

OP = OPERATOR.public_key
A = ACCOUNT.public_key
EXP = EXPORTER.public_key
A2 = OTHER_ACCOUNT.public_key
U = USER.public_key
N = SERVER.public_key
X = CURVE.public_key

ZERO_LIMITS: dict[str, Any] = {
    "subs": 0, "data": 0, "payload": 0, "imports": 0, "exports": 0, "wildcards": False,
    "conn": 0, "leaf": 0,
}

Issue = tuple[str, str]  # (description, "E" error | "W" warning | "T" time check)


def kinds(results: ValidationResults) -> list[Issue]:
    out = []
    for issue in results:
        assert not (issue.blocking and issue.time_check)
        kind = "E" if issue.blocking else "T" if issue.time_check else "W"
        out.append((issue.description, kind))
    return out


def E(description: str) -> Issue:
    return (description, "E")


def W(description: str) -> Issue:
    return (description, "W")


def T(description: str) -> Issue:
    return (description, "T")


# Claim builders ----------------------------------------------------------------------------------


def account(**nats: Any) -> AccountClaims:
    return AccountClaims(sub=A, nats=Account(**nats))


def user(**nats: Any) -> UserClaims:
    return UserClaims(sub=U, nats=User(**nats))


def operator(**nats: Any) -> OperatorClaims:
    return OperatorClaims(sub=OP, iss=OP, nats=Operator(**nats))


def stream(subject: str = "x.y", **fields: Any) -> Export:
    return Export(subject=subject, type="stream", **fields)


def service(subject: str = "svc.a", **fields: Any) -> Export:
    return Export(subject=subject, type="service", **fields)


def imp(subject: str = "x.y", **fields: Any) -> Import:
    values: dict[str, Any] = {"account": EXP, "type": "stream", **fields}
    return Import(subject=subject, **values)


def activation(
    subject: str = "x.>",
    kind: str = "stream",
    *,
    sub: str = A,
    signer: KeyPair = EXPORTER,
    **fields: Any,
) -> str:
    claims = ActivationClaims(sub=sub, nats=Activation(subject=subject, kind=kind, **fields))
    return encode(claims, signer, iat=NOW - 100)


def activation_with(signer: KeyPair = EXPORTER, **registered: Any) -> str:
    claims = ActivationClaims(
        sub=A, nats=Activation(subject="x.>", kind="stream"), **registered
    )
    return encode(claims, signer, iat=NOW - 100)


def mapping(*targets: WeightedMapping, source: str = "m") -> AccountClaims:
    return account(mappings={source: list(targets)})


# Defaults validate clean -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        pytest.param(lambda: AccountClaims(sub=A), [], id="account-new"),
        pytest.param(lambda: AccountClaims(sub=A, iss=OP), [], id="account-operator-signed"),
        pytest.param(
            lambda: AccountClaims(sub=A, iss=A),
            [W("self-signed account JWTs shouldn't contain operator limits")],
            id="account-self-signed",
        ),
        pytest.param(
            lambda: AccountClaims(sub=A, iss=A, nats=Account(limits=OperatorLimits(**ZERO_LIMITS))),
            [],
            id="account-self-signed-zero-limits",
        ),
        pytest.param(lambda: UserClaims(sub=U, iss=A), [], id="user-new"),
        pytest.param(lambda: OperatorClaims(sub=OP, iss=OP), [], id="operator-new"),
        pytest.param(
            lambda: ActivationClaims(sub=A, nats=Activation(subject="x.>", kind="stream")),
            [],
            id="activation",
        ),
        pytest.param(lambda: GenericClaims(sub=A, nats={"anything": [1, 2]}), [], id="generic"),
        pytest.param(lambda: ClaimsData(sub=A), [], id="bare-claims-data"),
    ],
)
def test_defaults(build: Callable[[], ClaimsData], expected: list[Issue]) -> None:
    assert kinds(validate(build(), now=NOW)) == expected


# Time checks -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("registered", "expected"),
    [
        pytest.param({"exp": NOW - 1}, [T("claim is expired")], id="expired"),
        pytest.param({"exp": NOW}, [], id="expires-now-is-still-valid"),
        pytest.param({"exp": NOW + 1}, [], id="expires-later"),
        pytest.param({"nbf": NOW + 1}, [T("claim is not yet valid")], id="not-yet-valid"),
        pytest.param({"nbf": NOW}, [], id="valid-from-now"),
        pytest.param(
            {"exp": NOW - 1, "nbf": NOW + 1},
            [T("claim is expired"), T("claim is not yet valid")],
            id="both",
        ),
    ],
)
@pytest.mark.parametrize(
    "cls",
    [UserClaims, AccountClaims, OperatorClaims, ActivationClaims, GenericClaims],
)
def test_time_checks(
    cls: type[ClaimsData], registered: dict[str, Any], expected: list[Issue]
) -> None:
    claims: ClaimsData = cls(sub=A, **registered)
    if isinstance(claims, ActivationClaims):
        claims.nats.subject, claims.nats.kind = "x", "stream"
    results = validate(claims, now=NOW)
    assert kinds(results) == expected
    assert not results.is_blocking(False)
    assert results.is_blocking(True) is bool(expected)


def test_time_checks_default_to_the_clock() -> None:
    assert kinds(validate(UserClaims(sub=U, exp=1))) == [T("claim is expired")]
    assert kinds(validate(UserClaims(sub=U, nbf=4_000_000_000))) == [T("claim is not yet valid")]


# Results -----------------------------------------------------------------------------------------


def test_results_model() -> None:
    results = ValidationResults()
    assert results.is_empty()
    assert not results.is_blocking(True)
    results.add_warning("w")
    results.add_time_check("t")
    assert not results.is_blocking(False)
    assert results.is_blocking(True)
    results.add_error("e")
    assert results.is_blocking(False)
    assert len(results) == 3
    assert [i.description for i in results] == ["w", "t", "e"]
    assert results.errors() == [ValidationIssue("e", blocking=True)]
    assert results.warnings() == [
        ValidationIssue("w"),
        ValidationIssue("t", time_check=True),
    ]
    assert results.time_checks() == [ValidationIssue("t", time_check=True)]
    assert not results.is_empty()
    assert str(results.issues[0]) == "w"


# Subjects and permissions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        pytest.param("", [E("subject cannot be empty")], id="empty"),
        pytest.param("a b", [E('subject "a b" cannot have spaces')], id="space"),
        pytest.param(".a", [E('subject ".a" cannot start or end with a `.`')], id="leading-dot"),
        pytest.param("a.", [E('subject "a." cannot start or end with a `.`')], id="trailing-dot"),
        pytest.param("a..b", [E('subject "a..b" cannot contain consecutive `.`')], id="double-dot"),
        pytest.param(
            ". .. ",
            [
                E('subject ". .. " cannot have spaces'),
                E('subject ". .. " cannot start or end with a `.`'),
                E('subject ". .. " cannot contain consecutive `.`'),
            ],
            id="all-at-once",
        ),
        pytest.param(
            "foo.>.bar",
            [E('subject "foo.>.bar" can have ">" only as its last token')],
            id="full-wildcard-not-last",
        ),
        pytest.param(
            ">.a",
            [E('subject ">.a" can have ">" only as its last token')],
            id="full-wildcard-first",
        ),
        pytest.param("a.*.>", [], id="wildcards"),
        pytest.param("a>.b*.c", [], id="wildcard-characters-inside-tokens"),
        pytest.param(
            "a\tb", [E('subject "a\\tb" cannot contain a tab ("\\t")')], id="tab"
        ),
        pytest.param(
            "a\nb", [E('subject "a\\nb" cannot contain a newline ("\\n")')], id="newline"
        ),
        pytest.param(
            "a\rb",
            [E('subject "a\\rb" cannot contain a carriage return ("\\r")')],
            id="carriage-return",
        ),
        pytest.param(
            "a\fb", [E('subject "a\\fb" cannot contain a form feed ("\\f")')], id="form-feed"
        ),
        pytest.param("a\vb\x00c\x1f", [], id="other-control-characters-as-the-server"),
        pytest.param(
            "a.\r\n.>.b",
            [
                E('subject "a.\\r\\n.>.b" cannot contain a carriage return ("\\r")'),
                E('subject "a.\\r\\n.>.b" can have ">" only as its last token'),
            ],
            id="first-character-then-the-token",
        ),
        pytest.param(
            "a b.>.c",
            [
                E('subject "a b.>.c" cannot have spaces'),
                E('subject "a b.>.c" can have ">" only as its last token'),
            ],
            id="go-rules-first",
        ),
    ],
)
def test_subject_rules(subject: str, expected: list[Issue]) -> None:
    # an export subject is a plain Subject
    assert kinds(validate(account(exports=[stream(subject)]), now=NOW)) == expected


def test_subject_quoting_follows_go() -> None:
    results = validate(account(exports=[stream('a"<é>\t .')]), now=NOW)
    assert kinds(results) == [
        E('subject "a\\"<é>\\t ." cannot have spaces'),
        E('subject "a\\"<é>\\t ." cannot start or end with a `.`'),
        E('subject "a\\"<é>\\t ." cannot contain a tab ("\\t")'),
    ]


@pytest.mark.parametrize(
    ("permissions", "expected"),
    [
        pytest.param({"sub": Permission(allow=["q g"])}, [], id="sub-queue-ok"),
        pytest.param(
            {"pub": Permission(allow=["q g"])},
            [E('Permission Subject "q g" is not allowed to contain queue')],
            id="pub-queue",
        ),
        pytest.param(
            {"sub": Permission(deny=["a b c"])},
            [E('Permission Subject "a b c" contains too many spaces')],
            id="too-many-spaces",
        ),
        pytest.param(
            {"pub": Permission(deny=["a  b"])},
            [E('Permission Subject "a  b" contains too many spaces')],
            id="double-space-is-three-parts",
        ),
        pytest.param(
            {"sub": Permission(allow=["q. g.."])},
            [
                E('subject "q." cannot start or end with a `.`'),
                E('subject "g.." cannot start or end with a `.`'),
                E('subject "g.." cannot contain consecutive `.`'),
            ],
            id="both-parts-are-subjects",
        ),
        pytest.param(
            {"pub": Permission(allow=["p ."])},
            [
                E('subject "." cannot start or end with a `.`'),
                E('Permission Subject "p ." is not allowed to contain queue'),
            ],
            id="pub-queue-after-subject-checks",
        ),
        pytest.param(
            {
                "pub": Permission(allow=["p."], deny=["pd."]),
                "sub": Permission(allow=["s."], deny=["sd."]),
            },
            [
                E('subject "s." cannot start or end with a `.`'),
                E('subject "sd." cannot start or end with a `.`'),
                E('subject "p." cannot start or end with a `.`'),
                E('subject "pd." cannot start or end with a `.`'),
            ],
            id="order-sub-then-pub-allow-then-deny",
        ),
        pytest.param({"pub": Permission(allow=[""])}, [E("subject cannot be empty")], id="empty"),
        pytest.param(
            {"resp": ResponsePermission(max=-5, ttl=-1)}, [], id="resp-unchecked"
        ),
    ],
)
def test_permissions(permissions: dict[str, Any], expected: list[Issue]) -> None:
    assert kinds(validate(user(**permissions), now=NOW)) == expected
    default = account(default_permissions=Permissions(**permissions))
    assert kinds(validate(default, now=NOW)) == expected


# User --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"src": ["10.0.0.0/8", "192.168.1.7/24", "::1/128"]}, [], id="src-ok"),
        pytest.param(
            {"src": ["10.0.0.1", "010.0.0.1/8", "10.0.0.0/33"]},
            [
                E('invalid cidr "10.0.0.1" in user src limits'),
                E('invalid cidr "010.0.0.1/8" in user src limits'),
                E('invalid cidr "10.0.0.0/33" in user src limits'),
            ],
            id="src-bad",
        ),
        pytest.param(
            {"times": [TimeRange(start="8:00:00", end="17:00:00.5")]}, [], id="times-ok"
        ),
        pytest.param(
            {"times": [TimeRange()]},
            [
                E("time ranges start must contain a start"),
                E("time ranges end must contain an end"),
            ],
            id="times-empty",
        ),
        pytest.param(
            {"times": [TimeRange(start="24:00:00", end="08:00")]},
            [
                E('start in time range is invalid "24:00:00"'),
                E('end in time range is invalid "08:00"'),
            ],
            id="times-invalid",
        ),
        pytest.param({"times_location": "Europe/Berlin"}, [], id="zone-ok"),
        pytest.param({"times_location": "Local"}, [], id="zone-local"),
        pytest.param(
            {"times_location": "Mars/Base"},
            [E("could not parse iana time zone by name: unknown time zone Mars/Base")],
            id="zone-unknown",
        ),
        pytest.param(
            {"times_location": "../etc/passwd"},
            [E("could not parse iana time zone by name: time: invalid location name")],
            id="zone-invalid-name",
        ),
        pytest.param({"issuer_account": A}, [], id="issuer-account-ok"),
        pytest.param(
            {"issuer_account": U},
            [E("account_id is not an account public key")],
            id="issuer-account-not-account",
        ),
        pytest.param(
            {"allowed_connection_types": ["BOGUS"]},
            [
                W('unknown connection type "BOGUS"'),
                E("allowed connection types has no known type: nats-server refuses the user"),
            ],
            id="connection-types-none-known",
        ),
        pytest.param({"subs": -7, "data": 0, "bearer_token": True}, [], id="limits-unchecked"),
        pytest.param(
            {
                "issuer_account": "x",
                "times_location": "Nowhere",
                "times": [TimeRange(start="x", end="09:00:00")],
                "src": ["x"],
                "pub": Permission(allow=["p."]),
                "sub": Permission(allow=["s."]),
            },
            [
                E('subject "s." cannot start or end with a `.`'),
                E('subject "p." cannot start or end with a `.`'),
                E('invalid cidr "x" in user src limits'),
                E('start in time range is invalid "x"'),
                E("could not parse iana time zone by name: unknown time zone Nowhere"),
                E("account_id is not an account public key"),
            ],
            id="order",
        ),
    ],
)
def test_user(fields: dict[str, Any], expected: list[Issue]) -> None:
    assert kinds(validate(user(**fields), now=NOW)) == expected


def test_user_time_check_comes_first() -> None:
    claims = UserClaims(sub=U, exp=NOW - 1, nats=User(issuer_account="x"))
    assert kinds(validate(claims, now=NOW)) == [
        T("claim is expired"),
        E("account_id is not an account public key"),
    ]


# Activation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nats", "expected"),
    [
        pytest.param({"subject": "x.>", "kind": "service"}, [], id="ok"),
        pytest.param(
            {"subject": "x", "kind": ""}, [E('invalid import type: "unknown"')], id="no-kind"
        ),
        pytest.param({"kind": "stream"}, [E("subject cannot be empty")], id="no-subject"),
        pytest.param(
            {"subject": "x", "kind": "stream", "issuer_account": OP},
            [E("account_id is not an account public key")],
            id="bad-issuer-account",
        ),
        pytest.param({"subject": "x", "kind": "stream", "issuer_account": EXP}, [], id="issuer-ok"),
        pytest.param(
            {"subject": "a..b", "kind": "", "issuer_account": "x"},
            [
                E('invalid import type: "unknown"'),
                E('subject "a..b" cannot contain consecutive `.`'),
                E("account_id is not an account public key"),
            ],
            id="order",
        ),
    ],
)
def test_activation(nats: dict[str, Any], expected: list[Issue]) -> None:
    claims = ActivationClaims(sub=A, exp=NOW - 1, nats=Activation(**nats))
    assert kinds(validate(claims, now=NOW)) == [T("claim is expired"), *expected]


# Operator ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"account_server_url": "https://h:9090/jwt/v1"}, [], id="asu-ok"),
        pytest.param({"account_server_url": "localhost:9090"}, [], id="asu-host-is-scheme"),
        pytest.param(
            {"account_server_url": "example.com/jwt"},
            [E('account server url "example.com/jwt" requires a protocol')],
            id="asu-no-scheme",
        ),
        pytest.param(
            {"account_server_url": "127.0.0.1:9090"},
            [
                E(
                    'error parsing account server url: parse "127.0.0.1:9090": '
                    "first path segment in URL cannot contain colon"
                )
            ],
            id="asu-unparsable",
        ),
        pytest.param(
            {"operator_service_urls": ["nats://h:4222", "tls://h", "ws://h:80", "WSS://h", ""]},
            [],
            id="service-urls-ok",
        ),
        pytest.param(
            {"operator_service_urls": ["nats://u:p@h:4222"]},
            [E('operator service url "nats://u:p@h:4222" - credentials are not supported')],
            id="service-url-credentials",
        ),
        pytest.param(
            {"operator_service_urls": ["nats://h:4222/"]},
            [E('operator service url "nats://h:4222/" - paths are not supported')],
            id="service-url-path",
        ),
        pytest.param(
            {"operator_service_urls": ["http://h:4222"]},
            [
                E(
                    'operator service url "http://h:4222" - protocol not supported '
                    "(only 'nats', 'tls', 'ws', 'wss' only)"
                )
            ],
            id="service-url-protocol",
        ),
        pytest.param(
            {"operator_service_urls": ["nats://h:x"]},
            [
                E(
                    'error parsing operator service url "nats://h:x": '
                    'parse "nats://h:x": invalid port ":x" after host'
                )
            ],
            id="service-url-unparsable",
        ),
        pytest.param({"signing_keys": [OPERATOR_SK.public_key]}, [], id="signing-key-ok"),
        pytest.param(
            {"signing_keys": [A]}, [E(f"{A} is not an operator public key")], id="signing-key-bad"
        ),
        pytest.param({"system_account": A}, [], id="system-account-ok"),
        pytest.param(
            {"system_account": U}, [E(f"{U} is not an account public key")], id="system-account-bad"
        ),
        pytest.param({"assert_server_version": "2.10.0"}, [], id="version-ok"),
        pytest.param(
            {"assert_server_version": "2.10"},
            [
                E(
                    "assert server version error: asserted server version must be of the form "
                    "<major>.<minor>.<update>"
                )
            ],
            id="version-form",
        ),
        pytest.param(
            {"assert_server_version": "2.x.0"},
            [E("assert server version error: asserted server version cant parse x to int")],
            id="version-not-int",
        ),
        pytest.param(
            {"assert_server_version": "2.-1.0"},
            [
                E(
                    "assert server version error: asserted server version can'b contain "
                    "negative values: 2.-1.0"
                )
            ],
            id="version-negative",
        ),
        pytest.param(
            {
                "assert_server_version": "1",
                "system_account": "S",
                "signing_keys": ["K"],
                "operator_service_urls": ["http://a", "nats://b/"],
                "account_server_url": "nohost",
            },
            [
                E('account server url "nohost" requires a protocol'),
                E(
                    'operator service url "http://a" - protocol not supported '
                    "(only 'nats', 'tls', 'ws', 'wss' only)"
                ),
                E('operator service url "nats://b/" - paths are not supported'),
                E("K is not an operator public key"),
                E("S is not an account public key"),
                E(
                    "assert server version error: asserted server version must be of the form "
                    "<major>.<minor>.<update>"
                ),
            ],
            id="order",
        ),
    ],
)
def test_operator(fields: dict[str, Any], expected: list[Issue]) -> None:
    assert kinds(validate(operator(**fields), now=NOW)) == expected


# Exports -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exports", "expected"),
    [
        pytest.param([stream("a.>"), service("s.*")], [], id="ok"),
        pytest.param(
            [Export(subject="x")], [E('invalid export type: "unknown"')], id="unknown-type"
        ),
        pytest.param(
            [
                service(f"s{i}", response_type=t)
                for i, t in enumerate(("", "Singleton", "Stream", "Chunked"))
            ],
            [],
            id="service-response-types",
        ),
        pytest.param(
            [service(response_type="singleton")],
            [E('invalid response type for service: "singleton"')],
            id="service-bad-response-type",
        ),
        pytest.param(
            [stream(response_type="Stream")],
            [E('invalid response type for stream: "Stream"')],
            id="stream-response-type",
        ),
        pytest.param(
            [stream(allow_trace=True)],
            [E("AllowTrace only valid for service export")],
            id="stream-allow-trace",
        ),
        pytest.param([service(allow_trace=True)], [], id="service-allow-trace"),
        pytest.param(
            [stream(service_latency=ServiceLatency(sampling=50, results="lat"))],
            [E("latency tracking only permitted for services")],
            id="stream-latency",
        ),
        pytest.param(
            [service(service_latency=ServiceLatency(sampling=0, results="lat"))],
            [],
            id="latency-headers",
        ),
        pytest.param(
            [service(service_latency=ServiceLatency(sampling=101, results="lat"))],
            [E("sampling percentage needs to be between 1-100")],
            id="latency-sampling",
        ),
        pytest.param(
            [service(service_latency=ServiceLatency(sampling=-1, results="lat"))],
            [E("sampling percentage needs to be between 1-100")],
            id="latency-sampling-negative",
        ),
        pytest.param(
            [service(service_latency=ServiceLatency(sampling=100, results="lat.*"))],
            [E("results subject can not contain wildcards")],
            id="latency-results-wildcard",
        ),
        pytest.param(
            [service(service_latency=ServiceLatency(sampling=1, results=""))],
            [E("subject cannot be empty")],
            id="latency-results-empty",
        ),
        pytest.param(
            [service(response_threshold=-1)],
            [E("negative response threshold is invalid")],
            id="negative-threshold",
        ),
        pytest.param(
            [stream(response_threshold=1)],
            [E("response threshold only valid for services")],
            id="stream-threshold",
        ),
        pytest.param([service(response_threshold=10**9)], [], id="service-threshold"),
        pytest.param(
            [stream("a.b", account_token_position=1)],
            [E("Account Token Position can only be used with wildcard subjects: a.b")],
            id="token-position-no-wildcard",
        ),
        pytest.param(
            [stream("a.*", account_token_position=3)],
            [E("Account Token Position 3 exceeds length of subject 'a.*'")],
            id="token-position-too-far",
        ),
        pytest.param(
            [stream("a.*", account_token_position=1)],
            [E("Account Token Position 1 matches 'a' but must match a * in: a.*")],
            id="token-position-not-star",
        ),
        pytest.param([stream("a.*", account_token_position=2)], [], id="token-position-ok"),
        pytest.param(
            [stream(description="d" * 8193)], [E("Description is too long")], id="description"
        ),
        pytest.param([stream(description="é" * 4096)], [], id="description-8192-bytes"),
        pytest.param(
            [stream(description="é" * 4097)],
            [E("Description is too long")],
            id="description-counts-bytes",
        ),
        pytest.param([stream(info_url="https://example.com/x")], [], id="info-url-ok"),
        pytest.param(
            [stream(info_url="https://example.com/" + "x" * 8192)],
            [E("Info URL is too long")],
            id="info-url-too-long",
        ),
        pytest.param(
            [stream(info_url="example.com")],
            [E("error parsing info url: no hostname or scheme")],
            id="info-url-no-scheme",
        ),
        pytest.param(
            [stream(info_url="https:///path")],
            [E("error parsing info url: no hostname or scheme")],
            id="info-url-no-host",
        ),
        pytest.param(
            [stream(info_url="https://x.y/%zz")],
            [E('error parsing info url: parse "https://x.y/%zz": invalid URL escape "%zz"')],
            id="info-url-unparsable",
        ),
        pytest.param([None], [E("null export is not allowed")], id="null"),
        pytest.param(
            [
                Export(
                    subject="a..*",
                    response_type="x",
                    allow_trace=True,
                    service_latency=ServiceLatency(sampling=200, results="r.>"),
                    response_threshold=5,
                    account_token_position=9,
                    description="d" * 9000,
                )
            ],
            [
                E('invalid export type: "unknown"'),
                E("latency tracking only permitted for services"),
                E("sampling percentage needs to be between 1-100"),
                E("results subject can not contain wildcards"),
                E("response threshold only valid for services"),
                E('subject "a..*" cannot contain consecutive `.`'),
                E("Account Token Position 9 exceeds length of subject 'a..*'"),
                E("Description is too long"),
            ],
            id="order",
        ),
    ],
)
def test_exports(exports: list[Export | None], expected: list[Issue]) -> None:
    assert kinds(validate(account(exports=exports), now=NOW)) == expected


@pytest.mark.parametrize(
    ("exports", "expected"),
    [
        pytest.param(
            [stream("a.>"), stream("a.b")],
            [E('stream export subject "a.>" already exports "a.b"')],
            id="stream-contains",
        ),
        pytest.param(
            [service("s.*"), service("s.x"), service("s.y")],
            [E('service export subject "s.*" already exports "s.x"')],
            id="one-error-per-container",
        ),
        pytest.param(
            [stream("d"), stream("d")],
            [E('stream export subject "d" already exports "d"')],
            id="duplicates",
        ),
        pytest.param([stream("m.>"), service("m.>")], [], id="kinds-apart"),
        pytest.param(
            [Export(subject="u.>"), stream("u.x")],
            [
                E('invalid export type: "unknown"'),
                E('stream export subject "u.>" already exports "u.x"'),
            ],
            id="unknown-counts-as-stream",
        ),
        pytest.param(
            [stream("z.>"), stream("z.a"), service("q.>"), service("q.a")],
            [
                E('service export subject "q.>" already exports "q.a"'),
                E('stream export subject "z.>" already exports "z.a"'),
            ],
            id="services-before-streams",
        ),
    ],
)
def test_export_overlaps(exports: list[Export], expected: list[Issue]) -> None:
    assert kinds(validate(account(exports=exports), now=NOW)) == expected


# Imports -----------------------------------------------------------------------------------------


DEPRECATED_TO = W("the field to has been deprecated (use LocalSubject instead)")
NOT_ENOUGH = E("subject does not contain enough * or reference wildcards $[0-9]")


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        pytest.param([imp(), imp("svc.a", type="service", share=True)], [], id="ok"),
        pytest.param([imp(type="")], [E('invalid import type: "unknown"')], id="unknown-type"),
        pytest.param(
            [imp(type="service", allow_trace=True)],
            [E("AllowTrace only valid for stream import")],
            id="service-allow-trace",
        ),
        pytest.param([imp(allow_trace=True)], [], id="stream-allow-trace"),
        pytest.param(
            [imp(account="")], [E("account to import from is not specified")], id="no-account"
        ),
        pytest.param([imp(to="t.y")], [DEPRECATED_TO], id="to-deprecated"),
        pytest.param([imp("")], [E("subject cannot be empty")], id="no-subject"),
        pytest.param(
            [imp(share=True)],
            [E('sharing information (for latency tracking) is only valid for services: "x.y"')],
            id="share-on-stream",
        ),
        pytest.param([imp("x.*", local_subject="l.$1")], [], id="local-reference"),
        pytest.param([imp("x.*.*", local_subject="l.$2.*")], [], id="local-mixed"),
        pytest.param([imp("x.>", local_subject="l.>")], [], id="local-full-wildcard"),
        pytest.param(
            [imp("x", local_subject="l.>")],
            [E("both, renaming subject and subject, need to end or not end in >")],
            id="local-gt-mismatch",
        ),
        pytest.param(
            [imp("x.*", local_subject="l.$2")],
            [E('Reference $2 in "l.$2" reference * in "x.*" that do not exist'), NOT_ENOUGH],
            id="local-reference-missing",
        ),
        pytest.param([imp("x.*", local_subject="l")], [NOT_ENOUGH], id="local-not-enough"),
        pytest.param(
            [imp("x", local_subject="a b")],
            [E('subject "a b" cannot have spaces'), E('subject "a b" cannot have spaces')],
            id="local-space-reported-twice",
        ),
        pytest.param(
            [imp("", local_subject="l")],
            [E("subject cannot be empty"), E("subject cannot be empty")],
            id="local-with-empty-subject",
        ),
        pytest.param(
            [imp("x.y", local_subject="l.y", to="t.y")],
            [DEPRECATED_TO, E("Local Subject replaces To")],
            id="local-and-to",
        ),
        pytest.param(
            [imp(token="not-a-jwt")],
            [E('import "x.y" contains an invalid activation token')],
            id="token-garbage",
        ),
        pytest.param([None], [E("null import is not allowed")], id="null"),
        pytest.param(
            [
                Import(
                    subject="x.*",
                    local_subject="l.$3",
                    to="t",
                    share=True,
                    token="bad",
                )
            ],
            [
                E('invalid import type: "unknown"'),
                E("account to import from is not specified"),
                DEPRECATED_TO,
                E('Reference $3 in "l.$3" reference * in "x.*" that do not exist'),
                NOT_ENOUGH,
                E("Local Subject replaces To"),
                E('sharing information (for latency tracking) is only valid for services: "x.*"'),
                E('import "x.*" contains an invalid activation token'),
            ],
            id="order",
        ),
    ],
)
def test_imports(imports: list[Import | None], expected: list[Issue]) -> None:
    assert kinds(validate(account(imports=imports), now=NOW)) == expected


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        pytest.param(
            [imp("a.>", type="service"), imp("a.b", type="service")],
            [E(f'overlapping subject namespace for "a.b" and "a.>" in same account "{EXP}"')],
            id="contained",
        ),
        pytest.param(
            [imp("a.b", type="service"), imp("a.>", type="service")],
            [E(f'overlapping subject namespace for "a.>" and "a.b" in same account "{EXP}"')],
            id="containing",
        ),
        pytest.param(
            [imp("s", type="service"), imp("s", type="service")],
            [
                E(f'overlapping subject namespace for "s" and "s" in same account "{EXP}"'),
                E(f'overlapping subject namespace for "" in account "{EXP}"'),
            ],
            id="exact-repeat",
        ),
        pytest.param(
            [imp("s", type="service"), imp("s", type="service", account=A2)],
            [],
            id="same-subject-other-exporter",
        ),
        pytest.param([imp("s"), imp("s")], [], id="streams-unchecked"),
        pytest.param(
            [
                imp("x.*", type="service", local_subject="l.$1"),
                imp("y.*", type="service", local_subject="l.$1"),
            ],
            [
                E(f'overlapping subject namespace for "l.*" and "l.*" in same account "{EXP}"'),
                E(f'overlapping subject namespace for "" in account "{EXP}"'),
            ],
            id="local-subject-key",
        ),
        pytest.param(
            [imp("x", type="service", to="t"), imp("y", type="service", to="t")],
            [
                DEPRECATED_TO,
                E(f'overlapping subject namespace for "t" and "t" in same account "{EXP}"'),
                E(f'overlapping subject namespace for "t" in account "{EXP}"'),
                DEPRECATED_TO,
            ],
            id="to-key-checked-before-the-import",
        ),
    ],
)
def test_import_overlaps(imports: list[Import], expected: list[Issue]) -> None:
    assert kinds(validate(account(imports=imports), now=NOW)) == expected


# Import activation tokens ------------------------------------------------------------------------


def _token_cases() -> list[Any]:
    mismatch = "activation token doesn't match account"
    return [
        pytest.param(imp(), activation(), [], id="ok"),
        pytest.param(imp("x.y.z"), activation("x.*.z"), [], id="wildcard-grant"),
        pytest.param(
            imp(),
            activation(signer=EXPORTER_SK, issuer_account=EXP),
            [],
            id="signing-key-with-issuer-account",
        ),
        pytest.param(
            imp(),
            activation(signer=EXPORTER_SK),
            [E(f'{mismatch} for import "x.y"')],
            id="signing-key-without-issuer-account",
        ),
        pytest.param(
            imp(account=A2), activation(), [E(f'{mismatch} for import "x.y"')], id="other-exporter"
        ),
        pytest.param(
            imp(),
            activation(sub=A2),
            [E(f'{mismatch} it is being included in, "x.y"')],
            id="issued-to-another-account",
        ),
        pytest.param(
            imp(),
            activation(kind="service"),
            [E("mismatch between token import type service and type of import stream")],
            id="kind-mismatch",
        ),
        pytest.param(
            imp(type="service"),
            activation(kind=""),
            [
                E("mismatch between token import type unknown and type of import service"),
                E('invalid import type: "unknown"'),
            ],
            id="activation-without-kind",
        ),
        pytest.param(
            imp(),
            activation("other.>"),
            [E('activation token import subject "other.>" doesn\'t match import "x.y"')],
            id="subject-mismatch",
        ),
        pytest.param(imp("x"), activation("x.>"), [
            E('activation token import subject "x.>" doesn\'t match import "x"')
        ], id="gt-needs-a-token"),
        pytest.param(
            imp("svc.in", type="service", to="x.svc"),
            activation("x.>", "service"),
            [DEPRECATED_TO],
            id="service-to-is-what-is-granted",
        ),
        pytest.param(
            imp("x.a", type="service", local_subject="l.a"),
            activation("x.>", "service"),
            [],
            id="service-local-subject-not-used",
        ),
        pytest.param(
            imp(),
            activation(issuer_account="bogus"),
            [E("account_id is not an account public key")],
            id="activation-rules-apply",
        ),
        pytest.param(
            imp(),
            activation_with(exp=NOW - 10, nbf=NOW + 10),
            [],
            id="no-time-checks-inside-an-import",
        ),
        pytest.param(
            imp(),
            encode(UserClaims(sub=U), EXPORTER, iat=NOW),
            [E('import "x.y" contains an invalid activation token')],
            id="not-an-activation",
        ),
        pytest.param(
            imp(),
            activation()[:-4] + "AAAA",
            [E('import "x.y" contains an invalid activation token')],
            id="bad-signature",
        ),
        pytest.param(
            imp(account=A2, type="service"),
            activation("q.>", sub=A2),
            [
                E(f'{mismatch} for import "x.y"'),
                E(f'{mismatch} it is being included in, "x.y"'),
                E("mismatch between token import type stream and type of import service"),
                E('activation token import subject "q.>" doesn\'t match import "x.y"'),
            ],
            id="order",
        ),
    ]


@pytest.mark.parametrize(("import_", "token", "expected"), _token_cases())
def test_import_tokens(import_: Import, token: str, expected: list[Issue]) -> None:
    import_.token = token
    assert kinds(validate(account(imports=[import_]), now=NOW)) == expected


def test_decoded_activation_claims_validate_with_time_checks() -> None:
    claims = decode(activation_with(exp=NOW - 10))
    assert kinds(validate(claims, now=NOW)) == [T("claim is expired")]


# Account parts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        pytest.param(OperatorLimits(tiered_limits={"R1": JetStreamLimits(disk_storage=-1)}), [],
                     id="tiers"),
        pytest.param(OperatorLimits(mem_storage=-1, disk_storage=-1), [], id="flat"),
        pytest.param(
            OperatorLimits(max_bytes_required=True, tiered_limits={"R1": JetStreamLimits()}),
            [E("JetStream Limits and tiered JetStream Limits are mutually exclusive")],
            id="both",
        ),
        pytest.param(
            OperatorLimits(tiered_limits={"": JetStreamLimits(), "R3": JetStreamLimits()}),
            [E('Tiered JetStream Limits can not contain a blank "" tier name')],
            id="blank-tier",
        ),
    ],
)
def test_operator_limits(limits: OperatorLimits, expected: list[Issue]) -> None:
    assert kinds(validate(account(limits=limits), now=NOW)) == expected


EXCEEDS = E("Mapping \"m\" exceeds 100% among all of it's weighted to mappings")


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        pytest.param(lambda: mapping(WeightedMapping(subject="a")), [], id="one-target"),
        pytest.param(
            lambda: mapping(
                WeightedMapping(subject="a", weight=50), WeightedMapping(subject="b", weight=50)
            ),
            [],
            id="split",
        ),
        pytest.param(
            lambda: mapping(
                WeightedMapping(subject="a", weight=50), WeightedMapping(subject="b", weight=51)
            ),
            [EXCEEDS],
            id="over-100",
        ),
        pytest.param(
            lambda: mapping(WeightedMapping(subject="a"), WeightedMapping(subject="b", weight=1)),
            [EXCEEDS],
            id="zero-means-100",
        ),
        pytest.param(
            lambda: mapping(WeightedMapping(subject="a", weight=150)),
            [E('Mapping "m" has a weight 150 that exceeds 100'), EXCEEDS],
            id="weight-over-100",
        ),
        pytest.param(
            lambda: mapping(*(WeightedMapping(subject=s) for s in "abc")),
            [],
            id="uint8-sum-wraps-as-in-go",
        ),
        pytest.param(
            lambda: mapping(
                WeightedMapping(subject="a", weight=60, cluster="c1"),
                WeightedMapping(subject="b", weight=60, cluster="c1"),
                WeightedMapping(subject="c", weight=60, cluster="c2"),
                WeightedMapping(subject="d", weight=100),
            ),
            [
                E(
                    "Mapping \"m\" in cluster \"c1\" exceeds 100% among all of it's weighted "
                    "to mappings"
                )
            ],
            id="per-cluster",
        ),
        pytest.param(
            lambda: mapping(
                WeightedMapping(subject="a", weight=60, cluster="c1"),
                WeightedMapping(subject="b", weight=60, cluster="c1"),
                WeightedMapping(subject="c", weight=1, cluster="c1"),
            ),
            [
                E("Mapping \"m\" in cluster \"c1\" exceeds 100% among all of it's weighted "
                  "to mappings"),
                E("Mapping \"m\" in cluster \"c1\" exceeds 100% among all of it's weighted "
                  "to mappings"),
            ],
            id="per-cluster-reported-per-entry",
        ),
        pytest.param(
            lambda: mapping(WeightedMapping(subject="a..b"), source=""),
            [E("subject cannot be empty"), E('subject "a..b" cannot contain consecutive `.`')],
            id="subjects",
        ),
    ],
)
def test_mappings(build: Callable[[], AccountClaims], expected: list[Issue]) -> None:
    assert kinds(validate(build(), now=NOW)) == expected


def wildcard_target(source: str, target: str) -> AccountClaims:
    return mapping(WeightedMapping(subject=target), source=source)


def star(source: str, target: str) -> Issue:
    return E(
        f'Mapping "{source}" destination "{target}" cannot contain the token "*" '
        "(refer to a wildcard of the source with {{wildcard(N)}})"
    )


def gains_rest(source: str, target: str) -> Issue:
    return E(f'Mapping "{source}" destination "{target}" can end in ">" only when its source does')


def loses_rest(source: str, target: str) -> Issue:
    return E(f'Mapping "{source}" destination "{target}" must end in ">" as its source does')


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        pytest.param("src", ">", [gains_rest("src", ">")], id="full-wildcard-from-literal"),
        pytest.param("src", "*", [star("src", "*")], id="partial-wildcard"),
        pytest.param(
            "src", "*.*.>", [star("src", "*.*.>"), gains_rest("src", "*.*.>")], id="both"
        ),
        pytest.param("a.*", "b.*", [star("a.*", "b.*")], id="star-even-from-a-star"),
        pytest.param("a.>", "b", [loses_rest("a.>", "b")], id="rest-dropped"),
        pytest.param(">", "b.c", [loses_rest(">", "b.c")], id="everything-to-a-literal"),
        pytest.param("a.>", "b.>", [], id="rest-to-rest"),
        pytest.param(">", ">", [], id="identity"),
        pytest.param("a.*", "b.{{wildcard(1)}}", [], id="wildcard-function"),
        pytest.param("a.*.*", "b.$2.$1", [], id="legacy-references"),
        pytest.param("a.*", "b", [], id="wildcard-dropped"),
        pytest.param("src", "b*.c>", [], id="wildcard-characters-inside-tokens"),
        pytest.param(
            "a.>.b",
            "c.>",
            [E('subject "a.>.b" can have ">" only as its last token'), gains_rest("a.>.b", "c.>")],
            id="misplaced-source",
        ),
    ],
)
def test_mapping_destination_wildcards(source: str, target: str, expected: list[Issue]) -> None:
    """nats-server's subject transform: no ``*`` token in a destination, and a ``>`` there
    exactly when the source has one (nats-io/jwt v2.8 checks neither)."""
    assert kinds(validate(wildcard_target(source, target), now=NOW)) == expected


def test_mapping_destination_issues_follow_each_target() -> None:
    claims = mapping(
        WeightedMapping(subject="a\tb", weight=10),
        WeightedMapping(subject=">", weight=10),
        source="m",
    )
    assert kinds(validate(claims, now=NOW)) == [
        E('subject "a\\tb" cannot contain a tab ("\\t")'),
        gains_rest("m", ">"),
    ]


# Subjects nats-server can never use, wherever a claim holds one ----------------------------------

TAB = 'subject "a\\tb" cannot contain a tab ("\\t")'
NOT_LAST = 'subject "a.>.b" can have ">" only as its last token'


def _with_subject(where: str, subject: str) -> ClaimsData:
    builders: dict[str, Callable[[], ClaimsData]] = {
        "export": lambda: account(exports=[stream(subject)]),
        "latency": lambda: account(
            exports=[service(service_latency=ServiceLatency(sampling=50, results=subject))]
        ),
        "import": lambda: account(imports=[imp(subject)]),
        "import-local": lambda: account(imports=[imp("x.>", local_subject=subject)]),
        "mapping-source": lambda: mapping(WeightedMapping(subject="t"), source=subject),
        "mapping-target": lambda: mapping(WeightedMapping(subject=subject)),
        "trace": lambda: account(trace=MsgTrace(dest=subject)),
        "activation": lambda: ActivationClaims(
            sub=A, nats=Activation(subject=subject, kind="stream")
        ),
        "user-pub-allow": lambda: user(pub=Permission(allow=[subject])),
        "user-pub-deny": lambda: user(pub=Permission(deny=[subject])),
        "user-sub-allow": lambda: user(sub=Permission(allow=[subject])),
        "user-sub-deny-queue": lambda: user(sub=Permission(deny=[f"{subject} q"])),
        "default-pub": lambda: account(
            default_permissions=Permissions(pub=Permission(allow=[subject]))
        ),
        "default-sub": lambda: account(
            default_permissions=Permissions(sub=Permission(deny=[subject]))
        ),
    }
    return builders[where]()


WHERE = ["export", "latency", "import", "import-local", "mapping-source", "mapping-target",
         "trace", "activation", "user-pub-allow", "user-pub-deny", "user-sub-allow",
         "user-sub-deny-queue", "default-pub", "default-sub"]  # fmt: skip


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize(("subject", "error"), [("a\tb", TAB), ("a.>.b", NOT_LAST)])
def test_every_subject_gets_the_server_rules(where: str, subject: str, error: str) -> None:
    errors = [issue.description for issue in validate(_with_subject(where, subject), now=NOW)
              if issue.blocking]  # fmt: skip
    assert any(error in description for description in errors), errors


def test_a_queue_name_gets_the_whitespace_rule_only() -> None:
    assert kinds(validate(user(sub=Permission(allow=["s a.>.b"])), now=NOW)) == []
    assert kinds(validate(user(sub=Permission(allow=["s q\rx"])), now=NOW)) == [
        E('queue "q\\rx" cannot contain a carriage return ("\\r")')
    ]


def test_trace_reports_the_server_rule_as_its_destination() -> None:
    assert kinds(validate(account(trace=MsgTrace(dest="a\nb")), now=NOW)) == [
        E('the account Trace.Destination subject "a\\nb" cannot contain a newline ("\\n")')
    ]


@pytest.mark.parametrize(
    ("auth", "expected"),
    [
        pytest.param(ExternalAuthorization(), [], id="off"),
        pytest.param(
            ExternalAuthorization(auth_users=[U], allowed_accounts=[A2], xkey=X), [], id="ok"
        ),
        pytest.param(ExternalAuthorization(auth_users=[U], allowed_accounts=["*"]), [], id="any"),
        pytest.param(
            ExternalAuthorization(allowed_accounts=[A2]),
            [E("External authorization cannot have accounts without users specified")],
            id="accounts-without-users",
        ),
        pytest.param(
            ExternalAuthorization(auth_users=[A2]),
            [E(f'AuthUser "{A2}" is not a valid user public key')],
            id="bad-user",
        ),
        pytest.param(
            ExternalAuthorization(auth_users=[U], allowed_accounts=["*", A2]),
            [E('AllowedAccounts can only be a list of accounts or "*"')],
            id="any-and-more",
        ),
        pytest.param(
            ExternalAuthorization(auth_users=[U], allowed_accounts=[U]),
            [E(f'Account "{U}" is not a valid account public key')],
            id="bad-account",
        ),
        pytest.param(
            ExternalAuthorization(auth_users=[U], xkey=U),
            [E(f'XKey "{U}" is not a valid public xkey')],
            id="bad-xkey",
        ),
        pytest.param(
            ExternalAuthorization(allowed_accounts=["*", "*", "B"], auth_users=["u"], xkey="x"),
            [
                E('AuthUser "u" is not a valid user public key'),
                E('AllowedAccounts can only be a list of accounts or "*"'),
                E('AllowedAccounts can only be a list of accounts or "*"'),
                E('Account "B" is not a valid account public key'),
                E('XKey "x" is not a valid public xkey'),
            ],
            id="order",
        ),
    ],
)
def test_authorization(auth: ExternalAuthorization, expected: list[Issue]) -> None:
    assert kinds(validate(account(authorization=auth), now=NOW)) == expected


@pytest.mark.parametrize(
    ("trace", "expected", "sampling_after"),
    [
        pytest.param(MsgTrace(dest="t.d", sampling=50), [], 50, id="ok"),
        pytest.param(MsgTrace(dest="t.d"), [], 0, id="zero-is-left-alone"),
        pytest.param(
            MsgTrace(sampling=1),
            [E("the account Trace.Destination subject cannot be empty")],
            1,
            id="no-dest",
        ),
        pytest.param(
            MsgTrace(dest="a b.", sampling=1),
            [E('the account Trace.Destination subject "a b." cannot have spaces')],
            1,
            id="first-subject-issue-only",
        ),
        pytest.param(
            MsgTrace(dest="t.>", sampling=1),
            [E('the account Trace.Destination subject "t.>" is not a valid publish subject')],
            1,
            id="wildcard-dest",
        ),
        pytest.param(
            MsgTrace(dest="t", sampling=101),
            [
                E(
                    "the account Trace.Sampling value '101' is not valid, "
                    "should be in the range [1..100]"
                )
            ],
            101,
            id="sampling-over-100",
        ),
        pytest.param(
            MsgTrace(dest="t", sampling=-1),
            [
                E(
                    "the account Trace.Sampling value '-1' is not valid, "
                    "should be in the range [1..100]"
                )
            ],
            -1,
            id="sampling-negative",
        ),
    ],
)
def test_trace(trace: MsgTrace, expected: list[Issue], sampling_after: int) -> None:
    claims = account(trace=trace)
    assert kinds(validate(claims, now=NOW)) == expected
    assert claims.nats.trace is not None
    assert claims.nats.trace.sampling == sampling_after


def test_validate_changes_nothing_it_checks() -> None:
    claims = account(trace=MsgTrace(dest="t.d"))
    before = encode(claims, OPERATOR, iat=NOW)
    validate(claims, now=NOW)
    assert encode(claims, OPERATOR, iat=NOW) == before
    assert decode(before).nats.trace == MsgTrace(dest="t.d", sampling=0)


MORE_IMPORTS = E("the account contains more imports than allowed by the operator")
MORE_EXPORTS = E("the account contains more exports than allowed by the operator")
WILDCARD_EXPORTS = E("the account contains wildcard exports that are not allowed by the operator")


@pytest.mark.parametrize(
    ("limits", "imports", "exports", "expected"),
    [
        pytest.param({}, 3, 3, [], id="unlimited"),
        pytest.param({"imports": 2}, 2, 0, [], id="imports-at-limit"),
        pytest.param(
            {"imports": 1}, 2, 0, [MORE_IMPORTS, MORE_IMPORTS], id="imports-reported-twice"
        ),
        pytest.param({"imports": -5}, 0, 0, [MORE_IMPORTS], id="other-negative-imports"),
        pytest.param({"exports": 1}, 0, 2, [MORE_EXPORTS], id="exports"),
        pytest.param({"exports": 5, "wildcards": False}, 0, 2, [WILDCARD_EXPORTS],
                     id="wildcard-exports"),
        pytest.param({"wildcards": False}, 0, 2, [], id="wildcards-need-an-export-limit"),
        pytest.param(ZERO_LIMITS, 0, 0, [], id="zero-limits-empty"),
        pytest.param(ZERO_LIMITS, 0, 1, [MORE_EXPORTS, WILDCARD_EXPORTS], id="zero-limits-export"),
        pytest.param(ZERO_LIMITS, 1, 0, [MORE_IMPORTS], id="zero-limits-import"),
    ],
)
def test_counts(
    limits: dict[str, Any], imports: int, exports: int, expected: list[Issue]
) -> None:
    claims = account(
        limits=OperatorLimits(**limits),
        imports=[imp(f"i{n}") for n in range(imports)],
        exports=[stream(f"e{n}.>") if n == 0 else stream(f"e{n}") for n in range(exports)],
    )
    assert kinds(validate(claims, now=NOW)) == expected


def test_zero_limits_with_a_plain_export() -> None:
    claims = account(limits=OperatorLimits(**ZERO_LIMITS), exports=[stream("a.b")])
    assert kinds(validate(claims, now=NOW)) == [MORE_EXPORTS]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        pytest.param({EXP: None}, [], id="plain"),
        pytest.param({U: None}, [E(f'"{U}" is not a valid account signing key')], id="plain-bad"),
        pytest.param({EXP: UserScope(key=EXP, role="r")}, [], id="scope"),
        pytest.param(
            {U: UserScope(key=U)}, [E(f"{U} is not an account public key")], id="scope-bad"
        ),
        pytest.param(
            {
                EXP: UserScope(
                    key=EXP,
                    template=UserPermissionLimits(
                        pub=Permission(allow=["a b c"]), src=["bogus"], times_location="Nowhere"
                    ),
                )
            },
            [],
            id="template-unchecked",
        ),
    ],
)
def test_signing_keys(keys: dict[str, UserScope | None], expected: list[Issue]) -> None:
    assert kinds(validate(account(signing_keys=keys), now=NOW)) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"cluster_traffic": "system"}, [], id="traffic-system"),
        pytest.param({"cluster_traffic": "owner"}, [], id="traffic-owner"),
        pytest.param(
            {"cluster_traffic": "Owner"},
            [E('unknown cluster traffic option: "Owner"')],
            id="traffic-unknown",
        ),
        pytest.param(
            {"description": "d" * 8193, "info_url": "nope"},
            [E("Description is too long"), E("error parsing info url: no hostname or scheme")],
            id="info",
        ),
        pytest.param({"revocations": {"*": NOW, "bogus": 1}}, [], id="revocations-unchecked"),
        pytest.param({"tags": ["Any Thing"]}, [], id="tags-unchecked"),
    ],
)
def test_account_other(fields: dict[str, Any], expected: list[Issue]) -> None:
    assert kinds(validate(account(**fields), now=NOW)) == expected


def test_account_order() -> None:
    claims = AccountClaims(
        sub=A,
        iss=A,
        exp=NOW - 1,
        nats=Account(
            imports=[imp(account="")],
            exports=[stream(response_type="Stream")],
            limits=OperatorLimits(
                imports=0, exports=0, mem_storage=1, tiered_limits={"R1": JetStreamLimits()}
            ),
            default_permissions=Permissions(pub=Permission(allow=["q g"])),
            mappings={"m": [WeightedMapping(subject="a", weight=101)]},
            authorization=ExternalAuthorization(allowed_accounts=[A2]),
            trace=MsgTrace(dest="t.>", sampling=1),
            signing_keys={"bad": None},
            description="d" * 8193,
            cluster_traffic="nobody",
        ),
    )
    assert kinds(validate(claims, now=NOW)) == [
        T("claim is expired"),
        E("account to import from is not specified"),
        E('invalid response type for stream: "Stream"'),
        E("JetStream Limits and tiered JetStream Limits are mutually exclusive"),
        E('Permission Subject "q g" is not allowed to contain queue'),
        E('Mapping "m" has a weight 101 that exceeds 100'),
        EXCEEDS,
        E("External authorization cannot have accounts without users specified"),
        E('the account Trace.Destination subject "t.>" is not a valid publish subject'),
        MORE_IMPORTS,
        MORE_IMPORTS,
        MORE_EXPORTS,
        E('"bad" is not a valid account signing key'),
        E("Description is too long"),
        E('unknown cluster traffic option: "nobody"'),
        W("self-signed account JWTs shouldn't contain operator limits"),
    ]


# Revocation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revocations", "issued_at", "revoked"),
    [
        pytest.param({U: 1000}, 999, True, id="issued-before"),
        pytest.param({U: 1000}, 1000, True, id="same-second-is-revoked"),
        pytest.param({U: 1000}, 1001, False, id="issued-after"),
        pytest.param({"*": 1000}, 1000, True, id="all-same-second"),
        pytest.param({"*": 1000}, 1001, False, id="all-issued-after"),
        pytest.param({A2: 5000}, 1, False, id="other-key"),
        pytest.param({U: 10, "*": 2000}, 1500, True, id="wildcard-wins"),
    ],
)
def test_revocation_is_inclusive(
    revocations: dict[str, int], issued_at: int, revoked: bool
) -> None:
    claims = account(revocations=revocations)
    assert claims.is_revoked(U, issued_at) is revoked
    assert validate(claims, now=NOW).is_empty()


# Auth callout ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_nkey", "expected"),
    [
        pytest.param(U, [], id="ok"),
        pytest.param("", [E("User nkey is required")], id="missing"),
        pytest.param(A, [E(f'User nkey "{A}" is not a valid user public key')], id="not-a-user"),
    ],
)
def test_auth_request(user_nkey: str, expected: list[Issue]) -> None:
    claims = AuthorizationRequestClaims(
        sub=U, exp=NOW - 1, nats=AuthorizationRequest(user_nkey=user_nkey)
    )
    assert kinds(validate(claims, now=NOW)) == [*expected, T("claim is expired")]


@pytest.mark.parametrize(
    ("registered", "nats", "expected"),
    [
        pytest.param({}, {"jwt": "j"}, [], id="ok-jwt"),
        pytest.param({}, {"error": "no", "issuer_account": A}, [], id="ok-error"),
        pytest.param(
            {"sub": A}, {"jwt": "j"}, [E("Subject must be a user public key")], id="sub"
        ),
        pytest.param(
            {"aud": "nats-authorization-request"},
            {"jwt": "j"},
            [E("Audience must be a server public key")],
            id="aud",
        ),
        pytest.param({}, {}, [E("Error or Jwt is required")], id="neither"),
        pytest.param(
            {}, {"jwt": "j", "error": "e"}, [E("Only Error or Jwt can be set")], id="both"
        ),
        pytest.param(
            {},
            {"jwt": "j", "issuer_account": U},
            [E("issuer_account is not an account public key")],
            id="issuer-account",
        ),
        pytest.param(
            {"sub": "", "aud": "", "exp": NOW - 1},
            {"issuer_account": "x"},
            [
                E("Subject must be a user public key"),
                E("Audience must be a server public key"),
                E("Error or Jwt is required"),
                E("issuer_account is not an account public key"),
                T("claim is expired"),
            ],
            id="order",
        ),
    ],
)
def test_auth_response(
    registered: dict[str, Any], nats: dict[str, Any], expected: list[Issue]
) -> None:
    fields: dict[str, Any] = {"sub": U, "aud": N, **registered}
    claims = AuthorizationResponseClaims(nats=AuthorizationResponse(**nats), **fields)
    assert kinds(validate(claims, now=NOW)) == expected


# Go fixtures -------------------------------------------------------------------------------------


def _fixture_jwts() -> list[Any]:
    manifest = json.loads((GO_FIXTURES / "manifest.json").read_text())
    return [
        pytest.param(entry, manifest["generated_at"], id=entry["file"])
        for entry in manifest["files"]
        if entry["kind"] == "jwt"
    ]


@pytest.mark.parametrize(("entry", "generated_at"), _fixture_jwts())
def test_go_fixtures(entry: dict[str, Any], generated_at: int) -> None:
    claims = decode((Path(GO_FIXTURES) / entry["file"]).read_text())
    results = validate(claims, now=generated_at + 60)
    expect = entry["expect"]
    assert results.is_blocking(False) is expect["blocking"], results.issues
    assert (not results.is_blocking(False)) is expect["ok"]
    assert any(i.time_check for i in results) is expect["time_issue"], results.issues
    if entry["file"] == "user_A_expired.jwt":
        assert kinds(results) == [T("claim is expired")]


def test_go_fixture_set_is_complete() -> None:
    names = {p.values[0]["file"] for p in _fixture_jwts()}
    assert {"user_A_expired.jwt", "acct_A.jwt", "acct_B.jwt", "op.jwt"} <= names


# Helpers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("plain", '"plain"'),
        ("", '""'),
        ('q"b\\s', '"q\\"b\\\\s"'),
        ("<>&", '"<>&"'),
        ("é中😀", '"é中😀"'),
        ("\n\t\r\a\b\f\v", '"\\n\\t\\r\\a\\b\\f\\v"'),
        ("\x00\x1f\x7f", '"\\x00\\x1f\\x7f"'),
        ("\u00a0\u00ad\u2028", '"\\u00a0\\u00ad\\u2028"'),
        ("\U000e0001", '"\\U000e0001"'),
        ("\ud800", '"\ufffd"'),
        (b"a\xffb\xc3", '"a\\xffb\\xc3"'),
        (b"\xc3\xa9", '"é"'),
    ],
)
def test_go_quote(value: str | bytes, quoted: str) -> None:
    assert go_quote(value) == quoted


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("08:00:00", True),
        ("8:00:00", True),
        ("0:0:00", False),
        ("23:59:59", True),
        ("08:00:00.5", True),
        ("08:00:00,123456789012", True),
        ("24:00:00", False),
        ("08:00", False),
        ("23:59:60", False),
        ("23:60:00", False),
        ("08:00:00.", False),
        ("08:00:00 ", False),
        ("08:00:00\n", False),
        ("123:00:00", False),
        ("\uff108:00:00", False),  # a fullwidth digit
        ("", False),
    ],
)
def test_parse_go_time(text: str, valid: bool) -> None:
    assert parse_go_time(text) is valid


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("10.0.0.0/8", True),
        ("10.1.2.3/8", True),
        ("0.0.0.0/0", True),
        ("10.0.0.1/32", True),
        ("10.0.0.1/08", True),
        ("10.0.0.1/33", False),
        ("10.0.0.1", False),
        ("10.0.0.1/", False),
        ("010.0.0.1/8", False),
        ("10.0.0.256/8", False),
        ("10.0.0/8", False),
        ("10.0.0.1/255.0.0.0", False),
        ("10.0.0.1/+8", False),
        (" 10.0.0.1/8", False),
        ("10.0.0.1/8 ", False),
        ("::1/128", True),
        ("2001:db8::/32", True),
        ("::ffff:1.2.3.4/120", True),
        ("::1/129", False),
        ("fe80::1%eth0/64", False),
        ("1::2::3/64", False),
        ("", False),
    ],
)
def test_is_valid_cidr(text: str, valid: bool) -> None:
    assert is_valid_cidr(text) is valid


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("", True),
        ("UTC", True),
        ("Local", True),
        ("Europe/Berlin", True),
        ("America/New_York", True),
        ("Mars/Base", False),
        ("../UTC", False),
        ("/etc/localtime", False),
        ("\\x", False),
        ("utc", False),
    ],
)
def test_is_valid_time_zone(name: str, valid: bool) -> None:
    assert is_valid_time_zone(name) is valid


@pytest.mark.parametrize(
    ("subject", "wild"),
    [
        ("*", True),
        (">", True),
        ("a.>", True),
        ("a.*", True),
        ("*.a", True),
        ("a.*.b", True),
        ("a", False),
        ("a*", False),
        ("a.b>", False),
        (">.a", False),
        ("a.>.b", False),
        ("", False),
    ],
)
def test_has_wildcards(subject: str, wild: bool) -> None:
    assert has_wildcards(subject) is wild


@pytest.mark.parametrize(
    ("subject", "other", "contained"),
    [
        ("foo", "foo", True),
        ("foo.bar", "foo.*", True),
        ("foo.bar.baz", "foo.>", True),
        ("foo.bar", "foo.>", True),
        ("foo", "foo.>", False),
        ("foo.bar.baz", "foo.*", False),
        ("foo.*", "foo.bar", False),
        ("foo.*", "foo.*", True),
        ("foo.>", "foo.>", True),
        ("foo.>", "foo.*", True),  # wildcards in the subject are plain tokens
        ("a.b", ">", True),
        ("a.b", "*.b", True),
        ("a.c", "*.b", False),
        ("", "", True),
        ("a", "", False),
    ],
)
def test_is_contained_in(subject: str, other: str, contained: bool) -> None:
    assert is_contained_in(subject, other) is contained


@pytest.mark.parametrize(
    ("local", "subject"),
    [
        ("l.$1", "l.*"),
        ("$2.x.$1", "*.x.*"),
        ("l.$x", "l.$x"),
        ("l.$", "l.$"),
        ("l.$+1", "l.*"),
        ("plain", "plain"),
    ],
)
def test_renaming_to_subject(local: str, subject: str) -> None:
    assert renaming_to_subject(local) == subject


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12),
        ("+3", 3),
        ("-3", -3),
        ("007", 7),
        ("", None),
        ("+", None),
        ("1_0", None),
        (" 1", None),
        ("٣", None),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
    ],
)
def test_go_atoi(text: str, value: int | None) -> None:
    assert go_atoi(text) == value


@pytest.mark.parametrize(
    ("url", "error"),
    [
        (
            "127.0.0.1:4222",
            'parse "127.0.0.1:4222": first path segment in URL cannot contain colon',
        ),
        (":x", 'parse ":x": missing protocol scheme'),
        ("http://h\x01", 'parse "http://h\\x01": net/url: invalid control character in URL'),
        ("http://[::1", "parse \"http://[::1\": missing ']' in host"),
        ("http://[::1]x", 'parse "http://[::1]x": invalid port "x" after host'),
        ("http://h:p", 'parse "http://h:p": invalid port ":p" after host'),
        ("http://a b", 'parse "http://a b": invalid character " " in host name'),
        ("http://h%41", 'parse "http://h%41": invalid URL escape "%41"'),
        ("http://u{@h", 'parse "http://u{@h": net/url: invalid userinfo'),
        ("http://u:%zz@h", 'parse "http://u:%zz@h": invalid URL escape "%zz"'),
        ("/p%2", 'parse "/p%2": invalid URL escape "%2"'),
        ("/p%é", 'parse "/p%é": invalid URL escape "%é"'),
        ("/p%\U0001f600", 'parse "/p%\U0001f600": invalid URL escape "%\\xf0\\x9f"'),
        ("http://h/#%x", 'parse "http://h/#%x": invalid URL escape "%x"'),
    ],
)
def test_parse_go_url_errors(url: str, error: str) -> None:
    with pytest.raises(GoURLError) as caught:
        parse_go_url(url)
    assert str(caught.value) == error


@pytest.mark.parametrize(
    ("url", "scheme", "user", "host", "hostname", "path"),
    [
        ("NATS://h:4222", "nats", None, "h:4222", "h", ""),
        ("nats://u:p@h", "nats", "u:p", "h", "h", ""),
        ("nats://@h", "nats", "", "h", "h", ""),
        ("https://[::1]:80/x?q#f", "https", None, "[::1]:80", "::1", "/x"),
        ("localhost:9090", "localhost", None, "", "", ""),
        ("nats:h:4222", "nats", None, "", "", ""),
        ("//h/p", "", None, "h", "h", "/p"),
        ("///p", "", None, "", "", "///p"),
        ("h/p%41", "", None, "", "", "h/pA"),
        ("*", "", None, "", "", "*"),
        ("", "", None, "", "", ""),
    ],
)
def test_parse_go_url(
    url: str, scheme: str, user: str | None, host: str, hostname: str, path: str
) -> None:
    parsed = parse_go_url(url)
    assert (parsed.scheme, parsed.user, parsed.host, parsed.hostname(), parsed.path) == (
        scheme,
        user,
        host,
        hostname,
        path,
    )


@pytest.mark.parametrize(
    ("version", "error"),
    [
        ("", None),
        ("2.10.0", None),
        ("+2.10.0", None),
        ("2.10", "asserted server version must be of the form <major>.<minor>.<update>"),
        ("2..0", "asserted server version cant parse  to int"),
        ("2.1.0-beta", "asserted server version cant parse 0-beta to int"),
        ("-2.1.0", "asserted server version can'b contain negative values: -2.1.0"),
    ],
)
def test_server_version_error(version: str, error: str | None) -> None:
    assert server_version_error(version) == error


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("", None),
        ("nats://h:4222", None),
        ("nats:opaque", None),
        ("nats://h?x=1", None),
        ("h:4222", "operator service url \"h:4222\" - protocol not supported (only 'nats', "
         "'tls', 'ws', 'wss' only)"),
        ("nats://h:4222/x", 'operator service url "nats://h:4222/x" - paths are not supported'),
        ("tls://@h", 'operator service url "tls://@h" - credentials are not supported'),
    ],
)
def test_operator_service_url_error(url: str, error: str | None) -> None:
    assert operator_service_url_error(url) == error


def test_null_export_with_export_limits_does_not_crash() -> None:
    claims = account(
        exports=[None, stream("a.>")], limits=OperatorLimits(exports=5, wildcards=False)
    )
    assert kinds(validate(claims, now=NOW)) == [
        E("null export is not allowed"),
        WILDCARD_EXPORTS,
    ]


# Connection types: what nats-server does (Go's library does not check them) -------------------


def test_connection_types_known_unknown_and_none_known() -> None:
    from pynsc import claims as cl
    from pynsc import keys as ks

    user = cl.UserClaims(sub=ks.generate("user").public_key, name="u")
    user.nats.allowed_connection_types = ["STANDARD", "mqtt"]
    assert list(cl.validate(user, now=1)) == []
    user.nats.allowed_connection_types = ["STANDARD", "carrier-pigeon"]
    issues = list(cl.validate(user, now=1))
    assert [(i.description, i.blocking) for i in issues] == [
        ('unknown connection type "carrier-pigeon"', False)
    ]
    user.nats.allowed_connection_types = ["carrier-pigeon"]
    issues = list(cl.validate(user, now=1))
    assert [(i.description, i.blocking) for i in issues] == [
        ('unknown connection type "carrier-pigeon"', False),
        ("allowed connection types has no known type: nats-server refuses the user", True),
    ]
