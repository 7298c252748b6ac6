"""pynsc: NATS operator, account and user security toolkit, as a library and a CLI.

The public API is re-exported here and typed (``py.typed``); importing :mod:`pynsc` loads
nothing until a name is used, and nothing of it ever loads click or rich::

    import pynsc
    from datetime import timedelta

    # no store: an account signing-key seed and the account's JWT
    issuer = pynsc.Issuer.from_seed(signing_seed, account=account_jwt)
    creds = issuer.issue_user("web-42", bearer=True, allow_sub=["projects.42.>"],
                              expiry=timedelta(hours=1))

    # a store, found as the CLI finds it (or pynsc.Nsc.memory() for one in memory)
    nsc = pynsc.Nsc.open()
    result = pynsc.add_user(nsc, "svc", account="A")

See ``docs/library.md``. The layers below, importable on their own: :mod:`pynsc.keys` (nkeys,
keystore, creds), :mod:`pynsc.claims` (JWT v2), :mod:`pynsc.store` (nsc's on-disk layout),
:mod:`pynsc.actions` (every command's rules), :mod:`pynsc.push` (servers).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pynsc.actions.issuer import Issuer
    from pynsc.actions.session import Nsc
    from pynsc.actions.user_changes import PermissionChanges, UserChanges
    from pynsc.actions.users import Creds, UserResult, add_user, edit_user
    from pynsc.errors import (
        ClaimsError,
        CredsError,
        DecodeError,
        ExistsError,
        InvalidKeyError,
        KeyStoreError,
        NotFoundError,
        NscError,
        PushError,
        SignatureError,
        StoreError,
        UsageError,
    )
    from pynsc.store.report import Report

_EXPORTS: dict[str, str] = {
    "Issuer": "pynsc.actions.issuer",
    "Nsc": "pynsc.actions.session",
    "PermissionChanges": "pynsc.actions.user_changes",
    "UserChanges": "pynsc.actions.user_changes",
    "Creds": "pynsc.actions.users",
    "UserResult": "pynsc.actions.users",
    "add_user": "pynsc.actions.users",
    "edit_user": "pynsc.actions.users",
    "ClaimsError": "pynsc.errors",
    "CredsError": "pynsc.errors",
    "DecodeError": "pynsc.errors",
    "ExistsError": "pynsc.errors",
    "InvalidKeyError": "pynsc.errors",
    "KeyStoreError": "pynsc.errors",
    "NotFoundError": "pynsc.errors",
    "NscError": "pynsc.errors",
    "PushError": "pynsc.errors",
    "SignatureError": "pynsc.errors",
    "StoreError": "pynsc.errors",
    "UsageError": "pynsc.errors",
    "Report": "pynsc.store.report",
}

__all__ = [
    "ClaimsError",
    "Creds",
    "CredsError",
    "DecodeError",
    "ExistsError",
    "InvalidKeyError",
    "Issuer",
    "KeyStoreError",
    "NotFoundError",
    "Nsc",
    "NscError",
    "PermissionChanges",
    "PushError",
    "Report",
    "SignatureError",
    "StoreError",
    "UsageError",
    "UserChanges",
    "UserResult",
    "__version__",
    "add_user",
    "edit_user",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pynsc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
