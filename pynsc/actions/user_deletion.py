"""Deleting users: their JWTs, optionally revoking them first and removing their seeds and creds.

The rules, all here and nowhere else:

* at least one user is named, and every user named exists (each is found by its file; no other
  user of the account is read); otherwise nothing is deleted;
* ``revoke`` revokes the users in the account JWT (now; a user revoked already keeps its time),
  and the account is re-signed and stored before any user is deleted, so a failure to sign or
  store it leaves every user in place;
* ``remove_keys`` and ``remove_creds`` remove the users' seeds and creds files, reporting those
  that were not stored;
* a user's JWT is set aside before its seed and creds go, so a killed deletion never leaves a
  JWT without its seed, and running the same call again finishes it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from pynsc.actions.account_update import resign_account
from pynsc.actions.session import Nsc
from pynsc.claims import UserClaims, decode_unverified
from pynsc.errors import UsageError
from pynsc.keys import KeyPair
from pynsc.store.report import Report

__all__ = ["DeleteUsersResult", "delete_users"]


@dataclass(slots=True)
class DeleteUsersResult:
    """What :func:`delete_users` did: the users deleted (name and public key) and the public
    keys revoked by it."""

    report: Report
    account: str
    deleted: list[dict[str, str]] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)


def delete_users(
    nsc: Nsc,
    names: Iterable[str],
    *,
    account: str | None = None,
    revoke: bool = False,
    remove_keys: bool = False,
    remove_creds: bool = False,
    signer: str | KeyPair | None = None,
    now: int | None = None,
) -> DeleteUsersResult:
    """Delete the users ``names`` of ``account`` (default: the current one).

    ``revoke`` also revokes them in the account JWT (re-signed by an operator key: ``signer``,
    default ``nsc.signer``, else its current issuer), so servers reject their JWTs even where a
    copy survives. ``remove_keys``/``remove_creds`` delete their seeds and creds files.
    """
    if isinstance(names, str):
        names = [names]
    wanted = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    if not wanted:
        raise UsageError("please specify a user to delete (-n NAME or NAME)")
    store = nsc.store()
    keystore = nsc.keystore
    report = Report()
    with store.lock():
        account_name = nsc.require_account(account)
        unfinished: dict[str, UserClaims] = {}  # deletions a killed process started
        for name in wanted:
            if store.has_user(account_name, name):
                continue
            token = store.deleted_user(account_name, name)
            if token is None:
                raise store.user_not_found(account_name, name)
            unfinished[name] = decode_unverified(token, UserClaims)
        users = {
            name: unfinished[name] if name in unfinished else store.user(account_name, name)
            for name in wanted
        }
        claims = store.account(account_name)
        moment = int(time.time()) if now is None else now
        revocations = claims.nats.revocations
        revoked = [u.sub for u in users.values() if revoke and u.sub not in revocations]
        if revoked:
            for key in revoked:
                revocations[key] = moment
            # the account first: if it cannot be signed or stored, no user is gone yet
            resign_account(nsc, store, account_name, claims, report, signer=signer)
        deleted: list[dict[str, str]] = []
        for name, user in users.items():
            entry = report.ok(f"user {name} [{user.sub}]")
            if revoke:
                entry.ok("revoked user" if user.sub in revoked else "user is already revoked")
            if name not in unfinished:
                # set aside first: the user is gone, its key still known to a re-run
                store.mark_user_deleted(account_name, name)
            entry.ok("user deleted")
            deleted.append({"name": name, "public_key": user.sub})
            if remove_keys:
                gone = keystore.remove(user.sub)
                entry.ok("deleted private key" if gone else "private key is not stored")
            if remove_creds:
                gone = keystore.remove_creds(store.name, account_name, name)
                entry.ok("removed creds file" if gone else "creds file is not stored")
            store.purge_user(account_name, name)
    if revoked:
        report.ok(f'edited account "{account_name}"')
    report.data = {"account": account_name, "deleted": deleted, "revoked": revoked}
    return DeleteUsersResult(report, account_name, deleted, revoked)
