"""``pynsc list``: List operators, accounts, users and keys."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "list",
    lazy_subcommands={
        "operators": "pynsc.cli.listing.operators:list_operators",
        "accounts": "pynsc.cli.listing.accounts:list_accounts",
        "users": "pynsc.cli.listing.users:list_users",
        "keys": "pynsc.cli.listing.keys:list_keys",
        "operator": "pynsc.cli.listing.operators:list_operators",
        "account": "pynsc.cli.listing.accounts:list_accounts",
        "user": "pynsc.cli.listing.users:list_users",
        "key": "pynsc.cli.listing.keys:list_keys",
    },
)
def listing_group() -> None:
    """List operators, accounts, users and keys."""
