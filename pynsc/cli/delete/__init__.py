"""``pynsc delete``: Delete accounts and users."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "delete",
    lazy_subcommands={
        "account": "pynsc.cli.delete.account:delete_account",
        "user": "pynsc.cli.delete.user:delete_user",
        "export": "pynsc.cli.delete.export:delete_export",
        "import": "pynsc.cli.delete.imports:delete_import",
        "mapping": "pynsc.cli.delete.mapping:delete_mapping",
    },
)
def delete_group() -> None:
    """Delete accounts and users."""
