"""The context rules at the library level: selecting operators and accounts, changing the
environment, what is saved in nsc.json and when nothing is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pynsc import claims, keys
from pynsc.actions import Nsc
from pynsc.actions.context import VARIABLES, environment, select_account, select_operator
from pynsc.errors import NotFoundError, StoreError
from pynsc.store.ops import save_account, save_operator

from .builders import Deployment, deployment


def _add_operator(nsc: Nsc, name: str, *accounts: str) -> None:
    """Operator ``name`` with ``accounts``, built with the low-level layers."""
    operator = keys.generate("operator")
    store = nsc.create_store(name)
    save_operator(store, claims.OperatorClaims(sub=operator.public_key, name=name), operator)
    for account in accounts:
        key = keys.generate("account")
        save_account(store, account, claims.AccountClaims(sub=key.public_key, name=account),
                     operator)  # fmt: skip


def _saved(root: Path) -> tuple[str, str, str]:
    raw = json.loads((root / "config" / "nsc.json").read_text())
    return raw["store_root"], raw["operator"], raw["account"]


@pytest.fixture
def on_disk(tmp_path: Path) -> Deployment:
    """``O`` (accounts ``A``, ``SYS``), ``P`` (``A``, ``B``) and ``Q`` (``C``), on disk."""
    d = deployment(tmp_path)
    _add_operator(d.nsc, "P", "A", "B")
    _add_operator(d.nsc, "Q", "C")
    return d


def _reopened(tmp_path: Path) -> Nsc:
    return Nsc.open(
        config_dir=tmp_path / "config", data_dir=tmp_path / "stores", keystore_dir=tmp_path / "keys"
    )


# select --------------------------------------------------------------------------------------


def test_select_account_by_name_or_key_is_saved(on_disk: Deployment, tmp_path: Path) -> None:
    nsc = on_disk.nsc
    selected = select_account(nsc, "SYS")
    assert (selected.operator, selected.account) == ("O", "SYS")
    assert [c.text for c in selected.report.children] == ['current account set to "SYS"']
    assert selected.report.data == {"operator": "O", "account": "SYS"}
    assert _saved(tmp_path)[1:] == ("O", "SYS")
    select_account(nsc, on_disk.account.public_key)
    assert _reopened(tmp_path).account == "A"


def test_select_unknown_account_changes_nothing(on_disk: Deployment, tmp_path: Path) -> None:
    select_account(on_disk.nsc, "A")
    with pytest.raises(NotFoundError, match='"NO" not in accounts for operator "O"'):
        select_account(on_disk.nsc, "NO")
    with pytest.raises(NotFoundError):
        select_account(on_disk.nsc, "")
    assert on_disk.nsc.account == "A"
    assert _saved(tmp_path)[1:] == ("O", "A")


def test_selecting_the_current_operator_again_keeps_the_account(
    on_disk: Deployment, tmp_path: Path
) -> None:
    # issue 10, item 7: select account A1; select operator P; add user u1
    select_account(on_disk.nsc, "SYS")
    selected = select_operator(on_disk.nsc, "O")
    assert (selected.operator, selected.account) == ("O", "SYS")
    assert [c.text for c in selected.report.children] == ['current operator set to "O"']
    assert _reopened(tmp_path).account == "SYS"


def test_selecting_another_operator_keeps_an_account_it_has(on_disk: Deployment) -> None:
    nsc = on_disk.nsc
    select_account(nsc, "A")
    assert select_operator(nsc, "P").account == "A"  # P has an "A" too: kept, as nsc does
    assert select_operator(nsc, "Q").account == "C"  # no "A": Q's only account
    select_account(nsc, "C")
    assert select_operator(nsc, "P").account == ""  # no "C", and P has two accounts


def test_select_unknown_operator(on_disk: Deployment, tmp_path: Path) -> None:
    select_account(on_disk.nsc, "SYS")
    before = _saved(tmp_path)
    with pytest.raises(NotFoundError, match='operator "X" not in') as caught:
        select_operator(on_disk.nsc, "X")
    assert caught.value.hint == "list them with 'pynsc list operators'"
    assert _saved(tmp_path) == before


def test_select_is_refused_with_cwd_only(
    on_disk: Deployment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NSC_CWD_ONLY", "1")
    nsc = _reopened(tmp_path)
    for select in (lambda: select_operator(nsc, "O"), lambda: select_account(nsc, "A")):
        with pytest.raises(StoreError, match=r"^\$NSC_CWD_ONLY is set - change your cwd"):
            select()
    with pytest.raises(StoreError, match="NSC_CWD_ONLY"):
        environment(nsc, operator="O")
    assert select_operator(nsc, "P", save=False).operator == "P"  # only this object's


def test_select_in_memory() -> None:
    d = deployment()
    _add_operator(d.nsc, "P", "B")
    assert (select_operator(d.nsc, "P").account) == "B"
    assert select_account(d.nsc, "B").operator == "P"


# environment ---------------------------------------------------------------------------------


def test_environment_shows_where_things_are(on_disk: Deployment, tmp_path: Path) -> None:
    env = environment(on_disk.nsc)
    assert env.report.children == []
    assert env.store_root == tmp_path / "stores"
    assert env.keystore_dir == tmp_path / "keys"
    assert env.config_file == tmp_path / "config" / "nsc.json"
    assert (env.operator, env.account) == ("O", "A")
    assert set(env.variables) == set(VARIABLES)
    assert not any(env.variables.values())
    assert env.report.data == env.to_json()
    assert list(env.to_json()) == [
        "variables", "config_dir", "config_file", "keystore_dir", "default_stores_dir",
        "store_root", "from_cwd", "operator", "account", "nats_ca",
    ]  # fmt: skip


def test_environment_sets_operator_and_account(on_disk: Deployment, tmp_path: Path) -> None:
    env = environment(on_disk.nsc, operator="Q")
    assert [c.text for c in env.report.children] == ["environment updated"]
    assert (env.operator, env.account) == ("Q", "C")
    assert _saved(tmp_path)[1:] == ("Q", "C")
    env = environment(on_disk.nsc, operator=" P ", account="B")
    assert _saved(tmp_path)[1:] == ("P", "B")


def test_environment_checks_everything_before_saving(on_disk: Deployment, tmp_path: Path) -> None:
    select_account(on_disk.nsc, "SYS")
    before = _saved(tmp_path)
    with pytest.raises(NotFoundError, match='"NOPE" not in accounts for operator "P"'):
        environment(on_disk.nsc, operator="P", account="NOPE")
    with pytest.raises(NotFoundError, match='operator "X" not in'):
        environment(on_disk.nsc, operator="X", account="A")
    assert _saved(tmp_path) == before
    assert (on_disk.nsc.operator, on_disk.nsc.account) == ("O", "SYS")


def test_environment_same_store_keeps_the_context(on_disk: Deployment, tmp_path: Path) -> None:
    # issue 10, item 7: env -s <the same dir>
    select_account(on_disk.nsc, "SYS")
    env = environment(on_disk.nsc, store=tmp_path / "stores")
    assert env.nsc is on_disk.nsc
    assert (env.operator, env.account) == ("O", "SYS")
    assert _saved(tmp_path)[1:] == ("O", "SYS")


def test_environment_new_store(on_disk: Deployment, tmp_path: Path) -> None:
    other = tmp_path / "other"
    one = Nsc.open(config_dir=tmp_path / "c2", data_dir=other, keystore_dir=tmp_path / "keys")
    _add_operator(one, "Z", "Z1")
    env = environment(on_disk.nsc, store=str(other))
    assert env.nsc is not on_disk.nsc
    assert (env.store_root, env.operator, env.account) == (other, "Z", "Z1")  # its only ones
    assert _saved(tmp_path) == (str(other), "Z", "Z1")
    empty = tmp_path / "empty"
    empty.mkdir()
    env = environment(env.nsc, store=empty)
    assert _saved(tmp_path) == (str(empty), "", "")
    with pytest.raises(NotFoundError, match=r"store directory `.*missing` does not exist"):
        environment(env.nsc, store=tmp_path / "missing")


def test_environment_needs_files() -> None:
    with pytest.raises(StoreError, match="in-memory"):
        environment(deployment().nsc)
