"""The activation rules, at the library level: generate_activation's subject, target, signer,
validity, output file and push, and an activation imported with add_import (no CLI involved)."""

from __future__ import annotations

import datetime as dt
import http.server
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pynsc import claims, keys
from pynsc.actions.activations import generate_activation
from pynsc.actions.exports import add_export
from pynsc.actions.imports import add_import
from pynsc.claims import SERVICE, STREAM, AccountClaims, ActivationClaims
from pynsc.errors import (
    InvalidKeyError,
    KeyStoreError,
    NotFoundError,
    PushError,
    StoreError,
    UsageError,
)
from pynsc.store.ops import save_account, save_operator

from .builders import Deployment, deployment

NOW = 1_800_000_000


def _with_b(*, strict: bool = False) -> tuple[Deployment, keys.KeyPair]:
    """Exporter ``A`` with a private service ``foo`` (named Foo) and a public stream ``pub.>``;
    importer ``B``."""
    d = deployment(strict=strict)
    b = keys.generate("account")
    d.nsc.keystore.store(b)
    save_account(d.nsc.store(), "B", AccountClaims(sub=b.public_key, name="B"), d.operator)
    add_export(d.nsc, "foo", account="A", name="Foo", service=True, private=True)
    add_export(d.nsc, "pub.>", account="A")
    return d, b


def _decoded(token: str) -> ActivationClaims:
    return claims.decode(token, ActivationClaims)


def _store_state(d: Deployment) -> tuple[str, str, list[str]]:
    return d.account_jwt("A"), d.account_jwt("B"), sorted(d.nsc.keystore.list())


def test_generate_for_the_only_private_export() -> None:
    d, b = _with_b()
    before = _store_state(d)
    result = generate_activation(d.nsc, target_account=b.public_key, now=NOW)
    assert _store_state(d) == before  # nothing stored
    act = _decoded(result.token)
    assert (act.sub, act.iss, act.name) == (b.public_key, d.account.public_key, "foo")
    assert (act.nats.subject, act.nats.kind, act.nats.issuer_account) == ("foo", SERVICE, "")
    assert (act.nbf, act.exp) == (0, 0)
    assert result.claims.sub == result.target_account == b.public_key
    assert (result.account, result.export.name, result.subject) == ("A", "Foo", "foo")
    assert result.issuer == d.account.public_key
    assert result.hash_id == act.hash_id()
    assert result.decorated.startswith("-----BEGIN NATS ACTIVATION JWT-----\n" + result.token)
    assert (result.path, result.pushed_to) == (None, None)
    assert [e.text for e in result.report.children] == [
        f'generated "Foo" activation for account "{b.public_key}"'
    ]
    assert result.report.data["jwt"] == result.token


def test_the_target_is_a_key_or_a_local_account_name() -> None:
    d, b = _with_b()
    assert generate_activation(d.nsc, target_account="B").target_account == b.public_key
    for empty in ("", " "):
        with pytest.raises(UsageError, match="target-account cannot be empty"):
            generate_activation(d.nsc, target_account=empty)
    with pytest.raises(NotFoundError, match='"NOPE" is not an account public key nor an account '
                                            'of operator "O"'):  # fmt: skip
        generate_activation(d.nsc, target_account="NOPE")
    user = keys.generate("user").public_key
    with pytest.raises(NotFoundError, match=f'"{user}" is not an account public key'):
        generate_activation(d.nsc, target_account=user)


def test_the_account_needs_private_exports() -> None:
    d, _ = _with_b()
    with pytest.raises(NotFoundError, match='account "B" doesn\'t have exports'):
        generate_activation(d.nsc, account="B", target_account="A")
    add_export(d.nsc, "s", account="B")
    with pytest.raises(NotFoundError, match='account "B" doesn\'t have exports that require an '
                                            "activation token"):  # fmt: skip
        generate_activation(d.nsc, account="B", target_account="A")


def test_the_subject_must_be_contained_in_a_private_export() -> None:
    d, _ = _with_b()
    add_export(d.nsc, "orders.>", account="A", private=True)
    add_export(d.nsc, "svc.*", account="A", service=True, private=True)
    with pytest.raises(StoreError, match="a subject is required"):
        generate_activation(d.nsc, target_account="B")
    narrower = generate_activation(d.nsc, target_account="B", subject="orders.eu.>")
    assert (narrower.subject, narrower.claims.nats.kind, narrower.export.subject) == (
        "orders.eu.>", STREAM, "orders.>"
    )  # fmt: skip
    # a wildcard service activation, which nats-server serves
    wildcard = generate_activation(d.nsc, target_account="B", subject="svc.*")
    assert (wildcard.subject, wildcard.claims.nats.kind) == ("svc.*", SERVICE)
    for subject in ("other", "pub.x"):  # not exported; exported publicly
        with pytest.raises(NotFoundError, match=f'a private export for "{subject}" was not found'):
            generate_activation(d.nsc, target_account="B", subject=subject)
    with pytest.raises(UsageError, match=r'subject "orders\.\.x" cannot contain consecutive'):
        generate_activation(d.nsc, target_account="B", subject="orders..x")


def test_start_and_expiry() -> None:
    d, _ = _with_b()
    result = generate_activation(
        d.nsc, target_account="B", start=3600, expiry=dt.timedelta(days=30), now=NOW
    )
    assert (result.claims.nbf, result.claims.exp) == (NOW + 3600, NOW + 30 * 86400)
    assert [(e.status.label, e.text) for e in result.report.children][1:] == [
        ("ok", "token valid 2027-01-15 09:00:00 UTC - In 1 Hour"),
        ("ok", "token expires 2027-02-14 08:00:00 UTC - In 1 Month"),
        ("warning", "activation claim is not yet valid"),
    ]
    result = generate_activation(d.nsc, target_account="B", expiry=dt.date(2030, 1, 1), now=NOW)
    assert result.claims.exp == 1893456000


def test_signed_by_a_signing_key_with_issuer_account() -> None:
    d, _ = _with_b()
    for signer in (d.signing.public_key, d.signing):
        result = generate_activation(d.nsc, target_account="B", signer=signer)
        assert result.issuer == d.signing.public_key
        assert result.claims.nats.issuer_account == d.account.public_key
    d.nsc.keystore.remove(d.account.public_key)
    d.nsc.keystore.remove(d.signing.public_key)
    d.nsc.keystore.remove(d.scoped.public_key)
    with pytest.raises(KeyStoreError, match="unable to resolve any of the following signing keys"):
        generate_activation(d.nsc, target_account="B")


def test_a_key_that_is_not_the_accounts_is_refused() -> None:
    d, _ = _with_b()
    with pytest.raises(InvalidKeyError, match="is not a signing key of account"):
        generate_activation(d.nsc, target_account="B", signer=keys.generate("account"))


def test_a_strict_operator_refuses_the_identity_key() -> None:
    d, _ = _with_b(strict=True)
    with pytest.raises(InvalidKeyError, match="the operator requires signing keys"):
        generate_activation(d.nsc, target_account="B", signer=d.account)
    result = generate_activation(d.nsc, target_account="B")
    assert result.issuer != d.account.public_key
    assert result.claims.nats.issuer_account == d.account.public_key


def test_output_file(tmp_path: Path) -> None:
    d, _ = _with_b()
    out = tmp_path / "out" / "token.jwt"
    result = generate_activation(d.nsc, target_account="B", output_file=out)
    assert result.path == out
    assert out.read_text() == result.decorated
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert result.report.children[-1].text == f"wrote activation to `{out}`"
    assert result.report.data["output_file"] == str(out)


def test_the_activation_imports() -> None:
    """The rule pair end to end: what generate_activation makes, add_import takes."""
    d, _ = _with_b()
    d.nsc.keystore.remove(d.account.public_key)  # signed by a signing key
    result = generate_activation(d.nsc, target_account="B", expiry=dt.timedelta(hours=1))
    imported = add_import(d.nsc, account="B", token=result.decorated, service=True)
    assert imported.imported.token == result.token
    assert imported.imported.account == d.account.public_key


# push --------------------------------------------------------------------------------------


class _Server:
    def __init__(self) -> None:
        self.posted: list[tuple[str, str]] = []
        self.status = 200
        self.reply = b"stored"
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.posted.append((self.path, body.decode()))
                self.send_response(server.status)
                self.send_header("Content-Length", str(len(server.reply)))
                self.end_headers()
                self.wfile.write(server.reply)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwt/v1"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def account_server() -> Iterator[_Server]:
    server = _Server()
    try:
        yield server
    finally:
        server.stop()


def _set_account_server(d: Deployment, url: str) -> None:
    store = d.nsc.store()
    operator = store.operator()
    operator.nats.account_server_url = url
    save_operator(store, operator, d.operator)


def test_push(account_server: _Server) -> None:
    d, _ = _with_b()
    _set_account_server(d, account_server.url)
    result = generate_activation(d.nsc, target_account="B", push=True)
    assert account_server.posted == [("/jwt/v1/activations", result.token)]
    assert result.pushed_to == f"{account_server.url}/activations/{result.hash_id}"
    push = result.report.children[1]
    assert (push.text, [e.text for e in push.children], push.server_messages) == (
        "push activation to account server", ["pushed activation to the account server"],
        ["stored"],
    )  # fmt: skip


def test_a_refused_push_writes_no_file(account_server: _Server, tmp_path: Path) -> None:
    d, _ = _with_b()
    _set_account_server(d, account_server.url)
    account_server.status = 400
    out = tmp_path / "token.jwt"
    with pytest.raises(PushError, match=re.escape("refused the activation (400 Bad Request)")):
        generate_activation(d.nsc, target_account="B", push=True, output_file=out)
    assert not out.exists()


def test_a_push_needs_an_http_account_server() -> None:
    d, _ = _with_b()
    with pytest.raises(PushError, match="operator O doesn't have an account server url"):
        generate_activation(d.nsc, target_account="B", push=True)
    _set_account_server(d, "nats://127.0.0.1:4222")
    with pytest.raises(PushError, match="can only be pushed to an HTTP account server"):
        generate_activation(d.nsc, target_account="B", push=True)


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("orders.\tx", 'subject "orders.\\tx" cannot contain a tab ("\\t")'),
        ("orders.>.x", 'subject "orders.>.x" can have ">" only as its last token'),
    ],
)
def test_a_subject_the_server_cannot_use_is_not_granted(subject: str, message: str) -> None:
    d, _ = _with_b()
    add_export(d.nsc, "orders.>", account="A", private=True)
    with pytest.raises(UsageError) as caught:
        generate_activation(d.nsc, target_account="B", subject=subject)
    assert caught.value.message == message
