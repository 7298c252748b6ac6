"""``pynsc add``: Add assets such as operators, accounts and users."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "add",
    lazy_subcommands={
        "operator": Lazy(
            "pynsc.cli.add.operator:add_operator", "Add a local operator, or import a managed one."
        ),
        "account": Lazy("pynsc.cli.add.account:add_account", "Add an account."),
        "user": Lazy("pynsc.cli.add.user:add_user", "Add a user to an account."),
        "export": Lazy("pynsc.cli.add.export:add_export", "Add an export to an account."),
        "import": Lazy("pynsc.cli.add.imports:add_import", "Add an import."),
        "mapping": Lazy("pynsc.cli.add.mapping:add_mapping", "Add (or modify) a mapping entry."),
    },
)
def add_group() -> None:
    """Add assets such as operators, accounts and users."""
