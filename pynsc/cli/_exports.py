"""What the export commands share (``add``/``edit``/``delete export``, ``generate activation``):
parsing the export flags, finding an export by subject, and checking a changed export list.

Pure helpers over claims: no store access, no printing.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from pynsc.claims import AccountClaims, Export, validate
from pynsc.claims.subjects import go_quote
from pynsc.claims.types import (
    HEADERS_SAMPLING,
    RESPONSE_CHUNKED,
    RESPONSE_SINGLETON,
    RESPONSE_STREAM,
)
from pynsc.errors import NscError

if TYPE_CHECKING:
    from pynsc.cli._accounts import AccountUpdate

__all__ = [
    "RESPONSE_TYPES",
    "SAMPLING_OFF",
    "ambiguous",
    "canonical_response_type",
    "check_new_issues",
    "check_response_type",
    "export_report_data",
    "export_subject",
    "matching_exports",
    "parse_edit_sampling",
    "parse_sampling",
    "sampling_text",
]

RESPONSE_TYPES = (RESPONSE_SINGLETON, RESPONSE_STREAM, RESPONSE_CHUNKED)

SAMPLING_OFF = -1
"""``edit export --sampling 0``: turn latency tracking off."""

_HEADER_WORDS = ("header", "headers")


def _sampling(value: str, *, allow_zero: bool) -> int:
    text = value.strip()
    if text.lower() in _HEADER_WORDS:
        return HEADERS_SAMPLING
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is not None and allow_zero and number == 0:
        return SAMPLING_OFF
    if number is None or not 1 <= number <= 100:
        zero = ", 0 (off)" if allow_zero else ""
        raise click.BadParameter(
            f"{go_quote(value)} is not a sampling rate: give a percentage 1-100{zero} or "
            '"header" (only requests with tracing headers)'
        )
    return number


def parse_sampling(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``--sampling`` of ``add export``: ``1``..``100``, or ``header``/``headers`` (stored as
    ``"headers"``: sample the requests that carry tracing headers)."""
    return None if value is None else _sampling(value, allow_zero=False)


def parse_edit_sampling(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> int | None:
    """``--sampling`` of ``edit export``: as for ``add export``, and ``0`` turns latency tracking
    off (:data:`SAMPLING_OFF`)."""
    return None if value is None else _sampling(value, allow_zero=True)


def sampling_text(sampling: int) -> str:
    """A sampling rate as shown in messages: ``50%`` or ``headers``."""
    return "headers" if sampling == HEADERS_SAMPLING else f"{sampling}%"


def canonical_response_type(value: str) -> str:
    """``Singleton``, ``Stream`` or ``Chunked`` spelled in any case, as the JWT spells it; any
    other value unchanged (validation then refuses it)."""
    folded = value.strip().casefold()
    return next((t for t in RESPONSE_TYPES if t.casefold() == folded), value)


def check_response_type(value: str) -> str:
    """The canonical response type, or ``unknown response type "x"``."""
    canonical = canonical_response_type(value)
    if canonical not in RESPONSE_TYPES:
        raise NscError(
            f"unknown response type {go_quote(value)}",
            hint=f"use one of {', '.join(RESPONSE_TYPES)}",
        )
    return canonical


def export_subject(
    claims: AccountClaims, account: str, subject: str | None, *, required: str
) -> str:
    """The subject of the export to work on: ``subject``, else that of the account's only export.

    Errors: ``account "A" doesn't have exports``; ``required`` when no subject is given and the
    account has several exports.
    """
    exports = claims.nats.exports
    if not exports:
        raise NscError(
            f"account {go_quote(account)} doesn't have exports",
            hint=f"add one with 'pynsc add export -a {account} --subject SUBJECT'",
        )
    if subject:
        return subject
    if len(exports) == 1:
        return exports[0].subject
    listed = ", ".join(go_quote(e.subject) for e in exports)
    raise NscError(required, hint=f"select one with --subject: {listed}")


def matching_exports(
    exports: Sequence[Export], subject: str, *, service: bool | None = None
) -> list[int]:
    """Indexes of the exports of ``subject`` (only services or only streams when ``service``
    says so)."""
    return [
        index
        for index, export in enumerate(exports)
        if export.subject == subject and (service is None or export.is_service == service)
    ]


def ambiguous(subject: str) -> NscError:
    """A subject exported both as a stream and as a service."""
    return NscError(
        f"subject {go_quote(subject)} is exported both as a stream and as a service",
        hint="select one with --service (the service) or --service=false (the stream)",
    )


def check_new_issues(before: AccountClaims, after: AccountClaims) -> None:
    """Refuse a change to the exports that brings in any validation issue (blocking or warning,
    not a time check) ``before`` does not have, as nsc does: an error with the first."""
    old = {issue.description for issue in validate(copy.deepcopy(before))}
    for issue in validate(copy.deepcopy(after)):
        if not issue.time_check and issue.description not in old:
            raise NscError(issue.description)


def export_report_data(update: AccountUpdate, export: Export) -> dict[str, object]:
    """The ``--json`` data of a command that changed ``export`` in ``update``'s account: the
    account, its public key, the export in its JWT JSON form and the account JWT written."""
    from pynsc.claims._codec import to_dict

    return {
        "account": update.name,
        "public_key": update.claims.sub,
        "export": to_dict(export),
        "jwt": update.token,
    }
