"""Value types shared by the claim models, in nats-io/jwt v2 field order.

Attribute names are the JSON keys. Defaults are those of the Go constructors (``NewUserClaims``,
``NewAccountClaims``, ``NewUserScope``: ``-1`` means unlimited); decoding fills a missing field with
Go's zero value instead, exactly as ``json.Unmarshal`` into a fresh struct does.
"""

from __future__ import annotations

from typing import Any

from pynsc._model import dataclass
from pynsc.claims._codec import FieldCodec, opt, req
from pynsc.errors import ClaimsError, DecodeError

NO_LIMIT = -1
ANY_ACCOUNT = "*"
MAX_INFO_LENGTH = 8192

STREAM = "stream"
SERVICE = "service"
RESPONSE_SINGLETON = "Singleton"
RESPONSE_STREAM = "Stream"
RESPONSE_CHUNKED = "Chunked"
USER_SCOPE = "user_scope"
HEADERS_SAMPLING = 0

CONNECTION_TYPES = (
    "STANDARD",
    "WEBSOCKET",
    "LEAFNODE",
    "LEAFNODE_WS",
    "MQTT",
    "MQTT_WS",
    "IN_PROCESS",
)


# Custom JSON forms -------------------------------------------------------------------------------


class _ExportTypeCodec(FieldCodec):
    """``"stream"`` / ``"service"``; Go's ExportType refuses anything else both ways."""

    def encode(self, value: Any) -> Any:
        if value not in (STREAM, SERVICE):
            raise ClaimsError(f"unknown export type {value!r}")
        return value

    def decode(self, raw: Any, path: str) -> Any:
        if raw not in (STREAM, SERVICE):
            raise DecodeError(f"unknown export type {raw!r}")
        return raw

    def zero(self) -> Any:
        return ""


class _SamplingCodec(FieldCodec):
    """0 is ``"headers"``; 1..100 is a percentage."""

    def encode(self, value: Any) -> Any:
        if value == HEADERS_SAMPLING:
            return "headers"
        if not isinstance(value, int) or not 1 <= value <= 100:
            raise ClaimsError(f"unknown sampling rate {value!r}")
        return value

    def decode(self, raw: Any, path: str) -> Any:
        if isinstance(raw, str) and raw.lower() == "headers":
            return HEADERS_SAMPLING
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise DecodeError(f"invalid JWT: {path} should be \"headers\" or a number")
        return raw

    def zero(self) -> Any:
        return HEADERS_SAMPLING

    def is_empty(self, value: Any) -> bool:
        return False


class _CIDRListCodec(FieldCodec):
    """A list of CIDRs; a comma-separated string (the v1 form) is accepted on decode."""

    def encode(self, value: Any) -> Any:
        return list(value)

    def decode(self, raw: Any, path: str) -> Any:
        if raw is None:
            return []
        if isinstance(raw, str):
            return [part.strip().lower() for part in raw.split(",") if part.strip()]
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise DecodeError(f"invalid JWT: {path} should be a list of CIDRs")
        return list(raw)

    def zero(self) -> Any:
        return []


EXPORT_TYPE = _ExportTypeCodec()
SAMPLING = _SamplingCodec()
CIDR_LIST = _CIDRListCodec()


# Permissions and limits --------------------------------------------------------------------------


@dataclass(kw_only=True, slots=True)
class Permission:
    """Subjects allowed and denied; a ``sub`` entry may be ``"subject queue"``."""

    allow: list[str] = opt(factory=list)
    deny: list[str] = opt(factory=list)


@dataclass(kw_only=True, slots=True)
class ResponsePermission:
    """Permission to answer ``max`` requests within ``ttl`` nanoseconds of receiving them."""

    max: int = req(0)
    ttl: int = req(0)


@dataclass(kw_only=True, slots=True)
class Permissions:
    pub: Permission = opt(factory=Permission)
    sub: Permission = opt(factory=Permission)
    resp: ResponsePermission | None = opt(None)


@dataclass(kw_only=True, slots=True)
class TimeRange:
    """A daily connect window, ``HH:MM:SS`` each; ``start`` after ``end`` wraps midnight."""

    start: str = opt("")
    end: str = opt("")


@dataclass(kw_only=True, slots=True)
class UserPermissionLimits(Permissions):
    """What a user may do: permissions, limits, bearer and connection types.

    Also the ``template`` of a scoped signing key.
    """

    src: list[str] = opt(factory=list, codec=CIDR_LIST)
    times: list[TimeRange] = opt(factory=list)
    times_location: str = opt("")
    subs: int = opt(NO_LIMIT)
    data: int = opt(NO_LIMIT)
    payload: int = opt(NO_LIMIT)
    bearer_token: bool = opt(False)
    proxy_required: bool = opt(False)
    allowed_connection_types: list[str] = opt(factory=list)

    def is_empty(self) -> bool:
        """Whether this is the zero value (what a scoped key's user must carry)."""
        return self == _ZERO_USER_LIMITS


_ZERO_USER_LIMITS = UserPermissionLimits(subs=0, data=0, payload=0)


@dataclass(kw_only=True, slots=True)
class JetStreamLimits:
    """JetStream limits of an account or of one tier; 0 on both storages means disabled."""

    mem_storage: int = opt(0)
    disk_storage: int = opt(0)
    streams: int = opt(0)
    consumer: int = opt(0)
    max_ack_pending: int = opt(0)
    mem_max_stream_bytes: int = opt(0)
    disk_max_stream_bytes: int = opt(0)
    max_bytes_required: bool = opt(False)

    def is_enabled(self) -> bool:
        return self.mem_storage != 0 or self.disk_storage != 0


_JS_FIELDS = tuple(JetStreamLimits.__dataclass_fields__)


@dataclass(kw_only=True, slots=True)
class OperatorLimits:
    """Account limits set by the operator: NATS, account and JetStream limits, flattened."""

    subs: int = opt(NO_LIMIT)
    data: int = opt(NO_LIMIT)
    payload: int = opt(NO_LIMIT)
    imports: int = opt(NO_LIMIT)
    exports: int = opt(NO_LIMIT)
    wildcards: bool = opt(True)
    disallow_bearer: bool = opt(False)
    conn: int = opt(NO_LIMIT)
    leaf: int = opt(NO_LIMIT)
    mem_storage: int = opt(0)
    disk_storage: int = opt(0)
    streams: int = opt(0)
    consumer: int = opt(0)
    max_ack_pending: int = opt(0)
    mem_max_stream_bytes: int = opt(0)
    disk_max_stream_bytes: int = opt(0)
    max_bytes_required: bool = opt(False)
    tiered_limits: dict[str, JetStreamLimits] = opt(factory=dict)

    @property
    def jetstream(self) -> JetStreamLimits:
        """The flat (untiered) JetStream limits as their own value."""
        return JetStreamLimits(**{name: getattr(self, name) for name in _JS_FIELDS})

    @jetstream.setter
    def jetstream(self, value: JetStreamLimits) -> None:
        for name in _JS_FIELDS:
            setattr(self, name, getattr(value, name))

    def is_jetstream_enabled(self) -> bool:
        if self.tiered_limits:
            return any(t.is_enabled() for t in self.tiered_limits.values())
        return self.mem_storage != 0 or self.disk_storage != 0

    def is_unlimited(self) -> bool:
        return self == OperatorLimits()

    def is_zero(self) -> bool:
        """All zero: Go's ``OperatorLimits.IsEmpty``."""
        return self == _ZERO_OPERATOR_LIMITS


_ZERO_OPERATOR_LIMITS = OperatorLimits(
    subs=0, data=0, payload=0, imports=0, exports=0, wildcards=False, conn=0, leaf=0
)


# Exports and imports -----------------------------------------------------------------------------


@dataclass(kw_only=True, slots=True)
class ServiceLatency:
    """Latency tracking: ``sampling`` percent (0 = only when the request has headers)."""

    sampling: int = req(HEADERS_SAMPLING, codec=SAMPLING)
    results: str = req("")


@dataclass(kw_only=True, slots=True)
class Export:
    name: str = opt("")
    subject: str = opt("")
    type: str = opt("", codec=EXPORT_TYPE)
    token_req: bool = opt(False)
    revocations: dict[str, int] = opt(factory=dict)
    response_type: str = opt("")
    response_threshold: int = opt(0)
    service_latency: ServiceLatency | None = opt(None)
    account_token_position: int = opt(0)
    advertise: bool = opt(False)
    allow_trace: bool = opt(False)
    description: str = opt("")
    info_url: str = opt("")

    @property
    def is_service(self) -> bool:
        return self.type == SERVICE

    @property
    def is_stream(self) -> bool:
        return self.type == STREAM


@dataclass(kw_only=True, slots=True)
class Import:
    name: str = opt("")
    subject: str = opt("")
    account: str = opt("")
    token: str = opt("")
    to: str = opt("")
    local_subject: str = opt("")
    type: str = opt("", codec=EXPORT_TYPE)
    share: bool = opt(False)
    allow_trace: bool = opt(False)

    @property
    def is_service(self) -> bool:
        return self.type == SERVICE

    @property
    def is_stream(self) -> bool:
        return self.type == STREAM


# Account parts -----------------------------------------------------------------------------------


@dataclass(kw_only=True, slots=True)
class UserScope:
    """A scoped signing key: users it signs get ``template`` and nothing of their own."""

    kind: str = req(USER_SCOPE)
    key: str = req("")
    role: str = req("")
    template: UserPermissionLimits = req(factory=UserPermissionLimits)
    description: str = req("")


class _SigningKeysCodec(FieldCodec):
    """Account signing keys: a map key → scope (``None`` = plain key), written as a sorted array
    of strings (plain keys) and objects (scoped keys)."""

    def encode(self, value: Any) -> Any:
        from pynsc.claims._codec import to_dict

        out: list[Any] = []
        for key in sorted(value):
            scope = value[key]
            out.append(key if scope is None else to_dict(scope))
        return out

    def decode(self, raw: Any, path: str) -> Any:
        from pynsc.claims._codec import from_dict

        if raw is None:
            return {}
        if not isinstance(raw, list):
            raise DecodeError(f"invalid JWT: {path} should be an array")
        keys: dict[str, UserScope | None] = {}
        for i, item in enumerate(raw):
            if isinstance(item, str):
                keys[item] = None
            elif isinstance(item, dict):
                if item.get("kind") != USER_SCOPE:
                    raise DecodeError(f"unsupported scope kind {item.get('kind')!r}")
                scope = from_dict(UserScope, item, path=f"{path}[{i}]", defaults=True)
                keys[scope.key] = scope
            else:
                raise DecodeError(f"invalid JWT: {path}[{i}] should be a key or a scope")
        return keys

    def zero(self) -> Any:
        return {}


SIGNING_KEYS = _SigningKeysCodec()


@dataclass(kw_only=True, slots=True)
class WeightedMapping:
    """One destination of a subject mapping; ``weight`` 0 means 100."""

    subject: str = req("")
    weight: int = opt(0)
    cluster: str = opt("")

    def effective_weight(self) -> int:
        return 100 if self.weight == 0 else self.weight


@dataclass(kw_only=True, slots=True)
class ExternalAuthorization:
    """Auth callout: ``auth_users`` bypass it; non-empty means enabled."""

    auth_users: list[str] = opt(factory=list)
    allowed_accounts: list[str] = opt(factory=list)
    xkey: str = opt("")

    def is_enabled(self) -> bool:
        return bool(self.auth_users)


@dataclass(kw_only=True, slots=True)
class MsgTrace:
    """Message tracing: where traces go, and what percentage is sampled (0 means 100)."""

    dest: str = opt("")
    sampling: int = opt(0)


# Auth callout request parts ----------------------------------------------------------------------


@dataclass(kw_only=True, slots=True)
class ServerID:
    name: str = req("")
    host: str = req("")
    id: str = req("")
    version: str = opt("")
    cluster: str = opt("")
    tags: list[str] = opt(factory=list)
    xkey: str = opt("")


@dataclass(kw_only=True, slots=True)
class ClientInformation:
    host: str = opt("")
    id: int = opt(0)
    user: str = opt("")
    name: str = opt("")
    tags: list[str] = opt(factory=list)
    name_tag: str = opt("")
    kind: str = opt("")
    type: str = opt("")
    mqtt_id: str = opt("")
    nonce: str = opt("")


@dataclass(kw_only=True, slots=True)
class ConnectOptions:
    jwt: str = opt("")
    nkey: str = opt("")
    sig: str = opt("")
    auth_token: str = opt("")
    user: str = opt("")
    password: str = opt("", json="pass")
    name: str = opt("")
    lang: str = opt("")
    version: str = opt("")
    protocol: int = req(0)


@dataclass(kw_only=True, slots=True)
class ClientTLS:
    version: str = opt("")
    cipher: str = opt("")
    certs: list[str] = opt(factory=list)
    verified_chains: list[list[str]] = opt(factory=list)
