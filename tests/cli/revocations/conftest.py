"""A store built with the library: operator ``O`` (its key stored) and whatever accounts, users
and exports a test adds, and a runner bound to it.

The revocation and auth-callout tests run ``pynsc -H <home> …`` against it, so they depend on
no other command (exports are made here, not with ``pynsc add export``). :meth:`Env.fails`
proves that a failed command changed nothing in the store, keystore or nsc.json.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair, KeyStore
from pynsc.paths import Paths
from pynsc.store import Store, ToolConfig, ops
from tests.cli.conftest import Pynsc
from tests.cli.treehash import tree_digest

__all__ = ["Env", "assert_valid_account", "env", "error_line"]


def error_line(result: Result) -> str:
    """The message of the ``Error:`` line of a failed run."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert lines, (result.stdout, result.stderr)
    return lines[0].removeprefix("Error: ")


def assert_valid_account(token: str) -> c.AccountClaims:
    """``token`` decodes as an account JWT without blocking validation issues."""
    claims = c.decode(token, c.AccountClaims)
    results = c.validate(copy.deepcopy(claims))
    assert not results.is_blocking(True), [str(issue) for issue in results]
    return claims


@dataclass
class Env:
    """``-H home``: config, store root and keystore in one directory."""

    home: Path
    store: Store
    keystore: KeyStore
    operator: KeyPair
    runner: Pynsc
    accounts: dict[str, KeyPair] = field(default_factory=dict)

    # Running commands ------------------------------------------------------------------------

    def run(self, *args: str) -> Result:
        """``pynsc -H <home> ARGS...``."""
        return self.runner("-H", str(self.home), *args)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    def json(self, *args: str) -> dict[str, Any]:
        """Run with ``--json``; the parsed object, which must say ``ok``."""
        result = self.ok(*args, "--json")
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

    # Building with the library ---------------------------------------------------------------

    def add_account(self, name: str, *, signer: KeyPair | None = None) -> KeyPair:
        account = keys.generate("account")
        self.keystore.store(account)
        claims = c.AccountClaims(sub=account.public_key, name=name)
        ops.save_account(self.store, name, claims, signer or self.operator)
        self.accounts[name] = account
        return account

    def edit_account(
        self, name: str, change: Callable[[c.AccountClaims], None], *, signer: KeyPair | None = None
    ) -> c.AccountClaims:
        """Apply ``change(claims)`` to account ``name`` and re-sign it (default: the operator)."""
        claims = self.store.account(name)
        change(claims)
        ops.save_account(self.store, name, claims, signer or self.operator)
        return claims

    def add_export(
        self,
        account: str,
        subject: str,
        *,
        service: bool = False,
        private: bool = False,
        name: str = "",
    ) -> None:
        export = c.Export(
            name=name or subject,
            subject=subject,
            type=c.SERVICE if service else c.STREAM,
            token_req=private,
        )
        self.edit_account(account, lambda claims: claims.nats.exports.append(export))

    def add_user(self, account: str, name: str) -> KeyPair:
        user = keys.generate("user")
        self.keystore.store(user)
        acc = self.store.account(account)
        claims = c.UserClaims(sub=user.public_key, name=name)
        ops.save_user(
            self.store, self.keystore, account, acc, claims, ops.account_signer(self.keystore, acc)
        )
        return user

    def select(self, account: str) -> None:
        """Make ``account`` the current account (in nsc.json)."""
        ToolConfig.update(self.home / "nsc.json", account=account)

    def user(self, account: str, name: str) -> c.UserClaims:
        return self.store.user(account, name)

    def account(self, name: str) -> c.AccountClaims:
        return self.store.account(name)

    def account_token(self, name: str) -> str:
        return self.store.account_token(name)

    def add_operator_signing_key(self) -> KeyPair:
        """A new operator signing key (stored)."""
        key = keys.generate("operator")
        self.keystore.store(key)
        operator = self.store.operator()
        operator.nats.signing_keys.append(key.public_key)
        ops.save_operator(self.store, operator, self.operator)
        return key


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    home = tmp_path / "nsc"
    paths = Paths.resolve(all_dirs=home, env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator = keys.generate("operator")
    keystore.store(operator)
    ops.save_operator(store, c.OperatorClaims(sub=operator.public_key, name="O"), operator)
    with store.lock():  # create the lock file now, so digests before and after compare
        pass
    with keystore.lock():
        pass
    ToolConfig.update(paths.config_file, store_root=str(paths.data_dir), operator="O")
    return Env(home=home, store=store, keystore=keystore, operator=operator, runner=pynsc)
