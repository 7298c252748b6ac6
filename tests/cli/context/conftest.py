"""The context tests reuse the operator tests' fixtures."""

from __future__ import annotations

from tests.cli.operator.conftest import env, home

__all__ = ["env", "home"]
