"""``pynsc export keys -d DIR``: copy the seeds of the context's keys to ``DIR/<pub>.nk``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from pynsc._fs import atomic_write, ensure_private_dir
from pynsc.cli._keylist import KeyQuery, collect_keys, key_query_options
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.errors import KeyStoreError
from pynsc.store.report import Report


@dataclass(frozen=True, slots=True)
class _Job:
    description: str
    path: Path
    data: str
    key: str = ""  # the public key whose seed this is (empty for a JWT)


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
    keystore = app.keystore
    keys = collect_keys(app.context, keystore, query)
    if not keys:
        raise KeyStoreError("no keys found to export")
    target = Path(directory).expanduser().absolute()
    report = Report()
    jobs: list[_Job] = []
    for entry in keys:
        seed = entry.seed(keystore)
        if seed is None:
            report.warn(f'skipped "{entry.pub}" - no seed available')
            continue
        jobs.append(_Job(entry.pub, target / f"{entry.pub}.nk", seed, key=entry.pub))
    if include_jwts:
        for entry in keys:
            if entry.jwt:
                description = f"{entry.pub}.jwt ({entry.name})"
                jobs.append(_Job(description, target / f"{entry.pub}.jwt", entry.jwt))
    if not force:
        existing = [job.path for job in jobs if job.path.exists()]
        if existing:
            raise KeyStoreError(
                f"{display_path(existing[0])} already exists - specify --force to overwrite"
            )
    ensure_private_dir(target)
    exported = []
    for job in jobs:
        atomic_write(job.path, job.data)
        exported.append({"description": job.description, "path": str(job.path)})
    for job in jobs:
        if remove and job.key:
            keystore.remove(job.key)
            report.ok(f'moved "{job.description}"')
        else:
            report.ok(f'exported "{job.description}"')
    report.data = exported
    app.output.report(report, as_json=as_json)
