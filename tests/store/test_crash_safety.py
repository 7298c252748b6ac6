"""What the store and keystore guarantee a killed writer (issue 9, defect 1): an entity counts
once its JWT is written, leftovers are cleared by the next writer, and the fault-injection hook
of ``pynsc._fs`` that the crash suite uses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pynsc import _fs, keys
from pynsc import claims as c
from pynsc.errors import ExistsError, NotFoundError
from pynsc.keys import KeyStore
from pynsc.store import Store, list_operators, ops


def _operator(store: Store) -> keys.KeyPair:
    key = keys.generate("operator")
    ops.save_operator(store, c.OperatorClaims(sub=key.public_key, name=store.name), key)
    return key


def _account_token(signer: keys.KeyPair, name: str = "A") -> str:
    return c.encode(c.AccountClaims(sub=keys.generate("account").public_key, name=name), signer)


# Operators -----------------------------------------------------------------------------------


def test_an_operator_exists_once_its_jwt_and_nsc_are_written(tmp_path: Path) -> None:
    store = Store.create(tmp_path, "O")
    assert list_operators(tmp_path) == []
    with pytest.raises(NotFoundError):
        Store.open(tmp_path, "O")
    assert not (store.dir / ".nsc").exists()  # written last
    _operator(store)
    assert list_operators(tmp_path) == ["O"]
    assert Store.open(tmp_path, "O").info() is not None
    assert sorted(p.name for p in store.dir.iterdir()) == [
        ".nsc", ".pynsc-tmp", ".pynsc.lock", "O.jwt"
    ]


def test_create_clears_what_a_killed_create_left(tmp_path: Path) -> None:
    store = Store.create(tmp_path, "O")
    key = keys.generate("operator")
    with store.lock():
        store.write_account("SYS", _account_token(key, "SYS"))  # then killed
    again = Store.create(tmp_path, "O")
    assert not (again.dir / "accounts").exists()
    _operator(again)
    assert again.account_names() == []


def test_create_keeps_a_directory_pynsc_did_not_make(tmp_path: Path) -> None:
    mine = tmp_path / "O"
    (mine / "accounts" / "X").mkdir(parents=True)
    (mine / "notes.txt").write_text("keep me")
    store = Store.create(tmp_path, "O")
    _operator(store)
    assert (mine / "notes.txt").read_text() == "keep me"
    assert (mine / "accounts" / "X").is_dir()


def test_a_create_another_process_finished_first_is_refused(tmp_path: Path) -> None:
    first, second = Store.create(tmp_path, "O"), Store.create(tmp_path, "O")
    _operator(first)
    with pytest.raises(ExistsError, match='operator named "O" exists already'), second.lock():
        pass


# Temporary files -----------------------------------------------------------------------------


def test_the_next_lock_holder_clears_a_killed_writers_temporary_files(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "stores", "O")
    _operator(store)
    keystore = KeyStore(tmp_path / "keys")
    for tmp_dir in (store.tmp_dir, keystore.tmp_dir):
        tmp_dir.mkdir(parents=True, exist_ok=True)
        (tmp_dir / ".A.jwt.x1y2.tmp").write_text("half a jwt")
    with store.lock():
        assert not list(store.tmp_dir.iterdir())
    keystore.store(keys.generate("user"))
    assert not list(keystore.tmp_dir.iterdir())


def test_locked_writes_leave_no_temporary_file(tmp_path: Path) -> None:
    store = Store.create(tmp_path, "O")
    signer = _operator(store)
    with store.lock():
        store.write_account("A", _account_token(signer))
    assert not list(store.tmp_dir.iterdir())
    store.write_account("B", _account_token(signer, "B"))  # unlocked: beside the target
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


# Accounts and users --------------------------------------------------------------------------


def test_prepare_account_clears_a_directory_without_its_jwt(tmp_path: Path) -> None:
    store = Store.create(tmp_path, "O")
    signer = _operator(store)
    users = store.dir / "accounts" / "A" / "users"
    users.mkdir(parents=True)
    (users / "ghost.jwt").write_text("x")
    assert store.account_names() == []
    with store.lock():
        store.prepare_account("A")
        store.write_account("A", _account_token(signer))
    assert store.user_names("A") == []
    with store.lock():
        store.prepare_account("A")  # a stored account is left alone
    assert store.has_account("A")


def test_a_deletion_sets_the_jwt_aside_until_it_is_finished(tmp_path: Path) -> None:
    store = Store.create(tmp_path, "O")
    signer = _operator(store)
    token = _account_token(signer)
    store.write_account("A", token)
    store.write_user("A", "u", "user-jwt")
    with store.lock():
        assert store.mark_account_deleted("A") == token
        assert not store.has_account("A")
        assert store.account_names() == []
        assert store.deleted_account("A") == token
        store.purge_account("A")
    assert store.deleted_account("A") is None
    assert not (store.dir / "accounts" / "A").exists()
    assert store.deleted_account("../../x") is None


def test_a_user_deletion_sets_the_jwt_aside(tmp_path: Path) -> None:
    store = Store.create(tmp_path, "O")
    signer = _operator(store)
    store.write_account("A", _account_token(signer))
    store.write_user("A", "u", "user-jwt")
    assert store.mark_user_deleted("A", "u") == "user-jwt"
    assert store.user_names("A") == []
    assert store.deleted_user("A", "u") == "user-jwt"
    store.purge_user("A", "u")
    assert store.deleted_user("A", "u") is None


def test_an_unfinished_rename_is_recognised(tmp_path: Path) -> None:
    store = Store.create(tmp_path, "O")
    signer = _operator(store)
    store.write_account("A", _account_token(signer))
    store.rename_account("A", "B", finish=False)
    assert store.account_names() == ["B"]
    assert store.unfinished_rename("A", "B")
    assert not store.unfinished_rename("B", "A")
    store.finish_rename("A", "B")
    assert not store.unfinished_rename("A", "B")
    assert sorted(p.name for p in (store.dir / "accounts" / "B").iterdir()) == ["B.jwt"]


def test_rename_reuses_a_directory_a_killed_command_left(tmp_path: Path) -> None:
    store = Store.create(tmp_path, "O")
    signer = _operator(store)
    store.write_account("A", _account_token(signer))
    (store.dir / "accounts" / "B" / "users").mkdir(parents=True)
    store.rename_account("A", "B")
    assert store.account_names() == ["B"]


# The fault-injection hook --------------------------------------------------------------------

_WRITER = """
import sys
from pathlib import Path
from pynsc._fs import atomic_write
for name in ("one", "two", "three"):
    atomic_write(Path(sys.argv[1]) / name, name)
"""


def _write_three(where: Path, **env: str) -> subprocess.CompletedProcess[str]:
    where.mkdir()
    return subprocess.run(
        [sys.executable, "-c", _WRITER, str(where)],
        env={**os.environ, **env}, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


def test_fault_hook_kills_after_the_nth_step(tmp_path: Path) -> None:
    # each atomic write is two steps: the temporary file written, then renamed
    done = _write_three(tmp_path / "w", PYNSC_FAULT_KILL_AFTER_WRITES="4")
    assert done.returncode == -signal.SIGKILL
    assert sorted(p.name for p in (tmp_path / "w").iterdir()) == ["one", "two"]


def test_fault_hook_with_a_delay(tmp_path: Path) -> None:
    done = _write_three(
        tmp_path / "w", PYNSC_FAULT_KILL_AFTER_WRITES="1", PYNSC_FAULT_KILL_DELAY="30"
    )
    assert done.returncode == 0  # ended before the delay
    assert sorted(p.name for p in (tmp_path / "w").iterdir()) == ["one", "three", "two"]


def test_fault_hook_is_off_unless_asked() -> None:
    assert _fs._fault is None or os.environ.get(_fs.FAULT_KILL_AFTER_WRITES)
    assert _fs.fault_steps() == (0, 0.0)
    _fs.arm_fault(10**9)
    try:
        _fs.remove_file(Path("/nonexistent/file"))
        assert _fs.fault_steps()[0] == 0  # nothing removed: no step
    finally:
        _fs.arm_fault(None)


def test_atomic_write_makes_its_temporary_file_as_mkstemp_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 0600 ``.<name>.<random>.tmp`` beside the target (or in ``tmp_dir``), a taken name
    skipped, the mode asked for whatever the umask, and nothing left behind."""
    where = tmp_path / "w"
    where.mkdir()
    taken = where / ".f.jwt.0000000000.tmp"
    taken.write_text("another writer's")
    names = iter([bytes(5), bytes.fromhex("0102030405")])
    monkeypatch.setattr(_fs.os, "urandom", lambda n: next(names))
    old = os.umask(0o077)
    try:
        _fs.atomic_write(where / "f.jwt", "new", mode=0o644)
    finally:
        os.umask(old)
    assert (where / "f.jwt").read_text() == "new"
    assert (where / "f.jwt").stat().st_mode & 0o777 == 0o644
    assert taken.read_text() == "another writer's"
    assert sorted(p.name for p in where.iterdir()) == [".f.jwt.0000000000.tmp", "f.jwt"]


def test_a_failed_write_removes_its_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(fd: int) -> None:
        raise OSError(5, "I/O error")

    where = tmp_path / "w"
    where.mkdir()
    monkeypatch.setattr(_fs.os, "fsync", fail)
    with pytest.raises(OSError, match="I/O error"):
        _fs.atomic_write(where / "f.jwt", b"x" * 100_000)
    assert list(where.iterdir()) == []


def test_writing_loads_no_tempfile() -> None:
    """``tempfile`` (and the shutil, random, bz2, lzma it imports) costs more than a write."""
    code = "import sys, pynsc._fs, pynsc.store; print('tempfile' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
