"""A managed operator's account server: every account a command writes is exchanged there.

A managed operator (imported from its JWT, no operator seed here) has self-signed accounts: each
is posted to ``<account_server_url>/accounts/<pub>`` and fetched back re-signed by the operator
(nsc's ``StoreClaim``).
"""

from __future__ import annotations

from pynsc.claims import OperatorClaims, decode
from pynsc.claims.subjects import go_quote
from pynsc.errors import PushError
from pynsc.push import http
from pynsc.store.report import Report

__all__ = ["exchange_managed_account"]

_AGAIN = "perform push/pull again or exchange self-signed JWT manually"


def exchange_managed_account(operator: OperatorClaims, token: str, report: Report) -> str:
    """Push a managed operator's self-signed account JWT ``token`` to its account server; the
    JWT to store.

    That is the JWT the server returns when it is signed by the operator (or one of its signing
    keys), else ``token``; ``report`` says which, and why (warnings). A server that cannot be
    reached or refuses the JWT raises :class:`PushError`.
    """
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
