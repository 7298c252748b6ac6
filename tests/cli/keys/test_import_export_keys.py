"""``pynsc import keys``, ``pynsc export keys`` and ``pynsc keys migrate``."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pynsc import keys
from pynsc.keys import KeyStore, format_creds
from tests.cli.harness import tree_digest
from tests.cli.user.conftest import Env

# import keys -------------------------------------------------------------------------------------


def _write_seeds(directory: Path, *pairs: keys.KeyPair) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for pair in pairs:
        (directory / f"{pair.public_key}.nk").write_text(pair.seed or "")


def test_import_keys(env: Env, tmp_path: Path) -> None:
    a, u = keys.generate("account"), keys.generate("user")
    _write_seeds(tmp_path / "in", a, u)
    (tmp_path / "in" / "notes.txt").write_text("ignored")
    result = env.ok("import", "keys", "-d", str(tmp_path / "in"))
    assert env.keystore.get(a.public_key) == a
    assert env.keystore.get(u.public_key) == u
    assert f"[ OK ] {a.public_key} was added to the keystore" in result.stderr
    assert "all jobs succeeded" in result.stderr


def test_import_keys_says_which_were_already_stored(env: Env, tmp_path: Path) -> None:
    """Issue 10 item 14: a key already in the keystore is not reported as added."""
    u = keys.generate("user")
    _write_seeds(tmp_path / "in", u)
    env.ok("import", "keys", "-d", str(tmp_path / "in"))
    result = env.ok("import", "keys", "-d", str(tmp_path / "in"))
    assert f"[ OK ] {u.public_key} is already in the keystore" in result.stderr
    assert "was added" not in result.stderr


def test_import_keys_recurse(env: Env, tmp_path: Path) -> None:
    top, deep = keys.generate("user"), keys.generate("user")
    _write_seeds(tmp_path / "in", top)
    _write_seeds(tmp_path / "in" / "sub", deep)
    env.ok("import", "keys", "--dir", str(tmp_path / "in"))
    assert env.keystore.get(deep.public_key) is None
    env.ok("import", "keys", "--dir", str(tmp_path / "in"), "--recurse")
    assert env.keystore.get(deep.public_key) == deep


def test_import_keys_all_or_nothing(env: Env, tmp_path: Path) -> None:
    good = keys.generate("user")
    _write_seeds(tmp_path / "in", good)
    (tmp_path / "in" / "bad.nk").write_text(keys.generate("user").public_key)
    assert "holds no seed" in env.fails("import", "keys", "-d", str(tmp_path / "in"))
    assert env.keystore.get(good.public_key) is None


def test_import_keys_errors(env: Env, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert env.fails("import", "keys", "-d", str(tmp_path / "empty")) == (
        "no nkey (.nk) files found"
    )
    assert "does not exist" in env.fails("import", "keys", "-d", str(tmp_path / "none"))
    (tmp_path / "file").write_text("x")
    assert "is not a directory" in env.fails("import", "keys", "-d", str(tmp_path / "file"))
    env.fails("import", "keys", exit_code=2)


def test_import_keys_json(env: Env, tmp_path: Path) -> None:
    u = keys.generate("user")
    _write_seeds(tmp_path / "in", u)
    assert env.json("import", "keys", "-d", str(tmp_path / "in"))["data"] == [
        {"public_key": u.public_key}
    ]


# export keys -------------------------------------------------------------------------------------


@pytest.fixture
def exported(env: Env, tmp_path: Path) -> Path:
    env.add_user("A", "U")
    return tmp_path / "out"


def test_export_default(env: Env, exported: Path) -> None:
    result = env.ok("export", "keys", "-d", str(exported))
    user = env.user("A", "U").sub
    names = sorted(p.name for p in exported.iterdir())
    expected = sorted(f"{k}.nk" for k in (env.operator.public_key,
                                           env.accounts["A"].public_key, user))  # fmt: skip
    assert names == expected
    for path in exported.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert keys.from_seed(path.read_text()).public_key == path.stem
    assert f'[ OK ] exported "{user}"' in result.stderr


def test_export_kinds_and_filter(env: Env, exported: Path) -> None:
    env.ok("export", "keys", "-d", str(exported), "-u")
    assert [p.stem for p in exported.iterdir()] == [env.user("A", "U").sub]
    other = exported.parent / "op"
    env.ok("export", "keys", "-d", str(other), "-A", "-f", env.operator.public_key[3:9])
    assert [p.stem for p in other.iterdir()] == [env.operator.public_key]


def test_export_include_jwts(env: Env, exported: Path) -> None:
    env.ok("export", "keys", "-d", str(exported), "--include-jwts", "-a")
    account = env.accounts["A"].public_key
    assert (exported / f"{account}.jwt").read_text() == env.store.account_token("A")


def test_export_refuses_overwrite_then_force(env: Env, exported: Path) -> None:
    env.ok("export", "keys", "-d", str(exported))
    user = env.user("A", "U").sub
    (exported / f"{user}.nk").write_text("changed")
    before = tree_digest(exported)
    message = env.fails("export", "keys", "-d", str(exported))
    assert "already exists - specify --force to overwrite" in message
    assert tree_digest(exported) == before
    env.ok("export", "keys", "-d", str(exported), "--force")
    assert (exported / f"{user}.nk").read_text().startswith("SU")


def test_export_remove(env: Env, exported: Path) -> None:
    user = env.user("A", "U").sub
    result = env.ok("export", "keys", "-d", str(exported), "-u", "--remove", "--include-jwts")
    assert env.keystore.get(user) is None
    assert (exported / f"{user}.nk").exists()
    assert (exported / f"{user}.jwt").exists()
    assert f'[ OK ] moved "{user}"' in result.stderr


def test_export_skips_unstored(env: Env, exported: Path) -> None:
    sk = env.add_signing_key("A", store_key=False)
    result = env.ok("export", "keys", "-d", str(exported), "-a")
    assert f'[WARN] skipped "{sk.public_key}" - no seed available' in result.stderr


def test_export_nothing(env: Env, exported: Path) -> None:
    assert env.fails("export", "keys", "-d", str(exported), "-f", "NOTHING") == (
        "no keys found to export"
    )
    assert not exported.exists()
    env.fails("export", "keys", exit_code=2)


def test_export_json(env: Env, exported: Path) -> None:
    data = env.json("export", "keys", "-d", str(exported), "-o")["data"]
    assert data == [{"description": env.operator.public_key,
                     "path": str(exported / f"{env.operator.public_key}.nk")}]  # fmt: skip


def test_export_then_import_round_trip(env: Env, exported: Path, tmp_path: Path) -> None:
    env.ok("export", "keys", "-d", str(exported), "-A")
    fresh = tmp_path / "fresh"
    env.ok("--keystore-dir", str(fresh), "import", "keys", "-d", str(exported))
    assert sorted(KeyStore(fresh).list()) == sorted(p.stem for p in exported.iterdir())


# keys migrate ------------------------------------------------------------------------------------


def _old_keystore(root: Path) -> tuple[keys.KeyPair, keys.KeyPair, str]:
    op, user = keys.generate("operator"), keys.generate("user")
    (root / "O" / "accounts" / "A" / "users").mkdir(parents=True)
    (root / "O" / "O.nk").write_text(op.seed or "")
    (root / "O" / "accounts" / "A" / "users" / "U.nk").write_text(user.seed or "")
    creds = format_creds("e30.e30.sig", user.seed or "")
    (root / "O" / "accounts" / "A" / "users" / "U.creds").write_text(creds)
    return op, user, creds


def test_migrate(env: Env, tmp_path: Path) -> None:
    root = tmp_path / "old"
    op, user, creds = _old_keystore(root)
    result = env.ok("--keystore-dir", str(root), "keys", "migrate")
    assert "was migrated - old store was renamed to" in result.stderr
    store = KeyStore(root)
    assert store.get(op.public_key) == op
    assert store.get(user.public_key) == user
    assert store.read_creds("O", "A", "U") == creds
    assert (root / ".gitignore").exists()
    olds = [p for p in tmp_path.iterdir() if p.name.startswith("old_")]
    assert len(olds) == 1
    assert (olds[0] / "O" / "O.nk").exists()
    result = env.ok("--keystore-dir", str(root), "keys", "migrate")
    assert "does not need migration" in result.stderr


def test_migrate_not_needed(env: Env) -> None:
    result = env.ok("keys", "migrate")
    assert "does not need migration" in result.stderr
    assert env.json("keys", "migrate")["data"]["migrated"] is False


def test_migrate_bad_seed_changes_nothing(env: Env, tmp_path: Path) -> None:
    root = tmp_path / "old"
    _old_keystore(root)
    (root / "O" / "bad.nk").write_text("garbage")
    before = tree_digest(tmp_path)
    result = env.run("--keystore-dir", str(root), "keys", "migrate")
    assert result.exit_code == 1
    assert "error processing" in result.stderr
    assert tree_digest(tmp_path) == before
    assert sorted(os.listdir(tmp_path)) == ["home", "nsc", "old"]
