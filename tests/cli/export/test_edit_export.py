"""``pynsc edit export``: selection by subject, every flag, fields kept, warnings, failures."""

from __future__ import annotations

import json

import pytest

from pynsc import claims as c
from tests.cli.export.conftest import add_export, assert_account_valid, exports
from tests.cli.user.conftest import Env


@pytest.fixture
def service(env: Env) -> Env:
    """Account A with a private service export ``a`` (nsc's tests' setup)."""
    add_export(env, "A", "a", type=c.SERVICE, token_req=True)
    return env


def test_no_option(service: Env) -> None:
    assert service.fails("edit", "export", exit_code=2) == "please specify some options"
    assert service.fails("edit", "export", "-s", "a", exit_code=2) == (
        "please specify some options"
    )


def test_no_exports(env: Env) -> None:
    assert env.fails("edit", "export", "--subject", "a", "--name", "x") == (
        'account "A" doesn\'t have exports'
    )


def test_subject_required_with_several(service: Env) -> None:
    add_export(service, "A", "b")
    assert service.fails("edit", "export", "--name", "x") == "a subject is required"
    assert service.fails("edit", "export", "-s", "c", "--name", "x") == (
        'no export with subject "c" found'
    )


def test_private_and_response_type(service: Env) -> None:
    """nsc's Test_EditExport_Private."""
    result = service.ok("edit", "export", "--subject", "a", "--private",
                        "--response-type", "Chunked")  # fmt: skip
    (export,) = assert_account_valid(service).nats.exports
    assert export.token_req
    assert export.response_type == "Chunked"
    assert result.stderr.splitlines() == [
        "[ OK ] changed response type to Chunked",
        '[ OK ] edited service export "a"',
    ]


def test_latency(service: Env) -> None:
    """nsc's Test_EditExport_Latency."""
    service.ok("edit", "export", "--subject", "a", "--sampling", "100", "--latency", "lat",
               "--response-threshold", "1s")  # fmt: skip
    (export,) = assert_account_valid(service).nats.exports
    assert export.service_latency == c.ServiceLatency(sampling=100, results="lat")
    assert export.response_threshold == 1_000_000_000


def test_sampling_alone_changes_rate(service: Env) -> None:
    service.ok("edit", "export", "--latency", "lat")  # the only export: no --subject needed
    assert exports(service)[0].service_latency == c.ServiceLatency(sampling=0, results="lat")
    result = service.ok("edit", "export", "--sampling", "25")
    assert exports(service)[0].service_latency == c.ServiceLatency(sampling=25, results="lat")
    assert "[ OK ] changed service latency to 25%" in result.stderr
    result = service.ok("edit", "export", "--latency", "lat2")
    assert exports(service)[0].service_latency == c.ServiceLatency(sampling=25, results="lat2")
    assert "[ OK ] changed service latency subject to lat2" in result.stderr
    assert "[WARN] changed latency subject will break consumers of the report" in result.stderr


def test_rm_latency_sampling(service: Env) -> None:
    """nsc's Test_EditExportRmLatencySampling (which nsc itself rejects as "no option")."""
    service.ok("edit", "export", "--subject", "a", "--sampling", "header", "--latency",
               "metrics.a")  # fmt: skip
    assert exports(service)[0].service_latency == c.ServiceLatency(sampling=0, results="metrics.a")
    result = service.ok("edit", "export", "--subject", "a", "--rm-latency-sampling")
    assert exports(service)[0].service_latency is None
    assert "[ OK ] removed latency tracking" in result.stderr
    result = service.ok("edit", "export", "--rm-latency-sampling")
    assert "[ OK ] no need to remove latency tracking as it was not set" in result.stderr


def test_sampling_zero_disables(service: Env) -> None:
    service.ok("edit", "export", "--latency", "l", "--sampling", "10")
    service.ok("edit", "export", "--sampling", "0")
    assert exports(service)[0].service_latency is None


def test_latency_failures(service: Env) -> None:
    assert service.fails("edit", "export", "--sampling", "10") == (
        "sampling requires a latency subject"
    )
    assert service.fails("edit", "export", "--rm-latency-sampling", "--latency", "x",
                         exit_code=2) == (
        "--rm-latency-sampling is exclusive of --latency and --sampling"
    )
    assert "is not a sampling rate" in service.fails(
        "edit", "export", "--sampling", "101", exit_code=2
    )
    add_export(service, "A", "s")
    assert service.fails("edit", "export", "-s", "s", "--latency", "l") == (
        "latency tracking only permitted for services"
    )


def test_response_threshold_alone(service: Env) -> None:
    result = service.ok("edit", "export", "--response-threshold", "2m")
    assert exports(service)[0].response_threshold == 120_000_000_000
    assert "[ OK ] changed response threshold to 2m0s" in result.stderr
    service.ok("edit", "export", "--response-threshold", "0")
    assert exports(service)[0].response_threshold == 0


def test_response_type(service: Env) -> None:
    assert service.fails("edit", "export", "--response-type", "foo", exit_code=2) == (
        'unknown response type "foo"'
    )
    service.ok("edit", "export", "--response-type", "stream")
    assert exports(service)[0].response_type == "Stream"
    add_export(service, "A", "s")
    assert service.fails("edit", "export", "-s", "s", "--response-type", "Stream") == (
        "response type can only be specified in conjunction with service"
    )


def test_allow_trace(env: Env) -> None:
    """nsc's TestEditServiceExportWTracing and TestEditStreamExportWTracing."""
    env.ok("add", "export", "--service", "--subject", "q", "--allow-trace")
    assert exports(env)[0].allow_trace
    env.ok("edit", "export", "--service", "--subject", "q", "--allow-trace=false")
    assert not exports(env)[0].allow_trace
    env.ok("edit", "export", "--subject", "q", "--allow-trace")
    assert exports(env)[0].allow_trace
    env.ok("add", "export", "--subject", "s")
    assert env.fails("edit", "export", "--subject", "s", "--allow-trace") == (
        "AllowTrace only valid for service export"
    )


def test_name_description_info_url(service: Env) -> None:
    result = service.ok("edit", "export", "-n", "renamed", "--description", "d",
                        "--info-url", "https://x.example")  # fmt: skip
    export = exports(service)[0]
    assert (export.name, export.description, export.info_url) == (
        "renamed", "d", "https://x.example"
    )
    assert result.stderr.splitlines() == [
        "[ OK ] changed export name to renamed",
        '[ OK ] changed description to "d"',
        '[ OK ] changed info url to "https://x.example"',
        '[ OK ] edited service export "renamed"',
    ]
    service.ok("edit", "export", "--description", "")
    assert exports(service)[0].description == ""
    assert "error parsing info url" in service.fails("edit", "export", "--info-url", "x")


def test_keeps_what_is_not_flagged(env: Env) -> None:
    """nsc drops account_token_position, advertise and revocations here; pynsc keeps them."""
    add_export(
        env, "A", "*.svc", name="svc", type=c.SERVICE, revocations={"*": 100},
        account_token_position=1, advertise=True, description="d", info_url="https://i.example",
        response_type="Stream", response_threshold=5, allow_trace=True,
        service_latency=c.ServiceLatency(sampling=10, results="lat"),
    )  # fmt: skip
    before = exports(env)[0]
    env.ok("edit", "export", "-s", "*.svc", "--name", "new")
    after = exports(env)[0]
    assert after.name == "new"
    after.name = before.name
    assert after == before
    assert_account_valid(env)


def test_private_and_public(env: Env) -> None:
    add_export(env, "A", "s")
    result = env.ok("edit", "export", "--private")
    assert exports(env)[0].token_req
    assert "[WARN] changed export to be private - this will break importers" in result.stderr
    result = env.ok("edit", "export", "--private=false")
    assert not exports(env)[0].token_req
    assert "[ OK ] changed export to be public" in result.stderr


def test_private_refused_with_token_position(env: Env) -> None:
    add_export(env, "A", "*.s", account_token_position=1)
    assert env.fails("edit", "export", "--private") == (
        "account token position is only valid for public exports"
    )


def test_change_kind(service: Env) -> None:
    service.ok("edit", "export", "--latency", "l", "--response-threshold", "1s",
               "--allow-trace", "--response-type", "Chunked")  # fmt: skip
    result = service.ok("edit", "export", "--service=false")
    export = exports(service)[0]
    assert export.is_stream
    assert (export.response_type, export.response_threshold) == ("", 0)
    assert export.service_latency is None
    assert not export.allow_trace
    assert export.token_req  # kept
    lines = result.stderr.splitlines()
    assert '[WARN] changed export type to "stream" - this will break importers' in lines
    assert any(line.startswith("[WARN] removed the service settings") for line in lines)
    assert lines[-1] == '[ OK ] edited stream export "a"'
    service.ok("edit", "export", "-r")
    assert exports(service)[0].is_service
    assert exports(service)[0].response_type == "Singleton"
    assert_account_valid(service)


def test_change_kind_refused_on_overlap(env: Env) -> None:
    add_export(env, "A", "a.>", type=c.SERVICE)
    add_export(env, "A", "a.b")
    assert env.fails("edit", "export", "-s", "a.b", "--service") == (
        'service export subject "a.>" already exports "a.b"'
    )


def test_same_subject_both_kinds(env: Env) -> None:
    add_export(env, "A", "bar")
    add_export(env, "A", "bar", type=c.SERVICE)
    message = env.fails("edit", "export", "-s", "bar", "--name", "x")
    assert message == 'subject "bar" is exported both as a stream and as a service'
    env.ok("edit", "export", "-s", "bar", "--service", "--name", "svc")
    env.ok("edit", "export", "-s", "bar", "--service=false", "--name", "str")
    assert sorted((e.name, e.type) for e in exports(env)) == [
        ("str", "stream"), ("svc", "service")
    ]


def test_other_account(env: Env) -> None:
    env.add_account("B")
    add_export(env, "B", "b")
    env.ok("edit", "export", "-a", "B", "--name", "bb")
    assert exports(env, "B")[0].name == "bb"


def test_json(service: Env) -> None:
    payload = service.json("edit", "export", "--private=false")
    assert payload["messages"] == [
        {"level": "ok", "text": "changed export to be public"},
        {"level": "ok", "text": 'edited service export "a"'},
    ]
    assert payload["data"]["export"] == {
        "name": "a", "subject": "a", "type": "service"
    }  # fmt: skip
    assert payload["data"]["jwt"] == service.store.account_token("A")


def test_json_failure(service: Env) -> None:
    result = service.run("edit", "export", "-s", "zz", "--name", "x", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["messages"][0]["text"] == 'no export with subject "zz" found'
