"""Claim validation, rule for rule and message for message as nats-io/jwt v2 ``Validate``.

:func:`validate` dispatches on the claim type and collects :class:`ValidationIssue` values in the
order Go's ``Validate`` methods would add them (where Go walks a map, in the map's insertion
order). Blocking issues are errors; time checks (expired, not yet valid) are reported apart, so a
caller decides whether they block: ``results.is_blocking(include_time_checks=True)``.

Unlike Go's, :func:`validate` never changes the claims it checks (Go rewrites a message-trace
``sampling`` of 0 to 100 while validating; here 0 is simply valid, as it is for Go). And it is
stricter where Go lets through what nats-server can never use: a subject with a tab, newline,
carriage return or form feed, or with ``>`` before its last token, and a mapping destination
with a ``*`` token or a ``>`` its source does not have (or the reverse); each is an error,
after Go's issues for the same subject.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import field
from typing import TYPE_CHECKING, cast

from pynsc._model import dataclass
from pynsc.claims.account import Account, AccountClaims
from pynsc.claims.base import ClaimsData, loaded_instance
from pynsc.claims.operator import OperatorClaims
from pynsc.claims.subjects import (
    GoURLError,
    go_atoi,
    go_quote,
    has_wildcards,
    is_contained_in,
    is_valid_cidr,
    is_valid_time_zone,
    mapping_destination_errors,
    parse_go_time,
    parse_go_url,
    renaming_to_subject,
    time_zone_error,
    validate_renaming_subject,
    validate_subject,
)
from pynsc.claims.types import (
    ANY_ACCOUNT,
    CONNECTION_TYPES,
    MAX_INFO_LENGTH,
    NO_LIMIT,
    RESPONSE_CHUNKED,
    RESPONSE_SINGLETON,
    RESPONSE_STREAM,
    SERVICE,
    STREAM,
    Export,
    ExternalAuthorization,
    Import,
    JetStreamLimits,
    MsgTrace,
    OperatorLimits,
    Permission,
    Permissions,
    ServiceLatency,
    TimeRange,
    UserPermissionLimits,
    UserScope,
    WeightedMapping,
)
from pynsc.claims.user import UserClaims
from pynsc.errors import NscError
from pynsc.keys.nkey import KeyKind, is_public_key

if TYPE_CHECKING:  # imported when a token of theirs is decoded (see loaded_instance)
    from pynsc.claims.activation import ActivationClaims
    from pynsc.claims.authorization import (
        AuthorizationRequestClaims,
        AuthorizationResponseClaims,
    )

__all__ = [
    "ValidationIssue",
    "ValidationResults",
    "has_wildcards",
    "is_contained_in",
    "is_valid_cidr",
    "is_valid_time_zone",
    "operator_service_url_error",
    "parse_go_time",
    "server_version_error",
    "validate",
    "validate_subject",
]

CLUSTER_TRAFFIC_OPTIONS = ("", "system", "owner")
SERVICE_RESPONSE_TYPES = ("", RESPONSE_SINGLETON, RESPONSE_STREAM, RESPONSE_CHUNKED)
SERVICE_URL_SCHEMES = ("nats", "tls", "ws", "wss")


# Results -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One finding: an error (``blocking``), a warning, or a time check."""

    description: str
    blocking: bool = False
    time_check: bool = False

    def __str__(self) -> str:
        return self.description


@dataclass(slots=True)
class ValidationResults:
    """The issues found, in the order they were found."""

    issues: list[ValidationIssue] = field(default_factory=list)

    def add(self, issue: ValidationIssue) -> None:
        self.issues.append(issue)

    def add_error(self, msg: str) -> None:
        self.issues.append(ValidationIssue(msg, blocking=True))

    def add_warning(self, msg: str) -> None:
        self.issues.append(ValidationIssue(msg))

    def add_time_check(self, msg: str) -> None:
        self.issues.append(ValidationIssue(msg, time_check=True))

    def is_blocking(self, include_time_checks: bool = False) -> bool:
        """Whether any issue is an error (or, with ``include_time_checks``, a time check)."""
        return any(i.blocking or (include_time_checks and i.time_check) for i in self.issues)

    def errors(self) -> list[ValidationIssue]:
        """The blocking issues."""
        return [i for i in self.issues if i.blocking]

    def warnings(self) -> list[ValidationIssue]:
        """The non-blocking issues, time checks included."""
        return [i for i in self.issues if not i.blocking]

    def time_checks(self) -> list[ValidationIssue]:
        return [i for i in self.issues if i.time_check]

    def is_empty(self) -> bool:
        return not self.issues

    def __iter__(self) -> Iterator[ValidationIssue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)


# Entry point -------------------------------------------------------------------------------------


def validate(claims: ClaimsData, now: int | None = None) -> ValidationResults:
    """Validate ``claims`` as Go's ``claims.Validate(vr)`` does, at ``now`` (Unix seconds).

    Generic claims (and anything not a known claim type) get the time checks only.
    """
    at = int(time.time()) if now is None else int(now)
    results = ValidationResults()
    if isinstance(claims, OperatorClaims):
        _operator_claims(claims, at, results)
    elif isinstance(claims, AccountClaims):
        _account_claims(claims, at, results)
    elif isinstance(claims, UserClaims):
        _user_claims(claims, at, results)
    elif loaded_instance(claims, "pynsc.claims.activation", "ActivationClaims"):
        _activation_claims(cast("ActivationClaims", claims), results, now=at)
    elif loaded_instance(claims, "pynsc.claims.authorization", "AuthorizationRequestClaims"):
        _auth_request_claims(cast("AuthorizationRequestClaims", claims), at, results)
    elif loaded_instance(claims, "pynsc.claims.authorization", "AuthorizationResponseClaims"):
        _auth_response_claims(cast("AuthorizationResponseClaims", claims), at, results)
    else:
        _claims_data(claims, at, results)
    return results


def _claims_data(claims: ClaimsData, now: int, results: ValidationResults) -> None:
    if claims.is_expired(now):
        results.add_time_check("claim is expired")
    if claims.is_not_yet_valid(now):
        results.add_time_check("claim is not yet valid")


def _type_name(kind: str) -> str:
    """Go's ``ExportType.String()``."""
    return kind if kind in (STREAM, SERVICE) else "unknown"


def _is_account_key(key: str) -> bool:
    return is_public_key(key, KeyKind.ACCOUNT)


# Operator ----------------------------------------------------------------------------------------


def server_version_error(version: str) -> str | None:
    """What Go's ``ParseServerVersion`` says of ``assert_server_version``; ``None`` when fine."""
    if not version:
        return None
    parts = version.split(".")
    if len(parts) != 3:
        return "asserted server version must be of the form <major>.<minor>.<update>"
    numbers = []
    for part in parts:
        number = go_atoi(part)
        if number is None:
            return f"asserted server version cant parse {part} to int"
        numbers.append(number)
    if min(numbers) < 0:
        return f"asserted server version can'b contain negative values: {version}"
    return None


def _account_server_url_error(url: str) -> str | None:
    if not url:
        return None
    try:
        parsed = parse_go_url(url)
    except GoURLError as err:
        return f"error parsing account server url: {err}"
    if not parsed.scheme:
        return f"account server url {go_quote(url)} requires a protocol"
    return None


def operator_service_url_error(url: str) -> str | None:
    """Go's ``ValidateOperatorServiceURL``: a nats, tls, ws or wss URL, no credentials, no path.

    ``None`` when ``url`` is acceptable (the empty string is).
    """
    if not url:
        return None
    try:
        parsed = parse_go_url(url)
    except GoURLError as err:
        return f"error parsing operator service url {go_quote(url)}: {err}"
    if parsed.user is not None:
        return f"operator service url {go_quote(url)} - credentials are not supported"
    if parsed.path:
        return f"operator service url {go_quote(url)} - paths are not supported"
    if parsed.scheme.lower() not in SERVICE_URL_SCHEMES:
        return (
            f"operator service url {go_quote(url)} - protocol not supported "
            "(only 'nats', 'tls', 'ws', 'wss' only)"
        )
    return None


def _operator_claims(claims: OperatorClaims, now: int, results: ValidationResults) -> None:
    _claims_data(claims, now, results)
    op = claims.nats
    problem = _account_server_url_error(op.account_server_url)
    if problem:
        results.add_error(problem)
    for url in op.operator_service_urls:
        problem = operator_service_url_error(url)
        if problem:
            results.add_error(problem)
    for key in op.signing_keys:
        if not is_public_key(key, KeyKind.OPERATOR):
            results.add_error(f"{key} is not an operator public key")
    if op.system_account and not _is_account_key(op.system_account):
        results.add_error(f"{op.system_account} is not an account public key")
    problem = server_version_error(op.assert_server_version)
    if problem:
        results.add_error(f"assert server version error: {problem}")


# Permissions and user limits ---------------------------------------------------------------------


def _permission_entry(entry: str, queue_allowed: bool, results: ValidationResults) -> None:
    parts = entry.split(" ")
    if len(parts) > 2:
        results.add_error(f'Permission Subject "{entry}" contains too many spaces')
        return
    for index, part in enumerate(parts):
        validate_subject(part, results, queue=index == 1)
    if len(parts) == 2 and not queue_allowed:
        results.add_error(f'Permission Subject "{entry}" is not allowed to contain queue')


def _permission(permission: Permission, queue_allowed: bool, results: ValidationResults) -> None:
    for entry in [*permission.allow, *permission.deny]:
        _permission_entry(entry, queue_allowed, results)


def _permissions(permissions: Permissions, results: ValidationResults) -> None:
    """Subscribe permissions (which may name a queue), then publish ones; ``resp`` is free."""
    _permission(permissions.sub, True, results)
    _permission(permissions.pub, False, results)


def _time_range(window: TimeRange, results: ValidationResults) -> None:
    if not window.start:
        results.add_error("time ranges start must contain a start")
    elif not parse_go_time(window.start):
        results.add_error(f"start in time range is invalid {go_quote(window.start)}")
    if not window.end:
        results.add_error("time ranges end must contain an end")
    elif not parse_go_time(window.end):
        results.add_error(f"end in time range is invalid {go_quote(window.end)}")


def _user_limits(limits: UserPermissionLimits, results: ValidationResults) -> None:
    for cidr in limits.src:
        if not is_valid_cidr(cidr):
            results.add_error(f"invalid cidr {go_quote(cidr)} in user src limits")
    for window in limits.times:
        _time_range(window, results)
    problem = time_zone_error(limits.times_location)
    if problem:
        results.add_error(f"could not parse iana time zone by name: {problem}")


def _connection_types(types: list[str], results: ValidationResults) -> None:
    """What nats-server does with ``allowed_connection_types`` (Go's library checks nothing):
    unknown names are ignored (a warning here), and a list with no known name refuses the user,
    since an empty set would mean "all" (an error here, after Go's own rules)."""
    if not types:
        return
    unknown = [t for t in types if t.upper() not in CONNECTION_TYPES]
    for name in unknown:
        results.add_warning(f"unknown connection type {go_quote(name)}")
    if len(unknown) == len(types):
        results.add_error(
            "allowed connection types has no known type: nats-server refuses the user"
        )


def _user_claims(claims: UserClaims, now: int, results: ValidationResults) -> None:
    _claims_data(claims, now, results)
    user = claims.nats
    _permissions(user, results)
    _user_limits(user, results)
    if user.issuer_account and not _is_account_key(user.issuer_account):
        results.add_error("account_id is not an account public key")
    _connection_types(user.allowed_connection_types, results)


# Activation --------------------------------------------------------------------------------------


def _activation_claims(
    claims: ActivationClaims, results: ValidationResults, *, now: int | None
) -> None:
    """An activation; ``now=None`` skips the time checks (an activation inside an import)."""
    if now is not None:
        _claims_data(claims, now, results)
    act = claims.nats
    if act.kind not in (STREAM, SERVICE):
        results.add_error(f"invalid import type: {go_quote(_type_name(act.kind))}")
    validate_subject(act.subject, results)
    if act.issuer_account and not _is_account_key(act.issuer_account):
        results.add_error("account_id is not an account public key")


# Exports -----------------------------------------------------------------------------------------


def _info(description: str, info_url: str, results: ValidationResults) -> None:
    if len(description.encode()) > MAX_INFO_LENGTH:
        results.add_error("Description is too long")
    if not info_url:
        return
    if len(info_url.encode()) > MAX_INFO_LENGTH:
        results.add_error("Info URL is too long")
    try:
        parsed = parse_go_url(info_url)
    except GoURLError as err:
        results.add_error(f"error parsing info url: {err}")
        return
    if not parsed.hostname() or not parsed.scheme:
        results.add_error("error parsing info url: no hostname or scheme")


def _service_latency(latency: ServiceLatency, results: ValidationResults) -> None:
    if latency.sampling != 0 and not 1 <= latency.sampling <= 100:
        results.add_error("sampling percentage needs to be between 1-100")
    validate_subject(latency.results, results)
    if has_wildcards(latency.results):
        results.add_error("results subject can not contain wildcards")


def _account_token_position(export: Export, results: ValidationResults) -> None:
    position = export.account_token_position
    if position <= 0:
        return
    subject = export.subject
    if not has_wildcards(subject):
        results.add_error(
            f"Account Token Position can only be used with wildcard subjects: {subject}"
        )
        return
    tokens = subject.split(".")
    if position > len(tokens):
        results.add_error(
            f"Account Token Position {position} exceeds length of subject '{subject}'"
        )
    elif tokens[position - 1] != "*":
        results.add_error(
            f"Account Token Position {position} matches '{tokens[position - 1]}' "
            f"but must match a * in: {subject}"
        )


def _export_kind(export: Export, results: ValidationResults) -> None:
    """The type, and what only a service (response type, trace, threshold) may carry."""
    if export.type not in (STREAM, SERVICE):
        results.add_error(f"invalid export type: {go_quote(_type_name(export.type))}")
    if export.is_service and export.response_type not in SERVICE_RESPONSE_TYPES:
        results.add_error(f"invalid response type for service: {go_quote(export.response_type)}")
    if export.is_stream:
        if export.response_type:
            results.add_error(
                f"invalid response type for stream: {go_quote(export.response_type)}"
            )
        if export.allow_trace:
            results.add_error("AllowTrace only valid for service export")
    if export.service_latency is not None:
        if not export.is_service:
            results.add_error("latency tracking only permitted for services")
        _service_latency(export.service_latency, results)
    if export.response_threshold < 0:
        results.add_error("negative response threshold is invalid")
    if export.response_threshold > 0 and not export.is_service:
        results.add_error("response threshold only valid for services")


def _export(export: Export, results: ValidationResults) -> None:
    _export_kind(export, results)
    validate_subject(export.subject, results)
    _account_token_position(export, results)
    _info(export.description, export.info_url, results)


def _export_overlaps(kind: str, subjects: list[str], results: ValidationResults) -> None:
    """One error per exported subject that contains another export of the same kind."""
    containers: dict[str, str] = {}
    for i, inner in enumerate(subjects):
        for j, outer in enumerate(subjects):
            if i != j and is_contained_in(inner, outer):
                containers.setdefault(outer, inner)
    for outer, inner in containers.items():
        results.add_error(
            f"{kind} export subject {go_quote(outer)} already exports {go_quote(inner)}"
        )


def _exports(exports: Sequence[Export | None], results: ValidationResults) -> None:
    services: list[str] = []
    streams: list[str] = []
    for export in exports:
        if export is None:
            results.add_error("null export is not allowed")
            continue
        (services if export.is_service else streams).append(export.subject)
        _export(export, results)
    _export_overlaps(SERVICE, services, results)
    _export_overlaps(STREAM, streams, results)


# Imports -----------------------------------------------------------------------------------------


def _decode_activation(token: str) -> ActivationClaims | None:
    from pynsc.claims.activation import ActivationClaims
    from pynsc.claims.jwt import decode

    try:
        claims = decode(token)
    except (NscError, ValueError, TypeError):
        return None
    return claims if isinstance(claims, ActivationClaims) else None


def _import_token(imp: Import, account: str, results: ValidationResults) -> None:
    """The activation token of an import: decodable, issued by the exporter to this account."""
    act = _decode_activation(imp.token)
    if act is None:
        results.add_error(f"import {go_quote(imp.subject)} contains an invalid activation token")
        return
    if imp.account not in (act.iss, act.nats.issuer_account):
        results.add_error(
            f"activation token doesn't match account for import {go_quote(imp.subject)}"
        )
    if act.sub != account:
        results.add_error(
            "activation token doesn't match account it is being included in, "
            f"{go_quote(imp.subject)}"
        )
    if act.nats.kind != imp.type:
        results.add_error(
            f"mismatch between token import type {_type_name(act.nats.kind)} "
            f"and type of import {_type_name(imp.type)}"
        )
    _activation_claims(act, results, now=None)
    subject = imp.to if imp.is_service and imp.to else imp.subject
    if not is_contained_in(subject, act.nats.subject):
        results.add_error(
            f"activation token import subject {go_quote(act.nats.subject)} "
            f"doesn't match import {go_quote(imp.subject)}"
        )


def _import(imp: Import, account: str, results: ValidationResults) -> None:
    if imp.type not in (STREAM, SERVICE):
        results.add_error(f"invalid import type: {go_quote(_type_name(imp.type))}")
    if imp.is_service and imp.allow_trace:
        results.add_error("AllowTrace only valid for stream import")
    if not imp.account:
        results.add_error("account to import from is not specified")
    if imp.to:
        results.add_warning("the field to has been deprecated (use LocalSubject instead)")
    validate_subject(imp.subject, results)
    if imp.local_subject:
        validate_renaming_subject(imp.local_subject, imp.subject, results)
        if imp.to:
            results.add_error("Local Subject replaces To")
    if imp.share and not imp.is_service:
        results.add_error(
            "sharing information (for latency tracking) is only valid for services: "
            f"{go_quote(imp.subject)}"
        )
    if imp.token:
        _import_token(imp, account, results)


def _service_import_overlap(imp: Import, seen: dict[str, None], results: ValidationResults) -> None:
    """Service imports from one exporter must not overlap where this account publishes."""
    key = imp.to or renaming_to_subject(imp.local_subject) or imp.subject
    exporter = go_quote(imp.account)
    for earlier in seen:
        if is_contained_in(key, earlier) or is_contained_in(earlier, key):
            results.add_error(
                f"overlapping subject namespace for {go_quote(key)} and {go_quote(earlier)} "
                f"in same account {exporter}"
            )
    if key in seen:
        results.add_error(
            f"overlapping subject namespace for {go_quote(imp.to)} in account {exporter}"
        )
    seen[key] = None


def _imports(imports: Sequence[Import | None], account: str, results: ValidationResults) -> None:
    seen: dict[str, dict[str, None]] = {}
    for imp in imports:
        if imp is None:
            results.add_error("null import is not allowed")
            continue
        if imp.is_service:
            _service_import_overlap(imp, seen.setdefault(imp.account, {}), results)
        _import(imp, account, results)


# Account -----------------------------------------------------------------------------------------


def _operator_limits(limits: OperatorLimits, results: ValidationResults) -> None:
    if not limits.tiered_limits:
        return
    if limits.jetstream != JetStreamLimits():
        results.add_error("JetStream Limits and tiered JetStream Limits are mutually exclusive")
    if "" in limits.tiered_limits:
        results.add_error('Tiered JetStream Limits can not contain a blank "" tier name')


def _mapping(source: str, targets: list[WeightedMapping], results: ValidationResults) -> None:
    """Weights are Go ``uint8`` values: the sums wrap at 256 as they do in Go. Beyond Go's
    rules, a destination's wildcards must be ones nats-server can map to
    (:func:`mapping_destination_errors`)."""
    validate_subject(source, results)
    per_cluster: dict[str, int] = {}
    total = 0
    for target in targets:
        validate_subject(target.subject, results)
        for error in mapping_destination_errors(source, target.subject):
            results.add_error(error)
        weight = target.effective_weight()
        if weight > 100:
            results.add_error(f"Mapping {go_quote(source)} has a weight {weight} that exceeds 100")
        if target.cluster:
            summed = (per_cluster.get(target.cluster, 0) + target.weight) & 0xFF
            per_cluster[target.cluster] = summed
            if summed > 100:
                results.add_error(
                    f"Mapping {go_quote(source)} in cluster {go_quote(target.cluster)} exceeds "
                    "100% among all of it's weighted to mappings"
                )
        else:
            total = (total + weight) & 0xFF
    if total > 100:
        results.add_error(
            f"Mapping {go_quote(source)} exceeds 100% among all of it's weighted to mappings"
        )


def _authorization(auth: ExternalAuthorization, results: ValidationResults) -> None:
    if auth.allowed_accounts and not auth.auth_users:
        results.add_error("External authorization cannot have accounts without users specified")
    for user in auth.auth_users:
        if not is_public_key(user, KeyKind.USER):
            results.add_error(f"AuthUser {go_quote(user)} is not a valid user public key")
    several = len(auth.allowed_accounts) > 1
    for account in auth.allowed_accounts:
        if account == ANY_ACCOUNT:
            if several:
                results.add_error(
                    f"AllowedAccounts can only be a list of accounts or {go_quote(ANY_ACCOUNT)}"
                )
        elif not _is_account_key(account):
            results.add_error(f"Account {go_quote(account)} is not a valid account public key")
    if auth.xkey and not is_public_key(auth.xkey, KeyKind.CURVE):
        results.add_error(f"XKey {go_quote(auth.xkey)} is not a valid public xkey")


def _trace(trace: MsgTrace, results: ValidationResults) -> None:
    """Where traces go and how many (a sampling of 0 means 100; it is left as it is)."""
    found = ValidationResults()
    validate_subject(trace.dest, found)
    if not found.is_empty():
        results.add_error(f"the account Trace.Destination {found.issues[0].description}")
    if has_wildcards(trace.dest):
        results.add_error(
            f"the account Trace.Destination subject {go_quote(trace.dest)} "
            "is not a valid publish subject"
        )
    if not 0 <= trace.sampling <= 100:
        results.add_error(
            f"the account Trace.Sampling value '{trace.sampling}' is not valid, "
            "should be in the range [1..100]"
        )


def _counts(account: Account, results: ValidationResults) -> None:
    """Import and export counts (and wildcard exports) against the operator's limits."""
    limits = account.limits
    imports, exports = len(account.imports), len(account.exports)
    too_many_imports = "the account contains more imports than allowed by the operator"
    if not limits.is_zero() and limits.imports >= 0 and imports > limits.imports:
        results.add_error(too_many_imports)
    if limits.imports != NO_LIMIT and imports > limits.imports:
        results.add_error(too_many_imports)
    if limits.exports == NO_LIMIT:
        return
    if exports > limits.exports:
        results.add_error("the account contains more exports than allowed by the operator")
    if not limits.wildcards:
        for _ in _wildcard_exports(account.exports):
            results.add_error(
                "the account contains wildcard exports that are not allowed by the operator"
            )


def _wildcard_exports(exports: Sequence[Export | None]) -> list[Export]:
    return [e for e in exports if e is not None and has_wildcards(e.subject)]


def _signing_keys(keys: dict[str, UserScope | None], results: ValidationResults) -> None:
    """Plain keys and scope keys must be account keys; templates are not checked."""
    for key, scope in keys.items():
        if scope is None:
            if not _is_account_key(key):
                results.add_error(f"{go_quote(key)} is not a valid account signing key")
        elif not _is_account_key(scope.key):
            results.add_error(f"{scope.key} is not an account public key")


def _account(claims: AccountClaims, results: ValidationResults) -> None:
    account = claims.nats
    _imports(account.imports, claims.sub, results)
    _exports(account.exports, results)
    _operator_limits(account.limits, results)
    _permissions(account.default_permissions, results)
    for source, targets in account.mappings.items():
        _mapping(source, targets, results)
    _authorization(account.authorization, results)
    if account.trace is not None:
        _trace(account.trace, results)
    _counts(account, results)
    _signing_keys(account.signing_keys, results)
    _info(account.description, account.info_url, results)
    if account.cluster_traffic not in CLUSTER_TRAFFIC_OPTIONS:
        results.add_error(f"unknown cluster traffic option: {go_quote(account.cluster_traffic)}")


def _account_claims(claims: AccountClaims, now: int, results: ValidationResults) -> None:
    _claims_data(claims, now, results)
    _account(claims, results)
    if _is_account_key(claims.iss) and not claims.nats.limits.is_zero():
        results.add_warning("self-signed account JWTs shouldn't contain operator limits")


# Auth callout ------------------------------------------------------------------------------------


def _auth_request_claims(
    claims: AuthorizationRequestClaims, now: int, results: ValidationResults
) -> None:
    user = claims.nats.user_nkey
    if not user:
        results.add_error("User nkey is required")
    elif not is_public_key(user, KeyKind.USER):
        results.add_error(f"User nkey {go_quote(user)} is not a valid user public key")
    _claims_data(claims, now, results)


def _auth_response_claims(
    claims: AuthorizationResponseClaims, now: int, results: ValidationResults
) -> None:
    response = claims.nats
    if not is_public_key(claims.sub, KeyKind.USER):
        results.add_error("Subject must be a user public key")
    if not is_public_key(claims.aud, KeyKind.SERVER):
        results.add_error("Audience must be a server public key")
    if not response.error and not response.jwt:
        results.add_error("Error or Jwt is required")
    if response.error and response.jwt:
        results.add_error("Only Error or Jwt can be set")
    if response.issuer_account and not _is_account_key(response.issuer_account):
        results.add_error("issuer_account is not an account public key")
    _claims_data(claims, now, results)
