"""``pynsc edit signing-key --sk KEY|ROLE|generate``: make an account signing key scoped, or edit
the role, description and user template of a scoped one.

Users signed by a scoped key get the key's template instead of permissions and limits of their
own; ``-K ROLE`` picks the key by its role when adding users. Parses flags and renders; the
rules are :func:`pynsc.actions.signing_keys.edit_signing_key`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import signing_keys
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.user_limits import UserLimitFlags, user_limit_options


@command("signing-key", short_help="Create or edit a scoped signing key.")
@click.argument("sk_argument", metavar="[KEY|ROLE]", required=False)
@click.option("--sk", "sk", metavar="KEY|ROLE|generate", default=None,
              help="The signing key: a public key, seed or file, the role of a scoped key, or "
                   "'generate' for a new key.")
@click.option("--role", default=None, metavar="ROLE",
              help="Role of the scoped key (with -K ROLE users are signed by it).")
@click.option("--description", default=None, metavar="TEXT", help="Describe the scoped key.")
@account_option
@user_limit_options
@json_option
@pass_app
def edit_signing_key(
    app: App,
    *,
    sk_argument: str | None,
    sk: str | None,
    role: str | None,
    description: str | None,
    account: str | None,
    user_limits: UserLimitFlags,
    as_json: bool,
) -> None:
    """Promote a signing key of the account to a scoped key, or edit its scope: role,
    description, and the permissions and limits its users get (the user flags below)."""
    if sk and sk_argument and sk != sk_argument:
        raise click.UsageError("the signing key is given twice, as --sk and as an argument")
    result = signing_keys.edit_signing_key(
        app.nsc, (sk or sk_argument or "").strip() or None, account=account, role=role,
        description=description, template=user_limits,
    )  # fmt: skip
    app.output.report(result.report, as_json=as_json)
