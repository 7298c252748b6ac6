"""nats-server configurations for an operator: what ``pynsc generate config`` writes.

Three resolver flavours, in nsc's layout (nsc-spec §4.9):

* :func:`memory_resolver_config` — ``resolver: MEMORY`` with every account JWT preloaded;
* :func:`nats_resolver_config` — the nats-based ``full`` resolver (or ``cache`` with
  ``cache=True``), preloaded with the system account only (the others are pushed);
* :func:`memory_resolver_dir` — the MEMORY flavour as a directory: the operator and each account
  JWT in its own file next to ``resolver.conf``;

plus the legacy, operator-less :func:`nkey_config` (``accounts { … users: [ {nkey: U…} ] }``).
Each may end with a :class:`WebsocketConfig` block (:func:`websocket_config`): a websocket
listener for browsers (nats.ws), optionally taking the user JWT from a cookie (``jwt_cookie``).

The resolver flavours read the operator JWT and the account JWTs only, never a user file, so
they cost the same with ten users or a hundred thousand (nsc #624). The account JWTs are decoded
and checked but their signatures are not verified: they go into the configuration as they are,
and nats-server verifies each one (and that the operator issued it) when it loads it. Nothing
here prints or writes: the functions return text (or file names and their text) for the caller
to write.
"""

from __future__ import annotations

import enum
import json
import marshal
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pynsc._model import dataclass
from pynsc.claims import Account, AccountClaims, OperatorClaims, decode, decode_unverified
from pynsc.claims._codec import quick_parts, schema
from pynsc.claims.base import ACCOUNT_CLAIM, LIB_VERSION
from pynsc.errors import DecodeError, NscError, StoreError, UsageError
from pynsc.keys import KeyKind, is_public_key
from pynsc.keys.nkey import public_key_kind
from pynsc.store.store import Store

if TYPE_CHECKING:
    from pynsc.claims import Import

__all__ = [
    "RESOLVER_CONF",
    "AccountEntry",
    "ConfigKind",
    "ServerInventory",
    "WebsocketConfig",
    "memory_resolver_config",
    "memory_resolver_dir",
    "nats_resolver_config",
    "nkey_config",
    "server_config",
    "websocket_config",
]

RESOLVER_CONF = "resolver.conf"
"""The config file :func:`memory_resolver_dir` writes next to the JWT files."""

# patterns, not compiled ones: re compiles (and caches) each on first use, not at import
_UNSAFE_IN_NAME = r"[/\\\x00]"
"""What may not appear in a file name made from an operator's name (it is replaced by ``_``)."""


class ConfigKind(enum.Enum):
    """The kind of configuration, named after its ``generate config`` flag."""

    MEMORY = "mem-resolver"
    FULL = "nats-resolver"
    CACHE = "nats-resolver-cache"
    NKEY = "nkey"

    @property
    def flag(self) -> str:
        return f"--{self.value}"


@dataclass(frozen=True, slots=True)
class AccountEntry:
    """One account as the configuration needs it: its JWT, name and public key."""

    name: str
    public_key: str
    token: str
    directory: str = ""


@dataclass(frozen=True, slots=True)
class ServerInventory:
    """The JWTs a server configuration is built from (operator and accounts, no users).

    ``accounts`` are sorted by public key (the order of ``resolver_preload``);
    ``system_account`` is the public key of the system account, or ``""``.
    """

    operator_name: str
    operator_token: str
    accounts: tuple[AccountEntry, ...]
    system_account: str = ""

    @classmethod
    def load(cls, store: Store, *, system_account: str | None = None) -> ServerInventory:
        """The operator and account JWTs of ``store``.

        ``system_account`` (a name or public key) is the system account when the operator JWT has
        none; when it has one, they must be the same (nats-server refuses a config whose
        ``system_account`` differs from the operator's). Raises :class:`StoreError` when the
        operator has no accounts, or when the system account is not one of them (nats-server
        would not start either).
        """
        operator_token = store.operator_token()
        try:
            operator: OperatorClaims = decode(operator_token, OperatorClaims)
        except DecodeError as e:
            raise StoreError(f"the operator JWT in `{store.dir}` is invalid: {e}") from e
        entries = []
        reader = _AccountReader(operator)
        for directory, token in store.account_tokens():
            # not verified here: nats-server verifies every JWT of its configuration
            quick = reader.read(token)
            if quick is None:  # anything unusual: the full decode accepts it or says why not
                claims = _account_claims(token, directory, store, verify=False)
                quick = claims.name, claims.sub
            name, sub = quick
            entries.append(AccountEntry(name or directory, sub, token, directory))
        if not entries:
            raise StoreError(
                f'operator "{store.name}" has no accounts',
                hint="add one with 'pynsc add account'",
            )
        entries.sort(key=lambda e: e.public_key)
        inventory = cls(operator.name or store.name, operator_token, tuple(entries))
        default = operator.nats.system_account
        if system_account:
            found = inventory.find(system_account)
            if found is None:
                raise store.account_not_found(system_account.strip())
            if default and found.public_key != default:
                current = inventory.by_key(default)
                raise StoreError(
                    f'system account "{found.name}" is not the system account of operator '
                    f'"{store.name}" ({_go_quote(current.name) if current else default}): '
                    "nats-server requires the same one",
                    hint="change the operator's with "
                    f"'pynsc edit operator --system-account {found.name}'",
                )
            return inventory._with_system_account(found.public_key)
        if default and inventory.by_key(default) is None:
            raise StoreError(
                f'the system account {default} of operator "{store.name}" is not one of its '
                "accounts",
                hint="pass --sys-account NAME, or set it with "
                "'pynsc edit operator --system-account NAME'",
            )
        return inventory._with_system_account(default)

    def _with_system_account(self, public_key: str) -> ServerInventory:
        return ServerInventory(self.operator_name, self.operator_token, self.accounts, public_key)

    def by_key(self, public_key: str) -> AccountEntry | None:
        return next((e for e in self.accounts if e.public_key == public_key), None)

    def find(self, name_or_key: str) -> AccountEntry | None:
        """The account whose public key, store directory or JWT name is ``name_or_key``."""
        value = name_or_key.strip()
        if is_public_key(value, KeyKind.ACCOUNT):
            return self.by_key(value)
        return next((e for e in self.accounts if e.directory == value), None) or next(
            (e for e in self.accounts if e.name == value), None
        )

    @property
    def system(self) -> AccountEntry | None:
        return self.by_key(self.system_account) if self.system_account else None


_REGISTERED = {"aud": str, "exp": int, "jti": str, "iat": int, "iss": str, "name": str,
               "nbf": int, "sub": str}  # fmt: skip
"""The registered claims and the one JSON type of each that the quick read takes."""


class _AccountReader:
    """The name and public key of account JWTs issued by one operator, read the quick way.

    :meth:`read` gives ``(name, sub)`` of a v2 account JWT with the standard header, issued by
    the operator or one of its signing keys, exactly when :func:`pynsc.claims.decode_unverified`
    would decode it (to the same name and subject); ``None`` for anything else, which the caller
    then decodes in full (accepting it, or saying why not, as always). No claims are built: the
    registered claims are type-checked as the full decode checks them, and the ``nats`` object
    is decoded once per distinct value, and on a new one once per distinct member (what the
    full decode does, member by member). Values are told apart by their ``marshal`` bytes,
    which keep apart what ``==`` does not (``1``, ``1.0``, ``true``).
    """

    __slots__ = ("decoded", "issuers", "members")

    def __init__(self, operator: OperatorClaims) -> None:
        keys = [operator.sub, *operator.nats.signing_keys]
        # the full decode refuses an account JWT whose issuer is not an operator key
        self.issuers = frozenset(k for k in keys if public_key_kind(k) is KeyKind.OPERATOR)
        self.decoded: set[bytes] = set()
        # JSON key -> how the full decode decodes that member of an account's nats object
        self.members = {key: conv.dec for _attr, key, _omit, conv in schema(Account).fields}

    def read(self, token: str) -> tuple[str, str] | None:
        parts = quick_parts(token)
        if parts is None:
            return None
        payload = parts[0]
        nats = payload.get("nats")
        if type(nats) is not dict or nats.get("type") != ACCOUNT_CLAIM:
            return None
        version = nats.get("version")
        if type(version) is not int or version != LIB_VERSION:
            return None
        for key, value in payload.items():
            kind = _REGISTERED.get(key)
            if kind is not None and type(value) is not kind:
                return None
        if payload.get("iss") not in self.issuers:
            return None
        sub: str = payload.get("sub", "")
        if len(sub) != 56 or sub[0] != "A":
            return None
        whole = marshal.dumps(nats)
        if whole not in self.decoded:
            if not self._decodes(nats):
                return None
            self.decoded.add(whole)
        name: str = payload.get("name", "")
        return name, sub

    def _decodes(self, nats: dict[str, Any]) -> bool:
        """Whether the full decode takes ``nats``: it decodes each member on its own, so each
        is checked on its own, once per distinct member (the signing keys and exports of each
        account differ, its limits and permissions seldom do)."""
        for key, value in nats.items():
            decoder = self.members.get(key)
            if decoder is None:
                continue  # not a member of the claims: the full decode ignores it too
            member = marshal.dumps((key, value))
            if member in self.decoded:
                continue
            try:
                decoder(value, f"nats.{key}")
            except NscError:
                return False
            self.decoded.add(member)
        return True


def _account_claims(
    token: str, directory: str, store: Store, *, verify: bool = True
) -> AccountClaims:
    """The claims of account ``directory``; its signature is checked when ``verify``."""
    try:
        claims: AccountClaims = (
            decode(token, AccountClaims) if verify else decode_unverified(token, AccountClaims)
        )
    except DecodeError as e:
        raise StoreError(
            f'the JWT of account "{directory}" in `{store.dir}` is invalid: {e}'
        ) from e
    return claims


# MEMORY resolver ---------------------------------------------------------------------------------


def _go_quote(value: str) -> str:
    """Go's ``%q`` of ``value`` (:func:`pynsc.claims.subjects.go_quote`): printable ASCII
    without quote or backslash, the usual name, is only put in quotes."""
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    from pynsc.claims.subjects import go_quote

    return go_quote(value)


def _memory_config(inventory: ServerInventory, operator: str, *, files: bool = False) -> str:
    lines = [f"// Operator {_go_quote(inventory.operator_name)}", f"operator: {operator}", ""]
    if inventory.system_account:
        lines += [f"system_account: {inventory.system_account}", ""]
    lines += ["resolver: MEMORY", "", "resolver_preload: {"]
    for entry in inventory.accounts:
        comment = f"  // Account {_go_quote(entry.name)}"
        if files:
            comment += f" ({entry.public_key}.jwt)"
        lines += [comment, f"  {entry.public_key}: {entry.token}", ""]
    lines.append("}")
    return "\n".join(lines) + "\n"


def memory_resolver_config(
    inventory: ServerInventory, *, websocket: WebsocketConfig | None = None
) -> str:
    """``resolver: MEMORY`` with every account JWT inline, in nsc's layout (and ``websocket``'s
    block, if any)."""
    return _with_websocket(_memory_config(inventory, inventory.operator_token), websocket)


def memory_resolver_dir(
    inventory: ServerInventory, directory: Path, *, websocket: WebsocketConfig | None = None
) -> dict[str, str]:
    """The files of ``--dir``: ``<operator>.jwt``, ``<account pub>.jwt`` each, ``resolver.conf``.

    Returns file name → content. ``resolver.conf`` reads the operator JWT from its file, by its
    absolute path in ``directory`` (nats-server takes a relative one from its working directory).
    ``resolver_preload`` only takes JWTs, not files, so the account JWTs are inline there too,
    each under a comment naming its file. ``websocket``'s block ends ``resolver.conf``.
    """
    operator_file = (re.sub(_UNSAFE_IN_NAME, "_", inventory.operator_name) or "operator") + ".jwt"
    files = {operator_file: inventory.operator_token + "\n"}
    for entry in inventory.accounts:
        files[f"{entry.public_key}.jwt"] = entry.token + "\n"
    operator_path = json.dumps(str(directory / operator_file), ensure_ascii=False)
    config = _memory_config(inventory, operator_path, files=True)
    files[RESOLVER_CONF] = _with_websocket(config, websocket)
    return files


# nats-based resolvers ----------------------------------------------------------------------------

_HEADER = """\
# Operator named {operator_name}
operator: {operator}
# System Account named {system_name}
system_account: {system}
"""

_FULL = """
# configuration of the nats based resolver
resolver {
    type: full
    # Directory in which the account jwt will be stored
    dir: {dir}
    # In order to support jwt deletion, set to true
    # If the resolver type is full delete will rename the jwt.
    # This is to allow manual restoration in case of inadvertent deletion.
    # To restore a jwt, remove the added suffix .delete and restart or send a reload signal.
    # To free up storage you must manually delete files with the suffix .delete.
    allow_delete: {allow_delete}
{limit}    # Interval at which a nats-server with a nats based account resolver will compare
    # it's state with one random nats based account resolver in the cluster and if needed,
    # exchange jwt and converge on the same set of jwt.
    interval: "2m"
    # Timeout for lookup requests in case an account does not exist locally.
    timeout: "1.9s"
}

"""

_CACHE = """
# configuration of the nats based cache resolver
resolver {
    type: cache
    # Directory in which the account jwt will be stored
    dir: {dir}
{ttl_comment}
    ttl: "1h"
    # Timeout for lookup requests in case an account does not exist locally.
    timeout: "1.9s"
}

"""

_TTL_COMMENT = (
    "    # ttl after which the file will be removed from the cache."
    " Set to a large value in order to disable."
)

_PRELOAD = """
# Preload the nats based resolver with the system account jwt.
# This is not necessary but avoids a bootstrapping system account.
# This only applies to the system account. Therefore other account jwt are not included here.
# To populate the resolver:
# 1) make sure that your operator has the account server URL pointing at your nats servers.
#    The url must start with: "nats://"
#    pynsc edit operator --account-jwt-server-url nats://localhost:4222
# 2) push your accounts using: pynsc push --all
#    The argument to push -u is optional if your account server url is set as described.
# 3) to prune accounts use: pynsc push --prune
#    In order to enable prune you must set above allow_delete to true
# Later changes to the system account take precedence over the system account jwt listed here.
resolver_preload: {
\t{system}: {token},
}

"""


_LIMIT = """\
    # Maximum number of account jwt the resolver stores (nats-server's default is 1000).
    limit: {limit}
"""


def nats_resolver_config(
    inventory: ServerInventory,
    *,
    cache: bool = False,
    jwt_dir: Path | None = None,
    allow_delete: bool = False,
    limit: int | None = None,
    websocket: WebsocketConfig | None = None,
) -> str:
    """The nats-based ``full`` (or ``cache``) resolver, preloaded with the system account.

    The defaults are nsc's text: JWTs in ``./jwt`` (relative to the server's working
    directory), no deletion, nats-server's default limit. ``jwt_dir`` (an absolute path is
    best), ``allow_delete`` and ``limit`` (full resolver only) change them; ``websocket``
    adds its block at the end.
    """
    system = inventory.system
    if system is None:
        raise StoreError(
            "system account is not set",
            hint="pass --sys-account NAME, or set it with "
            "'pynsc edit operator --system-account NAME'",
        )
    header = _HEADER.format(
        operator_name=inventory.operator_name,
        operator=inventory.operator_token,
        system_name=system.name,
        system=system.public_key,
    )
    preload = _PRELOAD.replace("{system}", system.public_key).replace("{token}", system.token)
    directory = "'./jwt'" if jwt_dir is None else json.dumps(str(jwt_dir), ensure_ascii=False)
    if cache:
        resolver = _CACHE.replace("{ttl_comment}", _TTL_COMMENT)
    else:
        limit_text = "" if limit is None else _LIMIT.replace("{limit}", str(limit))
        resolver = _FULL.replace("{allow_delete}", "true" if allow_delete else "false")
        resolver = resolver.replace("{limit}", limit_text)
    text = header + resolver.replace("{dir}", directory) + preload
    return _with_websocket(text, websocket)


def server_config(
    inventory: ServerInventory, kind: ConfigKind, *, websocket: WebsocketConfig | None = None
) -> str:
    """The config text of a resolver ``kind`` (the nkey kind is :func:`nkey_config`), ending
    with ``websocket``'s block when given."""
    if kind is ConfigKind.MEMORY:
        return memory_resolver_config(inventory, websocket=websocket)
    if kind is ConfigKind.FULL:
        return nats_resolver_config(inventory, websocket=websocket)
    if kind is ConfigKind.CACHE:
        return nats_resolver_config(inventory, cache=True, websocket=websocket)
    raise ValueError(f"{kind.flag} is not a resolver configuration")


# websocket ---------------------------------------------------------------------------------------

_HOST = r"[A-Za-z0-9._:%\-]+"
"""A host name or IP address (IPv6 unbracketed, as nats-server's ``host`` takes it)."""


@dataclass(frozen=True, slots=True)
class WebsocketConfig:
    """nats-server's ``websocket {}`` block: a listener for websocket clients such as browsers
    running nats.ws.

    ``host`` is nats-server's default (every interface) when ``None``. ``jwt_cookie`` names the
    cookie of the websocket upgrade request that nats-server takes the user JWT from when the
    client's ``CONNECT`` has none: a page then connects with no credentials in its JavaScript,
    the backend having set a bearer user JWT in that HTTP-only cookie
    (:func:`pynsc.web.jwt_cookie`). nats-server refuses a websocket listener without TLS:
    give ``cert_file`` and ``key_file``, or set ``no_tls`` (tests on loopback, or behind a proxy
    that terminates TLS). Raises :class:`~pynsc.errors.UsageError` for values nats-server
    would not start with.
    """

    port: int
    host: str | None = None
    jwt_cookie: str | None = None
    no_tls: bool = False
    cert_file: Path | None = None
    key_file: Path | None = None

    def __post_init__(self) -> None:
        if isinstance(self.port, bool) or not 1 <= self.port <= 65535:
            raise UsageError(f"websocket port {self.port} is out of range (1-65535)")
        if self.host is not None and not re.fullmatch(_HOST, self.host):
            raise UsageError(f"websocket host {self.host!r} is not a host name or IP address")
        if self.jwt_cookie is not None:
            from pynsc.web import check_cookie_name

            check_cookie_name(self.jwt_cookie)
        tls_files = (self.cert_file, self.key_file)
        if self.no_tls and any(f is not None for f in tls_files):
            raise UsageError("a websocket listener without TLS takes no certificate or key")
        if not self.no_tls and any(f is None for f in tls_files):
            raise UsageError(
                "nats-server requires TLS on a websocket listener: it needs a certificate "
                "and its key",
                hint="pass --websocket-cert FILE and --websocket-key FILE, or --no-tls for "
                "tests on loopback or behind a proxy that terminates TLS",
            )

    @property
    def url(self) -> str:
        """``ws://host:port`` (``wss://`` with TLS); ``0.0.0.0`` stands for every interface."""
        scheme = "ws" if self.no_tls else "wss"
        host = self.host or "0.0.0.0"
        if ":" in host:
            host = f"[{host}]"
        return f"{scheme}://{host}:{self.port}"


def websocket_config(websocket: WebsocketConfig) -> str:
    """The ``websocket {}`` block of ``websocket``, commented."""
    lines = [
        f"# Websocket clients (browsers with nats.ws) on {websocket.url}",
        "websocket {",
        f"    port: {websocket.port}",
    ]
    if websocket.host is not None:
        lines.append(f"    host: {json.dumps(websocket.host)}")
    if websocket.no_tls:
        lines += [
            "    # No TLS: for tests on loopback, or behind a proxy that terminates TLS (a page",
            "    # served over https:// may only open wss:// websockets).",
            "    no_tls: true",
        ]
    else:
        cert = json.dumps(str(websocket.cert_file), ensure_ascii=False)
        key = json.dumps(str(websocket.key_file), ensure_ascii=False)
        lines += ["    tls {", f"        cert_file: {cert}", f"        key_file: {key}", "    }"]
    if websocket.jwt_cookie is not None:
        lines += [
            "    # A client whose CONNECT has no JWT is authenticated with the one in this cookie",
            "    # of the websocket upgrade request: a short-lived bearer user JWT, set HttpOnly",
            "    # by the web backend (pynsc.jwt_cookie).",
            f"    jwt_cookie: {json.dumps(websocket.jwt_cookie)}",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _with_websocket(text: str, websocket: WebsocketConfig | None) -> str:
    if websocket is None:
        return text
    return text.rstrip("\n") + "\n\n" + websocket_config(websocket)


# nkey (operator-less) configuration --------------------------------------------------------------

_BARE = r"[A-Za-z_][A-Za-z0-9_\-]*"


def _conf_string(value: str) -> str:
    """``value`` as a nats config string: bare when it is a plain word, else double-quoted."""
    return value if re.fullmatch(_BARE, value) else json.dumps(value, ensure_ascii=False)


def nkey_config(store: Store, *, websocket: WebsocketConfig | None = None) -> str:
    """The legacy configuration without an operator: ``accounts { A: { users, exports, … } }``.

    Every user of every account is listed by its nkey, so this one reads all user JWTs. Users
    connect with their seed (``nkey``), not with a creds file. Accounts are sorted by name and
    users by file name; strings that are not plain words are quoted. ``websocket`` (without a
    ``jwt_cookie``: these users have no JWT) adds its block at the end.
    """
    if websocket is not None and websocket.jwt_cookie is not None:
        raise UsageError(
            "a JWT cookie needs an operator configuration: nkey users have no JWT",
            hint="use --mem-resolver or --nats-resolver",
        )
    from pynsc.claims import UserClaims
    from pynsc.claims.subjects import is_contained_in

    accounts: dict[str, AccountClaims] = {}
    for directory in store.account_names():
        accounts[directory] = _account_claims(store.account_token(directory), directory, store)
    if not accounts:
        raise StoreError(
            f'operator "{store.name}" has no accounts', hint="add one with 'pynsc add account'"
        )
    names = {claims.sub: claims.name or directory for directory, claims in accounts.items()}
    importers = _private_importers(accounts.values())
    lines = ["accounts: {"]
    for directory, claims in sorted(accounts.items(), key=lambda item: names[item[1].sub]):
        lines.append(f"  {_conf_string(names[claims.sub])}: {{")
        users = []
        for user in store.user_names(directory):
            user_claims: UserClaims = decode(store.user_token(directory, user), UserClaims)
            users.append(user_claims.sub)
        if users:
            lines.append("    users: [")
            lines += [f"      {{ nkey: {u} }}" for u in users]
            lines.append("    ]")
        if claims.nats.exports:
            lines.append("    exports: [")
            for export in claims.nats.exports:
                kind = "service" if export.is_service else "stream"
                text = f"{{ {kind}: {_conf_string(export.subject)}"
                if export.token_req:
                    allowed = [
                        _conf_string(names.get(target, target))
                        for target, imp in importers.get(claims.sub, [])
                        if imp.type == export.type and is_contained_in(imp.subject, export.subject)
                    ]
                    text += f", accounts: [{','.join(allowed)}]"
                lines.append(f"      {text} }}")
            lines.append("    ]")
        imports = []
        for imp in claims.nats.imports:
            source = names.get(imp.account)
            if source is None:
                raise StoreError(
                    f"unable to resolve account {_go_quote(imp.account)} in import under current "
                    "operator"
                )
            src = f"{{ account: {_conf_string(source)}, subject: {_conf_string(imp.subject)} }}"
            local = imp.local_subject or imp.to
            if imp.is_service:
                text = f"{{ service: {src}"
                if local:
                    text += f", to: {_conf_string(local)}"
            else:
                text = f"{{ stream: {src}"
                if imp.local_subject:
                    text += f", to: {_conf_string(imp.local_subject)}"
                elif imp.to:
                    text += f", prefix: {_conf_string(imp.to)}"
            imports.append(f"      {text} }}")
        if imports:
            lines += ["    imports: [", *imports, "    ]"]
        lines.append("  }")
    lines.append("}")
    return _with_websocket("\n".join(lines) + "\n", websocket)


def _private_importers(accounts: Iterable[AccountClaims]) -> dict[str, list[tuple[str, Import]]]:
    """Exporter public key → [(importer public key, import)] for imports with an activation."""
    from pynsc.claims import ActivationClaims

    found: dict[str, list[tuple[str, Import]]] = {}
    for claims in accounts:
        for imp in claims.nats.imports:
            if not imp.token:
                continue
            activation: ActivationClaims = decode(imp.token, ActivationClaims)
            found.setdefault(imp.account, []).append((activation.sub, imp))
    return found
