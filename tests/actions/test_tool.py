"""Tool rules at the library level (no CLI involved): which user of which account connects to
which servers with which creds; then publish, request, subscribe, respond and round trip against
a real nats-server started from the MEMORY resolver config of an in-memory operator."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pynsc.actions import UserChanges, add_user
from pynsc.actions.serverconfig import generate_config
from pynsc.actions.tool import (
    ConnectAs,
    publish,
    request,
    respond,
    round_trip,
    subscribe,
    tool_connection,
)
from pynsc.actions.user_changes import PermissionChanges
from pynsc.errors import NotFoundError, StoreError
from pynsc.push.tool import NoRespondersError, PermissionViolationError, Received, ToolError

from .builders import Deployment, deployment

URL = "nats://127.0.0.1:4222"


def _user(
    d: Deployment, name: str, *, allow_pub: tuple[str, ...] = (), allow_sub: tuple[str, ...] = ()
) -> str:
    changes = UserChanges(perms=PermissionChanges(allow_pub=allow_pub, allow_sub=allow_sub))
    result = add_user(d.nsc, name, account="A", changes=changes, signer=d.account.public_key)
    return result.creds.claims.sub


@pytest.fixture
def d() -> Deployment:
    return deployment()


# Who connects where --------------------------------------------------------------------------


def test_an_account_without_users_has_nobody_to_connect_as(d: Deployment) -> None:
    with pytest.raises(StoreError) as raised:
        tool_connection(d.nsc, ConnectAs(nats_url=URL))
    assert raised.value.message == 'account "A" has no users'
    assert raised.value.hint == "add one with 'pynsc add user -a A NAME'"


def test_the_only_user_is_the_default_else_one_must_be_named(d: Deployment) -> None:
    _user(d, "alice")
    assert tool_connection(d.nsc, ConnectAs(nats_url=URL)).user == "alice"
    bob = _user(d, "bob")
    with pytest.raises(StoreError) as raised:
        tool_connection(d.nsc, ConnectAs(nats_url=URL))
    assert raised.value.message == 'account "A" has 2 users: a user is required'
    assert raised.value.hint == "name the one to connect as with -u NAME"
    assert tool_connection(d.nsc, ConnectAs(user=bob, nats_url=URL)).user == "bob"
    with pytest.raises(NotFoundError):
        tool_connection(d.nsc, ConnectAs(user="carol", nats_url=URL))


def test_the_account_is_the_one_named_else_the_current_one(d: Deployment) -> None:
    _user(d, "alice")
    assert tool_connection(d.nsc, ConnectAs(nats_url=URL)).account == "A"
    with pytest.raises(StoreError, match='account "SYS" has no users'):
        tool_connection(d.nsc, ConnectAs(account="SYS", nats_url=URL))


def test_the_urls_given_else_the_operators_service_urls(d: Deployment) -> None:
    _user(d, "alice")
    with pytest.raises(ToolError) as raised:
        tool_connection(d.nsc)
    assert raised.value.message == 'operator "O" has no service urls'
    urls = ["nats://a:1", "nats://b:2"]
    assert tool_connection(d.nsc, ConnectAs(nats_url=urls)).endpoint.urls == tuple(urls)
    assert tool_connection(d.nsc, ConnectAs(nats_url="nats://a:1, nats://b:2")).endpoint.urls == (
        tuple(urls)
    )


def test_the_user_connects_with_its_stored_creds(d: Deployment) -> None:
    key = _user(d, "alice")
    endpoint = tool_connection(d.nsc, ConnectAs(nats_url=URL)).endpoint
    assert d.nsc.keystore.read_creds("O", "A", "alice") is not None
    assert endpoint.credentials.jwt == d.nsc.store().user_token("A", "alice")
    assert endpoint.credentials.seed.startswith("SU")
    d.nsc.keystore.remove_creds("O", "A", "alice")
    with pytest.raises(ToolError, match='no creds for user "alice"'):
        tool_connection(d.nsc, ConnectAs(user=key, nats_url=URL))


def test_on_disk_a_missing_creds_file_is_named(tmp_path: Path) -> None:
    d = deployment(tmp_path / "home")
    _user(d, "alice")
    path = d.nsc.keystore.creds_path("O", "A", "alice")
    path.unlink()
    with pytest.raises(ToolError) as raised:
        tool_connection(d.nsc, ConnectAs(nats_url=URL))
    assert raised.value.message == (
        f'no creds file for user "alice" of account "A": `{path}` does not exist'
    )


# Against a real nats-server ------------------------------------------------------------------


@pytest.fixture
def server(d: Deployment, tmp_path: Path) -> Iterator[str]:
    from tests.integration.natsserver import NatsServer

    _user(d, "alice", allow_pub=("orders.>", "help"), allow_sub=("_INBOX.>",))
    _user(d, "bob", allow_sub=("orders.>", "help"), allow_pub=("_INBOX.>",))
    with NatsServer(tmp_path / "nats", generate_config(d.nsc, "mem-resolver").text) as running:
        yield running.url


@pytest.mark.nats_server
def test_publish_subscribe_request_respond_round_trip(d: Deployment, server: str) -> None:
    alice = ConnectAs(user="alice", nats_url=server)
    bob = ConnectAs(user="bob", nats_url=server)
    ready = threading.Event()
    got: list[Received] = []

    def listen() -> None:
        subscribe(d.nsc, "orders.>", max_messages=1, on_ready=lambda _: ready.set(),
                  on_message=got.append, connect=bob)  # fmt: skip

    listener = threading.Thread(target=listen)
    listener.start()
    assert ready.wait(10)
    published = publish(d.nsc, "orders.new", "hello", connect=alice)
    listener.join(10)
    assert (published.subject, published.size) == ("orders.new", 5)
    assert [(r.message.subject, r.message.text) for r in got] == [("orders.new", "hello")]

    ready.clear()
    answered: list[int] = []

    def serve() -> None:
        done = respond(d.nsc, "help", b"at your service", max_messages=1,
                       on_ready=lambda _: ready.set(), connect=bob)  # fmt: skip
        answered.append(done.answered)

    responder = threading.Thread(target=serve)
    responder.start()
    assert ready.wait(10)
    reply = request(d.nsc, "help", "hi", timeout=5, connect=alice)
    responder.join(10)
    assert reply.message.text == "at your service"
    assert answered == [1]

    assert round_trip(d.nsc, connect=alice).nanoseconds > 0


@pytest.mark.nats_server
def test_refusals_hint_at_what_to_do(d: Deployment, server: str) -> None:
    alice = ConnectAs(user="alice", nats_url=server)
    with pytest.raises(PermissionViolationError) as refused:
        publish(d.nsc, "secret", connect=alice)
    assert refused.value.hint == (
        "see the permissions of user \"alice\" with 'pynsc describe user -a A alice'"
    )
    with pytest.raises(NoRespondersError) as nobody:
        request(d.nsc, "help", connect=alice)
    assert nobody.value.hint == "is anything serving \"help\"? try 'pynsc tool reply -a A help'"
