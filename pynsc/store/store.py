"""One operator's directory of JWTs, laid out exactly as Go nsc lays it out.

A :class:`Store` reads and writes the operator, account and user JWTs of one operator. It never
prints and never touches the network. Writes are atomic; callers that read-modify-write hold
:meth:`Store.lock` so concurrent pynsc processes never lose each other's changes.

Nothing here scans more than it must: a user is found by its file name, so an account with
100,000 users costs no more to add to, describe or revoke from than one with ten.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pynsc._fs import atomic_write, ensure_private_dir, locked
from pynsc.claims import (
    AccountClaims,
    ClaimsData,
    OperatorClaims,
    UserClaims,
    decode,
    decode_unverified,
    peek,
)
from pynsc.errors import DecodeError, ExistsError, NotFoundError, StoreError
from pynsc.keys import KeyKind, is_public_key
from pynsc.store import layout

__all__ = ["Store", "StoreInfo", "list_operators"]


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """The ``.nsc`` file of an operator directory."""

    name: str
    managed: bool = False
    kind: str = "operator"
    version: str = "1"

    def to_json(self) -> str:
        return json.dumps(
            {
                "managed": self.managed,
                "name": self.name,
                "kind": self.kind,
                "version": self.version,
            },
            separators=(",", ":"),
        )

    @classmethod
    def read(cls, path: Path) -> StoreInfo | None:
        """The info in ``path``, or ``None`` when it is missing or not an operator's."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict):
            return None
        name = raw.get("name")
        if not isinstance(name, str) or not name or raw.get("kind") != "operator":
            return None
        return cls(
            name=name,
            managed=bool(raw.get("managed", False)),
            version=str(raw.get("version", "1")),
        )


def list_operators(root: Path) -> list[str]:
    """Names of the operator directories under ``root``, sorted."""
    if not root.is_dir():
        return []
    found = []
    for child in root.iterdir():
        if child.is_dir() and StoreInfo.read(child / layout.INFO_FILE) is not None:
            found.append(child.name)
    return sorted(found)


class Store:
    """The JWTs of operator ``name`` under the store root ``root``."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = Path(root)
        self.name = name
        self.dir = layout.operator_dir(self.root, name)

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r}, {self.name!r})"

    # Creating and opening -----------------------------------------------------------------

    @classmethod
    def create(cls, root: Path, name: str, *, managed: bool = False) -> Store:
        """A new, empty operator directory; :class:`ExistsError` if one is there already."""
        name = layout.check_name(name, "operator")
        store = cls(root, name)
        if StoreInfo.read(store.dir / layout.INFO_FILE) is not None:
            raise ExistsError(f'operator named "{name}" exists already')
        ensure_private_dir(store.dir)
        atomic_write(store.dir / layout.INFO_FILE, StoreInfo(name, managed).to_json())
        return store

    @classmethod
    def open(cls, root: Path, name: str) -> Store:
        store = cls(root, name)
        if store.info() is None:
            raise NotFoundError(f'operator "{name}" not in `{root}`')
        return store

    def info(self) -> StoreInfo | None:
        return StoreInfo.read(self.dir / layout.INFO_FILE)

    @property
    def is_managed(self) -> bool:
        info = self.info()
        return bool(info and info.managed)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise read-modify-write of this operator's files, across processes."""
        with locked(self.dir / layout.LOCK_FILE):
            yield

    # Operator -----------------------------------------------------------------------------

    def operator_token(self) -> str:
        path = layout.operator_jwt(self.root, self.name)
        return self._read_token(path, f'operator "{self.name}"')

    def operator(self) -> OperatorClaims:
        claims: OperatorClaims = self._decode(self.operator_token(), OperatorClaims, self.name)
        return claims

    def write_operator(self, token: str) -> Path:
        path = layout.operator_jwt(self.root, self.name)
        atomic_write(path, token)
        return path

    # Accounts -----------------------------------------------------------------------------

    def account_names(self) -> list[str]:
        accounts = self.dir / "accounts"
        if not accounts.is_dir():
            return []
        return sorted(
            child.name
            for child in accounts.iterdir()
            if (child / f"{child.name}.jwt").is_file()
        )

    def has_account(self, name: str) -> bool:
        return layout.account_jwt(self.root, self.name, name).is_file()

    def account_named(self, name: str) -> str | None:
        """The stored account whose name equals ``name`` ignoring case (names are unique so)."""
        if self.has_account(name):
            return name
        folded = name.casefold()
        return next((n for n in self.account_names() if n.casefold() == folded), None)

    def account_token(self, name: str) -> str:
        return self._read_token(
            layout.account_jwt(self.root, self.name, name), f'account "{name}"'
        )

    def account(self, name: str) -> AccountClaims:
        return self.account_with_token(name)[1]

    def account_with_token(
        self, name: str, *, verify: bool = True
    ) -> tuple[str, AccountClaims]:
        """The JWT of account ``name`` and its claims, from one read of the file; verified
        unless ``verify`` is false (see :func:`pynsc.claims.decode_unverified`)."""
        token = self.account_token(name)
        if verify:
            claims: AccountClaims = self._decode(token, AccountClaims, name)
            return token, claims
        try:
            return token, decode_unverified(token, AccountClaims)
        except DecodeError as e:
            raise StoreError(f'the JWT of "{name}" in `{self.dir}` is invalid: {e}') from e

    def accounts(self) -> Iterator[tuple[str, AccountClaims]]:
        for name in self.account_names():
            yield name, self.account(name)

    def write_account(self, name: str, token: str) -> Path:
        path = layout.account_jwt(self.root, self.name, layout.check_name(name, "account"))
        atomic_write(path, token)
        return path

    def delete_account(self, name: str) -> None:
        directory = layout.account_dir(self.root, self.name, name)
        if not (directory / f"{name}.jwt").is_file():
            raise self.account_not_found(name)
        shutil.rmtree(directory)

    def rename_account(self, old: str, new: str, token: str | None = None) -> Path:
        """Move account ``old`` and its users to ``new``, with ``token`` as its JWT (``None``:
        the current one); the account's new directory.

        ``NEW.jwt`` is written beside ``OLD.jwt``, the directory renamed, the old JWT dropped:
        a crash at any point leaves one readable account.
        """
        new = layout.check_name(new, "account")
        old_dir = layout.account_dir(self.root, self.name, old)
        new_dir = layout.account_dir(self.root, self.name, new)
        if not (old_dir / f"{old}.jwt").is_file():
            raise self.account_not_found(old)
        if new_dir.exists():
            raise ExistsError(f'account "{new}" already exists')
        atomic_write(old_dir / f"{new}.jwt", self.account_token(old) if token is None else token)
        os.rename(old_dir, new_dir)
        (new_dir / f"{old}.jwt").unlink()
        return new_dir

    def find_account(self, name_or_key: str) -> str:
        """The name of the account called ``name_or_key`` or whose public key it is."""
        value = name_or_key.strip()
        if self.has_account(value):
            return value
        if is_public_key(value, KeyKind.ACCOUNT):
            for name in self.account_names():
                if self.account(name).sub == value:
                    return name
        raise self.account_not_found(value)

    def account_not_found(self, name: str) -> NotFoundError:
        return NotFoundError(
            f'"{name}" not in accounts for operator "{self.name}" in `{self.root}`',
            hint="list them with 'pynsc list accounts'",
        )

    def account_subjects(self) -> dict[str, str]:
        """Account public key → name of every stored account, read from the JWT payloads
        **without verifying** them: a cheap index for names and lookups (one file read and a
        JSON parse each). Use :meth:`account` for claims to trust. Unreadable files are
        skipped."""
        found: dict[str, str] = {}
        for name in self.account_names():
            try:
                sub = peek(self.account_token(name)).get("sub")
            except (StoreError, DecodeError):
                continue
            if isinstance(sub, str):
                found.setdefault(sub, name)
        return found

    def account_key_names(self) -> dict[str, str]:
        """Account public keys (identity and signing keys) to account names."""
        names: dict[str, str] = {}
        for name, claims in self.accounts():
            names[claims.sub] = name
            for key in claims.nats.signing_keys:
                names.setdefault(key, name)
        return names

    # Users --------------------------------------------------------------------------------

    def user_names(self, account: str) -> list[str]:
        users = layout.users_dir(self.root, self.name, account)
        if not users.is_dir():
            return []
        return sorted(p.stem for p in users.glob("*.jwt") if p.is_file())

    def only_user(self, account: str) -> str | None:
        """The name of the only user of ``account``; ``None`` when it has none or several.

        Stops at the second user found, so it costs the same for two users as for 100,000.
        """
        found: str | None = None
        try:
            with os.scandir(layout.users_dir(self.root, self.name, account)) as entries:
                for entry in entries:
                    if not entry.name.endswith(".jwt") or not entry.is_file():
                        continue
                    if found is not None:
                        return None
                    found = entry.name[: -len(".jwt")]
        except (FileNotFoundError, NotADirectoryError):
            return None
        return found

    def has_user(self, account: str, user: str) -> bool:
        return layout.user_jwt(self.root, self.name, account, user).is_file()

    def user_token(self, account: str, user: str) -> str:
        return self._read_token(
            layout.user_jwt(self.root, self.name, account, user),
            f'user "{user}" in account "{account}"',
        )

    def user(self, account: str, user: str) -> UserClaims:
        claims: UserClaims = self._decode(self.user_token(account, user), UserClaims, user)
        return claims

    def write_user(self, account: str, user: str, token: str) -> Path:
        path = layout.user_jwt(self.root, self.name, account, layout.check_name(user, "user"))
        atomic_write(path, token)
        return path

    def delete_user(self, account: str, user: str) -> None:
        try:
            layout.user_jwt(self.root, self.name, account, user).unlink()
        except FileNotFoundError:
            raise self.user_not_found(account, user) from None

    def find_user(self, account: str, name_or_key: str) -> str:
        """The name of the user called ``name_or_key`` (or with that public key) in ``account``.

        A name is found by its file alone; a public key needs a scan of the account's users.
        """
        value = name_or_key.strip()
        if self.has_user(account, value):
            return value
        if is_public_key(value, KeyKind.USER):
            for name in self.user_names(account):
                if self.user(account, name).sub == value:
                    return name
        raise self.user_not_found(account, value)

    def user_not_found(self, account: str, user: str) -> NotFoundError:
        return NotFoundError(
            f'user "{user}" not found in account "{account}"',
            hint=f"list them with 'pynsc list users -a {account}'",
        )

    # Internals ----------------------------------------------------------------------------

    def _read_token(self, path: Path, what: str) -> str:
        try:
            return path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise NotFoundError(f"{what} does not exist in `{self.dir}`") from None
        except OSError as e:
            raise StoreError(f"cannot read {path}: {e}") from e

    def _decode(self, token: str, expected: type[Any], name: str) -> Any:
        try:
            claims: ClaimsData = decode(token, expected)
        except DecodeError as e:
            raise StoreError(f'the JWT of "{name}" in `{self.dir}` is invalid: {e}') from e
        return claims
