"""Sharing between accounts, live: exports, imports, activations, scoped keys and bearer users.

Everything is made with the pynsc CLI (in-process): operator ``O`` with its system account,
account ``EXP`` exporting

* ``a.b.c.>`` (public stream) and ``help`` (public service),
* ``private.stream.>`` and ``private.help`` (private: they need an activation token),

account ``IMP`` importing all four (the private ones with tokens from ``generate activation``,
``private.help`` under the local subject ``ask.private``), account ``THIRD`` importing only
the public stream, with no activation, and account ``LATE``, which gets its activation while the
server runs. Account ``TEAM`` (fixture ``team``) signs its users with a scoped signing key whose
template the server expands per user. Every test runs twice, as a deployment would:

* ``reload``: the nats-server is started from the file ``pynsc generate config --mem-resolver``
  wrote (ports on the command line); when accounts change the file is regenerated and the
  server reloaded;
* ``push``: the nats-server runs a full nats resolver (``generate config --nats-resolver``) and
  every change is delivered with ``pynsc push -A``.

Negative checks need no sleeping: a publisher's messages reach a subscriber in order, so a
message that should not arrive is followed by one that must, and the first one the subscriber
gets must be the latter.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import NoRespondersError

from tests.cli.conftest import Pynsc

from .configserver import ConfigFileServer, config_servers
from .natsserver import connect, refusal

pytestmark = pytest.mark.nats_server

TIMEOUT = 2.0
TEMPLATE = "{{account-name()}}.{{tag(team)}}.{{name()}}.>"


@dataclass
class World:
    home: Path
    config: Path
    mode: str = "reload"
    runner: Pynsc = field(default_factory=Pynsc)
    server: ConfigFileServer | None = None

    def run(self, *args: str) -> Result:
        return self.runner("-H", str(self.home), *args)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def creds(self, account: str, user: str) -> Path:
        path = self.home / "creds" / "O" / account / f"{user}.creds"
        assert path.is_file(), path
        return path

    def public_key(self, account: str) -> str:
        value: str = json.loads(self.ok("describe", "account", account, "--field", "sub").stdout)
        return value

    def generate_config(self) -> None:
        flavour = "--mem-resolver" if self.mode == "reload" else "--nats-resolver"
        self.ok("generate", "config", flavour, "--config-file", str(self.config), "--force")

    def reload(self) -> None:
        """Bring the server up to date with the store: regenerate the config and reload it, or
        push every account."""
        assert self.server is not None
        if self.mode == "push":
            result = self.ok("push", "-A", "-u", self.server.url)
            assert "[ERR" not in result.stderr, result.stderr
            return
        self.generate_config()
        self.server.reload()

    async def client(self, account: str, user: str, **options: Any) -> Client:
        assert self.server is not None
        return await connect(self.server, user_credentials=str(self.creds(account, user)),
                             **options)  # fmt: skip


def build(world: World) -> None:
    """The store of the module docstring, made with the CLI only."""
    ok = world.ok
    ok("add", "operator", "-n", "O", "--sys")
    for account in ("EXP", "IMP", "THIRD"):
        ok("add", "account", account)
    ok("add", "export", "-a", "EXP", "--subject", "a.b.c.>")
    ok("add", "export", "-a", "EXP", "--subject", "help", "--service")
    ok("add", "export", "-a", "EXP", "--subject", "private.stream.>", "--private")
    ok("add", "export", "-a", "EXP", "--subject", "private.help", "--service", "--private")

    ok("add", "import", "-a", "IMP", "--src-account", "EXP", "--remote-subject", "a.b.c.>")
    ok("add", "import", "-a", "IMP", "--src-account", "EXP", "--remote-subject", "help",
       "--service")  # fmt: skip
    stream_token, service_token = world.home / "stream.jwt", world.home / "service.jwt"
    ok("generate", "activation", "-a", "EXP", "--subject", "private.stream.>",
       "--target-account", "IMP", "-o", str(stream_token))  # fmt: skip
    ok("generate", "activation", "-a", "EXP", "--subject", "private.help",
       "--target-account", "IMP", "-o", str(service_token))  # fmt: skip
    ok("add", "import", "-a", "IMP", "--token", str(stream_token))
    ok("add", "import", "-a", "IMP", "--token", str(service_token),
       "--local-subject", "ask.private")  # fmt: skip
    ok("add", "mapping", "-a", "IMP", "--from", "map.in", "--to", "map.out")

    ok("add", "import", "-a", "THIRD", "--src-account", "EXP", "--remote-subject", "a.b.c.>")

    ok("add", "user", "-a", "EXP", "pub")
    ok("add", "user", "-a", "IMP", "sub")
    ok("add", "user", "-a", "IMP", "bear", "--bearer")
    ok("add", "user", "-a", "THIRD", "third")
    ok("add", "account", "LATE")  # gets its activation while the server runs
    ok("add", "user", "-a", "LATE", "late")


@pytest.fixture(scope="module", params=["reload", "push"])
def world(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[World]:
    base = tmp_path_factory.mktemp(f"sharing-{request.param}")
    world = World(home=base / "nsc", config=base / "config" / "server.conf", mode=request.param)
    build(world)
    world.generate_config()
    with config_servers(base / "servers") as start:
        world.server = start(world.config, name="sharing")
        if world.mode == "push":
            world.reload()
        yield world


@pytest.fixture(scope="module")
def team(world: World) -> World:
    """Account TEAM with a scoped signing key (role ``team``, pub/sub ``TEMPLATE``) and users
    ``red`` and ``blue`` signed by it; the server is reloaded with the new account."""
    world.ok("add", "account", "TEAM")
    world.ok("edit", "account", "TEAM", "--sk", "generate")
    signing_key = json.loads(
        world.ok("describe", "account", "TEAM", "--field", "nats.signing_keys[0]").stdout
    )
    world.ok("edit", "signing-key", "-a", "TEAM", "--sk", signing_key, "--role", "team",
             "--allow-pubsub", TEMPLATE)  # fmt: skip
    world.ok("add", "user", "-a", "TEAM", "-K", "team", "red", "--tag", "team:red")
    world.ok("add", "user", "-a", "TEAM", "-K", "team", "blue", "--tag", "team:blue")
    world.reload()
    return world


# Helpers -----------------------------------------------------------------------------------------


async def settle(client: Client) -> None:
    """Return once the server has processed everything ``client`` sent so far.

    One ``flush()`` is not enough with nats-py 2.16: it writes its PING straight to the socket,
    ahead of SUB/PUB still queued for its flusher task, so the PONG can come back before the
    server has seen them. The flusher writes them while the first PING is out; the second
    PING follows them.
    """
    await client.flush()
    await client.flush()


async def first(sub: Any) -> Msg:
    msg: Msg = await sub.next_msg(timeout=TIMEOUT)
    return msg


async def serve(client: Client, subject: str, answer: bytes) -> None:
    async def reply(msg: Msg) -> None:
        await msg.respond(answer + b": " + msg.data)

    await client.subscribe(subject, cb=reply)
    await settle(client)


class Errors:
    """Collects the asynchronous errors (permissions violations) of a client: pass
    :attr:`callback` as its ``error_cb``."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._event = asyncio.Event()

    async def callback(self, error: Exception) -> None:
        self.seen.append(str(error))
        self._event.set()

    async def next(self) -> str:
        await asyncio.wait_for(self._event.wait(), TIMEOUT)
        self._event.clear()
        return self.seen[-1]


# Public exports --------------------------------------------------------------------------------


def test_public_stream_flows_to_importers_and_only_the_exported_subjects(world: World) -> None:
    async def scenario() -> tuple[str, str]:
        exporter = await world.client("EXP", "pub")
        importer = await world.client("IMP", "sub")
        third = await world.client("THIRD", "third")
        try:
            imp_sub = await importer.subscribe("a.b.>")
            third_sub = await third.subscribe("a.b.c.>")
            await settle(importer)
            await settle(third)
            await exporter.publish("a.b.not.exported", b"no")  # not in the export
            await exporter.publish("a.b.c.d", b"public")
            got_imp, got_third = await first(imp_sub), await first(third_sub)
        finally:
            for client in (exporter, importer, third):
                await client.close()
        return f"{got_imp.subject}={got_imp.data.decode()}", got_third.subject

    assert asyncio.run(scenario()) == ("a.b.c.d=public", "a.b.c.d")


def test_public_service_answers_requests_of_importers(world: World) -> None:
    async def scenario() -> bytes:
        exporter = await world.client("EXP", "pub")
        importer = await world.client("IMP", "sub")
        try:
            await serve(exporter, "help", b"I can help")
            reply = await importer.request("help", b"please", timeout=TIMEOUT)
        finally:
            await exporter.close()
            await importer.close()
        return bytes(reply.data)

    assert asyncio.run(scenario()) == b"I can help: please"


def test_service_not_imported_has_no_responders(world: World) -> None:
    async def scenario() -> None:
        exporter = await world.client("EXP", "pub")
        third = await world.client("THIRD", "third")
        try:
            await serve(exporter, "help", b"I can help")
            with pytest.raises(NoRespondersError):
                await third.request("help", b"please", timeout=TIMEOUT)
        finally:
            await exporter.close()
            await third.close()

    asyncio.run(scenario())


# Private exports and activation tokens -----------------------------------------------------------


def test_private_stream_reaches_the_activated_account_only(world: World) -> None:
    async def scenario() -> tuple[bytes, str]:
        exporter = await world.client("EXP", "pub")
        importer = await world.client("IMP", "sub")
        third = await world.client("THIRD", "third")
        try:
            imp_sub = await importer.subscribe("private.stream.>")
            third_sub = await third.subscribe(">")  # everything THIRD can see
            await settle(importer)
            await settle(third)
            await exporter.publish("private.stream.secret", b"for IMP")
            await exporter.publish("a.b.c.after", b"public")  # THIRD must see this one first
            got_imp, got_third = await first(imp_sub), await first(third_sub)
        finally:
            for client in (exporter, importer, third):
                await client.close()
        return bytes(got_imp.data), got_third.subject

    assert asyncio.run(scenario()) == (b"for IMP", "a.b.c.after")


def test_private_service_answers_the_activated_account_under_its_local_subject(
    world: World,
) -> None:
    async def scenario() -> bytes:
        exporter = await world.client("EXP", "pub")
        importer = await world.client("IMP", "sub")
        third = await world.client("THIRD", "third")
        try:
            await serve(exporter, "private.help", b"private help")
            reply = await importer.request("ask.private", b"psst", timeout=TIMEOUT)
            with pytest.raises(NoRespondersError):  # imported under ask.private only
                await importer.request("private.help", b"psst", timeout=TIMEOUT)
            with pytest.raises(NoRespondersError):  # no activation, no import
                await third.request("private.help", b"psst", timeout=TIMEOUT)
        finally:
            for client in (exporter, importer, third):
                await client.close()
        return bytes(reply.data)

    assert asyncio.run(scenario()) == b"private help: psst"


def test_activation_for_another_account_is_refused(world: World) -> None:
    importer = world.public_key("IMP")
    result = world.run("add", "import", "-a", "THIRD", "--token", str(world.home / "stream.jwt"))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f'Error: activation is not intended for this account - it is for "{importer}"'
    )


def test_mapping_moves_messages_inside_the_account(world: World) -> None:
    async def scenario() -> str:
        client = await world.client("IMP", "sub")
        try:
            sub = await client.subscribe("map.>")
            await client.publish("map.in", b"mapped")
            msg = await first(sub)
        finally:
            await client.close()
        return msg.subject

    assert asyncio.run(scenario()) == "map.out"


def test_activation_added_later_takes_effect_on_reload(world: World) -> None:
    async def late_sees_first(subject: str) -> str:
        """EXP publishes ``subject``, then LATE a marker: what LATE gets first."""
        exporter = await world.client("EXP", "pub")
        late = await world.client("LATE", "late")
        try:
            sub = await late.subscribe(">")
            await settle(late)
            await exporter.publish(subject, b"for LATE")
            await settle(exporter)  # the server has routed it (or not) before the marker
            await late.publish("late.marker", b"marker")
            return (await first(sub)).subject
        finally:
            await exporter.close()
            await late.close()

    assert asyncio.run(late_sees_first("private.stream.early")) == "late.marker"

    token = world.home / "late.jwt"
    world.ok("generate", "activation", "-a", "EXP", "--subject", "private.stream.>",
             "--target-account", "LATE", "-o", str(token))  # fmt: skip
    world.ok("add", "import", "-a", "LATE", "--token", str(token))
    world.reload()

    assert asyncio.run(late_sees_first("private.stream.late")) == "private.stream.late"


# Scoped signing key: the server expands the template per user -------------------------------------


def test_scoped_users_get_their_own_subject_space(team: World) -> None:
    async def scenario() -> tuple[str, str, str, str]:
        red_errors, blue_errors = Errors(), Errors()
        red = await team.client("TEAM", "red", error_cb=red_errors.callback)
        blue = await team.client("TEAM", "blue", error_cb=blue_errors.callback)
        try:
            red_sub = await red.subscribe("TEAM.red.red.>")
            blue_sub = await blue.subscribe("TEAM.blue.blue.>")
            await settle(red)
            await settle(blue)
            await red.publish("TEAM.red.red.hello", b"red")
            await blue.publish("TEAM.blue.blue.hello", b"blue")
            got_red, got_blue = await first(red_sub), await first(blue_sub)

            await red.publish("TEAM.blue.blue.intrusion", b"red")  # outside red's space
            red_violation = await red_errors.next()
            await blue.publish("TEAM.blue.blue.after", b"blue")
            after = await first(blue_sub)  # the intrusion never arrived before it

            await blue.subscribe("TEAM.red.red.>")  # outside blue's space
            blue_violation = await blue_errors.next()
        finally:
            await red.close()
            await blue.close()
        assert (got_red.data, got_blue.data) == (b"red", b"blue")
        return red_violation, after.subject, blue_violation, got_red.subject

    red_violation, after, blue_violation, red_subject = asyncio.run(scenario())

    assert red_subject == "TEAM.red.red.hello"
    assert red_violation == 'nats: permissions violation for publish to "team.blue.blue.intrusion"'
    assert after == "TEAM.blue.blue.after"
    assert blue_violation == 'nats: permissions violation for subscription to "team.red.red.>"'


# Bearer users ------------------------------------------------------------------------------------


def _jwt_of(creds: Path) -> bytes:
    lines = creds.read_text().splitlines()
    return lines[lines.index("-----BEGIN NATS USER JWT-----") + 1].encode()


def test_bearer_user_connects_with_the_jwt_alone(world: World) -> None:
    jwt = _jwt_of(world.creds("IMP", "bear"))

    async def scenario() -> bytes:
        assert world.server is not None
        client = await connect(world.server, user_jwt_cb=lambda: jwt, signature_cb=lambda _: b"")
        try:
            sub = await client.subscribe("bearer.echo")
            await client.publish("bearer.echo", b"no signature needed")
            msg = await first(sub)
        finally:
            await client.close()
        return bytes(msg.data)

    assert asyncio.run(scenario()) == b"no signature needed"


def test_non_bearer_user_needs_its_seed(world: World) -> None:
    jwt = _jwt_of(world.creds("IMP", "sub"))
    assert world.server is not None

    error = asyncio.run(
        refusal(world.server, user_jwt_cb=lambda: jwt, signature_cb=lambda _: b"")
    )

    assert "Authorization Violation" in error
