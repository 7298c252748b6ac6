"""An account's external authorization (auth callout): the users the callout service connects
as, the accounts it may place users in, and the curve key its requests are encrypted for.

The rules, all here and nowhere else:

* something must change; ``disable`` (remove the whole configuration) comes alone;
* auth users are user keys; allowed accounts are account keys, names of local accounts, or
  ``*`` (any); the curve key is a curve key (``X…``) or :data:`GENERATE` for a new one;
* adding a key already there or removing one that is not is reported, not an error;
* the whole account must validate (say, allowed accounts need auth users) before anything is
  written; a curve seed is stored only once the account has been signed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pynsc.actions.account_update import update_account
from pynsc.actions.session import Nsc
from pynsc.claims import ExternalAuthorization
from pynsc.claims.subjects import go_quote
from pynsc.errors import InvalidKeyError, NscError, UsageError
from pynsc.keys import KeyKind, KeyPair, generate
from pynsc.store.report import Report
from pynsc.store.signers import load_key, shown_key
from pynsc.store.store import Store

__all__ = [
    "ANY_ACCOUNT",
    "GENERATE",
    "AuthCalloutChanges",
    "AuthCalloutResult",
    "apply_authcallout",
    "edit_authcallout",
]

GENERATE = "generate"
"""The curve value that asks for a new curve key."""

ANY_ACCOUNT = "*"
"""The allowed account that stands for any account."""


@dataclass(frozen=True, slots=True)
class AuthCalloutChanges:
    """What to change in an account's auth callout.

    ``auth_users``/``rm_auth_users``: user keys (public keys, seeds or files);
    ``allowed_accounts``/``rm_allowed_accounts``: account keys, local account names or
    :data:`ANY_ACCOUNT`; ``curve``: a curve key (key pair, public key, seed or file) or
    :data:`GENERATE`; ``rm_curve`` stops encrypting; ``disable`` removes everything.
    """

    auth_users: tuple[str, ...] = ()
    rm_auth_users: tuple[str, ...] = ()
    allowed_accounts: tuple[str, ...] = ()
    rm_allowed_accounts: tuple[str, ...] = ()
    curve: str | KeyPair | None = None
    rm_curve: bool = False
    disable: bool = False

    def __post_init__(self) -> None:
        for name in ("auth_users", "rm_auth_users", "allowed_accounts", "rm_allowed_accounts"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise UsageError(f"{name} takes a list of keys, not one string")
            object.__setattr__(self, name, tuple(value))

    def sets_something(self) -> bool:
        """Whether anything but ``disable`` is asked for."""
        lists = (self.auth_users, self.rm_auth_users, self.allowed_accounts,
                 self.rm_allowed_accounts)  # fmt: skip
        return any(lists) or self.curve is not None or self.rm_curve

    def check(self) -> None:
        """Something must change, and ``disable`` comes alone (:class:`UsageError`)."""
        if not self.sets_something() and not self.disable:
            raise UsageError("please specify some options")
        if self.disable and self.sets_something():
            raise UsageError("--disable is exclusive of all other options")


@dataclass(slots=True)
class AuthCalloutResult:
    """What :func:`edit_authcallout` did: the report, the account, its new auth callout and JWT,
    and the curve key set (with its seed when known: the callout service needs it)."""

    report: Report
    account: str
    public_key: str
    authorization: ExternalAuthorization
    jwt: str
    curve: KeyPair | None = None


# Keys ----------------------------------------------------------------------------------------


def _invalid(value: str, what: str) -> InvalidKeyError:
    return InvalidKeyError(f"{go_quote(shown_key(value))} is not a valid {what} key")


def _key(value: str | KeyPair, kind: KeyKind, what: str) -> KeyPair:
    """``value`` (a key pair, public key, seed, or file holding one) as a key of ``kind``."""
    if isinstance(value, KeyPair):
        pair = value
        text = value.public_key
    else:
        text = value.strip()
        try:
            pair = load_key(text)
        except NscError:
            raise _invalid(text, what) from None
    if pair.kind is not kind:
        raise _invalid(text, what)
    return pair


def _user_keys(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_key(v, KeyKind.USER, "user").public_key for v in values))


def _account_keys(store: Store, values: Iterable[str]) -> tuple[str, ...]:
    keys = []
    for value in values:
        text = value.strip()
        if text == ANY_ACCOUNT:
            keys.append(ANY_ACCOUNT)
        elif store.has_account(text):
            keys.append(store.account(text).sub)
        else:
            keys.append(_key(text, KeyKind.ACCOUNT, "account").public_key)
    return tuple(dict.fromkeys(keys))


def _curve_key(value: str | KeyPair) -> KeyPair:
    if isinstance(value, str) and value.strip() == GENERATE:
        return generate(KeyKind.CURVE)
    return _key(value, KeyKind.CURVE, "curve")


# Applying ------------------------------------------------------------------------------------


def _edit_keys(
    keys: list[str], added: Sequence[str], removed: Sequence[str], what: str
) -> list[str]:
    lines = []
    for key in added:
        if key in keys:
            lines.append(f'skipped adding {what} "{key}" - as it\'s already set')
        else:
            keys.append(key)
            lines.append(f'added {what} "{key}"')
    for key in removed:
        if key in keys:
            keys.remove(key)
            lines.append(f'deleted {what} "{key}"')
        else:
            lines.append(f'skipping {what} "{key}" - as it\'s not currently set')
    return lines


def apply_authcallout(
    auth: ExternalAuthorization,
    *,
    auth_users: Sequence[str] = (),
    rm_auth_users: Sequence[str] = (),
    allowed_accounts: Sequence[str] = (),
    rm_allowed_accounts: Sequence[str] = (),
    curve: str | None = None,
    rm_curve: bool = False,
) -> list[str]:
    """Apply resolved public keys to ``auth`` in nsc's order; nsc's report lines."""
    lines = _edit_keys(auth.auth_users, auth_users, rm_auth_users, "user")
    lines += _edit_keys(auth.allowed_accounts, allowed_accounts, rm_allowed_accounts, "account")
    if rm_curve:
        if auth.xkey:
            lines.append(f"removed {auth.xkey} curve key")
            auth.xkey = ""
        else:
            lines.append("remove curve key didn't do anything as the curve key was not set")
    if curve is not None:
        auth.xkey = curve
        lines.append(f"set curve key {auth.xkey}")
    return lines


def edit_authcallout(
    nsc: Nsc,
    account: str | None = None,
    changes: AuthCalloutChanges | None = None,
    *,
    signer: str | KeyPair | None = None,
) -> AuthCalloutResult:
    """Configure the auth callout of ``account`` (name or public key; default: the current one)
    and re-sign it with an operator key (``signer``, default ``nsc.signer``).

    Auth callout is on while the account has auth users. Every key is resolved and the whole
    account validated before anything is written; a generated (or given) curve seed is stored
    only then.
    """
    changes = changes or AuthCalloutChanges()
    changes.check()
    report = Report()
    with update_account(nsc, account, report, signer=signer) as update:
        auth_users = _user_keys(changes.auth_users)
        rm_auth_users = _user_keys(changes.rm_auth_users)
        allowed = _account_keys(update.store, changes.allowed_accounts)
        rm_allowed = _account_keys(update.store, changes.rm_allowed_accounts)
        curve = None if changes.curve is None else _curve_key(changes.curve)
        claims = update.claims
        if changes.disable:
            claims.nats.authorization = ExternalAuthorization()
            lines = ["removed external authorization configuration"]
        else:
            lines = apply_authcallout(
                claims.nats.authorization, auth_users=auth_users, rm_auth_users=rm_auth_users,
                allowed_accounts=allowed, rm_allowed_accounts=rm_allowed,
                curve=None if curve is None else curve.public_key, rm_curve=changes.rm_curve,
            )  # fmt: skip
        if curve is not None and curve.has_seed:
            update.store_key(curve)
    generated = isinstance(changes.curve, str) and changes.curve.strip() == GENERATE
    if curve is not None and curve.has_seed and generated:
        report.ok(f'generated and stored curve key "{curve.public_key}"')
    for line in lines:
        report.ok(line)
    auth = claims.nats.authorization
    report.data = {
        "account": update.name,
        "public_key": claims.sub,
        "authorization": {
            "auth_users": list(auth.auth_users),
            "allowed_accounts": list(auth.allowed_accounts),
            "xkey": auth.xkey,
        },
        "jwt": update.token,
    }
    return AuthCalloutResult(report, update.name, claims.sub, auth, update.token, curve)
