"""Installing an account from its managed operator's account server: what ``pynsc load`` does.

Given a managed operator's JWT (whose ``account_server_url`` is an http(s) account server) and the
seed of one of its accounts, :func:`load_account` fetches the account JWT from
``<account_server_url>/accounts/<pub>``, then imports the operator (a managed store), stores the
account JWT and its seed, and creates a user signed by the account, with its creds::

    from pathlib import Path
    from pynsc.keys import KeyStore
    from pynsc.push.load import load_account

    result = load_account(
        Path("~/.local/share/nats/nsc/stores").expanduser(), KeyStore(...),
        operator_name="synadia", operator_token=operator_jwt, account_seed="SA...",
        user="default",
    )
    print(result.creds)

Everything that can fail (the operator JWT, the seed, the account server, names taken in the
store) is checked before anything is written. :func:`parse_profile` reads nsc's profile URLs,
``nsc://<operator>?secret=<account seed>&user=<name>``; resolving ``<operator>`` (a well-known
operator name) to its URL is the caller's.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pynsc.claims import AccountClaims, OperatorClaims, UserClaims, decode, encode
from pynsc.claims.subjects import go_quote
from pynsc.errors import (
    DecodeError,
    ExistsError,
    InvalidKeyError,
    NscError,
    PushError,
    StoreError,
)
from pynsc.keys import KeyKind, KeyPair, KeyStore, format_creds, from_seed, generate
from pynsc.push import http
from pynsc.store import Store, layout, list_operators

__all__ = [
    "DEFAULT_USER",
    "PROFILE_SCHEME",
    "LoadResult",
    "Profile",
    "ProfileError",
    "load_account",
    "parse_profile",
]

DEFAULT_USER = "default"
PROFILE_SCHEME = "nsc"
_PROFILE_FORM = "nsc://<operator>?secret=<account seed>&user=<name>"

JwtStatus = Literal["stored", "unchanged", "kept-newer"]


class ProfileError(NscError):
    """A profile URL that is not ``nsc://<operator>?secret=<account seed>&user=<name>``."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Profile:
    """What a profile URL names: a well-known operator, an account seed, a user name."""

    operator: str
    seed: str = field(repr=False)
    user: str = ""


def parse_profile(url: str) -> Profile:
    """``nsc://<operator>?secret=<account seed>&user=<name>``: the operator's name as written,
    the seed (``""`` when absent) and the user (``""`` when absent)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:  # "nsc://[": an unterminated IPv6 host
        parts = urllib.parse.urlsplit("")
    # the host as typed (urlsplit's ``hostname`` lowercases it): it names the operator's store
    host = parts.netloc.rpartition("@")[2].partition(":")[0]
    if parts.scheme.lower() != PROFILE_SCHEME or not host:
        raise ProfileError(
            "the profile url must look like " + _PROFILE_FORM,
            hint="the operator is a well-known name: synadia, or NAME of an "
            "NSC_<NAME>_OPERATOR=<operator jwt url> environment variable",
        )
    query = urllib.parse.parse_qs(parts.query)
    return Profile(
        operator=host,
        seed=query.get("secret", [""])[0].strip(),
        user=query.get("user", [""])[0].strip(),
    )


@dataclass(slots=True)
class LoadResult:
    """What :func:`load_account` did."""

    store: Store
    operator: OperatorClaims
    #: whether the operator directory was created (else it was there, same operator)
    operator_created: bool
    account_name: str
    account: AccountClaims
    account_jwt: JwtStatus
    #: whether the account seed was new to the keystore
    account_key_stored: bool
    user_name: str
    user_key: str
    #: whether the user was created (else it existed and was left alone)
    user_created: bool
    creds: Path | None
    warnings: list[str] = field(default_factory=list)

    @property
    def operator_name(self) -> str:
        return self.store.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "store_root": str(self.store.root),
            "operator": {
                "name": self.store.name,
                "public_key": self.operator.sub,
                "managed": self.store.is_managed,
                "account_server_url": self.operator.nats.account_server_url,
                "created": self.operator_created,
            },
            "account": {
                "name": self.account_name,
                "public_key": self.account.sub,
                "issuer": self.account.iss,
                "jwt": self.account_jwt,
                "key_stored": self.account_key_stored,
            },
            "user": {
                "name": self.user_name,
                "public_key": self.user_key,
                "created": self.user_created,
                "creds": None if self.creds is None else str(self.creds),
            },
            "warnings": list(self.warnings),
        }


def _account_key(seed: str) -> KeyPair:
    if not seed.strip().startswith("SA"):
        raise InvalidKeyError(
            "expected account seed to initialize",
            hint="give the seed of the account (it starts with SA) with --seed, or as "
            "secret= in the --profile url",
        )
    try:
        pair = from_seed(seed)
    except InvalidKeyError as e:
        raise InvalidKeyError(
            f"failed to parse the account seed: {e.message}",
            hint="check that the seed was copied whole",
        ) from e
    if pair.kind is not KeyKind.ACCOUNT:  # pragma: no cover - "SA" is the account prefix
        raise InvalidKeyError("expected account seed to initialize")
    return pair


def _check_operator(token: str) -> tuple[OperatorClaims, str]:
    """The operator's claims and its http(s) account server url."""
    try:
        operator = decode(token, OperatorClaims)
    except DecodeError as e:
        raise StoreError(f"error importing operator jwt: {e}") from e
    asu = operator.nats.account_server_url.strip()
    if not asu:
        raise StoreError(
            f"error importing operator {go_quote(operator.name)} - it doesn't define an "
            "account server url",
            hint="load needs a managed operator whose account server serves its accounts",
        )
    if not http.is_http_url(asu):
        raise PushError(
            f"operator {go_quote(operator.name)} has account server url {asu!r} - unable to "
            "fetch the account jwt from it",
            hint="load needs an http(s) account server",
        )
    return operator, asu


def _existing_store(root: Path, name: str, operator: OperatorClaims) -> Store | None:
    if name not in list_operators(root):
        return None
    store = Store(root, name)
    try:
        existing = store.operator().sub
    except StoreError:
        existing = ""
    if existing != operator.sub:
        raise ExistsError(
            f"a different operator named {go_quote(name)} already exists",
            hint="load into another store directory (pynsc --data-dir DIR load ...), or "
            "remove the operator first",
        )
    return store


def _fetch_account(asu: str, account: KeyPair, operator: OperatorClaims) -> str:
    try:
        return http.fetch_account(asu, account.public_key)
    except http.UnreachableError:
        raise
    except PushError as e:
        raise PushError(
            e.message,
            hint=f"is the seed that of an account of operator {go_quote(operator.name)}?",
        ) from e


def load_account(
    root: Path,
    keystore: KeyStore,
    *,
    operator_name: str,
    operator_token: str,
    account_seed: str,
    user: str = DEFAULT_USER,
    timeout: float = http.DEFAULT_TIMEOUT,
) -> LoadResult:
    """Import managed operator ``operator_name`` (its JWT ``operator_token``) under ``root``,
    with the account whose seed is ``account_seed`` (its JWT fetched from the operator's account
    server) and a new user ``user`` of it; see the module docstring.

    Raises :class:`~pynsc.errors.NscError` subclasses, having written nothing, when the seed is
    not an account seed, the operator has no http(s) account server, the server does not serve
    the account (or serves one not issued by the operator), or the store holds a different
    operator or account under the same name.
    """
    account_key = _account_key(account_seed)
    operator_name = layout.check_name(operator_name, "operator")
    user = layout.check_name(user or DEFAULT_USER, "user")
    operator, asu = _check_operator(operator_token)
    store = _existing_store(root, operator_name, operator)

    token = _fetch_account(asu, account_key, operator)
    claims = decode(token, AccountClaims)
    warnings: list[str] = []
    if claims.iss == claims.sub:
        warnings.append(
            f"account {go_quote(claims.name)} is self-signed: the account server has not "
            "signed it yet - pull it again later"
        )
    elif claims.iss not in {operator.sub, *operator.nats.signing_keys}:
        raise PushError(
            f"the account server returned account {go_quote(claims.name)} issued by "
            f"{claims.iss}, not by operator {go_quote(operator.name)}",
            hint=f"check the account server url {asu}",
        )
    account_name, status = _existing_account(store, claims, token, warnings)
    user_exists = store is not None and store.has_user(account_name, user)
    if user_exists:
        warnings.append(f"the user {go_quote(user)} already exists")

    # Everything checked: write.
    created = store is None
    if store is None:
        store = Store.create(root, operator_name, managed=True)
    key_stored = not keystore.has(account_key.public_key)
    keystore.store(account_key)
    with store.lock():
        if created or _remote_not_older(store, operator):
            store.write_operator(operator_token)
        if status in (None, "stored"):
            store.write_account(account_name, token)
        if user_exists:
            user_key = store.user(account_name, user).sub
            path = keystore.creds_path(store.name, account_name, user)
            creds = path if path.is_file() else None
        else:
            user_key, creds = _new_user(store, keystore, account_name, user, account_key)
    return LoadResult(
        store=store,
        operator=operator,
        operator_created=created,
        account_name=account_name,
        account=claims,
        account_jwt=status or "stored",
        account_key_stored=key_stored,
        user_name=user,
        user_key=user_key,
        user_created=not user_exists,
        creds=creds,
        warnings=warnings,
    )


def _existing_account(
    store: Store | None, claims: AccountClaims, token: str, warnings: list[str]
) -> tuple[str, JwtStatus | None]:
    """Where the account goes in the store, and what becomes of a JWT already there (``None``:
    there is none)."""
    name = layout.check_name(claims.name or claims.sub, "account")
    if store is None:
        return name, None
    same_key = next((n for n, c in store.accounts() if c.sub == claims.sub), None)
    if same_key is None:
        taken = store.account_named(name)
        if taken is not None:
            raise ExistsError(
                f"an account named {go_quote(taken)} with another key already exists in "
                f"operator {go_quote(store.name)}",
                hint="rename or delete it first",
            )
        return name, None
    if store.account_token(same_key) == token:
        return same_key, "unchanged"
    if store.account(same_key).iat > claims.iat:
        warnings.append(
            f"local jwt for {go_quote(same_key)} is newer than the account server's - kept it"
        )
        return same_key, "kept-newer"
    return same_key, "stored"


def _remote_not_older(store: Store, operator: OperatorClaims) -> bool:
    try:
        return store.operator().iat <= operator.iat
    except StoreError:
        return True


def _new_user(
    store: Store, keystore: KeyStore, account: str, name: str, signer: KeyPair
) -> tuple[str, Path]:
    """User ``name`` signed by the account key ``signer``: key stored first, then its creds,
    then its JWT (the commit point: a kill before it leaves no user without creds)."""
    user_key = generate(KeyKind.USER)
    token = encode(UserClaims(sub=user_key.public_key, name=name), signer)
    keystore.store(user_key)
    creds = keystore.write_creds(
        store.name, account, name, format_creds(token, user_key.require_seed())
    )
    store.write_user(account, name, token)
    return user_key.public_key, creds
