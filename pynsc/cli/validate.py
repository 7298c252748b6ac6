"""``pynsc validate``: check the operator, accounts and users (or a file of JWTs) for problems.

Exits 1 with ``validation found errors`` when any issue is blocking or a time check (expired,
not yet valid); warnings alone pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from pynsc.claims import (
    AccountClaims,
    OperatorClaims,
    ValidationIssue,
    decode_token,
    validate,
)
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import PersistentOption, json_option
from pynsc.cli.sources import read_source
from pynsc.cli.table import Table
from pynsc.errors import NscError
from pynsc.store import Store
from pynsc.store.report import Report


@dataclass(slots=True)
class _Section:
    """The issues found for one entity (a table of the output)."""

    title: str
    issues: list[ValidationIssue] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(i.blocking or i.time_check for i in self.issues)

    def error(self, text: str) -> None:
        self.issues.append(ValidationIssue(text, blocking=True))

    def table(self) -> Table:
        table = Table(self.title)
        if not self.issues:
            table.add("No issues found")
            return table
        table.headers = ("#", " ", "Description")
        for i, issue in enumerate(self.issues, start=1):
            table.add(i, "!" if issue.blocking or issue.time_check else "", issue.description)
        return table

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.title,
            "issues": [
                {"description": i.description, "blocking": i.blocking, "time_check": i.time_check}
                for i in self.issues
            ],
        }


def _operator(claims: OperatorClaims) -> _Section:
    section = _Section(f'Operator "{claims.name}"', list(validate(claims)))
    if not claims.did_sign(claims):
        section.error("operator is not issued by operator or operator signing key")
    return section


def _account(
    store: Store, name: str, operator: OperatorClaims, claims: AccountClaims
) -> _Section:
    section = _Section(f'Account "{name}"', list(validate(claims)))
    if operator.nats.system_account == claims.sub and claims.nats.limits.is_jetstream_enabled():
        section.error("JetStream should not be enabled for system account")
    if not operator.did_sign(claims):
        section.error("Account is not issued by operator or operator signing keys")
    strict = operator.nats.strict_signing_key_usage
    for user in store.user_names(name):
        try:
            user_claims = store.user(name, user)
        except NscError as e:
            section.error(f'user "{user}": {e}')
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


def _from_file(text: str) -> list[_Section]:
    """One section per subject of the JWTs in ``text`` (one a line, ``hash|jwt`` allowed)."""
    sections: dict[str, _Section] = {}
    counts: dict[str, tuple[ValidationIssue, int]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        token = line.split("|", 1)[1] if "|" in line else line
        try:
            claims = decode_token(token).claims
        except NscError as e:
            raise NscError(f"claim decoding error: '{e}' claim: '{token}'") from e
        section = sections.setdefault(claims.sub, _Section(claims.sub))
        for issue in validate(claims):
            section.issues.append(issue)
            seen, count = counts.get(issue.description, (issue, 0))
            counts[issue.description] = (seen, count + 1)
    result = list(sections.values())
    if len(result) > 1:
        summary = _Section("summary of all accounts")
        for description, (issue, count) in counts.items():
            summary.issues.append(
                ValidationIssue(
                    f"{description} ({count} occurrences)",
                    blocking=issue.blocking,
                    time_check=issue.time_check,
                )
            )
        result.append(summary)
    return result


@command("validate", short_help="Validate an operator, its accounts and their users.")
@click.option("-A", "--all-accounts", "all_accounts", is_flag=True, default=False,
              help="Validate every account of the operator (not with -a or -f).")
@click.option("-f", "--file", "file", metavar="FILE", default=None,
              help="Validate the JWTs in FILE, one a line (not with -a or -A).")
@click.option("-a", "--account", "context_account", cls=PersistentOption, metavar="NAME|KEY",
              default=None, help="Validate this account (default: the current account).")
@json_option
@pass_app
def validate_command(
    app: App,
    *,
    all_accounts: bool,
    file: str | None,
    context_account: str | None,
    as_json: bool,
) -> None:
    """Validate the operator and the current (or -a, or every -A) account with its users.

    Prints a table of issues per entity ('!' marks the blocking ones and time checks) and
    fails with 'validation found errors' when there is any such issue.
    """
    account = context_account or None
    if all_accounts and account:
        raise click.UsageError("specify only one of --account or --all-accounts")
    if file is not None and (all_accounts or account):
        raise click.UsageError("specify only one of --account or --all-accounts or --file")
    if file is not None:
        sections = _from_file(read_source(file))
    else:
        context = app.context
        store = context.store()
        operator = store.operator()
        sections = [_operator(operator)]
        if all_accounts:
            names = store.account_names()
        else:
            current = account or context.account
            names = [context.require_account(account)] if current else []
        for name in sorted(names):
            sections.append(_account(store, name, operator, store.account(name)))

    failed = any(section.failed for section in sections)
    report = Report(data=[section.to_json() for section in sections])
    if failed and as_json:
        report.error("validation found errors")
    app.output.report(report, as_json=as_json)
    if not as_json:
        app.output.table([section.table() for section in sections])
    if failed:
        raise NscError("validation found errors")
