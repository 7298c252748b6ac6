"""``pynsc edit user``: change a user's permissions, limits, tags or validity, and re-sign it.

Only the edited user is read and written: the cost does not grow with the account's users.
"""

from __future__ import annotations

import time

import click

from pynsc.cli._users import add_tags, remove_tags, report_saved_user, resolve_user
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option, name_option, time_options
from pynsc.cli.params import TimeFlags, split_list
from pynsc.cli.render import render_date
from pynsc.cli.user_limits import UserLimitFlags, apply_user_limits, user_limit_options
from pynsc.errors import StoreError
from pynsc.store import ops
from pynsc.store.report import Report


def _dates(claims_nbf: int, claims_exp: int, times: TimeFlags, now: int) -> list[str]:
    changes = []
    start, expiry = times.start_at(now), times.expiry_at(now)
    if start is not None and start != claims_nbf:
        changes.append(f"changed jwt start to {render_date(start) or 'unset'}")
    if expiry is not None and expiry != claims_exp:
        changes.append(f"changed jwt expiry to {render_date(expiry) or 'unset'}")
    return changes


@command("user", short_help="Edit a user.")
@name_option("user")
@click.option("--tag", "tags", metavar="TAG[,...]", multiple=True,
              help="Add tags (comma list or repeated).")
@click.option("--rm-tag", "rm_tags", metavar="TAG[,...]", multiple=True,
              help="Remove tags (comma list or repeated).")
@time_options
@account_option
@user_limit_options
@json_option
@pass_app
def edit_user(
    app: App,
    *,
    name: str | None,
    tags: tuple[str, ...],
    rm_tags: tuple[str, ...],
    times: TimeFlags,
    account: str | None,
    user_limits: UserLimitFlags,
    as_json: bool,
) -> None:
    """Edit a user of the current (or -a) account (its only user when no name is given).

    Fields not named by a flag keep their values. The user is re-signed, by its current
    issuer when that key is stored (-K KEY alone re-signs it with that account key), and its
    creds file rewritten when its seed is stored.
    """
    added_tags, gone_tags = split_list(tags), split_list(rm_tags)
    nothing = user_limits.is_empty() and times.is_empty() and not added_tags and not gone_tags
    if nothing and not app.private_key:
        raise click.UsageError("specify an edit option")
    now = int(time.time())
    context = app.context
    store = context.store()
    keystore = app.keystore
    report = Report()
    with store.lock():
        account_name = context.require_account(account)
        user = resolve_user(store, account_name, name, required="user name is required")
        claims = store.user(account_name, user)
        account_claims = store.account(account_name)
        if user_limits.bearer and account_claims.nats.limits.disallow_bearer:
            raise StoreError("account disallows bearer token")
        strict = store.operator().nats.strict_signing_key_usage
        signer = ops.account_signer(
            keystore, account_claims, private_key=app.private_key,
            current_issuer=claims.iss, strict=strict,
        )  # fmt: skip

        changes = _dates(claims.nbf, claims.exp, times, now)
        start, expiry = times.start_at(now), times.expiry_at(now)
        if start is not None:
            claims.nbf = start
        if expiry is not None:
            claims.exp = expiry
        added = add_tags(claims.nats.tags, added_tags)
        if added:
            changes.append(f"added tags {', '.join(added)}")
        removed = remove_tags(claims.nats.tags, gone_tags)
        if removed:
            changes.append(f"removed tags {', '.join(removed)}")
        changes += apply_user_limits(claims.nats, user_limits)
        if signer.is_scoped and not claims.nats.limits().is_empty():
            raise StoreError(
                "scoped users require no permissions or limits set",
                hint="user was NOT edited as the edits conflict with signing key scope",
            )
        saved = ops.save_user(store, keystore, account_name, account_claims, claims, signer)
    for change in changes:
        report.ok(change)
    report_saved_user(
        report, f'edited user "{user}"',
        account=account_name, name=user, claims=claims, signer=signer, saved=saved,
    )  # fmt: skip
    app.output.report(report, as_json=as_json)
