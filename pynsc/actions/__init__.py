"""The actions: what each pynsc command does, with every rule it enforces, for scripts and the
CLI alike.

Each action takes an :class:`~pynsc.actions.session.Nsc` (the stores, the keys, the current
operator and account), checks what nsc checks, changes the store, and returns a plain result:
a :class:`~pynsc.store.report.Report` of the steps taken (``ok``/``warn``/``error`` lines and
the data a ``--json`` caller reads), or a typed result holding one. Failures raise
:class:`~pynsc.errors.NscError` subclasses whose message and hint the CLI prints as they are.
Nothing here imports click or rich, prints, prompts or exits.

The CLI (:mod:`pynsc.cli`) only parses flags, calls one action and renders its result.
"""

from __future__ import annotations

from pynsc.actions.issuer import Issuer
from pynsc.actions.session import Nsc
from pynsc.actions.user_changes import PermissionChanges, UserChanges
from pynsc.actions.users import Creds, UserResult, add_user, edit_user

__all__ = [
    "Creds",
    "Issuer",
    "Nsc",
    "PermissionChanges",
    "UserChanges",
    "UserResult",
    "add_user",
    "edit_user",
]
