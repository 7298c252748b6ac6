"""Imports: add and delete the streams and services an account takes from other accounts.

Two kinds of import, as in nsc:

* **public**: ``src_account`` (an account of this operator by name, or any account public key)
  and ``remote_subject``;
* **private**: ``token``, the activation the exporter issued to this account (the JWT, raw or
  decorated); it gives the exporter, the subject and the kind, and is embedded in the import.

The rules, all here and nowhere else:

* a token alone makes a private import; otherwise both ``src_account`` and ``remote_subject``
  are needed; ``share`` is for services, ``allow_trace`` for streams;
* the remote and local subjects given must be ones nats-server can use (no tab, newline,
  carriage return or form feed, ``>`` only last), checked with the arguments;
* an account does not import from itself, and not the same kind and subject twice from one
  exporter;
* an activation must be for this account, of the kind asked for, issued by an account (its key,
  or one of its signing keys with ``issuer_account``), valid and unexpired (not yet valid only
  warns);
* when the exporter is an account of this operator: the import names the account, not one of
  its signing keys; the subject must be in one of its exports of that kind, public for a public
  import (carrying this account's key where the export wants it); a private import's activation
  must be signed by the exporter or one of its signing keys, and not revoked by the export;
* a service import without a local subject is reached at its remote subject;
* the account as it will be written must validate (overlapping imports, subject mappings,
  limits): the first blocking issue is the error.

Example, with the activation an exporter made with
:func:`~pynsc.actions.activations.generate_activation`::

    add_import(nsc, account="B", token=activation.token)
    add_import(nsc, account="B", src_account="A", remote_subject="orders.>")
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass

from pynsc.actions.account_update import AccountUpdate, update_account
from pynsc.actions.session import Nsc
from pynsc.claims import (
    SERVICE,
    STREAM,
    AccountClaims,
    ActivationClaims,
    Export,
    Import,
    claim_type_of,
    decode,
    validate,
)
from pynsc.claims._codec import to_dict
from pynsc.claims.subjects import is_contained_in, subject_error
from pynsc.errors import (
    ClaimsError,
    ExistsError,
    InvalidKeyError,
    NotFoundError,
    NscError,
    StoreError,
    UsageError,
)
from pynsc.keys import KeyKind, KeyPair, is_public_key
from pynsc.keys.creds import parse_decorated_jwt
from pynsc.store import Store
from pynsc.store.report import Report
from pynsc.text import render_date

__all__ = [
    "ImportResult",
    "add_import",
    "delete_import",
]

_PRIVATE_MIXED = "private imports require src-account, remote-subject and service to be unset"
_PUBLIC_MISSING = "public imports require src-account, remote-subject"


@dataclass(slots=True)
class ImportResult:
    """What an import action did: the report, the account, the import (as written, or as it
    was for a delete) and the account JWT written."""

    report: Report
    account: str
    imported: Import
    jwt: str


@dataclass(frozen=True, slots=True)
class _Activation:
    """A loaded activation: its token as embedded and its claims."""

    token: str
    claims: ActivationClaims

    @property
    def exporter(self) -> str:
        return self.claims.nats.issuer_account or self.claims.iss


# add -----------------------------------------------------------------------------------------


def _load(text: str, source: str) -> _Activation:
    """The activation in ``text`` (a JWT, raw or decorated); ``source`` names where it came
    from in the error when it is not one."""
    where = f"error loading `{source}`" if source else "error loading the activation"
    try:
        token = parse_decorated_jwt(text)
        claims = decode(token)
    except NscError as e:
        raise ClaimsError(f"{where}: {e}") from e
    if not isinstance(claims, ActivationClaims):
        raise ClaimsError(
            f"{where}: expected an activation, got {claim_type_of(claims)} claims"
        )
    return _Activation(token, claims)


def _check_mode(token: str | None, src_account: str | None, remote_subject: str | None) -> None:
    """A token alone is a private import; otherwise both public arguments are needed."""
    if token is not None:
        if not token.strip():
            raise UsageError("token is required (a file or an http(s) URL)")
        if src_account is not None or remote_subject is not None:
            raise UsageError(_PRIVATE_MIXED)
        return
    if not (src_account or "").strip() or not (remote_subject or "").strip():
        raise UsageError(_PUBLIC_MISSING)


def _check_subjects(*subjects: str | None) -> None:
    """A :class:`UsageError` for a subject nats-server can never use (tab, newline,
    ``a.>.b``); the other subject rules are Go's and are checked with the account."""
    for subject in subjects:
        problem = subject_error((subject or "").strip())
        if problem is not None:
            raise UsageError(problem)


def add_import(
    nsc: Nsc,
    *,
    account: str | None = None,
    token: str | None = None,
    read_token: Callable[[str], str] | None = None,
    src_account: str | None = None,
    remote_subject: str | None = None,
    name: str | None = None,
    local_subject: str | None = None,
    service: bool = False,
    share: bool = False,
    allow_trace: bool = False,
    signer: str | KeyPair | None = None,
    now: int | None = None,
) -> ImportResult:
    """Add an import to ``account`` (default: the current one) and re-sign it.

    Private: ``token`` is the activation JWT (raw or decorated), or, with ``read_token``, where
    to read it (``read_token(token)`` returns the text, or raises an error naming ``token``: the
    CLI reads files and URLs). Public:
    ``src_account`` and ``remote_subject``. ``name`` defaults to the activation's name, else
    the remote subject; ``local_subject`` is where a stream is delivered, or what this account
    publishes to reach a service (default: the remote subject). ``share`` (services) shares
    latency data; ``allow_trace`` (streams) lets trace messages through.
    """
    _check_mode(token, src_account, remote_subject)
    _check_subjects(remote_subject, local_subject)
    nsc.require_account(account)
    activation: _Activation | None = None
    if token is not None:  # read before taking the lock: a slow URL holds up no other writer
        text, source = (token, "") if read_token is None else (read_token(token), token)
        activation = _load(text, source)
    moment = int(time.time()) if now is None else now
    report = Report()
    with update_account(nsc, account, report, signer=signer) as edit:
        imp = _add(edit, activation, src_account, remote_subject, report, moment,
                   name=name, local_subject=local_subject, service=service, share=share,
                   allow_trace=allow_trace)  # fmt: skip
    report.ok(f'added {imp.type} import "{imp.subject}"')
    report.data = {"account": edit.name, "import": to_dict(imp)}
    return ImportResult(report, edit.name, imp, edit.token)


def _add(
    edit: AccountUpdate,
    activation: _Activation | None,
    src_account: str | None,
    remote_subject: str | None,
    report: Report,
    now: int,
    *,
    name: str | None,
    local_subject: str | None,
    service: bool,
    share: bool,
    allow_trace: bool,
) -> Import:
    store, claims = edit.store, edit.claims
    if activation is not None:
        exporter = activation.exporter
        _check_activation(activation, claims, service, report, now)
        kind = activation.claims.nats.kind
        remote = activation.claims.nats.subject
    else:
        exporter = _source_key(store, src_account or "")
        kind = SERVICE if service else STREAM
        remote = (remote_subject or "").strip()
    if exporter == claims.sub:
        raise StoreError("export issuer is this account")
    imp = _new_import(exporter, kind, remote, activation, name=name,
                      local_subject=local_subject, share=share,
                      allow_trace=allow_trace)  # fmt: skip
    _check_duplicate(claims, imp)
    local = _local_exporter(store, exporter)
    if local is not None:
        exporter_name, exporting = local
        if activation is None:
            _check_public_export(exporting, exporter_name, imp, claims.sub)
        else:
            _check_private_export(exporting, exporter_name, imp, activation.claims)
    claims.nats.imports.append(imp)
    # a copy: validation normalises some fields, which must not leak into the JWT
    errors = validate(copy.deepcopy(claims)).errors()
    if errors:
        raise ClaimsError(errors[0].description)
    return imp


def _check_activation(
    activation: _Activation, claims: AccountClaims, service: bool, report: Report, now: int
) -> None:
    """The activation is for this account, of the kind asked for, valid and unexpired."""
    act = activation.claims
    if act.sub != claims.sub:
        raise ClaimsError(f'activation is not intended for this account - it is for "{act.sub}"')
    if service and act.nats.kind != SERVICE:
        raise UsageError(
            f"the activation is for a {act.nats.kind or 'missing'} import, not a service: "
            "--service does not apply"
        )
    if not is_public_key(activation.exporter, KeyKind.ACCOUNT):
        raise ClaimsError(
            f'the activation was not issued by an account: "{activation.exporter}" is not an '
            "account public key"
        )
    errors = validate(copy.deepcopy(act), now=now).errors()
    if errors:
        raise ClaimsError(f"invalid activation: {errors[0].description}")
    if act.is_expired(now):
        raise ClaimsError(f"the activation expired on {render_date(act.exp)}")
    if act.is_not_yet_valid(now):
        report.warn(f"the activation is not valid until {render_date(act.nbf)}")


def _source_key(store: Store, value: str) -> str:
    """``src_account``: an account of this operator by name, else an account public key."""
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
            raise InvalidKeyError(
                f'{public_key} is a signing key of account "{name}", not the account',
                hint=f"imports name the exporting account itself: {claims.sub}",
            )
    return None


def _new_import(
    exporter: str,
    kind: str,
    remote: str,
    activation: _Activation | None,
    *,
    name: str | None,
    local_subject: str | None,
    share: bool,
    allow_trace: bool,
) -> Import:
    service = kind == SERVICE
    if share and not service:
        raise UsageError("only services can set the share property")
    if allow_trace and service:
        raise UsageError("only streams can set the allow-trace property")
    local = local_subject.strip() if local_subject is not None else ""
    if service and not local and activation is not None:
        # as nsc: a service imported with an activation token defaults its local subject to
        # the remote one; a public service import without one leaves it out (the server
        # then uses the subject)
        local = remote
    import_name = name.strip() if name is not None else ""
    if not import_name and activation is not None:
        import_name = activation.claims.name
    return Import(
        name=import_name or remote,
        subject=remote,
        account=exporter,
        token=activation.token if activation is not None else "",
        local_subject=local,
        type=kind,
        share=share,
        allow_trace=allow_trace,
    )


def _check_duplicate(claims: AccountClaims, imp: Import) -> None:
    for existing in claims.nats.imports:
        if (
            existing.type == imp.type
            and existing.account == imp.account
            and existing.subject == imp.subject
        ):
            raise ExistsError(
                f'account already imports {imp.type} "{imp.subject}" from {imp.account}'
            )


def _containing(exporting: AccountClaims, imp: Import, kind: str) -> list[Export]:
    return [
        e for e in exporting.nats.exports
        if e.type == kind and is_contained_in(imp.subject, e.subject)
    ]  # fmt: skip


def _no_export(exporting: AccountClaims, name: str, imp: Import, private: bool) -> NotFoundError:
    """The export is missing; say so, and point at an export of the other kind if there is one."""
    if not exporting.nats.exports:
        return NotFoundError(f'account "{name}" doesn\'t have exports')
    other = _containing(exporting, imp, STREAM if imp.is_service else SERVICE)
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
    return NotFoundError(
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
        raise StoreError(
            f'{imp.type} export "{candidates[0].subject}" of account "{name}" is private - '
            "an activation token is required",
            hint=f"ask for one: 'pynsc generate activation -a {name} "
                 f"--subject {imp.subject} --target-account {importer}', then use --token",
        )  # fmt: skip
    if not any(_token_position_ok(e, imp.subject, importer) for e in public):
        export = public[0]
        position = export.account_token_position
        raise StoreError(
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
        raise ClaimsError(
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
                raise ClaimsError(
                    f'the activation was revoked by account "{name}" '
                    f'({imp.type} export "{export.subject}")'
                )


# delete --------------------------------------------------------------------------------------


def delete_import(
    nsc: Nsc,
    subject: str | None = None,
    *,
    account: str | None = None,
    src_account: str | None = None,
    signer: str | KeyPair | None = None,
) -> ImportResult:
    """Delete the import of the remote ``subject`` from ``account`` (its only import when
    ``subject`` is None); ``src_account`` (an account of this operator, or an account public
    key) picks one when several exporters provide the subject."""
    report = Report()
    with update_account(nsc, account, report, signer=signer) as edit:
        claims = edit.claims
        exporter = _delete_source_key(edit.store, src_account) if src_account else None
        index = _find(claims, edit.name, (subject or "").strip(), exporter, src_account)
        removed = claims.nats.imports.pop(index)
    report.ok(f'deleted {removed.type} import "{removed.subject}"')
    report.data = {
        "account": edit.name,
        "import": {
            "name": removed.name,
            "subject": removed.subject,
            "account": removed.account,
            "type": removed.type,
        },
    }
    return ImportResult(report, edit.name, removed, edit.token)


def _delete_source_key(store: Store, value: str) -> str:
    """``src_account`` of a delete: an account of this operator by name, else taken as a public
    key (of an exporter that may be gone)."""
    text = value.strip()
    if store.has_account(text):
        return store.account(text).sub
    return text


def _find(
    claims: AccountClaims,
    account_name: str,
    subject: str,
    exporter: str | None,
    src_account: str | None,
) -> int:
    """The index of the import to delete, or an nsc-like error saying why there is none."""
    imports = claims.nats.imports
    if not imports:
        raise NotFoundError(f'account "{account_name}" doesn\'t have imports')
    if not subject:
        if len(imports) > 1:
            raise UsageError("subject is required")
        subject = imports[0].subject
    matching = [i for i, imp in enumerate(imports) if imp.subject == subject]
    if exporter is not None:
        matching = [i for i in matching if imports[i].account == exporter]
    if not matching:
        message = f'no import matching "{subject}" found'
        if src_account:
            message += f" from account {src_account.strip()}"
        raise NotFoundError(message)
    if len(matching) > 1:
        raise StoreError(_ambiguous(subject, [imports[i] for i in matching]))
    return matching[0]


def _ambiguous(subject: str, found: list[Import]) -> str:
    accounts = list(dict.fromkeys(imp.account for imp in found))
    if len(accounts) > 1:
        return (
            f'more than one import "{subject}" found - specify --src-account with one of '
            f"{', '.join(accounts)}"
        )
    # one exporter, a stream and a service import of the same subject
    kinds = ", ".join(imp.type for imp in found)
    return f'more than one import "{subject}" found from {accounts[0]} ({kinds})'
