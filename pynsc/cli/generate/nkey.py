"""``pynsc generate nkey``: make operator, account, user or curve keys, optionally storing them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.keys import KeyKind, generate


@dataclass(frozen=True, slots=True)
class _Generated:
    kind: KeyKind
    public_key: str
    seed: str | None
    path: Path | None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind.value, "public_key": self.public_key}
        if self.seed is not None:
            out["seed"] = self.seed
        if self.path is not None:
            out["path"] = str(self.path)
        return out


@command("nkey", short_help="Generate operator, account, user or curve nkeys.")
@click.option("-o", "--operator", is_flag=True, help="Generate an operator key.")
@click.option("-a", "--account", is_flag=True, help="Generate an account key.")
@click.option("-u", "--user", is_flag=True, help="Generate a user key.")
@click.option("-x", "--curve", is_flag=True, help="Generate a curve (xkey) encryption key.")
@click.option(
    "-S", "--store", is_flag=True,
    help="Store the seeds in the keystore and print only the public keys.",
)
@json_option
@pass_app
def nkey_command(
    app: App, *, operator: bool, account: bool, user: bool, curve: bool, store: bool,
    as_json: bool,
) -> None:
    """Generate nkeys: each seed then its public key, one per line.

    With --store the seeds go to the keystore and are never printed.
    """
    wanted = {KeyKind.OPERATOR: operator, KeyKind.ACCOUNT: account, KeyKind.USER: user,
              KeyKind.CURVE: curve}
    kinds = [kind for kind, on in wanted.items() if on]
    if not kinds:
        raise click.UsageError("specify at least one of --operator, --account, --user or --curve")
    keys = []
    for kind in kinds:
        pair = generate(kind)
        path = app.keystore.store(pair) if store else None
        keys.append(_Generated(kind, pair.public_key, None if store else pair.seed, path))
    if as_json:
        app.output.json([key.to_json() for key in keys])
        return
    for key in keys:
        if key.seed is not None:
            app.output.data(key.seed)
        app.output.data(key.public_key)
        if key.path is not None:
            app.output.ok(f"{key.kind.value} key stored {display_path(key.path)}")
