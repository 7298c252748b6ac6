"""The revocation tests' library-built store (operator ``O``), for ``edit authcallout``."""

from __future__ import annotations

from tests.cli.revocations.conftest import Env, assert_valid_account, env

__all__ = ["Env", "assert_valid_account", "env"]
