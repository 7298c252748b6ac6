"""``pynsc list``: List operators, accounts, users and keys."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group

_KINDS = {
    "operators": Lazy("pynsc.cli.listing.operators:list_operators", "List operators."),
    "accounts": Lazy("pynsc.cli.listing.accounts:list_accounts", "List accounts."),
    "users": Lazy("pynsc.cli.listing.users:list_users", "List users."),
    "keys": Lazy(
        "pynsc.cli.listing.keys:list_keys",
        "List the keys of the context and whether they are stored.",
    ),
}


@group(
    "list",
    # each also in the singular (``list user``), as nsc accepts
    lazy_subcommands={**_KINDS, **{name[:-1]: entry for name, entry in _KINDS.items()}},
)
def listing_group() -> None:
    """List operators, accounts, users and keys."""
