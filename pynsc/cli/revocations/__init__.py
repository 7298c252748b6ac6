"""``pynsc revocations``: revoke users and activations, list and remove revocations."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group

_USERS = "pynsc.cli.revocations.users"
_ACTIVATIONS = "pynsc.cli.revocations.activations"

_COMMANDS = {
    "add-user": Lazy(f"{_USERS}:add_user", "Revoke a user."),
    "delete-user": Lazy(f"{_USERS}:delete_user", "Remove a user revocation."),
    "list-users": Lazy(f"{_USERS}:list_users", "List the users revoked in an account."),
    "add-activation": Lazy(
        f"{_ACTIVATIONS}:add_activation", "Revoke an account's access to an export."
    ),
    "delete-activation": Lazy(
        f"{_ACTIVATIONS}:delete_activation", "Remove an account's revocation from an export."
    ),
    "list-activations": Lazy(
        f"{_ACTIVATIONS}:list_activations", "List the accounts revoked from an export."
    ),
}


@group(
    "revocations",
    lazy_subcommands={
        **_COMMANDS,
        # nsc's underscore spellings
        **{name.replace("-", "_"): entry for name, entry in _COMMANDS.items()},
    },
)
def revocations_group() -> None:
    """Revoke users and activations, and list or remove revocations."""
