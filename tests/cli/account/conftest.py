"""A store with operator O (its key stored), built with the library, and a runner bound to it."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass
class Env:
    """Operator ``O`` under ``home`` (``-H home``): config, store root and keystore in one dir."""

    home: Path
    store: Store
    keystore: KeyStore
    operator: KeyPair
    runner: Pynsc

    # Running commands ----------------------------------------------------------------------

    def run(self, *args: str, input: str | None = None) -> Result:
        """``pynsc -H <home> ARGS...``."""
        return self.runner("-H", str(self.home), *args, input=input)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> dict[str, Any]:
        """Run with ``--json`` and return the parsed object (which must be ``ok``)."""
        result = self.ok(*args, "--json")
        payload: dict[str, Any] = json.loads(result.stdout)
        assert payload["ok"] is True, payload
        return payload

    def digest(self) -> str:
        """Everything pynsc may write: store, keystore and nsc.json (all under ``home``)."""
        return tree_digest(self.home)

    # Building the store with the library -----------------------------------------------------

    def add_account(self, name: str, *, signer: KeyPair | None = None) -> KeyPair:
        account = keys.generate("account")
        self.keystore.store(account)
        claims = c.AccountClaims(sub=account.public_key, name=name)
        ops.save_account(self.store, name, claims, signer or self.operator)
        return account

    def add_user(
        self, account: str, name: str, *, bearer: bool = False, store_key: bool = True
    ) -> KeyPair:
        user = keys.generate("user")
        if store_key:
            self.keystore.store(user)
        acc = self.store.account(account)
        claims = c.UserClaims(sub=user.public_key, name=name)
        claims.nats.bearer_token = bearer
        ops.save_user(
            self.store, self.keystore, account, acc, claims, ops.account_signer(self.keystore, acc)
        )
        return user

    def account(self, name: str) -> c.AccountClaims:
        return self.store.account(name)

    def set_system_account(self, name: str) -> None:
        operator = self.store.operator()
        operator.nats.system_account = self.account(name).sub
        ops.save_operator(self.store, operator, self.operator)

    def config(self) -> ToolConfig:
        return ToolConfig.load(self.home / "nsc.json")


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    home = tmp_path / "nsc"
    paths = Paths.resolve(all_dirs=home, env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator = keys.generate("operator")
    keystore.store(operator)
    ops.save_operator(store, c.OperatorClaims(sub=operator.public_key, name="O"), operator)
    # create the lock files now, so a digest taken before a failed command is comparable
    with store.lock():
        pass
    ToolConfig.update(paths.config_file, store_root=str(paths.data_dir), operator="O")
    return Env(home=home, store=store, keystore=keystore, operator=operator, runner=pynsc)


def assert_valid_jwt(token: str, expected: type[c.ClaimsData] = c.AccountClaims) -> Any:
    """``token`` decodes as ``expected`` and has no blocking validation issue."""
    claims = c.decode(token, expected)
    results = c.validate(copy.deepcopy(claims))  # validation normalises some fields
    assert not results.is_blocking(True), [str(i) for i in results]
    return claims


def error_line(result: Result) -> str:
    """The ``Error:`` line of a failed run (exit 1 or 2)."""
    assert result.exit_code != 0, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert lines, result.stderr
    return lines[0].removeprefix("Error: ")


def status_lines(result: Result) -> Sequence[str]:
    return result.stderr.splitlines()
