"""The export rules, at the library level: add_export, edit_export, delete_export, the sampling
and response-type values, and the account edit they share (no CLI involved)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pynsc import claims
from pynsc.actions.exports import (
    HEADERS_SAMPLING,
    SAMPLING_OFF,
    ExportChanges,
    add_export,
    check_response_type,
    delete_export,
    edit_export,
    parse_sampling,
)
from pynsc.claims import SERVICE, STREAM, AccountClaims, Export, ServiceLatency
from pynsc.errors import ClaimsError, KeyStoreError, NotFoundError, StoreError, UsageError
from pynsc.store.ops import save_account, save_operator
from pynsc.store.report import Report

from .builders import Deployment, deployment


def _account(d: Deployment, name: str = "A") -> AccountClaims:
    return claims.decode(d.account_jwt(name), AccountClaims)


def _exports(d: Deployment) -> list[Export]:
    return _account(d).nats.exports


def _overlap(subject: str, other: str) -> str:
    return re.escape(f'stream export subject "{subject}" already exports "{other}"')


def _texts(report: Report) -> list[str]:
    return [f"{e.status.label}: {e.text}" for e in report.children]


# add_export ----------------------------------------------------------------------------------


def test_add_a_public_stream_export_re_signed_by_the_operator() -> None:
    d = deployment()
    result = add_export(d.nsc, "orders.>")
    assert _texts(result.report) == ['ok: added public stream export "orders.>"']
    (export,) = _exports(d)
    assert export == Export(name="orders.>", subject="orders.>", type=STREAM)
    assert result.export == export
    assert result.jwt == d.account_jwt()
    assert (result.account, result.public_key) == ("A", d.account.public_key)
    assert _account(d).iss == d.operator.public_key
    assert result.report.data["export"]["subject"] == "orders.>"


def test_add_a_private_service_with_latency_and_canonical_response_type() -> None:
    d = deployment()
    result = add_export(d.nsc, "svc.*", name="Svc", service=True, private=True,
                        response_type="chunked", latency="lat.svc",
                        response_threshold=2_000_000_000)  # fmt: skip
    assert _texts(result.report) == ['ok: added private service export "Svc"']
    (export,) = _exports(d)
    assert (export.type, export.token_req, export.response_type) == (SERVICE, True, "Chunked")
    assert export.service_latency == ServiceLatency(sampling=HEADERS_SAMPLING, results="lat.svc")
    assert export.response_threshold == 2_000_000_000


def test_a_service_defaults_to_singleton_responses() -> None:
    d = deployment()
    assert add_export(d.nsc, "q", service=True).export.response_type == "Singleton"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"subject": ""}, "subject is required"),
        ({"response_type": "Stream"}, "response type can only be specified in conjunction "
                                      "with service"),
        ({"subject": "*.a", "private": True, "account_token_position": 1},
         "account token position is only valid for public exports"),
        ({"service": True, "sampling": 10}, "sampling requires a latency subject"),
        ({"account_token_position": -1}, "account token position cannot be negative"),
    ],
)  # fmt: skip
def test_add_export_argument_rules(kwargs: dict[str, object], message: str) -> None:
    d = deployment()
    before = d.account_jwt()
    subject = str(kwargs.pop("subject", "s"))
    with pytest.raises(UsageError, match=message):
        add_export(d.nsc, subject, **kwargs)  # type: ignore[arg-type]
    assert d.account_jwt() == before


@pytest.mark.parametrize(
    ("subject", "kwargs", "message"),
    [
        ("a b", {}, 'subject "a b" cannot have spaces'),
        ("a..b", {}, "cannot contain consecutive"),
        ("s", {"latency": "l"}, "latency tracking only permitted for services"),
        ("q", {"service": True, "latency": "l.*"}, "results subject can not contain wildcards"),
        ("q", {"service": True, "latency": "l", "sampling": 101},
         "sampling percentage needs to be between 1-100"),
        ("s", {"response_threshold": 1}, "response threshold only valid for services"),
        ("q", {"service": True, "response_threshold": -1},
         "negative response threshold is invalid"),
        ("s", {"allow_trace": True}, "AllowTrace only valid for service export"),
        ("hello", {"account_token_position": 1},
         "Account Token Position can only be used with wildcard subjects: hello"),
        ("*.hello", {"account_token_position": 2},
         "Account Token Position 2 matches 'hello' but must match a \\* in: \\*.hello"),
        ("q", {"service": True, "response_type": "foo"},
         'invalid response type for service: "foo"'),
        ("b", {"info_url": "nope"}, "error parsing info url"),
    ],
)  # fmt: skip
def test_an_export_that_does_not_validate_is_refused(
    subject: str, kwargs: dict[str, object], message: str
) -> None:
    d = deployment()
    before = d.account_jwt()
    with pytest.raises(ClaimsError, match=message):
        add_export(d.nsc, subject, **kwargs)  # type: ignore[arg-type]
    assert d.account_jwt() == before


def test_no_overlapping_exports_of_the_same_kind() -> None:
    d = deployment()
    add_export(d.nsc, "a.b")
    with pytest.raises(ClaimsError, match=_overlap("a.>", "a.b")):
        add_export(d.nsc, "a.>")
    with pytest.raises(ClaimsError, match=_overlap("a.b", "a.b")):
        add_export(d.nsc, "a.b", name="again")
    add_export(d.nsc, "a.>", service=True)  # another kind
    assert sorted((e.subject, e.type) for e in _exports(d)) == [("a.>", SERVICE), ("a.b", STREAM)]


def test_an_account_token_position_on_a_wildcard() -> None:
    d = deployment()
    assert add_export(d.nsc, "*.hello", account_token_position=1).export.account_token_position == 1


def test_the_account_is_found_by_name_or_key_and_must_exist() -> None:
    d = deployment()
    add_export(d.nsc, "s", account="SYS")
    add_export(d.nsc, "t", account=d.account.public_key)
    assert [e.subject for e in _account(d, "SYS").nats.exports] == ["s"]
    assert [e.subject for e in _exports(d)] == ["t"]
    with pytest.raises(NotFoundError, match='"NOPE" not in accounts for operator "O"'):
        add_export(d.nsc, "z", account="NOPE")


def test_signed_by_an_operator_signing_key_or_refused_without_one() -> None:
    d = deployment()
    operator = d.nsc.store().operator()
    (sk_public,) = operator.nats.signing_keys
    add_export(d.nsc, "s", signer=sk_public)
    assert _account(d).iss == sk_public
    d.nsc.keystore.remove(d.operator.public_key)
    d.nsc.keystore.remove(sk_public)
    with pytest.raises(KeyStoreError, match="unable to resolve any of the following signing"):
        add_export(d.nsc, "t")


def test_a_strict_operator_signs_with_its_signing_key() -> None:
    d = deployment()
    operator = d.nsc.store().operator()
    operator.nats.strict_signing_key_usage = True
    save_operator(d.nsc.store(), operator, d.operator)
    add_export(d.nsc, "s")
    assert _account(d).iss == operator.nats.signing_keys[0]


def test_on_disk(tmp_path: Path) -> None:
    d = deployment(tmp_path)
    result = add_export(d.nsc, "disk.>", private=True)
    assert (tmp_path / "stores" / "O" / "accounts" / "A" / "A.jwt").read_text() == result.jwt


# Values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "allow_zero", "expected"),
    [("header", False, HEADERS_SAMPLING), ("HEADERS", False, HEADERS_SAMPLING), ("1", False, 1),
     ("100", False, 100), (" 50 ", True, 50), ("0", True, SAMPLING_OFF)],
)  # fmt: skip
def test_parse_sampling(text: str, allow_zero: bool, expected: int) -> None:
    assert parse_sampling(text, allow_zero=allow_zero) == expected


@pytest.mark.parametrize(("text", "allow_zero"), [("0", False), ("101", True), ("-1", True),
                                                  ("x", False), ("1.5", True)])  # fmt: skip
def test_parse_sampling_refuses(text: str, allow_zero: bool) -> None:
    with pytest.raises(UsageError, match="is not a sampling rate"):
        parse_sampling(text, allow_zero=allow_zero)


def test_check_response_type() -> None:
    assert [check_response_type(t) for t in ("singleton", "STREAM", "Chunked")] == [
        "Singleton", "Stream", "Chunked"
    ]  # fmt: skip
    with pytest.raises(UsageError, match='unknown response type "foo"'):
        check_response_type("foo")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"response_type": "foo"}, 'unknown response type "foo"'),
        ({"sampling": 101}, "is not a sampling rate"),
        ({"rm_latency_sampling": True, "latency": "x"},
         "--rm-latency-sampling is exclusive of --latency and --sampling"),
        ({"rm_latency_sampling": True, "sampling": 5}, "--rm-latency-sampling is exclusive"),
        ({"sampling": SAMPLING_OFF, "latency": "x"}, "--sampling 0 turns latency tracking off"),
    ],
)  # fmt: skip
def test_export_changes_refuse_contradictions(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        ExportChanges(**kwargs)  # type: ignore[arg-type]


def test_export_changes_canonicalise_the_response_type() -> None:
    assert ExportChanges(response_type="stream").response_type == "Stream"
    assert ExportChanges().is_empty()
    assert not ExportChanges(allow_trace=False).is_empty()


# edit_export ---------------------------------------------------------------------------------


def _service(d: Deployment) -> None:
    """A private service export ``a``."""
    add_export(d.nsc, "a", service=True, private=True)


def test_edit_needs_a_change() -> None:
    d = deployment()
    _service(d)
    with pytest.raises(UsageError, match="please specify some options"):
        edit_export(d.nsc, "a", changes=ExportChanges())


def test_edit_the_only_export_and_report_each_change() -> None:
    d = deployment()
    _service(d)
    result = edit_export(d.nsc, changes=ExportChanges(
        name="renamed", private=False, response_type="Chunked", response_threshold=120 * 10**9,
        allow_trace=True, description="d", info_url="https://x.example",
    ))  # fmt: skip
    assert _texts(result.report) == [
        "ok: changed export name to renamed",
        "ok: changed export to be public",
        "ok: changed response threshold to 2m0s",
        "ok: changed response type to Chunked",
        "ok: changed allow trace to true",
        'ok: changed description to "d"',
        'ok: changed info url to "https://x.example"',
        'ok: edited service export "renamed"',
    ]
    (export,) = _exports(d)
    assert (export.name, export.token_req, export.response_type) == ("renamed", False, "Chunked")
    assert result.export == export


def test_edit_keeps_what_it_is_not_asked_to_change_including_revocations() -> None:
    d = deployment()
    _service(d)
    store = d.nsc.store()
    account = store.account("A")
    account.nats.exports[0].revocations = {"*": 1_700_000_000}
    account.nats.exports[0].description = "kept"
    save_account(store, "A", account, d.operator)
    edit_export(d.nsc, "a", changes=ExportChanges(name="x"))
    (export,) = _exports(d)
    assert export.revocations == {"*": 1_700_000_000}
    assert (export.description, export.token_req, export.type) == ("kept", True, SERVICE)


def test_making_an_export_private_warns_and_refuses_a_token_position() -> None:
    d = deployment()
    add_export(d.nsc, "a.*")
    result = edit_export(d.nsc, "a.*", changes=ExportChanges(private=True))
    assert _texts(result.report)[0] == "warning: changed export to be private - this will break " \
                                       "importers"  # fmt: skip
    add_export(d.nsc, "b.*", account_token_position=2)
    with pytest.raises(StoreError, match="account token position is only valid for public"):
        edit_export(d.nsc, "b.*", changes=ExportChanges(private=True))


def test_a_service_turned_stream_loses_its_service_settings() -> None:
    d = deployment()
    add_export(d.nsc, "a", service=True, latency="lat", response_threshold=10**9,
               allow_trace=True)  # fmt: skip
    result = edit_export(d.nsc, "a", changes=ExportChanges(service=False))
    assert _texts(result.report) == [
        'warning: changed export type to "stream" - this will break importers',
        "warning: removed the service settings a stream cannot have: response type, response "
        "threshold, latency tracking, allow trace",
        'ok: edited stream export "a"',
    ]
    (export,) = _exports(d)
    assert (export.response_type, export.response_threshold) == ("", 0)
    assert (export.service_latency, export.allow_trace) == (None, False)
    edit_export(d.nsc, "a", changes=ExportChanges(service=True))
    assert _exports(d)[0].response_type == "Singleton"


def test_a_stream_takes_no_response_type() -> None:
    d = deployment()
    add_export(d.nsc, "s")
    with pytest.raises(StoreError, match="response type can only be specified in conjunction"):
        edit_export(d.nsc, "s", changes=ExportChanges(response_type="Stream"))


def test_latency_edits() -> None:
    d = deployment()
    _service(d)
    with pytest.raises(StoreError, match="sampling requires a latency subject"):
        edit_export(d.nsc, changes=ExportChanges(sampling=10))
    result = edit_export(d.nsc, changes=ExportChanges(latency="lat", sampling=50))
    assert _texts(result.report)[:2] == [
        "ok: changed service latency to 50%", "ok: changed service latency subject to lat"
    ]  # fmt: skip
    result = edit_export(d.nsc, changes=ExportChanges(latency="lat2"))
    assert _texts(result.report)[:2] == [
        "ok: changed service latency subject to lat2",
        "warning: changed latency subject will break consumers of the report",
    ]
    assert _exports(d)[0].service_latency == ServiceLatency(sampling=50, results="lat2")
    result = edit_export(d.nsc, changes=ExportChanges(sampling=SAMPLING_OFF))
    assert _texts(result.report)[0] == "ok: removed latency tracking"
    assert _exports(d)[0].service_latency is None
    result = edit_export(d.nsc, changes=ExportChanges(rm_latency_sampling=True))
    assert _texts(result.report)[0] == "ok: no need to remove latency tracking as it was not set"
    add_export(d.nsc, "s")
    with pytest.raises(ClaimsError, match="latency tracking only permitted for services"):
        edit_export(d.nsc, "s", changes=ExportChanges(latency="l"))


def test_edit_selects_by_subject_and_kind() -> None:
    d = deployment()
    with pytest.raises(NotFoundError, match='account "A" doesn\'t have exports'):
        edit_export(d.nsc, "a", changes=ExportChanges(name="x"))
    add_export(d.nsc, "a")
    add_export(d.nsc, "b")
    with pytest.raises(StoreError, match="a subject is required"):
        edit_export(d.nsc, changes=ExportChanges(name="x"))
    with pytest.raises(NotFoundError, match='no export with subject "c" found'):
        edit_export(d.nsc, "c", changes=ExportChanges(name="x"))
    add_export(d.nsc, "a", service=True)
    with pytest.raises(StoreError, match='subject "a" is exported both as a stream and as a'):
        edit_export(d.nsc, "a", changes=ExportChanges(name="x"))
    edit_export(d.nsc, "a", changes=ExportChanges(service=True, name="svc"))
    assert {(e.subject, e.type): e.name for e in _exports(d)}[("a", SERVICE)] == "svc"


def test_edit_that_brings_a_new_issue_is_refused() -> None:
    d = deployment()
    add_export(d.nsc, "a.b")
    add_export(d.nsc, "a.>", service=True)
    before = d.account_jwt()
    with pytest.raises(ClaimsError, match=_overlap("a.>", "a.b")):
        edit_export(d.nsc, "a.>", changes=ExportChanges(service=False))
    assert d.account_jwt() == before


# delete_export -------------------------------------------------------------------------------


def test_delete_export() -> None:
    d = deployment()
    with pytest.raises(NotFoundError, match='account "A" doesn\'t have exports'):
        delete_export(d.nsc, "a")
    add_export(d.nsc, "a")
    with pytest.raises(NotFoundError, match='no export matching "b" found'):
        delete_export(d.nsc, "b")
    result = delete_export(d.nsc)  # the only export
    assert _texts(result.report) == ['ok: deleted stream export "a"']
    assert result.export.subject == "a"
    assert _exports(d) == []


def test_delete_needs_a_subject_and_a_kind_when_ambiguous() -> None:
    d = deployment()
    add_export(d.nsc, "a")
    add_export(d.nsc, "a", service=True)
    with pytest.raises(StoreError, match="subject is required"):
        delete_export(d.nsc)
    with pytest.raises(StoreError, match="exported both as a stream and as a service"):
        delete_export(d.nsc, "a")
    delete_export(d.nsc, "a", service=True)
    assert [(e.subject, e.type) for e in _exports(d)] == [("a", STREAM)]


def test_a_failed_edit_writes_nothing_and_keeps_the_keystore() -> None:
    d = deployment()
    before = (d.account_jwt(), sorted(d.nsc.keystore.list()))
    with pytest.raises(NotFoundError):
        delete_export(d.nsc, "x")
    assert (d.account_jwt(), sorted(d.nsc.keystore.list())) == before


# Subjects nats-server cannot use -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "kwargs", "message"),
    [
        ("a\tb", {}, 'subject "a\\tb" cannot contain a tab ("\\t")'),
        ("a\r\nb", {}, 'subject "a\\r\\nb" cannot contain a carriage return ("\\r")'),
        ("a.>.b", {}, 'subject "a.>.b" can have ">" only as its last token'),
        (">.a", {}, 'subject ">.a" can have ">" only as its last token'),
        ("q", {"service": True, "latency": "lat\nx"},
         'subject "lat\\nx" cannot contain a newline ("\\n")'),
    ],
)  # fmt: skip
def test_add_refuses_subjects_the_server_cannot_use(
    subject: str, kwargs: dict[str, object], message: str
) -> None:
    d = deployment()
    before = d.account_jwt()
    with pytest.raises(UsageError) as caught:
        add_export(d.nsc, subject, **kwargs)  # type: ignore[arg-type]
    assert caught.value.message == message
    assert d.account_jwt() == before


def test_edit_refuses_a_latency_subject_the_server_cannot_use() -> None:
    d = deployment()
    add_export(d.nsc, "q", service=True)
    before = d.account_jwt()
    with pytest.raises(UsageError) as caught:
        edit_export(d.nsc, "q", changes=ExportChanges(latency="a.>.b"))
    assert caught.value.message == 'subject "a.>.b" can have ">" only as its last token'
    assert d.account_jwt() == before
