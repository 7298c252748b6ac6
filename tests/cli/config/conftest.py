"""A store for ``generate config``: operator ``O`` with accounts ``SYS`` (its system account),
``A`` and ``B``, built with the library from fixed keys (so the preload order, which follows
the public keys, is fixed too), and a runner bound to it.

:meth:`Env.placeholders` turns a generated config into golden text: every JWT becomes
``<NAME.jwt>`` and every public key ``<NAME>``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyKind, KeyPair, KeyStore
from pynsc.keys.nkey import _encode_seed
from pynsc.paths import Paths
from pynsc.store import Store, ToolConfig, ops
from tests.cli.conftest import Pynsc
from tests.cli.treehash import tree_digest

GOLDEN = Path(__file__).resolve().parent / "golden"


def fixed_key(kind: KeyKind, n: int) -> KeyPair:
    """The same key on every run: its raw seed is 32 bytes of ``n``."""
    return keys.from_seed(_encode_seed(kind, bytes([n]) * 32))


@dataclass
class Env:
    home: Path
    store: Store
    keystore: KeyStore
    operator: KeyPair
    runner: Pynsc
    accounts: dict[str, KeyPair] = field(default_factory=dict)

    def run(self, *args: str) -> Result:
        return self.runner("-H", str(self.home), *args)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> dict[str, Any]:
        result = self.ok(*args, "--json")
        payload: dict[str, Any] = json.loads(result.stdout)
        assert payload["ok"] is True, payload
        return payload

    def fails(self, *args: str, exit_code: int = 1) -> str:
        """Run, expect a failure that changed nothing; its one ``Error:`` line's message."""
        before = self.digest()
        result = self.run(*args)
        assert result.exit_code == exit_code, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
        assert self.digest() == before, "a failed command changed the store or keystore"
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, result.stderr
        return errors[0].removeprefix("Error: ")

    def digest(self) -> str:
        return tree_digest(self.home)

    # Building with the library ---------------------------------------------------------------

    def add_account(self, name: str, key: KeyPair | None = None) -> KeyPair:
        account = key or keys.generate("account")
        self.keystore.store(account)
        ops.save_account(self.store, name, c.AccountClaims(sub=account.public_key, name=name),
                         self.operator)  # fmt: skip
        self.accounts[name] = account
        return account

    def set_system_account(self, public_key: str) -> None:
        operator = self.store.operator()
        operator.nats.system_account = public_key
        ops.save_operator(self.store, operator, self.operator)

    def creds(self, account: str, user: str) -> Path:
        return self.keystore.creds_path("O", account, user)

    # Golden text -----------------------------------------------------------------------------

    def placeholders(self, text: str, **extra: str) -> str:
        """``text`` with the JWTs and public keys of the store replaced by their names."""
        text = text.replace(self.store.operator_token(), "<O.jwt>")
        for name in self.store.account_names():
            text = text.replace(self.store.account_token(name), f"<{name}.jwt>")
        for name, key in self.accounts.items():
            text = text.replace(key.public_key, f"<{name}>")
        for value, placeholder in extra.items():
            text = text.replace(placeholder, f"<{value}>")
        return text


def golden(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


@pytest.fixture
def bare_env(tmp_path: Path, pynsc: Pynsc) -> Env:
    """Operator ``O`` (no accounts, no system account), its key stored; the current operator."""
    home = tmp_path / "nsc"
    paths = Paths.resolve(all_dirs=home, env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator = fixed_key(KeyKind.OPERATOR, 1)
    keystore.store(operator)
    ops.save_operator(store, c.OperatorClaims(sub=operator.public_key, name="O"), operator)
    with store.lock():  # create the lock file now, so digests before and after compare
        pass
    ToolConfig.update(paths.config_file, store_root=str(paths.data_dir), operator="O")
    return Env(home=home, store=store, keystore=keystore, operator=operator, runner=pynsc)


@pytest.fixture
def env(bare_env: Env) -> Env:
    """``bare_env`` plus accounts SYS (the operator's system account), A and B."""
    system = bare_env.add_account("SYS", fixed_key(KeyKind.ACCOUNT, 1))
    bare_env.add_account("A", fixed_key(KeyKind.ACCOUNT, 2))
    bare_env.add_account("B", fixed_key(KeyKind.ACCOUNT, 3))
    bare_env.set_system_account(system.public_key)
    return bare_env
