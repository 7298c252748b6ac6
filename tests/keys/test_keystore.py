"""The keystore: nsc's sharded layout, permissions, idempotent stores, creds files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pynsc import keys
from pynsc.errors import KeyStoreError
from pynsc.keys import GITIGNORE, KeyKind, KeyStore


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_uses_nsc_sharded_layout(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "ks")
    pair = keys.generate("account")
    path = store.store(pair)
    pub = pair.public_key
    assert path == tmp_path / "ks" / "keys" / pub[0] / pub[1:3] / f"{pub}.nk"
    assert path.read_bytes() == pair.seed.encode()  # type: ignore[union-attr]
    assert _mode(path) == 0o600
    for directory in (path.parent, path.parent.parent, tmp_path / "ks" / "keys", tmp_path / "ks"):
        assert _mode(directory) == 0o700
    assert (tmp_path / "ks" / ".gitignore").read_text() == GITIGNORE


def test_no_gitignore_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSC_NO_GIT_IGNORE", "")
    store = KeyStore(tmp_path)
    store.store(keys.generate("user"))
    assert not (tmp_path / ".gitignore").exists()


def test_same_seed_twice_is_a_no_op_another_seed_an_error(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    pair = keys.generate("operator")
    path = store.store(pair)
    before = path.stat().st_mtime_ns
    assert store.store(keys.from_seed(pair.seed or "")) == path
    assert path.stat().st_mtime_ns == before
    path.write_text(keys.generate("operator").seed or "")
    with pytest.raises(KeyStoreError, match="already exists and is different"):
        store.store(pair)


def test_public_only_key_cannot_be_stored(tmp_path: Path) -> None:
    with pytest.raises(KeyStoreError, match="seed is not known"):
        KeyStore(tmp_path).store(keys.generate("user").public())


def test_read_list_remove(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    account, user = keys.generate("account"), keys.generate("user")
    store.store(account)
    store.store(user)
    assert store.get(account.public_key) == account
    assert store.read(user.public_key) == user
    assert store.get(keys.generate("user").public_key) is None
    assert store.list() == sorted([account.public_key, user.public_key])
    assert store.list(KeyKind.USER) == [user.public_key]
    assert store.remove(user.public_key)
    assert not store.remove(user.public_key)
    shard = tmp_path / "keys" / "U"
    assert not shard.exists(), "empty shard dirs are removed"
    with pytest.raises(KeyStoreError, match="no seed for"):
        store.read(user.public_key)


def test_seed_with_trailing_newline_is_read(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    pair = keys.generate("user")
    path = store.key_path(pair.public_key)
    path.parent.mkdir(parents=True)
    path.write_text(f"{pair.seed}\n")
    assert store.read(pair.public_key) == pair


def test_creds_files(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    path = store.write_creds("O", "A", "u", "text")
    assert path == tmp_path / "creds" / "O" / "A" / "u.creds"
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert store.read_creds("O", "A", "u") == "text"
    assert store.read_creds("O", "A", "nobody") is None
    assert store.remove_creds("O", "A", "u")
    with pytest.raises(KeyStoreError, match="invalid user name"):
        store.creds_path("O", "A", "a/b")


def test_writes_are_atomic_no_temp_files_left(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    for _ in range(5):
        store.store(keys.generate("user"))
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_concurrent_processes_do_not_lose_keys(tmp_path: Path) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        stored = pool.map(_store_one, [str(tmp_path)] * 40)
    assert sorted(stored) == KeyStore(tmp_path).list()
    assert len(set(stored)) == 40


def _store_one(root: str) -> str:
    pair = keys.generate("user")
    KeyStore(root).store(pair)
    os.sync()
    return pair.public_key
