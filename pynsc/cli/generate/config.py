"""``pynsc generate config``: a nats-server configuration for the current operator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pynsc._fs import atomic_write
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.errors import NscError
from pynsc.store.report import Report
from pynsc.store.serverconfig import (
    RESOLVER_CONF,
    ConfigKind,
    ServerInventory,
    memory_resolver_dir,
    nkey_config,
    server_config,
)

STDOUT = ("--", "-")


def _kind(
    *, mem_resolver: bool, nats_resolver: bool, nats_resolver_cache: bool, nkey: bool,
    directory: str | None,
) -> ConfigKind:
    wanted = {
        ConfigKind.MEMORY: mem_resolver,
        ConfigKind.FULL: nats_resolver,
        ConfigKind.CACHE: nats_resolver_cache,
        ConfigKind.NKEY: nkey,
    }
    kinds = [kind for kind, on in wanted.items() if on]
    if len(kinds) > 1:
        raise click.UsageError(
            "specify only one of --mem-resolver, --nats-resolver or --nats-resolver-cache"
        )
    if kinds:
        return kinds[0]
    if directory is not None:  # --dir is a mem-resolver output, so it implies it
        return ConfigKind.MEMORY
    raise click.UsageError("specify a config type option")


def _check_flags(
    kind: ConfigKind, *, config_file: str, directory: str | None, sys_account: str | None
) -> None:
    if directory is not None:
        if kind is ConfigKind.NKEY:
            raise click.UsageError("--dir is not valid with nkey configuration")
        if kind is not ConfigKind.MEMORY:
            raise click.UsageError("nats-resolver configurations don't support directory output")
        if config_file not in STDOUT:
            raise click.UsageError("--dir is exclusive of --config-file")
    if kind is ConfigKind.NKEY and sys_account:
        raise click.UsageError("nkey configurations don't support system account")


def _check_file(path: Path, *, force: bool) -> None:
    if path.is_dir():
        raise NscError(f"`{path}` is a directory")
    if path.exists() and not force:
        raise NscError(f"`{path}` already exists", hint="pass --force to overwrite it")


def _check_dir(path: Path, *, force: bool) -> None:
    if not path.exists():
        return
    if not force:
        raise NscError(f"`{path}` already exists", hint="pass --force to write into it")
    if not path.is_dir():
        raise NscError(f"`{path}` already exists and is not a directory")


@command("config", short_help="Generate a nats-server configuration for the operator.")
@click.option("--mem-resolver", is_flag=True,
              help="A MEMORY resolver configuration, preloaded with every account.")
@click.option("--nats-resolver", is_flag=True,
              help="A full nats resolver configuration, preloaded with the system account.")
@click.option("--nats-resolver-cache", is_flag=True,
              help="A cache nats resolver configuration, preloaded with the system account.")
@click.option("--nkey", is_flag=True, hidden=True,
              help="An operator-less configuration listing every user's nkey.")
@click.option("--config-file", default="--", show_default=True, metavar="FILE",
              help="Write the configuration to FILE ('--' is stdout; exclusive of --dir).")
@click.option("--dir", "directory", default=None, hidden=True, metavar="DIR",
              help="Write resolver.conf and the JWTs to DIR (--mem-resolver only).")
@click.option("-F", "--force", is_flag=True, help="Overwrite output files that exist.")
@click.option("--sys-account", default=None, metavar="NAME|KEY",
              help="The system account (default: the operator's system account).")
@json_option
@pass_app
def generate_config(
    app: App, *, mem_resolver: bool, nats_resolver: bool, nats_resolver_cache: bool, nkey: bool,
    config_file: str, directory: str | None, force: bool, sys_account: str | None,
    as_json: bool,
) -> None:
    """Generate a nats-server configuration holding the operator and its accounts.

    --mem-resolver preloads every account JWT into a MEMORY resolver: regenerate the file and
    reload the server when accounts change. --nats-resolver (or --nats-resolver-cache) sets up
    the nats-based resolver, preloaded with the system account; push the other accounts to it.
    Only operator and account JWTs are read, never user files.

    The configuration has no listen address: add one in an include or on the command line
    (nats-server -c FILE -p 4222).
    """
    kind = _kind(
        mem_resolver=mem_resolver, nats_resolver=nats_resolver,
        nats_resolver_cache=nats_resolver_cache, nkey=nkey, directory=directory,
    )  # fmt: skip
    _check_flags(kind, config_file=config_file, directory=directory, sys_account=sys_account)
    target = None if config_file in STDOUT else Path(config_file).expanduser().absolute()
    out_dir = None if directory is None else Path(directory).expanduser().absolute()
    if target is not None:
        _check_file(target, force=force)
    if out_dir is not None:
        _check_dir(out_dir, force=force)

    store = app.context.store()
    report = Report()
    data: dict[str, Any] = {"type": kind.value}
    if kind is ConfigKind.NKEY:
        text = nkey_config(store)
    else:
        inventory = ServerInventory.load(store, system_account=sys_account)
        if out_dir is not None:
            files = memory_resolver_dir(inventory, out_dir)
            for name, content in files.items():
                if name != RESOLVER_CONF:
                    atomic_write(out_dir / name, content)
            config_path = out_dir / RESOLVER_CONF
            atomic_write(config_path, files[RESOLVER_CONF])  # last: it refers to the others
            report.ok(f"wrote server configuration to {display_path(config_path)}")
            data.update(
                dir=str(out_dir), config_file=str(config_path),
                files=sorted(n for n in files if n != RESOLVER_CONF),
            )  # fmt: skip
            report.data = data
            app.output.report(report, as_json=as_json)
            return
        text = server_config(inventory, kind)

    if target is None:
        if as_json:
            data["config"] = text
            report.data = data
        else:
            report.data = text
        app.output.report(report, as_json=as_json)
        return
    atomic_write(target, text)
    report.ok(f"wrote server configuration to {display_path(target)}")
    data["config_file"] = str(target)
    report.data = data
    app.output.report(report, as_json=as_json)
