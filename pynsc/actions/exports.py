"""Exports: add, edit and delete the streams and services an account shares, with nsc's rules.

The rules, all here and nowhere else:

* an export needs a subject; a response type is for services only, an account token position
  for public exports only, and a latency sampling needs a latency subject;
* the export and latency subjects must be ones nats-server can use (no tab, newline, carriage
  return or form feed, ``>`` only last): checked with the arguments; Go's subject rules are
  checked with the account;
* a sampling rate is a percentage 1-100 or ``header`` (:data:`HEADERS_SAMPLING`), and an edit
  may turn tracking off (:data:`SAMPLING_OFF`, or ``rm_latency_sampling``) but then sets no
  latency subject;
* a response type is ``Singleton``, ``Stream`` or ``Chunked`` in any case;
* an export is selected by its subject (the account's only export when none is given), and by
  its kind when a stream and a service share the subject;
* a change may not bring in any validation issue the account did not have before (an overlap
  with another export of the same kind, a bad account token position, a limit, a bad subject):
  the first new one is the error and nothing is written;
* an edit keeps everything it is not asked to change (activation revocations included); a
  stream loses the settings only services may have; making an export private or changing its
  kind warns that importers break.

Every action re-signs the account with an operator key
(:func:`~pynsc.actions.account_update.update_account`): ``signer``, else ``nsc.signer``, else
the account's current issuer or another stored operator key; a managed operator's account
server gets the JWT first. Example::

    nsc = Nsc.memory()  # or Nsc.open()
    result = add_export(nsc, "orders.>", account="A", private=True)
    result.export.token_req, result.jwt
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from pynsc.actions.account_update import AccountUpdate, update_account
from pynsc.actions.session import Nsc
from pynsc.claims import SERVICE, STREAM, AccountClaims, Export, ServiceLatency, validate
from pynsc.claims._codec import to_dict
from pynsc.claims.subjects import go_quote, subject_error
from pynsc.claims.types import (
    HEADERS_SAMPLING,
    RESPONSE_CHUNKED,
    RESPONSE_SINGLETON,
    RESPONSE_STREAM,
)
from pynsc.errors import ClaimsError, NotFoundError, StoreError, UsageError
from pynsc.keys import KeyPair
from pynsc.store.report import Report
from pynsc.text import go_duration

__all__ = [
    "HEADERS_SAMPLING",
    "RESPONSE_TYPES",
    "SAMPLING_OFF",
    "ExportChanges",
    "ExportResult",
    "add_export",
    "check_new_issues",
    "check_response_type",
    "delete_export",
    "edit_export",
    "parse_sampling",
    "sampling_text",
]

RESPONSE_TYPES = (RESPONSE_SINGLETON, RESPONSE_STREAM, RESPONSE_CHUNKED)

SAMPLING_OFF = -1
"""An edit's sampling that turns latency tracking off (``edit export --sampling 0``)."""

_HEADER_WORDS = ("header", "headers")


# Checking a change ---------------------------------------------------------------------------


def check_new_issues(before: AccountClaims, after: AccountClaims) -> None:
    """Refuse a change that brings in any validation issue (blocking or warning, not a time
    check) ``before`` did not have, as nsc does: a :class:`ClaimsError` with the first."""
    old = {issue.description for issue in validate(copy.deepcopy(before))}
    for issue in validate(copy.deepcopy(after)):
        if not issue.time_check and issue.description not in old:
            raise ClaimsError(issue.description)


def _check_subject(subject: str) -> None:
    """A :class:`UsageError` for a subject nats-server can never use (tab, newline, ``a.>.b``);
    the other subject rules are Go's and are checked with the account."""
    problem = subject_error(subject)
    if problem is not None:
        raise UsageError(problem)


# Values --------------------------------------------------------------------------------------


def parse_sampling(value: str, *, allow_zero: bool = False) -> int:
    """A sampling rate as written: ``1``..``100``, or ``header``/``headers``
    (:data:`HEADERS_SAMPLING`: sample the requests that carry tracing headers); with
    ``allow_zero``, ``0`` is :data:`SAMPLING_OFF`. A :class:`UsageError` otherwise."""
    text = value.strip()
    if text.lower() in _HEADER_WORDS:
        return HEADERS_SAMPLING
    try:
        number = int(text)
    except ValueError:
        raise _not_a_sampling_rate(value, allow_zero=allow_zero) from None
    if allow_zero and number == 0:
        return SAMPLING_OFF
    if not 1 <= number <= 100:
        raise _not_a_sampling_rate(value, allow_zero=allow_zero)
    return number


def _not_a_sampling_rate(value: str, *, allow_zero: bool) -> UsageError:
    zero = ", 0 (off)" if allow_zero else ""
    return UsageError(
        f"{go_quote(value)} is not a sampling rate: give a percentage 1-100{zero} or "
        '"header" (only requests with tracing headers)'
    )


def sampling_text(sampling: int) -> str:
    """A sampling rate as messages show it: ``50%`` or ``headers``."""
    return "headers" if sampling == HEADERS_SAMPLING else f"{sampling}%"


def _canonical_response_type(value: str) -> str:
    folded = value.strip().casefold()
    return next((t for t in RESPONSE_TYPES if t.casefold() == folded), value)


def check_response_type(value: str) -> str:
    """``Singleton``, ``Stream`` or ``Chunked`` as the JWT spells it, from any case; else a
    :class:`UsageError` (``unknown response type "x"``)."""
    canonical = _canonical_response_type(value)
    if canonical not in RESPONSE_TYPES:
        raise UsageError(
            f"unknown response type {go_quote(value)}",
            hint=f"use one of {', '.join(RESPONSE_TYPES)}",
        )
    return canonical


# Results -------------------------------------------------------------------------------------


@dataclass(slots=True)
class ExportResult:
    """What an export action did: the report, the account, the export (as written, or as it
    was for a delete) and the account JWT written."""

    report: Report
    account: str
    public_key: str
    export: Export
    jwt: str


def _result(report: Report, edit: AccountUpdate, export: Export) -> ExportResult:
    report.data = {
        "account": edit.name,
        "public_key": edit.claims.sub,
        "export": to_dict(export),
        "jwt": edit.token,
    }
    return ExportResult(report, edit.name, edit.claims.sub, export, edit.token)


# Selecting an export -------------------------------------------------------------------------


def _export_subject(
    claims: AccountClaims, account: str, subject: str | None, *, required: str
) -> str:
    """``subject``, else that of the account's only export."""
    exports = claims.nats.exports
    if not exports:
        raise NotFoundError(
            f"account {go_quote(account)} doesn't have exports",
            hint=f"add one with 'pynsc add export -a {account} --subject SUBJECT'",
        )
    if subject:
        return subject
    if len(exports) == 1:
        return exports[0].subject
    listed = ", ".join(go_quote(e.subject) for e in exports)
    raise StoreError(required, hint=f"select one with --subject: {listed}")


def _matching(exports: Sequence[Export], subject: str, *, service: bool | None = None) -> list[int]:
    return [
        index
        for index, export in enumerate(exports)
        if export.subject == subject and (service is None or export.is_service == service)
    ]


def _ambiguous(subject: str) -> StoreError:
    return StoreError(
        f"subject {go_quote(subject)} is exported both as a stream and as a service",
        hint="select one with --service (the service) or --service=false (the stream)",
    )


# add -----------------------------------------------------------------------------------------


def add_export(
    nsc: Nsc,
    subject: str,
    *,
    account: str | None = None,
    name: str | None = None,
    service: bool = False,
    private: bool = False,
    latency: str | None = None,
    sampling: int | None = None,
    response_threshold: int | None = None,
    response_type: str | None = None,
    allow_trace: bool = False,
    account_token_position: int = 0,
    advertise: bool = False,
    description: str | None = None,
    info_url: str | None = None,
    signer: str | KeyPair | None = None,
) -> ExportResult:
    """Export ``subject`` of ``account`` (default: the current one): a stream, or a service.

    A ``private`` export is imported only with an activation (:func:`generate_activation`).
    ``latency`` is the subject service latency metrics go to, ``sampling`` their percentage
    (default and :data:`HEADERS_SAMPLING`: requests with tracing headers);
    ``response_threshold`` is in nanoseconds; ``account_token_position`` (1-based) names the
    ``*`` of the subject that must be the importer's account key.
    """
    if not subject:
        raise UsageError("subject is required", hint="pass the subject to export with -s/--subject")
    if response_type is not None and not service:
        raise UsageError("response type can only be specified in conjunction with service")
    if private and account_token_position:
        raise UsageError("account token position is only valid for public exports")
    if sampling is not None and latency is None:
        raise UsageError(
            "sampling requires a latency subject",
            hint="pass the subject for the latency metrics with --latency",
        )
    if account_token_position < 0:
        raise UsageError("account token position cannot be negative")
    _check_subject(subject)
    if latency is not None:
        _check_subject(latency)
    export = Export(
        name=name or subject,
        subject=subject,
        type=SERVICE if service else STREAM,
        token_req=private,
        account_token_position=account_token_position,
        advertise=advertise,
        allow_trace=allow_trace,
        description=description or "",
        info_url=info_url or "",
    )
    if service:
        export.response_type = _canonical_response_type(response_type or RESPONSE_SINGLETON)
    if latency is not None:
        export.service_latency = ServiceLatency(
            sampling=HEADERS_SAMPLING if sampling is None else sampling, results=latency
        )
    if response_threshold is not None:
        export.response_threshold = response_threshold

    report = Report()
    with update_account(nsc, account, report, signer=signer) as edit:
        before = copy.deepcopy(edit.claims)
        edit.claims.nats.exports.append(export)
        check_new_issues(before, edit.claims)
    visibility = "private" if private else "public"
    report.ok(f"added {visibility} {export.type} export {go_quote(export.name)}")
    return _result(report, edit, export)


# edit ----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportChanges:
    """What :func:`edit_export` changes; ``None`` (or ``False``) keeps the export's value.

    ``service`` also picks the export when a stream and a service share the subject.
    ``sampling`` is a percentage, :data:`HEADERS_SAMPLING` or :data:`SAMPLING_OFF`;
    ``response_threshold`` is in nanoseconds (0 removes it); ``""`` removes a description or
    info URL. Contradictory or malformed values raise :class:`UsageError` here.
    """

    name: str | None = None
    service: bool | None = None
    private: bool | None = None
    latency: str | None = None
    sampling: int | None = None
    rm_latency_sampling: bool = False
    response_threshold: int | None = None
    response_type: str | None = None
    allow_trace: bool | None = None
    description: str | None = None
    info_url: str | None = None

    def __post_init__(self) -> None:
        if self.response_type is not None:
            object.__setattr__(self, "response_type", check_response_type(self.response_type))
        # off (-1), headers (0) or a percentage
        if self.sampling is not None and not SAMPLING_OFF <= self.sampling <= 100:
            raise _not_a_sampling_rate(str(self.sampling), allow_zero=True)
        if self.rm_latency_sampling and (self.latency is not None or self.sampling is not None):
            raise UsageError("--rm-latency-sampling is exclusive of --latency and --sampling")
        if self.sampling == SAMPLING_OFF and self.latency is not None:
            raise UsageError("--sampling 0 turns latency tracking off: do not pass --latency")
        if self.latency is not None:
            _check_subject(self.latency)

    def is_empty(self) -> bool:
        return self == ExportChanges()


def edit_export(
    nsc: Nsc,
    subject: str | None = None,
    *,
    changes: ExportChanges,
    account: str | None = None,
    signer: str | KeyPair | None = None,
) -> ExportResult:
    """Change the export of ``subject`` of ``account`` (its only export when ``subject`` is
    None); only what ``changes`` names changes."""
    if changes.is_empty():
        raise UsageError("please specify some options")
    report = Report()
    with update_account(nsc, account, report, signer=signer) as edit:
        claims = edit.claims
        before = copy.deepcopy(claims)
        exports = claims.nats.exports
        wanted = _export_subject(claims, edit.name, subject, required="a subject is required")
        found = _matching(exports, wanted)
        if len(found) > 1:
            found = _matching(exports, wanted, service=changes.service)
            if len(found) != 1:
                raise _ambiguous(wanted)
        if not found:
            raise NotFoundError(f"no export with subject {go_quote(wanted)} found")
        export = exports[found[0]]
        _apply(export, changes, report)
        check_new_issues(before, claims)
    report.ok(f"edited {export.type} export {go_quote(export.name)}")
    return _result(report, edit, export)


def _apply(export: Export, changes: ExportChanges, report: Report) -> None:
    """Apply ``changes`` to ``export``, noting each in ``report``."""
    if changes.name is not None and changes.name != export.name:
        export.name = changes.name
        report.ok(f"changed export name to {export.name}")
    if changes.private is not None and changes.private != export.token_req:
        export.token_req = changes.private
        if export.token_req:
            report.warn("changed export to be private - this will break importers")
        else:
            report.ok("changed export to be public")
    if export.token_req and export.account_token_position:
        raise StoreError("account token position is only valid for public exports")
    if changes.service is not None and changes.service != export.is_service:
        export.type = SERVICE if changes.service else STREAM
        report.warn(f"changed export type to {go_quote(export.type)} - this will break importers")
        if export.is_stream:
            _drop_service_settings(export, report)
        else:
            export.response_type = export.response_type or RESPONSE_SINGLETON
    if export.is_stream and changes.response_type is not None:
        raise StoreError("response type can only be specified in conjunction with service")
    _apply_latency(export, changes, report)
    if changes.response_threshold is not None and (
        changes.response_threshold != export.response_threshold
    ):
        export.response_threshold = changes.response_threshold
        report.ok(f"changed response threshold to {go_duration(export.response_threshold)}")
    if changes.response_type is not None:
        old = export.response_type or RESPONSE_SINGLETON
        export.response_type = changes.response_type
        if changes.response_type != old:
            report.ok(f"changed response type to {changes.response_type}")
    if changes.allow_trace is not None and changes.allow_trace != export.allow_trace:
        export.allow_trace = changes.allow_trace
        report.ok(f"changed allow trace to {str(export.allow_trace).lower()}")
    if changes.description is not None and changes.description != export.description:
        export.description = changes.description
        report.ok(f"changed description to {go_quote(export.description)}")
    if changes.info_url is not None and changes.info_url != export.info_url:
        export.info_url = changes.info_url
        report.ok(f"changed info url to {go_quote(export.info_url)}")


def _drop_service_settings(export: Export, report: Report) -> None:
    """A service turned into a stream loses what only services may have."""
    dropped = []
    if export.response_type:
        dropped.append("response type")
        export.response_type = ""
    if export.response_threshold:
        dropped.append("response threshold")
        export.response_threshold = 0
    if export.service_latency is not None:
        dropped.append("latency tracking")
        export.service_latency = None
    if export.allow_trace:
        dropped.append("allow trace")
        export.allow_trace = False
    if dropped:
        report.warn(f"removed the service settings a stream cannot have: {', '.join(dropped)}")


def _apply_latency(export: Export, changes: ExportChanges, report: Report) -> None:
    old = export.service_latency
    if changes.rm_latency_sampling or changes.sampling == SAMPLING_OFF:
        export.service_latency = None
        if old is not None:
            report.ok("removed latency tracking")
        else:
            report.ok("no need to remove latency tracking as it was not set")
        return
    if changes.latency is None and changes.sampling is None:
        return
    results = changes.latency if changes.latency is not None else (old.results if old else "")
    if not results:
        raise StoreError(
            "sampling requires a latency subject",
            hint="pass the subject for the latency metrics with --latency",
        )
    sampling = changes.sampling if changes.sampling is not None else (old.sampling if old else 0)
    export.service_latency = ServiceLatency(sampling=sampling, results=results)
    if old is None or old.sampling != sampling:
        report.ok(f"changed service latency to {sampling_text(sampling)}")
    if old is None or old.results != results:
        report.ok(f"changed service latency subject to {results}")
        if old is not None and old.results:
            report.warn("changed latency subject will break consumers of the report")


# delete --------------------------------------------------------------------------------------


def delete_export(
    nsc: Nsc,
    subject: str | None = None,
    *,
    account: str | None = None,
    service: bool | None = None,
    signer: str | KeyPair | None = None,
) -> ExportResult:
    """Delete the export of ``subject`` of ``account`` (its only export when ``subject`` is
    None); ``service`` picks the service (``True``) or the stream (``False``) when both share
    the subject. Importers lose access once the new account JWT reaches the servers."""
    report = Report()
    with update_account(nsc, account, report, signer=signer) as edit:
        exports = edit.claims.nats.exports
        wanted = _export_subject(edit.claims, edit.name, subject, required="subject is required")
        found = _matching(exports, wanted, service=service)
        if len(found) > 1:
            raise _ambiguous(wanted)
        if not found:
            raise NotFoundError(f"no export matching {go_quote(wanted)} found")
        export = exports.pop(found[0])
    report.ok(f"deleted {export.type} export {go_quote(export.subject)}")
    return _result(report, edit, export)
