"""``pynsc edit``: Edit operators, accounts, users and signing keys."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "edit",
    lazy_subcommands={
        "operator": "pynsc.cli.edit.operator:edit_operator",
        "account": "pynsc.cli.edit.account:edit_account",
        "user": "pynsc.cli.edit.user:edit_user",
        "signing-key": "pynsc.cli.edit.signing_key:edit_signing_key",
        "export": "pynsc.cli.edit.export:edit_export",
        "authcallout": "pynsc.cli.edit.authcallout:edit_authcallout",
    },
)
def edit_group() -> None:
    """Edit operators, accounts, users and signing keys."""
