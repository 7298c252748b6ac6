"""``pynsc import keys -d DIR``: store every seed (``*.nk``) found in a directory."""

from __future__ import annotations

import os
from pathlib import Path

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.errors import KeyStoreError, NscError
from pynsc.keys import KeyPair, parse
from pynsc.store.report import Report


def _nk_files(directory: Path, recurse: bool) -> list[Path]:
    if recurse:
        found = [
            Path(root) / name
            for root, _dirs, files in os.walk(directory)
            for name in files
            if name.endswith(".nk")
        ]
    else:
        found = [p for p in directory.iterdir() if p.suffix == ".nk" and p.is_file()]
    return sorted(found)


def _read_seed(path: Path) -> KeyPair:
    try:
        pair = parse(path.read_text(encoding="ascii").strip())
    except (OSError, UnicodeDecodeError) as e:
        raise KeyStoreError(f"failed to import {display_path(path)}: {e}") from e
    except NscError as e:
        raise KeyStoreError(f"failed to import {display_path(path)}: {e}") from e
    if pair.seed is None:
        raise KeyStoreError(f"failed to import {display_path(path)}: it holds no seed")
    return pair


@command("keys", short_help="Import the seeds (.nk files) of a directory.")
@click.option("-d", "--dir", "directory", metavar="DIR", required=True,
              help="The directory holding the .nk files.")
@click.option("-R", "--recurse", is_flag=True, default=False,
              help="Also import from the subdirectories.")
@json_option
@pass_app
def import_keys(app: App, *, directory: str, recurse: bool, as_json: bool) -> None:
    """Import every nkey seed file (*.nk) of DIR into the keystore.

    Every file is read and checked first: if any is not a seed, or conflicts with a stored
    key, nothing is imported.
    """
    root = Path(directory).expanduser().absolute()
    if not root.exists():
        raise KeyStoreError(f"{display_path(root)} does not exist")
    if not root.is_dir():
        raise KeyStoreError(f"{display_path(root)} is not a directory")
    files = _nk_files(root, recurse)
    if not files:
        raise KeyStoreError("no nkey (.nk) files found")
    keystore = app.keystore
    pairs = [_read_seed(path) for path in files]
    for pair, path in zip(pairs, files, strict=True):
        stored = keystore.get(pair.public_key)
        if stored is not None and stored.seed != pair.seed:
            raise KeyStoreError(
                f"failed to import {display_path(path)}: key {pair.public_key} already exists "
                "and is different"
            )
    report = Report(summarize=True)
    for pair in dict.fromkeys(pairs):
        keystore.store(pair)
        report.ok(f"{pair.public_key} was added to the keystore")
    report.data = [{"public_key": pair.public_key} for pair in dict.fromkeys(pairs)]
    app.output.report(report, as_json=as_json)
