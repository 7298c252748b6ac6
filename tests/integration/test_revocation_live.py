"""A user revoked with ``pynsc revocations add-user`` is refused by a real nats-server once the
server has the re-signed account JWT, while the account's other users still connect.

The store is built with the library. The server gets the re-signed account either by a reload
(its MEMORY resolver preloaded from the store's files, before and after the revocation, with
``debug: true`` so the log says why a client was refused) or by ``pynsc push`` (a full nats
resolver, configured by ``pynsc generate config --nats-resolver``).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyStore
from pynsc.paths import Paths
from pynsc.store import Store, ToolConfig, ops
from tests.actions.builders import save_user
from tests.cli.conftest import Pynsc

from .configserver import config_servers
from .natsserver import NatsServer, StartServer, connect, operator_config, refusal

pytestmark = pytest.mark.nats_server


def _build(home: Path) -> tuple[Store, KeyStore]:
    """Operator O (system account SYS), account A with users U and V (their creds written)."""
    paths = Paths.resolve(all_dirs=home, env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator = keys.generate("operator")
    keystore.store(operator)
    system, account = keys.generate("account"), keys.generate("account")
    keystore.store(system)
    keystore.store(account)
    oc = c.OperatorClaims(sub=operator.public_key, name="O")
    oc.nats.system_account = system.public_key
    ops.save_operator(store, oc, operator)
    ops.save_account(store, "SYS", c.AccountClaims(sub=system.public_key, name="SYS"), operator)
    ops.save_account(store, "A", c.AccountClaims(sub=account.public_key, name="A"), operator)
    claims = store.account("A")
    for name in ("U", "V"):
        user = keys.generate("user")
        keystore.store(user)
        save_user(
            store, keystore, "A", claims, c.UserClaims(sub=user.public_key, name=name),
            ops.account_signer(keystore, claims),
        )  # fmt: skip
    ToolConfig.update(paths.config_file, store_root=str(paths.data_dir), operator="O")
    return store, keystore


def _config(store: Store) -> str:
    """The server config, written from the store's files as they are now."""
    operator = store.operator()
    preload = {store.account(name).sub: store.account_token(name) for name in store.account_names()}
    return operator_config(
        store.operator_token(), operator.nats.system_account, preload, extra="debug: true"
    )


async def _echo(server: NatsServer, creds: Path) -> bytes:
    client = await connect(server, user_credentials=str(creds))
    try:
        sub = await client.subscribe("live.echo")
        await client.publish("live.echo", b"still here")
        message = await sub.next_msg(timeout=2)
        return message.data
    finally:
        await client.close()


def test_revoked_user_is_refused_after_reload(
    tmp_path: Path, start_nats_server: StartServer
) -> None:
    home = tmp_path / "nsc"
    store, keystore = _build(home)
    creds = {name: keystore.creds_path("O", "A", name) for name in ("U", "V")}
    server = start_nats_server(_config(store), name="revocation")
    for path in creds.values():
        assert asyncio.run(_echo(server, path)) == b"still here", server.log_tail()

    result = Pynsc()("-H", str(home), "revocations", "add-user", "-a", "A", "-n", "U")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    revoked = store.user("A", "U")
    assert store.account("A").is_revoked(revoked.sub, revoked.iat)

    mark = server.log_mark()
    server.reload(_config(store))
    error = asyncio.run(refusal(server, user_credentials=str(creds["U"])))
    assert "Authorization Violation" in error
    assert "revoked" in server.wait_for_log("revoked", since=mark).lower()
    assert asyncio.run(_echo(server, creds["V"])) == b"still here", server.log_tail()


def test_revoked_user_is_refused_once_pushed(tmp_path: Path) -> None:
    home = tmp_path / "nsc"
    _, keystore = _build(home)
    creds = {name: keystore.creds_path("O", "A", name) for name in ("U", "V")}
    pynsc = Pynsc()

    def ok(*args: str) -> str:
        result = pynsc("-H", str(home), *args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        assert "[ERR" not in result.stderr, result.stderr
        return result.stderr

    config = tmp_path / "server.conf"
    ok("generate", "config", "--nats-resolver", "--config-file", str(config))
    with config_servers(tmp_path / "servers") as start:
        server = start(config, name="pushed")
        ok("push", "-A", "-u", server.url)
        for path in creds.values():
            assert asyncio.run(_echo(server, path)) == b"still here", server.log_tail()

        ok("revocations", "add-user", "-a", "A", "-n", "U")
        # the server still has the account without the revocation: U still gets in
        assert asyncio.run(_echo(server, creds["U"])) == b"still here"
        pushed = ok("push", "-a", "A", "-u", server.url)
        assert 'pushed "A" to nats-server' in pushed

        error = asyncio.run(refusal(server, user_credentials=str(creds["U"])))
        assert "Authorization Violation" in error
        assert asyncio.run(_echo(server, creds["V"])) == b"still here", server.log_tail()
