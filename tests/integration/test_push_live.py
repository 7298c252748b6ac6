"""``pynsc push`` and ``pynsc pull`` against a real 3-node nats-server cluster with full nats
resolvers (routes on loopback), as an operator deploys: every node is asked what it holds with
``$SYS.REQ.ACCOUNT.<id>.CLAIMS.LOOKUP``.

The store is made with the pynsc CLI (in-process): operator ``O`` with its system account,
accounts ``A`` and ``B`` with users. The cluster is started once for the module from the file
``pynsc generate config --nats-resolver`` wrote (with ``allow_delete: true``). Tests that stop a
node start it again before they end.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.cli.conftest import Pynsc

from .natsserver import echo, refusal
from .resolver import ResolverCluster, resolver_cluster

pytestmark = pytest.mark.nats_server


@dataclass
class Deployment:
    home: Path
    runner: Pynsc = field(default_factory=Pynsc)
    cluster: ResolverCluster | None = None

    def run(self, *args: str) -> Result:
        return self.runner("-H", str(self.home), *args)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    @property
    def nodes(self) -> ResolverCluster:
        assert self.cluster is not None
        return self.cluster

    def push(self, *args: str) -> Result:
        """``pynsc push ARGS -u <node 1>``, which must succeed."""
        return self.ok("push", *args, "-u", self.nodes.url)

    def push_json(self, *args: str) -> dict[str, Any]:
        result = self.ok("push", *args, "-u", self.nodes.url, "--json")
        payload: dict[str, Any] = json.loads(result.stdout)
        assert payload["ok"] is True, payload
        return payload

    def key(self, account: str) -> str:
        value: str = json.loads(self.ok("describe", "account", account, "--field", "sub").stdout)
        return value

    def token(self, account: str) -> str:
        path = self.home / "O" / "accounts" / account / f"{account}.jwt"
        return path.read_text()

    def creds(self, account: str, user: str) -> Path:
        return self.home / "creds" / "O" / account / f"{user}.creds"

    def lookup(self, node: int, account: str) -> str:
        """What node ``node`` (0-based) holds for ``account`` (a name or a key)."""
        key = account if account.startswith("A") and len(account) == 56 else self.key(account)
        return self.nodes.lookup(node, self.creds("SYS", "sys"), key)


def build(deployment: Deployment) -> None:
    ok = deployment.ok
    ok("add", "operator", "-n", "O", "--sys")
    ok("add", "account", "A")
    ok("add", "account", "B")
    ok("add", "user", "-a", "A", "alice")
    ok("add", "user", "-a", "A", "carol")
    ok("add", "user", "-a", "B", "bob")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    base = tmp_path_factory.mktemp("push")
    deployment = Deployment(home=base / "nsc")
    build(deployment)
    config = base / "server.conf"
    deployment.ok("generate", "config", "--nats-resolver", "--config-file", str(config))
    with resolver_cluster(base / "cluster", config, nodes=3) as cluster:
        deployment.cluster = cluster
        deployment.push("-A")
        yield deployment


# Push ---------------------------------------------------------------------------------------------


def test_push_all_lands_on_every_node(deployment: Deployment) -> None:
    result = deployment.push("-A")
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    url = deployment.nodes.url
    assert lines[0] == f'[ OK ] push to nats-server "{url}" using system account "SYS":'
    for account in ("A", "B", "SYS"):
        assert f"       [ OK ] push {account} to nats-server with nats account resolver:" in lines
        for node in ("n1", "n2", "n3"):
            assert (f'              [ OK ] pushed "{account}" to nats-server {node}: jwt updated'
                    in lines)  # fmt: skip
    assert lines.count("              [ OK ] pushed to a total of 3 nats-server") == 3
    for node in range(3):
        for account in ("A", "B", "SYS"):
            assert deployment.lookup(node, account) == deployment.token(account)


def test_json_report_has_every_server_of_every_account(deployment: Deployment) -> None:
    payload = deployment.push_json("-a", "B")
    push = payload["data"]["push"]
    assert push["mode"] == "nats"
    assert push["system_account"] == "SYS"
    assert push["system_user"] == "pynsc temporary push user"
    assert push["servers"] == ["n1", "n2", "n3"]
    [account] = push["accounts"]
    assert (account["name"], account["account"], account["ok"]) == ("B", deployment.key("B"), True)
    assert [(s["server"], s["ok"], s["code"], s["message"]) for s in account["servers"]] == [
        (node, True, 200, "jwt updated") for node in ("n1", "n2", "n3")
    ]


def test_users_connect_on_any_node_once_pushed(deployment: Deployment) -> None:
    deployment.ok("add", "account", "C")
    deployment.ok("add", "user", "-a", "C", "cat")
    creds = deployment.creds("C", "cat")
    node3 = deployment.nodes.nodes[2]
    assert "Authorization Violation" in asyncio.run(refusal(node3, user_credentials=str(creds)))
    deployment.push("-a", "C")
    for url in deployment.nodes.urls:
        assert asyncio.run(echo(url, creds, "push.echo", b"hello")) == b"hello"


def test_push_with_a_node_down_reports_the_servers_that_answered(deployment: Deployment) -> None:
    deployment.ok("edit", "account", "A", "--conns", "50")
    deployment.nodes.stop(2)
    try:
        result = deployment.push("-a", "A")
        assert "pushed to a total of 2 nats-server" in result.stderr
        assert "nats-server n3" not in result.stderr
        assert deployment.lookup(0, "A") == deployment.lookup(1, "A") == deployment.token("A")
    finally:
        deployment.nodes.restart(2)
    deployment.push("-A")
    assert deployment.lookup(2, "A") == deployment.token("A")


def test_push_uses_the_operator_service_url_and_a_stored_system_user(
    deployment: Deployment,
) -> None:
    deployment.ok("edit", "operator", "--service-url", deployment.nodes.urls[1])
    try:
        result = deployment.ok("push", "-a", "B", "--system-user", "sys", "--json")
        push = json.loads(result.stdout)["data"]["push"]
        assert push["url"] == deployment.nodes.urls[1]
        assert push["system_user"] == "sys"
        assert len(push["accounts"][0]["servers"]) == 3
    finally:
        deployment.ok("edit", "operator", "--rm-service-url", deployment.nodes.urls[1])


# Diff, prune, remove ------------------------------------------------------------------------------


def test_diff_and_prune_delete_an_account_only_the_servers_have(deployment: Deployment) -> None:
    deployment.ok("add", "account", "GONE")
    deployment.push("-a", "GONE")
    gone = deployment.key("GONE")
    deployment.ok("delete", "account", "GONE")

    diff = deployment.push("--diff").stderr
    assert f"account {gone} only exists in server" in diff
    assert f"account {deployment.key('SYS')} named SYS exists" in diff
    assert "listed accounts from a total of 3 nats-server" in diff
    data = deployment.push_json("--diff")["data"]["diff"]
    assert data["only_on_servers"] == [gone]
    assert [s["server"] for s in data["servers"]] == ["n1", "n2", "n3"]

    pruned = deployment.push("--prune").stderr
    for node in ("n1", "n2", "n3"):
        assert f"pruned nats-server {node}: deleted 1 accounts" in pruned
    for node in range(3):
        assert deployment.lookup(node, gone) == ""
        assert deployment.lookup(node, "SYS") == deployment.token("SYS")
        assert f"{gone}.jwt.deleted" in deployment.nodes.files(node)
    again = deployment.push("--prune").stderr
    assert "nothing to prune" in again


def test_account_removal_deletes_one_account_but_never_the_system_account(
    deployment: Deployment,
) -> None:
    removed = deployment.push("-R", "B").stderr
    assert "pruned nats-server n2: deleted 1 accounts" in removed
    for node in range(3):
        assert deployment.lookup(node, "B") == ""
        assert deployment.lookup(node, "A") == deployment.token("A")
    deployment.push("-a", "B")
    assert deployment.lookup(1, "B") == deployment.token("B")

    for system in ("SYS", deployment.key("SYS")):
        result = deployment.run("push", "-R", system, "-u", deployment.nodes.url)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == (
            f'Error: account "{system}" is the system account and cannot be removed'
        )
    assert deployment.lookup(0, "SYS") == deployment.token("SYS")


def test_diff_prune_and_removal_are_exclusive(deployment: Deployment) -> None:
    result = deployment.run("push", "--prune", "--diff", "-u", deployment.nodes.url)
    assert result.exit_code == 2
    assert "--prune and --diff are mutually exclusive" in result.stderr


# Pull ---------------------------------------------------------------------------------------------


def test_pull_all_into_a_store_with_only_the_operator_and_system_account(
    deployment: Deployment, tmp_path: Path
) -> None:
    deployment.push("-A")
    fresh = Deployment(home=tmp_path / "nsc", cluster=deployment.cluster)
    operator_dir = fresh.home / "O"
    (operator_dir / "accounts").mkdir(parents=True)
    for name in (".nsc", "O.jwt"):
        shutil.copy2(deployment.home / "O" / name, operator_dir / name)
    shutil.copytree(deployment.home / "O" / "accounts" / "SYS", operator_dir / "accounts" / "SYS")
    shutil.copytree(deployment.home / "keys", fresh.home / "keys")
    assert fresh.ok("list", "accounts", "--json").stdout.count('"name"') == 1

    result = fresh.ok("pull", "-A", "-u", deployment.nodes.url)
    assert f'[ OK ] pull from nats-server "{deployment.nodes.url}":' in result.stderr
    for account in ("A", "B"):
        assert f'stored account "{account}"' in result.stderr
        assert fresh.token(account) == deployment.token(account)
    assert 'account "SYS" is unchanged' in result.stderr
    # and the pulled accounts are usable: push them back
    fresh.push("-A")


def test_pull_keeps_a_newer_local_jwt(deployment: Deployment) -> None:
    from pynsc import claims as c
    from pynsc.keys import KeyStore

    path = deployment.home / "O" / "accounts" / "A" / "A.jwt"
    local = path.read_text()
    claims = c.decode(local, c.AccountClaims)
    operator = KeyStore(deployment.home).read(claims.iss)
    older = c.encode(claims, operator, iat=claims.iat - 100)
    path.write_text(older)
    deployment.push("-a", "A")  # the servers hold an older JWT than the store will
    path.write_text(local)

    result = deployment.run("pull", "-A", "-u", deployment.nodes.url)
    assert result.exit_code == 1
    assert ('[ERR ] local jwt for "A" is newer than remote version - specify --overwrite-newer '
            "to overwrite") in result.stderr  # fmt: skip
    assert 'account "B" is unchanged' in result.stderr
    assert path.read_text() == local

    forced = deployment.ok("pull", "-A", "-F", "-u", deployment.nodes.url)
    assert 'stored account "A"' in forced.stderr
    assert path.read_text() == older
    deployment.ok("edit", "account", "A", "--conns", "50")
    deployment.push("-a", "A")


def test_pull_by_account_from_resolvers_needs_all(deployment: Deployment) -> None:
    result = deployment.run("pull", "-a", "A", "-u", deployment.nodes.url)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        'Error: operator "O" can only pull all jwt - unable to pull by account'
    )


# Revocation, failures -----------------------------------------------------------------------------


def test_revoked_user_cannot_connect_once_pushed(deployment: Deployment) -> None:
    creds = deployment.creds("A", "carol")
    assert asyncio.run(echo(deployment.nodes.urls[2], creds, "push.echo", b"hello")) == b"hello"
    deployment.ok("revocations", "add-user", "-a", "A", "-n", "carol")
    deployment.push("-a", "A")
    for node in deployment.nodes.nodes:
        assert "Authorization Violation" in asyncio.run(
            refusal(node, user_credentials=str(creds))
        )
    alice = deployment.creds("A", "alice")
    assert asyncio.run(echo(deployment.nodes.url, alice, "push.echo", b"hello")) == b"hello"


def test_push_to_a_dead_url_is_one_line(deployment: Deployment) -> None:
    from .natsserver import free_port

    url = f"nats://127.0.0.1:{free_port()}"
    result = deployment.run("push", "-A", "-u", url)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"Error: cannot connect to {url}: connection refused"]


def test_push_refuses_an_account_with_validation_issues_unless_forced(
    deployment: Deployment,
) -> None:
    deployment.ok("add", "account", "OLD", "--expiry", "2020-01-01")
    result = deployment.run("push", "-a", "OLD", "-u", deployment.nodes.url)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        'Error: unable to push account "OLD" as it has validation issues: claim is expired'
    )
    assert deployment.lookup(0, "OLD") == ""
    forced = deployment.push("-a", "OLD", "--force")
    assert 'pushed "OLD" to nats-server n1: jwt updated' in forced.stderr
    deployment.ok("delete", "account", "OLD")
    deployment.push("--prune")


def test_many_accounts_show_a_progress_bar_on_a_terminal(deployment: Deployment) -> None:
    import os
    import pty
    import subprocess
    import sys

    for index in range(21):
        deployment.ok("add", "account", f"P{index:02d}")
    controller, terminal = pty.openpty()
    pynsc = Path(sys.executable).parent / "pynsc"
    with subprocess.Popen(
        [str(pynsc), "-H", str(deployment.home), "push", "-A", "-u", deployment.nodes.url],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal,
    ) as process:  # fmt: skip
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process is done with it
                break
            if not chunk:
                break
            seen += chunk
        assert process.wait(timeout=30) == 0
    os.close(controller)
    text = seen.decode(errors="replace")
    assert "pushing" in text  # the bar's label, drawn while the replies come in
    total = len(json.loads(deployment.ok("list", "accounts", "--json").stdout)["data"])
    assert f"{total}/{total}" in text
    assert 'pushed "P20" to nats-server n3: jwt updated' in text
    # not on a terminal (CliRunner, pipes): no bar
    assert "pushing" not in deployment.push("-A").stderr


def test_a_jwt_the_servers_cannot_verify_is_reported_by_them(deployment: Deployment) -> None:
    path = deployment.home / "O" / "accounts" / "B" / "B.jwt"
    good = path.read_text()
    head, payload, signature = good.split(".")
    path.write_text(f"{head}.{payload}.{'A' * len(signature)}")
    try:
        result = deployment.run("push", "-a", "B", "-u", deployment.nodes.url)
    finally:
        path.write_text(good)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    for node in ("n1", "n2", "n3"):
        refused = f'              [ERR ] failed to push "B" to nats-server {node}: '
        assert any(line.startswith(refused) for line in lines), result.stderr
    assert lines[-1] == "Error: all jobs failed"
    assert deployment.lookup(0, "B") == good
