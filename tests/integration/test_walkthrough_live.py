"""The walkthrough this project exists for, live: two accounts sharing a private stream and a
private *wildcard* service through activations, deployed with ``pynsc push -A``.

Account ``A`` exports ``k8s.proxy.handler.*`` (stream) and ``k8s.proxy.resp.>`` (service), both
private; ``B`` gets activations for ``k8s.proxy.handler.cid_b`` and ``k8s.proxy.resp.cid_b.*``
and imports them as ``k8s.proxy.handler`` and ``k8s.proxy.resp.*``. nats-server serves the
wildcard service activation (nsc refuses to generate one: ``services cannot have wildcards``):
B's request on ``k8s.proxy.resp.1`` reaches A's responder on ``k8s.proxy.resp.cid_b.1``, and
nothing of B's reaches ``cid_c``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import NoRespondersError

from tests.cli.conftest import Pynsc

from .natsserver import connect_url
from .resolver import ResolverCluster, resolver_cluster

pytestmark = pytest.mark.nats_server


class Walkthrough:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.runner = Pynsc()
        self.cluster: ResolverCluster | None = None

    def ok(self, *args: str) -> Result:
        result = self.runner("-H", str(self.home), *args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        assert "[ERR" not in result.stderr, result.stderr
        return result

    async def client(self, account: str, user: str) -> Client:
        assert self.cluster is not None
        creds = self.home / "creds" / "O" / account / f"{user}.creds"
        return await connect_url(self.cluster.url, creds)


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walkthrough]:
    base = tmp_path_factory.mktemp("walkthrough")
    w = Walkthrough(base / "nsc")
    w.ok("add", "operator", "-n", "O", "--sys", "--generate-signing-key")
    w.ok("add", "account", "A")
    w.ok("add", "account", "B")
    w.ok("add", "user", "-a", "A", "x")
    w.ok("add", "user", "-a", "B", "y")
    w.ok("add", "export", "-a", "A", "--subject", "k8s.proxy.handler.*", "--private")
    w.ok("add", "export", "-a", "A", "--subject", "k8s.proxy.resp.>", "--private", "--service")
    b_key = json.loads(w.ok("describe", "account", "B", "--field", "sub").stdout)
    handler, resp = base / "handler.jwt", base / "resp.jwt"
    w.ok("generate", "activation", "-a", "A", "--target-account", b_key,
         "--subject", "k8s.proxy.handler.cid_b", "-o", str(handler))  # fmt: skip
    w.ok("generate", "activation", "-a", "A", "--target-account", b_key,
         "--subject", "k8s.proxy.resp.cid_b.*", "-o", str(resp))  # fmt: skip
    w.ok("add", "import", "-a", "B", "--token", str(handler),
         "--local-subject", "k8s.proxy.handler")  # fmt: skip
    w.ok("add", "import", "-a", "B", "--token", str(resp),
         "--local-subject", "k8s.proxy.resp.*", "--name", "k8s.proxy.resp")  # fmt: skip
    config = base / "server.conf"
    w.ok("generate", "config", "--nats-resolver", "--config-file", str(config))
    with resolver_cluster(base / "servers", config) as cluster:
        w.cluster = cluster
        w.ok("push", "-A", "-u", cluster.url)
        yield w


async def _settle(client: Client) -> None:
    await client.flush()
    await client.flush()


def test_wildcard_service_activation_is_generated(walkthrough: Walkthrough) -> None:
    imports = json.loads(walkthrough.ok("describe", "account", "B", "--json").stdout)["nats"]
    service = next(i for i in imports["imports"] if i["type"] == "service")
    assert (service["subject"], service["local_subject"]) == (
        "k8s.proxy.resp.cid_b.*", "k8s.proxy.resp.*"
    )


def test_b_receives_the_stream_a_publishes_for_it(walkthrough: Walkthrough) -> None:
    async def scenario() -> list[tuple[str, bytes]]:
        x, y = await walkthrough.client("A", "x"), await walkthrough.client("B", "y")
        try:
            sub = await y.subscribe("k8s.proxy.>")
            await _settle(y)
            await x.publish("k8s.proxy.handler.cid_c", b"not for B")
            await x.publish("k8s.proxy.handler.cid_b", b"for B")
            await _settle(x)
            got = [await sub.next_msg(timeout=2)]
            return [(m.subject, m.data) for m in got]
        finally:
            await x.close()
            await y.close()

    assert asyncio.run(scenario()) == [("k8s.proxy.handler", b"for B")]


def test_b_requests_reach_a_responder_under_cid_b_only(walkthrough: Walkthrough) -> None:
    async def scenario() -> tuple[bytes, str]:
        x, y = await walkthrough.client("A", "x"), await walkthrough.client("B", "y")
        try:
            async def respond(msg: Msg) -> None:
                await msg.respond(f"{msg.subject}: {msg.data.decode()}".encode())

            await x.subscribe("k8s.proxy.resp.>", cb=respond)
            await _settle(x)
            reply = await y.request("k8s.proxy.resp.1", b"ping", timeout=2)
            try:
                await y.request("k8s.proxy.resp.cid_c.1", b"ping", timeout=2)
            except NoRespondersError as refused:
                other = type(refused).__name__
            else:
                other = "answered"
            return reply.data, other
        finally:
            await x.close()
            await y.close()

    answer, cid_c = asyncio.run(scenario())
    assert answer == b"k8s.proxy.resp.cid_b.1: ping"
    assert cid_c == "NoRespondersError"
