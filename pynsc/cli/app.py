"""The one context object of a pynsc run, kept in ``ctx.obj`` and handed to commands by
:data:`pass_app`.

Global flags may appear before or after the subcommand; wherever they are parsed they land in
:attr:`App.settings` (see :mod:`pynsc.cli.options`). Everything derived from them (paths, the
keystore) is built lazily, on first use inside a command body, when every flag has been parsed.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from pynsc.actions import Nsc
    from pynsc.cli.output import Output
    from pynsc.keys import KeyStore
    from pynsc.paths import Paths
    from pynsc.store import Context

__all__ = ["App", "pass_app"]

_TRUE = {"1", "true", "yes", "on", "y", "t"}


class App:
    """Settings from the global flags, the output, and the objects built from them."""

    def __init__(self, *, output: Output | None = None) -> None:
        self._output = output
        self.settings: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"App(settings={self.settings!r})"

    @property
    def output(self) -> Output:
        """Where the run writes (made on first use: ``--help`` never needs one)."""
        if self._output is None:
            from pynsc.cli.output import Output

            self._output = Output()
        return self._output

    def set(self, name: str, value: Any) -> None:
        """Record a flag value; later values win (a flag after the subcommand beats one before)."""
        self.settings[name] = value
        for cached in ("paths", "keystore", "context", "nsc"):
            self.__dict__.pop(cached, None)

    # Global flags -------------------------------------------------------------------------

    @property
    def debug(self) -> bool:
        """``--debug``, or ``PYNSC_DEBUG`` set to a true value."""
        if self.settings.get("debug"):
            return True
        return os.environ.get("PYNSC_DEBUG", "").strip().lower() in _TRUE

    @property
    def private_key(self) -> str | None:
        """``-K/--private-key``: a role name, public key, seed or file (for signing commands)."""
        value = self.settings.get("private_key")
        return None if value is None else str(value)

    @property
    def interactive(self) -> bool:
        """``-i/--interactive``."""
        return bool(self.settings.get("interactive"))

    # Derived, built once ------------------------------------------------------------------

    @functools.cached_property
    def paths(self) -> Paths:
        from pynsc.paths import Paths

        return Paths.resolve(
            config_dir=self.settings.get("config_dir"),
            data_dir=self.settings.get("data_dir"),
            keystore_dir=self.settings.get("keystore_dir"),
            all_dirs=self.settings.get("all_dirs"),
        )

    @functools.cached_property
    def keystore(self) -> KeyStore:
        from pynsc.keys import KeyStore

        return KeyStore(self.paths.keystore_dir)

    @functools.cached_property
    def context(self) -> Context:
        """Store root, operator and account for this run (``--operator``/``--account`` win)."""
        from pynsc.store import resolve_context

        return resolve_context(
            self.paths,
            operator=self.settings.get("context_operator") or None,
            account=self.settings.get("context_account") or None,
        )

    @functools.cached_property
    def nsc(self) -> Nsc:
        """What the actions work on: this run's context, keystore and ``-K``."""
        from pynsc.actions import Nsc

        return Nsc(self.context, self.keystore, signer=self.private_key)

    def refresh_context(self) -> Context:
        """Resolve the context again, after a command changed the store or nsc.json."""
        self.__dict__.pop("context", None)
        self.__dict__.pop("nsc", None)
        return self.context


pass_app = click.make_pass_decorator(App, ensure=True)
