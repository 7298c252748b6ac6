"""``pynsc revocations``: revoke users and activations, list and remove revocations."""

from __future__ import annotations

from pynsc.cli.base import group

_USERS = "pynsc.cli.revocations.users"
_ACTIVATIONS = "pynsc.cli.revocations.activations"


@group(
    "revocations",
    lazy_subcommands={
        "add-user": f"{_USERS}:add_user",
        "delete-user": f"{_USERS}:delete_user",
        "list-users": f"{_USERS}:list_users",
        "add-activation": f"{_ACTIVATIONS}:add_activation",
        "delete-activation": f"{_ACTIVATIONS}:delete_activation",
        "list-activations": f"{_ACTIVATIONS}:list_activations",
        # nsc's underscore spellings
        "add_user": f"{_USERS}:add_user",
        "delete_user": f"{_USERS}:delete_user",
        "list_users": f"{_USERS}:list_users",
        "add_activation": f"{_ACTIVATIONS}:add_activation",
        "delete_activation": f"{_ACTIVATIONS}:delete_activation",
        "list_activations": f"{_ACTIVATIONS}:list_activations",
    },
)
def revocations_group() -> None:
    """Revoke users and activations, and list or remove revocations."""
