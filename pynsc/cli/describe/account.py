"""``pynsc describe account [NAME|KEY]``: show an account JWT of the current operator."""

from __future__ import annotations

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.describe._show import show_jwt
from pynsc.cli.options import DescribeView, describe_options, name_option, output_file_option
from pynsc.errors import NotFoundError, StoreError
from pynsc.keys import KeyKind, is_public_key


@command("account", short_help="Describe an account.")
@name_option("account")
@output_file_option
@describe_options
@pass_app
def describe_account(
    app: App,
    *,
    name: str | None,
    output_file: str | None,
    view: DescribeView,
) -> None:
    """Describe an account: a table by default; --json the payload, --raw the token,
    --field one value.

    Without a name it describes the current account, or the only one of the operator.
    """
    from pynsc.claims import AccountClaims, decode_token

    wanted = (name or "").strip()
    store = app.context.store()
    if wanted:
        try:
            found = store.find_account(wanted)
        except NotFoundError:
            if is_public_key(wanted, KeyKind.ACCOUNT):
                raise NotFoundError(f"no account found with public key {wanted}") from None
            raise
    elif app.context.account and store.has_account(app.context.account):
        found = app.context.account
    else:
        raise StoreError("account is required", hint="pass the account name or public key")
    decoded = decode_token(store.account_token(found))
    claims = decoded.claims
    if not isinstance(claims, AccountClaims):
        raise StoreError(f'the JWT of account "{found}" holds {decoded.claim_type} claims')
    plain = not (view.json or view.raw or view.field)
    # friendly names only matter for the Imports table
    names = store.account_key_names() if plain and claims.nats.imports else None
    show_jwt(app, decoded, view, output_file, names=names)
