"""Activations: an exporting account's grant to one account to import a private export.

An activation is a JWT issued by the exporting account (its identity key, or one of its signing
keys, then with ``issuer_account``) whose subject is the importing account. The store is not
changed; the token may be written to a file and posted to the operator's HTTP account server.

The rules, all here and nowhere else:

* the account must have exports, and private ones (exports that require a token);
* the subject is that of a private export or one it contains (the account's only private export
  when none is given), and must be a valid subject; a wildcard subject of a service export is
  granted too (nats-server serves it);
* the target is an account public key or the name of an account of this operator;
* the signer is the account's key or one of its signing keys; an operator that requires signing
  keys refuses the identity key;
* the activation must validate (start and expiry problems only warn);
* a push needs an http(s) account server URL on the operator, checked before anything is
  signed; a refusal is an error, and then no file is written.

Example::

    result = generate_activation(nsc, account="A", subject="orders.eu.>", target_account="B",
                                 expiry=timedelta(days=30))
    add_import(nsc, account="B", token=result.token)
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from pynsc.actions.issuer import Moment, to_unix
from pynsc.actions.session import Nsc
from pynsc.actions.users import check_user_signer
from pynsc.claims import (
    AccountClaims,
    ActivationClaims,
    Export,
    ValidationResults,
    decorate,
    encode,
    validate,
)
from pynsc.claims.subjects import go_quote, is_contained_in, validate_subject
from pynsc.errors import ClaimsError, NotFoundError, PushError, StoreError, UsageError
from pynsc.keys import KeyKind, KeyPair, is_public_key
from pynsc.store import Store, ops
from pynsc.store.report import Display, Level, Report
from pynsc.text import display_path, humanized_date, render_date

__all__ = ["ActivationResult", "generate_activation"]


@dataclass(slots=True)
class ActivationResult:
    """A generated activation: the report, the exporting account, the export it grants, its
    claims and JWT, the key that signed it, and where it was written and pushed."""

    report: Report
    account: str
    export: Export
    claims: ActivationClaims
    token: str
    issuer: str
    path: Path | None
    pushed_to: str | None

    @property
    def decorated(self) -> str:
        """The token between ``-----BEGIN NATS ACTIVATION JWT-----`` lines, as files hold it."""
        return decorate(self.token)

    @property
    def subject(self) -> str:
        return self.claims.nats.subject

    @property
    def target_account(self) -> str:
        """The public key of the importing account."""
        return self.claims.sub

    @property
    def hash_id(self) -> str:
        """The id an account server files the activation under."""
        return self.claims.hash_id()


def generate_activation(
    nsc: Nsc,
    *,
    target_account: str,
    subject: str | None = None,
    account: str | None = None,
    start: Moment | None = None,
    expiry: Moment | None = None,
    output_file: str | os.PathLike[str] | None = None,
    push: bool = False,
    signer: str | KeyPair | None = None,
    now: int | None = None,
) -> ActivationResult:
    """Let ``target_account`` (a public key, or the name of an account of this operator) import
    the private export of ``subject`` of ``account`` (default: the current one).

    ``start``/``expiry``: seconds from now, a ``timedelta``, a ``datetime`` or a ``date`` (see
    :func:`~pynsc.actions.issuer.to_unix`). ``signer``: the account key or one of its signing
    keys (a role, public key, seed, file or pair; default ``nsc.signer``, then a stored one).
    ``output_file`` is written (0600) with the decorated token; ``push`` posts it to the
    operator's account server first.
    """
    moment = int(time.time()) if now is None else now
    store = nsc.store()
    account_name = nsc.require_account(account)
    claims = store.account(account_name)
    export, granted = _grant(claims, account_name, subject)
    target = _target(store, target_account)
    operator = store.operator()
    server_url = _push_url(operator.name, operator.nats.account_server_url) if push else ""
    strict = operator.nats.strict_signing_key_usage
    signer = signer or nsc.signer
    if isinstance(signer, KeyPair):
        key = check_user_signer(claims, signer, strict=strict).key
    else:
        key = ops.account_signer(nsc.keystore, claims, private_key=signer, strict=strict).key

    activation = ActivationClaims(sub=target, name=granted)
    activation.nbf = to_unix(start, moment)
    activation.exp = to_unix(expiry, moment)
    activation.nats.subject = granted
    activation.nats.kind = export.type
    if key.public_key != claims.sub:
        activation.nats.issuer_account = claims.sub
    results = validate(activation, moment)
    if results.is_blocking():
        raise ClaimsError("; ".join(issue.description for issue in results.errors()))
    token = encode(activation, key)

    report = Report()
    report.ok(f"generated {go_quote(export.name)} activation for account {go_quote(target)}")
    if activation.nbf:
        report.ok(f"token valid {_when(activation.nbf, moment)}")
    if activation.exp:
        report.ok(f"token expires {_when(activation.exp, moment)}")
    for issue in results.time_checks():
        report.warn(f"activation {issue.description}")
    pushed_to = _push(report, server_url, token, activation.hash_id()) if push else None
    path = _write(report, output_file, decorate(token)) if output_file is not None else None
    report.data = {
        "account": account_name,
        "export": export.name,
        "subject": granted,
        "kind": export.type,
        "target_account": target,
        "issuer": key.public_key,
        "issuer_account": activation.nats.issuer_account,
        "hash_id": activation.hash_id(),
        "jwt": token,
        "output_file": None if path is None else str(path),
        "pushed_to": pushed_to,
    }
    return ActivationResult(report, account_name, export, activation, token, key.public_key,
                            path, pushed_to)  # fmt: skip


def _grant(claims: AccountClaims, account: str, subject: str | None) -> tuple[Export, str]:
    """The private export the activation is for, and the subject granted."""
    exports = claims.nats.exports
    if not exports:
        raise NotFoundError(
            f"account {go_quote(account)} doesn't have exports",
            hint=f"add a private one with 'pynsc add export -a {account} --private -s SUBJECT'",
        )
    private = [e for e in exports if e.token_req]
    if not private:
        raise NotFoundError(
            f"account {go_quote(account)} doesn't have exports that require an activation token",
            hint="make one private with 'pynsc edit export --subject SUBJECT --private'",
        )
    if not subject:
        if len(private) > 1:
            listed = ", ".join(go_quote(e.subject) for e in private)
            raise StoreError("a subject is required", hint=f"the private exports are {listed}")
        subject = private[0].subject
    results = ValidationResults()
    validate_subject(subject, results)
    if results.issues:
        raise UsageError(results.issues[0].description)
    export = next((e for e in private if is_contained_in(subject, e.subject)), None)
    if export is None:
        raise NotFoundError(
            f"a private export for {go_quote(subject)} was not found in account "
            f"{go_quote(account)}"
        )
    return export, subject


def _target(store: Store, value: str) -> str:
    """The importing account's public key, from a public key or a local account's name."""
    text = value.strip()
    if not text:
        raise UsageError(
            "target-account cannot be empty",
            hint="pass the importing account with -t/--target-account NAME|KEY",
        )
    if is_public_key(text, KeyKind.ACCOUNT):
        return text
    if store.has_account(text):
        return store.account(text).sub
    raise NotFoundError(
        f"{go_quote(text)} is not an account public key nor an account of operator "
        f"{go_quote(store.name)}",
        hint="list the accounts with 'pynsc list accounts'",
    )


def _push_url(operator: str, url: str) -> str:
    """The account server to push to, checked before anything is signed."""
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


def _write(report: Report, output_file: str | os.PathLike[str], text: str) -> Path:
    from pynsc._fs import atomic_write

    path = Path(os.path.expanduser(output_file)).absolute()
    try:
        atomic_write(path, text)
    except OSError as err:
        raise StoreError(f"error writing {display_path(path)}: {err.strerror or err}") from err
    report.ok(f"wrote activation to {display_path(path)}")
    return path


def _when(unix: int, now: int) -> str:
    return f"{render_date(unix)} - {humanized_date(unix, now)}"
