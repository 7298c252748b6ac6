"""``pynsc delete import``: remove an import from an account.

The import is found by its remote subject (``-s``; not needed when the account has only one
import); when several exporters provide that subject, ``--src-account`` (an account of this
operator, or an account public key) says which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.errors import NscError

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims, Import
    from pynsc.store import Store


@command("import", short_help="Delete an import.")
@click.option("-s", "--subject", metavar="SUBJECT", default=None,
              help="Remote subject of the import (optional when the account has one import).")
@click.option("--src-account", "src_account", metavar="NAME|KEY", default=None,
              help="Exporting account, when several import the subject: an account of this "
                   "operator or an account public key.")
@account_option
@json_option
@pass_app
def delete_import(
    app: App,
    *,
    subject: str | None,
    src_account: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Delete an import of the current (or -a) account; the account is re-signed by the
    operator."""
    from pynsc.cli._accounts import account_update
    from pynsc.store.report import Report

    report = Report()
    with account_update(app, account, report) as update:
        claims = update.claims
        exporter = _source_key(update.store, src_account) if src_account else None
        index = _find(claims, update.name, (subject or "").strip(), exporter, src_account)
        removed = claims.nats.imports.pop(index)
    report.ok(f'deleted {removed.type} import "{removed.subject}"')
    report.data = {
        "account": update.name,
        "import": {
            "name": removed.name,
            "subject": removed.subject,
            "account": removed.account,
            "type": removed.type,
        },
    }
    app.output.report(report, as_json=as_json)


def _source_key(store: Store, value: str) -> str:
    """``--src-account``: an account of this operator by name, else taken as a public key."""
    text = value.strip()
    if store.has_account(text):
        return store.account(text).sub
    return text


def _find(
    claims: AccountClaims,
    account_name: str,
    subject: str,
    exporter: str | None,
    src_account: str | None,
) -> int:
    """The index of the import to delete, or an nsc-like error saying why there is none."""
    imports = claims.nats.imports
    if not imports:
        raise NscError(f'account "{account_name}" doesn\'t have imports')
    if not subject:
        if len(imports) > 1:
            raise click.UsageError("subject is required")
        subject = imports[0].subject
    matching = [i for i, imp in enumerate(imports) if imp.subject == subject]
    if exporter is not None:
        matching = [i for i in matching if imports[i].account == exporter]
    if not matching:
        message = f'no import matching "{subject}" found'
        if src_account:
            message += f" from account {src_account.strip()}"
        raise NscError(message)
    if len(matching) > 1:
        raise NscError(_ambiguous(subject, [imports[i] for i in matching]))
    return matching[0]


def _ambiguous(subject: str, found: list[Import]) -> str:
    accounts = list(dict.fromkeys(imp.account for imp in found))
    if len(accounts) > 1:
        return (
            f'more than one import "{subject}" found - specify --src-account with one of '
            f"{', '.join(accounts)}"
        )
    # one exporter, a stream and a service import of the same subject
    kinds = ", ".join(imp.type for imp in found)
    return f'more than one import "{subject}" found from {accounts[0]} ({kinds})'
