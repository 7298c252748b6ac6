"""Concurrent pynsc processes never lose each other's writes (file locks, atomic renames)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pynsc import claims
from pynsc.store import Store, ToolConfig
from tests.cli.harness import new_account, new_operator

PROCESSES = 8
USERS_EACH = 10


def _store(root: Path) -> None:
    """Operator ``O`` with account ``A``, keys stored; no nsc.json."""
    store, keystore, operator = new_operator(root)
    new_account(store, keystore, "A", operator)


def _writer(root: Path, worker: int) -> list[int]:
    codes = []
    env = {**os.environ, "PYNSC_DEBUG": "1"}
    for n in range(USERS_EACH):
        done = subprocess.run(
            [sys.executable, "-m", "pynsc.cli", "-H", str(root), "add", "user",
             "-a", "A", f"u{worker}_{n}"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        codes.append(done.returncode)
    return codes


def test_parallel_add_user_loses_nothing(tmp_path: Path) -> None:
    root = tmp_path / "nsc"
    _store(root)
    # a context write in between: select the account in nsc.json while writers run
    with ThreadPoolExecutor(PROCESSES) as pool:
        results = list(pool.map(lambda w: _writer(root, w), range(PROCESSES)))
    assert all(code == 0 for codes in results for code in codes)
    store = Store(root, "O")
    users = store.user_names("A")
    assert len(users) == PROCESSES * USERS_EACH
    creds = sorted((root / "creds" / "O" / "A").glob("*.creds"))
    assert len(creds) == PROCESSES * USERS_EACH
    for path in creds:
        user, _ = claims.decode_creds(path.read_text())
        assert user.name == path.stem
    config = root / "nsc.json"
    if config.exists():
        json.loads(config.read_text())
        assert ToolConfig.load(config).operator in ("", "O")
    leftovers = [p for p in root.rglob("*.tmp")]
    assert leftovers == []
