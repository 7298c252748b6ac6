"""``pynsc push`` over TLS (CA, client certificates, TLS first, ``NATS_CA``/``NATS_CERT``/
``NATS_KEY``) and over websockets, to real nats-servers with full nats resolvers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.conftest import Pynsc

from .certs import Certificates, make_certificates
from .configserver import ConfigFileServer, config_servers
from .natsserver import free_port

pytestmark = pytest.mark.nats_server


@dataclass
class Setup:
    home: Path
    certs: Certificates
    verifying: ConfigFileServer  # TLS with client certificates, and a websocket port
    first: ConfigFileServer  # TLS handshake first
    ws_port: int

    def run(self, *args: str) -> Result:
        return Pynsc()("-H", str(self.home), *args)

    def tls_url(self, server: ConfigFileServer) -> str:
        return f"tls://127.0.0.1:{server.port}"

    def client_flags(self) -> list[str]:
        return ["--ca-cert", str(self.certs.ca), "--client-cert", str(self.certs.client_cert),
                "--client-key", str(self.certs.client_key)]  # fmt: skip


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "[ERR" not in result.stderr
    return result


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    base = tmp_path_factory.mktemp("transports")
    home = base / "nsc"
    pynsc = Pynsc()
    for args in (("add", "operator", "-n", "O", "--sys"), ("add", "account", "A")):
        _ok(pynsc("-H", str(home), *args))
    config = base / "resolver.conf"
    _ok(pynsc("-H", str(home), "generate", "config", "--nats-resolver", "--config-file",
              str(config)))  # fmt: skip
    certs = make_certificates(base / "certs")
    tls = (f'cert_file: "{certs.server_cert}", key_file: "{certs.server_key}", '
           f'ca_file: "{certs.ca}"')  # fmt: skip
    ws_port = free_port()
    verifying = base / "verifying.conf"
    verifying.write_text(
        config.read_text()
        + f"tls {{ {tls}, verify: true }}\n"
        + f'websocket {{ listen: "127.0.0.1:{ws_port}", no_tls: true }}\n'
    )
    first = base / "first.conf"
    first.write_text(config.read_text() + f"tls {{ {tls}, handshake_first: true }}\n")
    with config_servers(base / "servers") as start:
        yield Setup(home, certs, start(verifying, name="verifying"), start(first, name="first"),
                    ws_port)  # fmt: skip


def _pushed(result: Result) -> list[str]:
    push = json.loads(result.stdout)["data"]["push"]
    return [account["name"] for account in push["accounts"] if account["ok"]]


def test_push_over_tls_with_a_client_certificate(setup: Setup) -> None:
    url = setup.tls_url(setup.verifying)
    result = _ok(setup.run("push", "-A", "-u", url, *setup.client_flags(), "--json"))
    assert _pushed(result) == ["A", "SYS"]


def test_tls_files_from_the_environment(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NATS_CA", str(setup.certs.ca))
    monkeypatch.setenv("NATS_CERT", str(setup.certs.client_cert))
    monkeypatch.setenv("NATS_KEY", str(setup.certs.client_key))
    result = _ok(setup.run("push", "-a", "A", "-u", setup.tls_url(setup.verifying), "--json"))
    assert _pushed(result) == ["A"]


def test_tls_failures_are_one_line(setup: Setup) -> None:
    url = setup.tls_url(setup.verifying)
    no_ca = setup.run("push", "-a", "A", "-u", url)
    assert no_ca.exit_code == 1
    [line] = no_ca.stderr.splitlines()
    assert line.startswith(f"Error: cannot connect to {url}: TLS error")
    assert "CERTIFICATE_VERIFY_FAILED" in line

    no_client_cert = setup.run("push", "-a", "A", "-u", url, "--ca-cert", str(setup.certs.ca))
    assert no_client_cert.exit_code == 1
    assert no_client_cert.stderr.startswith(f"Error: cannot connect to {url}: ")
    assert "Traceback" not in no_client_cert.stderr

    half = setup.run("push", "-a", "A", "-u", url, "--client-cert", str(setup.certs.client_cert))
    assert half.exit_code == 1
    assert half.stderr.splitlines()[0] == (
        "Error: a client certificate needs both --client-cert and --client-key"
    )


def test_tls_first(setup: Setup) -> None:
    url = setup.tls_url(setup.first)
    result = _ok(setup.run("push", "-a", "A", "-u", url, "--ca-cert", str(setup.certs.ca),
                           "--tls-first", "--json"))  # fmt: skip
    assert _pushed(result) == ["A"]
    without = setup.run("push", "-a", "A", "-u", url, "--ca-cert", str(setup.certs.ca))
    assert without.exit_code == 1
    assert without.stderr.startswith(f"Error: cannot connect to {url}: ")


def test_push_over_websocket(setup: Setup) -> None:
    url = f"ws://127.0.0.1:{setup.ws_port}"
    result = _ok(setup.run("push", "-A", "-u", url, "--json"))
    assert _pushed(result) == ["A", "SYS"]
    diff = _ok(setup.run("push", "--diff", "-u", url))
    assert "listed accounts from a total of 1 nats-server" in diff.stderr
