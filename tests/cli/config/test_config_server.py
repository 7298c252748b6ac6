"""Each file ``pynsc generate config`` writes starts a real nats-server as is.

The server gets only its ports on the command line (``-a 127.0.0.1 -p P -m H``); the users
connecting were made by ``pynsc add user`` and use the creds files it wrote.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.integration.configserver import ConfigFileServer, config_servers
from tests.integration.natsserver import NatsServer, connect, refusal

from .conftest import Env

pytestmark = pytest.mark.nats_server

Start = Callable[..., ConfigFileServer]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    with config_servers(tmp_path / "servers") as start:
        yield start


@pytest.fixture
def users(env: Env) -> Env:
    """``env`` with user ``a`` in A, ``sys`` in SYS (creds written by ``pynsc add user``)."""
    env.ok("add", "user", "a", "-a", "A")
    env.ok("add", "user", "sys", "-a", "SYS")
    return env


async def echo(server: NatsServer, creds: Path, subject: str) -> bytes:
    client = await connect(server, user_credentials=str(creds))
    try:
        sub = await client.subscribe(subject)
        await client.publish(subject, b"hello")
        msg = await sub.next_msg(timeout=2)
    finally:
        await client.close()
    return bytes(msg.data)


async def request(server: NatsServer, creds: Path, subject: str, payload: bytes = b"") -> bytes:
    client = await connect(server, user_credentials=str(creds))
    try:
        msg = await client.request(subject, payload, timeout=2)
    finally:
        await client.close()
    return bytes(msg.data)


def generate(env: Env, tmp_path: Path, *flags: str) -> Path:
    target = tmp_path / "generated" / "server.conf"
    env.ok("generate", "config", *flags, "--config-file", str(target), "--force")
    return target


def test_mem_resolver_config_accepts_account_users(
    users: Env, tmp_path: Path, start: Start
) -> None:
    server = start(generate(users, tmp_path, "--mem-resolver"), name="mem")

    assert asyncio.run(echo(server, users.creds("A", "a"), "mem.echo")) == b"hello"
    assert asyncio.run(echo(server, users.creds("SYS", "sys"), "sys.echo")) == b"hello"


def test_mem_resolver_dir_config_starts_from_any_working_directory(
    users: Env, tmp_path: Path, start: Start
) -> None:
    out = tmp_path / "dir-out"
    users.ok("generate", "config", "--mem-resolver", "--dir", str(out))

    server = start(out / "resolver.conf", name="mem-dir")  # cwd is not `out`

    assert server.workdir != out
    assert asyncio.run(echo(server, users.creds("A", "a"), "dir.echo")) == b"hello"


def test_nats_resolver_config_lists_the_preloaded_system_account_and_takes_pushes(
    users: Env, tmp_path: Path, start: Start
) -> None:
    server = start(generate(users, tmp_path, "--nats-resolver"), name="full")
    sys_creds = users.creds("SYS", "sys")
    system, account = users.accounts["SYS"].public_key, users.accounts["A"].public_key

    listed = json.loads(asyncio.run(request(server, sys_creds, "$SYS.REQ.CLAIMS.LIST")))
    assert listed["data"] == [system]
    assert (server.workdir / "jwt" / f"{system}.jwt").is_file()

    # account A is not preloaded: its user gets in only once A is pushed
    assert "Authorization Violation" in asyncio.run(
        refusal(server, user_credentials=str(users.creds("A", "a")))
    )
    pushed = json.loads(asyncio.run(request(
        server, sys_creds, "$SYS.REQ.CLAIMS.UPDATE", users.store.account_token("A").encode()
    )))  # fmt: skip
    assert pushed["data"]["message"] == "jwt updated", pushed

    listed = json.loads(asyncio.run(request(server, sys_creds, "$SYS.REQ.CLAIMS.LIST")))
    assert sorted(listed["data"]) == sorted([system, account])
    assert asyncio.run(echo(server, users.creds("A", "a"), "full.echo")) == b"hello"


def test_nats_resolver_cache_config_accepts_system_users(
    users: Env, tmp_path: Path, start: Start
) -> None:
    server = start(generate(users, tmp_path, "--nats-resolver-cache"), name="cache")

    assert asyncio.run(echo(server, users.creds("SYS", "sys"), "cache.echo")) == b"hello"
    listed = json.loads(
        asyncio.run(request(server, users.creds("SYS", "sys"), "$SYS.REQ.CLAIMS.LIST"))
    )
    assert listed["data"] == [users.accounts["SYS"].public_key]


@pytest.mark.parametrize("kind", ["--mem-resolver", "--nats-resolver"])
def test_sys_account_sets_the_system_account_of_an_operator_without_one(
    bare_env: Env, tmp_path: Path, start: Start, kind: str
) -> None:
    bare_env.add_account("S")
    bare_env.add_account("A")
    bare_env.ok("add", "user", "s", "-a", "S")
    bare_env.ok("add", "user", "a", "-a", "A")
    config = generate(bare_env, tmp_path, kind, "--sys-account", "S")
    server = start(config, name=f"sys{kind}")

    async def server_ping() -> bytes:  # only system users may ask every server
        return await request(server, bare_env.creds("S", "s"), "$SYS.REQ.SERVER.PING")

    assert json.loads(asyncio.run(server_ping()))["server"]["id"]
    assert asyncio.run(echo(server, bare_env.creds("S", "s"), "s.echo")) == b"hello"
    if kind == "--mem-resolver":
        assert asyncio.run(echo(server, bare_env.creds("A", "a"), "a.echo")) == b"hello"


def test_nkey_config_accepts_users_by_seed(users: Env, tmp_path: Path, start: Start) -> None:
    server = start(generate(users, tmp_path, "--nkey"), name="nkey")
    seed = users.keystore.get(users.store.user("A", "a").sub)
    assert seed is not None
    assert seed.seed is not None

    async def scenario() -> bytes:
        client = await connect(server, nkeys_seed_str=seed.seed)
        try:
            sub = await client.subscribe("nkey.echo")
            await client.publish("nkey.echo", b"hello")
            msg = await sub.next_msg(timeout=2)
        finally:
            await client.close()
        return bytes(msg.data)

    assert asyncio.run(scenario()) == b"hello"
