"""``pynsc push`` to a nats-server with a MEMORY resolver (the config ``generate config
--mem-resolver`` writes): pynsc sends each account to ``$SYS.REQ.ACCOUNT.<pub>.CLAIMS.UPDATE``,
which memory resolvers answer too. An account the server has not loaded yet is skipped (it
comes from the preload when first used); a loaded one is updated in place."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Pynsc

from .configserver import config_servers
from .natsserver import connect, refusal

pytestmark = pytest.mark.nats_server


def test_memory_resolver_answers_the_per_account_update(tmp_path: Path) -> None:
    home = tmp_path / "nsc"
    pynsc = Pynsc()

    def ok(*args: str) -> Any:
        result = pynsc("-H", str(home), *args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    ok("add", "operator", "-n", "O", "--sys")
    ok("add", "account", "A")
    ok("add", "user", "-a", "A", "u")
    ok("add", "user", "-a", "A", "v")
    config = tmp_path / "server.conf"
    ok("generate", "config", "--mem-resolver", "--config-file", str(config))
    creds = {name: home / "creds" / "O" / "A" / f"{name}.creds" for name in ("u", "v")}

    def push() -> dict[str, Any]:
        pushed: dict[str, Any] = json.loads(ok("push", "-a", "A", "-u", server.url,
                                               "--json").stdout)["data"]["push"]  # fmt: skip
        return pushed

    with config_servers(tmp_path / "servers") as start:
        server = start(config, name="memory")
        [skipped] = push()["accounts"][0]["servers"]
        assert (skipped["ok"], skipped["message"]) == (True, "jwt update skipped")

        # a user of A connected (in another thread, with its own event loop) loads account A
        connected, release = threading.Event(), threading.Event()

        async def hold() -> None:
            client = await connect(server, user_credentials=str(creds["v"]))
            connected.set()
            await asyncio.get_running_loop().run_in_executor(None, release.wait)
            await client.close()

        holder = threading.Thread(target=asyncio.run, args=(hold(),))
        holder.start()
        try:
            assert connected.wait(5)
            ok("revocations", "add-user", "-a", "A", "-n", "u")
            [updated] = push()["accounts"][0]["servers"]
            assert (updated["ok"], updated["message"]) == (True, "jwt updated")
            refused = asyncio.run(refusal(server, user_credentials=str(creds["u"])))
        finally:
            release.set()
            holder.join()
        assert "Authorization Violation" in refused
