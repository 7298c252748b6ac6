"""One harness for the CLI tests: a ``-H`` home with a runner bound to it, stores built with the
library, checks of what a run printed, and a local HTTP server.

Every command runs in-process as ``pynsc -H <home> ARGS...``, so the config (``nsc.json``), the
store root and the keystore all live in ``home``. :meth:`CliHome.fails` proves with
:func:`tree_digest` that a failed command changed nothing there.

The packages' conftests build on two classes and add only what their tests need:

* :class:`Home`: a ``-H`` directory holding any number of operators (``store(name)``);
* :class:`StoreEnv`: operator ``O`` built with the library (its key stored, current in nsc.json),
  with builders for accounts, users, exports and signing keys, so tests depend on no other
  command.
"""

from __future__ import annotations

import copy
import hashlib
import http.server
import json
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from click.testing import Result

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyPair, KeyStore
from pynsc.store import Store, ToolConfig, ops
from tests.actions.builders import save_user
from tests.cli.conftest import Pynsc

# Digests of a directory tree -----------------------------------------------------------------


def tree_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 over every file and directory under ``path``: relative path, mode and content.

    A missing ``path`` has a digest too (that of an empty tree), so a command that wrongly creates
    the directory changes it.
    """
    root = Path(path)
    digest = hashlib.sha256()
    if not root.exists():
        return digest.hexdigest()
    for entry in sorted(root.rglob("*")):
        rel = entry.relative_to(root).as_posix()
        info = entry.lstat()
        digest.update(f"{rel}\0{info.st_mode:o}\0".encode())
        if entry.is_file() and not entry.is_symlink():
            digest.update(entry.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


# What a run printed ----------------------------------------------------------------------------


def error_line(result: Result) -> str:
    """The message of the (first) ``Error:`` line of a failed run."""
    assert result.exit_code != 0, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert lines, result.stderr
    return lines[0].removeprefix("Error: ")


def only_error_line(result: Result, *, exit_code: int | None = None) -> str:
    """The message of the one ``Error:`` line of a failed run that printed no traceback.

    The run exited with ``exit_code`` (when given; else with anything but 0).
    """
    if exit_code is None:
        assert result.exit_code != 0, (result.stdout, result.stderr)
    else:
        assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0].removeprefix("Error: ")


def ok_payload(result: Result) -> dict[str, Any]:
    """The JSON object a ``--json`` run printed, which must say ``ok``."""
    payload: dict[str, Any] = json.loads(result.stdout)
    assert payload["ok"] is True, payload
    return payload


def assert_valid(
    token: str, expected: type[c.ClaimsData] = c.AccountClaims, *, on_copy: bool = True
) -> Any:
    """``token`` decodes as ``expected`` and has no blocking (or time) validation issue.

    Validation normalises some fields: by default it checks a copy, and the claims come back as
    decoded; with ``on_copy=False`` they come back as validation left them.
    """
    claims = c.decode(token, expected)
    results = c.validate(copy.deepcopy(claims) if on_copy else claims)
    assert not results.is_blocking(True), [str(i) for i in results]
    return claims


# Building a store with the library -------------------------------------------------------------


def home_dir(tmp_path: Path) -> Path:
    """``tmp_path/nsc``, created empty: the ``-H`` directory of a test."""
    directory = tmp_path / "nsc"
    directory.mkdir()
    return directory


def new_operator(
    home: Path, name: str = "O", *, key: KeyPair | None = None, signing_key: KeyPair | None = None
) -> tuple[Store, KeyStore, KeyPair]:
    """Operator ``name`` under ``home`` (a new key unless ``key``), its key stored; with
    ``signing_key``, that is stored and listed as the operator's signing key.

    The lock files exist afterwards, so a digest taken before a failed command compares.
    """
    keystore = KeyStore(home)
    operator = key or keys.generate("operator")
    keystore.store(operator)
    store = Store.create(home, name)
    claims = c.OperatorClaims(sub=operator.public_key, name=name)
    if signing_key is not None:
        keystore.store(signing_key)
        claims.nats.signing_keys.append(signing_key.public_key)
    ops.save_operator(store, claims, operator)
    with store.lock():
        pass
    return store, keystore, operator


def make_current(home: Path, operator: str = "O") -> None:
    """nsc.json in ``home`` names ``home`` as the store root and ``operator`` as current."""
    ToolConfig.update(home / "nsc.json", store_root=str(home), operator=operator)


def new_account(
    store: Store,
    keystore: KeyStore,
    name: str,
    signer: KeyPair,
    *,
    key: KeyPair | None = None,
    store_key: bool = True,
) -> KeyPair:
    """Account ``name`` (a new key unless ``key``) signed by ``signer``; its key stored unless
    ``store_key`` is false."""
    account = key or keys.generate("account")
    if store_key:
        keystore.store(account)
    ops.save_account(store, name, c.AccountClaims(sub=account.public_key, name=name), signer)
    return account


def new_user(
    store: Store,
    keystore: KeyStore,
    account: str,
    name: str,
    *,
    store_key: bool = True,
    signer: KeyPair | None = None,
    bearer: bool = False,
    exp: int = 0,
    nbf: int = 0,
    **nats: Any,
) -> KeyPair:
    """User ``name`` of ``account``, signed by ``signer`` (else as ``add user`` picks), creds
    written when its key is stored; ``bearer`` makes it a bearer-token user, ``nats`` sets other
    fields of its ``nats`` object."""
    user = keys.generate("user")
    if store_key:
        keystore.store(user)
    acc = store.account(account)
    claims = c.UserClaims(sub=user.public_key, name=name, exp=exp, nbf=nbf)
    claims.nats.bearer_token = bearer
    for key, value in nats.items():
        setattr(claims.nats, key, value)
    private_key = signer.seed if signer is not None else None
    save_user(
        store, keystore, account, acc, claims,
        ops.account_signer(keystore, acc, private_key=private_key),
    )  # fmt: skip
    return user


# A -H home and a runner bound to it ------------------------------------------------------------


@dataclass
class CliHome:
    """``home`` (config, store root and keystore in one directory) and a runner bound to it."""

    home: Path
    runner: Pynsc

    def run(self, *args: str, input: str | None = None) -> Result:
        """``pynsc -H <home> ARGS...``."""
        return self.runner("-H", str(self.home), *args, input=input)

    def ok(self, *args: str, input: str | None = None) -> Result:
        """Run; it must succeed."""
        result = self.run(*args, input=input)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> dict[str, Any]:
        """Run with ``--json`` (through :meth:`ok`): the parsed object, which must say ``ok``."""
        return ok_payload(self.ok(*args, "--json"))

    def fails(self, *args: str, exit_code: int = 1) -> str:
        """Run, expect a failure that changed nothing under ``home``; the ``Error:`` message
        (as :meth:`error_message` reads it)."""
        before = self.digest()
        result = self.run(*args)
        assert result.exit_code == exit_code, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert self.digest() == before, "a failed command changed the store or keystore"
        return self.error_message(result)

    def error_message(self, result: Result) -> str:
        """The message :meth:`fails` returns; a subclass may check more of the failed run."""
        return error_line(result)

    def digest(self) -> str:
        """Everything pynsc may write: store, keystore and nsc.json (all under ``home``)."""
        return tree_digest(self.home)

    def config(self) -> ToolConfig:
        return ToolConfig.load(self.home / "nsc.json")


class Home(CliHome):
    """A ``-H`` directory holding any number of operators."""

    @property
    def dir(self) -> Path:
        return self.home

    @property
    def keystore(self) -> KeyStore:
        return KeyStore(self.home)

    def store(self, operator: str = "O") -> Store:
        return Store.open(self.home, operator)


EnvT = TypeVar("EnvT", bound="StoreEnv")


@dataclass
class StoreEnv(CliHome):
    """Operator ``O`` under ``home``, built with the library: its key stored, current in nsc.json.

    ``accounts`` holds the key of every account :meth:`add_account` made, by name.
    """

    store: Store
    keystore: KeyStore
    operator: KeyPair
    accounts: dict[str, KeyPair] = field(default_factory=dict)

    @classmethod
    def create(
        cls: type[EnvT],
        home: Path,
        runner: Pynsc,
        *,
        operator_key: KeyPair | None = None,
        accounts: Iterable[str] = (),
    ) -> EnvT:
        """Operator ``O`` under ``home`` (key ``operator_key``, else new), and ``accounts``."""
        store, keystore, operator = new_operator(home, key=operator_key)
        make_current(home)
        env = cls(home=home, runner=runner, store=store, keystore=keystore, operator=operator)
        for name in accounts:
            env.add_account(name)
        return env

    # Building with the library -----------------------------------------------------------------

    def add_account(
        self,
        name: str,
        key: KeyPair | None = None,
        *,
        signer: KeyPair | None = None,
        store_key: bool = True,
    ) -> KeyPair:
        """Account ``name`` (a new key unless ``key``), signed by ``signer`` (default: the
        operator)."""
        account = new_account(
            self.store, self.keystore, name, signer or self.operator, key=key, store_key=store_key
        )
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

    def add_export(
        self,
        account: str,
        subject: str,
        *,
        service: bool = False,
        private: bool = False,
        name: str = "",
        token_position: int = 0,
        revocations: dict[str, int] | None = None,
    ) -> c.Export:
        """Export ``subject`` of ``account`` (a stream unless ``service``; named ``subject``
        unless ``name``)."""
        export = c.Export(
            name=name or subject,
            subject=subject,
            type=c.SERVICE if service else c.STREAM,
            token_req=private,
            account_token_position=token_position,
            revocations=dict(revocations or {}),
        )
        self.edit_account(account, lambda claims: claims.nats.exports.append(export))
        return export

    def add_user(self, account: str, name: str, **options: Any) -> KeyPair:
        """User ``name`` of ``account``; ``options`` as :func:`new_user` takes them."""
        return new_user(self.store, self.keystore, account, name, **options)

    def edit_operator(self, change: Callable[[c.OperatorClaims], None]) -> c.OperatorClaims:
        """Apply ``change(claims)`` to operator ``O`` and re-sign it with its identity key."""
        operator = self.store.operator()
        change(operator)
        ops.save_operator(self.store, operator, self.operator)
        return operator

    def add_operator_signing_key(self, *, strict: bool = False) -> KeyPair:
        """A new operator signing key (stored); with ``strict`` the operator requires signing
        keys from then on."""
        key = keys.generate("operator")
        self.keystore.store(key)

        def change(operator: c.OperatorClaims) -> None:
            operator.nats.signing_keys.append(key.public_key)
            if strict:
                operator.nats.strict_signing_key_usage = True

        self.edit_operator(change)
        return key

    def select(self, account: str) -> None:
        """Make ``account`` the current account (in nsc.json)."""
        ToolConfig.update(self.home / "nsc.json", account=account)

    # Reading what is stored ------------------------------------------------------------------

    def account(self, name: str) -> c.AccountClaims:
        return self.store.account(name)

    def account_token(self, name: str) -> str:
        return self.store.account_token(name)

    def user(self, account: str, name: str) -> c.UserClaims:
        return self.store.user(account, name)

    def user_token(self, account: str, name: str) -> str:
        return self.store.user_token(account, name)

    def creds_path(self, account: str, name: str) -> Path:
        return self.keystore.creds_path("O", account, name)


# A local HTTP server ---------------------------------------------------------------------------


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that logs nothing; :meth:`reply` sends a whole answer."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def reply(
        self, status: int, body: str | bytes, content_type: str | None = "application/jwt"
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@dataclass
class LocalServer:
    """An HTTP server on 127.0.0.1, serving from a thread until :meth:`stop`."""

    httpd: http.server.ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        """Shut the server down: its port refuses connections afterwards."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def serve(
    handler: type[http.server.BaseHTTPRequestHandler], *, poll_interval: float = 0.5
) -> LocalServer:
    """Start serving ``handler`` on a free port of 127.0.0.1."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True
    )
    thread.start()
    return LocalServer(httpd, thread)
