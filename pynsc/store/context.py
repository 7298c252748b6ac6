"""Which store root, operator and account a command works on (nsc's context, §4.1).

Resolution order, highest first:

1. explicit overrides for this run (``--operator``/``--account``): never saved;
2. ``--data-dir`` (or ``-H``) forces the store root;
3. the current directory, when it is inside an operator tree;
4. ``nsc.json`` (skipped entirely when ``NSC_CWD_ONLY`` is set);
5. defaults: the only operator of the root, the only account of the operator.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import field, replace
from pathlib import Path

from pynsc._model import dataclass
from pynsc.errors import NotFoundError, StoreError
from pynsc.keys import KeyStore
from pynsc.paths import Paths
from pynsc.store.config import ToolConfig
from pynsc.store.store import Store, is_operator_dir, list_operators

__all__ = ["Context", "resolve_context"]


@dataclass(frozen=True, slots=True)
class Context:
    """The resolved context of one run, and the way to its stores and keys."""

    paths: Paths
    store_root: Path
    operator: str = ""
    account: str = ""
    cwd_only: bool = False
    config: ToolConfig = field(default_factory=ToolConfig)

    @property
    def keystore(self) -> KeyStore:
        return KeyStore(self.paths.keystore_dir)

    def operators(self) -> list[str]:
        return list_operators(self.store_root)

    def store(self) -> Store:
        """The current operator's store, or a clear error telling how to pick one."""
        if not self.store_root.is_dir():
            raise StoreError(
                "no stores available", hint="create an operator with 'pynsc add operator'"
            )
        if not self.operator:
            raise StoreError(
                "set an operator -- 'pynsc env -o operatorName'",
                hint="or pass --operator NAME for this command",
            )
        return Store.open(self.store_root, self.operator)

    def require_account(self, name_or_key: str | None = None) -> str:
        """The account named (or keyed) ``name_or_key``, else the current one."""
        store = self.store()
        if name_or_key:
            return store.find_account(name_or_key)
        if not self.account:
            raise StoreError("an account is required", hint="pass -a/--account NAME")
        if not store.has_account(self.account):
            raise store.account_not_found(self.account)
        return self.account

    def with_operator(self, operator: str) -> Context:
        if operator not in self.operators():
            raise NotFoundError(
                f'operator "{operator}" not in `{self.store_root}`',
                hint="list them with 'pynsc list operators'",
            )
        account = _default_account(self.store_root, operator, "")
        return replace(self, operator=operator, account=account)

    def save(self, *, operator: str | None = None, account: str | None = None) -> None:
        """Persist the current operator/account in ``nsc.json`` (not with ``NSC_CWD_ONLY``)."""
        if self.cwd_only:
            return
        changes = {"store_root": str(self.store_root)}
        if operator is not None:
            changes["operator"] = operator
        if account is not None:
            changes["account"] = account
        ToolConfig.update(self.paths.config_file, **changes)


def _operator_of(path: Path) -> bool:
    return is_operator_dir(path)


def _from_cwd(cwd: Path) -> tuple[Path, str, str] | None:
    """(root, operator, account) when ``cwd`` is in an operator tree or holds operators."""
    if _operator_of(cwd):
        return cwd.parent, cwd.name, ""
    try:
        if any(child.is_dir() and _operator_of(child) for child in cwd.iterdir()):
            return cwd, "", ""
    except OSError:
        return None
    for parent in cwd.parents:
        if _operator_of(parent):
            rel = cwd.relative_to(parent).parts
            account = rel[1] if len(rel) >= 2 and rel[0] == "accounts" else ""
            return parent.parent, parent.name, account
    return None


def _default_operator(root: Path, wanted: str) -> str:
    operators = list_operators(root)
    if wanted and wanted in operators:
        return wanted
    return operators[0] if len(operators) == 1 else ""


def _default_account(root: Path, operator: str, wanted: str) -> str:
    if not operator:
        return ""
    store = Store(root, operator)
    if wanted and store.has_account(wanted):
        return wanted
    accounts = store.account_files(at_most=2)  # the only account, if there is just one
    return accounts[0][0] if len(accounts) == 1 else ""


def resolve_context(
    paths: Paths,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    operator: str | None = None,
    account: str | None = None,
) -> Context:
    """Resolve the context of one run; ``operator``/``account`` override without being saved."""
    env = os.environ if env is None else env
    cwd_only = "NSC_CWD_ONLY" in env
    config = ToolConfig() if cwd_only else ToolConfig.load(paths.config_file)
    root = Path(config.store_root) if config.store_root else paths.data_dir
    wanted_operator, wanted_account = config.operator, config.account
    found = _from_cwd(cwd or Path.cwd())
    if found is not None:
        root, cwd_operator, cwd_account = found
        if cwd_operator:
            wanted_operator, wanted_account = cwd_operator, cwd_account or wanted_account
    elif cwd_only:
        wanted_operator = wanted_account = ""
    if paths.data_dir_forced:
        root = paths.data_dir
    current_operator = _default_operator(root, wanted_operator)
    context = Context(
        paths=paths,
        store_root=root,
        operator=current_operator,
        account=_default_account(root, current_operator, wanted_account),
        cwd_only=cwd_only,
        config=config,
    )
    if operator:
        context = context.with_operator(operator)
    if account:
        name = context.store().find_account(account)
        context = replace(context, account=name)
    return context
