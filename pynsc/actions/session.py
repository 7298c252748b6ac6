""":class:`Nsc`: the stores, keys and current operator/account an action works on.

Open one with the paths and environment the CLI uses (:meth:`Nsc.open`, the same flags as
``--config-dir``/``--data-dir``/``--keystore-dir``/``-H``, then ``NSC_HOME``, ``NKEYS_PATH``,
``XDG_*`` and ``nsc.json``), or entirely in memory (:meth:`Nsc.memory`) for tests and stateless
backends. Every action of :mod:`pynsc.actions` takes one as its first argument.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pynsc.errors import ExistsError, NotFoundError, StoreError
from pynsc.keys import KeyStore
from pynsc.paths import Paths
from pynsc.store.context import Context, resolve_context
from pynsc.store.memory import MEMORY_ROOT, MemoryKeyStore, MemoryStore
from pynsc.store.store import Store

__all__ = ["Nsc"]

PathLike = str | os.PathLike[str]


class Nsc:
    """Where the JWTs and keys are, which operator and account are current, and ``-K``.

    ``signer`` is the default for every action's ``signer`` argument: a role name, public key,
    seed or file holding one (the CLI's ``-K``).
    """

    def __init__(
        self,
        context: Context | None,
        keystore: KeyStore,
        *,
        signer: str | None = None,
    ) -> None:
        self._context = context
        self.keystore = keystore
        self.signer = signer
        self._memory: dict[str, MemoryStore] = {}
        self._operator = context.operator if context is not None else ""
        self._account = context.account if context is not None else ""

    def __repr__(self) -> str:
        where = "memory" if self.in_memory else str(self.store_root)
        return f"Nsc({where}, operator={self.operator!r}, account={self.account!r})"

    # Opening ------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        config_dir: PathLike | None = None,
        data_dir: PathLike | None = None,
        keystore_dir: PathLike | None = None,
        all_dirs: PathLike | None = None,
        operator: str | None = None,
        account: str | None = None,
        signer: str | None = None,
    ) -> Nsc:
        """The stores on disk, found as the CLI finds them; ``operator``/``account`` pick the
        current ones for this object only (``nsc.json`` is not changed)."""
        paths = Paths.resolve(
            config_dir=config_dir, data_dir=data_dir, keystore_dir=keystore_dir,
            all_dirs=all_dirs,
        )  # fmt: skip
        context = resolve_context(paths, operator=operator, account=account)
        return cls(context, KeyStore(paths.keystore_dir), signer=signer)

    @classmethod
    def memory(cls, *, signer: str | None = None) -> Nsc:
        """An empty set of stores and keys held in memory; nothing touches the disk."""
        return cls(None, MemoryKeyStore(), signer=signer)

    # Where --------------------------------------------------------------------------------

    @property
    def in_memory(self) -> bool:
        return self._context is None

    @property
    def context(self) -> Context:
        """The on-disk context (paths, ``nsc.json``); a :class:`StoreError` in memory."""
        if self._context is None:
            raise StoreError("an in-memory Nsc has no files: it has no context on disk")
        return self._context

    @property
    def store_root(self) -> Path:
        return MEMORY_ROOT if self._context is None else self._context.store_root

    @property
    def operator(self) -> str:
        """The current operator's name ("" when none is selected)."""
        return self._operator

    @property
    def account(self) -> str:
        """The current account's name ("" when none is selected)."""
        return self._account

    def operators(self) -> list[str]:
        if self._context is None:
            return sorted(self._memory)
        return self._context.operators()

    def has_operator(self, name: str) -> bool:
        return name in self.operators()

    def store(self, operator: str | None = None) -> Store:
        """The store of ``operator`` (default: the current one), or an error telling how to
        pick one."""
        name = operator or self._operator
        if self._context is None:
            if not self._memory:
                raise StoreError(
                    "no stores available", hint="create an operator with add_operator()"
                )
            if not name:
                raise StoreError("set an operator", hint="select one with Nsc.select()")
            try:
                return self._memory[name]
            except KeyError:
                raise NotFoundError(f'operator "{name}" not in memory') from None
        if not name:
            return self._context.store()
        return Store.open(self._context.store_root, name)

    def create_store(self, name: str, *, managed: bool = False) -> Store:
        """A new, empty operator directory (or in-memory store) named ``name``."""
        if self._context is None:
            if name in self._memory:
                raise ExistsError(f'operator named "{name}" exists already')
            store = MemoryStore(name, managed=managed)
            self._memory[store.name] = store
            return store
        return Store.create(self._context.store_root, name, managed=managed)

    def require_account(self, name_or_key: str | None = None) -> str:
        """The account named (or keyed) ``name_or_key``, else the current one."""
        store = self.store()
        if name_or_key:
            return store.find_account(name_or_key)
        if not self._account:
            if self._context is None:
                only = store.account_names()
                if len(only) == 1:
                    return only[0]
            raise StoreError("an account is required", hint="pass -a/--account NAME")
        if not store.has_account(self._account):
            raise store.account_not_found(self._account)
        return self._account

    # Choosing -----------------------------------------------------------------------------

    def select(
        self, *, operator: str | None = None, account: str | None = None, save: bool = False
    ) -> None:
        """Make ``operator`` and/or ``account`` current; ``save`` also writes ``nsc.json``
        (as ``pynsc select``/``env`` do; never in memory or with ``NSC_CWD_ONLY``)."""
        if operator is not None:
            if not self.has_operator(operator):
                raise NotFoundError(
                    f'operator "{operator}" not in `{self.store_root}`',
                    hint="list them with 'pynsc list operators'",
                )
            if operator != self._operator:
                self._operator = operator
                store = self.store(operator)
                names = store.account_names()
                keep = self._account and store.has_account(self._account)
                self._account = self._account if keep else (names[0] if len(names) == 1 else "")
        if account is not None:
            self._account = self.store().find_account(account) if account else ""
        if self._context is not None:
            self._context = replace(
                self._context, operator=self._operator, account=self._account
            )
            if save:
                self._context.save(operator=self._operator, account=self._account)

    def reload(self) -> None:
        """Resolve the on-disk context again (after ``nsc.json`` or the stores changed)."""
        if self._context is None:
            return
        self._context = resolve_context(self._context.paths)
        self._operator, self._account = self._context.operator, self._context.account
