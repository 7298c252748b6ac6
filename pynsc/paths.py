"""Where nsc keeps its three roots: the config dir, the store root and the keystore.

Resolved once, from explicit values (the CLI's global flags) and the environment, exactly as Go
nsc resolves them (highest first)::

    config dir    --config-dir, -H/--all-dirs, $NSC_HOME,   $XDG_CONFIG_HOME/nats/nsc
                                                            (legacy ~/.nsc if only it has nsc.json)
    store root    --data-dir,   -H/--all-dirs,              $XDG_DATA_HOME/nats/nsc/stores
                                                            (legacy ~/.nsc/nats if only it exists)
    keystore      --keystore-dir, -H/--all-dirs, $NKEYS_PATH, $XDG_DATA_HOME/nats/nsc/keys
                                                            (legacy ~/.nkeys if only it exists)

A specific flag beats ``-H``. Every value is ``~``-expanded and made absolute. Resolution only looks
at the file system (for the legacy locations); it never creates anything.

This module imports neither click nor rich.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pynsc._model import dataclass

__all__ = ["Paths"]

CONFIG_FILE = "nsc.json"


def _home(env: Mapping[str, str]) -> Path:
    home = env.get("HOME")
    return Path(home) if home else Path.home()


def _absolute(value: str | os.PathLike[str], home: Path) -> Path:
    """``value`` with a leading ``~`` expanded against ``home``, made absolute and normalised."""
    text = os.fspath(value)
    if text == "~" or text.startswith("~/"):
        text = str(home) + text[1:]
    else:
        text = os.path.expanduser(text)
    return Path(os.path.abspath(text))


def _xdg(env: Mapping[str, str], name: str, fallback: Path) -> Path:
    """An XDG base dir: the variable when it is set to an absolute path, else ``fallback``."""
    value = env.get(name, "")
    return Path(value) if value and os.path.isabs(value) else fallback


def _pick(*values: str | os.PathLike[str] | None) -> str | os.PathLike[str] | None:
    """The first value that is set (not ``None``, not empty)."""
    for value in values:
        if value is not None and os.fspath(value) != "":
            return value
    return None


@dataclass(frozen=True, slots=True)
class Paths:
    """The resolved locations of one run.

    ``data_dir_forced`` tells whether the store root came from a flag (``--data-dir``/``-H``), in
    which case it wins over the ``store_root`` saved in ``nsc.json``.
    """

    config_dir: Path
    data_dir: Path
    keystore_dir: Path
    nats_context_dir: Path
    data_dir_forced: bool = False

    @property
    def config_file(self) -> Path:
        """``nsc.json`` inside the config dir."""
        return self.config_dir / CONFIG_FILE

    @classmethod
    def resolve(
        cls,
        *,
        config_dir: str | os.PathLike[str] | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        keystore_dir: str | os.PathLike[str] | None = None,
        all_dirs: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Paths:
        """Resolve the three roots from explicit values, then ``env`` (default ``os.environ``)."""
        env = os.environ if env is None else env
        home = _home(env)
        xdg_config = _xdg(env, "XDG_CONFIG_HOME", home / ".config")
        xdg_data = _xdg(env, "XDG_DATA_HOME", home / ".local" / "share")

        explicit_config = _pick(config_dir, all_dirs, env.get("NSC_HOME"))
        if explicit_config is not None:
            config = _absolute(explicit_config, home)
        else:
            config = xdg_config / "nats" / "nsc"
            legacy = home / ".nsc"
            if (legacy / CONFIG_FILE).is_file() and not (config / CONFIG_FILE).is_file():
                config = legacy

        explicit_data = _pick(data_dir, all_dirs)
        if explicit_data is not None:
            data = _absolute(explicit_data, home)
        else:
            data = _legacy_or_default(xdg_data / "nats" / "nsc" / "stores", home / ".nsc" / "nats")

        explicit_keys = _pick(keystore_dir, all_dirs, env.get("NKEYS_PATH"))
        if explicit_keys is not None:
            keys = _absolute(explicit_keys, home)
        else:
            keys = _legacy_or_default(xdg_data / "nats" / "nsc" / "keys", home / ".nkeys")

        return cls(
            config_dir=_absolute(config, home),
            data_dir=_absolute(data, home),
            keystore_dir=_absolute(keys, home),
            nats_context_dir=_absolute(xdg_config / "nats" / "context", home),
            data_dir_forced=explicit_data is not None,
        )


def _legacy_or_default(default: Path, legacy: Path) -> Path:
    """``legacy`` when only it exists, else ``default``."""
    if legacy.is_dir() and not default.exists():
        return legacy
    return default
