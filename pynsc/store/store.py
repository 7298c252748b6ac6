"""One operator's directory of JWTs, laid out exactly as Go nsc lays it out.

A :class:`Store` reads and writes the operator, account and user JWTs of one operator. It never
prints and never touches the network. Writes are atomic; callers that read-modify-write hold
:meth:`Store.lock` so concurrent pynsc processes never lose each other's changes.

An entity exists when its JWT does: a command killed part-way leaves at worst files an entity
without its JWT would own, and those are invisible and cleared by the next command that makes
that entity (see "Crashes" in ``docs/store.md``):

* an operator directory counts once it holds both ``<Op>.jwt`` and ``.nsc``; a new operator's
  ``.nsc`` is written last, after everything else of it (:meth:`Store.create`,
  :meth:`Store.write_operator`);
* an account directory counts once it holds ``<Acct>.jwt``; :meth:`Store.prepare_account`
  clears one without it;
* a deletion first renames the JWT aside (:meth:`Store.mark_account_deleted`,
  :meth:`Store.mark_user_deleted`): the entity is gone, and its keys can still be read to
  finish the deletion when the command is run again;
* a rename keeps the old JWT in the renamed directory until :meth:`Store.finish_rename`.

Nothing here scans more than it must: a user is found by its file name, so an account with
100,000 users costs no more to add to, describe or revoke from than one with ten.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from pynsc import _json
from pynsc._fs import (
    atomic_write,
    clear_dir,
    ensure_private_dir,
    locked,
    remove_file,
    remove_tree,
    rename,
)
from pynsc._model import dataclass
from pynsc.claims import (
    AccountClaims,
    ClaimsData,
    OperatorClaims,
    UserClaims,
    decode,
    decode_unverified,
    peek,
)
from pynsc.claims._codec import from_dict, quick_parts
from pynsc.claims.base import LIB_VERSION, USER_CLAIM
from pynsc.errors import (
    DecodeError,
    ExistsError,
    InvalidKeyError,
    NotFoundError,
    NscError,
    StoreError,
)
from pynsc.keys import KeyKind, KeyPair, from_public_key, is_public_key
from pynsc.keys.nkey import public_key_kind
from pynsc.store import layout

__all__ = ["Store", "StoreInfo", "is_operator_dir", "list_operators"]

TMP_DIR = ".pynsc-tmp"
"""The directory, in an operator directory, of the temporary files of its writers."""
NEW_MARKER = ".pynsc.new"
"""In an operator directory pynsc made and has not finished: everything else in it is pynsc's
and may be cleared."""
DELETED_SUFFIX = ".deleted"
"""A JWT renamed to ``.<name>.jwt.deleted``: the entity is deleted, its keys not yet."""


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
            raw = _json.loads(path.read_text(encoding="utf-8"))
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


def is_operator_dir(path: Path) -> bool:
    """Whether ``path`` is an operator directory: its ``.nsc`` and its operator JWT are there (a
    directory a killed command left without either does not count)."""
    return (path / f"{path.name}.jwt").is_file() and StoreInfo.read(
        path / layout.INFO_FILE
    ) is not None


def list_operators(root: Path) -> list[str]:
    """Names of the operator directories under ``root``, sorted."""
    if not root.is_dir():
        return []
    found = []
    for child in root.iterdir():
        if child.is_dir() and is_operator_dir(child):
            found.append(child.name)
    return sorted(found)


_READ_SIZE = 16384


def read_jwt_file(path: str) -> str | None:
    """The JWT in the file ``path`` as :meth:`Store.user_token` reads it (UTF-8, stripped),
    read with two system calls and no file object; ``None`` when it cannot be read, is not
    UTF-8, or holds a carriage return (whose newline translation is left to the slow path)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        data = os.read(fd, _READ_SIZE)
        if len(data) == _READ_SIZE:  # a big file: read on to the end
            chunks = [data]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            data = b"".join(chunks)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)
    if "\r" in text:
        return None
    return text.strip()


def _fast_user(
    token: str, verify: bool, issuers: Collection[str], keys: dict[str, KeyPair | None]
) -> UserClaims | None:
    """The claims of ``token`` when it is a v2 user JWT with the standard header that
    :func:`pynsc.claims.decode` accepts as it is (its signature verified, unless ``verify`` is
    false and one of ``issuers`` issued it); ``None`` for anything else, which
    :meth:`Store.user` then decodes, or says why it does not.

    The same steps as the full decode, without what a store of pynsc-written JWTs never
    needs: the header is compared, not decoded, and the issuer's key is read once.
    ``keys`` remembers the issuers' keys.
    """
    parts = quick_parts(token)
    if parts is None:
        return None
    payload, signature = parts
    nats = payload.get("nats")
    if not isinstance(nats, dict) or nats.get("type") != USER_CLAIM:
        return None
    version = nats.get("version")
    if type(version) is not int or version != LIB_VERSION:
        return None
    try:
        claims = from_dict(UserClaims, payload)
    except NscError:
        return None
    iss = claims.iss
    if public_key_kind(iss) is not KeyKind.ACCOUNT:
        return None
    if not verify and iss in issuers:
        return claims
    if iss in keys:
        key = keys[iss]
    else:
        try:
            key = keys[iss] = from_public_key(iss)
        except InvalidKeyError:
            key = keys[iss] = None
    signed = token[: token.rindex(".")].encode("ascii")
    if key is None or not key.verify(signed, signature):
        return None
    return claims


def _deleted(path: Path) -> Path:
    """Where the JWT ``path`` goes while its entity is being deleted."""
    return path.with_name(f".{path.name}{DELETED_SUFFIX}")


def _valid_name(name: str) -> bool:
    try:
        return layout.check_name(name, "entity") == name
    except StoreError:
        return False


def _read_deleted(path: Path) -> str | None:
    """The JWT set aside for ``path`` by a deletion not finished (``None``: none, or ``path``
    is there)."""
    if path.is_file():
        return None
    try:
        return _deleted(path).read_text(encoding="utf-8").strip() or None
    except (OSError, ValueError):
        return None


def _owned_leftovers(directory: Path, name: str) -> bool:
    """Whether ``directory`` holds nothing but what an unfinished ``add operator`` of an older
    pynsc could have left (its lock file, ``.nsc``, temporary files)."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return False
    for entry in entries:
        if entry.name in (layout.LOCK_FILE, layout.INFO_FILE, TMP_DIR, NEW_MARKER):
            continue
        if entry.name.startswith((f".{name}.jwt.", f".{layout.INFO_FILE}.")) and (
            entry.name.endswith(".tmp")
        ):
            continue
        return False
    return True


class Store:
    """The JWTs of operator ``name`` under the store root ``root``."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = Path(root)
        self.name = name
        self.dir = layout.operator_dir(self.root, name)
        #: the ``.nsc`` of an operator being created, written with its JWT
        self._pending: StoreInfo | None = None
        self._held = 0  # how deep this object holds the lock

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r}, {self.name!r})"

    # Creating and opening -----------------------------------------------------------------

    @classmethod
    def create(cls, root: Path, name: str, *, managed: bool = False) -> Store:
        """A new operator directory; :class:`ExistsError` if an operator is there already.

        The operator exists once :meth:`write_operator` wrote its JWT, and then its ``.nsc``:
        write everything else of it before. What a killed ``create`` left (a directory without
        the two) is cleared, under the lock; a directory pynsc did not make is kept as it is.
        """
        name = layout.check_name(name, "operator")
        store = cls(root, name)
        with store.lock():
            if store._committed():
                raise ExistsError(f'operator named "{name}" exists already')
            if (store.dir / NEW_MARKER).is_file() or _owned_leftovers(store.dir, name):
                clear_dir(store.dir, keep=(layout.LOCK_FILE, NEW_MARKER))
                if not (store.dir / NEW_MARKER).is_file():
                    store._write(store.dir / NEW_MARKER, "")
        store._pending = StoreInfo(name, managed)
        return store

    @classmethod
    def open(cls, root: Path, name: str) -> Store:
        store = cls(root, name)
        if not store._committed():
            raise NotFoundError(f'operator "{name}" not in `{root}`')
        return store

    def info(self) -> StoreInfo | None:
        return StoreInfo.read(self.dir / layout.INFO_FILE) or self._pending

    def _committed(self) -> bool:
        return is_operator_dir(self.dir)

    @property
    def tmp_dir(self) -> Path:
        """Where this store's writers keep their temporary files (emptied by :meth:`lock`)."""
        return self.dir / TMP_DIR

    @property
    def is_managed(self) -> bool:
        info = self.info()
        return bool(info and info.managed)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise read-modify-write of this operator's files, across processes.

        For a store being created (:meth:`create`), an :class:`ExistsError` when another
        process created the operator in the meantime.
        """
        with locked(self.dir / layout.LOCK_FILE, tmp_dir=self.tmp_dir):
            if self._pending is not None and self._committed():
                raise ExistsError(f'operator named "{self.name}" exists already')
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1

    def _write(self, path: Path, data: str) -> None:
        """Write ``path`` atomically: its temporary file in :attr:`tmp_dir` under the lock (the
        next holder clears it if this process dies), else beside it."""
        atomic_write(path, data, tmp_dir=self.tmp_dir if self._held else None)

    # Operator -----------------------------------------------------------------------------

    def operator_token(self) -> str:
        path = layout.operator_jwt(self.root, self.name)
        return self._read_token(path, f'operator "{self.name}"')

    def operator(self) -> OperatorClaims:
        claims: OperatorClaims = self._decode(self.operator_token(), OperatorClaims, self.name)
        return claims

    def write_operator(self, token: str) -> Path:
        """Write the operator JWT; for a store being created, then its ``.nsc``, which makes
        the operator exist."""
        path = layout.operator_jwt(self.root, self.name)
        self._write(path, token)
        if self._pending is not None:
            self._write(self.dir / layout.INFO_FILE, self._pending.to_json())
            self._pending = None
            remove_file(self.dir / NEW_MARKER)
        return path

    # Accounts -----------------------------------------------------------------------------

    def account_names(self) -> list[str]:
        return [name for name, _ in self.account_files()]

    def account_files(self, *, at_most: int | None = None) -> list[tuple[str, str]]:
        """``(name, JWT path)`` of every account, sorted by name (a directory of ``accounts``
        holding its ``<name>.jwt``); with ``at_most``, the scan stops once that many are found
        (to ask "is there exactly one?" without a stat per account)."""
        found: list[tuple[str, str]] = []
        try:
            with os.scandir(self.dir / "accounts") as entries:
                for entry in entries:
                    path = os.path.join(entry.path, f"{entry.name}.jwt")
                    if os.path.isfile(path):
                        found.append((entry.name, path))
                        if at_most is not None and len(found) >= at_most:
                            break
        except (FileNotFoundError, NotADirectoryError):
            return []
        found.sort()
        return found

    def account_tokens(self) -> Iterator[tuple[str, str]]:
        """``(name, JWT)`` of every account in name order, each file read once (as
        :meth:`account_token` reads it, and with its errors)."""
        for name, path in self.account_files():
            token = read_jwt_file(path)
            yield name, self.account_token(name) if token is None else token

    def has_account(self, name: str) -> bool:
        # a name no account can have is looked up nowhere ("File name too long" is an OSError)
        return _valid_name(name) and layout.account_jwt(self.root, self.name, name).is_file()

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
        self._write(path, token)
        return path

    def prepare_account(self, name: str) -> None:
        """Make way for a new account ``name``: clear the directory a killed command left
        without the account's JWT (its users, an unfinished deletion). Under the lock."""
        name = layout.check_name(name, "account")
        directory = layout.account_dir(self.root, self.name, name)
        if directory.is_dir() and not (directory / f"{name}.jwt").is_file():
            remove_tree(directory)

    def delete_account(self, name: str) -> None:
        """Delete account ``name`` and its users' JWTs (:meth:`mark_account_deleted`, then
        :meth:`purge_account`)."""
        self.mark_account_deleted(name)
        self.purge_account(name)

    def mark_account_deleted(self, name: str) -> str:
        """Delete account ``name``: its JWT is renamed aside, so the account is gone but its
        keys can still be read (:meth:`deleted_account`) to remove them; the JWT."""
        path = layout.account_jwt(self.root, self.name, name)
        token = self.account_token(name)
        rename(path, _deleted(path))
        return token

    def deleted_account(self, name: str) -> str | None:
        """The JWT of account ``name`` when its deletion was started but not finished."""
        if not _valid_name(name):
            return None
        return _read_deleted(layout.account_jwt(self.root, self.name, name))

    def purge_account(self, name: str) -> None:
        """Remove what is left of deleted account ``name``: its directory, at once (under the
        lock, it is moved to :attr:`tmp_dir` first: a kill leaves it there, cleared by the
        next holder of the lock)."""
        directory = layout.account_dir(self.root, self.name, name)
        if not directory.exists():
            return
        if self._held:
            import secrets

            ensure_private_dir(self.tmp_dir)
            moved = self.tmp_dir / f"{name}.{secrets.token_hex(4)}.deleted"
            rename(directory, moved)
            directory = moved
        remove_tree(directory)

    def rename_account(
        self, old: str, new: str, token: str | None = None, *, finish: bool = True
    ) -> Path:
        """Move account ``old`` and its users to ``new``, with ``token`` as its JWT (``None``:
        the current one); the account's new directory.

        ``NEW.jwt`` is written beside ``OLD.jwt`` and the directory renamed (then the account
        is ``new``): a crash at any point leaves one readable account. The old JWT stays in the
        new directory until :meth:`finish_rename` (right away unless ``finish`` is false): it
        tells a re-run that the rename is done but what follows it may not be.
        """
        new = layout.check_name(new, "account")
        old_dir = layout.account_dir(self.root, self.name, old)
        new_dir = layout.account_dir(self.root, self.name, new)
        if not (old_dir / f"{old}.jwt").is_file():
            raise self.account_not_found(old)
        self._check_free(new_dir, new)
        self._write(old_dir / f"{new}.jwt", self.account_token(old) if token is None else token)
        rename(old_dir, new_dir)
        if finish:
            self.finish_rename(old, new)
        return new_dir

    def _check_free(self, new_dir: Path, new: str) -> None:
        if (new_dir / f"{new}.jwt").is_file():
            raise ExistsError(f'account "{new}" already exists')
        self.prepare_account(new)  # what a killed command left under that name
        if new_dir.exists():
            raise ExistsError(f'account "{new}" already exists')

    def unfinished_rename(self, old: str, new: str) -> bool:
        """Whether account ``old`` was renamed ``new`` by a command that did not finish (its
        old JWT is still in the new directory, for the same key)."""
        if not (_valid_name(old) and _valid_name(new)) or old == new or self.has_account(old):
            return False
        new_dir = layout.account_dir(self.root, self.name, new)
        try:
            before = peek(self._read_token(new_dir / f"{old}.jwt", old)).get("sub")
            after = peek(self._read_token(new_dir / f"{new}.jwt", new)).get("sub")
        except (StoreError, DecodeError):
            return False
        return isinstance(before, str) and before == after

    def finish_rename(self, old: str, new: str) -> None:
        """Drop the old JWT :meth:`rename_account` left in the new directory."""
        remove_file(layout.account_dir(self.root, self.name, new) / f"{old}.jwt")

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
        return [name for name, _ in self.user_files(account)]

    def user_files(self, account: str) -> list[tuple[str, str]]:
        """``(name, path)`` of every user JWT of ``account``, sorted by name: one directory
        scan, no ``stat`` per file where the file system gives the entry's type."""
        found: list[tuple[str, str]] = []
        try:
            with os.scandir(layout.users_dir(self.root, self.name, account)) as entries:
                for entry in entries:
                    name = entry.name
                    if name.endswith(".jwt") and entry.is_file():
                        # the stem, as Path.stem has it (".jwt" is a name without a suffix)
                        found.append((name[:-4] if name != ".jwt" else name, entry.path))
        except OSError:  # no users directory (or not one that can be read): no users
            return []
        found.sort()
        return found

    def user_tokens(self, account: str) -> Iterator[tuple[str, str | None]]:
        """``(name, JWT)`` of every user of ``account`` in name order, from one directory scan
        and one read per file: for reading thousands of users. The JWT is ``None`` when the
        file cannot be read so cheaply (:meth:`user_token` then reads it, or says why not)."""
        for name, path in self.user_files(account):
            yield name, read_jwt_file(path)

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

    def users(
        self, account: str, *, verify: bool = True, issuers: Collection[str] = ()
    ) -> Iterator[tuple[str, UserClaims | NscError]]:
        """Every user of ``account`` in name order, with its claims or the error :meth:`user`
        raises for it: one directory scan and one read per file, each JWT decoded once.

        With ``verify=False`` the signature of a user issued by one of ``issuers`` (the
        account's keys) is not checked: for listings, not for trust. A JWT the fast reading
        does not accept goes through :meth:`user`, so a failure reads as it always did.
        """
        keys: dict[str, KeyPair | None] = {}
        for name, token in self.user_tokens(account):
            claims = None if token is None else _fast_user(token, verify, issuers, keys)
            if claims is None:
                try:
                    claims = self.user(account, name)
                except NscError as e:
                    yield name, e
                    continue
            yield name, claims

    def has_user(self, account: str, user: str) -> bool:
        if not (_valid_name(account) and _valid_name(user)):
            return False  # a name no entity can have is looked up nowhere
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
        self._write(path, token)
        return path

    def delete_user(self, account: str, user: str) -> None:
        if not remove_file(layout.user_jwt(self.root, self.name, account, user)):
            raise self.user_not_found(account, user)

    def mark_user_deleted(self, account: str, user: str) -> str:
        """Delete user ``user``: its JWT is renamed aside, so the user is gone but its key can
        still be read (:meth:`deleted_user`) to remove its seed and creds; the JWT."""
        path = layout.user_jwt(self.root, self.name, account, user)
        token = self.user_token(account, user)
        rename(path, _deleted(path))
        return token

    def deleted_user(self, account: str, user: str) -> str | None:
        """The JWT of user ``user`` when its deletion was started but not finished."""
        if not (_valid_name(account) and _valid_name(user)):
            return None
        return _read_deleted(layout.user_jwt(self.root, self.name, account, user))

    def purge_user(self, account: str, user: str) -> None:
        """Remove what is left of deleted user ``user``."""
        remove_file(_deleted(layout.user_jwt(self.root, self.name, account, user)))

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
        except (OSError, UnicodeDecodeError) as e:  # not UTF-8: no JWT either
            raise StoreError(f"cannot read {path}: {e}") from e

    def _decode(self, token: str, expected: type[Any], name: str) -> Any:
        try:
            claims: ClaimsData = decode(token, expected)
        except DecodeError as e:
            raise StoreError(f'the JWT of "{name}" in `{self.dir}` is invalid: {e}') from e
        return claims
