"""A store built with the library: operator ``O`` and account ``A``, their keys stored.

Tests of the user and key commands run ``pynsc -H <home> …`` against it (see :class:`Env`), so
they depend on no other command. :meth:`Env.digest` hashes everything pynsc may write (store,
keystore, nsc.json), to prove that a failed command changed nothing.
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

    # Running commands ------------------------------------------------------------------------

    def run(self, *args: str, input: str | None = None) -> Result:
        """``pynsc -H <home> ARGS...``."""
        return self.runner("-H", str(self.home), *args, input=input)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
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

    def add_account(self, name: str, *, store_key: bool = True) -> KeyPair:
        account = keys.generate("account")
        if store_key:
            self.keystore.store(account)
        claims = c.AccountClaims(sub=account.public_key, name=name)
        ops.save_account(self.store, name, claims, self.operator)
        self.accounts[name] = account
        return account

    def edit_account(self, name: str, change: Any) -> c.AccountClaims:
        """Apply ``change(claims)`` to account ``name`` and re-sign it with the operator."""
        claims = self.store.account(name)
        change(claims)
        ops.save_account(self.store, name, claims, self.operator)
        return claims

    def add_signing_key(
        self,
        account: str,
        *,
        role: str = "",
        scope: c.UserPermissionLimits | None = None,
        store_key: bool = True,
    ) -> KeyPair:
        """A new signing key of ``account``; scoped when ``role`` or ``scope`` is given."""
        key = keys.generate("account")
        if store_key:
            self.keystore.store(key)

        def change(claims: c.AccountClaims) -> None:
            if role or scope is not None:
                template = scope if scope is not None else c.UserPermissionLimits()
                claims.nats.signing_keys[key.public_key] = c.UserScope(
                    key=key.public_key, role=role, template=template
                )
            else:
                claims.nats.signing_keys[key.public_key] = None

        self.edit_account(account, change)
        return key

    def add_user(
        self,
        account: str,
        name: str,
        *,
        store_key: bool = True,
        signer: KeyPair | None = None,
        exp: int = 0,
        nbf: int = 0,
        **nats: Any,
    ) -> KeyPair:
        """User ``name`` of ``account`` (creds written when its key is stored); ``nats`` sets
        fields of the user's ``nats`` object."""
        user = keys.generate("user")
        if store_key:
            self.keystore.store(user)
        acc = self.store.account(account)
        claims = c.UserClaims(sub=user.public_key, name=name, exp=exp, nbf=nbf)
        for key, value in nats.items():
            setattr(claims.nats, key, value)
        private_key = signer.seed if signer is not None else None
        ops.save_user(
            self.store, self.keystore, account, acc, claims,
            ops.account_signer(self.keystore, acc, private_key=private_key),
        )  # fmt: skip
        return user

    def set_strict(self) -> None:
        """The operator requires signing keys (it gets one, stored)."""
        key = keys.generate("operator")
        self.keystore.store(key)
        operator = self.store.operator()
        operator.nats.signing_keys.append(key.public_key)
        operator.nats.strict_signing_key_usage = True
        ops.save_operator(self.store, operator, self.operator)

    def user(self, account: str, name: str) -> c.UserClaims:
        return self.store.user(account, name)

    def user_token(self, account: str, name: str) -> str:
        return self.store.user_token(account, name)

    def creds_path(self, account: str, name: str) -> Path:
        return self.keystore.creds_path("O", account, name)


def error_line(result: Result) -> str:
    """The message of the ``Error:`` line of a failed run."""
    assert result.exit_code != 0, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert lines, result.stderr
    return lines[0].removeprefix("Error: ")


def assert_valid_user(token: str) -> c.UserClaims:
    """``token`` decodes as a user JWT with no blocking (or time) validation issue."""
    claims: c.UserClaims = c.decode(token, c.UserClaims)
    results = c.validate(claims)
    assert not results.is_blocking(True), [str(i) for i in results]
    return claims


def assert_creds(path: Path, user: str) -> c.UserClaims:
    """``path`` is a 0600 creds file whose JWT and seed are ``user``'s."""
    assert path.stat().st_mode & 0o777 == 0o600
    claims, pair = c.decode_creds(path.read_text())
    assert claims.sub == user == pair.public_key
    return claims


def make_env(home: Path, runner: Pynsc, *, accounts: tuple[str, ...] = ("A",)) -> Env:
    paths = Paths.resolve(all_dirs=home, env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator = keys.generate("operator")
    keystore.store(operator)
    ops.save_operator(store, c.OperatorClaims(sub=operator.public_key, name="O"), operator)
    env = Env(home=home, store=store, keystore=keystore, operator=operator, runner=runner)
    for name in accounts:
        env.add_account(name)
    # the lock files exist from now on, so a digest taken before a failed command compares
    with store.lock(), keystore.lock():
        pass
    ToolConfig.update(paths.config_file, store_root=str(paths.data_dir), operator="O")
    return env


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    """Operator ``O`` with account ``A`` (current by being the only one)."""
    return make_env(tmp_path / "nsc", pynsc)
