"""Local nats-server rules at the library level (no CLI involved): where its files live, what a
start, a status and a stop report; then a real run of an in-memory operator."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc.actions import server as server_action
from pynsc.actions.server import run_server, server_directory, server_status, stop_server
from pynsc.errors import UsageError
from pynsc.localserver import NodeState, ServerState, Started
from pynsc.push.operations import AccountPush, PushResult, Target
from pynsc.push.resolver import ServerReply

from .builders import deployment


def test_the_directory_is_the_one_given_else_the_operators(tmp_path: Path) -> None:
    d = deployment(tmp_path / "home")
    assert server_directory(d.nsc) == d.nsc.store().dir / ".server"
    assert server_directory(d.nsc, "~/srv") == Path("~/srv").expanduser()
    assert server_directory(d.nsc, tmp_path / "x") == tmp_path / "x"


def test_in_memory_the_directory_must_be_given(tmp_path: Path) -> None:
    d = deployment()
    with pytest.raises(UsageError, match="an in-memory Nsc has no operator directory"):
        server_status(d.nsc)
    assert server_directory(d.nsc, tmp_path) == tmp_path


def test_nothing_started_is_a_warning_for_status_and_ok_for_stop(tmp_path: Path) -> None:
    d = deployment()
    found = server_status(d.nsc, tmp_path)
    assert not found.running
    assert found.status is None
    assert found.report.lines() == [f"[WARN] no local nats-server was started from `{tmp_path}`"]
    assert found.report.data == {"dir": str(tmp_path), "running": False, "nodes": []}

    stopped = stop_server(d.nsc, tmp_path)
    assert stopped.result is None
    assert stopped.report.lines() == [f"[ OK ] no local nats-server to stop in `{tmp_path}`"]
    assert stopped.report.data == {"dir": str(tmp_path), "nodes": []}


def test_a_start_reports_nodes_pushes_skips_and_jetstream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = deployment()
    node = NodeState("n1", "O-n1", tmp_path / "n1", 4222, 8222, pid=42,
                     websocket_url="ws://127.0.0.1:8080")  # fmt: skip
    state = ServerState("O", tmp_path, Path("nats-server"), (node,), jetstream=True)
    target = Target((node.url,), "nats")
    ok = ServerReply("O-n1", "N1", True, 200, "jwt updated")
    pushed = PushResult(target, [
        AccountPush("A", "AK", [ok]), AccountPush("B", "BK", [], "no nats-server answered"),
    ])  # fmt: skip
    started = Started(state, pushed, {"OLD": "it has expired"})
    seen: dict[str, object] = {}

    def fake_start(store: object, keystore: object, spec: object, **kw: object) -> Started:
        seen.update(spec=spec, **kw)
        return started

    monkeypatch.setattr(server_action, "start", fake_start)
    run = run_server(d.nsc, port=4222, jetstream=True, directory=tmp_path, binary="/bin/ns")
    assert seen["directory"] == tmp_path
    assert seen["binary"] == "/bin/ns"
    assert run.url == "nats://127.0.0.1:4222"
    assert run.directory == tmp_path
    assert run.report.lines() == [
        "[ OK ] started nats-server O-n1 (pid 42): nats://127.0.0.1:4222, websocket "
        "ws://127.0.0.1:8080, monitor http://127.0.0.1:8222",
        "[ OK ] pushed 1 account to 1 nats-server: A",
        '[WARN] account "OLD" not pushed: it has expired',
        '[WARN] account "B" not pushed: no nats-server answered',
        "[WARN] JetStream is on, but no account has JetStream limits: enable them with "
        "'pynsc edit account NAME --js-enable 0', then 'pynsc push -a NAME -u "
        "nats://127.0.0.1:4222'",
    ]
    assert run.report.data == started.to_dict()

    started.jetstream_accounts = ["A"]
    texts = [e.text for e in run_server(d.nsc, directory=tmp_path).report.children]
    assert not any(text.startswith("JetStream is on") for text in texts)


@pytest.mark.nats_server
def test_run_status_stop_an_in_memory_operator(tmp_path: Path) -> None:
    from tests.integration.natsserver import free_port

    d = deployment()
    where = tmp_path / "srv"
    run = run_server(d.nsc, port=free_port(), directory=where)
    try:
        assert run.started.pushed is not None
        assert sorted(a.name for a in run.started.pushed.accounts if a.ok) == ["A", "SYS"]
        assert run.report.children[0].text.startswith("started nats-server O-n1 (pid ")
        found = server_status(d.nsc, where)
        assert found.running
        assert found.report.lines() == []
        assert found.report.data["url"] == run.url
    finally:
        stopped = stop_server(d.nsc, where)
    node = run.started.state.nodes[0]
    assert stopped.report.lines() == [f"[ OK ] stopped nats-server O-n1 (pid {node.pid})"]
    assert not server_status(d.nsc, where).running
