"""Keystore maintenance: migrating a pre-2.0 keystore to the sharded layout.

The old layout kept seeds and creds beside the store's tree (``<op>/<op>.nk``,
``<op>/accounts/<a>/users/<u>.creds`` …); the new one is ``keys/<K>/<XY>/<PUB>.nk`` and
``creds/<op>/<a>/<u>.creds``. The rules:

* a keystore needs migration when it has a seed or creds file outside ``keys/`` and ``creds/``
  (an in-memory keystore never does);
* every file is read and checked (each ``.nk`` must hold a seed, each creds file sit where the
  old layout put it) before anything is written;
* the migrated keystore is built in a new directory next to the old one, then the old one is
  renamed ``<dir>_<id>`` (kept, for you to remove) and the new one takes its place.
"""

from __future__ import annotations

import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from pynsc._fs import atomic_write, ensure_private_dir
from pynsc.actions.session import Nsc
from pynsc.errors import KeyStoreError, NscError
from pynsc.keys import GITIGNORE, from_seed
from pynsc.store.memory import MemoryKeyStore
from pynsc.store.report import Report
from pynsc.text import display_path

__all__ = ["MigrationResult", "migrate_keystore", "needs_migration"]

_ALPHABET = string.ascii_uppercase + string.digits


@dataclass(slots=True)
class MigrationResult:
    """What :func:`migrate_keystore` did: whether it migrated ``keystore``, and where the old
    one was moved to."""

    report: Report
    keystore: Path
    migrated: bool
    old: Path | None = None


def _walk(root: Path) -> list[Path]:
    return sorted(Path(d) / name for d, _dirs, files in os.walk(root) for name in files)


def needs_migration(root: Path) -> bool:
    """Whether the keystore at ``root`` has seeds or creds outside ``keys/`` and ``creds/``
    (looked for at any depth)."""
    if not root.is_dir():
        return False
    for directory, dirs, files in os.walk(root):
        if Path(directory) == root:
            dirs[:] = [d for d in dirs if d not in ("keys", "creds")]
        if any(name.endswith((".nk", ".creds")) for name in files):
            return True
    return False


def _creds_target(root: Path, path: Path) -> Path:
    """Where a creds file goes: ``creds/<op>/<a>/<u>.creds`` (old: ``<op>/accounts/<a>/users/``)."""
    parts = path.relative_to(root).parts
    if len(parts) == 4 and parts[0] == "creds":
        return Path(*parts)
    if len(parts) == 5:
        return Path("creds", parts[0], parts[2], parts[4])
    raise KeyStoreError(
        f"unexpected creds file path {display_path(path)}: expected "
        "<operator>/accounts/<account>/users/<user>.creds"
    )


def _plan(root: Path) -> dict[Path, str]:
    """Relative target path to content, for every seed and creds file under ``root``."""
    plan: dict[Path, str] = {}
    for path in _walk(root):
        if path.suffix not in (".nk", ".creds"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise KeyStoreError(f"error processing {display_path(path)}: {e}") from e
        if path.suffix == ".nk":
            try:
                pair = from_seed(text.strip())
            except NscError as e:
                raise KeyStoreError(f"error processing {display_path(path)}: {e}") from e
            key = pair.public_key
            plan[Path("keys", key[0], key[1:3], f"{key}.nk")] = text.strip()
        else:
            plan[_creds_target(root, path)] = text
    return plan


def migrate_keystore(nsc: Nsc) -> MigrationResult:
    """Migrate ``nsc``'s keystore to the sharded layout when it needs it; the original is kept,
    renamed ``<dir>_<id>``."""
    keystore = nsc.keystore
    root = keystore.root
    report = Report()
    if isinstance(keystore, MemoryKeyStore) or not needs_migration(root):
        report.ok(f"keystore {display_path(root)} does not need migration")
        report.data = {"migrated": False, "keystore": str(root)}
        return MigrationResult(report, root, migrated=False)
    plan = _plan(root)
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(22))
    staging = root.parent / suffix
    old = root.parent / f"{root.name}_{suffix}"
    ensure_private_dir(staging / "keys")
    ensure_private_dir(staging / "creds")
    if keystore.git_ignore:
        atomic_write(staging / ".gitignore", GITIGNORE)
    for relative, content in plan.items():
        atomic_write(staging / relative, content)
    os.rename(root, old)
    os.rename(staging, root)
    report.ok(
        f"keystore {display_path(root)} was migrated - old store was renamed to "
        f"{display_path(old)} - remove at your convenience"
    )
    report.data = {"migrated": True, "keystore": str(root), "old": str(old)}
    return MigrationResult(report, root, migrated=True, old=old)
