"""``pynsc keys migrate``: convert a pre-2.0 keystore to the sharded layout.

The old layout kept seeds and creds beside the store's tree (``<op>/<op>.nk``,
``<op>/accounts/<a>/users/<u>.creds`` …). The new one is ``keys/<K>/<XY>/<PUB>.nk`` and
``creds/<op>/<a>/<u>.creds``. The migrated keystore is built in a new directory next to the old
one, then the old one is renamed ``<dir>_<id>`` (kept, for you to remove) and the new one takes
its place. Every file is read and checked before anything is written.
"""

from __future__ import annotations

import os
import secrets
import string
from pathlib import Path

from pynsc._fs import atomic_write, ensure_private_dir
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.errors import KeyStoreError, NscError
from pynsc.keys import GITIGNORE, from_seed
from pynsc.store.report import Report

__all__ = ["keys_migrate", "needs_migration"]

_ALPHABET = string.ascii_uppercase + string.digits


def _walk(root: Path) -> list[Path]:
    return sorted(Path(d) / name for d, _dirs, files in os.walk(root) for name in files)


def needs_migration(root: Path) -> bool:
    """Whether the keystore at ``root`` has seeds or creds outside ``keys/`` and ``creds/``."""
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


@command("migrate", short_help="Migrate a pre-2.0 keystore to the current layout.")
@json_option
@pass_app
def keys_migrate(app: App, *, as_json: bool) -> None:
    """Migrate the keystore to the sharded layout; the original is kept, renamed."""
    root = app.keystore.root
    report = Report()
    if not needs_migration(root):
        report.ok(f"keystore {display_path(root)} does not need migration")
        report.data = {"migrated": False, "keystore": str(root)}
        app.output.report(report, as_json=as_json)
        return
    plan = _plan(root)
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(22))
    staging = root.parent / suffix
    old = root.parent / f"{root.name}_{suffix}"
    ensure_private_dir(staging / "keys")
    ensure_private_dir(staging / "creds")
    if "NSC_NO_GIT_IGNORE" not in os.environ:
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
    app.output.report(report, as_json=as_json)
