"""``pynsc add import``: import a stream or service another account exports.

Two modes, as in nsc:

* **public**: ``--src-account`` (an account of this operator by name, or any account public key)
  and ``--remote-subject``;
* **private**: ``-u/--token``, an activation the exporter issued to this account (a file, raw or
  decorated, or an http(s) URL); it gives the exporter, the subject and the kind, and is embedded
  in the import.

When the exporter is an account of this operator, its exports are checked too: the subject must
be in one of its exports of that kind, public for a public import (and carrying this account's
key where the export wants it), and a private import's activation must be signed by the exporter
and not revoked. The whole account is validated before anything is written.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.errors import NotFoundError, NscError

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims, ActivationClaims, Export, Import
    from pynsc.store import Store
    from pynsc.store.report import Report

_PRIVATE_MIXED = "private imports require src-account, remote-subject and service to be unset"
_PUBLIC_MISSING = "public imports require src-account, remote-subject"


@dataclass(frozen=True, slots=True)
class _Flags:
    """What the command line asks for, apart from where the export is."""

    name: str | None
    local_subject: str | None
    service: bool
    share: bool
    allow_trace: bool


@dataclass(frozen=True, slots=True)
class _Activation:
    """A loaded activation: its token as embedded, its claims, and where it came from."""

    token: str
    claims: ActivationClaims
    location: str

    @property
    def exporter(self) -> str:
        return self.claims.nats.issuer_account or self.claims.iss


@command("import", short_help="Add an import.")
@click.option("-u", "--token", metavar="FILE|URL", default=None,
              help="Activation token: a file (raw or decorated JWT) or an http(s) URL "
                   "(private imports only).")
@click.option("-n", "--name", metavar="NAME", default=None,
              help="Import name (default: the activation's name, else the remote subject).")
@click.option("-s", "--local-subject", "local_subject", metavar="SUBJECT", default=None,
              help="Local subject: where a stream is delivered, or what this account "
                   "publishes to reach a service (default for services: the remote subject).")
@click.option("--src-account", "src_account", metavar="NAME|KEY", default=None,
              help="Exporting account: an account of this operator or an account public key "
                   "(public imports only).")
@click.option("--remote-subject", "remote_subject", metavar="SUBJECT", default=None,
              help="Subject as the exporter exports it (public imports only).")
@click.option("--service", is_flag=True, default=False, help="Import a service (not a stream).")
@click.option("--share", is_flag=True, default=False,
              help="Share data when tracking latency (services only).")
@click.option("--allow-trace", "allow_trace", is_flag=True, default=False,
              help="Allow trace requests (streams only).")
@account_option
@json_option
@pass_app
def add_import(
    app: App,
    *,
    token: str | None,
    name: str | None,
    local_subject: str | None,
    src_account: str | None,
    remote_subject: str | None,
    service: bool,
    share: bool,
    allow_trace: bool,
    account: str | None,
    as_json: bool,
) -> None:
    """Add an import to the current (or -a) account, signed by the operator.

    A public import names the exporter (--src-account) and its subject (--remote-subject); a
    private one takes the activation token the exporter generated for this account (--token).
    """
    _check_mode(token, src_account, remote_subject)
    flags = _Flags(
        name=name, local_subject=local_subject, service=service, share=share,
        allow_trace=allow_trace,
    )  # fmt: skip
    account_name = app.context.require_account(account)
    # fetched before taking the lock: a slow URL must not hold up other writers
    activation = _load_activation(token) if token is not None else None
    report = _add(app, account_name, flags, activation, src_account, remote_subject)
    app.output.report(report, as_json=as_json)


def _check_mode(token: str | None, src_account: str | None, remote_subject: str | None) -> None:
    """nsc's rules: a token alone is a private import; otherwise both public flags are needed."""
    if token is not None:
        if not token.strip():
            raise click.UsageError("token is required (a file or an http(s) URL)")
        if src_account is not None or remote_subject is not None:
            raise click.UsageError(_PRIVATE_MIXED)
        return
    if not (src_account or "").strip() or not (remote_subject or "").strip():
        raise click.UsageError(_PUBLIC_MISSING)


def _load_activation(location: str) -> _Activation:
    from pynsc.claims import ActivationClaims, claim_type_of, decode
    from pynsc.cli.sources import read_source
    from pynsc.keys.creds import parse_decorated_jwt

    try:
        token = parse_decorated_jwt(read_source(location))
        claims = decode(token)
    except NscError as e:
        raise NscError(f"error loading `{location}`: {e}") from e
    if not isinstance(claims, ActivationClaims):
        raise NscError(
            f"error loading `{location}`: expected an activation, got {claim_type_of(claims)} "
            "claims"
        )
    return _Activation(token, claims, location)


def _add(
    app: App,
    account_name: str,
    flags: _Flags,
    activation: _Activation | None,
    src_account: str | None,
    remote_subject: str | None,
) -> Report:
    from pynsc.claims import SERVICE, STREAM
    from pynsc.cli._accounts import account_update
    from pynsc.store.report import Report

    report = Report()
    with account_update(app, account_name, report) as update:
        store, claims = update.store, update.claims
        if activation is not None:
            exporter = activation.exporter
            _check_activation(activation, claims, flags, report)
            kind = activation.claims.nats.kind
            remote = activation.claims.nats.subject
        else:
            exporter = _source_key(store, src_account or "")
            kind = SERVICE if flags.service else STREAM
            remote = (remote_subject or "").strip()
        if exporter == claims.sub:
            raise NscError("export issuer is this account")
        imp = _new_import(flags, exporter, kind, remote, activation)
        _check_duplicate(claims, imp)
        local = _local_exporter(store, exporter)
        if local is not None:
            exporter_name, exporting = local
            if activation is None:
                _check_public_export(exporting, exporter_name, imp, claims.sub)
            else:
                _check_private_export(exporting, exporter_name, imp, activation.claims)
        claims.nats.imports.append(imp)
        _check_account(claims)
    report.ok(f'added {imp.type} import "{remote}"')
    report.data = {"account": account_name, "import": _describe(imp)}
    return report


def _check_activation(
    activation: _Activation, claims: AccountClaims, flags: _Flags, report: Report
) -> None:
    """The activation is for this account, of the kind asked for, valid and unexpired."""
    from pynsc.claims import SERVICE, validate
    from pynsc.cli.render import render_date
    from pynsc.keys import KeyKind, is_public_key

    act = activation.claims
    if act.sub != claims.sub:
        raise NscError(f'activation is not intended for this account - it is for "{act.sub}"')
    if flags.service and act.nats.kind != SERVICE:
        raise NscError(
            f"the activation is for a {act.nats.kind or 'missing'} import, not a service: "
            "--service does not apply"
        )
    if not is_public_key(activation.exporter, KeyKind.ACCOUNT):
        raise NscError(
            f'the activation was not issued by an account: "{activation.exporter}" is not an '
            "account public key"
        )
    now = int(time.time())
    results = validate(copy.deepcopy(act), now=now)
    errors = results.errors()
    if errors:
        raise NscError(f"invalid activation: {errors[0].description}")
    if act.is_expired(now):
        raise NscError(f"the activation expired on {render_date(act.exp)}")
    if act.is_not_yet_valid(now):
        report.warn(f"the activation is not valid until {render_date(act.nbf)}")


def _source_key(store: Store, value: str) -> str:
    """``--src-account``: an account of this operator by name, else an account public key."""
    from pynsc.keys import KeyKind, is_public_key

    text = value.strip()
    if store.has_account(text):
        return store.account(text).sub
    if is_public_key(text, KeyKind.ACCOUNT):
        return text
    raise NotFoundError(
        f'"{text}" is neither an account public key nor an account of operator "{store.name}"',
        hint="give the name of an account of this operator or an account public key (A...)",
    )


def _local_exporter(store: Store, public_key: str) -> tuple[str, AccountClaims] | None:
    """This operator's account with ``public_key`` (name and claims), if there is one.

    A signing key of an account is not an exporter: imports name the account itself.
    """
    for name in store.account_names():
        try:
            claims = store.account(name)
        except NscError:
            continue
        if claims.sub == public_key:
            return name, claims
        if public_key in claims.nats.signing_keys:
            raise NscError(
                f'{public_key} is a signing key of account "{name}", not the account',
                hint=f"imports name the exporting account itself: {claims.sub}",
            )
    return None


def _new_import(
    flags: _Flags, exporter: str, kind: str, remote: str, activation: _Activation | None
) -> Import:
    from pynsc.claims import SERVICE, Import

    service = kind == SERVICE
    if flags.share and not service:
        raise NscError("only services can set the share property")
    if flags.allow_trace and service:
        raise NscError("only streams can set the allow-trace property")
    local = flags.local_subject.strip() if flags.local_subject is not None else ""
    if service and not local:
        local = remote
    name = flags.name.strip() if flags.name is not None else ""
    if not name and activation is not None:
        name = activation.claims.name
    return Import(
        name=name or remote,
        subject=remote,
        account=exporter,
        token=activation.token if activation is not None else "",
        local_subject=local,
        type=kind,
        share=flags.share,
        allow_trace=flags.allow_trace,
    )


def _check_duplicate(claims: AccountClaims, imp: Import) -> None:
    for existing in claims.nats.imports:
        if (
            existing.type == imp.type
            and existing.account == imp.account
            and existing.subject == imp.subject
        ):
            raise NscError(
                f'account already imports {imp.type} "{imp.subject}" from {imp.account}'
            )


def _containing(exporting: AccountClaims, imp: Import, kind: str) -> list[Export]:
    from pynsc.claims.subjects import is_contained_in

    return [
        e for e in exporting.nats.exports
        if e.type == kind and is_contained_in(imp.subject, e.subject)
    ]  # fmt: skip


def _other_kind(kind: str) -> str:
    from pynsc.claims import SERVICE, STREAM

    return STREAM if kind == SERVICE else SERVICE


def _no_export(exporting: AccountClaims, name: str, imp: Import, private: bool) -> NscError:
    """The export is missing; say so, and point at an export of the other kind if there is one."""
    if not exporting.nats.exports:
        return NscError(f'account "{name}" doesn\'t have exports')
    other = _containing(exporting, imp, _other_kind(imp.type))
    hint = None
    if other and private:
        hint = (
            f"the activation is for a {imp.type}, but account \"{name}\" has a "
            f'{other[0].type} export "{other[0].subject}"'
        )
    elif other:
        flag = "drop --service" if imp.is_service else "add --service"
        hint = f'account "{name}" has a {other[0].type} export "{other[0].subject}": {flag}'
    wanted = imp.type if private else f"public {imp.type}"
    return NscError(
        f'a {wanted} export for "{imp.subject}" was not found in account "{name}"', hint=hint
    )


def _token_position_ok(export: Export, subject: str, importer: str) -> bool:
    position = export.account_token_position
    if position <= 0:
        return True
    tokens = subject.split(".")
    return position <= len(tokens) and tokens[position - 1] == importer


def _check_public_export(
    exporting: AccountClaims, name: str, imp: Import, importer: str
) -> None:
    """A public import needs a public export of its kind holding the subject (and this account's
    key at the export's account token position, if it has one)."""
    candidates = _containing(exporting, imp, imp.type)
    if not candidates:
        raise _no_export(exporting, name, imp, private=False)
    public = [e for e in candidates if not e.token_req]
    if not public:
        raise NscError(
            f'{imp.type} export "{candidates[0].subject}" of account "{name}" is private - '
            "an activation token is required",
            hint=f"ask for one: 'pynsc generate activation -a {name} "
                 f"--subject {imp.subject} --target-account {importer}', then use --token",
        )
    if not any(_token_position_ok(e, imp.subject, importer) for e in public):
        export = public[0]
        position = export.account_token_position
        raise NscError(
            f'{imp.type} export "{export.subject}" of account "{name}" requires the importing '
            f'account\'s public key as token {position} of the subject: "{imp.subject}" does '
            "not have it",
            hint=f"import a subject with {importer} at token {position}",
        )


def _check_private_export(
    exporting: AccountClaims, name: str, imp: Import, act: ActivationClaims
) -> None:
    """A private import's activation must be signed by the exporter (or one of its signing keys),
    cover an export of its kind, and not be revoked there."""
    if act.iss != exporting.sub and act.iss not in exporting.nats.signing_keys:
        raise NscError(
            f'the activation is signed by {act.iss}, which is neither account "{name}" nor '
            "one of its signing keys"
        )
    candidates = _containing(exporting, imp, imp.type)
    if not candidates:
        raise _no_export(exporting, name, imp, private=True)
    for export in candidates:
        for key in (act.sub, "*"):
            at = export.revocations.get(key)
            if at is not None and at >= act.iat:
                raise NscError(
                    f'the activation was revoked by account "{name}" '
                    f'({imp.type} export "{export.subject}")'
                )


def _check_account(claims: AccountClaims) -> None:
    """Validate the account as it will be written; the first blocking issue is the error."""
    from pynsc.claims import validate

    # a copy: validation normalises some fields, which must not leak into the JWT
    errors = validate(copy.deepcopy(claims)).errors()
    if errors:
        raise NscError(errors[0].description)


def _describe(imp: Import) -> dict[str, Any]:
    from pynsc.claims._codec import to_dict

    return to_dict(imp)
