"""``pynsc generate context --context NAME``: a nats CLI context for a user's creds.

Writes ``$XDG_CONFIG_HOME/nats/context/<NAME>.json``:
``{"nsc":"nsc://<operator>/<account>/<user>","url":<first operator service url>,"creds":<path>}``.
The creds file must exist already.
"""

from __future__ import annotations

import json

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option


@command("context", short_help="Generate a nats CLI context for a user.")
@click.option(
    "-u", "--user", "user", metavar="NAME|KEY", default=None,
    help="The user (default: the account's only user).",
)
@click.option("--context", "context_name", metavar="NAME", default=None,
              help="Name of the nats CLI context (required).")
@account_option
@json_option
@pass_app
def generate_context(
    app: App, *, user: str | None, context_name: str | None, account: str | None, as_json: bool
) -> None:
    """Write a nats CLI context (NAME.json in the nats CLI's context directory) that points at
    a user's creds file and the operator's first service URL."""
    from pynsc._fs import atomic_write
    from pynsc.claims.subjects import go_quote
    from pynsc.cli._users import only_user, resolve_user
    from pynsc.cli.output import display_path
    from pynsc.errors import NotFoundError, StoreError
    from pynsc.store import layout
    from pynsc.store.report import Report

    name = (context_name or "").strip()
    if not name:
        raise click.UsageError("context name is required")
    if "/" in name or "\\" in name:
        raise click.UsageError("context name cannot contain filepath separators")
    context = app.context
    store = context.store()
    account_name = context.require_account(account)
    if not user and only_user(store, account_name) is None:
        users = layout.users_dir(store.root, store.name, account_name)
        if next(users.glob("*.jwt"), None) is None:
            raise StoreError(f"account {go_quote(account_name)} has no users")
    user_name = resolve_user(store, account_name, user)
    creds = app.keystore.creds_path(store.name, account_name, user_name)
    if not creds.is_file():
        raise NotFoundError(
            f"creds file {display_path(creds)} - doesn't exist - pynsc generate creds first"
        )
    operator = store.operator()
    content: dict[str, str] = {"nsc": f"nsc://{store.name}/{account_name}/{user_name}"}
    if operator.nats.operator_service_urls:
        content["url"] = operator.nats.operator_service_urls[0]
    content["creds"] = str(creds)
    file_name = name if name.endswith(".json") else f"{name}.json"
    path = app.paths.nats_context_dir / file_name
    atomic_write(path, json.dumps(content, separators=(",", ":")))
    report = Report(data={"path": str(path), "context": content})
    report.ok(f"wrote nats cli context file to {display_path(path)}")
    app.output.report(report, as_json=as_json)
