"""Describers: claims in, ASCII tables out (nsc's ``cmd/describer.go``), as pure functions.

Rows and formats follow nsc's describe output (see :mod:`pynsc.cli.table` for the table itself).
Friendly names (public key -> entity name) are optional; without them keys are shown in full.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

from pynsc.claims import claim_type_of, decode_token
from pynsc.claims._codec import go_json
from pynsc.claims.base import loaded_instance
from pynsc.cli.table import Table, render_tables
from pynsc.errors import NscError
from pynsc.text import go_duration, human_bytes, render_date

if TYPE_CHECKING:  # loaded with the claims they describe, by decoding them
    from pynsc.claims import (
        AccountClaims,
        ActivationClaims,
        ClaimsData,
        Export,
        Import,
        JetStreamLimits,
        OperatorClaims,
        Permissions,
        UserClaims,
        UserPermissionLimits,
        UserScope,
        WeightedMapping,
    )

__all__ = [
    "Table",
    "describe_claims",
    "describe_scope",
    "go_duration",
    "human_bytes",
    "render_date",
    "render_tables",
]

# Value formats -----------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _true_false(value: bool) -> str:
    return "True" if value else "False"


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def _limit(value: int, *, in_bytes: bool = False) -> str:
    """An account limit: ``Unlimited`` below 0, else the number (or ``1.0 kB (1000 bytes)``)."""
    if value < 0:
        return "Unlimited"
    return f"{human_bytes(value)} ({value} bytes)" if in_bytes else str(value)


def _user_limit(value: int, *, in_bytes: bool = False) -> str:
    """A user limit: ``Unlimited`` unless positive, else ``1000 bytes (≈1.0 kB)`` or the number."""
    if value <= 0:
        return "Unlimited"
    return f"{value} bytes (≈{human_bytes(value)})" if in_bytes else str(value)


# Rows shared by several describers ---------------------------------------------------------------


def _standard(
    table: Table,
    claims: ClaimsData,
    *,
    id_label: str,
    issuer_account: str = "",
    tags: Sequence[str] = (),
) -> None:
    if claims.name:
        table.add("Name", claims.name)
    table.add(id_label, claims.sub)
    table.add("Issuer ID", claims.iss)
    if issuer_account:
        table.add("Issuer Account", issuer_account)
    table.add("Issued", render_date(claims.iat))
    table.add("Expires", render_date(claims.exp))
    table.add_list("Tags", tags)


def _permissions(table: Table, perms: Permissions) -> None:
    if perms.pub.allow or perms.pub.deny or perms.sub.allow or perms.sub.deny:
        table.add_separator()
        table.add_list("Pub Allow", perms.pub.allow)
        table.add_list("Pub Deny", perms.pub.deny)
        table.add_list("Sub Allow", perms.sub.allow)
        table.add_list("Sub Deny", perms.sub.deny)
    if perms.resp is None:
        table.add("Response Permissions", "Not Set")
    else:
        table.add("Max Responses", perms.resp.max)
        table.add("Response Permission TTL", go_duration(perms.resp.ttl))


def _user_limits(table: Table, limits: UserPermissionLimits) -> None:
    table.add("Max Msg Payload", _user_limit(limits.payload, in_bytes=True))
    table.add("Max Data", _user_limit(limits.data, in_bytes=True))
    table.add("Max Subs", _user_limit(limits.subs))
    table.add("Network Src", ", ".join(limits.src) if limits.src else "Any")
    if limits.times:
        table.add_list("Time", [f"{t.start}-{t.end}" for t in limits.times])
    else:
        table.add("Time", "Any")
    if limits.times_location:
        table.add("Time Zone", limits.times_location)


def _connection_types(table: Table, types: Sequence[str]) -> None:
    if types:
        table.add_separator()
        table.add_list("Allowed Connection Types", types)


# Operator ----------------------------------------------------------------------------------------


def describe_operator(claims: OperatorClaims, names: Mapping[str, str] | None = None) -> Table:
    nats = claims.nats
    table = Table("Operator Details")
    _standard(table, claims, id_label="Operator ID", tags=nats.tags)
    if nats.account_server_url:
        table.add("Account JWT Server", nats.account_server_url)
    table.add_list("Operator Service URLs", nats.operator_service_urls)
    if nats.system_account:
        name = (names or {}).get(nats.system_account)
        table.add("System Account", nats.system_account + (f" / {name}" if name else ""))
    table.add("Require Signing Keys", "true" if nats.strict_signing_key_usage else "false")
    if nats.signing_keys:
        table.add_separator()
        table.add_list("Signing Keys", nats.signing_keys)
    return table


# Account -----------------------------------------------------------------------------------------


def describe_account(
    claims: AccountClaims,
    names: Mapping[str, str] | None = None,
    *,
    long_ids: bool = False,
) -> list[Table]:
    """The account table, then Exports, Imports, Mappings and one table per scoped key."""
    nats = claims.nats
    lim = nats.limits
    table = Table("Account Details")
    _standard(table, claims, id_label="Account ID", tags=nats.tags)
    table.add_separator()
    if nats.description or nats.info_url:
        if nats.description:
            table.add("Description", nats.description)
        if nats.info_url:
            table.add("Info Url", nats.info_url)
        table.add_separator()
    if nats.signing_keys:
        table.add_list("Signing Keys", sorted(nats.signing_keys))
        table.add_separator()
    auth = nats.authorization
    if auth.auth_users:
        table.add_list("Auth Callout Users", auth.auth_users)
        table.add_list("Allowed Accounts", auth.allowed_accounts)
        if auth.xkey:
            table.add("Encrypt For", auth.xkey)
        table.add_separator()
    table.add("Max Connections", _limit(lim.conn))
    table.add("Max Leaf Node Connections", "Not Allowed" if lim.leaf == 0 else _limit(lim.leaf))
    table.add("Max Data", _limit(lim.data, in_bytes=True))
    table.add("Max Exports", _limit(lim.exports))
    table.add("Max Imports", _limit(lim.imports))
    table.add("Max Msg Payload", _limit(lim.payload, in_bytes=True))
    table.add("Max Subscriptions", _limit(lim.subs))
    table.add("Exports Allows Wildcards", _true_false(lim.wildcards))
    table.add("Disallow Bearer Token", _true_false(lim.disallow_bearer))
    _permissions(table, nats.default_permissions)
    table.add_separator()
    if not lim.is_jetstream_enabled():
        table.add("Jetstream", "Disabled")
    elif not lim.tiered_limits:
        table.add("Jetstream", "Enabled")
        _jetstream(table, lim.jetstream)
    else:
        for tier in sorted(lim.tiered_limits):
            table.add_separator()
            table.add("Jetstream Tier", tier)
            _jetstream(table, lim.tiered_limits[tier])
    table.add_separator()
    if not nats.imports:
        table.add("Imports", "None")
    if not nats.exports:
        table.add("Exports", "None")
    if nats.revocations:
        table.add_separator()
        table.add("Revocations", len(nats.revocations))
    table.add_separator()
    if nats.trace is None:
        table.add("Tracing Context", "Disabled")
    else:
        table.add("Tracing Context", "Enabled")
        table.add("Subject", nats.trace.dest)
        table.add("Sampling", f"{nats.trace.sampling or 100}%")

    tables = [table]
    if nats.exports:
        tables.extend(_exports(nats.exports))
    if nats.imports:
        tables.append(_imports(nats.imports, {} if long_ids else (names or {})))
    if nats.mappings:
        tables.append(_mappings(nats.mappings))
    for key in sorted(nats.signing_keys):
        scope = nats.signing_keys[key]
        if scope is not None:
            tables.append(_scope(scope))
    return tables


def _jetstream(table: Table, js: JetStreamLimits) -> None:
    storage = (("Max Disk Storage", js.disk_storage), ("Max Mem Storage", js.mem_storage))
    for label, value in storage:
        if value < 0:
            table.add(label, "Unlimited")
        else:
            table.add(label, "Disabled" if value == 0 else human_bytes(value))
    table.add("Max Streams", "Unlimited" if js.streams <= 0 else js.streams)
    table.add("Max Consumers", "Unlimited" if js.consumer <= 0 else js.consumer)
    table.add(
        "Max Ack Pending", "Consumer Setting" if js.max_ack_pending <= 0 else js.max_ack_pending
    )
    table.add(
        "Max Bytes",
        "required (Stream setting)" if js.max_bytes_required else "optional (Stream setting)",
    )
    table.add("Max Memory Stream", _limit(js.mem_max_stream_bytes, in_bytes=True))
    table.add("Max Disk Stream", _limit(js.disk_max_stream_bytes, in_bytes=True))


def _exports(exports: Sequence[Export]) -> list[Table]:
    table = Table(
        "Exports",
        headers=("Name", "Type", "Subject", "Account Token Position", "Public", "Revocations",
                 "Tracking", "Allow Trace"),
    )
    for export in exports:
        kind = _title(export.type)
        tracking = "N/A"
        if export.is_service:
            if export.response_type in ("Stream", "Chunked"):
                kind += f" [{export.response_type}]"
            latency = export.service_latency
            if latency is None:
                tracking = "-"
            else:
                rate = "headers" if latency.sampling == 0 else f"{latency.sampling}%"
                tracking = f"{latency.results} ({rate})"
        table.add(
            export.name,
            kind,
            export.subject,
            export.account_token_position or "-",
            _yes_no(not export.token_req),
            len(export.revocations),
            tracking,
            _yes_no(export.allow_trace),
        )
    tables = [table]
    described = [e for e in exports if e.description or e.info_url]
    if described:
        notes = Table("Exports - Descriptions", headers=("Name", "Description", "Info Url"))
        for export in described:
            notes.add(export.name, export.description, export.info_url)
        tables.append(notes)
    return tables


def _imports(imports: Sequence[Import], names: Mapping[str, str]) -> Table:
    table = Table(
        "Imports",
        headers=("Name", "Type", "Remote", "Local", "Expires", "From Account", "Public",
                 "Allow Trace"),
    )
    for imp in imports:
        remote, local = imp.subject, imp.local_subject
        if imp.is_service and imp.to:  # the deprecated form: ``to`` is the remote subject
            remote, local = imp.to, imp.subject
        table.add(
            imp.name,
            _title(imp.type),
            remote,
            local,
            _activation_expiry(imp.token),
            names.get(imp.account, imp.account),
            _yes_no(not imp.token),
            _yes_no(imp.allow_trace),
        )
    return table


def _activation_expiry(token: str) -> str:
    if not token:
        return ""
    if token.startswith(("http://", "https://")):
        return "(remote token)"
    try:
        return render_date(decode_token(token).claims.exp)
    except NscError as e:
        return f"error decoding: {e}"


def _mappings(mappings: Mapping[str, Sequence[WeightedMapping]]) -> Table:
    table = Table("Mappings", headers=("From", "To", "Weight (%)"))
    for source in sorted(mappings):
        total = 0
        for i, target in enumerate(mappings[source]):
            weight = target.effective_weight()
            total += weight
            to = target.subject + (f" (cluster {target.cluster})" if target.cluster else "")
            table.add(source if i == 0 else "", to, weight)
        table.add("", "", f"sum={total}")
    return table


def describe_scope(scope: UserScope) -> Table:
    """The "Scoped Signing Key - Details" table of a scoped signing key."""
    return _scope(scope)


def _scope(scope: UserScope) -> Table:
    template = scope.template
    table = Table("Scoped Signing Key - Details")
    table.add("Key", scope.key)
    table.add("Role", scope.role)
    if scope.description:
        table.add("Description", scope.description)
    _permissions(table, template)
    _user_limits(table, template)
    table.add("Bearer Token", _yes_no(template.bearer_token))
    _connection_types(table, template.allowed_connection_types)
    return table


# User and activation -----------------------------------------------------------------------------


def describe_user(claims: UserClaims) -> Table:
    nats = claims.nats
    table = Table("User")
    _standard(
        table, claims, id_label="User ID", issuer_account=nats.issuer_account, tags=nats.tags
    )
    if nats.limits().is_empty():
        table.add("Issuer Scoped", "Yes")
        return table
    table.add("Bearer Token", _yes_no(nats.bearer_token))
    _permissions(table, nats)
    table.add_separator()
    _user_limits(table, nats)
    _connection_types(table, nats.allowed_connection_types)
    return table


def describe_activation(claims: ActivationClaims) -> Table:
    nats = claims.nats
    table = Table("Activation")
    _standard(
        table, claims, id_label="Account ID", issuer_account=nats.issuer_account, tags=nats.tags
    )
    table.add_separator()
    table.add("Hash ID", claims.hash_id())
    table.add_separator()
    table.add("Import Type", _title(nats.kind))
    table.add("Import Subject", nats.subject)
    return table


# Anything else -----------------------------------------------------------------------------------


def describe_generic(claims: ClaimsData) -> Table:
    """Registered claims, then each ``nats`` field (non-strings JSON-encoded)."""
    kind = claim_type_of(claims)
    table = Table(" ".join(_title(w) for w in kind.split("_")) + " Claims")
    _standard(table, claims, id_label="Subject")
    if claims.aud:
        table.add("Audience", claims.aud)
    nats = claims.to_dict().get("nats")
    if isinstance(nats, dict) and nats:
        table.add_separator()
        for key, value in nats.items():
            shown = value if isinstance(value, str) else go_json(value).decode("utf-8")
            table.add(key, shown)
    return table


def describe_claims(
    claims: ClaimsData,
    names: Mapping[str, str] | None = None,
    *,
    long_ids: bool = False,
) -> list[Table]:
    """The tables ``describe`` prints for ``claims``, whatever their type."""
    # isinstance against the classes of the claim modules loaded: claims of a type whose module
    # was never imported cannot be of that type, and describing a user loads no account model
    if loaded_instance(claims, "pynsc.claims.operator", "OperatorClaims"):
        return [describe_operator(cast("OperatorClaims", claims), names)]
    if loaded_instance(claims, "pynsc.claims.account", "AccountClaims"):
        return describe_account(cast("AccountClaims", claims), names, long_ids=long_ids)
    if loaded_instance(claims, "pynsc.claims.user", "UserClaims"):
        return [describe_user(cast("UserClaims", claims))]
    if loaded_instance(claims, "pynsc.claims.activation", "ActivationClaims"):
        return [describe_activation(cast("ActivationClaims", claims))]
    return [describe_generic(claims)]


