"""A store built with the library: operator ``O`` (its key stored) and whatever accounts, users
and exports a test adds, and a runner bound to it.

The revocation and auth-callout tests run ``pynsc -H <home> …`` against it, so they depend on
no other command (exports are made here, not with ``pynsc add export``). :meth:`Env.fails`
proves that a failed command changed nothing in the store, keystore or nsc.json.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from pynsc import claims as c
from tests.cli.conftest import Pynsc
from tests.cli.harness import StoreEnv, assert_valid

__all__ = ["Env", "assert_valid_account", "env"]


def assert_valid_account(token: str) -> c.AccountClaims:
    """``token`` decodes as an account JWT without blocking validation issues."""
    claims: c.AccountClaims = assert_valid(token, c.AccountClaims)
    return claims


class Env(StoreEnv):
    """``-H home``: config, store root and keystore in one directory."""

    def ok(self, *args: str, input: str | None = None) -> Result:
        """Run; it must succeed without a traceback."""
        result = super().ok(*args, input=input)
        assert "Traceback" not in result.stderr
        return result


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    return Env.create(tmp_path / "nsc", pynsc)
