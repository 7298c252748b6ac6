"""The key commands use the user commands' library-built store (operator O, account A)."""

from __future__ import annotations

from tests.cli.user.conftest import env

__all__ = ["env"]
