"""Changing a stored account: one operator key re-signs it, a managed operator's account server
sees it first, and nothing is written unless every step succeeded.

A normal operator signs its accounts: the JWT is written and that is all. A managed operator
(imported from its JWT, no operator seed here) has self-signed accounts, so every account JWT an
action writes is first posted to the operator's account server and fetched back re-signed by it
(nsc's ``StoreClaim``, see :func:`pynsc.push.managed.exchange_managed_account`); a server that
cannot be reached or refuses the JWT is an error, raised before anything is written.

Every action that changes an existing account does it in :func:`update_account`::

    report = Report()
    with update_account(nsc, "A", report) as update:
        update.claims.nats.tags.append("blue")
    update.token  # the JWT written

It takes the store lock, resolves the account, and when the block ends without an error
validates the claims, re-signs them with an operator key (:func:`operator_key`: the signer
asked for, else the account's current issuer, else another stored operator key), exchanges them
with a managed operator's account server and writes them; keys handed to
:meth:`AccountUpdate.store_key` are stored just before the JWT.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pynsc.actions.session import Nsc
from pynsc.claims import AccountClaims
from pynsc.keys import KeyPair
from pynsc.store import ops
from pynsc.store.report import Report
from pynsc.store.store import Store

__all__ = [
    "AccountUpdate",
    "exchange_account",
    "operator_key",
    "resign_account",
    "signer_text",
    "store_account",
    "update_account",
]


def signer_text(signer: str | KeyPair | None) -> str | None:
    """``signer`` as the ``-K`` text the signer lookups take: a key pair by its seed (its public
    key when it has none, to be found in the keystore)."""
    if isinstance(signer, KeyPair):
        return signer.seed or signer.public_key
    return signer


def operator_key(
    nsc: Nsc, store: Store, claims: AccountClaims, *, signer: str | KeyPair | None = None
) -> KeyPair:
    """The operator key that (re-)signs account ``claims``: ``signer`` (default ``nsc.signer``:
    a public key, seed or file), else its current issuer, else another stored operator key (a
    managed operator's: the account's own key). A strict operator's identity key is refused."""
    return ops.operator_signer(
        store, nsc.keystore, store.operator(), private_key=signer_text(signer or nsc.signer),
        current_issuer=claims.iss, account_key=claims.sub,
    )  # fmt: skip


def exchange_account(store: Store, token: str, report: Report) -> str:
    """The account JWT to store: ``token`` itself for a normal operator; for a managed one,
    ``token`` pushed to the account server and the JWT it answers with (``report`` gets the
    steps). Raises :class:`~pynsc.errors.PushError` when the server cannot take it."""
    if not store.is_managed:
        return token
    from pynsc.push.managed import exchange_managed_account

    return exchange_managed_account(store.operator(), token, report)


def store_account(store: Store, name: str, token: str, report: Report) -> str:
    """Write account ``name`` (for a managed operator: the JWT its account server returns);
    the JWT written. Nothing is written when the account server fails. Callers hold
    ``store.lock()``."""
    token = exchange_account(store, token, report)
    store.write_account(name, token)
    return token


def resign_account(
    nsc: Nsc,
    store: Store,
    name: str,
    claims: AccountClaims,
    report: Report,
    *,
    signer: str | KeyPair | None = None,
) -> str:
    """Validate, re-sign (:func:`operator_key`) and store (:func:`store_account`) account
    ``name``; the JWT written. Callers hold ``store.lock()``."""
    key = operator_key(nsc, store, claims, signer=signer)
    return store_account(store, name, ops.sign_account(claims, key), report)


class AccountUpdate:
    """An account being changed in an :func:`update_account` block."""

    __slots__ = ("_claims", "_keys", "_signer", "_signer_arg", "name", "nsc", "store", "token")

    def __init__(
        self, nsc: Nsc, store: Store, name: str, *, signer: str | KeyPair | None = None
    ) -> None:
        self.nsc = nsc
        self.store = store
        self.name = name
        #: the JWT written, once the block is done
        self.token = ""
        self._signer_arg = signer
        self._claims: AccountClaims | None = None
        self._signer: KeyPair | None = None
        self._keys: list[KeyPair] = []

    def __repr__(self) -> str:
        return f"AccountUpdate({self.name!r})"

    @property
    def claims(self) -> AccountClaims:
        """The account's claims, read on first use: checks made before that fail first."""
        if self._claims is None:
            self._claims = self.store.account(self.name)
        return self._claims

    def signer(self) -> KeyPair:
        """The operator key that will sign (:func:`operator_key`), chosen once: call it where a
        missing signer must be reported before the checks that follow."""
        if self._signer is None:
            self._signer = operator_key(self.nsc, self.store, self.claims, signer=self._signer_arg)
        return self._signer

    def store_key(self, pair: KeyPair) -> None:
        """Keep ``pair``'s seed in the keystore: after a managed operator's account server took
        the JWT, before the JWT is written."""
        self._keys.append(pair)

    def save(self, report: Report) -> str:
        """Validate, sign, exchange and write the account, storing the keys kept; the JWT."""
        token = ops.sign_account(self.claims, self.signer())
        token = exchange_account(self.store, token, report)  # managed: pushed first
        for pair in self._keys:
            self.nsc.keystore.store(pair)
        self.store.write_account(self.name, token)
        self.token = token
        return token


@contextmanager
def update_account(
    nsc: Nsc,
    account: str | None,
    report: Report,
    *,
    signer: str | KeyPair | None = None,
) -> Iterator[AccountUpdate]:
    """Change the account ``account`` (name or public key; ``None``: the current one).

    Under ``store.lock()``: resolves the account and yields it (its claims are read on first
    use); when the block ends without an error, validates, re-signs and stores it
    (``update.token`` is then the JWT written; ``report`` gets a managed operator's push
    messages). An error in the block leaves everything as it was.
    """
    store = nsc.store()
    with store.lock():
        update = AccountUpdate(nsc, store, nsc.require_account(account), signer=signer)
        yield update
        update.save(report)
