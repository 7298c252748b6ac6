"""``pynsc describe user [NAME|KEY]``: show a user JWT of an account."""

from __future__ import annotations

from pynsc.claims import decode_token
from pynsc.cli._users import resolve_user, user_scope
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.describe._show import show_jwt
from pynsc.cli.options import (
    DescribeView,
    account_option,
    describe_options,
    name_option,
    output_file_option,
)
from pynsc.cli.render import describe_scope
from pynsc.errors import StoreError


@command("user", short_help="Describe a user.")
@name_option("user")
@account_option
@output_file_option
@describe_options
@pass_app
def describe_user(
    app: App,
    *,
    name: str | None,
    account: str | None,
    output_file: str | None,
    view: DescribeView,
) -> None:
    """Describe a user of the current (or -a) account, by name or public key.

    Without a name, the account's only user. A user issued by a scoped signing key is
    followed by the scope's table. --json shows the payload, --raw the token, --field one value.
    """
    context = app.context
    store = context.store()
    account_name = context.require_account(account)
    user = resolve_user(store, account_name, name)
    decoded = decode_token(store.user_token(account_name, user))
    extra = []
    try:
        scope = user_scope(store.account(account_name), decoded.claims)  # type: ignore[arg-type]
    except StoreError:
        scope = None
    if scope is not None:
        extra.append(describe_scope(scope))
    show_jwt(app, decoded, view, output_file, extra=extra)
