"""``pynsc add export``: every flag, nsc's messages, validation, JSON, and failures that change
nothing."""

from __future__ import annotations

import json

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.store import ops
from tests.cli.export.conftest import add_export, assert_account_valid, exports
from tests.cli.user.conftest import Env


def test_subject_is_required(env: Env) -> None:
    assert env.fails("add", "export", exit_code=2) == "subject is required"
    assert env.fails("add", "export", "--name", "x", exit_code=2) == "subject is required"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--subject", "foo"), 'added public stream export "foo"'),
        (("--subject", "bar", "--service"), 'added public service export "bar"'),
        (("-s", "bar", "-r"), 'added public service export "bar"'),
        (("--subject", "baz.>"), 'added public stream export "baz.>"'),
        (("--subject", "ar", "--name", "mar"), 'added public stream export "mar"'),
        (("--subject", "mar", "-n", "ar", "--service"), 'added public service export "ar"'),
        (("--subject", "pubstream", "--private"), 'added private stream export "pubstream"'),
        (("-s", "pubservice", "-p", "-r"), 'added private service export "pubservice"'),
    ],
)
def test_added(env: Env, args: tuple[str, ...], message: str) -> None:
    result = env.ok("add", "export", *args)
    assert result.stderr == f"[ OK ] {message}\n"
    assert result.stdout == ""
    (export,) = assert_account_valid(env).nats.exports
    assert export.name == message.split('"')[1]
    assert export.subject == args[1]
    assert export.is_service == ("--service" in args or "-r" in args)
    assert export.token_req == ("--private" in args or "-p" in args)


def test_nsc_sequence(env: Env) -> None:
    """nsc's Test_AddExport: streams and services of the same subjects coexist."""
    for args in (("foo",), ("bar", "--service"), ("bar",), ("foo", "--service"), ("baz.>",)):
        env.ok("add", "export", "--subject", *args)
    kinds = [(e.subject, e.type) for e in exports(env)]
    assert sorted(kinds) == [
        ("bar", "service"), ("bar", "stream"), ("baz.>", "stream"),
        ("foo", "service"), ("foo", "stream"),
    ]  # fmt: skip


def test_defaults(env: Env) -> None:
    env.ok("add", "export", "-s", "svc", "--service")
    env.ok("add", "export", "-s", "str")
    by_subject = {e.subject: e for e in exports(env)}
    service, stream = by_subject["svc"], by_subject["str"]
    assert service.response_type == "Singleton"
    assert stream.response_type == ""
    for export in (service, stream):
        assert not export.token_req
        assert not export.advertise
        assert not export.allow_trace
        assert export.service_latency is None
        assert export.response_threshold == 0
        assert export.account_token_position == 0


def test_exports_sorted_by_subject(env: Env) -> None:
    for subject in ("c", "a", "b.>", "a.b"):
        env.ok("add", "export", "-s", subject)
    assert [e.subject for e in exports(env)] == ["a", "a.b", "b.>", "c"]


def test_overlap_refused(env: Env) -> None:
    env.ok("add", "export", "-s", "a.b")
    assert env.fails("add", "export", "-s", "a.>") == (
        'stream export subject "a.>" already exports "a.b"'
    )
    assert env.fails("add", "export", "-s", "a.b") == (
        'stream export subject "a.b" already exports "a.b"'
    )
    env.ok("add", "export", "-s", "a.>", "--service")  # another kind
    assert env.fails("add", "export", "-s", "a.b.c", "-r") == (
        'service export subject "a.>" already exports "a.b.c"'
    )


def test_response_type(env: Env) -> None:
    assert env.fails("add", "export", "--subject", "re", "--response-type", "stream",
                     exit_code=2) == (
        "response type can only be specified in conjunction with service"
    )
    env.ok("add", "export", "-s", "q", "--service", "--response-type", "Chunked")
    env.ok("add", "export", "-s", "r", "--service", "--response-type", "stream")
    by_subject = {e.subject: e for e in exports(env)}
    assert by_subject["q"].response_type == "Chunked"
    assert by_subject["r"].response_type == "Stream"
    message = env.fails("add", "export", "-s", "x", "--service", "--response-type", "foo")
    assert message == 'invalid response type for service: "foo"'


def test_latency(env: Env) -> None:
    env.ok("add", "export", "--service", "-s", "q", "--latency", "q.lat", "--sampling", "100",
           "--response-type", "Stream")  # fmt: skip
    (export,) = exports(env)
    assert export.service_latency == c.ServiceLatency(sampling=100, results="q.lat")
    assert export.response_type == "Stream"


@pytest.mark.parametrize(("sampling", "expected"), [("header", 0), ("headers", 0), ("HEADER", 0),
                                                   ("1", 1), ("50", 50), (None, 0)])
def test_sampling_values(env: Env, sampling: str | None, expected: int) -> None:
    args = ("--sampling", sampling) if sampling is not None else ()
    env.ok("add", "export", "-r", "-s", "q", "--latency", "lat.q", *args)
    (export,) = exports(env)
    assert export.service_latency is not None
    assert export.service_latency.sampling == expected
    token = env.store.account_token("A")
    payload = c.decode_token(token).payload
    want: object = "headers" if expected == 0 else expected
    assert payload["nats"]["exports"][0]["service_latency"]["sampling"] == want


@pytest.mark.parametrize("sampling", ["0", "101", "-1", "x", "1.5"])
def test_bad_sampling(env: Env, sampling: str) -> None:
    message = env.fails("add", "export", "-r", "-s", "q", "--latency", "l", "--sampling",
                        sampling, exit_code=2)  # fmt: skip
    assert "--sampling" in message
    assert "is not a sampling rate" in message


def test_latency_rules(env: Env) -> None:
    assert env.fails("add", "export", "-r", "-s", "q", "--sampling", "10", exit_code=2) == (
        "sampling requires a latency subject"
    )
    assert env.fails("add", "export", "-s", "q", "--latency", "l") == (
        "latency tracking only permitted for services"
    )
    assert env.fails("add", "export", "-r", "-s", "q", "--latency", "l.*") == (
        "results subject can not contain wildcards"
    )


def test_response_threshold(env: Env) -> None:
    env.ok("add", "export", "-r", "-s", "q", "--response-threshold", "1s")
    env.ok("add", "export", "-r", "-s", "p", "--response-threshold", "250ms")
    by_subject = {e.subject: e for e in exports(env)}
    assert by_subject["q"].response_threshold == 1_000_000_000
    assert by_subject["p"].response_threshold == 250_000_000
    assert env.fails("add", "export", "-s", "s", "--response-threshold", "1s") == (
        "response threshold only valid for services"
    )
    assert env.fails("add", "export", "-r", "-s", "t", "--response-threshold", "-1s") == (
        "negative response threshold is invalid"
    )
    message = env.fails("add", "export", "-r", "-s", "t", "--response-threshold", "1", exit_code=2)
    assert 'time: missing unit in duration "1"' in message


def test_allow_trace(env: Env) -> None:
    env.ok("add", "export", "-r", "-s", "q", "--allow-trace")
    assert exports(env)[0].allow_trace
    assert env.fails("add", "export", "-s", "s", "--allow-trace") == (
        "AllowTrace only valid for service export"
    )


def test_account_token_position(env: Env) -> None:
    """nsc's acceptance behaviour #17."""
    assert env.fails("add", "export", "-s", "hello", "--account-token-position", "1") == (
        "Account Token Position can only be used with wildcard subjects: hello"
    )
    assert env.fails("add", "export", "-s", "*.hello", "--account-token-position", "2") == (
        "Account Token Position 2 matches 'hello' but must match a * in: *.hello"
    )
    assert env.fails("add", "export", "-s", "*.hello", "--account-token-position", "3") == (
        "Account Token Position 3 exceeds length of subject '*.hello'"
    )
    assert env.fails(
        "add", "export", "-s", "*.hello", "--account-token-position", "1", "--private",
        exit_code=2,
    ) == "account token position is only valid for public exports"
    env.ok("add", "export", "-s", "*.hello", "--account-token-position", "1")
    assert exports(env)[0].account_token_position == 1
    env.fails("add", "export", "-s", "x.*", "--account-token-position", "-1", exit_code=2)


def test_advertise_is_hidden(env: Env) -> None:
    assert "--advertise" not in env.ok("add", "export", "--help").stdout
    env.ok("add", "export", "-s", "a", "--advertise")
    assert exports(env)[0].advertise


def test_description_and_info_url(env: Env) -> None:
    env.ok("add", "export", "-s", "a", "--description", "the a stream",
           "--info-url", "https://example.com/a")  # fmt: skip
    export = exports(env)[0]
    assert (export.description, export.info_url) == ("the a stream", "https://example.com/a")
    assert "error parsing info url" in env.fails("add", "export", "-s", "b", "--info-url", "nope")


def test_bad_subject(env: Env) -> None:
    assert env.fails("add", "export", "-s", "a..b") == (
        'subject "a..b" cannot contain consecutive `.`'
    )
    assert env.fails("add", "export", "-s", "a b") == 'subject "a b" cannot have spaces'


def test_limits(env: Env) -> None:
    env.edit_account("A", lambda a: setattr(a.nats.limits, "exports", 1))
    env.ok("add", "export", "-s", "a")
    assert env.fails("add", "export", "-s", "b") == (
        "the account contains more exports than allowed by the operator"
    )
    env.edit_account("A", lambda a: setattr(a.nats.limits, "exports", 10))
    env.edit_account("A", lambda a: setattr(a.nats.limits, "wildcards", False))
    assert env.fails("add", "export", "-s", "b.*") == (
        "the account contains wildcard exports that are not allowed by the operator"
    )


def test_account_by_name_and_key(env: Env) -> None:
    b = env.add_account("B")
    env.ok("add", "export", "-s", "x", "-a", "B")
    env.ok("add", "export", "-s", "y", "-a", b.public_key)
    assert [e.subject for e in exports(env, "B")] == ["x", "y"]
    assert exports(env, "A") == []
    assert "not in accounts" in env.fails("add", "export", "-s", "z", "-a", "NOPE")


def test_keeps_other_fields(env: Env) -> None:
    add_export(env, "A", "old.*", type=c.SERVICE, token_req=True, revocations={"*": 5},
               account_token_position=0)  # fmt: skip
    env.edit_account("A", lambda a: a.nats.tags.append("t1"))
    env.ok("add", "export", "-s", "new")
    claims = assert_account_valid(env)
    old = next(e for e in claims.nats.exports if e.subject == "old.*")
    assert old.revocations == {"*": 5}
    assert claims.nats.tags == ["t1"]


def test_json(env: Env) -> None:
    payload = env.json("add", "export", "-s", "q", "-r", "--private", "--latency", "l",
                       "--sampling", "header")  # fmt: skip
    assert payload["messages"] == [{"level": "ok", "text": 'added private service export "q"'}]
    data = payload["data"]
    assert data["account"] == "A"
    assert data["export"] == {
        "name": "q", "subject": "q", "type": "service", "token_req": True,
        "response_type": "Singleton",
        "service_latency": {"sampling": "headers", "results": "l"},
    }  # fmt: skip
    assert data["jwt"] == env.store.account_token("A")
    assert_account_valid(env)


def test_json_failure(env: Env) -> None:
    result = env.run("add", "export", "--json")
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["messages"][0]["text"] == "subject is required"


def test_signed_by_operator_signing_key(env: Env) -> None:
    sk = keys.generate("operator")
    env.keystore.store(sk)
    operator = env.store.operator()
    operator.nats.signing_keys.append(sk.public_key)
    operator.nats.strict_signing_key_usage = True
    ops.save_operator(env.store, operator, env.operator)
    env.ok("add", "export", "-s", "a")
    assert assert_account_valid(env).iss == sk.public_key


def test_no_signing_key_changes_nothing(env: Env) -> None:
    env.keystore.remove(env.operator.public_key)
    assert "unable to resolve any of the following signing keys" in env.fails(
        "add", "export", "-s", "a"
    )
