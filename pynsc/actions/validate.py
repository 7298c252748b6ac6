"""Validating a store (the operator, accounts and their users) or a file of JWTs, as nsc does.

The claims checks themselves are :func:`pynsc.claims.validate`'s; on top of them a store adds:

* the operator is issued by itself (or one of its signing keys);
* each account is issued by the operator or one of its signing keys, and the system account has
  no JetStream;
* each user is issued by its account or one of the account's signing keys, and not by the
  account's identity key when the operator requires signing keys; a user JWT that does not
  load is an error of its account.

An issue fails the validation when it is blocking or a time check (expired, not yet valid);
warnings alone pass. Nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pynsc.actions.session import Nsc
from pynsc.claims import AccountClaims, OperatorClaims, ValidationIssue, decode_token, validate
from pynsc.errors import ClaimsError, NscError, UsageError
from pynsc.store import Store
from pynsc.store.report import Report

__all__ = [
    "FAILED",
    "ValidationResult",
    "ValidationSection",
    "validate_jwts",
    "validate_store",
]

FAILED = "validation found errors"


@dataclass(slots=True)
class ValidationSection:
    """The issues found for one entity (an operator, an account and its users, or a subject)."""

    title: str
    issues: list[ValidationIssue] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether an issue is blocking or a time check."""
        return any(i.blocking or i.time_check for i in self.issues)

    def error(self, text: str) -> None:
        self.issues.append(ValidationIssue(text, blocking=True))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.title,
            "issues": [
                {"description": i.description, "blocking": i.blocking, "time_check": i.time_check}
                for i in self.issues
            ],
        }


@dataclass(slots=True)
class ValidationResult:
    """The sections, in order; ``report.data`` is their JSON, and the report holds an error
    line when the validation failed."""

    report: Report
    sections: list[ValidationSection]

    @property
    def failed(self) -> bool:
        return any(section.failed for section in self.sections)

    def raise_for_errors(self) -> None:
        """Raise :class:`~pynsc.errors.ClaimsError` ("validation found errors") if it failed."""
        if self.failed:
            raise ClaimsError(FAILED)


def _result(sections: list[ValidationSection]) -> ValidationResult:
    result = ValidationResult(Report(data=[s.to_dict() for s in sections]), sections)
    if result.failed:
        result.report.error(FAILED)
    return result


def _operator(claims: OperatorClaims) -> ValidationSection:
    section = ValidationSection(f'Operator "{claims.name}"', list(validate(claims)))
    if not claims.did_sign(claims):
        section.error("operator is not issued by operator or operator signing key")
    return section


def _account(
    store: Store, name: str, operator: OperatorClaims, claims: AccountClaims
) -> ValidationSection:
    section = ValidationSection(f'Account "{name}"', list(validate(claims)))
    if operator.nats.system_account == claims.sub and claims.nats.limits.is_jetstream_enabled():
        section.error("JetStream should not be enabled for system account")
    if not operator.did_sign(claims):
        section.error("Account is not issued by operator or operator signing keys")
    strict = operator.nats.strict_signing_key_usage
    for user, user_claims in store.users(name):
        if isinstance(user_claims, NscError):
            section.error(f'user "{user}": {user_claims}')
            continue
        for issue in validate(user_claims):
            section.issues.append(
                ValidationIssue(
                    f'user "{user}": {issue.description}',
                    blocking=issue.blocking,
                    time_check=issue.time_check,
                )
            )
        if not claims.did_sign(user_claims):
            section.error(f'user "{user}" is not issued by account or account signing keys')
        elif strict and user_claims.iss == claims.sub:
            section.error(f'user "{user}" is issued by account key but operator is in strict mode')
    return section


def validate_store(
    nsc: Nsc, *, account: str | None = None, all_accounts: bool = False
) -> ValidationResult:
    """Validate the current operator and ``account`` (name or key; default: the current one,
    if any), or every account with ``all_accounts``, each with its users."""
    if all_accounts and account:
        raise UsageError("specify only one of --account or --all-accounts")
    store = nsc.store()
    operator = store.operator()
    sections = [_operator(operator)]
    if all_accounts:
        names = store.account_names()
    else:
        names = [nsc.require_account(account)] if account or nsc.account else []
    for name in sorted(names):
        sections.append(_account(store, name, operator, store.account(name)))
    return _result(sections)


def validate_jwts(text: str) -> ValidationResult:
    """Validate the JWTs in ``text``, one a line (``hash|jwt`` allowed): a section per subject,
    and a summary of every issue with its count when there are several subjects."""
    sections: dict[str, ValidationSection] = {}
    counts: dict[str, tuple[ValidationIssue, int]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        token = line.split("|", 1)[1] if "|" in line else line
        try:
            claims = decode_token(token).claims
        except NscError as e:
            raise ClaimsError(f"claim decoding error: '{e}' claim: '{token}'") from e
        section = sections.setdefault(claims.sub, ValidationSection(claims.sub))
        for issue in validate(claims):
            section.issues.append(issue)
            seen, count = counts.get(issue.description, (issue, 0))
            counts[issue.description] = (seen, count + 1)
    result = list(sections.values())
    if len(result) > 1:
        summary = ValidationSection("summary of all accounts")
        for description, (issue, count) in counts.items():
            summary.issues.append(
                ValidationIssue(
                    f"{description} ({count} occurrences)",
                    blocking=issue.blocking,
                    time_check=issue.time_check,
                )
            )
        result.append(summary)
    return _result(result)
