"""``pynsc import keys -d DIR``: store every seed (``*.nk``) found in a directory.

Parses flags and renders; the rules are :func:`pynsc.actions.importing.import_keys`'s.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


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
    from pynsc.actions import importing

    result = importing.import_keys(app.nsc, directory, recurse=recurse)
    app.output.report(result.report, as_json=as_json)
