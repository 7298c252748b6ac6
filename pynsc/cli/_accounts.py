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

Commands that change an existing account do it in :func:`account_update`: it takes the store
lock, loads the account, and when the block is done re-signs it with an operator key (its
current issuer first), validates it and stores it, so a command body reads parse, change the
claims, report.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims
    from pynsc.cli.app import App
    from pynsc.keys import KeyPair
    from pynsc.store import Store
    from pynsc.store.report import Report

__all__ = [
    "AccountUpdate",
    "account_update",
    "exchange_account",
    "operator_key",
    "resign_account",
    "store_account",
]

def store_account(store: Store, name: str, token: str, report: Report) -> str:
    """Write account ``name``; for a managed operator the JWT its account server returns.

    Returns the JWT written. Raises :class:`~pynsc.errors.PushError` (nothing written) when a
    managed operator's account server cannot be reached or refuses the JWT. Callers hold
    ``store.lock()``.
    """
    token = exchange_account(store, token, report)
    store.write_account(name, token)
    return token


def operator_key(app: App, store: Store, claims: AccountClaims) -> KeyPair:
    """The operator key that re-signs the stored account ``claims``: ``-K``, else its current
    issuer, else another stored operator key (a managed operator's: the account's own key)."""
    from pynsc.store import ops

    return ops.operator_signer(
        store, app.keystore, store.operator(), private_key=app.private_key,
        current_issuer=claims.iss, account_key=claims.sub,
    )  # fmt: skip


def resign_account(
    app: App, store: Store, name: str, claims: AccountClaims, report: Report
) -> str:
    """Validate, re-sign (:func:`operator_key`) and store (:func:`store_account`) account
    ``name``; the JWT written. Nothing is written when there is no signer, the account does not
    validate or a managed operator's account server cannot take it. Callers hold
    ``store.lock()``."""
    from pynsc.store import ops

    token = ops.sign_account(claims, operator_key(app, store, claims))
    return store_account(store, name, token, report)


class AccountUpdate:
    """An account being changed in an :func:`account_update` block."""

    __slots__ = ("_claims", "_keys", "_signer", "app", "name", "store", "token")

    def __init__(self, app: App, store: Store, name: str) -> None:
        self.app = app
        self.store = store
        self.name = name
        #: the JWT written, once the block is done
        self.token = ""
        self._claims: AccountClaims | None = None
        self._signer: KeyPair | None = None
        self._keys: list[KeyPair] = []

    @property
    def claims(self) -> AccountClaims:
        """The account's claims, read on first use: a command's checks that come first fail
        first, as they did before it read the account."""
        if self._claims is None:
            self._claims = self.store.account(self.name)
        return self._claims

    def signer(self) -> KeyPair:
        """The operator key that will sign (:func:`operator_key`), chosen once: call it where
        a missing signer must be reported before the checks that follow."""
        if self._signer is None:
            self._signer = operator_key(self.app, self.store, self.claims)
        return self._signer

    def store_key(self, pair: KeyPair) -> None:
        """Keep ``pair``'s seed in the keystore with the account: after a managed operator's
        account server took the JWT, before the JWT is written."""
        self._keys.append(pair)

    def _save(self, report: Report) -> None:
        from pynsc.store import ops

        token = ops.sign_account(self.claims, self.signer())
        token = exchange_account(self.store, token, report)  # managed: pushed first
        for pair in self._keys:
            self.app.keystore.store(pair)
        self.store.write_account(self.name, token)
        self.token = token


@contextmanager
def account_update(app: App, account: str | None, report: Report) -> Iterator[AccountUpdate]:
    """Change the account ``account`` (name or public key; ``None``: the current one).

    Under ``store.lock()``: resolves the account and yields it (its claims are read on first
    use); when the block ends without an error, validates, re-signs and stores it
    (``update.token`` is then the JWT written; ``report`` gets a managed operator's push
    messages). An error in the block leaves everything as it was.
    """
    context = app.context
    store = context.store()
    with store.lock():
        name = context.require_account(account)
        update = AccountUpdate(app, store, name)
        yield update
        update._save(report)


def exchange_account(store: Store, token: str, report: Report) -> str:
    """The account JWT to store: ``token`` itself for a normal operator; for a managed one,
    ``token`` pushed to the account server and the JWT it answers with (see
    :func:`pynsc.push.managed.exchange_managed_account`)."""
    if not store.is_managed:
        return token
    from pynsc.push.managed import exchange_managed_account

    return exchange_managed_account(store.operator(), token, report)
