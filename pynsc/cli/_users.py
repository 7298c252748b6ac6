"""What the user commands share: finding a user without listing them all, tags, scopes.

An account may hold 100,000 users, so nothing here reads more user files than it must: a user
named on the command line is found by its file name, the default user ("the only one") by
reading at most two directory entries. Only a lookup by public key scans the account.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pynsc.claims import AccountClaims, UserClaims, UserScope
from pynsc.errors import NotFoundError, StoreError
from pynsc.keys import KeyKind, is_public_key
from pynsc.store import Store, layout

if TYPE_CHECKING:
    from pathlib import Path

    from pynsc.store.ops import UserSigner
    from pynsc.store.report import Report

__all__ = [
    "add_tags",
    "only_user",
    "remove_tags",
    "report_saved_user",
    "resolve_user",
    "user_scope",
]


def only_user(store: Store, account: str) -> str | None:
    """The name of the only user of ``account``; ``None`` when it has none or several.

    Stops at the second user found, so it costs the same for two users as for 100,000.
    """
    found: str | None = None
    try:
        with os.scandir(layout.users_dir(store.root, store.name, account)) as entries:
            for entry in entries:
                if not entry.name.endswith(".jwt") or not entry.is_file():
                    continue
                if found is not None:
                    return None
                found = entry.name[: -len(".jwt")]
    except (FileNotFoundError, NotADirectoryError):
        return None
    return found


def resolve_user(
    store: Store,
    account: str,
    name_or_key: str | None,
    *,
    required: str = "user is required",
) -> str:
    """The name of the user called (or keyed) ``name_or_key``, else the account's only user.

    ``required`` is the error when no user is given and the account has not exactly one.
    """
    if name_or_key and name_or_key.strip():
        value = name_or_key.strip()
        if store.has_user(account, value):
            return value
        if is_public_key(value, KeyKind.USER):
            for name in store.user_names(account):
                if store.user(account, name).sub == value:
                    return name
            raise NotFoundError(
                f"no user found with public key {value}",
                hint=f"list the users of {account!r} with 'pynsc list users -a {account}'",
            )
        raise store.user_not_found(account, value)
    default = only_user(store, account)
    if default is None:
        raise StoreError(required, hint="name the user with -n NAME (or as an argument)")
    return default


def user_scope(account: AccountClaims, user: UserClaims) -> UserScope | None:
    """The scope of the signing key that issued ``user``, when it is a scoped key."""
    return account.nats.signing_keys.get(user.iss)


def _tag(value: str) -> str:
    return value.strip().lower()


def add_tags(tags: list[str], new: Iterable[str]) -> list[str]:
    """Add ``new`` to ``tags`` as jwt's ``TagList.Add`` does (trimmed, lower-cased, once
    each), sorted; return the tags that were added."""
    added = []
    for value in new:
        tag = _tag(value)
        if tag and tag not in tags:
            tags.append(tag)
            added.append(tag)
    tags.sort()
    return added


def remove_tags(tags: list[str], gone: Iterable[str]) -> list[str]:
    """Remove ``gone`` from ``tags`` (compared lower-cased); return the tags removed."""
    removed = []
    for value in gone:
        tag = _tag(value)
        if tag in tags:
            tags[:] = [t for t in tags if t != tag]
            removed.append(tag)
    return removed


def report_saved_user(
    report: Report,
    done: str,
    *,
    account: str,
    name: str,
    claims: UserClaims,
    signer: UserSigner,
    saved: tuple[str, Path | None],
) -> None:
    """The end of ``add user``/``edit user``: the creds file line, ``done``, and the ``--json``
    data; ``saved`` is what :func:`pynsc.store.ops.save_user` returned (JWT, creds file)."""
    from pynsc.cli.output import display_path

    token, creds = saved
    if creds is not None:
        report.ok(f"generated user creds file {display_path(creds)}")
    else:
        report.ok("skipped generating creds file - user private key is not available")
    report.ok(done)
    report.data = {
        "account": account,
        "name": name,
        "public_key": claims.sub,
        "issuer": signer.key.public_key,
        "creds": None if creds is None else str(creds),
        "jwt": token,
    }
