"""The import tests' store (operator ``O``) with account ``A``, for the mapping commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Pynsc
from tests.cli.imports.conftest import Env, make_env


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> Env:
    env = make_env(tmp_path, pynsc)
    env.add_account("A")
    return env
