"""Users issued through the public API, with every kind of account key, on a real nats-server.

One server per module: operator mode, a full nats resolver preloaded with ``SYS`` and ``A``.
``A`` has a plain signing key and a scoped one (role ``web``) whose template allows
``projects.{{tag(project)}}.>``. Whatever key signs, the JWT the API returns is accepted,
and what it allows (or the scope allows) is what the server enforces.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import nats.errors
import pytest
from nats.aio.msg import Msg

import pynsc
from pynsc import claims, keys
from pynsc.actions import Creds
from tests.actions.builders import Deployment, deployment

from .natsserver import NatsServer, StartServer, connect, refusal, write_creds

pytestmark = pytest.mark.nats_server


@pytest.fixture(scope="module")
def live(
    start_nats_server: StartServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Deployment, NatsServer, Path]:
    d = deployment()
    store = d.nsc.store()
    jwt_dir = tmp_path_factory.mktemp("jwt")
    preload = {
        d.system.public_key: store.account_token("SYS"),
        d.account.public_key: store.account_token("A"),
    }
    body = "\n".join([
        f"operator: {json.dumps(store.operator_token())}",
        f"system_account: {d.system.public_key}",
        f"resolver: {{ type: full, dir: {json.dumps(str(jwt_dir))}, allow_delete: false }}",
        "resolver_preload: {",
        *(f"  {key}: {json.dumps(token)}" for key, token in preload.items()),
        "}",
    ])  # fmt: skip
    server = start_nats_server(body, name="issuer")
    return d, server, tmp_path_factory.mktemp("creds")


def _creds_file(directory: Path, creds: Creds) -> Path:
    return write_creds(directory / f"{creds.name}.creds", creds.text)


async def _exchange(server: NatsServer, creds: Path, subject: str) -> bytes:
    client = await connect(server, user_credentials=str(creds))
    try:
        sub = await client.subscribe(subject)
        await client.flush()
        await client.flush()
        await client.publish(subject, b"hi")
        msg = await sub.next_msg(timeout=2)
        return msg.data
    finally:
        await client.close()


async def _denied(server: NatsServer, creds: Path, subject: str) -> str:
    """Publish to ``subject``: the permissions violation the server reports."""
    errors: list[str] = []
    seen = asyncio.Event()

    async def on_error(error: Exception) -> None:
        errors.append(str(error))
        seen.set()

    client = await connect(server, user_credentials=str(creds), error_cb=on_error)
    try:
        await client.publish(subject, b"no")
        await client.flush()
        await asyncio.wait_for(seen.wait(), timeout=2)
    finally:
        await client.close()
    return errors[0]


def test_a_signing_key_and_the_account_key_alone(live: tuple[Deployment, NatsServer, Path]) -> None:
    d, server, directory = live
    issuer = pynsc.Issuer.from_seed(d.signing.seed or "", account=d.account.public_key)
    creds = issuer.issue_user("sk-user", allow_pubsub=["orders.>", "_INBOX.>"])
    path = _creds_file(directory, creds)
    assert asyncio.run(_exchange(server, path, "orders.new")) == b"hi"
    assert "permissions violation" in asyncio.run(_denied(server, path, "billing.x")).lower()


def test_a_scoped_key_applies_its_template(live: tuple[Deployment, NatsServer, Path]) -> None:
    d, server, directory = live
    issuer = pynsc.Issuer.from_seed(d.scoped.seed or "", account=d.account_jwt())
    creds = issuer.issue_user("scoped-user", tags=["project:42"])
    path = _creds_file(directory, creds)
    assert asyncio.run(_exchange(server, path, "projects.42.chat")) == b"hi"
    assert "permissions violation" in asyncio.run(_denied(server, path, "projects.43.chat")).lower()


def test_store_users_signed_by_role_and_by_signing_key(
    live: tuple[Deployment, NatsServer, Path],
) -> None:
    d, server, directory = live
    by_role = pynsc.add_user(d.nsc, "web-user", signer="web",
                             changes=pynsc.UserChanges(tags=("project:7",)))  # fmt: skip
    by_key = pynsc.add_user(d.nsc, "sk-store-user", signer=d.signing.public_key)
    assert asyncio.run(_exchange(server, _creds_file(directory, by_role.creds),
                                 "projects.7.x")) == b"hi"  # fmt: skip
    assert asyncio.run(_exchange(server, _creds_file(directory, by_key.creds), "any")) == b"hi"


def test_an_expired_user_is_refused(live: tuple[Deployment, NatsServer, Path]) -> None:
    d, server, directory = live
    issuer = pynsc.Issuer.from_seed(d.signing.seed or "", account=d.account_jwt())
    creds = issuer.issue_user("old", expiry=-60)
    error = asyncio.run(refusal(server, user_credentials=str(_creds_file(directory, creds))))
    assert "Authorization Violation" in error or "authorization" in error.lower()


def test_without_issuer_account_the_server_would_refuse(
    live: tuple[Deployment, NatsServer, Path],
) -> None:
    """What the API prevents: the same user minus ``issuer_account`` is refused."""
    d, server, directory = live
    issuer = pynsc.Issuer.from_seed(d.signing.seed or "", account=d.account.public_key)
    creds = issuer.issue_user("bare")
    bare = creds.claims
    bare.nats.issuer_account = ""
    token = claims.encode(bare, issuer.key)
    path = write_creds(directory / "bare.creds", keys.format_creds(token, creds.seed or ""))
    with pytest.raises((AssertionError, nats.errors.Error)):
        asyncio.run(_exchange(server, path, "any"))


# The examples, against the same server ----------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _example(name: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, **env}, check=False,
    )  # fmt: skip


async def _request(server: NatsServer, creds: Path, inbox: str, subject: str) -> bytes:
    """Answer requests on ``subject`` and make one, with the inbox prefix ``inbox``."""
    client = await connect(server, user_credentials=str(creds), inbox_prefix=inbox)
    try:

        async def answer(msg: Msg) -> None:
            await msg.respond(b"pong")

        await client.subscribe(subject, cb=answer)
        await client.flush()
        await client.flush()
        reply = await client.request(subject, b"ping", timeout=2)
        return reply.data
    finally:
        await client.close()


def test_ci_issue_creds_with_a_signing_key(
    live: tuple[Deployment, NatsServer, Path], tmp_path: Path
) -> None:
    d, server, _ = live
    out = tmp_path / "creds"
    result = _example(
        "ci_issue_creds.py", "--out", str(out), "--ttl", "2h", "orders", "billing",
        ACCOUNT_SIGNING_SEED=d.signing.seed or "", ACCOUNT_JWT=d.account_jwt(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = [json.loads(line) for line in result.stdout.splitlines()]
    assert [s["name"] for s in summary] == ["orders", "billing"]
    assert d.signing.seed not in result.stdout
    orders = out / "orders.creds"
    assert stat.S_IMODE(orders.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert asyncio.run(_request(server, orders, "_INBOX_orders", "svc.orders.ping")) == b"pong"
    denied = asyncio.run(_denied(server, out / "billing.creds", "svc.orders.x"))
    assert "permissions violation" in denied.lower()


def test_ci_issue_creds_with_a_scoped_key(
    live: tuple[Deployment, NatsServer, Path], tmp_path: Path
) -> None:
    d, _server, _ = live
    result = _example(
        "ci_issue_creds.py", "--out", str(tmp_path), "web",
        ACCOUNT_SIGNING_SEED=d.scoped.seed or "", ACCOUNT_JWT=d.account_jwt(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    user = claims.decode_creds((tmp_path / "web.creds").read_text())[0]
    assert user.nats.limits().is_empty()
    assert user.nats.issuer_account == d.account.public_key


def test_ci_issue_creds_refuses_a_bad_environment(tmp_path: Path) -> None:
    result = _example("ci_issue_creds.py", "--out", str(tmp_path / "o"), "x",
                      ACCOUNT_SIGNING_SEED="")  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "ACCOUNT_SIGNING_SEED" in result.stderr
    assert not (tmp_path / "o").exists()


def test_bearer_creds_example_with_a_signing_key(
    live: tuple[Deployment, NatsServer, Path], tmp_path: Path
) -> None:
    d, server, _ = live
    out = tmp_path / "alice.creds"
    result = _example(
        "bearer_creds.py", "--user", "alice", "--any-connection", "--out", str(out),
        ACCOUNT_SEED=d.signing.seed or "", ACCOUNT=d.account.public_key,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"account  {d.account.public_key}" in result.stdout
    assert asyncio.run(_exchange(server, out, "web.alice.x")) == b"hi"


def test_a_role_only_scope_lets_its_users_in(live: tuple[Deployment, NatsServer, Path]) -> None:
    """A scope made with a role alone has an empty template (as nsc writes it): its users
    connect and exchange messages once the account is pushed."""
    d, server, directory = live
    added = pynsc.add_signing_key(d.nsc, "A")
    scope = pynsc.edit_signing_key(d.nsc, account="A", key=added.public_key, role="plain").scope
    assert scope is not None
    assert (scope.template.subs, scope.template.data, scope.template.payload) == (0, 0, 0)
    pushed = pynsc.push_jwts(d.nsc, "A", options=pynsc.ServerOptions(url=server.url))
    assert not pushed.report.has_errors, pushed.report.lines()
    user = pynsc.add_user(d.nsc, "plain-user", account="A", signer="plain")
    assert asyncio.run(_exchange(server, _creds_file(directory, user.creds), "any.x")) == b"hi"
