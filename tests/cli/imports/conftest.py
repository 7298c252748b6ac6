"""A store built with the library (operator ``O``, its key stored) for the import and mapping
commands: exporting accounts, their exports and activations are made with :mod:`pynsc.claims`,
so these tests depend on no other command.

:meth:`Env.fails` runs a command that must fail and proves (with :func:`tree_digest`) that the
store, the keystore and nsc.json are byte-identical afterwards.
"""

from __future__ import annotations

import copy
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import Result

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair, KeyStore
from pynsc.paths import Paths
from pynsc.store import Store, ToolConfig, ops
from tests.cli.conftest import Pynsc
from tests.cli.treehash import tree_digest


@dataclass
class Env:
    """``-H home``: config, store root and keystore in one directory."""

    home: Path
    store: Store
    keystore: KeyStore
    operator: KeyPair
    runner: Pynsc
    accounts: dict[str, KeyPair] = field(default_factory=dict)

    # Running commands ----------------------------------------------------------------------

    def run(self, *args: str) -> Result:
        """``pynsc -H <home> ARGS...``."""
        return self.runner("-H", str(self.home), *args)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        assert result.stdout == "", result.stdout
        return result

    def ok_lines(self, *args: str) -> list[str]:
        """The status lines of a successful run."""
        return self.ok(*args).stderr.splitlines()

    def json(self, *args: str) -> dict[str, Any]:
        """Run with ``--json``: the parsed object, which must say ``ok``."""
        result = self.run(*args, "--json")
        assert result.exit_code == 0, (result.stdout, result.stderr)
        payload: dict[str, Any] = json.loads(result.stdout)
        assert payload["ok"] is True, payload
        return payload

    def fails(self, *args: str, exit_code: int = 1) -> str:
        """Run, expect a failure that changed nothing; the ``Error:`` line's message."""
        before = self.digest()
        result = self.run(*args)
        assert result.exit_code == exit_code, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert self.digest() == before, "a failed command changed the store or keystore"
        return error_line(result)

    def digest(self) -> str:
        return tree_digest(self.home)

    # Reading what was written ----------------------------------------------------------------

    def account(self, name: str) -> c.AccountClaims:
        """The stored JWT of ``name``, which must decode and validate without blocking issues."""
        path = self.store.dir / "accounts" / name / f"{name}.jwt"
        claims: c.AccountClaims = assert_valid_jwt(path.read_text())
        return claims

    # Building with the library ---------------------------------------------------------------

    def add_account(self, name: str) -> KeyPair:
        account = keys.generate("account")
        self.keystore.store(account)
        claims = c.AccountClaims(sub=account.public_key, name=name)
        ops.save_account(self.store, name, claims, self.operator)
        self.accounts[name] = account
        return account

    def edit_account(self, name: str, change: Callable[[c.AccountClaims], None]) -> None:
        """Apply ``change(claims)`` to account ``name`` and re-sign it with the operator."""
        claims = self.store.account(name)
        change(claims)
        ops.save_account(self.store, name, claims, self.operator)

    def add_export(
        self,
        account: str,
        subject: str,
        *,
        service: bool = False,
        private: bool = False,
        token_position: int = 0,
        revocations: dict[str, int] | None = None,
    ) -> None:
        export = c.Export(
            name=subject,
            subject=subject,
            type=c.SERVICE if service else c.STREAM,
            token_req=private,
            account_token_position=token_position,
            revocations=dict(revocations or {}),
        )
        self.edit_account(account, lambda claims: claims.nats.exports.append(export))

    def add_signing_key(self, account: str) -> KeyPair:
        key = keys.generate("account")
        self.keystore.store(key)

        def change(claims: c.AccountClaims) -> None:
            claims.nats.signing_keys[key.public_key] = None

        self.edit_account(account, change)
        return key

    def add_import(self, account: str, imp: c.Import) -> None:
        self.edit_account(account, lambda claims: claims.nats.imports.append(imp))

    def activation(
        self,
        exporter: str,
        target: str,
        subject: str,
        *,
        service: bool = False,
        signer: KeyPair | None = None,
        issuer_account: str = "",
        name: str | None = None,
        exp: int = 0,
        nbf: int = 0,
        iat: int | None = None,
    ) -> str:
        """An activation of ``exporter``'s ``subject`` for account ``target`` (name or key)."""
        target_key = self.accounts[target].public_key if target in self.accounts else target
        claims = c.ActivationClaims(
            sub=target_key, name=subject if name is None else name, exp=exp, nbf=nbf
        )
        claims.nats.subject = subject
        claims.nats.kind = c.SERVICE if service else c.STREAM
        claims.nats.issuer_account = issuer_account
        return c.encode(claims, signer or self.accounts[exporter], iat=iat)

    def write(self, name: str, text: str) -> str:
        """``text`` in a file outside the store (so the digest does not see it); its path."""
        path = self.home.parent / name
        path.write_text(text)
        return str(path)


def assert_valid_jwt(token: str, expected: type[c.ClaimsData] = c.AccountClaims) -> Any:
    """``token`` decodes as ``expected`` and has no blocking validation issue."""
    claims = c.decode(token, expected)
    results = c.validate(copy.deepcopy(claims))
    assert not results.is_blocking(True), [str(i) for i in results]
    return claims


def error_line(result: Result) -> str:
    """The ``Error:`` line of a failed run."""
    assert result.exit_code != 0, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert lines, result.stderr
    return lines[0].removeprefix("Error: ")


def make_env(tmp_path: Path, pynsc: Pynsc) -> Env:
    """Operator ``O`` (its key stored) under ``tmp_path/nsc``, and nothing else."""
    home = tmp_path / "nsc"
    paths = Paths.resolve(all_dirs=home, env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator = keys.generate("operator")
    keystore.store(operator)
    ops.save_operator(store, c.OperatorClaims(sub=operator.public_key, name="O"), operator)
    with store.lock():  # the lock file exists before any digest is taken
        pass
    ToolConfig.update(paths.config_file, store_root=str(paths.data_dir), operator="O")
    return Env(home=home, store=store, keystore=keystore, operator=operator, runner=pynsc)


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    return make_env(tmp_path, pynsc)


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.pages.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/jwt")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class WebServer:
    """A local http server: :meth:`serve` puts text at a path and returns its URL."""

    base: str
    pages: dict[str, bytes]

    def serve(self, path: str, text: str) -> str:
        self.pages[path] = text.encode()
        return self.base + path


@pytest.fixture
def web() -> Iterator[WebServer]:
    pages: dict[str, bytes] = {}
    handler = type("Handler", (_Handler,), {"pages": pages})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield WebServer(f"http://127.0.0.1:{server.server_address[1]}", pages)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
