"""A store laid out by hand exactly as Go nsc lays it out, from the Go-made fixtures.

pynsc must list it, describe it and add a user to it without rewriting what Go wrote, and the
new user's creds must connect to a real nats-server trusting that operator.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pynsc import claims
from pynsc.cli import cli
from pynsc.keys import KeyStore, from_seed

from .natsserver import NatsServer, StartServer, connect

GO = Path(__file__).resolve().parents[1] / "fixtures" / "go-jwt-2.3.0"

pytestmark = pytest.mark.nats_server


def _go_store(root: Path) -> dict[str, str]:
    """Operator O with accounts SYS, A, B and their users, keys sharded; returns file digests."""
    manifest = json.loads((GO / "manifest.json").read_text())
    op_dir = root / "O"
    op_dir.mkdir(parents=True)
    (op_dir / ".nsc").write_text('{"managed":false,"name":"O","kind":"operator","version":"1"}')
    keystore = KeyStore(root)
    accounts: dict[str, str] = {}
    for entry in manifest["files"]:
        if entry["kind"] == "seed":
            keystore.store(from_seed((GO / entry["file"]).read_text().strip()))
        elif entry.get("type") == "account":
            accounts[entry["public_key"]] = entry["name"]
    shutil.copy(GO / "op.jwt", op_dir / "O.jwt")
    for entry in manifest["files"]:
        if entry["kind"] != "jwt" or entry["type"] not in ("account", "user"):
            continue
        token = (GO / entry["file"]).read_text().strip()
        if entry["type"] == "account":
            target = op_dir / "accounts" / entry["name"] / f"{entry['name']}.jwt"
        else:
            user = claims.decode(token, claims.UserClaims)
            account = accounts[user.issuer_account]
            target = op_dir / "accounts" / account / "users" / f"{entry['name']}.jwt"
            creds = GO / f"user_{entry['name']}.creds"
            if not creds.exists():
                creds = GO / entry["file"].replace(".jwt", ".creds")
            if creds.exists():
                dest = root / "creds" / "O" / account / f"{entry['name']}.creds"
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(creds, dest)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(token)
    return {str(p.relative_to(root)): p.read_text() for p in (root / "O").rglob("*.jwt")}


def _run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["-H", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_pynsc_reads_and_extends_a_go_store(tmp_path: Path, start_nats_server: StartServer) -> None:
    root = tmp_path / "nsc"
    before = _go_store(root)

    listed = json.loads(_run(root, "list", "accounts", "--json").stdout)
    names = sorted(
        item["name"]
        for item in (listed.get("data", listed) if isinstance(listed, dict) else listed)
    )
    assert names == ["A", "B", "SYS"]

    described = json.loads(_run(root, "describe", "account", "A", "--json").stdout)
    payload = described.get("data", described) if "nats" not in described else described
    assert payload["sub"] == claims.decode((GO / "acct_A.jwt").read_text()).sub

    _run(root, "add", "user", "-a", "A", "newbie")
    creds_path = root / "creds" / "O" / "A" / "newbie.creds"
    user, _ = claims.decode_creds(creds_path.read_text())
    assert user.iss == claims.decode((GO / "acct_A.jwt").read_text()).sub
    assert not claims.validate(user).is_blocking(True)

    after = {str(p.relative_to(root)): p.read_text() for p in (root / "O").rglob("*.jwt")}
    assert {k: after[k] for k in before} == before, "Go-written JWTs are left as they were"
    assert set(after) - set(before) == {"O/accounts/A/users/newbie.jwt"}

    server: NatsServer = start_nats_server(include=GO / "server_memory.conf", name="go-store")

    async def scenario() -> bytes:
        client = await connect(server, user_credentials=str(creds_path))
        try:
            sub = await client.subscribe("hello.newbie")
            await client.publish("hello.newbie", b"hi")
            message = await sub.next_msg(timeout=2)
            return bytes(message.data)
        finally:
            await client.close()

    assert asyncio.run(scenario()) == b"hi", server.log_tail()
