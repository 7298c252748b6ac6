"""``pynsc edit``: Edit operators, accounts, users and signing keys."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "edit",
    lazy_subcommands={
        "operator": Lazy("pynsc.cli.edit.operator:edit_operator", "Edit the operator."),
        "account": Lazy("pynsc.cli.edit.account:edit_account", "Edit an account."),
        "user": Lazy("pynsc.cli.edit.user:edit_user", "Edit a user."),
        "signing-key": Lazy(
            "pynsc.cli.edit.signing_key:edit_signing_key", "Create or edit a scoped signing key."
        ),
        "export": Lazy("pynsc.cli.edit.export:edit_export", "Edit an export of an account."),
        "authcallout": Lazy(
            "pynsc.cli.edit.authcallout:edit_authcallout", "Edit an account's auth callout."
        ),
    },
)
def edit_group() -> None:
    """Edit operators, accounts, users and signing keys."""
