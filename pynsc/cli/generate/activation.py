"""``pynsc generate activation``: grant one account the right to import a private export.

The activation is a JWT issued by the exporting account (its identity key or one of its signing
keys, then with ``issuer_account``) whose subject is the importing account. It is printed
decorated (``-----BEGIN NATS ACTIVATION JWT-----``), written to a file, and with ``--push`` also
posted to the operator's HTTP account server. The store is not changed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option, output_file_option, time_options

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims, Export
    from pynsc.cli.params import TimeFlags
    from pynsc.store import Store
    from pynsc.store.report import Report

STDOUT = ("--", "-")


@dataclass(frozen=True, slots=True)
class _Grant:
    """What the activation grants: the private export and the (possibly narrower) subject."""

    export: Export
    subject: str


@command("activation", short_help="Generate an activation token for a private export.")
@click.option("-s", "--subject", "subject", metavar="SUBJECT", default=None,
              help="Subject to grant: that of a private export, or one it contains (default: "
                   "the account's only private export).")
@click.option("-t", "--target-account", "target_account", metavar="NAME|KEY", default=None,
              help="The importing account: its public key, or the name of a local account "
                   "(required).")
@output_file_option
@click.option("--push", "push", is_flag=True, default=False,
              help="Also post the activation to the operator's account server "
                   "(<account_server_url>/activations).")
@time_options
@account_option
@json_option
@pass_app
def generate_activation(
    app: App,
    *,
    subject: str | None,
    target_account: str | None,
    output_file: str | None,
    push: bool,
    times: TimeFlags,
    account: str | None,
    as_json: bool,
) -> None:
    """Generate an activation token letting --target-account import a private export of the
    current (or -a) account.

    The token is signed by the account or one of its signing keys (-K). Give it to the
    importer, who adds it with 'pynsc add import --token FILE'.
    """
    from pynsc.claims import ActivationClaims, decorate, encode, validate
    from pynsc.claims.subjects import go_quote
    from pynsc.errors import ClaimsError, NscError
    from pynsc.store import ops
    from pynsc.store.report import Report

    now = int(time.time())
    context = app.context
    store = context.store()
    account_name = context.require_account(account)
    claims = store.account(account_name)
    grant = _grant(claims, account_name, subject)
    target = _target(store, target_account)
    operator = store.operator()
    server_url = _push_url(operator.name, operator.nats.account_server_url) if push else ""
    signer = ops.account_signer(
        app.keystore, claims, private_key=app.private_key,
        strict=operator.nats.strict_signing_key_usage,
    )  # fmt: skip

    activation = ActivationClaims(sub=target, name=grant.subject)
    activation.nbf = times.start_at(now) or 0
    activation.exp = times.expiry_at(now) or 0
    activation.nats.subject = grant.subject
    activation.nats.kind = grant.export.type
    if signer.key.public_key != claims.sub:
        activation.nats.issuer_account = claims.sub
    results = validate(activation, now)
    if results.is_blocking():
        raise ClaimsError("; ".join(issue.description for issue in results.errors()))
    token = encode(activation, signer.key)
    decorated = decorate(token)

    report = Report()
    report.ok(f"generated {go_quote(grant.export.name)} activation for account {go_quote(target)}")
    _validity_lines(report, activation.nbf, activation.exp, now)
    for issue in results.time_checks():
        report.warn(f"activation {issue.description}")
    pushed_to = _push(report, server_url, token, activation.hash_id()) if push else None

    path: Path | None = None
    if output_file is not None and output_file not in STDOUT:
        from pynsc._fs import atomic_write
        from pynsc.cli.output import display_path

        path = Path(output_file).expanduser().absolute()
        try:
            atomic_write(path, decorated)
        except OSError as err:
            raise NscError(f"error writing {display_path(path)}: {err.strerror or err}") from err
        report.ok(f"wrote activation to {display_path(path)}")
    elif not as_json:
        report.data = decorated

    if as_json:
        report.data = {
            "account": account_name,
            "export": grant.export.name,
            "subject": grant.subject,
            "kind": grant.export.type,
            "target_account": target,
            "issuer": signer.key.public_key,
            "issuer_account": activation.nats.issuer_account,
            "hash_id": activation.hash_id(),
            "jwt": token,
            "output_file": None if path is None else str(path),
            "pushed_to": pushed_to,
        }
    app.output.report(report, as_json=as_json)


def _grant(claims: AccountClaims, account: str, subject: str | None) -> _Grant:
    """The private export the activation is for, and the subject granted (nsc's rules)."""
    from pynsc.claims import ValidationResults
    from pynsc.claims.subjects import go_quote, is_contained_in, validate_subject
    from pynsc.errors import NscError

    exports = claims.nats.exports
    if not exports:
        raise NscError(
            f"account {go_quote(account)} doesn't have exports",
            hint=f"add a private one with 'pynsc add export -a {account} --private -s SUBJECT'",
        )
    private = [e for e in exports if e.token_req]
    if not private:
        raise NscError(
            f"account {go_quote(account)} doesn't have exports that require an activation token",
            hint="make one private with 'pynsc edit export --subject SUBJECT --private'",
        )
    if not subject:
        if len(private) > 1:
            listed = ", ".join(go_quote(e.subject) for e in private)
            raise NscError("a subject is required", hint=f"the private exports are {listed}")
        subject = private[0].subject
    results = ValidationResults()
    validate_subject(subject, results)
    if results.issues:
        raise NscError(results.issues[0].description)
    export = next((e for e in private if is_contained_in(subject, e.subject)), None)
    if export is None:
        raise NscError(
            f"a private export for {go_quote(subject)} was not found in account "
            f"{go_quote(account)}"
        )
    return _Grant(export=export, subject=subject)


def _target(store: Store, value: str | None) -> str:
    """The importing account's public key, from a public key or a local account's name."""
    from pynsc.claims.subjects import go_quote
    from pynsc.errors import NscError
    from pynsc.keys import KeyKind, is_public_key

    text = (value or "").strip()
    if not text:
        raise NscError(
            "target-account cannot be empty",
            hint="pass the importing account with -t/--target-account NAME|KEY",
        )
    if is_public_key(text, KeyKind.ACCOUNT):
        return text
    if store.has_account(text):
        return store.account(text).sub
    raise NscError(
        f"{go_quote(text)} is not an account public key nor an account of operator "
        f"{go_quote(store.name)}",
        hint="list the accounts with 'pynsc list accounts'",
    )


def _push_url(operator: str, url: str) -> str:
    """The account server to push to, checked before anything is signed."""
    from pynsc.errors import PushError
    from pynsc.push.http import is_http_url

    if not url:
        raise PushError(
            f"operator {operator} doesn't have an account server url configured",
            hint="set one with 'pynsc edit operator --account-jwt-server-url URL'",
        )
    if not is_http_url(url):
        raise PushError(
            f"activations can only be pushed to an HTTP account server, not {url!r}",
            hint="nats-server resolvers take no activations: hand the token to the importer",
        )
    return url


def _push(report: Report, server_url: str, token: str, hash_id: str) -> str:
    """Post the activation; a refusal raises :class:`~pynsc.errors.PushError`."""
    from pynsc.push.http import activation_url, post_activation
    from pynsc.store.report import Display, Level, Report

    reply = post_activation(server_url, token)
    entry = report.add(
        Report("push activation to account server", display=Display.DETAILS_ON_PROBLEM)
    )
    if reply.is_live:
        entry.ok("pushed activation to the account server")
    else:
        entry.entry(Level.WARN, "pushed activation was accepted by the account server")
    entry.add_server_message(reply.body)
    url = activation_url(server_url, hash_id)
    report.ok(f'activation accessible at "{url}"')
    return url


def _validity_lines(report: Report, start: int, expiry: int, now: int) -> None:
    from pynsc.cli.expirations import humanized_date
    from pynsc.cli.render import render_date

    if start:
        report.ok(f"token valid {render_date(start)} - {humanized_date(start, now)}")
    if expiry:
        report.ok(f"token expires {render_date(expiry)} - {humanized_date(expiry, now)}")
