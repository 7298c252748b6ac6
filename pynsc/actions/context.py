"""The context: which store root, operator and account are current, shown and changed.

The rules, all here and nowhere else:

* a selection is saved in ``nsc.json``, and refused while ``$NSC_CWD_ONLY`` is set (the context
  then comes from the current directory only);
* selecting an operator keeps the current account when that operator has an account of that
  name (so selecting the current operator again changes nothing), else makes its only account
  current, else none (as nsc does);
* an account is selected by name or public key, among the current operator's;
* a new store root must be an existing directory; its only operator becomes current. Setting
  the current store root again keeps the current operator and account;
* every value is checked before anything is saved: a bad account leaves a good operator unsaved.

:func:`environment` also tells where pynsc keeps its configuration, stores and keys, and which
environment variables are set; the table is the CLI's (:mod:`pynsc.cli.env`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pynsc.actions.session import Nsc
from pynsc.errors import NotFoundError, StoreError
from pynsc.store.context import _from_cwd
from pynsc.store.report import Report
from pynsc.text import display_path

__all__ = ["VARIABLES", "Environment", "Selection", "environment", "select_account",
           "select_operator"]  # fmt: skip

VARIABLES = ("NSC_CWD_ONLY", "NSC_NO_GIT_IGNORE", "NKEYS_PATH", "NSC_HOME", "NATS_CA",
             "NATS_KEY", "NATS_CERT")  # fmt: skip
"""The environment variables pynsc reads, as ``pynsc env`` lists them."""

CWD_ONLY = "$NSC_CWD_ONLY is set - change your cwd to change context"


@dataclass(slots=True)
class Selection:
    """What :func:`select_operator`/:func:`select_account` made current."""

    report: Report
    operator: str
    account: str


def _check_can_save(nsc: Nsc) -> None:
    if not nsc.in_memory and nsc.context.cwd_only:
        raise StoreError(CWD_ONLY)


def _selection(nsc: Nsc, what: str) -> Selection:
    report = Report(data={"operator": nsc.operator, "account": nsc.account})
    report.ok(f'current {what} set to "{nsc.operator if what == "operator" else nsc.account}"')
    return Selection(report, nsc.operator, nsc.account)


def select_operator(nsc: Nsc, name: str, *, save: bool = True) -> Selection:
    """Make operator ``name`` current (see the module docstring for the account); ``save``
    writes ``nsc.json``."""
    if save:
        _check_can_save(nsc)
    nsc.select(operator=name.strip(), save=save)
    return _selection(nsc, "operator")


def select_account(nsc: Nsc, name_or_key: str, *, save: bool = True) -> Selection:
    """Make the account named (or keyed) ``name_or_key`` of the current operator current;
    ``save`` writes ``nsc.json``."""
    if save:
        _check_can_save(nsc)
    nsc.select(account=nsc.store().find_account(name_or_key), save=save)
    return _selection(nsc, "account")


@dataclass(slots=True)
class Environment:
    """Where pynsc keeps things and what is current, after :func:`environment` changed it.

    ``nsc`` is the :class:`Nsc` the values are of: the one given, or a new one when the store
    root changed. ``variables`` tells which of :data:`VARIABLES` are set. The report's data is
    :meth:`to_json`.
    """

    report: Report
    nsc: Nsc
    config_dir: Path
    config_file: Path
    keystore_dir: Path
    default_stores_dir: Path
    store_root: Path
    from_cwd: bool
    operator: str
    account: str
    variables: dict[str, bool]
    nats_ca: str

    def to_json(self) -> dict[str, Any]:
        return {
            "variables": dict(self.variables),
            "config_dir": str(self.config_dir),
            "config_file": str(self.config_file),
            "keystore_dir": str(self.keystore_dir),
            "default_stores_dir": str(self.default_stores_dir),
            "store_root": str(self.store_root),
            "from_cwd": self.from_cwd,
            "operator": self.operator,
            "account": self.account,
            "nats_ca": self.nats_ca,
        }


def _in_cwd_tree() -> bool:
    try:
        return _from_cwd(Path.cwd()) is not None
    except OSError:
        return False


def _with_store_root(nsc: Nsc, store: str) -> Nsc:
    """``nsc`` itself for its own store root, else an :class:`Nsc` of the new root with no
    operator or account yet."""
    root = Path(os.path.abspath(os.path.expanduser(store)))
    if not root.is_dir():
        raise NotFoundError(f"store directory {display_path(root)} does not exist")
    if root == nsc.store_root:
        return nsc
    context = replace(nsc.context, store_root=root, operator="", account="")
    return Nsc(context, nsc.keystore, signer=nsc.signer)


def _change(nsc: Nsc, store: str | None, operator: str | None, account: str | None) -> Nsc:
    target = nsc
    if store:
        target = _with_store_root(nsc, store)
        operators = target.operators()
        if target is not nsc and not operator and len(operators) == 1:
            operator = operators[0]
    operator = operator.strip() if operator else None
    if operator and not target.has_operator(operator):
        raise NotFoundError(
            f'operator "{operator}" not in `{target.store_root}`',
            hint="list them with 'pynsc list operators'",
        )
    if account:
        account = target.store(operator).find_account(account)
    target.select(operator=operator, account=account or None, save=True)
    return target


def environment(
    nsc: Nsc,
    *,
    store: str | os.PathLike[str] | None = None,
    operator: str | None = None,
    account: str | None = None,
) -> Environment:
    """The environment of ``nsc`` on disk, after setting the store root, operator and/or
    account (saved in ``nsc.json``) when any is given."""
    report = Report()
    if store or operator or account:
        _check_can_save(nsc)
        nsc = _change(nsc, os.fspath(store) if store else None, operator, account)
        report.ok("environment updated")
    context = nsc.context
    paths = context.paths
    result = Environment(
        report=report,
        nsc=nsc,
        config_dir=paths.config_dir,
        config_file=paths.config_file,
        keystore_dir=paths.keystore_dir,
        default_stores_dir=paths.data_dir,
        store_root=context.store_root,
        from_cwd=_in_cwd_tree(),
        operator=context.operator,
        account=context.account,
        variables={name: name in os.environ for name in VARIABLES},
        nats_ca=os.environ.get("NATS_CA", ""),
    )
    report.data = result.to_json()
    return result
