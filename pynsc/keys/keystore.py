"""The nsc keystore: sharded seed files and creds files, laid out exactly as Go nsc lays them.

::

    <root>/.gitignore
    <root>/keys/<K>/<XY>/<PUBKEY>.nk          seed only, no newline, 0600
    <root>/creds/<operator>/<account>/<user>.creds

``K`` is the first letter of the public key and ``XY`` the next two. Directories are 0700.
Writes are atomic and serialised by a lock file, so concurrent processes never see half a key
nor lose one; their temporary files live in ``<root>/.pynsc-tmp/``, emptied each time the lock
is taken, so a killed writer leaves no seed behind in a temporary file for long.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from pynsc._fs import atomic_write, ensure_private_dir, locked, remove_file
from pynsc.errors import InvalidKeyError, KeyStoreError
from pynsc.keys.nkey import KeyKind, KeyPair, from_seed

__all__ = ["GITIGNORE", "KeyStore", "needs_migration"]

GITIGNORE = "# ignore all nk files\n**/*.nk\n\n# ignore all creds files\n**/*.creds\n"
_LOCK_NAME = ".pynsc.lock"
_TMP_DIR = ".pynsc-tmp"


def _check_name(value: str, what: str) -> None:
    if not value or "/" in value or "\\" in value or value in (".", ".."):
        raise KeyStoreError(f"invalid {what} name {value!r}", hint="names may not contain / or \\")


def needs_migration(root: Path) -> bool:
    """Whether ``root`` holds a pre-2.0 (flat) keystore: seeds or creds outside ``keys/`` and
    ``creds/``. Cheap: it looks one level deep, where the old layout always put them
    (``<op>/<op>.nk``), so a store sharing the directory (``-H``) is not walked."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return False
    for entry in entries:
        if entry.name in ("keys", "creds"):
            continue
        if entry.suffix in (".nk", ".creds") and entry.is_file():
            return True
        if entry.is_dir() and (entry / f"{entry.name}.nk").is_file():
            return True
    return False


class KeyStore:
    """Seeds and creds under ``root``.

    ``git_ignore`` controls the ``.gitignore`` written beside the keys; by default it is written
    unless the environment has ``NSC_NO_GIT_IGNORE`` (as Go nsc does).
    """

    def __init__(self, root: str | os.PathLike[str], *, git_ignore: bool | None = None) -> None:
        self.root = Path(root).expanduser().absolute()
        if git_ignore is None:
            git_ignore = "NSC_NO_GIT_IGNORE" not in os.environ
        self.git_ignore = git_ignore

    def __repr__(self) -> str:
        return f"KeyStore({str(self.root)!r})"

    # Paths --------------------------------------------------------------------------------

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    @property
    def creds_dir(self) -> Path:
        return self.root / "creds"

    def key_path(self, public_key: str) -> Path:
        """Where the seed of ``public_key`` lives (whether or not it is there)."""
        if len(public_key) < 3 or "/" in public_key or "\\" in public_key:
            raise InvalidKeyError(f"invalid public key {public_key!r}")
        return self.keys_dir / public_key[0] / public_key[1:3] / f"{public_key}.nk"

    def creds_path(self, operator: str, account: str, user: str) -> Path:
        for value, what in ((operator, "operator"), (account, "account"), (user, "user")):
            _check_name(value, what)
        return self.creds_dir / operator / account / f"{user}.creds"

    @property
    def tmp_dir(self) -> Path:
        """Where this keystore's writers keep their temporary files (emptied by :meth:`lock`)."""
        return self.root / _TMP_DIR

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise writers of this keystore, across processes."""
        with locked(self.root / _LOCK_NAME, tmp_dir=self.tmp_dir):
            yield

    # Keys ---------------------------------------------------------------------------------

    def store(self, pair: KeyPair) -> Path:
        """Save the seed of ``pair``; the same seed twice is a no-op, another seed an error."""
        if pair.seed is None:
            raise KeyStoreError(f"cannot store {pair.public_key}: its seed is not known")
        path = self.key_path(pair.public_key)
        with self.lock():
            existing = self._read_seed(path)
            if existing is not None:
                if existing != pair.seed:
                    raise KeyStoreError(f"key {pair.public_key} already exists and is different")
                return path
            self._write_git_ignore()
            atomic_write(path, pair.seed, tmp_dir=self.tmp_dir)
        return path

    def get(self, public_key: str) -> KeyPair | None:
        """The key pair of ``public_key`` with its seed, or ``None`` when it is not stored."""
        seed = self._read_seed(self.key_path(public_key))
        if seed is None:
            return None
        pair = from_seed(seed)
        if pair.public_key != public_key:
            raise KeyStoreError(f"{self.key_path(public_key)} holds the seed of another key")
        return pair

    def read(self, public_key: str) -> KeyPair:
        """Like :meth:`get`, but a missing key is a :class:`KeyStoreError`."""
        pair = self.get(public_key)
        if pair is None:
            raise KeyStoreError(
                f"no seed for {public_key} in the keystore {self.root}",
                hint="import it with -K <seed> or check --keystore-dir/NKEYS_PATH",
            )
        return pair

    def has(self, public_key: str) -> bool:
        return self.key_path(public_key).is_file()

    def list(self, kind: KeyKind | None = None) -> list[str]:
        """Public keys of every stored seed (of ``kind``), sorted."""
        if not self.keys_dir.is_dir():
            return []
        found = []
        for path in self.keys_dir.glob("?/??/*.nk"):
            public_key = path.stem
            if kind is not None and public_key[:1] != kind.letter:
                continue
            found.append(public_key)
        return sorted(found)

    def remove(self, public_key: str) -> bool:
        """Delete the seed of ``public_key`` and its shard dirs once empty; whether it existed."""
        path = self.key_path(public_key)
        with self.lock():
            if not remove_file(path):
                return False
            for directory in (path.parent, path.parent.parent):
                with contextlib.suppress(OSError):
                    directory.rmdir()
        return True

    # Creds --------------------------------------------------------------------------------

    def write_creds(self, operator: str, account: str, user: str, text: str) -> Path:
        path = self.creds_path(operator, account, user)
        with self.lock():
            self._write_git_ignore()
            atomic_write(path, text, tmp_dir=self.tmp_dir)
        return path

    def read_creds(self, operator: str, account: str, user: str) -> str | None:
        path = self.creds_path(operator, account, user)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def remove_creds(self, operator: str, account: str, user: str) -> bool:
        path = self.creds_path(operator, account, user)
        with self.lock():
            return remove_file(path)

    # Internals ----------------------------------------------------------------------------

    def _read_seed(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            raise KeyStoreError(f"cannot read {path}: {e}") from e

    def _write_git_ignore(self) -> None:
        ensure_private_dir(self.root)
        target = self.root / ".gitignore"
        if self.git_ignore and not target.exists():
            atomic_write(target, GITIGNORE, tmp_dir=self.tmp_dir)

