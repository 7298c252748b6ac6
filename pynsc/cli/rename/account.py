"""``pynsc rename account OLD NEW --OK``: re-issue an account under a new name, same key.

The account directory (with its users) is renamed in one step, and the creds directory with it:
user JWTs don't hold the account name, so they stay valid as they are.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.errors import ExistsError

if TYPE_CHECKING:
    from pynsc.store import Store
    from pynsc.store.report import Report

_WARNING = """\
This command makes destructive changes to files and keys. The account
rename operation requires that the JWT be reissued with a new name,
reusing its previous ID. This command will move the account, and moves
users and associated credential files under the new account name.
Please backup the following directories:

  {stores}
  {keys}

Run this command with the '--OK' flag, to bypass the warning."""


def _move_account(store: Store, old: str, new: str, token: str, report: Report) -> None:
    """Write ``token`` as ``NEW.jwt`` beside ``OLD.jwt``, rename the directory, drop the old JWT.

    A crash at any point leaves one readable account: before the rename the directory is still
    ``OLD`` (``NEW.jwt`` in it is ignored); after it, ``NEW`` has its JWT.
    """
    from pynsc._fs import atomic_write
    from pynsc.store import layout

    old_dir = layout.account_dir(store.root, store.name, old)
    new_dir = layout.account_dir(store.root, store.name, new)
    atomic_write(old_dir / f"{new}.jwt", token)
    report.ok(f'stored account "{new}"')
    os.rename(old_dir, new_dir)
    report.ok(f"moved users to {display_path(new_dir)}")
    (new_dir / f"{old}.jwt").unlink()
    report.ok("deleted old account jwt")


def _move_creds(old_dir: Path, new_dir: Path, report: Report) -> None:
    if not old_dir.is_dir():
        report.ok("skipping... no creds directory found")
        return
    os.rename(old_dir, new_dir)
    report.ok(f"moved creds directory to {display_path(new_dir)}")


@command("account", short_help="Rename an account (re-issues its JWT).")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--OK", "confirmed", is_flag=True, default=False,
              help="Confirm that the store and keystore are backed up.")
@json_option
@pass_app
def rename_account(app: App, *, old: str, new: str, confirmed: bool, as_json: bool) -> None:
    """Rename account OLD to NEW: its JWT is re-signed with the new name and the same key, and
    its users and creds move under the new name."""
    from pynsc.cli._accounts import exchange_account, operator_key
    from pynsc.store import check_name, ops
    from pynsc.store.report import Report

    context = app.context
    if not confirmed:
        app.output.status(_WARNING.format(
            stores=display_path(context.store_root), keys=display_path(app.keystore.root)
        ))
        raise click.UsageError('required flag "OK" not set')
    store = context.store()
    new = check_name(new, "account")
    old = store.find_account(old)
    report = Report(f'rename account "{old}" to "{new}"')
    with store.lock():
        taken = store.account_named(new)
        if taken is not None and taken != old:
            raise ExistsError(f'account "{new}" already exists')
        if new == old:
            raise ExistsError(f'account "{old}" is already named "{new}"')
        creds_old = app.keystore.creds_dir / store.name / old
        creds_new = app.keystore.creds_dir / store.name / new
        if creds_new.exists() and creds_new != creds_old:
            raise ExistsError(f"creds dir {display_path(creds_new)} already exists")
        claims = store.account(old)
        signer = operator_key(app, store, claims)
        claims.name = new
        token = ops.sign_account(claims, signer)
        token = exchange_account(store, token, report)  # managed: pushed before any move
        _move_account(store, old, new, token, report)
        _move_creds(creds_old, creds_new, report)
    if context.config.account == old and context.config.operator == store.name:
        with contextlib.suppress(OSError):
            context.save(account=new)
    report.data = {"old": old, "new": new, "public_key": claims.sub}
    app.output.report(report, as_json=as_json)
