"""``pynsc describe operator [NAME|KEY]``: show an operator JWT.

By name (or public key) it needs no current operator: any operator of the store root will do.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.describe._show import show_jwt
from pynsc.cli.options import DescribeView, describe_options, output_file_option
from pynsc.errors import NotFoundError, StoreError
from pynsc.keys import KeyKind, is_public_key
from pynsc.store import Store, list_operators


def _find_operator(app: App, wanted: str) -> Store:
    root = app.context.store_root
    if wanted in list_operators(root):
        return Store(root, wanted)
    if is_public_key(wanted, KeyKind.OPERATOR):
        for name in list_operators(root):
            try:
                if Store(root, name).operator().sub == wanted:
                    return Store(root, name)
            except StoreError:
                continue
        raise NotFoundError(f"no operator found with public key {wanted}")
    raise NotFoundError(
        f'operator "{wanted}" not in `{root}`', hint="list them with 'pynsc list operators'"
    )


@command("operator", short_help="Describe an operator.")
@click.argument("operator", metavar="[NAME|KEY]", required=False)
@click.option("-n", "--name", "name", metavar="NAME|KEY", help="The operator (name or public key).")
@output_file_option
@describe_options
@pass_app
def describe_operator(
    app: App,
    *,
    operator: str | None,
    name: str | None,
    output_file: str | None,
    view: DescribeView,
) -> None:
    """Describe an operator: a table by default; --json the payload, --raw the token,
    --field one value.

    Without a name it describes the current operator.
    """
    from pynsc.claims import OperatorClaims, decode_token

    wanted = (name or operator or "").strip()
    store = _find_operator(app, wanted) if wanted else app.context.store()
    decoded = decode_token(store.operator_token())
    claims = decoded.claims
    if not isinstance(claims, OperatorClaims):
        raise StoreError(f'the JWT of operator "{store.name}" holds {decoded.claim_type} claims')
    names: dict[str, str] | None = None
    system = claims.nats.system_account
    if system and not (view.json or view.raw or view.field):
        try:
            names = {system: store.find_account(system)}
        except StoreError:
            names = None
    show_jwt(app, decoded, view, output_file, names=names)
