"""A digest of a directory tree, to prove a failed command changed nothing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


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
