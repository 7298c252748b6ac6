"""The nsc store: operator directories of JWTs, ``nsc.json``, and the run's context.

This layer imports neither click nor rich, never prints and never touches the network.
"""

from __future__ import annotations

from pynsc.store.config import ToolConfig
from pynsc.store.context import Context, resolve_context
from pynsc.store.layout import check_name
from pynsc.store.report import Level, Report, ReportError
from pynsc.store.store import Store, StoreInfo, list_operators

__all__ = [
    "Context",
    "Level",
    "Report",
    "ReportError",
    "Store",
    "StoreInfo",
    "ToolConfig",
    "check_name",
    "list_operators",
    "resolve_context",
]
