"""``pynsc delete``: Delete accounts and users."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "delete",
    lazy_subcommands={
        "account": Lazy(
            "pynsc.cli.delete.account:delete_account", "Delete an account and its users."
        ),
        "user": Lazy("pynsc.cli.delete.user:delete_user", "Delete users."),
        "export": Lazy("pynsc.cli.delete.export:delete_export", "Delete an export of an account."),
        "import": Lazy("pynsc.cli.delete.imports:delete_import", "Delete an import."),
        "mapping": Lazy("pynsc.cli.delete.mapping:delete_mapping", "Delete a mapping."),
    },
)
def delete_group() -> None:
    """Delete accounts and users."""
