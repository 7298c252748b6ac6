"""A store built with the library: operator ``O`` and account ``A``, their keys stored.

Tests of the user and key commands run ``pynsc -H <home> …`` against it (see :class:`Env`), so
they depend on no other command. :meth:`Env.digest` hashes everything pynsc may write (store,
keystore, nsc.json), to prove that a failed command changed nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import claims as c
from tests.cli.conftest import Pynsc
from tests.cli.harness import StoreEnv, assert_valid


class Env(StoreEnv):
    """``-H home``: config, store root and keystore in one directory."""

    def set_strict(self) -> None:
        """The operator requires signing keys (it gets one, stored)."""
        self.add_operator_signing_key(strict=True)


def assert_valid_user(token: str) -> c.UserClaims:
    """``token`` decodes as a user JWT with no blocking (or time) validation issue."""
    claims: c.UserClaims = assert_valid(token, c.UserClaims, on_copy=False)
    return claims


def assert_creds(path: Path, user: str) -> c.UserClaims:
    """``path`` is a 0600 creds file whose JWT and seed are ``user``'s."""
    assert path.stat().st_mode & 0o777 == 0o600
    claims, pair = c.decode_creds(path.read_text())
    assert claims.sub == user == pair.public_key
    return claims


def make_env(home: Path, runner: Pynsc, *, accounts: tuple[str, ...] = ("A",)) -> Env:
    return Env.create(home, runner, accounts=accounts)


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    """Operator ``O`` with account ``A`` (current by being the only one)."""
    return make_env(tmp_path / "nsc", pynsc)
