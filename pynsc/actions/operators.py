"""Operators: add (local or imported), edit, re-issue, with every rule nsc applies.

The rules, all here and nowhere else:

* an operator name is required (``*`` picks a random one) and unique in the store root;
* a local operator's identity is a new key, or one given with its seed (stored); an operator
  signing key and the system account ``SYS`` may be made with it (SYS is signed by the signing
  key when there is one);
* an imported operator (its JWT from a file, an http(s) URL or a well-known name) must be a v2
  operator JWT; its store is managed; re-importing one of the same name needs ``force``, and a
  different entity under that name is only a warning then;
* the operator JWT is signed by its identity key only; a signing key is an operator key and not
  the identity; strict signing-key usage needs a signing key, and every account and user issued
  by a signing key already;
* the account server URL is an http, https, nats, tls, ws or wss URL; a service URL a nats, tls,
  ws or wss one; the system account has no JetStream limits;
* re-issuing gives a local operator a new identity and re-signs the accounts the old one issued
  (by a stored signing key when strict), or keeps the old identity as a signing key.

The pieces :func:`pynsc.actions.init.init` shares are here too: the well-known operators, loading
an operator JWT, the system account template and :class:`NewEntities` (keys and JWTs signed in
memory, written only once all of them are valid).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pynsc.actions.accounts import apply_validity
from pynsc.actions.jetstream import check_system_account
from pynsc.actions.session import Nsc
from pynsc.actions.signing_keys import GENERATE
from pynsc.actions.user_changes import add_tags, remove_tags
from pynsc.claims import (
    SERVICE,
    STREAM,
    AccountClaims,
    ClaimsData,
    Export,
    OperatorClaims,
    UserClaims,
    decode,
    encode,
    validate,
)
from pynsc.claims.subjects import go_quote
from pynsc.claims.types import RESPONSE_STREAM
from pynsc.claims.validation import operator_service_url_error
from pynsc.errors import (
    ClaimsError,
    DecodeError,
    ExistsError,
    InvalidKeyError,
    NotFoundError,
    StoreError,
    UsageError,
)
from pynsc.keys import (
    KeyKind,
    KeyPair,
    KeyStore,
    format_creds,
    generate,
    is_public_key,
    parse_decorated_jwt,
)
from pynsc.sources import is_url, read_source
from pynsc.store import Store, check_name
from pynsc.store.report import Report
from pynsc.store.signers import load_key, select_signer
from pynsc.text import display_path

__all__ = [
    "MIN_SERVER_VERSION_NOTE",
    "SYSTEM_ACCOUNT",
    "SYSTEM_USER",
    "KnownOperator",
    "NewEntities",
    "OperatorChanges",
    "OperatorResult",
    "ReissueResult",
    "SystemAccount",
    "add_operator",
    "add_system_account",
    "check_account_server_url",
    "check_strict",
    "edit_operator",
    "find_known_operator",
    "import_operator",
    "load_operator_jwt",
    "operator_name_for",
    "reissue_operator",
    "resolve_operator_location",
    "sign",
    "system_account_key",
    "well_known_operators",
]

MIN_SERVER_VERSION_NOTE = (
    "When running your own nats-server, make sure they run at least version 2.2.0"
)
SYSTEM_ACCOUNT = "SYS"
SYSTEM_USER = "sys"
SYS_INFO_URL = "https://docs.nats.io/nats-server/configuration/sys_accounts"
_ASU_SCHEMES = ("http", "https", "nats", "tls", "ws", "wss")


# Where operator JWTs come from ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnownOperator:
    """An operator known by name: its JWT is served at ``account_server_url``."""

    name: str
    account_server_url: str


def well_known_operators(env: Mapping[str, str] | None = None) -> list[KnownOperator]:
    """The built-in ``synadia`` operator, then one per ``NSC_<NAME>_OPERATOR=<url>`` variable."""
    env = os.environ if env is None else env
    known = [KnownOperator("synadia", "https://api.synadia.io/jwt/v1/operator")]
    for key in sorted(env):
        upper = key.upper()
        if upper.startswith("NSC_") and upper.endswith("_OPERATOR") and len(key) > 13:
            known.append(KnownOperator(key[4:-9], env[key]))
    return known


def find_known_operator(name: str, env: Mapping[str, str] | None = None) -> KnownOperator | None:
    """The well-known operator called ``name`` (any case), or ``None``."""
    wanted = name.strip().lower()
    return next((op for op in well_known_operators(env) if op.name.lower() == wanted), None)


def operator_name_for(name: str, location: str, env: Mapping[str, str] | None = None) -> str:
    """The store name of an operator loaded from ``location``: a well-known operator keeps its
    well-known name, any other its JWT ``name``."""
    for known in well_known_operators(env):
        if location and known.account_server_url.startswith(location):
            return known.name
    return name


def resolve_operator_location(value: str) -> str:
    """A file or URL as given, or the URL of the well-known operator called ``value``."""
    if is_url(value) or value == "-" or Path(os.path.expanduser(value)).exists():
        return value
    known = find_known_operator(value)
    return known.account_server_url if known is not None else value


def load_operator_jwt(location: str) -> tuple[str, OperatorClaims]:
    """The operator JWT (raw or decorated) at a file or http(s) URL, verified and v2."""
    token = parse_decorated_jwt(read_source(location))
    try:
        claims = decode(token)
    except DecodeError as e:
        raise StoreError(f"error importing operator jwt: {e}") from e
    if not isinstance(claims, OperatorClaims):
        raise StoreError(
            f"error importing operator jwt: {location} holds a {claims.claim_type} JWT"
        )
    if claims.version != 2:
        extra = (
            " - please downgrade to 0.5.0 by executing `nsc update --version 0.5.0`."
            if claims.version == 1
            else ""
        )
        raise StoreError(
            f"the operator jwt (v{claims.version}) is incompatible this version of nsc{extra}"
        )
    return token, claims


# Building new entities in memory -------------------------------------------------------------


def sign(claims: ClaimsData, signer: KeyPair) -> str:
    """``claims`` validated (blocking issues refused) and signed by ``signer``."""
    errors = validate(claims).errors()
    if errors:
        raise ClaimsError("; ".join(issue.description for issue in errors))
    return encode(claims, signer)


@dataclass(frozen=True, slots=True)
class NewUser:
    account: str
    name: str
    key: KeyPair
    token: str


@dataclass(slots=True)
class NewEntities:
    """Keys, account JWTs and user JWTs an action is about to write, all signed already.

    :meth:`store_keys` stores the keys; :meth:`write` then writes the JWTs and the users' creds.
    """

    keys: list[KeyPair] = field(default_factory=list)
    accounts: list[tuple[str, str]] = field(default_factory=list)
    users: list[NewUser] = field(default_factory=list)
    signers: dict[str, KeyPair] = field(default_factory=dict, repr=False)

    def add_key(self, kind: KeyKind) -> KeyPair:
        pair = generate(kind)
        self.keys.append(pair)
        return pair

    def add_account(
        self, name: str, signer: KeyPair | None, *, key: KeyPair | None = None
    ) -> tuple[KeyPair, AccountClaims]:
        """A new account ``name`` signed by ``signer`` (``None``: self-signed). Its JWT is
        signed by :meth:`sign_account` once the claims are complete."""
        account_key = key or self.add_key(KeyKind.ACCOUNT)
        claims = AccountClaims(name=name, sub=account_key.public_key)
        self.signers[name] = signer or account_key
        return account_key, claims

    def sign_account(self, name: str, claims: AccountClaims) -> str:
        token = sign(claims, self.signers[name])
        self.accounts.append((name, token))
        return token

    def add_user(
        self, account: str, account_key: str, name: str, signer: KeyPair
    ) -> tuple[KeyPair, str]:
        """A new user ``name`` of the account with ``account_key``, signed by ``signer``."""
        user_key = self.add_key(KeyKind.USER)
        claims = UserClaims(name=name, sub=user_key.public_key)
        if signer.public_key != account_key:
            claims.nats.issuer_account = account_key
        token = sign(claims, signer)
        self.users.append(NewUser(account, name, user_key, token))
        return user_key, token

    def store_keys(self, keystore: KeyStore) -> None:
        """Store the new keys: done first, so no JWT is ever written without its key."""
        for pair in self.keys:
            keystore.store(pair)

    def write(self, store: Store, keystore: KeyStore) -> dict[tuple[str, str], Path]:
        """Write the JWTs and the creds (under ``store.lock()``); the creds paths by (account,
        user).

        Each entity's JWT comes after what it owns, so a kill part-way leaves nothing that
        counts: what a killed run left under a new account's name is cleared first, each user's
        creds go before its JWT, the users before their account.
        """
        for name, _token in self.accounts:
            store.prepare_account(name)
        creds: dict[tuple[str, str], Path] = {}
        for user in self.users:
            seed = user.key.require_seed()
            creds[(user.account, user.name)] = keystore.write_creds(
                store.name, user.account, user.name, format_creds(user.token, seed)
            )
            store.write_user(user.account, user.name, user.token)
        for name, token in self.accounts:
            store.write_account(name, token)
        return creds


@dataclass(slots=True)
class SystemAccount:
    """The system account ``SYS`` made with an operator, and its user ``sys``."""

    key: KeyPair
    signing_key: KeyPair
    user_key: KeyPair
    creds: Path | None = None

    @property
    def public_key(self) -> str:
        return self.key.public_key

    def report(self, report: Report) -> None:
        """nsc's lines for a new system account (once its creds are written)."""
        report.ok(f"created system_account: name:{SYSTEM_ACCOUNT} id:{self.key.public_key}")
        report.ok(
            f"created system account user: name:{SYSTEM_USER} id:{self.user_key.public_key}"
        )
        if self.creds is not None:
            report.ok(f"system account user creds file stored in {display_path(self.creds)}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "system_account": {
                "name": SYSTEM_ACCOUNT,
                "public_key": self.key.public_key,
                "signing_keys": [self.signing_key.public_key],
            },
            "system_user": {
                "name": SYSTEM_USER,
                "public_key": self.user_key.public_key,
                "creds": None if self.creds is None else str(self.creds),
            },
        }


def add_system_account(entities: NewEntities, signer: KeyPair) -> SystemAccount:
    """The system account template: account ``SYS`` (signed by ``signer``) with a signing key
    and the two account-monitoring exports, and its user ``sys`` (signed by that signing key),
    added to ``entities``."""
    key, claims = entities.add_account(SYSTEM_ACCOUNT, signer)
    signing_key = entities.add_key(KeyKind.ACCOUNT)
    claims.nats.signing_keys[signing_key.public_key] = None
    claims.nats.exports = [
        Export(
            name="account-monitoring-services",
            subject="$SYS.REQ.ACCOUNT.*.*",
            type=SERVICE,
            response_type=RESPONSE_STREAM,
            account_token_position=4,
            description=(
                "Request account specific monitoring services for: "
                "SUBSZ, CONNZ, LEAFZ, JSZ and INFO"
            ),
            info_url=SYS_INFO_URL,
        ),
        Export(
            name="account-monitoring-streams",
            subject="$SYS.ACCOUNT.*.>",
            type=STREAM,
            account_token_position=3,
            description="Account specific monitoring stream",
            info_url=SYS_INFO_URL,
        ),
    ]
    entities.sign_account(SYSTEM_ACCOUNT, claims)
    user_key, _ = entities.add_user(SYSTEM_ACCOUNT, key.public_key, SYSTEM_USER, signing_key)
    return SystemAccount(key, signing_key, user_key)


# Adding --------------------------------------------------------------------------------------


@dataclass(slots=True)
class OperatorResult:
    """What an operator action did: the report, the operator's claims and JWT, and the system
    account when one was made."""

    report: Report
    name: str
    claims: OperatorClaims
    jwt: str
    managed: bool = False
    system_account: SystemAccount | None = None

    @property
    def public_key(self) -> str:
        return self.claims.sub


def _operator_name(name: str | None) -> str:
    if name is not None and name.strip() == "*":
        from pynsc.names import random_name

        return random_name()
    return check_name(name or "", "operator")


def _identity_key(value: str | KeyPair | None, keystore: KeyStore) -> tuple[KeyPair, bool]:
    """The operator identity: ``value`` (a seed, a stored public key or a file), else a new
    key; and whether it was generated."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return generate(KeyKind.OPERATOR), True
    pair = value if isinstance(value, KeyPair) else load_key(value, keystore)
    if pair.seed is None:
        stored = keystore.get(pair.public_key)
        pair = stored if stored is not None else pair
    if pair.kind is not KeyKind.OPERATOR:
        raise InvalidKeyError("specified key is not a valid operator nkey")
    return pair, False


def add_operator(
    nsc: Nsc,
    name: str,
    *,
    key: str | KeyPair | None = None,
    signing_key: bool = False,
    system_account: bool = False,
    start: int | None = None,
    expiry: int | None = None,
    save_current: bool = False,
) -> OperatorResult:
    """Add local operator ``name`` and make it current (``save_current``: in ``nsc.json`` too).

    ``key`` is its identity (a seed, a stored public key, a file holding one, or a pair with
    its seed; stored); by default a new key. ``signing_key`` also makes an operator signing
    key; ``system_account`` the system account ``SYS`` and its user ``sys`` (signed by the
    signing key when there is one), which becomes the current account. ``start``/``expiry``
    are Unix seconds (0 or ``None``: unset).
    """
    name = _operator_name(name)
    if nsc.has_operator(name):
        raise ExistsError(f"operator named {go_quote(name)} exists already")
    keystore = nsc.keystore
    identity, generated = _identity_key(key, keystore)
    if identity.seed is None:
        raise InvalidKeyError(
            f"the seed of operator key {identity.public_key} is not in the keystore",
            hint="pass the operator seed (or a file holding it) with -K",
        )
    claims = OperatorClaims(name=name, sub=identity.public_key)
    claims.nbf = start or 0
    claims.exp = expiry or 0
    entities = NewEntities(keys=[identity])
    new_signing_key = entities.add_key(KeyKind.OPERATOR) if signing_key else None
    if new_signing_key is not None:
        claims.nats.signing_keys.append(new_signing_key.public_key)
    sys_account = (
        add_system_account(entities, new_signing_key or identity) if system_account else None
    )
    if sys_account is not None:
        claims.nats.system_account = sys_account.public_key
    token = sign(claims, identity)

    stored_before = keystore.has(identity.public_key)
    entities.store_keys(keystore)
    store = nsc.create_store(name)
    with store.lock():
        creds = entities.write(store, keystore)
        store.write_operator(token)  # last: the operator exists once it is written

    report = Report()
    if generated:
        report.ok(f'generated and stored operator key "{identity.public_key}"')
    elif not stored_before:
        report.ok(f'stored operator key "{identity.public_key}"')
    report.ok(f'added operator "{name}"')
    report.ok(MIN_SERVER_VERSION_NOTE)
    if new_signing_key is not None:
        report.ok(f"created operator signing key: {new_signing_key.public_key}")
    data: dict[str, Any] = {
        "name": name,
        "public_key": identity.public_key,
        "managed": False,
        "signing_keys": list(claims.nats.signing_keys),
    }
    if sys_account is not None:
        sys_account.creds = creds[(SYSTEM_ACCOUNT, SYSTEM_USER)]
        sys_account.report(report)
        data.update(sys_account.to_dict())
    report.data = data
    current_account = SYSTEM_ACCOUNT if sys_account else ""
    nsc.select(operator=name, account=current_account, save=save_current)
    return OperatorResult(report, name, claims, token, system_account=sys_account)


def import_operator(
    nsc: Nsc,
    location: str,
    *,
    name: str | None = None,
    force: bool = False,
    save_current: bool = False,
) -> OperatorResult:
    """Import a managed operator from its JWT and make it current (``save_current``: in
    ``nsc.json`` too).

    ``location`` is a file (``-``: stdin), an http(s) URL or a well-known operator name
    (``synadia``, or ``NSC_<NAME>_OPERATOR=<url>``). The store is named ``name``, else after the
    well-known operator, else after the JWT's name. An operator of that name is replaced only
    with ``force`` (with a warning when it is another entity).
    """
    location = resolve_operator_location(location)
    token, claims = load_operator_jwt(location)
    if name is not None and name.strip() == "*":
        name = _operator_name(name)
    if not name:
        name = operator_name_for(claims.name, location) if is_url(location) else claims.name
    name = check_name(name, "operator")
    report = Report()
    exists = nsc.has_operator(name)
    if exists:
        if not force:
            raise ExistsError(
                f"operator named {name} exists already",
                hint="inspect it, and use --force to overwrite it",
            )
        try:
            old = nsc.store(name).operator().sub
        except StoreError:
            old = ""
        if old and old != claims.sub:
            report.warn(
                "existing and new operator represent different entities, forced to continue"
            )
    store = nsc.store(name) if exists else nsc.create_store(name, managed=True)
    with store.lock():
        store.write_operator(token)
    report.ok(f'imported operator "{name}"')
    report.ok(MIN_SERVER_VERSION_NOTE)
    report.data = {
        "name": name,
        "public_key": claims.sub,
        "managed": True,
        "account_server_url": claims.nats.account_server_url,
        "service_urls": list(claims.nats.operator_service_urls),
    }
    nsc.select(operator=name, account="", save=save_current)
    return OperatorResult(report, name, claims, token, managed=True)


# Editing -------------------------------------------------------------------------------------


def _strings(value: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        raise UsageError(f"{what} takes a list, not one string")
    return tuple(value)


@dataclass(frozen=True, slots=True)
class OperatorChanges:
    """What ``edit operator`` may change; a field left at its default changes nothing.

    ``signing_keys``: public keys, seeds, files holding one, or ``"generate"`` (a new key;
    seeds given are stored). ``start``/``expiry``: Unix seconds, 0 to clear. ``system_account``:
    an account name or public key. ``require_signing_keys``: strict signing-key usage on or off.
    """

    signing_keys: tuple[str, ...] = ()
    rm_signing_keys: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    rm_tags: tuple[str, ...] = ()
    account_server_url: str | None = None
    rm_account_server_url: bool = False
    system_account: str | None = None
    service_urls: tuple[str, ...] = ()
    rm_service_urls: tuple[str, ...] = ()
    require_signing_keys: bool | None = None
    start: int | None = None
    expiry: int | None = None

    def __post_init__(self) -> None:
        for name in ("signing_keys", "rm_signing_keys", "tags", "rm_tags", "service_urls",
                     "rm_service_urls"):  # fmt: skip
            object.__setattr__(self, name, _strings(getattr(self, name), name))
        if self.account_server_url is not None and self.rm_account_server_url:
            raise UsageError(
                "--account-jwt-server-url and --rm-account-jwt-server-url are mutually exclusive"
            )

    def is_empty(self) -> bool:
        """Whether nothing is to change."""
        return self == OperatorChanges()


def edit_operator(
    nsc: Nsc,
    changes: OperatorChanges,
    *,
    operator: str | None = None,
    signer: str | KeyPair | None = None,
) -> OperatorResult:
    """Apply ``changes`` to ``operator`` (default: the current one) and re-sign it with its
    identity key (``signer``, default ``nsc.signer``, else the stored one).

    Everything is checked, and every new key made, before anything is written; new keys are
    stored just before the JWT.
    """
    store = nsc.store(operator)
    keystore = nsc.keystore
    report = Report()
    with store.lock():
        claims = store.operator()
        identity = _operator_identity(keystore, claims, signer or nsc.signer)
        new_keys = _apply(store, keystore, claims, changes, report)
        token = sign(claims, identity)
        for pair in new_keys:
            keystore.store(pair)
        store.write_operator(token)
    report.ok(f'edited operator "{claims.name}"')
    report.data = {"name": claims.name, "public_key": claims.sub, "jwt": token}
    return OperatorResult(report, claims.name, claims, token, managed=store.is_managed)


def _operator_identity(
    keystore: KeyStore, claims: OperatorClaims, signer: str | KeyPair | None
) -> KeyPair:
    """The operator identity key, with its seed: the operator JWT is self-signed."""
    if isinstance(signer, KeyPair):
        signer = signer.seed or signer.public_key
    pair = select_signer(
        keystore, private_key=signer, candidates=[claims.sub], kinds=(KeyKind.OPERATOR,)
    )
    if pair.public_key != claims.sub:
        raise InvalidKeyError(
            f"the operator JWT must be signed by the operator identity {claims.sub}",
            hint="pass its seed with -K, or leave -K out to use the stored one",
        )
    return pair


def _apply(
    store: Store,
    keystore: KeyStore,
    claims: OperatorClaims,
    changes: OperatorChanges,
    report: Report,
) -> list[KeyPair]:
    """Apply ``changes`` to ``claims`` (nothing written); the new keys to store."""
    nats = claims.nats
    for line in apply_validity(claims, changes.start, changes.expiry):
        report.ok(line)
    for tag in add_tags(nats.tags, changes.tags):
        report.ok(f"added tag {go_quote(tag)}")
    for tag in remove_tags(nats.tags, changes.rm_tags):
        report.ok(f"removed tag {go_quote(tag)}")

    new_keys = []
    for value in changes.signing_keys:
        pair = _signing_key(value, keystore)
        if pair.public_key == claims.sub:
            raise InvalidKeyError("the operator identity cannot also be its signing key")
        if pair.seed is not None and value.strip() != pair.public_key:
            new_keys.append(pair)
        if pair.public_key not in nats.signing_keys:
            nats.signing_keys.append(pair.public_key)
        report.ok(f"added signing key {go_quote(pair.public_key)}")
    for key in changes.rm_signing_keys:
        if key not in nats.signing_keys:
            raise StoreError(
                f"{go_quote(key)} is not a signing key of operator {go_quote(claims.name)}"
            )
        nats.signing_keys.remove(key)
        report.ok(f"removed signing key {go_quote(key)}")

    if changes.require_signing_keys is not None:
        if changes.require_signing_keys:
            check_strict(store, claims)
        if nats.strict_signing_key_usage != changes.require_signing_keys:
            nats.strict_signing_key_usage = changes.require_signing_keys
            flag = "true" if changes.require_signing_keys else "false"
            report.ok(f"strict signing key usage set to: {flag}")
    if nats.strict_signing_key_usage and not nats.signing_keys:
        raise StoreError("operator requires at least one signing key")

    if changes.account_server_url is not None:
        url = changes.account_server_url.strip()
        check_account_server_url(url)
        nats.account_server_url = url
        report.ok(f"set account jwt server url to {go_quote(url)}")
    if changes.rm_account_server_url:
        nats.account_server_url = ""
        report.ok("removed account server url")

    if changes.system_account is not None:
        key = system_account_key(store, changes.system_account)
        if nats.system_account != key:
            nats.system_account = key
            report.ok(f"set system account {go_quote(key)}")

    for url in changes.service_urls:
        problem = operator_service_url_error(url)
        if problem:
            raise StoreError(problem)
        if url.lower() not in nats.operator_service_urls:
            nats.operator_service_urls.append(url.lower())
        report.ok(f"added service url {go_quote(url)}")
    for url in changes.rm_service_urls:
        if url.lower() not in nats.operator_service_urls:
            raise StoreError(
                f"{go_quote(url)} is not a service url of operator {go_quote(claims.name)}"
            )
        nats.operator_service_urls.remove(url.lower())
        report.ok(f"removed service url {go_quote(url)}")
    return [pair for pair in new_keys if not keystore.has(pair.public_key)]


def _signing_key(value: str, keystore: KeyStore) -> KeyPair:
    """A signing-key value as an operator key: ``generate`` makes one."""
    if value.strip() == GENERATE:
        return generate(KeyKind.OPERATOR)
    try:
        pair = load_key(value, keystore)
    except InvalidKeyError as e:
        raise InvalidKeyError(f"invalid operator signing key: {e}") from e
    if pair.kind is not KeyKind.OPERATOR:
        raise InvalidKeyError(
            f"invalid operator signing key: {pair.public_key} is not an operator key"
        )
    return pair


def check_account_server_url(url: str) -> None:
    """An account server URL is http, https, nats, tls, ws or wss, with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[": an unterminated IPv6 host
        parts = urlsplit("")
    if parts.scheme.lower() not in _ASU_SCHEMES or not parts.netloc:
        raise StoreError(
            f"invalid account jwt server url {go_quote(url)}: "
            "an http, https, nats, tls, ws or wss url is required"
        )


def system_account_key(store: Store, value: str) -> str:
    """The public key of the account named (or keyed) ``value``, which may not have JetStream
    limits; a public key of an account this store does not hold is taken as it is."""
    text = value.strip()
    if not text:
        raise UsageError("--system-account: an account name or public key is required")
    try:
        name = store.find_account(text)
    except NotFoundError:
        if is_public_key(text, KeyKind.ACCOUNT):
            return text
        raise NotFoundError(
            f"account {text} does not exist in the current operator",
            hint="list them with 'pynsc list accounts'",
        ) from None
    account = store.account(name)
    check_system_account(name, account.nats.limits)
    return account.sub


def check_strict(store: Store, claims: OperatorClaims) -> None:
    """Strict mode needs every account issued by a signing key, and every user too."""
    for name, account in store.accounts():
        if account.iss == claims.sub:
            raise StoreError(
                f"account {go_quote(name)} needs to be issued with a signing key first",
                hint=f"re-sign it: 'pynsc edit account {name} -K <operator signing key>'",
            )
        for user in store.user_names(name):
            if store.user(name, user).iss == account.sub:
                raise StoreError(
                    f"user {go_quote(user)} in account {go_quote(name)} needs to be issued "
                    "with a signing key first"
                )


# Re-issuing ----------------------------------------------------------------------------------


@dataclass(slots=True)
class ReissueResult:
    """What :func:`reissue_operator` did: the new identity and the accounts re-signed."""

    report: Report
    name: str
    public_key: str
    old_public_key: str
    resigned_accounts: list[str]


def reissue_operator(
    nsc: Nsc,
    *,
    operator: str | None = None,
    key: str | KeyPair | None = None,
    convert_to_signing_key: bool = False,
) -> ReissueResult:
    """Give ``operator`` (default: the current one) a new identity: ``key`` (a seed, a stored
    public key, a file, or a pair with its seed; stored) or a new key.

    Accounts issued by the old identity are re-signed (by the new identity, or under strict
    signing-key usage by a stored operator signing key), unless ``convert_to_signing_key``
    keeps the old identity as a signing key, which leaves every account valid as it is. All
    new JWTs are signed before anything is written. Managed operators are refused.
    """
    store = nsc.store(operator.strip() if operator else None)
    if store.is_managed:
        raise StoreError("resign is only supported in non managed stores")
    keystore = nsc.keystore
    report = Report(summarize=True)
    with store.lock():
        claims = store.operator()
        strict = claims.nats.strict_signing_key_usage
        convert = convert_to_signing_key
        if strict and not convert and not claims.nats.signing_keys:
            raise StoreError(
                "resign of strict operator is only supported with signing keys present"
            )
        identity, _ = _identity_key(key, keystore)
        if identity.seed is None:
            raise InvalidKeyError(
                f"failed to find operator key: the seed of {identity.public_key} is not in "
                "the keystore",
                hint="pass the operator seed (or a file holding it) with -K",
            )
        old = claims.sub
        if identity.public_key == old:
            raise InvalidKeyError(f"{old} is already the identity of operator {claims.name!r}")
        account_signer = identity
        if strict and not convert:
            account_signer = select_signer(
                keystore, private_key=None, candidates=list(claims.nats.signing_keys),
                kinds=(KeyKind.OPERATOR,),
            )  # fmt: skip
        if convert and old not in claims.nats.signing_keys:
            claims.nats.signing_keys.append(old)
        claims.nats.signing_keys[:] = [
            k for k in claims.nats.signing_keys if k != identity.public_key
        ]
        claims.sub = identity.public_key
        operator_token = sign(claims, identity)
        accounts: list[tuple[str, str | None]] = []
        if not convert:
            for account_name, account in store.accounts():
                if account.iss != old:
                    accounts.append((account_name, None))
                    continue
                accounts.append((account_name, sign(account, account_signer)))

        keystore.store(identity)
        store.write_operator(operator_token)
        for account_name, token in accounts:
            if token is not None:
                store.write_account(account_name, token)
    report.ok(
        f'operator "{claims.name}" successfully changed identity to: {identity.public_key}'
    )
    if convert:
        report.ok(f'old operator key "{old}" turned into signing key')
    for account_name, token in accounts:
        if token is None:
            report.ok(f'account "{account_name}" already signed properly')
        else:
            report.ok(f'account "{account_name}" re-signed')
    resigned = [n for n, token in accounts if token is not None]
    report.data = {
        "name": claims.name,
        "public_key": identity.public_key,
        "old_public_key": old,
        "signing_keys": list(claims.nats.signing_keys),
        "resigned_accounts": resigned,
    }
    return ReissueResult(report, claims.name, identity.public_key, old, resigned)
