"""``pynsc export keys -d DIR``: copy the seeds of the context's keys to ``DIR/<pub>.nk``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from pynsc._fs import atomic_write, ensure_private_dir
from pynsc.cli._keylist import KeyEntry, KeyQuery, collect_keys
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.errors import KeyStoreError, NscError
from pynsc.store.report import Report


@dataclass(frozen=True, slots=True)
class _Job:
    description: str
    path: Path
    data: str
    key: str = ""  # the public key whose seed this is (empty for a JWT)


def _seed(app: App, entry: KeyEntry) -> str | None:
    if not entry.stored or entry.invalid:
        return None
    try:
        pair = app.keystore.get(entry.pub)
    except NscError:
        return None
    return pair.seed if pair is not None else None


@command("keys", short_help="Export the seeds of the context's keys to a directory.")
@click.option("-d", "--dir", "directory", metavar="DIR", required=True,
              help="Directory to write <public key>.nk files to.")
@click.option("-o", "--operator", "operator", is_flag=True, default=False,
              help="Export operator keys.")
@click.option("-a", "--accounts", "accounts", is_flag=True, default=False,
              help="Export account keys.")
@click.option("-u", "--users", "users", is_flag=True, default=False, help="Export user keys.")
@click.option("--curves", "curves", is_flag=True, default=False,
              help="Export curve (xkey) keys.")
@click.option("--account", "account", metavar="NAME|KEY", default=None,
              help="Export the keys of this account only.")
@click.option("--user", "user", metavar="NAME", default=None,
              help="Export the key of this user only.")
@click.option("--curve", "curve", metavar="KEY", default=None,
              help="Export this curve key only.")
@click.option("-A", "--all", "all_kinds", is_flag=True, default=False,
              help="Export operator, account, user and curve keys.")
@click.option("-f", "--filter", "key_filter", metavar="TEXT", default="",
              help="Export only keys containing TEXT.")
@click.option("--not-referenced", "unreferenced", is_flag=True, default=False,
              help="Export keystore keys the current operator context does not reference.")
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
    operator: bool,
    accounts: bool,
    users: bool,
    curves: bool,
    account: str | None,
    user: str | None,
    curve: str | None,
    all_kinds: bool,
    key_filter: str,
    unreferenced: bool,
    force: bool,
    remove: bool,
    include_jwts: bool,
    as_json: bool,
) -> None:
    """Export the seeds of the keys 'list keys' would show (same selection flags) to DIR.

    Existing files are not overwritten without --force; if any would be, nothing is written.
    """
    keystore = app.keystore
    if not keystore.keys_dir.is_dir():
        raise KeyStoreError(f"keystore {display_path(keystore.keys_dir)} does not exist")
    query = KeyQuery(
        operator=operator, accounts=accounts, users=users, curves=curves, all=all_kinds,
        unreferenced=unreferenced, account=account, user=user, curve=curve, filter=key_filter,
    )  # fmt: skip
    keys = collect_keys(app.context, keystore, query)
    if not keys:
        raise KeyStoreError("no keys found to export")
    target = Path(directory).expanduser().absolute()
    report = Report()
    jobs: list[_Job] = []
    for entry in keys:
        seed = _seed(app, entry)
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
