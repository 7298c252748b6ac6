"""Users: issue, add, edit, with every rule nsc applies.

The rules, all here and nowhere else:

* a user name is required (``*`` picks a random one) and unique in its account;
* a user key given by the caller must be a user key (``U…``);
* when the operator requires signing keys, the account must have one, and its identity key may
  not sign;
* an account that disallows bearer tokens gets no bearer user;
* a user signed by a scoped signing key carries no permissions or limits of its own (the scope's
  template applies; tags and validity are allowed, for templates such as ``{{tag(project)}}``);
* a user signed by anything but the account's identity key carries ``issuer_account``;
* the claims must validate before they are signed.

:func:`sign_user` applies them to claims and a signer, with or without a store (the
:class:`~pynsc.actions.issuer.Issuer` uses it); :func:`add_user` and :func:`edit_user` do it on a
store and write the JWT and creds.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from pynsc._model import dataclass
from pynsc.actions.session import Nsc
from pynsc.actions.user_changes import (
    UserChanges,
    add_tags,
    apply_user_changes,
    apply_user_limits,
)
from pynsc.claims import AccountClaims, UserClaims, UserScope, encode, validate
from pynsc.errors import ClaimsError, ExistsError, InvalidKeyError, NotFoundError, StoreError
from pynsc.keys import KeyKind, KeyPair, format_creds, generate, is_public_key
from pynsc.store import Store, layout
from pynsc.store.ops import UserSigner, account_signer, check_account_signer
from pynsc.store.report import Report
from pynsc.store.signers import load_key
from pynsc.text import display_path

__all__ = [
    "Creds",
    "UserResult",
    "add_user",
    "check_user_signer",
    "edit_user",
    "find_user",
    "new_user_claims",
    "only_user",
    "random_name",
    "sign_user",
    "user_signer",
]

SCOPED_HINT = "the signing key's scope sets them; sign with an unscoped key to set any"


@dataclass(frozen=True, slots=True)
class Creds:
    """An issued user: its JWT, its seed when known, and the creds file text."""

    jwt: str
    seed: str | None
    claims: UserClaims

    @property
    def public_key(self) -> str:
        return self.claims.sub

    @property
    def name(self) -> str:
        return self.claims.name

    @property
    def account(self) -> str:
        """The public key of the user's account."""
        return self.claims.issuer_account

    @property
    def expires(self) -> int:
        """Unix seconds the JWT expires at; 0 when it never does."""
        return self.claims.exp

    @property
    def text(self) -> str:
        """The ``.creds`` file content (JWT and seed); needs the seed."""
        if self.seed is None:
            raise InvalidKeyError(
                f"no seed for user {self.public_key}: a creds file needs it",
                hint="issue the user with a key whose seed you have",
            )
        return format_creds(self.jwt, self.seed)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write :attr:`text` to ``path`` atomically, 0600, in a 0700 directory."""
        from pynsc._fs import atomic_write, ensure_private_dir

        target = Path(path).expanduser()
        ensure_private_dir(target.parent)
        atomic_write(target, self.text)
        return target


@dataclass(slots=True)
class UserResult:
    """What :func:`add_user`/:func:`edit_user` did: the report lines, the user and its creds."""

    report: Report
    account: str
    creds: Creds
    issuer: str
    creds_path: Path | None

    @property
    def name(self) -> str:
        return self.creds.name

    @property
    def jwt(self) -> str:
        return self.creds.jwt


# Names ---------------------------------------------------------------------------------------


def random_name() -> str:
    """A random ``adjective_surname`` (for the name ``*``)."""
    from pynsc.names import random_name as pick

    return pick()


def _user_name(name: str) -> str:
    if name.strip() == "*":
        return random_name()
    return layout.check_name(name, "user")


def only_user(store: Store, account: str) -> str | None:
    """The only user of ``account``; ``None`` when it has none or several. Reads at most two
    directory entries, so it costs the same for two users as for 100,000."""
    return store.only_user(account)


def find_user(
    store: Store, account: str, name_or_key: str | None, *, required: str = "user is required"
) -> str:
    """The user called (or keyed) ``name_or_key``, else the account's only user.

    ``required`` is the error when none is named and the account has not exactly one. A name is
    found by its file alone; only a public key scans the account.
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
    default = store.only_user(account)
    if default is None:
        raise StoreError(required, hint="name the user with -n NAME (or as an argument)")
    return default


# Signing -------------------------------------------------------------------------------------


def user_signer(
    nsc: Nsc,
    store: Store,
    account_name: str,
    account: AccountClaims,
    *,
    signer: str | KeyPair | None = None,
    current_issuer: str = "",
) -> UserSigner:
    """The key that signs a user of ``account``: ``signer`` (a role, public key, seed or file;
    default ``nsc.signer``), else the first stored candidate. A strict operator needs a signing
    key on the account and refuses the identity key."""
    strict = store.operator().nats.strict_signing_key_usage
    if strict and not account.nats.signing_keys:
        raise StoreError(
            "unable to issue users when operator requires signing keys and the account has none",
            hint=f"add one with 'pynsc edit account {account_name} --sk generate'",
        )
    if isinstance(signer, KeyPair):
        return check_user_signer(account, signer, strict=strict)
    return account_signer(
        nsc.keystore, account, private_key=signer or nsc.signer,
        current_issuer=current_issuer, strict=strict,
    )  # fmt: skip


def check_user_signer(
    account: AccountClaims, key: KeyPair, *, strict: bool = False
) -> UserSigner:
    """``key`` as the signer of ``account``'s users: the identity key (not when ``strict``) or
    one of its signing keys, with its scope when it has one."""
    key = key.require(KeyKind.ACCOUNT, role="signing")
    if key.seed is None:
        raise InvalidKeyError(f"the seed of {key.public_key} is needed to sign")
    return check_account_signer(account, key, strict=strict)


def _check_scope(scope: UserScope | None, changes: UserChanges, *, hint: str) -> None:
    if scope is not None and changes.sets_limits():
        raise StoreError("scoped users require no permissions or limits set", hint=hint)


def _check_bearer(changes: UserChanges, disallow_bearer: bool, account_name: str) -> None:
    if changes.bearer and disallow_bearer:
        raise StoreError(
            f'account "{account_name}" forbids the use of bearer token',
            hint="the account's --disallow-bearer limit is set",
        )


def sign_user(
    claims: UserClaims,
    *,
    account_key: str,
    signer: UserSigner,
    now: int | None = None,
) -> str:
    """Sign a user's claims for the account ``account_key`` with ``signer``.

    Sets what the signer implies (``issuer_account`` unless the account key itself signs; a
    scoped key's user cleared of permissions and limits, after checking it set none) and
    refuses claims that do not validate.
    """
    if signer.is_scoped:
        if not claims.nats.limits().is_empty() and not _is_default(claims):
            raise StoreError("scoped users require no permissions or limits set",
                             hint=SCOPED_HINT)  # fmt: skip
        claims.nats.set_scoped()
    issuer = signer.key.public_key
    claims.nats.issuer_account = account_key if issuer != account_key else ""
    problems = validate(claims, now).errors()
    if problems:
        raise ClaimsError("; ".join(p.description for p in problems))
    return encode(claims, signer.key, iat=now)


def _is_default(claims: UserClaims) -> bool:
    """Whether a user's limits are the defaults of fresh claims (nothing was set)."""
    return claims.nats.limits() == UserClaims(sub=claims.sub).nats.limits()


def new_user_claims(
    name: str, public_key: str, changes: UserChanges, *, scoped: bool
) -> tuple[UserClaims, list[str]]:
    """Fresh claims for a user called ``name`` with ``changes`` applied (limits skipped for a
    scoped key's user), and the report lines nsc prints for them (the permissions; bearer and
    source networks are set silently, the networks in the order given, each once)."""
    claims = UserClaims(sub=public_key, name=name)
    if changes.start:
        claims.nbf = changes.start
    if changes.expiry:
        claims.exp = changes.expiry
    add_tags(claims.nats.tags, changes.tags)
    lines: list[str] = []
    if not scoped and changes.sets_limits():
        claims.nats.src = list(dict.fromkeys(changes.source_networks))
        claims.nats.bearer_token = bool(changes.bearer)
        rest = dataclasses.replace(changes, source_networks=(), bearer=None)
        lines = apply_user_limits(claims.nats, rest)
    return claims, lines


# Store actions -------------------------------------------------------------------------------


def _user_key(key: str | KeyPair | None, nsc: Nsc) -> tuple[KeyPair, bool]:
    if key is None:
        return generate(KeyKind.USER), True
    pair = key if isinstance(key, KeyPair) else load_key(key, nsc.keystore)
    if pair.kind is not KeyKind.USER:
        raise InvalidKeyError("invalid user key", hint="--public-key takes a user key (U…)")
    return pair, False


def _save(
    nsc: Nsc, store: Store, account_name: str, claims: UserClaims, token: str,
    stored: KeyPair | None = None,
) -> Path | None:  # fmt: skip
    """Write the user's creds (when its seed is stored), then its JWT: the user exists, or is
    changed, once its JWT is written, so a killed command never leaves it without its creds
    or with old ones; running the command again replaces creds written before a kill.

    ``stored`` is the user's key when the caller has just stored it (not read back again)."""
    user_key = stored if stored is not None else nsc.keystore.get(claims.sub)
    creds = None
    if user_key is not None and user_key.seed is not None:
        creds = nsc.keystore.write_creds(
            store.name, account_name, claims.name, format_creds(token, user_key.seed)
        )
    store.write_user(account_name, claims.name, token)
    return creds


def _finish(
    report: Report, done: str, account_name: str, creds: Creds, signer: UserSigner,
    creds_path: Path | None,
) -> UserResult:  # fmt: skip
    if creds_path is not None:
        report.ok(f"generated user creds file {display_path(creds_path)}")
    else:
        report.ok("skipped generating creds file - user private key is not available")
    report.ok(done)
    report.data = {
        "account": account_name,
        "name": creds.name,
        "public_key": creds.public_key,
        "issuer": signer.key.public_key,
        "creds": None if creds_path is None else str(creds_path),
        "jwt": creds.jwt,
    }
    return UserResult(report, account_name, creds, signer.key.public_key, creds_path)


def add_user(
    nsc: Nsc,
    name: str,
    *,
    account: str | None = None,
    key: str | KeyPair | None = None,
    changes: UserChanges | None = None,
    signer: str | KeyPair | None = None,
    now: int | None = None,
) -> UserResult:
    """Add user ``name`` to ``account`` (default: the current one) and write its creds.

    ``key`` is the user's key (public key, seed, file or pair); by default one is generated and
    stored. ``signer`` picks the signing key (see :func:`user_signer`). ``changes`` sets the
    user's permissions, limits, tags and validity.
    """
    changes = changes or UserChanges()
    user_name = _user_name(name)
    pair, generated = _user_key(key, nsc)
    store = nsc.store()
    report = Report()
    with store.lock():
        account_name = nsc.require_account(account)
        account_claims = store.account(account_name)
        if store.has_user(account_name, user_name):
            raise ExistsError(f'the user "{user_name}" already exists')
        _check_bearer(changes, account_claims.nats.limits.disallow_bearer, account_name)
        user_signing = user_signer(nsc, store, account_name, account_claims, signer=signer)
        _check_scope(user_signing.scope, changes, hint=SCOPED_HINT)
        claims, lines = new_user_claims(user_name, pair.public_key, changes,
                                        scoped=user_signing.is_scoped)  # fmt: skip
        token = sign_user(claims, account_key=account_claims.sub, signer=user_signing, now=now)
        if generated:
            nsc.keystore.store(pair)
        creds_path = _save(nsc, store, account_name, claims, token,
                           stored=pair if generated else None)  # fmt: skip
    for line in lines:
        report.ok(line)
    if generated:
        report.ok(f'generated and stored user key "{pair.public_key}"')
    creds = Creds(token, pair.seed, claims)
    return _finish(report, f'added user "{user_name}" to account "{account_name}"',
                   account_name, creds, user_signing, creds_path)  # fmt: skip


def edit_user(
    nsc: Nsc,
    name: str | None = None,
    *,
    account: str | None = None,
    changes: UserChanges | None = None,
    signer: str | KeyPair | None = None,
    now: int | None = None,
) -> UserResult:
    """Change a user of ``account`` (its only user when ``name`` is None) and re-sign it, by its
    current issuer when that key is stored; fields not changed keep their values."""
    changes = changes or UserChanges()
    store = nsc.store()
    report = Report()
    with store.lock():
        account_name = nsc.require_account(account)
        user = find_user(store, account_name, name, required="user name is required")
        claims = store.user(account_name, user)
        account_claims = store.account(account_name)
        if changes.bearer and account_claims.nats.limits.disallow_bearer:
            raise StoreError("account disallows bearer token")
        user_signing = user_signer(nsc, store, account_name, account_claims, signer=signer,
                                   current_issuer=claims.iss)  # fmt: skip
        lines = apply_user_changes(claims, changes)
        if user_signing.is_scoped and not claims.nats.limits().is_empty():
            raise StoreError(
                "scoped users require no permissions or limits set",
                hint="user was NOT edited as the edits conflict with signing key scope",
            )
        token = sign_user(claims, account_key=account_claims.sub, signer=user_signing, now=now)
        creds_path = _save(nsc, store, account_name, claims, token)
    for line in lines:
        report.ok(line)
    seed_pair = nsc.keystore.get(claims.sub)
    creds = Creds(token, None if seed_pair is None else seed_pair.seed, claims)
    return _finish(report, f'edited user "{user}"', account_name, creds, user_signing,
                   creds_path)  # fmt: skip
