"""``pynsc generate activation``: subject and target rules, the token, signers, output file,
--push to a local account server, JSON, and failures that change nothing."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.claims.jwt import decode_token
from pynsc.keys import KeyPair
from pynsc.paths import Paths
from pynsc.store import ToolConfig
from tests.cli.export.conftest import (
    AccountServer,
    add_export,
    assert_valid,
    set_account_server,
)
from tests.cli.user.conftest import Env

BEGIN = "-----BEGIN NATS ACTIVATION JWT-----"


@pytest.fixture
def target(env: Env) -> KeyPair:
    """Account B, the importer; A stays the current account."""
    key = env.add_account("B")
    ToolConfig.update(Paths.resolve(all_dirs=env.home, env={}).config_file, account="A")
    return key


@pytest.fixture
def private(env: Env, target: KeyPair) -> Env:
    """A exports the private service ``foo`` and the public stream ``pub.>``."""
    add_export(env, "A", "foo", type=c.SERVICE, token_req=True, name="Foo")
    add_export(env, "A", "pub.>")
    return env


def token_of(text: str) -> str:
    """The JWT of a decorated activation."""
    lines = text.splitlines()
    assert lines[0] == BEGIN, text
    return lines[1]


def activation(text: str) -> c.ActivationClaims:
    claims: c.ActivationClaims = assert_valid(token_of(text), c.ActivationClaims)
    return claims


def test_no_exports(env: Env) -> None:
    assert env.fails("generate", "activation", "-t", "B") == 'account "A" doesn\'t have exports'


def test_no_private_exports(env: Env) -> None:
    add_export(env, "A", "foo", type=c.SERVICE)
    assert env.fails("generate", "activation") == (
        'account "A" doesn\'t have exports that require an activation token'
    )


def test_target_required(private: Env) -> None:
    assert private.fails("generate", "activation", exit_code=2) == (
        "target-account cannot be empty"
    )
    assert private.fails("generate", "activation", "-t", " ", exit_code=2) == (
        "target-account cannot be empty"
    )


def test_subject_required_with_several_private(private: Env) -> None:
    add_export(private, "A", "bar.>", token_req=True)
    assert private.fails("generate", "activation", "-t", "B") == "a subject is required"


def test_generates_for_public_key(private: Env, target: KeyPair) -> None:
    """nsc's acceptance behaviour #22: the only private export needs no --subject."""
    before = private.digest()
    result = private.ok("generate", "activation", "--target-account", target.public_key)
    assert private.digest() == before  # nothing stored
    act = activation(result.stdout)
    account = private.store.account("A")
    assert act.sub == target.public_key
    assert act.iss == account.sub
    assert act.name == "foo"
    assert act.nats.subject == "foo"
    assert act.nats.kind == c.SERVICE
    assert act.nats.issuer_account == ""
    assert (act.nbf, act.exp) == (0, 0)
    assert result.stdout.endswith("\n------END NATS ACTIVATION JWT------\n\n")
    assert result.stderr == f'[ OK ] generated "Foo" activation for account "{target.public_key}"\n'


def test_target_by_local_name(private: Env, target: KeyPair) -> None:
    """nsc's acceptance behaviour #23."""
    result = private.ok("generate", "activation", "-a", "A", "-t", "B")
    assert activation(result.stdout).sub == target.public_key


def test_bad_target(private: Env) -> None:
    message = private.fails("generate", "activation", "-t", "NOPE")
    assert message == '"NOPE" is not an account public key nor an account of operator "O"'
    user = keys.generate("user").public_key
    assert private.fails("generate", "activation", "-t", user).startswith(f'"{user}" is not')


def test_narrower_subject(env: Env, target: KeyPair) -> None:
    add_export(env, "A", "orders.>", token_req=True)
    add_export(env, "A", "svc.*", type=c.SERVICE, token_req=True)
    act = activation(env.ok("generate", "activation", "-s", "orders.eu.>", "-t", "B").stdout)
    assert (act.nats.subject, act.nats.kind, act.name) == ("orders.eu.>", c.STREAM, "orders.eu.>")
    act = activation(env.ok("generate", "activation", "-s", "svc.x", "-t", "B").stdout)
    assert (act.nats.subject, act.nats.kind) == ("svc.x", c.SERVICE)
    # nats-server serves a service import of a wildcard activation (nsc refused to make one)
    act = activation(env.ok("generate", "activation", "-s", "svc.*", "-t", "B").stdout)
    assert (act.nats.subject, act.nats.kind) == ("svc.*", c.SERVICE)
    assert env.fails("generate", "activation", "-s", "other", "-t", "B") == (
        'a private export for "other" was not found in account "A"'
    )
    assert env.fails("generate", "activation", "-s", "orders..x", "-t", "B", exit_code=2) == (
        'subject "orders..x" cannot contain consecutive `.`'
    )
    # subjects nats-server can never use
    assert env.fails("generate", "activation", "-s", "orders.>.x", "-t", "B", exit_code=2) == (
        'subject "orders.>.x" can have ">" only as its last token'
    )
    assert env.fails("generate", "activation", "-s", "orders.\r", "-t", "B", exit_code=2) == (
        'subject "orders.\\r" cannot contain a carriage return ("\\r")'
    )


def test_public_export_is_not_granted(private: Env) -> None:
    assert private.fails("generate", "activation", "-s", "pub.x", "-t", "B") == (
        'a private export for "pub.x" was not found in account "A"'
    )


def test_start_and_expiry(private: Env) -> None:
    result = private.ok("generate", "activation", "-t", "B", "--start", "2030-01-01",
                        "--expiry", "2040-01-01")  # fmt: skip
    act = c.decode(token_of(result.stdout), c.ActivationClaims)
    assert act.nbf == 1893456000
    assert act.exp == 2208988800
    lines = result.stderr.splitlines()
    assert lines[1].startswith("[ OK ] token valid 2030-01-01 00:00:00 UTC - ")
    assert lines[2].startswith("[ OK ] token expires 2040-01-01 00:00:00 UTC - ")
    assert any("claim is not yet valid" in line for line in lines)


def test_signed_by_signing_key(private: Env, target: KeyPair) -> None:
    """An account whose identity seed is not stored signs with its signing key."""
    sk = private.add_signing_key("A")
    private.keystore.remove(private.accounts["A"].public_key)
    act = activation(private.ok("generate", "activation", "-t", "B").stdout)
    assert act.iss == sk.public_key
    assert act.nats.issuer_account == private.store.account("A").sub


def test_signer_by_private_key_flag(private: Env) -> None:
    sk = private.add_signing_key("A", store_key=False)
    act = activation(
        private.ok("generate", "activation", "-t", "B", "-K", sk.require_seed()).stdout
    )
    assert act.iss == sk.public_key
    assert act.nats.issuer_account == private.store.account("A").sub


def test_strict_operator_needs_signing_key(private: Env) -> None:
    private.set_strict()
    message = private.fails("generate", "activation", "-t", "B")
    assert "signing key" in message
    sk = private.add_signing_key("A")
    act = activation(private.ok("generate", "activation", "-t", "B").stdout)
    assert act.iss == sk.public_key


def test_no_signer(private: Env) -> None:
    private.keystore.remove(private.accounts["A"].public_key)
    assert "unable to resolve any of the following signing keys" in private.fails(
        "generate", "activation", "-t", "B"
    )


def test_output_file(private: Env, tmp_path: Path, target: KeyPair) -> None:
    out = tmp_path / "out" / "token.jwt"
    result = private.ok("generate", "activation", "-t", "B", "-o", str(out))
    assert result.stdout == ""
    assert f"[ OK ] wrote activation to `{out}`" in result.stderr
    text = out.read_text()
    assert activation(text).sub == target.public_key
    assert out.stat().st_mode & 0o777 == 0o600
    assert os.listdir(out.parent) == ["token.jwt"]  # written through a temp file, renamed
    # the same token round-trips through the library's decorated-JWT reader
    assert decode_token(token_of(text)).claim_type == "activation"


@pytest.mark.parametrize("stdout", ["--", "-"])
def test_output_dash_is_stdout(private: Env, stdout: str) -> None:
    assert private.ok("generate", "activation", "-t", "B", "-o", stdout).stdout.startswith(BEGIN)


def test_failure_writes_no_file(private: Env, tmp_path: Path) -> None:
    out = tmp_path / "token.jwt"
    private.fails("generate", "activation", "-o", str(out), exit_code=2)
    assert not out.exists()


def test_json(private: Env, target: KeyPair) -> None:
    payload = private.json("generate", "activation", "-t", "B")
    assert payload["messages"] == [
        {"level": "ok", "text": f'generated "Foo" activation for account "{target.public_key}"'}
    ]
    data = payload["data"]
    act = assert_valid(data["jwt"], c.ActivationClaims)
    assert data == {
        "account": "A", "export": "Foo", "subject": "foo", "kind": "service",
        "target_account": target.public_key, "issuer": act.iss, "issuer_account": "",
        "hash_id": act.hash_id(), "jwt": data["jwt"], "output_file": None, "pushed_to": None,
    }  # fmt: skip


def test_json_failure(private: Env) -> None:
    result = private.run("generate", "activation", "--json")
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["messages"][0]["text"] == "target-account cannot be empty"


# --push ------------------------------------------------------------------------------------------


def test_push(private: Env, account_server: AccountServer, target: KeyPair) -> None:
    set_account_server(private, account_server.url)
    account_server.reply = "activation stored"
    result = private.ok("generate", "activation", "-t", "B", "--push")
    token = token_of(result.stdout)
    (posted,) = account_server.posted
    assert posted.path == "/jwt/v1/activations"
    assert posted.content_type == "application/jwt"
    assert posted.body == token
    act = activation(result.stdout)
    url = f"{account_server.url}/activations/{act.hash_id()}"
    assert result.stderr.splitlines() == [
        f'[ OK ] generated "Foo" activation for account "{target.public_key}"',
        "[ OK ] push activation to account server:",
        "       [ OK ] pushed activation to the account server",
        "       > activation stored",
        f'[ OK ] activation accessible at "{url}"',
    ]


def test_push_accepted_warns(private: Env, account_server: AccountServer) -> None:
    set_account_server(private, account_server.url + "/")
    account_server.status = 202
    payload = private.json("generate", "activation", "-t", "B", "--push")
    assert account_server.posted[0].path == "/jwt/v1/activations"
    push = payload["messages"][1]
    assert push["level"] == "warning"
    assert push["messages"] == [
        {"level": "warning", "text": "pushed activation was accepted by the account server"}
    ]
    assert payload["data"]["pushed_to"].endswith("/activations/" + payload["data"]["hash_id"])


def test_push_refused(private: Env, account_server: AccountServer, tmp_path: Path) -> None:
    set_account_server(private, account_server.url)
    account_server.status = 400
    account_server.reply = "bad activation"
    out = tmp_path / "token.jwt"
    message = private.fails("generate", "activation", "-t", "B", "--push", "-o", str(out))
    assert message == "the account server refused the activation (400 Bad Request): bad activation"
    assert not out.exists()


def test_push_without_account_server(private: Env) -> None:
    assert private.fails("generate", "activation", "-t", "B", "--push") == (
        "operator O doesn't have an account server url configured"
    )


def test_push_to_nats_url(private: Env) -> None:
    set_account_server(private, "nats://127.0.0.1:4222")
    assert private.fails("generate", "activation", "-t", "B", "--push").startswith(
        "activations can only be pushed to an HTTP account server"
    )


def test_push_connection_refused(private: Env) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    set_account_server(private, f"http://127.0.0.1:{port}")
    message = private.fails("generate", "activation", "-t", "B", "--push")
    assert message == f"error posting to http://127.0.0.1:{port}/activations: connection refused"
