"""The browser suite: ``examples/web_backend`` in headless Chromium (``make test-browser``).

It is collected only when asked for by path (``pytest tests/browser``, which is what
``make test-browser`` runs), never by a plain ``pytest``/``make test``: it needs Chromium and
the npm bundle of nats.ws, which ``make test`` does not install. When asked for, a missing
piece fails the run with what to install; nothing is skipped.

The world, built once per session: operator ``O`` with its system account and account ``WEB``
(with a signing key), made with the CLI; ``nats-server.conf`` written by the example's
``nats-config.sh`` (full resolver, websocket on loopback with ``jwt_cookie: "jwt"``,
``no_tls``); a real nats-server started from it and every account pushed; the example backend
(``server.py``) issuing from WEB's signing seed and JWT; one headless Chromium.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pynsc import claims
from pynsc.keys import KeyPair, KeyStore
from tests.cli.conftest import Pynsc
from tests.integration.configserver import ConfigFileServer, config_servers
from tests.integration.natsserver import free_port

from .cdp import Chromium, chromium_binary

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLE = ROOT / "examples" / "web_backend"
BUNDLE = EXAMPLE / "node_modules" / "nats.ws" / "esm" / "nats.js"
START_TIMEOUT = 15.0


def _asked_for(config: pytest.Config) -> bool:
    """Whether the command line names this directory, or something in it."""
    base = config.invocation_params.dir
    for arg in config.invocation_params.args:
        if arg.startswith("-"):
            continue
        path = (base / arg.split("::", 1)[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    return None if _asked_for(config) else True


# The pieces ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    binary = chromium_binary()
    if binary is None:
        pytest.fail("no /usr/bin/chromium: install Debian's chromium package "
                    "(apt-get install chromium) or set CHROMIUM", pytrace=False)  # fmt: skip
    browser = Chromium(binary, tmp_path_factory.mktemp("chromium") / "profile").start()
    yield browser
    browser.stop()


def pynsc_ok(home: Path, *args: str) -> str:
    result = Pynsc()("-H", str(home), *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


@dataclass(frozen=True)
class Account:
    """Account ``WEB``: its public key, JWT and signing key."""

    public_key: str
    jwt: str
    signing_key: KeyPair


def _make_store(home: Path) -> Account:
    pynsc_ok(home, "add", "operator", "-n", "O", "--sys")
    pynsc_ok(home, "add", "account", "WEB")
    pynsc_ok(home, "edit", "account", "WEB", "--sk", "generate")
    pynsc_ok(home, "add", "user", "-a", "WEB", "service")  # the backend service of the tests
    token = (home / "O" / "accounts" / "WEB" / "WEB.jwt").read_text().strip()
    account: claims.AccountClaims = claims.decode(token, claims.AccountClaims)
    [signing_public] = account.nats.signing_keys
    signing_key = KeyStore(home).get(signing_public)
    assert signing_key is not None
    assert signing_key.seed is not None
    return Account(account.sub, token, signing_key)


@dataclass(frozen=True)
class Backend:
    url: str
    process: subprocess.Popen[str]


def _start_backend(account: Account, ws_url: str, log: Path) -> Backend:
    env = dict(os.environ)
    env["ACCOUNT_SIGNING_SEED"] = account.signing_key.require_seed()
    env["ACCOUNT_JWT"] = account.jwt
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, str(EXAMPLE / "server.py"), "--port", "0", "--nats-ws", ws_url],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, text=True, env=env,
        )  # fmt: skip
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while not selector.select(timeout=max(deadline - time.monotonic(), 0)):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"the example backend did not start:\n{log.read_text()}")
    line = process.stdout.readline()
    if not line.startswith("serving http://"):
        process.kill()
        raise AssertionError(f"unexpected first line {line!r}:\n{log.read_text()}")
    return Backend(line.split()[1], process)


@dataclass(frozen=True)
class World:
    home: Path
    account: Account
    server: ConfigFileServer
    ws_url: str
    backend: Backend
    service_creds: Path


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if not BUNDLE.is_file():
        pytest.fail(f"{BUNDLE} is missing: run 'make test-browser' (npm ci in {EXAMPLE})",
                    pytrace=False)  # fmt: skip
    base = tmp_path_factory.mktemp("web")
    home = base / "nsc"
    account = _make_store(home)
    ws_port = free_port()
    config = base / "nats-server.conf"
    env = {**os.environ, "WS_PORT": str(ws_port),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    subprocess.run(["bash", str(EXAMPLE / "nats-config.sh"), str(config), "-H", str(home)],
                   env=env, check=True, capture_output=True, timeout=60)  # fmt: skip
    with config_servers(base / "servers") as start:
        server = start(config, name="nats")
        pynsc_ok(home, "push", "-A", "-u", server.url)
        ws_url = f"ws://127.0.0.1:{ws_port}"
        backend = _start_backend(account, ws_url, base / "backend.log")
        try:
            yield World(home, account, server, ws_url, backend,
                        home / "creds" / "O" / "WEB" / "service.creds")  # fmt: skip
        finally:
            backend.process.terminate()
            backend.process.wait(timeout=10)
            if backend.process.stdout is not None:
                backend.process.stdout.close()
