"""A store and a keystore that live in memory: nothing is read from or written to disk.

For tests and stateless backends: :class:`MemoryStore` behaves as :class:`~pynsc.store.Store`
(same names, same errors, same checks on names), :class:`MemoryKeyStore` as
:class:`~pynsc.keys.KeyStore`. Both are lost with the process. ``lock()`` serialises threads of
this process only.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from pynsc.errors import ExistsError, KeyStoreError, NotFoundError
from pynsc.keys import KeyKind, KeyPair, KeyStore
from pynsc.keys.nkey import from_seed
from pynsc.store import layout
from pynsc.store.store import Store, StoreInfo

__all__ = ["MemoryKeyStore", "MemoryStore"]

MEMORY_ROOT = Path("/<memory>")
"""The root the in-memory stores pretend to live under (shown in messages only)."""


class MemoryStore(Store):
    """One operator's JWTs, held in dictionaries."""

    def __init__(self, name: str, *, managed: bool = False) -> None:
        super().__init__(MEMORY_ROOT, layout.check_name(name, "operator"))
        self._info = StoreInfo(self.name, managed)
        self._operator: str | None = None
        self._accounts: dict[str, str] = {}
        self._users: dict[str, dict[str, str]] = {}
        self._deleted_accounts: dict[str, str] = {}
        self._deleted_users: dict[tuple[str, str], str] = {}
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"MemoryStore({self.name!r})"

    def info(self) -> StoreInfo | None:
        return self._info

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        with self._lock:
            yield

    def operator_token(self) -> str:
        if self._operator is None:
            raise NotFoundError(f'operator "{self.name}" does not exist in memory')
        return self._operator

    def write_operator(self, token: str) -> Path:
        self._operator = token
        return self.dir / f"{self.name}.jwt"

    def account_names(self) -> list[str]:
        return sorted(self._accounts)

    def account_tokens(self) -> Iterator[tuple[str, str]]:
        for name in self.account_names():
            yield name, self.account_token(name)

    def has_account(self, name: str) -> bool:
        return name in self._accounts

    def account_token(self, name: str) -> str:
        try:
            return self._accounts[name]
        except KeyError:
            raise NotFoundError(f'account "{name}" does not exist in memory') from None

    def write_account(self, name: str, token: str) -> Path:
        name = layout.check_name(name, "account")
        self._accounts[name] = token
        self._users.setdefault(name, {})
        return layout.account_jwt(self.root, self.name, name)

    def prepare_account(self, name: str) -> None:
        layout.check_name(name, "account")
        if name not in self._accounts:
            self._users.pop(name, None)
            self._deleted_accounts.pop(name, None)

    def delete_account(self, name: str) -> None:
        self.mark_account_deleted(name)
        self.purge_account(name)

    def mark_account_deleted(self, name: str) -> str:
        if name not in self._accounts:
            raise self.account_not_found(name)
        token = self._accounts.pop(name)
        self._deleted_accounts[name] = token
        return token

    def deleted_account(self, name: str) -> str | None:
        return None if name in self._accounts else self._deleted_accounts.get(name)

    def purge_account(self, name: str) -> None:
        self._deleted_accounts.pop(name, None)
        if name not in self._accounts:
            self._users.pop(name, None)

    def unfinished_rename(self, old: str, new: str) -> bool:
        return False

    def finish_rename(self, old: str, new: str) -> None:
        return None

    def rename_account(
        self, old: str, new: str, token: str | None = None, *, finish: bool = True
    ) -> Path:
        new = layout.check_name(new, "account")
        if old not in self._accounts:
            raise self.account_not_found(old)
        if new in self._accounts:
            raise ExistsError(f'account "{new}" already exists')
        current = self._accounts.pop(old)
        self._accounts[new] = current if token is None else token
        self._users[new] = self._users.pop(old, {})
        return layout.account_dir(self.root, self.name, new)

    def user_names(self, account: str) -> list[str]:
        return sorted(self._users.get(account, {}))

    def user_tokens(self, account: str) -> Iterator[tuple[str, str | None]]:
        users = self._users.get(account, {})
        for name in sorted(users):
            yield name, users[name]

    def has_user(self, account: str, user: str) -> bool:
        return user in self._users.get(account, {})

    def user_token(self, account: str, user: str) -> str:
        try:
            return self._users[account][user]
        except KeyError:
            raise NotFoundError(
                f'user "{user}" in account "{account}" does not exist in memory'
            ) from None

    def write_user(self, account: str, user: str, token: str) -> Path:
        user = layout.check_name(user, "user")
        self._users.setdefault(account, {})[user] = token
        return layout.user_jwt(self.root, self.name, account, user)

    def delete_user(self, account: str, user: str) -> None:
        if user not in self._users.get(account, {}):
            raise self.user_not_found(account, user)
        del self._users[account][user]

    def mark_user_deleted(self, account: str, user: str) -> str:
        token = self.user_token(account, user)
        del self._users[account][user]
        self._deleted_users[(account, user)] = token
        return token

    def deleted_user(self, account: str, user: str) -> str | None:
        if self.has_user(account, user):
            return None
        return self._deleted_users.get((account, user))

    def purge_user(self, account: str, user: str) -> None:
        self._deleted_users.pop((account, user), None)

    def only_user(self, account: str) -> str | None:
        users = self._users.get(account, {})
        return next(iter(users)) if len(users) == 1 else None


class MemoryKeyStore(KeyStore):
    """Seeds and creds held in dictionaries."""

    def __init__(self) -> None:
        super().__init__(MEMORY_ROOT, git_ignore=False)
        self._seeds: dict[str, str] = {}
        self._creds: dict[tuple[str, str, str], str] = {}
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return "MemoryKeyStore()"

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        with self._lock:
            yield

    def store(self, pair: KeyPair) -> Path:
        if pair.seed is None:
            raise KeyStoreError(f"cannot store {pair.public_key}: its seed is not known")
        with self._lock:
            existing = self._seeds.get(pair.public_key)
            if existing is not None and existing != pair.seed:
                raise KeyStoreError(f"key {pair.public_key} already exists and is different")
            self._seeds[pair.public_key] = pair.seed
        return self.key_path(pair.public_key)

    def get(self, public_key: str) -> KeyPair | None:
        seed = self._seeds.get(public_key)
        return None if seed is None else from_seed(seed)

    def has(self, public_key: str) -> bool:
        return public_key in self._seeds

    def list(self, kind: KeyKind | None = None) -> list[str]:
        return sorted(k for k in self._seeds if kind is None or k[:1] == kind.letter)

    def remove(self, public_key: str) -> bool:
        with self._lock:
            return self._seeds.pop(public_key, None) is not None

    def write_creds(self, operator: str, account: str, user: str, text: str) -> Path:
        path = self.creds_path(operator, account, user)
        self._creds[(operator, account, user)] = text
        return path

    def read_creds(self, operator: str, account: str, user: str) -> str | None:
        self.creds_path(operator, account, user)
        return self._creds.get((operator, account, user))

    def remove_creds(self, operator: str, account: str, user: str) -> bool:
        self.creds_path(operator, account, user)
        return self._creds.pop((operator, account, user), None) is not None
