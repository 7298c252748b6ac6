"""Where push and pull go (the URL rules), their options, TLS settings, and the checks made
before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.errors import PushError
from pynsc.push.operations import ServerOptions, check_pushable, resolve_target
from pynsc.push.tls import TlsOptions
from tests.cli.harness import new_account, new_operator


def _operator(asu: str = "", service: tuple[str, ...] = ()) -> c.OperatorClaims:
    claims = c.OperatorClaims(sub=keys.generate("operator").public_key, name="O")
    claims.nats.account_server_url = asu
    claims.nats.operator_service_urls = list(service)
    return claims


def test_url_flag_wins() -> None:
    target = resolve_target(_operator("http://asu/jwt/v1"), "nats://a:4222, nats://b:4222")
    assert (target.urls, target.mode) == (("nats://a:4222", "nats://b:4222"), "nats")


def test_account_server_url_then_service_urls() -> None:
    assert resolve_target(_operator("http://asu/jwt/v1", ("nats://s:1",))).mode == "http"
    target = resolve_target(_operator("", ("nats://s:1", "tls://t:2")))
    assert (target.urls, target.mode) == (("nats://s:1", "tls://t:2"), "nats")
    assert resolve_target(_operator("ws://h:8080")).mode == "nats"


def test_no_url_at_all() -> None:
    with pytest.raises(PushError) as raised:
        resolve_target(_operator())
    assert raised.value.message == (
        "no account server url or nats-server url was provided by the operator jwt"
    )


@pytest.mark.parametrize("url", ["ftp://x", "localhost:4222", "nats://a,http://b"])
def test_bad_urls(url: str) -> None:
    with pytest.raises(PushError):
        resolve_target(_operator(), url)


@pytest.mark.parametrize("timeout", [0, 0.5, 61])
def test_timeout_range(timeout: float) -> None:
    with pytest.raises(PushError) as raised:
        ServerOptions(timeout=timeout)
    assert "out of range" in raised.value.message


def test_tls_flags_default_to_the_environment() -> None:
    env = {"NATS_CA": "/ca.pem", "NATS_CERT": "/c.pem", "NATS_KEY": "/k.pem"}
    assert TlsOptions.from_flags(environ=env) == TlsOptions("/ca.pem", "/c.pem", "/k.pem")
    assert TlsOptions.from_flags(ca_cert="/mine.pem", environ=env).ca_cert == "/mine.pem"
    assert not TlsOptions.from_flags(environ={}).configured
    assert TlsOptions.from_flags(environ={}).wanted_for("tls://h:1")
    assert not TlsOptions.from_flags(environ={}).wanted_for("nats://h:1")


def test_tls_client_cert_needs_its_key(tmp_path: Path) -> None:
    with pytest.raises(PushError) as raised:
        TlsOptions(client_cert=str(tmp_path / "c.pem")).context()
    assert raised.value.message == "a client certificate needs both --client-cert and --client-key"
    with pytest.raises(PushError) as raised:
        TlsOptions(ca_cert=str(tmp_path / "missing.pem")).context()
    assert "does not exist" in raised.value.message


def test_check_pushable(tmp_path: Path) -> None:
    store, keystore, operator = new_operator(tmp_path)
    new_account(store, keystore, "A", operator)
    claims = store.account("A")
    check_pushable("A", claims, store.operator())

    claims.exp = 1
    with pytest.raises(PushError) as raised:
        check_pushable("A", claims, store.operator())
    assert raised.value.message == (
        'unable to push account "A" as it has validation issues: claim is expired'
    )
    stranger = keys.generate("operator")
    new_account(store, keystore, "B", stranger)
    with pytest.raises(PushError) as raised:
        check_pushable("B", store.account("B"), store.operator())
    assert raised.value.message.startswith(
        f'unable to push account "B": it is issued by {stranger.public_key}, not by operator "O"'
    )


def test_decode_unverified_reads_a_token_whose_signature_is_broken() -> None:
    from pynsc.errors import DecodeError, SignatureError

    operator = keys.generate("operator")
    token = c.encode(c.AccountClaims(sub=keys.generate("account").public_key, name="A"), operator)
    head, payload, signature = token.split(".")
    broken = f"{head}.{payload}.{'A' * len(signature)}"
    with pytest.raises(SignatureError):
        c.decode(broken, c.AccountClaims)
    assert c.decode_unverified(broken, c.AccountClaims).name == "A"
    assert c.peek(broken)["name"] == "A"
    with pytest.raises(DecodeError):
        c.decode_unverified(token, c.UserClaims)
