"""nats-server configurations for the current operator: what ``pynsc generate config`` does.

The rules, all here and nowhere else (the text of each flavour is
:mod:`pynsc.store.serverconfig`'s):

* one kind of configuration per call: a MEMORY resolver, a full or a cache nats resolver, or the
  operator-less nkey kind; an output directory alone means a MEMORY resolver;
* an output directory is for the MEMORY resolver only (not the nats resolvers, not the nkey
  kind) and excludes an output file; the nkey kind has no system account;
* an output file that exists is replaced only when forced, and never when it is a directory; an
  output directory that exists is written into only when forced, and must be a directory;
* the directory holds the operator JWT and each account JWT in its own file, ``resolver.conf``
  written last (it refers to the others); files are written atomically, private (0600);
* the system account is the operator's, or the one given (which must be the operator's when it
  has one); the operator must have accounts;
* a websocket listener (:class:`~pynsc.store.serverconfig.WebsocketConfig`) ends the
  configuration when given.

Example::

    nsc = Nsc.open()
    result = generate_config(nsc, ConfigKind.FULL, websocket=WebsocketConfig(8080, no_tls=True,
                                                                            jwt_cookie="jwt"))
    print(result.text)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pynsc.actions.session import Nsc
from pynsc.errors import ExistsError, StoreError, UsageError
from pynsc.store.report import Report
from pynsc.store.serverconfig import (
    RESOLVER_CONF,
    ConfigKind,
    ServerInventory,
    WebsocketConfig,
    memory_resolver_dir,
    nkey_config,
    server_config,
)
from pynsc.text import display_path

__all__ = [
    "STDOUT",
    "ConfigKind",
    "ConfigResult",
    "WebsocketConfig",
    "config_kind",
    "generate_config",
]

PathLike = str | os.PathLike[str]

STDOUT = ("--", "-")
"""The ``config_file`` values (besides ``None``) that mean: do not write a file, return the
text."""

Kinds = ConfigKind | str | Iterable[ConfigKind | str] | None


@dataclass(slots=True)
class ConfigResult:
    """What :func:`generate_config` made: the configuration text (``resolver.conf``'s with a
    directory), and where it was written (``config_file``, or ``directory`` with ``files``:
    every file name written there besides ``resolver.conf``), if anywhere.

    The report's data is ``{"type", "websocket"?, …}`` with ``"config"`` (the text) when
    nothing was written, ``"config_file"`` when a file was, and ``"dir"``, ``"config_file"``,
    ``"files"`` for a directory.
    """

    report: Report
    kind: ConfigKind
    text: str
    config_file: Path | None = None
    directory: Path | None = None
    files: list[str] = field(default_factory=list)

    @property
    def written(self) -> bool:
        """Whether files were written (else :attr:`text` is the whole output)."""
        return self.config_file is not None


def config_kind(kind: Kinds, *, directory: PathLike | None = None) -> ConfigKind:
    """The one kind of configuration asked for: ``kind`` (a :class:`ConfigKind`, its flag name
    such as ``"nats-resolver"``, or the kinds chosen, of which there may be one), else the
    MEMORY resolver when writing to a ``directory``; a :class:`UsageError` otherwise."""
    if kind is None:
        chosen: list[ConfigKind] = []
    elif isinstance(kind, (ConfigKind, str)):
        chosen = [_kind(kind)]
    else:
        chosen = list(dict.fromkeys(_kind(k) for k in kind))
    if len(chosen) > 1:
        raise UsageError(
            "specify only one of --mem-resolver, --nats-resolver or --nats-resolver-cache"
        )
    if chosen:
        return chosen[0]
    if directory is not None:  # a directory is a mem-resolver output, so it implies it
        return ConfigKind.MEMORY
    raise UsageError("specify a config type option")


def _kind(value: ConfigKind | str) -> ConfigKind:
    if isinstance(value, ConfigKind):
        return value
    try:
        return ConfigKind(value.strip().removeprefix("--").lower())
    except ValueError:
        names = ", ".join(k.value for k in ConfigKind)
        raise UsageError(f"{value!r} is not a kind of configuration: use one of {names}") from None


def _check_flags(
    kind: ConfigKind, *, to_file: bool, directory: PathLike | None, sys_account: str | None
) -> None:
    if directory is not None:
        if kind is ConfigKind.NKEY:
            raise UsageError("--dir is not valid with nkey configuration")
        if kind is not ConfigKind.MEMORY:
            raise UsageError("nats-resolver configurations don't support directory output")
        if to_file:
            raise UsageError("--dir is exclusive of --config-file")
    if kind is ConfigKind.NKEY and sys_account:
        raise UsageError("nkey configurations don't support system account")


def _check_file(path: Path, *, force: bool) -> None:
    if path.is_dir():
        raise StoreError(f"`{path}` is a directory")
    if path.exists() and not force:
        raise ExistsError(f"`{path}` already exists", hint="pass --force to overwrite it")


def _check_dir(path: Path, *, force: bool) -> None:
    if not path.exists():
        return
    if not force:
        raise ExistsError(f"`{path}` already exists", hint="pass --force to write into it")
    if not path.is_dir():
        raise StoreError(f"`{path}` already exists and is not a directory")


def _write(path: Path, text: str) -> None:
    """Write ``path`` atomically (0600)."""
    from pynsc._fs import atomic_write  # only a command that writes pays for it

    atomic_write(path, text)


def _absolute(path: PathLike) -> Path:
    return Path(path).expanduser().absolute()


def generate_config(
    nsc: Nsc,
    kind: Kinds = None,
    *,
    config_file: PathLike | None = None,
    directory: PathLike | None = None,
    force: bool = False,
    sys_account: str | None = None,
    websocket: WebsocketConfig | None = None,
) -> ConfigResult:
    """A nats-server configuration of ``kind`` for the current operator: returned as text, or
    written to ``config_file`` (``None``, ``"--"`` or ``"-"``: not written), or as files into
    ``directory`` (MEMORY resolver only); ``force`` replaces what is there.

    ``sys_account`` (a name or public key) is the system account when the operator has none;
    ``websocket`` adds a websocket listener. Only the operator and account JWTs are read, never
    a user. See the module docstring for the rules.
    """
    chosen = config_kind(kind, directory=directory)
    to_file = config_file is not None and os.fspath(config_file) not in STDOUT
    _check_flags(chosen, to_file=to_file, directory=directory, sys_account=sys_account)
    target = _absolute(config_file) if to_file and config_file is not None else None
    out_dir = None if directory is None else _absolute(directory)
    if target is not None:
        _check_file(target, force=force)
    if out_dir is not None:
        _check_dir(out_dir, force=force)

    store = nsc.store()
    report = Report()
    data: dict[str, Any] = {"type": chosen.value}
    if websocket is not None:
        data["websocket"] = websocket.url
    report.data = data
    if chosen is ConfigKind.NKEY:
        text = nkey_config(store, websocket=websocket)
    else:
        inventory = ServerInventory.load(store, system_account=sys_account)
        if out_dir is not None:
            files = memory_resolver_dir(inventory, out_dir, websocket=websocket)
            for name, content in files.items():
                if name != RESOLVER_CONF:
                    _write(out_dir / name, content)
            config_path = out_dir / RESOLVER_CONF
            _write(config_path, files[RESOLVER_CONF])  # last: it refers to the others
            report.ok(f"wrote server configuration to {display_path(config_path)}")
            names = sorted(n for n in files if n != RESOLVER_CONF)
            data.update(dir=str(out_dir), config_file=str(config_path), files=names)
            return ConfigResult(report, chosen, files[RESOLVER_CONF], config_path, out_dir, names)
        text = server_config(inventory, chosen, websocket=websocket)

    if target is None:
        data["config"] = text
        return ConfigResult(report, chosen, text)
    _write(target, text)
    report.ok(f"wrote server configuration to {display_path(target)}")
    data["config_file"] = str(target)
    return ConfigResult(report, chosen, text, target)
