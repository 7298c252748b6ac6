"""``nsc.json``: the store root and the current operator and account, as Go nsc keeps them.

Saved atomically under a lock (Go nsc writes it in place, unlocked), compact, with the keys in
Go's order. A missing or unreadable file reads as the defaults.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from pynsc import _json
from pynsc._fs import atomic_write, locked
from pynsc._model import dataclass

__all__ = ["CONFIG_FILE", "ToolConfig"]

CONFIG_FILE = "nsc.json"
_LOCK = ".nsc.json.lock"
_TMP_DIR = ".nsc.json-tmp"  # the temporary files of update(), cleared under its lock


@dataclass(slots=True)
class ToolConfig:
    store_root: str = ""
    operator: str = ""
    account: str = ""
    github_updates: str = "nats-io/nsc"
    last_update: int = 0

    @classmethod
    def load(cls, path: Path) -> ToolConfig:
        try:
            raw = _json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        config = cls()
        for key in ("store_root", "operator", "account", "github_updates"):
            value = raw.get(key)
            if isinstance(value, str):
                setattr(config, key, value)
        if isinstance(raw.get("last_update"), int):
            config.last_update = raw["last_update"]
        return config

    def to_dict(self) -> dict[str, Any]:
        return {
            "store_root": self.store_root,
            "operator": self.operator,
            "account": self.account,
            "github_updates": self.github_updates,
            "last_update": self.last_update,
        }

    def save(self, path: Path, *, tmp_dir: Path | None = None) -> None:
        atomic_write(path, json.dumps(self.to_dict(), separators=(",", ":")), tmp_dir=tmp_dir)

    @staticmethod
    def update(path: Path, **changes: str) -> ToolConfig:
        """Re-read, change and save ``path`` under its lock: concurrent updates are not lost
        (nor the temporary file of a killed update: the next one clears it)."""
        tmp_dir = path.parent / _TMP_DIR
        with locked(path.parent / _LOCK, tmp_dir=tmp_dir):
            config = ToolConfig.load(path)
            for key, value in changes.items():
                setattr(config, key, value)
            if config.last_update == 0:
                # as Go nsc writes a new nsc.json: "checked for updates now", so Go nsc run on
                # this config does not go looking for a release
                config.last_update = int(time.time())
            config.save(path, tmp_dir=tmp_dir)
        return config
