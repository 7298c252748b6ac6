"""``pynsc edit account [NAME]``: change an account's limits, keys, permissions, JetStream and
tracing settings, tags and validity.

Each group of flags lives in its own module (``_account_limits``, ``_account_jetstream``,
``_account_trace``, ``_account_keys``); this one checks them all, then applies them to the stored
JWT under the store lock, and writes the re-signed JWT last. Fields no flag names are kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.edit._account_jetstream import (
    JetStreamFlags,
    apply_jetstream,
    check_jetstream,
    check_jetstream_flags,
    jetstream_options,
)
from pynsc.cli.edit._account_limits import (
    AccountLimitFlags,
    account_limit_options,
    apply_account_limits,
)
from pynsc.cli.edit._account_trace import TraceFlags, apply_trace, check_trace, trace_options
from pynsc.cli.options import json_option, name_option, permission_options, time_options
from pynsc.cli.user_limits import bool_value_option
from pynsc.errors import NscError

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims
    from pynsc.cli.params import PermissionFlags, TimeFlags
    from pynsc.store import Store

_LIST = "comma list or repeated"


@dataclass(frozen=True, slots=True)
class _Details:
    """Tags, signing keys, description, info URL and cluster traffic, as given."""

    tags: tuple[str, ...] = ()
    rm_tags: tuple[str, ...] = ()
    signing_keys: tuple[str, ...] = ()
    rm_signing_keys: tuple[str, ...] = ()
    description: str | None = None
    info_url: str | None = None
    host_cluster_traffic: bool | None = None

    def is_empty(self) -> bool:
        return self == _Details()


def _apply_details(claims: AccountClaims, details: _Details) -> list[str]:
    from pynsc.claims.subjects import go_quote
    from pynsc.cli._users import add_tags, remove_tags

    nats = claims.nats
    changes = [f'added tag "{tag}"' for tag in add_tags(nats.tags, details.tags)]
    changes += [f'removed tag "{tag}"' for tag in remove_tags(nats.tags, details.rm_tags)]
    if details.description is not None:
        nats.description = details.description
        changes.append(f"changed description to {go_quote(details.description)}")
    if details.info_url is not None:
        nats.info_url = details.info_url
        changes.append(f"changed info url to {go_quote(details.info_url)}")
    if details.host_cluster_traffic is not None:
        nats.cluster_traffic = "owner" if details.host_cluster_traffic else ""
        changes.append(f"changed cluster traffic to {go_quote(nats.cluster_traffic)}")
    return changes


def _check_no_bearer_users(store: Store, account: str) -> None:
    """``--disallow-bearer`` needs every user to be without a bearer token: the one check that
    reads all the account's users, made only when that flag is given."""
    for user in store.user_names(account):
        if store.user(account, user).nats.bearer_token:
            raise NscError(
                f'user "{user}" in account "{account}" uses bearer token '
                "(needs to be deleted/changed first)"
            )


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
    limits: AccountLimitFlags,
    signing_keys: tuple[str, ...],
    rm_signing_keys: tuple[str, ...],
    description: str | None,
    info_url: str | None,
    perms: PermissionFlags,
    jetstream: JetStreamFlags,
    trace: TraceFlags,
    host_cluster_traffic: bool | None,
    times: TimeFlags,
    as_json: bool,
) -> None:
    """Edit an account of the current operator (default: the current account).

    The permission flags edit the account's default permissions. Limits take -1 for unlimited
    and units (10k, 1MiB). Only what is flagged changes; -K KEY alone re-signs the account with
    that operator key.
    """
    from pynsc.cli.params import split_list

    details = _Details(
        tags=split_list(tags), rm_tags=split_list(rm_tags),
        signing_keys=split_list(signing_keys), rm_signing_keys=split_list(rm_signing_keys),
        description=description, info_url=info_url, host_cluster_traffic=host_cluster_traffic,
    )  # fmt: skip
    check_jetstream_flags(jetstream)
    groups = (details, limits, perms, jetstream, trace, times)
    if all(group.is_empty() for group in groups) and not app.private_key:
        raise click.UsageError("specify an edit option")
    _edit(app, name, details, limits, perms, jetstream, trace, times, as_json=as_json)


def _edit(
    app: App,
    name: str | None,
    details: _Details,
    limits: AccountLimitFlags,
    perms: PermissionFlags,
    jetstream: JetStreamFlags,
    trace: TraceFlags,
    times: TimeFlags,
    *,
    as_json: bool,
) -> None:
    from pynsc.cli._accounts import account_update
    from pynsc.cli.edit._account_keys import apply_signing_keys, resolve_signing_keys
    from pynsc.cli.params import apply_permissions
    from pynsc.store.report import Report

    keystore = app.keystore
    now = int(time.time())
    report = Report()
    with account_update(app, name, report) as update:
        store, account, claims = update.store, update.name, update.claims
        is_system = store.operator().nats.system_account == claims.sub
        check_jetstream(jetstream, claims, is_system=is_system)
        check_trace(trace, claims.nats)
        if limits.disallow_bearer:
            _check_no_bearer_users(store, account)
        new_keys = resolve_signing_keys(details.signing_keys, keystore, claims.sub)
        update.signer()  # no signer: said before a bad --rm-sk
        changes, warnings = apply_signing_keys(
            claims.nats, new_keys, details.rm_signing_keys, keystore
        )
        changes += times.apply(claims, now)
        changes += _apply_details(claims, details)
        changes += apply_account_limits(claims.nats.limits, limits)
        changes += apply_jetstream(claims.nats.limits, jetstream)
        changes += apply_permissions(claims.nats.default_permissions, perms)
        changes += apply_trace(claims.nats, trace)
        for pair in new_keys:
            if pair.seed is not None:
                update.store_key(pair)
    for line in changes:
        report.ok(line)
    for line in warnings:
        report.warn(line)
    report.ok(f'edited account "{account}"')
    report.data = {"name": account, "public_key": claims.sub, "jwt": update.token}
    app.output.report(report, as_json=as_json)
