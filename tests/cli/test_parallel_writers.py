"""Concurrent pynsc processes never lose each other's writes (file locks, atomic renames)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pynsc import claims, keys
from pynsc.keys import KeyStore
from pynsc.paths import Paths
from pynsc.store import Store, ToolConfig, ops

PROCESSES = 8
USERS_EACH = 10


def _store(root: Path) -> None:
    paths = Paths.resolve(all_dirs=root, env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator = keys.generate("operator")
    keystore.store(operator)
    ops.save_operator(store, claims.OperatorClaims(sub=operator.public_key, name="O"), operator)
    account = keys.generate("account")
    keystore.store(account)
    ops.save_account(
        store, "A", claims.AccountClaims(sub=account.public_key, name="A"), operator
    )


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
