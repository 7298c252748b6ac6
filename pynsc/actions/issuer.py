"""Issuing users without a store: what a CI job or a web backend needs, in one correct call.

An :class:`Issuer` is an account key that signs users: the account's own seed, or one of its
signing-key seeds together with the account (its public key or, better, its JWT)::

    issuer = Issuer.from_seed(os.environ["ACCOUNT_SIGNING_SEED"], account=account_jwt)
    creds = issuer.issue_user("web-42", bearer=True, allow_pub=["projects.42.>"],
                              expiry=timedelta(hours=1))
    creds.jwt, creds.seed, creds.text

Whatever the key, the JWT comes out as nats-server wants it: ``issuer_account`` is set whenever
the signer is not the account itself; when the account JWT says the key is scoped, the user
carries no permissions or limits of its own (asking for any is an error) and the scope's
template applies. Nothing is stored.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Iterable

from pynsc._model import dataclass
from pynsc.actions.session import Nsc
from pynsc.actions.user_changes import (
    NO_CHANGES,
    NO_PERMISSION_CHANGES,
    PermissionChanges,
    UserChanges,
)
from pynsc.actions.users import (
    SCOPED_HINT,
    Creds,
    check_user_signer,
    new_user_claims,
    sign_user,
    user_signer,
)
from pynsc.claims import AccountClaims, UserClaims, UserScope, decode, validate
from pynsc.claims._codec import fresh_token, go_text, to_dict
from pynsc.claims.base import LIB_VERSION, USER_CLAIM
from pynsc.errors import ClaimsError, DecodeError, InvalidKeyError, StoreError, UsageError
from pynsc.keys import KeyKind, KeyPair, generate, is_public_key, parse
from pynsc.keys.nkey import public_key_kind
from pynsc.store.layout import check_name
from pynsc.store.ops import UserSigner

__all__ = ["Issuer", "Moment", "Span", "to_nanoseconds", "to_unix"]

Moment = int | float | _dt.timedelta | _dt.datetime | _dt.date
"""A point in time: seconds from now (``int``/``float``), a ``timedelta`` from now, or an
absolute ``datetime`` (naive means UTC) or ``date`` (UTC midnight)."""

Span = int | float | _dt.timedelta
"""A duration: seconds, or a ``timedelta``."""


def to_unix(value: Moment | None, now: int) -> int:
    """``value`` as Unix seconds (0 when ``None``)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise UsageError("a time is a number of seconds, a timedelta, a datetime or a date")
    if isinstance(value, (int, float)):
        return now + int(value)
    if isinstance(value, _dt.timedelta):
        return now + int(value.total_seconds())
    if isinstance(value, _dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
        return int(moment.timestamp())
    midnight = _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc)
    return int(midnight.timestamp())


def to_nanoseconds(value: Span) -> int:
    """A duration in nanoseconds (what a response TTL is stored as)."""
    if isinstance(value, _dt.timedelta):
        return value // _dt.timedelta(microseconds=1) * 1000
    return int(value * 1_000_000_000)


def _strings(value: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        raise UsageError(f"{what} takes a list, not one string: [{value!r}]")
    return tuple(value)


@dataclass(frozen=True, slots=True)
class Issuer:
    """An account key that signs users, with what it knows of the account."""

    key: KeyPair
    account_key: str
    account: AccountClaims | None = None
    scope: UserScope | None = None

    @classmethod
    def from_seed(cls, seed: str, account: str | AccountClaims | None = None) -> Issuer:
        """An issuer from an account seed, or an account signing-key seed plus ``account``.

        ``account`` is the account's public key, its JWT (checked: the key must be one of its
        signing keys, and a scoped key's scope applies) or its claims. It may be left out only
        when ``seed`` is the account's own seed.
        """
        try:
            key = parse(seed.strip())
        except InvalidKeyError as e:
            raise InvalidKeyError(
                "the issuer seed is not a valid seed", hint="pass an account seed (SA…)"
            ) from e
        if key.seed is None:
            raise InvalidKeyError(
                "an issuer needs a seed, not a public key", hint="pass an account seed (SA…)"
            )
        key.require(KeyKind.ACCOUNT, role="issuer")
        if account is None:
            return cls(key, key.public_key)
        claims = _account_claims(account)
        if claims is None:
            assert isinstance(account, str)
            return cls(key, account.strip())
        signer = check_user_signer(claims, key)
        return cls(key, claims.sub, claims, signer.scope)

    @classmethod
    def from_store(
        cls, nsc: Nsc, account: str | None = None, *, signer: str | KeyPair | None = None
    ) -> Issuer:
        """The issuer the CLI would use for ``account`` (default: the current one): ``signer``
        (a role, public key, seed or file; default ``nsc.signer``), else the first stored
        key of the account, under the operator's signing-key rules."""
        store = nsc.store()
        account_name = nsc.require_account(account)
        claims = store.account(account_name)
        chosen = user_signer(nsc, store, account_name, claims, signer=signer)
        return cls(chosen.key, claims.sub, claims, chosen.scope)

    @property
    def is_scoped(self) -> bool:
        return self.scope is not None

    @property
    def is_signing_key(self) -> bool:
        return self.key.public_key != self.account_key

    def issue_user(
        self,
        name: str,
        *,
        key: str | KeyPair | None = None,
        bearer: bool = False,
        allow_pub: Iterable[str] = (),
        allow_sub: Iterable[str] = (),
        allow_pubsub: Iterable[str] = (),
        deny_pub: Iterable[str] = (),
        deny_sub: Iterable[str] = (),
        deny_pubsub: Iterable[str] = (),
        allow_pub_response: int | None = None,
        response_ttl: Span | None = None,
        expiry: Moment | None = None,
        not_before: Moment | None = None,
        tags: Iterable[str] = (),
        source_networks: Iterable[str] = (),
        connection_types: Iterable[str] = (),
        times: Iterable[tuple[str, str]] = (),
        locale: str | None = None,
        subs: int | None = None,
        data: int | None = None,
        payload: int | None = None,
        now: int | None = None,
    ) -> Creds:
        """Issue user ``name``: a new key (or ``key``), its signed JWT and creds.

        Permissions: subjects to allow or deny for publish, subscribe or both;
        ``allow_pub_response`` lets the user answer that many responses to requests it
        received (``response_ttl`` for how long). ``expiry``/``not_before``: see
        :data:`Moment`. ``times`` are daily connect windows ``("08:00:00", "17:00:00")`` in
        ``locale`` (an IANA zone). ``connection_types`` such as ``WEBSOCKET``; limits ``subs``,
        ``data``, ``payload`` (``-1`` unlimited). Nothing is stored.
        """
        moment = int(time.time()) if now is None else now
        perms = NO_PERMISSION_CHANGES
        if (allow_pub or allow_sub or allow_pubsub or deny_pub or deny_sub or deny_pubsub
                or allow_pub_response is not None or response_ttl is not None):  # fmt: skip
            perms = PermissionChanges(
                allow_pub=_strings(allow_pub, "allow_pub"),
                allow_sub=_strings(allow_sub, "allow_sub"),
                allow_pubsub=_strings(allow_pubsub, "allow_pubsub"),
                deny_pub=_strings(deny_pub, "deny_pub"),
                deny_sub=_strings(deny_sub, "deny_sub"),
                deny_pubsub=_strings(deny_pubsub, "deny_pubsub"),
                allow_pub_response=allow_pub_response,
                response_ttl=None if response_ttl is None else to_nanoseconds(response_ttl),
            )
        changes = NO_CHANGES
        if (perms is not NO_PERMISSION_CHANGES or bearer or expiry is not None
                or not_before is not None or tags or source_networks or connection_types
                or times or locale is not None or subs is not None or data is not None
                or payload is not None):  # fmt: skip
            changes = UserChanges(
                perms=perms,
                times=tuple(times),
                locale=locale,
                source_networks=_strings(source_networks, "source_networks"),
                conn_types=_strings(connection_types, "connection_types"),
                subs=subs,
                data=data,
                payload=payload,
                bearer=bearer or None,
                tags=_strings(tags, "tags"),
                start=to_unix(not_before, moment) or None,
                expiry=to_unix(expiry, moment) or None,
            )
        return self.issue(name, changes, key=key, now=moment)

    def issue(
        self,
        name: str,
        changes: UserChanges,
        *,
        key: str | KeyPair | None = None,
        now: int | None = None,
    ) -> Creds:
        """:meth:`issue_user` with the changes already made into a :class:`UserChanges`."""
        user_name = check_name(name, "user")
        scoped = self.scope is not None
        if self.scope is not None and changes.sets_limits():
            raise StoreError(
                f"scoped users require no permissions or limits set: {self.key.public_key} "
                f"is scoped (role {self.scope.role!r})",
                hint=SCOPED_HINT,
            )
        if changes.bearer and self.account is not None and (
            self.account.nats.limits.disallow_bearer
        ):
            raise StoreError(
                f'account "{self.account.name}" forbids the use of bearer token',
                hint="the account's --disallow-bearer limit is set",
            )
        pair = _user_key(key)
        if changes is NO_CHANGES:  # what new_user_claims makes of no changes
            claims = UserClaims(sub=pair.public_key, name=user_name)
        else:
            claims, _ = new_user_claims(user_name, pair.public_key, changes, scoped=scoped)
        signing = self.key
        issuer = signing.public_key
        if (public_key_kind(pair.public_key) is not KeyKind.USER
                or public_key_kind(issuer) is not KeyKind.ACCOUNT
                or claims.aud or type(claims.exp) is not int
                or type(claims.nbf) is not int):  # fmt: skip
            # sign_user refuses these with its own messages
            signer = UserSigner(signing, self.scope)
            token = sign_user(claims, account_key=self.account_key, signer=signer, now=now)
            return Creds(token, pair.seed, claims)
        return _sign_fresh(claims, pair.seed, changes, signing, self.account_key, scoped, now)


# The "nats" object of users issued with no changes, by (issuer_account, scoped): the same for
# every such user of an issuer, and already validated.
_PLAIN_NATS: dict[tuple[str, bool], str] = {}


def _sign_fresh(
    claims: UserClaims,
    seed: str | None,
    changes: UserChanges,
    signing: KeyPair,
    account_key: str,
    scoped: bool,
    now: int | None,
) -> Creds:
    """What ``sign_user`` and ``encode`` do to fresh claims (``sub`` a user key, the signer an
    account key, both checked by the caller), the payload written straight as text."""
    moment = int(time.time()) if now is None else int(now)
    nats = claims.nats
    if scoped:  # fresh claims of a scoped signer's user carry no limits: nothing to refuse
        nats.set_scoped()
    issuer = signing.public_key
    nats.issuer_account = account_key if issuer != account_key else ""
    nats.type = USER_CLAIM
    nats.version = LIB_VERSION
    claims.iss = issuer
    claims.iat = moment
    plain = changes is NO_CHANGES
    cache_key = (nats.issuer_account, scoped)
    nats_text = _PLAIN_NATS.get(cache_key) if plain else None
    if nats_text is None:
        # Validation looks at nats and the times alone: with no changes the times are unset
        # and nats is the same for every user of the cache key, so one check serves them all.
        problems = validate(claims, moment).errors()
        if problems:
            raise ClaimsError("; ".join(p.description for p in problems))
        nats_text = go_text(to_dict(nats))
        if plain:
            if len(_PLAIN_NATS) >= 64:
                _PLAIN_NATS.clear()
            _PLAIN_NATS[cache_key] = nats_text
    token, claims.jti = fresh_token(
        exp=claims.exp, iat=moment, iss=issuer, name=claims.name, nbf=claims.nbf,
        sub=claims.sub, rest=f'"nats":{nats_text}', sign=signing.sign,
    )  # fmt: skip
    return Creds(token, seed, claims)


def _user_key(key: str | KeyPair | None) -> KeyPair:
    if key is None:
        return generate(KeyKind.USER)
    pair = key if isinstance(key, KeyPair) else parse(key.strip())
    if pair.kind is not KeyKind.USER:
        raise InvalidKeyError("invalid user key", hint="a user key starts with U (or SU)")
    return pair


def _account_claims(account: str | AccountClaims) -> AccountClaims | None:
    if isinstance(account, AccountClaims):
        return account
    value = account.strip()
    if is_public_key(value, KeyKind.ACCOUNT):
        return None
    if value.count(".") != 2:
        raise InvalidKeyError(
            "the account is neither an account public key nor an account JWT",
            hint="pass the account's public key (A…) or its JWT",
        )
    try:
        claims: AccountClaims = decode(value, AccountClaims)
    except DecodeError as e:
        raise DecodeError(f"the account JWT is invalid: {e}", hint=e.hint) from e
    return claims
