"""``pynsc tool pub|sub|req|reply|rtt`` (and the hidden root aliases) against a real nats-server
with a full nats resolver.

The store is made with the pynsc CLI (in-process): operator ``O`` with its system account and
account ``B`` with users ``x`` (may not publish to ``no.x``) and ``y`` (may not subscribe to
``no.y``), and account ``SOLO`` with its only user ``only``. One server runs for the module,
started from the file ``pynsc generate config --nats-resolver`` wrote; the operator's service URL
is set to it and the accounts pushed with ``pynsc push -A``.

``pub``, ``req`` and ``rtt`` run in-process; ``sub`` and ``reply`` block, so they run as
subprocesses whose output is read as it comes: nothing is published before the listener printed
its ``Listening on`` line (printed once the server has the subscription), and nothing sleeps.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.conftest import Pynsc, assert_one_error

from .resolver import resolver_cluster

pytestmark = pytest.mark.nats_server

TIMEOUT = 10.0
_POLL = 0.01
REFUSED = "nats://127.0.0.1:1"


class Listener:
    """A ``pynsc`` subprocess whose stdout and stderr lines are collected as they come."""

    def __init__(self, args: list[str]) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pynsc.cli", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", env=env,
        )  # fmt: skip
        self.out: list[str] = []
        self.err: list[str] = []
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.out), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self.err), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: object, lines: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.append(line.rstrip("\n"))

    def _describe(self) -> str:
        return f"stdout={self.out!r} stderr={self.err!r}"

    def wait_for(self, lines: list[str], text: str) -> str:
        """The first line of ``lines`` (``self.out`` or ``self.err``) containing ``text``."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for line in list(lines):
                if text in line:
                    return line
            if self.process.poll() is not None:
                for reader in self._readers:
                    reader.join(TIMEOUT)
                if any(text in line for line in lines):
                    continue
                raise AssertionError(f"exited ({self.process.returncode}) without {text!r}: "
                                     f"{self._describe()}")  # fmt: skip
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} within {TIMEOUT:g}s: {self._describe()}")
            time.sleep(_POLL)

    def ready(self, text: str = "istening on") -> None:
        """Wait for the ``Listening on`` (``listening on`` for reply) status line."""
        self.wait_for(self.err, text)

    def finish(self) -> int:
        """Wait for the process to end (killing it after the timeout); its exit code."""
        try:
            code = self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"still running after {TIMEOUT:g}s: {self._describe()}") from None
        self._close()
        return code

    def _close(self) -> None:
        for reader in self._readers:
            reader.join(TIMEOUT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close()


@dataclass
class World:
    home: Path
    runner: Pynsc = field(default_factory=Pynsc)
    url: str = ""
    listeners: list[Listener] = field(default_factory=list)

    def run(self, *args: str) -> Result:
        return self.runner("-H", str(self.home), *args)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def listen(self, *args: str) -> Listener:
        listener = Listener(["-H", str(self.home), *args])
        self.listeners.append(listener)
        return listener


def build(world: World) -> None:
    ok = world.ok
    ok("add", "operator", "-n", "O", "--sys")
    ok("add", "account", "B")
    ok("add", "user", "-a", "B", "x", "--deny-pub", "no.x")
    ok("add", "user", "-a", "B", "y", "--deny-sub", "no.y")
    ok("add", "account", "SOLO")
    ok("add", "user", "-a", "SOLO", "only")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("tool")
    world = World(home=base / "nsc")
    build(world)
    config = base / "server.conf"
    world.ok("generate", "config", "--nats-resolver", "--config-file", str(config))
    with resolver_cluster(base / "servers", config, nodes=1) as cluster:
        world.url = cluster.url
        world.ok("edit", "operator", "--service-url", cluster.url)
        world.ok("push", "-A", "-u", cluster.url)
        yield world
        for listener in world.listeners:
            listener.kill()


# pub and sub -------------------------------------------------------------------------------------


def test_published_messages_reach_a_subscriber(world: World) -> None:
    sub = world.listen("tool", "sub", "-a", "B", "-u", "y", "orders.>", "--max-messages", "2")
    sub.ready()

    first = world.ok("tool", "pub", "-a", "B", "-u", "x", "orders.new", "hello")
    world.ok("tool", "pub", "-a", "B", "-u", "x", "orders.old", "bye now")

    assert sub.finish() == 0, sub.err
    assert first.stdout == ""
    assert first.stderr == 'Published [orders.new] : "hello"\n'
    assert sub.out == ["[#1] received on [orders.new]: 'hello'",
                       "[#2] received on [orders.old]: 'bye now'"]  # fmt: skip
    assert sub.err == ["Listening on [orders.>] for 2 messages", "received 2 messages"]


def test_sub_json_prints_one_object_per_line(world: World) -> None:
    sub = world.listen("tool", "sub", "-a", "B", "-u", "y", "-q", "workers", "jobs.*",
                       "--max-messages", "1", "--json")  # fmt: skip
    sub.ready()

    result = world.ok("tool", "pub", "-a", "B", "-u", "x", "jobs.1", "work", "--json")

    assert sub.finish() == 0, sub.err
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    assert payload["data"] == {"server": world.url, "subject": "jobs.1", "size": 4,
                               "payload": "work"}  # fmt: skip
    assert [json.loads(line) for line in sub.out] == [
        {"number": 1, "subject": "jobs.1", "reply": "", "data": "work", "size": 4}
    ]


def test_sigint_ends_sub_cleanly(world: World) -> None:
    sub = world.listen("tool", "sub", "-a", "B", "-u", "y", "ticks")
    sub.ready()
    world.ok("tool", "pub", "-a", "B", "-u", "x", "ticks", "one")
    sub.wait_for(sub.out, "[#1]")

    sub.process.send_signal(signal.SIGINT)

    assert sub.finish() == 0, sub.err
    assert sub.out == ["[#1] received on [ticks]: 'one'"]
    assert sub.err == ["Listening on [ticks]", "received 1 message"]


def test_denied_publish_is_one_error(world: World) -> None:
    result = world.run("tool", "pub", "-a", "B", "-u", "x", "no.x", "hello")

    line = assert_one_error(result)
    assert line == 'Error: permissions violation for publish to "no.x"'
    assert "pynsc describe user -a B x" in result.stderr


def test_denied_subscription_is_one_error(world: World) -> None:
    result = world.run("tool", "sub", "-a", "B", "-u", "y", "no.y")

    line = assert_one_error(result)
    assert line == 'Error: permissions violation for subscription to "no.y"'


# req and reply -----------------------------------------------------------------------------------


def test_reply_echoes_the_request(world: World) -> None:
    reply = world.listen("tool", "reply", "-a", "B", "-u", "y", "echo", "--max-messages", "1")
    reply.ready()

    result = world.ok("tool", "req", "-a", "B", "-u", "x", "echo", "hi")

    assert reply.finish() == 0, reply.err
    assert re.fullmatch(r"received reply: \[_INBOX\.\S+\] : 'hi'\n", result.stdout)
    assert result.stderr == "published request: [echo] : 'hi'\n"
    assert reply.out == ["[#1] received on [echo]: 'hi'"]
    assert reply.err == ["listening on [echo] for 1 messages", "answered 1 request"]


def test_reply_with_a_payload(world: World) -> None:
    reply = world.listen("tool", "reply", "-a", "B", "-u", "y", "help", "at your service",
                         "--max-messages", "1", "--json")  # fmt: skip
    reply.ready()

    result = world.ok("tool", "req", "-a", "B", "-u", "x", "help", "hi", "--json")

    assert reply.finish() == 0, reply.err
    data = json.loads(result.stdout)["data"]
    assert data["reply"]["data"] == "at your service"
    assert data["subject"] == "help"
    (line,) = reply.out
    request = json.loads(line)
    assert request["data"] == "hi"
    assert request["reply"] == data["reply"]["subject"]
    assert request["answer"] == {"data": "at your service", "size": 15}


def test_req_without_responders_fails(world: World) -> None:
    result = world.run("tool", "req", "-a", "B", "-u", "x", "nobody.home", "hi")

    line = assert_one_error(result)
    assert line == 'Error: no responders available for request to "nobody.home"'


def test_req_times_out_when_nothing_replies(world: World) -> None:
    sub = world.listen("tool", "sub", "-a", "B", "-u", "y", "silent", "--max-messages", "1")
    sub.ready()

    result = world.run("tool", "req", "-a", "B", "-u", "x", "silent", "anyone?",
                       "--timeout", "0.2")  # fmt: skip

    assert assert_one_error(result) == (
        'Error: request to "silent" timed out after 0.2s: nothing replied'
    )
    assert sub.finish() == 0
    assert sub.out == ["[#1] received on [silent]: 'anyone?'"]


# rtt, --nats, defaults and aliases ---------------------------------------------------------------

RTT = r"round trip time to \[(?P<url>nats://127\.0\.0\.1:\d+)\] = \d+(\.\d+)?(ns|µs|ms|s)"


def test_rtt_uses_the_operator_service_url(world: World) -> None:
    result = world.ok("tool", "rtt", "-a", "B", "-u", "x")

    match = re.fullmatch(RTT + "\n", result.stdout)
    assert match is not None, result.stdout
    assert match["url"] == world.url


@pytest.mark.parametrize("where", ["before", "after"])
def test_nats_flag_before_or_after_the_subcommand(world: World, where: str) -> None:
    def rtt(url: str) -> Result:
        if where == "before":
            return world.run("tool", "--nats", url, "rtt", "-a", "B", "-u", "x")
        return world.run("tool", "rtt", "-a", "B", "-u", "x", "--nats", url)

    refused = assert_one_error(rtt(REFUSED))
    assert refused == f"Error: cannot connect to {REFUSED}: connection refused"
    assert re.fullmatch(RTT + "\n", rtt(f"{REFUSED},{world.url}").stdout)


def test_the_only_user_is_the_default(world: World) -> None:
    result = world.ok("tool", "pub", "-a", "SOLO", "solo.news", "hi")

    assert result.stderr == 'Published [solo.news] : "hi"\n'


def test_several_users_need_one_named(world: World) -> None:
    result = world.run("tool", "pub", "-a", "B", "foo")

    line = assert_one_error(result)
    assert line == 'Error: account "B" has 2 users: a user is required'
    assert "Hint: name the one to connect as with -u NAME" in result.stderr


def test_root_aliases_work(world: World) -> None:
    sub = world.listen("sub", "-a", "B", "-u", "y", "alias.>", "--max-messages", "1")
    sub.ready()

    published = world.ok("pub", "-a", "B", "-u", "x", "alias.pub", "via alias")
    rtt = world.ok("rtt", "-a", "B", "-u", "x", "--nats", world.url)

    assert sub.finish() == 0, sub.err
    assert sub.out == ["[#1] received on [alias.pub]: 'via alias'"]
    assert published.stderr == 'Published [alias.pub] : "via alias"\n'
    assert re.fullmatch(RTT + "\n", rtt.stdout)

    reply = world.listen("reply", "-a", "B", "-u", "y", "alias.svc", "--max-messages", "1")
    reply.ready()
    answered = world.ok("req", "-a", "B", "-u", "x", "alias.svc", "ping")
    assert reply.finish() == 0, reply.err
    assert answered.stdout.endswith(" : 'ping'\n")
