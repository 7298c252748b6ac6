"""A store for ``generate config``: operator ``O`` with accounts ``SYS`` (its system account),
``A`` and ``B``, built with the library from fixed keys (so the preload order, which follows
the public keys, is fixed too), and a runner bound to it.

:meth:`Env.placeholders` turns a generated config into golden text: every JWT becomes
``<NAME.jwt>`` and every public key ``<NAME>``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyKind, KeyPair
from pynsc.keys.nkey import _encode_seed
from tests.cli.conftest import Pynsc
from tests.cli.harness import StoreEnv, only_error_line

GOLDEN = Path(__file__).resolve().parent / "golden"


def fixed_key(kind: KeyKind, n: int) -> KeyPair:
    """The same key on every run: its raw seed is 32 bytes of ``n``."""
    return keys.from_seed(_encode_seed(kind, bytes([n]) * 32))


class Env(StoreEnv):
    def error_message(self, result: Result) -> str:
        """A failure prints nothing on stdout and exactly one ``Error:`` line."""
        assert result.stdout == ""
        return only_error_line(result)

    def set_system_account(self, public_key: str) -> None:
        def change(operator: c.OperatorClaims) -> None:
            operator.nats.system_account = public_key

        self.edit_operator(change)

    def creds(self, account: str, user: str) -> Path:
        return self.creds_path(account, user)

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
    return Env.create(tmp_path / "nsc", pynsc, operator_key=fixed_key(KeyKind.OPERATOR, 1))


@pytest.fixture
def env(bare_env: Env) -> Env:
    """``bare_env`` plus accounts SYS (the operator's system account), A and B."""
    system = bare_env.add_account("SYS", fixed_key(KeyKind.ACCOUNT, 1))
    bare_env.add_account("A", fixed_key(KeyKind.ACCOUNT, 2))
    bare_env.add_account("B", fixed_key(KeyKind.ACCOUNT, 3))
    bare_env.set_system_account(system.public_key)
    return bare_env
