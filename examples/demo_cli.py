"""The NATS side of the CLI half of ``make demo``: what clients see once pynsc built the identities.

``examples/demo.sh`` drives the ``pynsc`` CLI as a user of nsc would (init, add account/user,
a private export with an activation token, a bearer user, ``generate config --mem-resolver``)
and starts nats-server on the generated file. This helper does the client side, one step per
call, each printing one line:

    python examples/demo_cli.py free-ports N
    python examples/demo_cli.py wait-ready PORT MONITOR_PORT PID
    python examples/demo_cli.py import PORT NSC_HOME    # demo publishes, alice (in B) receives
    python examples/demo_cli.py bearer PORT NSC_HOME    # browser gets in with its JWT alone
    python examples/demo_cli.py revoked PORT NSC_HOME   # alice refused after the revocation

NSC_HOME is the directory given to ``pynsc -H``; creds are in ``NSC_HOME/creds/<op>/<acct>/``.
Exit status 1 (with a one-line reason on stderr) when a step does not behave as shown.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nats
import nats.errors
from nats.aio.client import Client

from pynsc import claims, keys

OPERATOR = "demo"
SUBJECT = "orders.new"
ORDER = b"order 1"


class StepFailed(Exception):
    """A step did not behave as the demo says it does."""


def creds(home: Path, account: str, user: str) -> Path:
    return home / "creds" / OPERATOR / account / f"{user}.creds"


async def quiet(error: Exception) -> None:
    pass  # nats-py logs a refusal as an error; here it is reported by the step itself


def free_ports(count: int) -> list[int]:
    socks = [socket.socket() for _ in range(count)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def wait_ready(monitor_port: int, pid: int, timeout: float = 10.0) -> str:
    """Poll ``/healthz`` until it says ok (or the server died); return the server's version."""
    monitor = f"http://127.0.0.1:{monitor_port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            raise StepFailed(f"nats-server (pid {pid}) exited before it was ready") from None
        try:
            with urllib.request.urlopen(f"{monitor}/healthz", timeout=0.5) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise StepFailed(f"nats-server not ready after {timeout:.0f}s")
        time.sleep(0.02)  # poll interval, not a wait
    with urllib.request.urlopen(f"{monitor}/varz", timeout=2) as response:
        version: str = json.load(response)["version"]
    return version


async def private_import(url: str, home: Path) -> list[str]:
    """demo publishes on orders.new; alice in account B gets it through the private import."""
    alice = await nats.connect(
        url, user_credentials=str(creds(home, "B", "alice")), allow_reconnect=False
    )
    try:
        sub = await alice.subscribe("orders.>")
        await alice.flush()
        demo = await nats.connect(
            url, user_credentials=str(creds(home, "demo", "demo")), allow_reconnect=False
        )
        try:
            await demo.publish(SUBJECT, ORDER)
            await demo.flush()
        finally:
            await demo.close()
        try:
            msg = await sub.next_msg(timeout=2)
        except nats.errors.TimeoutError:
            raise StepFailed(f"alice received nothing on {SUBJECT}") from None
    finally:
        await alice.close()
    if msg.data != ORDER:
        raise StepFailed(f"alice received {msg.data!r}, expected {ORDER!r}")
    return [f"alice received {msg.data.decode()!r} on {msg.subject} via the private import"]


async def connect_with_jwt_alone(url: str, token: str) -> Client:
    """A client that presents ``token`` and nothing else: no seed, so no nonce signature."""
    client = Client()
    # nats-py sends a JWT only along with a nonce signature: send an empty one. The server skips
    # the signature check for a bearer token and refuses anything else.
    try:
        await client.connect(
            url,
            user_jwt_cb=lambda: token.encode(),
            signature_cb=lambda nonce: b"",
            allow_reconnect=False,
            error_cb=quiet,
        )
    except BaseException:
        await client.close()
        raise
    return client


def jwt_of(path: Path) -> str:
    return keys.parse_decorated_jwt(path.read_text())  # the JWT block; the seed is left aside


async def bearer(url: str, home: Path) -> list[str]:
    """browser is a bearer user: it connects with its JWT alone; alice (not bearer) cannot."""
    token = jwt_of(creds(home, "B", "browser"))  # all a browser would be given
    if not claims.decode(token, claims.UserClaims).nats.bearer_token:
        raise StepFailed("browser's JWT is not a bearer token")
    client = await connect_with_jwt_alone(url, token)
    try:
        inbox = client.new_inbox()
        sub = await client.subscribe(inbox)
        await client.publish(inbox, b"ping")
        msg = await sub.next_msg(timeout=2)
    finally:
        await client.close()
    lines = [f"browser (bearer) connected with its JWT alone and got {msg.data.decode()!r} back"]
    try:
        other = await connect_with_jwt_alone(url, jwt_of(creds(home, "B", "alice")))
    except nats.errors.Error as error:
        return [*lines, f"alice's JWT alone (not a bearer token) is refused: {error}"]
    await other.close()
    raise StepFailed("alice's JWT without a signature was let in")


async def refusal(url: str, path: Path) -> str | None:
    """The server's refusal of ``path``'s user, or ``None`` when it let the user in."""
    client = Client()
    try:
        await client.connect(url, user_credentials=str(path), allow_reconnect=False, error_cb=quiet)
    except nats.errors.Error as error:
        return str(error)
    finally:
        await client.close()
    return None


async def revoked(url: str, home: Path, timeout: float = 5.0) -> list[str]:
    """After the revocation and the reload alice is refused (the reload is asynchronous: poll)."""
    deadline = time.monotonic() + timeout
    while (reason := await refusal(url, creds(home, "B", "alice"))) is None:
        if time.monotonic() > deadline:
            raise StepFailed(f"alice still let in {timeout:.0f}s after the reload")
        await asyncio.sleep(0.05)
    return [f"alice refused after the revocation and the reload: {reason}"]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    step, args = argv[0], argv[1:]
    try:
        if step == "free-ports":
            print(*free_ports(int(args[0])))
            return 0
        if step == "wait-ready":
            version = wait_ready(int(args[1]), int(args[2]))
            lines = [
                f"nats-server {version} ready on nats://127.0.0.1:{int(args[0])} "
                "(the generated server.conf, MEMORY resolver)"
            ]
        elif step in ("import", "bearer", "revoked"):
            url, home = f"nats://127.0.0.1:{int(args[0])}", Path(args[1])
            action = {"import": private_import, "bearer": bearer, "revoked": revoked}[step]
            lines = asyncio.run(action(url, home))
        else:
            print(f"demo_cli: unknown step {step!r}", file=sys.stderr)
            return 2
    except (StepFailed, OSError, nats.errors.Error) as error:
        print(f"cli: {step} failed: {error}", file=sys.stderr)
        return 1
    for line in lines:
        print(f"cli: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
