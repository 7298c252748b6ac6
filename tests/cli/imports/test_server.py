"""What ``add import`` and ``add mapping`` write works in a real nats-server (MEMORY resolver):
a renamed public stream import, a private service import from an activation, and a subject
mapping."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair
from tests.cli.conftest import Pynsc
from tests.cli.imports.conftest import Env, make_env
from tests.integration.conftest import (  # noqa: F401 - fixtures that start servers
    nats_server_binary,
    start_nats_server,
)
from tests.integration.natsserver import (
    NatsServer,
    StartServer,
    connect,
    operator_config,
    write_creds,
)

pytestmark = pytest.mark.nats_server


@dataclass
class World:
    env: Env
    server: NatsServer
    creds: dict[str, Path]


async def active(client: Client, sub: Subscription, subject: str) -> None:
    """Wait until the server has ``sub``: publish to it on the same connection and read it back.

    ``flush()`` is not enough: nats-py may write its PING before a buffered SUB.
    """
    await client.publish(subject, b"probe")
    probe = await sub.next_msg(timeout=2)
    assert probe.data == b"probe"


def _user(env: Env, account: str, directory: Path) -> Path:
    user = keys.generate("user")
    assert user.seed is not None
    token = c.encode(c.UserClaims(sub=user.public_key, name="u"), env.accounts[account])
    return write_creds(directory / f"{account}.creds", keys.format_creds(token, user.seed))


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
    start_nats_server: StartServer,  # noqa: F811 - the fixture imported above
) -> World:
    env = make_env(tmp_path_factory.mktemp("store"), Pynsc())
    system: KeyPair = env.add_account("SYS")
    for name in ("A", "B"):
        env.add_account(name)
    env.add_export("A", "pub.>")
    env.add_export("A", "svc.echo", service=True, private=True)
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "pub.>",
           "-s", "local.>")
    token = env.activation("A", "B", "svc.echo", service=True)
    path = env.write("svc.jwt", c.decorate(token))
    env.ok("add", "import", "-a", "B", "--token", path, "-s", "ask.echo")
    env.ok("add", "mapping", "-a", "B", "-f", "m.in", "-t", "m.out")
    operator = env.store.operator()
    operator.nats.system_account = system.public_key
    preload = {env.store.account(n).sub: env.store.account_token(n) for n in ("SYS", "A", "B")}
    body = operator_config(
        c.encode(operator, env.operator), system.public_key, preload, extra="debug: true"
    )
    server = start_nats_server(body, name="imports")
    directory = tmp_path_factory.mktemp("creds")
    creds = {name: _user(env, name, directory) for name in ("A", "B")}
    return World(env, server, creds)


def test_public_stream_import_is_renamed(world: World) -> None:
    async def scenario() -> bytes:
        importer = await connect(world.server, user_credentials=str(world.creds["B"]))
        exporter = await connect(world.server, user_credentials=str(world.creds["A"]))
        try:
            sub = await importer.subscribe("local.news")
            await active(importer, sub, "local.news")
            await exporter.publish("pub.news", b"hello B")
            msg = await sub.next_msg(timeout=2)
        finally:
            await importer.close()
            await exporter.close()
        return msg.data

    assert asyncio.run(scenario()) == b"hello B", world.server.log_tail()


def test_private_service_import_answers(world: World) -> None:
    async def scenario() -> bytes:
        importer = await connect(world.server, user_credentials=str(world.creds["B"]))
        exporter = await connect(world.server, user_credentials=str(world.creds["A"]))

        async def answer(msg: Msg) -> None:
            await msg.respond(b"echo: " + msg.data)

        try:
            await exporter.subscribe("svc.echo", cb=answer)
            # answered on the exporter's own connection: the server has the subscription
            await exporter.request("svc.echo", b"probe", timeout=2)
            reply = await importer.request("ask.echo", b"hi", timeout=2)
        finally:
            await importer.close()
            await exporter.close()
        return reply.data

    assert asyncio.run(scenario()) == b"echo: hi", world.server.log_tail()


def test_mapping_routes_messages(world: World) -> None:
    async def scenario() -> bytes:
        client = await connect(world.server, user_credentials=str(world.creds["B"]))
        try:
            sub = await client.subscribe("m.out")
            await client.publish("m.in", b"mapped")
            msg = await sub.next_msg(timeout=2)
        finally:
            await client.close()
        return msg.data

    assert asyncio.run(scenario()) == b"mapped", world.server.log_tail()
