"""``pynsc export keys -d DIR``: copy the seeds of the context's keys to ``DIR/<pub>.nk``.

Parses flags and renders; the rules are :func:`pynsc.actions.importing.export_keys`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli._keylist import key_query_options
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option

if TYPE_CHECKING:
    from pynsc.actions.listing import KeyQuery


@command("keys", short_help="Export the seeds of the context's keys to a directory.")
@click.option("-d", "--dir", "directory", metavar="DIR", required=True,
              help="Directory to write <public key>.nk files to.")
@key_query_options("Export", curves_flags=("--curves",), curve_key=True)
@click.option("-F", "--force", is_flag=True, default=False, help="Overwrite existing files.")
@click.option("-R", "--remove", is_flag=True, default=False,
              help="Delete the seeds from the keystore once exported.")
@click.option("--include-jwts", "include_jwts", is_flag=True, default=False,
              help="Also write each entity's JWT as <public key>.jwt.")
@json_option
@pass_app
def export_keys(
    app: App,
    *,
    directory: str,
    query: KeyQuery,
    force: bool,
    remove: bool,
    include_jwts: bool,
    as_json: bool,
) -> None:
    """Export the seeds of the keys 'list keys' would show (same selection flags) to DIR.

    Existing files are not overwritten without --force; if any would be, nothing is written.
    """
    from pynsc.actions import importing

    result = importing.export_keys(
        app.nsc, directory, query, force=force, remove=remove, include_jwts=include_jwts
    )
    app.output.report(result.report, as_json=as_json)
