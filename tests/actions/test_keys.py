"""Keystore migration at the library level."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pynsc import keys
from pynsc.actions import Nsc
from pynsc.actions.keys import migrate_keystore, needs_migration
from pynsc.errors import KeyStoreError
from pynsc.keys import KeyStore, format_creds


def _old_keystore(root: Path) -> tuple[keys.KeyPair, keys.KeyPair, str]:
    op, user = keys.generate("operator"), keys.generate("user")
    users = root / "O" / "accounts" / "A" / "users"
    users.mkdir(parents=True)
    (root / "O" / "O.nk").write_text(op.seed or "")
    (users / "U.nk").write_text(user.seed or "")
    creds = format_creds("e30.e30.sig", user.seed or "")
    (users / "U.creds").write_text(creds)
    return op, user, creds


def _files(root: Path) -> dict[str, str]:
    return {
        str(Path(d, n).relative_to(root)): Path(d, n).read_text()
        for d, _, names in os.walk(root)
        for n in names
    }


def test_migrate(tmp_path: Path) -> None:
    root = tmp_path / "old"
    op, user, creds = _old_keystore(root)
    assert needs_migration(root)
    result = migrate_keystore(Nsc.open(all_dirs=tmp_path / "home", keystore_dir=root))
    assert result.migrated
    assert result.old is not None
    assert result.old.name.startswith("old_")
    store = KeyStore(root)
    assert store.get(op.public_key) == op
    assert store.get(user.public_key) == user
    assert store.read_creds("O", "A", "U") == creds
    assert (result.old / "O" / "O.nk").exists()
    assert not needs_migration(root)
    again = migrate_keystore(Nsc.open(all_dirs=tmp_path / "home", keystore_dir=root))
    assert not again.migrated
    assert "does not need migration" in again.report.children[0].text


def test_a_bad_seed_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "old"
    _old_keystore(root)
    (root / "O" / "bad.nk").write_text("garbage")
    before = _files(tmp_path)
    with pytest.raises(KeyStoreError, match="error processing"):
        migrate_keystore(Nsc.open(all_dirs=tmp_path / "home", keystore_dir=root))
    assert _files(tmp_path) == before
    assert sorted(os.listdir(tmp_path)) == ["home", "old"]


def test_a_misplaced_creds_file_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "old"
    _old_keystore(root)
    (root / "O" / "stray.creds").write_text("x")
    with pytest.raises(KeyStoreError, match="unexpected creds file path"):
        migrate_keystore(Nsc.open(all_dirs=tmp_path / "home", keystore_dir=root))
    assert sorted(os.listdir(tmp_path)) == ["home", "old"]


def test_memory_and_new_keystores_need_none(tmp_path: Path) -> None:
    assert not migrate_keystore(Nsc.memory()).migrated
    store = KeyStore(tmp_path / "new")
    store.store(keys.generate("user"))
    assert not needs_migration(tmp_path / "new")
    assert not needs_migration(tmp_path / "missing")
