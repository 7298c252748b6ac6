"""A store built with the library (operator ``O``, its key stored) for the import and mapping
commands: exporting accounts, their exports and activations are made with :mod:`pynsc.claims`,
so these tests depend on no other command.

:meth:`Env.fails` runs a command that must fail and proves (with :func:`tree_digest`) that the
store, the keystore and nsc.json are byte-identical afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from pynsc import claims as c
from pynsc.keys import KeyPair
from tests.cli.conftest import Pynsc
from tests.cli.harness import QuietHandler, StoreEnv, assert_valid, ok_payload, serve


class Env(StoreEnv):
    """``-H home``: config, store root and keystore in one directory."""

    # Running commands ------------------------------------------------------------------------

    def ok(self, *args: str, input: str | None = None) -> Result:
        """Run; it must succeed and print nothing on stdout."""
        result = super().ok(*args, input=input)
        assert result.stdout == "", result.stdout
        return result

    def ok_lines(self, *args: str) -> list[str]:
        """The status lines of a successful run."""
        return self.ok(*args).stderr.splitlines()

    def json(self, *args: str) -> dict[str, Any]:
        """Run with ``--json``: the parsed object, which must say ``ok``."""
        result = self.run(*args, "--json")
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return ok_payload(result)

    # Reading what was written ----------------------------------------------------------------

    def account(self, name: str) -> c.AccountClaims:
        """The stored JWT of ``name``, which must decode and validate without blocking issues."""
        path = self.store.dir / "accounts" / name / f"{name}.jwt"
        claims: c.AccountClaims = assert_valid(path.read_text())
        return claims

    # Building with the library ---------------------------------------------------------------

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


def make_env(tmp_path: Path, pynsc: Pynsc) -> Env:
    """Operator ``O`` (its key stored) under ``tmp_path/nsc``, and nothing else."""
    return Env.create(tmp_path / "nsc", pynsc)


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    return make_env(tmp_path, pynsc)


@dataclass
class WebServer:
    """A local http server: :meth:`serve` puts text at a path and returns its URL."""

    base: str
    pages: dict[str, bytes]

    def serve(self, path: str, text: str) -> str:
        self.pages[path] = text.encode()
        return self.base + path


def _handler(pages: dict[str, bytes]) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.reply(200, body)

    return Handler


@pytest.fixture
def web() -> Iterator[WebServer]:
    pages: dict[str, bytes] = {}
    server = serve(_handler(pages))
    try:
        yield WebServer(server.url, pages)
    finally:
        server.stop()
