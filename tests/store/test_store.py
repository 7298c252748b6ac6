"""The store layer: nsc's layout, context resolution, signer selection, shared operations."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.errors import ExistsError, InvalidKeyError, KeyStoreError, NotFoundError, StoreError
from pynsc.keys import KeyKind, KeyStore
from pynsc.paths import Paths
from pynsc.store import Store, ToolConfig, check_name, list_operators, ops, resolve_context
from pynsc.store.signers import load_key, select_signer
from tests.actions.builders import save_user


def _paths(tmp_path: Path) -> Paths:
    return Paths.resolve(all_dirs=tmp_path / "nsc", env={})


@pytest.fixture
def world(tmp_path: Path) -> tuple[Store, KeyStore, keys.KeyPair, keys.KeyPair]:
    """Operator O (key stored) with account A (key stored), written through ops."""
    paths = _paths(tmp_path)
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    op = keys.generate("operator")
    keystore.store(op)
    ops.save_operator(store, c.OperatorClaims(sub=op.public_key, name="O"), op)
    account = keys.generate("account")
    keystore.store(account)
    signer = ops.operator_signer(store, keystore, store.operator())
    ops.save_account(store, "A", c.AccountClaims(sub=account.public_key, name="A"), signer)
    return store, keystore, op, account


def test_layout_matches_nsc(world: tuple[Store, KeyStore, keys.KeyPair, keys.KeyPair]) -> None:
    store, _, op, account = world
    base = store.dir
    assert json.loads((base / ".nsc").read_text()) == {
        "managed": False,
        "name": "O",
        "kind": "operator",
        "version": "1",
    }
    assert (
        base / ".nsc"
    ).read_text() == '{"managed":false,"name":"O","kind":"operator","version":"1"}'
    assert c.decode((base / "O.jwt").read_text(), c.OperatorClaims).sub == op.public_key
    token = (base / "accounts" / "A" / "A.jwt").read_text()
    assert not token.endswith("\n")
    assert c.decode(token, c.AccountClaims).sub == account.public_key
    assert stat.S_IMODE((base / "accounts" / "A" / "A.jwt").stat().st_mode) == 0o600
    assert stat.S_IMODE((base / "accounts" / "A").stat().st_mode) == 0o700
    assert list_operators(store.root) == ["O"]


def test_accounts_and_users(world: tuple[Store, KeyStore, keys.KeyPair, keys.KeyPair]) -> None:
    store, keystore, _, account = world
    assert store.account_names() == ["A"]
    assert store.find_account("A") == "A"
    assert store.find_account(account.public_key) == "A"
    assert store.account_named("a") == "A"
    with pytest.raises(NotFoundError, match='"B" not in accounts for operator "O"'):
        store.find_account("B")
    user = keys.generate("user")
    keystore.store(user)
    acc = store.account("A")
    signer = ops.account_signer(keystore, acc)
    token = save_user(store, keystore, "A", acc, c.UserClaims(sub=user.public_key, name="u"),
                      signer)  # fmt: skip
    creds = keystore.creds_path("O", "A", "u")
    assert store.user_names("A") == ["u"]
    assert store.find_user("A", user.public_key) == "u"
    assert creds == keystore.root / "creds" / "O" / "A" / "u.creds"
    decoded, pair = c.decode_creds(creds.read_text())
    assert decoded.sub == pair.public_key == user.public_key
    assert decoded.nats.issuer_account == ""
    store.delete_user("A", "u")
    with pytest.raises(NotFoundError, match='user "u" not found'):
        store.delete_user("A", "u")
    assert token


def test_create_twice_and_names(tmp_path: Path) -> None:
    store = Store.create(tmp_path, "O")
    Store.create(tmp_path, "O")  # not an operator until its JWT is written
    op = keys.generate("operator")
    ops.save_operator(store, c.OperatorClaims(sub=op.public_key, name="O"), op)
    with pytest.raises(ExistsError, match='operator named "O" exists already'):
        Store.create(tmp_path, "O")
    with pytest.raises(StoreError, match="name cannot contain"):
        check_name("a/b", "account")
    with pytest.raises(StoreError, match="account name is required"):
        check_name("  ", "account")


def test_signer_selection(
    world: tuple[Store, KeyStore, keys.KeyPair, keys.KeyPair], tmp_path: Path
) -> None:
    store, keystore, op, _ = world
    operator = store.operator()
    assert ops.operator_signer(store, keystore, operator).public_key == op.public_key
    other = keys.generate("operator")
    with pytest.raises(InvalidKeyError, match="invalid account signer"):
        ops.operator_signer(store, keystore, operator, private_key=other.seed)
    keystore.remove(op.public_key)
    with pytest.raises(KeyStoreError, match="unable to resolve any of the following signing keys"):
        ops.operator_signer(store, keystore, operator)
    seed_file = tmp_path / "op.nk"
    seed_file.write_text(f"{op.seed}\n")
    assert (
        ops.operator_signer(store, keystore, operator, private_key=str(seed_file)).public_key
        == op.public_key
    )
    assert load_key(op.public_key, keystore).seed is None
    with pytest.raises(InvalidKeyError, match="neither a key nor a readable file"):
        load_key(str(tmp_path / "missing"))
    with pytest.raises(InvalidKeyError, match="an account key is needed"):
        select_signer(keystore, private_key=op.seed, candidates=[], kinds=(KeyKind.ACCOUNT,))


def test_strict_operator_skips_identity(
    world: tuple[Store, KeyStore, keys.KeyPair, keys.KeyPair],
) -> None:
    store, keystore, op, _ = world
    sk = keys.generate("operator")
    keystore.store(sk)
    operator = store.operator()
    operator.nats.signing_keys = [sk.public_key]
    operator.nats.strict_signing_key_usage = True
    ops.save_operator(store, operator, op)
    assert ops.operator_signer(store, keystore, store.operator()).public_key == sk.public_key


def test_context_defaults_and_overrides(
    world: tuple[Store, KeyStore, keys.KeyPair, keys.KeyPair], tmp_path: Path
) -> None:
    store, _, _, account = world
    paths = _paths(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ctx = resolve_context(paths, cwd=elsewhere, env={})
    assert (ctx.store_root, ctx.operator, ctx.account) == (store.root, "O", "A")
    assert ctx.require_account() == "A"
    assert ctx.require_account(account.public_key) == "A"
    overridden = resolve_context(paths, cwd=elsewhere, env={}, account=account.public_key)
    assert overridden.account == "A"
    assert not paths.config_file.exists(), "overrides and defaults never write nsc.json"
    with pytest.raises(NotFoundError, match='operator "X" not in'):
        resolve_context(paths, cwd=elsewhere, env={}, operator="X")
    ctx.save(operator="O", account="A")
    saved = json.loads(paths.config_file.read_text())
    assert list(saved) == ["store_root", "operator", "account", "github_updates", "last_update"]
    assert saved["account"] == "A"
    # issue 10 item 5: as Go nsc writes a new nsc.json, the update check is recorded as done
    # now (0 would make Go nsc look for a release when it runs on this config)
    assert abs(saved["last_update"] - time.time()) < 60
    ctx.save(account="A")
    assert json.loads(paths.config_file.read_text())["last_update"] == saved["last_update"]


def test_context_from_cwd(
    world: tuple[Store, KeyStore, keys.KeyPair, keys.KeyPair], tmp_path: Path
) -> None:
    store, _, _, _ = world
    paths = Paths.resolve(config_dir=tmp_path / "cfg", env={})
    inside = store.dir / "accounts" / "A"
    ctx = resolve_context(paths, cwd=inside, env={"NSC_CWD_ONLY": ""})
    assert (ctx.store_root, ctx.operator, ctx.account, ctx.cwd_only) == (store.root, "O", "A", True)
    ctx.save(operator="O")
    assert not paths.config_file.exists(), "NSC_CWD_ONLY never writes nsc.json"
    assert resolve_context(paths, cwd=store.root, env={}).operator == "O"


def test_no_store_messages(tmp_path: Path) -> None:
    ctx = resolve_context(_paths(tmp_path), cwd=tmp_path, env={})
    with pytest.raises(StoreError, match="no stores available"):
        ctx.store()
    (tmp_path / "nsc" / "stores").mkdir(parents=True)
    Store.create(tmp_path / "nsc" / "stores", "A1")
    Store.create(tmp_path / "nsc" / "stores", "A2")
    ctx = resolve_context(_paths(tmp_path), cwd=tmp_path, env={})
    with pytest.raises(StoreError, match="set an operator"):
        ctx.store()


def test_config_update_is_locked_and_atomic(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "nsc.json"
    ToolConfig.update(path, operator="O")
    ToolConfig.update(path, account="A")
    config = ToolConfig.load(path)
    assert (config.operator, config.account) == ("O", "A")
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
