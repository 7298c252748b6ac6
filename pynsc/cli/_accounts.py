"""Storing account JWTs from the CLI, and a managed operator's account server.

A normal operator signs its accounts: :func:`store_account` writes the JWT and that is all.

A managed operator (imported from its JWT, no operator seed here) has self-signed accounts, so
every account a command writes is first posted to the operator's account server
(``<account_server_url>/accounts/<pub>``) and fetched back: the server answers with the JWT
re-signed by the operator, and that is what is stored (nsc's ``StoreClaim``). When it cannot
be fetched back, or the server only accepted it for later, the self-signed JWT is stored with a
warning; when the operator has no http(s) account server URL, nothing is pushed and the
self-signed JWT is stored with a warning. A server that cannot be reached or refuses the JWT is
an error, raised before anything is written.

:func:`exchange_account` is the push and fetch alone, for commands that write something else
(a key) between signing and storing the account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pynsc.claims import OperatorClaims
    from pynsc.store import Store
    from pynsc.store.report import Report

__all__ = ["exchange_account", "push_managed", "store_account"]

_AGAIN = "perform push/pull again or exchange self-signed JWT manually"


def store_account(store: Store, name: str, token: str, report: Report) -> str:
    """Write account ``name``; for a managed operator the JWT its account server returns.

    Returns the JWT written. Raises :class:`~pynsc.errors.PushError` (nothing written) when a
    managed operator's account server cannot be reached or refuses the JWT. Callers hold
    ``store.lock()``.
    """
    token = exchange_account(store, token, report)
    store.write_account(name, token)
    return token


def exchange_account(store: Store, token: str, report: Report) -> str:
    """The account JWT to store: ``token`` itself for a normal operator; for a managed one,
    ``token`` pushed to the account server and the JWT it answers with (see
    :func:`push_managed`)."""
    if not store.is_managed:
        return token
    return push_managed(store.operator(), token, report)


def push_managed(operator: OperatorClaims, token: str, report: Report) -> str:
    """Push the account JWT ``token`` to ``operator``'s account server; the JWT to store.

    That is the JWT the server returns when it is signed by the operator (or one of its signing
    keys), else ``token``; the report says which, and why (warnings).
    """
    from pynsc.claims import decode
    from pynsc.claims.subjects import go_quote
    from pynsc.errors import PushError
    from pynsc.push import http

    asu = operator.nats.account_server_url.strip()
    if not http.is_http_url(asu):
        report.warn(
            f"unable to push to {go_quote(operator.name)} - operator doesn't set an account "
            "server url or manual exchange necessary"
        )
        return token
    account_key = decode(token).sub
    pushed = http.push_account(asu, account_key, token)
    if pushed.is_pending:
        entry = report.warn(
            f"the account server accepted the account jwt ({pushed.status_text}) but does "
            f"not serve it yet - {_AGAIN}"
        )
        entry.add_server_message(pushed.message)
        return token
    entry = report.ok("pushed account jwt to the account server")
    entry.add_server_message(pushed.message)
    try:
        fetched = http.fetch_account(asu, account_key)
    except PushError as e:
        report.warn(f"unable to pull the account jwt back ({e}) - {_AGAIN}")
        return token
    issuer = decode(fetched).iss
    if issuer != operator.sub and issuer not in operator.nats.signing_keys:
        report.warn(
            f"the account server returned an account jwt issued by {issuer}, not by operator "
            f"{go_quote(operator.name)} - {_AGAIN}"
        )
        return token
    report.ok("pulled the account jwt signed by the operator")
    return fetched
