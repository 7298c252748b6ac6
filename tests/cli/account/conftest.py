"""A store with operator O (its key stored), built with the library, and a runner bound to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import claims as c
from tests.cli.conftest import Pynsc
from tests.cli.harness import StoreEnv, error_line
from tests.cli.harness import assert_valid as assert_valid_jwt

__all__ = ["Env", "assert_valid_jwt", "env", "error_line"]


class Env(StoreEnv):
    """Operator ``O`` under ``home`` (``-H home``): config, store root and keystore in one dir."""

    def set_system_account(self, name: str) -> None:
        public_key = self.account(name).sub

        def change(operator: c.OperatorClaims) -> None:
            operator.nats.system_account = public_key

        self.edit_operator(change)


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    return Env.create(tmp_path / "nsc", pynsc)
