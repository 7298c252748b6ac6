"""A real nats-server trusts what pynsc makes, and refuses what it should.

Two servers per module run: one trusting an operator built here with the library only, one
started from the Go-made fixture config (``server_memory.conf``, jwt 2.3.0). Both use the MEMORY
resolver and ``debug: true``, so the log says why a client was let in or refused.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from nats.errors import NoRespondersError

from pynsc import claims, keys
from pynsc.keys import KeyPair

from .natsserver import (
    NatsServer,
    StartServer,
    connect,
    operator_config,
    refusal,
    write_creds,
)

pytestmark = pytest.mark.nats_server

GO_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "go-jwt-2.3.0"
REFUSED = "Authorization Violation"
PING = "$SYS.REQ.SERVER.PING"


@dataclass(frozen=True)
class World:
    """An operator, its system account and account ``A`` (with one signing key), as JWTs."""

    operator: KeyPair
    system: KeyPair
    account: KeyPair
    signing_key: KeyPair
    operator_jwt: str
    system_jwt: str
    account_jwt: str

    @classmethod
    def build(cls) -> World:
        operator = keys.generate("operator")
        system = keys.generate("account")
        account = keys.generate("account")
        signing_key = keys.generate("account")

        oc = claims.OperatorClaims(sub=operator.public_key, name="O")
        oc.nats.system_account = system.public_key
        sc = claims.AccountClaims(sub=system.public_key, name="SYS")
        ac = claims.AccountClaims(sub=account.public_key, name="A")
        ac.nats.signing_keys = {signing_key.public_key: None}
        return cls(
            operator=operator,
            system=system,
            account=account,
            signing_key=signing_key,
            operator_jwt=claims.encode(oc, operator),
            system_jwt=claims.encode(sc, operator),
            account_jwt=claims.encode(ac, operator),
        )

    def config(self) -> str:
        return operator_config(
            self.operator_jwt, self.system.public_key, self.preload(), extra="debug: true"
        )

    def preload(self, *more: tuple[KeyPair, str]) -> dict[str, str]:
        """The MEMORY resolver preload: SYS, A, and ``more`` (key, account JWT) pairs."""
        accounts = [(self.system, self.system_jwt), (self.account, self.account_jwt), *more]
        return {key.public_key: jwt for key, jwt in accounts}

    def user(
        self,
        signer: KeyPair | None = None,
        *,
        issuer_account: str = "",
        exp: int = 0,
        bearer: bool = False,
    ) -> tuple[str, KeyPair]:
        """A new user and its JWT, signed by ``signer`` (default: the account identity)."""
        user = keys.generate("user")
        uc = claims.UserClaims(sub=user.public_key, name="U", exp=exp)
        uc.nats.issuer_account = issuer_account
        uc.nats.bearer_token = bearer
        return claims.encode(uc, signer or self.account), user


def creds_file(directory: Path, jwt: str, user: KeyPair) -> Path:
    assert user.seed is not None
    return write_creds(directory / "user.creds", keys.format_creds(jwt, user.seed))


async def echo(client: Client, subject: str, payload: bytes) -> bytes:
    """Subscribe, publish, and read back our own message."""
    try:
        sub = await client.subscribe(subject)
        await client.publish(subject, payload)
        msg = await sub.next_msg(timeout=2)
    finally:
        await client.close()
    return msg.data


def authenticated(server: NatsServer, since: int, user: str) -> str:
    """The server's ``Authenticated JWT`` log line for ``user``."""
    line = server.wait_for_log(f'Authenticated JWT: Client "{user}"', since=since)
    return line


@pytest.fixture(scope="module")
def world() -> World:
    return World.build()


@pytest.fixture(scope="module")
def server(world: World, start_nats_server: StartServer) -> NatsServer:
    return start_nats_server(world.config(), name="library")


@pytest.fixture(scope="module")
def go_server(start_nats_server: StartServer) -> NatsServer:
    return start_nats_server(
        "debug: true", include=GO_FIXTURES / "server_memory.conf", name="go-fixtures"
    )


# Made by the library -----------------------------------------------------------------------------


def test_user_creds_connect_publish_and_receive(
    world: World, server: NatsServer, tmp_path: Path
) -> None:
    jwt, user = world.user()
    path = creds_file(tmp_path, jwt, user)
    assert path.stat().st_mode & 0o777 == 0o600
    mark = server.log_mark()

    async def scenario() -> bytes:
        client = await connect(server, user_credentials=str(path))
        return await echo(client, "pynsc.core.echo", b"hello from pynsc")

    assert asyncio.run(scenario()) == b"hello from pynsc", server.log_tail()
    line = authenticated(server, mark, user.public_key)
    assert f'by Account "{world.account.public_key}"' in line


def test_user_signed_by_declared_signing_key_connects(
    world: World, server: NatsServer, tmp_path: Path
) -> None:
    jwt, user = world.user(world.signing_key, issuer_account=world.account.public_key)
    path = creds_file(tmp_path, jwt, user)
    mark = server.log_mark()

    async def scenario() -> bytes:
        return await echo(await connect(server, user_credentials=str(path)), "sk.echo", b"sk")

    assert asyncio.run(scenario()) == b"sk", server.log_tail()
    line = authenticated(server, mark, user.public_key)
    assert f'signed with "{world.signing_key.public_key}"' in line
    assert f'by Account "{world.account.public_key}"' in line


def test_user_signed_by_unknown_key_is_refused(
    world: World, server: NatsServer, tmp_path: Path
) -> None:
    stranger = keys.generate("account")  # not among the account's signing keys
    jwt, user = world.user(stranger, issuer_account=world.account.public_key)
    path = creds_file(tmp_path, jwt, user)
    mark = server.log_mark()

    error = asyncio.run(refusal(server, user_credentials=str(path)))

    assert REFUSED in error
    server.wait_for_log("User JWT issuer is not known", since=mark)


def test_expired_user_is_refused(world: World, server: NatsServer, tmp_path: Path) -> None:
    jwt, user = world.user(exp=int(time.time()) - 60)
    path = creds_file(tmp_path, jwt, user)
    mark = server.log_mark()

    error = asyncio.run(refusal(server, user_credentials=str(path)))

    assert REFUSED in error
    server.wait_for_log("claim is expired", since=mark)


def test_bearer_user_connects_with_the_jwt_alone(world: World, server: NatsServer) -> None:
    jwt, user = world.user(bearer=True)
    mark = server.log_mark()

    async def scenario() -> bytes:
        client = await connect(
            server, user_jwt_cb=lambda: jwt.encode(), signature_cb=lambda nonce: b""
        )
        return await echo(client, "bearer.echo", b"no signature")

    assert asyncio.run(scenario()) == b"no signature", server.log_tail()
    authenticated(server, mark, user.public_key)


def test_non_bearer_user_without_signature_is_refused(world: World, server: NatsServer) -> None:
    jwt, _ = world.user(bearer=False)

    error = asyncio.run(
        refusal(server, user_jwt_cb=lambda: jwt.encode(), signature_cb=lambda nonce: b"")
    )

    assert REFUSED in error


def test_system_user_gets_a_server_ping_reply(
    world: World, server: NatsServer, tmp_path: Path
) -> None:
    sys_jwt, sys_user = world.user(world.system)
    sys_path = creds_file(tmp_path / "sys", sys_jwt, sys_user)
    jwt, user = world.user()
    path = creds_file(tmp_path / "a", jwt, user)

    async def scenario() -> tuple[dict[str, Any], bool]:
        client = await connect(server, user_credentials=str(sys_path))
        try:
            reply = json.loads((await client.request(PING, b"", timeout=2)).data)
        finally:
            await client.close()
        client = await connect(server, user_credentials=str(path))
        try:
            await client.request(PING, b"", timeout=2)
        except NoRespondersError:
            isolated = True
        else:
            isolated = False
        finally:
            await client.close()
        return reply, isolated

    reply, isolated = asyncio.run(scenario())

    with urllib.request.urlopen(f"{server.monitor_url}/varz", timeout=2) as response:
        varz = json.load(response)
    assert reply["server"]["id"] == varz["server_id"], server.log_tail()
    assert "statsz" in reply
    assert isolated, "a user of account A must not reach the system account's services"


def test_reload_preloads_a_new_account(
    world: World, start_nats_server: StartServer, tmp_path: Path
) -> None:
    reloading = start_nats_server(world.config(), name="reload")
    other = keys.generate("account")
    other_jwt = claims.encode(claims.AccountClaims(sub=other.public_key, name="C"), world.operator)
    jwt, user = world.user(other)
    path = creds_file(tmp_path, jwt, user)

    before = asyncio.run(refusal(reloading, user_credentials=str(path)))
    preload = world.preload((other, other_jwt))
    reloading.reload(operator_config(world.operator_jwt, world.system.public_key, preload))

    async def scenario() -> bytes:
        return await echo(await connect(reloading, user_credentials=str(path)), "c.echo", b"c")

    assert REFUSED in before
    assert asyncio.run(scenario()) == b"c", reloading.log_tail()


# Made by Go (nats-io/jwt 2.3.0) ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["user_A_basic", "user_B_basic", "user_A_sk", "user_A_scoped"])
def test_go_made_creds_connect(go_server: NatsServer, name: str) -> None:
    path = GO_FIXTURES / f"{name}.creds"
    user_claims, user = claims.decode_creds(path.read_text())
    mark = go_server.log_mark()

    async def scenario() -> bytes:
        client = await connect(go_server, user_credentials=str(path))
        return await echo(client, f"dev.{name}", name.encode())  # scoped: dev.> only

    assert asyncio.run(scenario()) == name.encode(), go_server.log_tail()
    line = authenticated(go_server, mark, user.public_key)
    assert f'by Account "{user_claims.issuer_account}"' in line


def test_go_made_system_user_gets_a_server_ping_reply(go_server: NatsServer) -> None:
    path = GO_FIXTURES / "user_sys.creds"

    async def scenario() -> dict[str, Any]:
        client = await connect(go_server, user_credentials=str(path))
        try:
            reply: dict[str, Any] = json.loads((await client.request(PING, b"", timeout=2)).data)
        finally:
            await client.close()
        return reply

    assert "statsz" in asyncio.run(scenario()), go_server.log_tail()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("user_A_revoked", "User authentication revoked"),
        ("user_A_expired", "claim is expired"),
    ],
)
def test_go_made_creds_refused(go_server: NatsServer, name: str, reason: str) -> None:
    path = GO_FIXTURES / f"{name}.creds"
    user_claims, _ = claims.decode_creds(path.read_text())
    account = claims.decode((GO_FIXTURES / "acct_A.jwt").read_text(), claims.AccountClaims)
    library_says_no = account.is_revoked(user_claims.sub, user_claims.iat) or (
        user_claims.is_expired(int(time.time()))
    )
    mark = go_server.log_mark()

    error = asyncio.run(refusal(go_server, user_credentials=str(path)))

    assert REFUSED in error
    go_server.wait_for_log(reason, since=mark)
    assert library_says_no, f"the server refuses {name} but the library would accept it"
