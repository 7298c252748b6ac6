"""``pynsc edit account [NAME]``: change an account's limits, keys, permissions, JetStream and
tracing settings, tags and validity.

Parses flags and renders; the rules are :func:`pynsc.actions.accounts.edit_account`'s. Each
group of flags lives in its own module (``_account_limits``, ``_account_jetstream``,
``_account_trace``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from pynsc.actions import accounts
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.edit._account_jetstream import jetstream_options
from pynsc.cli.edit._account_limits import account_limit_options
from pynsc.cli.edit._account_trace import trace_options
from pynsc.cli.options import json_option, name_option, permission_options, time_options
from pynsc.cli.params import split_list
from pynsc.cli.user_limits import bool_value_option

if TYPE_CHECKING:
    from pynsc.actions.jetstream import JetStreamChanges
    from pynsc.cli.params import PermissionFlags, TimeFlags

_LIST = "comma list or repeated"


@command("account", short_help="Edit an account.")
@name_option("account")
@click.option("--tag", "tags", metavar="TAG[,...]", multiple=True, help=f"Add tags ({_LIST}).")
@click.option("--rm-tag", "rm_tags", metavar="TAG[,...]", multiple=True,
              help=f"Remove tags ({_LIST}).")
@account_limit_options
@click.option("--sk", "signing_keys", metavar="KEY|generate", multiple=True,
              help="Add a signing key: a public key, seed or file, or 'generate' for a new one "
                   f"(stored) ({_LIST}).")
@click.option("--rm-sk", "rm_signing_keys", metavar="KEY", multiple=True,
              help=f"Remove signing keys ({_LIST}).")
@click.option("--description", default=None, metavar="TEXT", help="Describe the account.")
@click.option("--info-url", "info_url", default=None, metavar="URL",
              help="Link to more information about the account.")
@permission_options
@jetstream_options
@trace_options
@bool_value_option("--host-cluster-traffic", "host_cluster_traffic", hidden=True,
                   help="Route the account's cluster traffic through its own connections.")
@time_options
@json_option
@pass_app
def edit_account(
    app: App,
    *,
    name: str | None,
    tags: tuple[str, ...],
    rm_tags: tuple[str, ...],
    limits: accounts.AccountLimitChanges,
    signing_keys: tuple[str, ...],
    rm_signing_keys: tuple[str, ...],
    description: str | None,
    info_url: str | None,
    perms: PermissionFlags,
    jetstream: JetStreamChanges,
    trace: accounts.TraceChanges,
    host_cluster_traffic: bool | None,
    times: TimeFlags,
    as_json: bool,
) -> None:
    """Edit an account of the current operator (default: the current account).

    The permission flags edit the account's default permissions. Limits take -1 for unlimited
    and units (10k, 1MiB). Only what is flagged changes; -K KEY alone re-signs the account with
    that operator key.
    """
    now = int(time.time())
    changes = accounts.AccountChanges(
        tags=split_list(tags), rm_tags=split_list(rm_tags),
        signing_keys=split_list(signing_keys), rm_signing_keys=split_list(rm_signing_keys),
        description=description, info_url=info_url, host_cluster_traffic=host_cluster_traffic,
        limits=limits, perms=perms, jetstream=jetstream, trace=trace,
        start=times.start_at(now), expiry=times.expiry_at(now),
    )  # fmt: skip
    if changes.is_empty() and not app.private_key:
        raise click.UsageError("specify an edit option")
    result = accounts.edit_account(app.nsc, name, changes)
    app.output.report(result.report, as_json=as_json)
