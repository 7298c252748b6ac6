"""``pynsc edit operator``: signing keys, tags, URLs, the system account, strict mode, validity.

The operator JWT is re-signed by the operator identity key (``-K`` or the keystore). Every flag is
checked, and every new key made, before anything is written; keys are stored just before the
JWT.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, time_options
from pynsc.cli.params import split_list

if TYPE_CHECKING:
    from pynsc.claims import OperatorClaims
    from pynsc.cli.params import TimeFlags
    from pynsc.keys import KeyPair, KeyStore
    from pynsc.store import Store
    from pynsc.store.report import Report

_MISSING = "\0missing"
"""What ``--sk`` holds when given without a value (cobra: ``flag needs an argument``)."""

_ASU_SCHEMES = ("http", "https", "nats", "tls", "ws", "wss")
_TRUE = ("1", "t", "true", "y", "yes", "on")
_FALSE = ("0", "f", "false", "n", "no", "off")


def _bool(ctx: click.Context, param: click.Parameter, value: str | None) -> bool | None:
    if value is None:
        return None
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise click.BadParameter(f"{value!r} is not a boolean (true or false)")


def _keys(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    if _MISSING in value:
        raise click.UsageError(f"flag needs an argument: {param.opts[0]}", ctx)
    return split_list(value)


def _list(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    return split_list(value)


@dataclass(frozen=True, slots=True)
class _Edits:
    signing_keys: tuple[str, ...]
    rm_signing_keys: tuple[str, ...]
    tags: tuple[str, ...]
    rm_tags: tuple[str, ...]
    account_server_url: str | None
    rm_account_server_url: bool
    system_account: str | None
    service_urls: tuple[str, ...]
    rm_service_urls: tuple[str, ...]
    require_signing_keys: bool | None
    times: TimeFlags

    def is_empty(self) -> bool:
        return (
            not any((self.signing_keys, self.rm_signing_keys, self.tags, self.rm_tags,
                     self.service_urls, self.rm_service_urls, self.rm_account_server_url))
            and self.account_server_url is None
            and self.system_account is None
            and self.require_signing_keys is None
            and self.times.is_empty()
        )  # fmt: skip


@command("operator", short_help="Edit the operator.")
@click.option(
    "--sk", "signing_keys", multiple=True, is_flag=False, flag_value=_MISSING, callback=_keys,
    metavar="KEY", help="Add a signing key: a public key, seed, file, or 'generate' "
    "(comma list or repeated).",
)
@click.option(
    "--rm-sk", "rm_signing_keys", multiple=True, callback=_list, metavar="KEY",
    help="Remove a signing key (comma list or repeated).",
)
@click.option("--tag", "tags", multiple=True, callback=_list, help="Add tags.")
@click.option("--rm-tag", "rm_tags", multiple=True, callback=_list, help="Remove tags.")
@click.option(
    "-u", "--account-jwt-server-url", "account_server_url", default=None, metavar="URL",
    help="Set the account JWT server URL (http/https, or nats/tls/ws/wss for a resolver).",
)
@click.option(
    "--rm-account-jwt-server-url", "rm_account_server_url", is_flag=True, default=False,
    help="Clear the account JWT server URL.",
)
@click.option(
    "--system-account", "system_account", default=None, metavar="NAME|KEY",
    help="Set the system account, by name or public key.",
)
@click.option(
    "-n", "--service-url", "service_urls", multiple=True, callback=_list, metavar="URL",
    help="Add an operator service URL (nats/tls/ws/wss) where clients reach NATS.",
)
@click.option(
    "--rm-service-url", "rm_service_urls", multiple=True, callback=_list, metavar="URL",
    help="Remove an operator service URL.",
)
@click.option(
    "--require-signing-keys", "require_signing_keys", is_flag=False, flag_value="true",
    default=None, callback=_bool, metavar="[=BOOL]",
    help="Require accounts and users to be issued by signing keys (strict mode); "
    "--require-signing-keys=false turns it off.",
)
@time_options
@json_option
@pass_app
def edit_operator(app: App, /, *, as_json: bool, **flags: Any) -> None:
    """Edit the current operator (or the one chosen with --operator)."""
    from pynsc.store.report import Report

    edits = _Edits(**flags)
    if edits.is_empty() and not app.interactive:
        raise click.UsageError("specify an edit option")
    if edits.account_server_url is not None and edits.rm_account_server_url:
        raise click.UsageError(
            "--account-jwt-server-url and --rm-account-jwt-server-url are mutually exclusive"
        )
    store = app.context.store()
    keystore = app.keystore
    report = Report()
    with store.lock():
        claims = store.operator()
        signer = _identity(store, keystore, claims, app.private_key)
        new_keys = _apply(store, keystore, claims, edits, report, now=int(time.time()))
        from pynsc.cli.init import sign

        token = sign(claims, signer)
        for pair in new_keys:
            keystore.store(pair)
        store.write_operator(token)
    report.ok(f'edited operator "{claims.name}"')
    report.data = {"name": claims.name, "public_key": claims.sub, "jwt": token}
    app.output.report(report, as_json=as_json)


def _identity(
    store: Store, keystore: KeyStore, claims: OperatorClaims, private_key: str | None
) -> KeyPair:
    """The operator identity key, with its seed: the operator JWT is self-signed."""
    from pynsc.errors import InvalidKeyError
    from pynsc.keys import KeyKind
    from pynsc.store.signers import select_signer

    signer = select_signer(
        keystore, private_key=private_key, candidates=[claims.sub], kinds=(KeyKind.OPERATOR,)
    )
    if signer.public_key != claims.sub:
        raise InvalidKeyError(
            f"the operator JWT must be signed by the operator identity {claims.sub}",
            hint="pass its seed with -K, or leave -K out to use the stored one",
        )
    return signer


def _apply(
    store: Store,
    keystore: KeyStore,
    claims: OperatorClaims,
    edits: _Edits,
    report: Report,
    *,
    now: int,
) -> list[KeyPair]:
    """Apply ``edits`` to ``claims`` (nothing written); the new keys to store."""
    from pynsc.claims.subjects import go_quote
    from pynsc.claims.validation import operator_service_url_error
    from pynsc.cli._users import add_tags, remove_tags
    from pynsc.errors import InvalidKeyError, StoreError

    nats = claims.nats
    for line in edits.times.apply(claims, now):
        report.ok(line)
    for tag in add_tags(nats.tags, edits.tags):
        report.ok(f"added tag {go_quote(tag)}")
    for tag in remove_tags(nats.tags, edits.rm_tags):
        report.ok(f"removed tag {go_quote(tag)}")

    new_keys = []
    for value in edits.signing_keys:
        pair = _signing_key(value, keystore)
        if pair.public_key == claims.sub:
            raise InvalidKeyError("the operator identity cannot also be its signing key")
        if pair.seed is not None and value.strip() != pair.public_key:
            new_keys.append(pair)
        if pair.public_key not in nats.signing_keys:
            nats.signing_keys.append(pair.public_key)
        report.ok(f"added signing key {go_quote(pair.public_key)}")
    for key in edits.rm_signing_keys:
        if key not in nats.signing_keys:
            raise StoreError(
                f"{go_quote(key)} is not a signing key of operator {go_quote(claims.name)}"
            )
        nats.signing_keys.remove(key)
        report.ok(f"removed signing key {go_quote(key)}")

    if edits.require_signing_keys is not None:
        if edits.require_signing_keys:
            _check_strict(store, claims)
        if nats.strict_signing_key_usage != edits.require_signing_keys:
            nats.strict_signing_key_usage = edits.require_signing_keys
            flag = "true" if edits.require_signing_keys else "false"
            report.ok(f"strict signing key usage set to: {flag}")
    if nats.strict_signing_key_usage and not nats.signing_keys:
        raise StoreError("operator requires at least one signing key")

    if edits.account_server_url is not None:
        url = edits.account_server_url.strip()
        _check_account_server_url(url)
        nats.account_server_url = url
        report.ok(f"set account jwt server url to {go_quote(url)}")
    if edits.rm_account_server_url:
        nats.account_server_url = ""
        report.ok("removed account server url")

    if edits.system_account is not None:
        key = _system_account(store, edits.system_account)
        if nats.system_account != key:
            nats.system_account = key
            report.ok(f"set system account {go_quote(key)}")

    for url in edits.service_urls:
        problem = operator_service_url_error(url)
        if problem:
            raise StoreError(problem)
        if url.lower() not in nats.operator_service_urls:
            nats.operator_service_urls.append(url.lower())
        report.ok(f"added service url {go_quote(url)}")
    for url in edits.rm_service_urls:
        if url.lower() not in nats.operator_service_urls:
            raise StoreError(
                f"{go_quote(url)} is not a service url of operator {go_quote(claims.name)}"
            )
        nats.operator_service_urls.remove(url.lower())
        report.ok(f"removed service url {go_quote(url)}")
    return [pair for pair in new_keys if not keystore.has(pair.public_key)]


def _signing_key(value: str, keystore: KeyStore) -> KeyPair:
    """A ``--sk`` value as an operator key: ``generate`` makes one."""
    from pynsc.errors import InvalidKeyError
    from pynsc.keys import KeyKind, generate
    from pynsc.store.signers import load_key

    if value.strip() == "generate":
        return generate(KeyKind.OPERATOR)
    try:
        pair = load_key(value, keystore)
    except InvalidKeyError as e:
        raise InvalidKeyError(f"invalid operator signing key: {e}") from e
    if pair.kind is not KeyKind.OPERATOR:
        raise InvalidKeyError(
            f"invalid operator signing key: {pair.public_key} is not an operator key"
        )
    return pair


def _check_account_server_url(url: str) -> None:
    from urllib.parse import urlsplit

    from pynsc.claims.subjects import go_quote
    from pynsc.errors import StoreError

    scheme = urlsplit(url).scheme.lower()
    if scheme not in _ASU_SCHEMES or not urlsplit(url).netloc:
        raise StoreError(
            f"invalid account jwt server url {go_quote(url)}: "
            "an http, https, nats, tls, ws or wss url is required"
        )


def _system_account(store: Store, value: str) -> str:
    """The public key of the account named (or keyed) ``value``, after the JetStream check."""
    from pynsc.errors import NotFoundError, StoreError
    from pynsc.keys import KeyKind, is_public_key

    text = value.strip()
    if not text:
        raise click.BadParameter("an account name or public key is required",
                                 param_hint="'--system-account'")
    try:
        name = store.find_account(text)
    except NotFoundError:
        if is_public_key(text, KeyKind.ACCOUNT):
            return text  # an account that is not (yet) in this store
        raise NotFoundError(
            f"account {text} does not exist in the current operator",
            hint="list them with 'pynsc list accounts'",
        ) from None
    account = store.account(name)
    limits = account.nats.limits
    rerun = f'"pynsc edit account {name} --js-disable"'
    if limits.tiered_limits:
        raise StoreError(
            f"system accounts cannot have tiered JetStream limits - run {rerun} first"
        )
    js = limits.jetstream
    if any((js.streams, js.consumer, js.max_ack_pending, js.disk_max_stream_bytes,
            js.mem_max_stream_bytes, js.disk_storage, js.mem_storage, js.max_bytes_required)):
        raise StoreError(f"system accounts cannot have JetStream limits - run {rerun} first")
    return account.sub


def _check_strict(store: Store, claims: OperatorClaims) -> None:
    """Strict mode needs every account issued by a signing key, and every user too."""
    from pynsc.claims.subjects import go_quote
    from pynsc.errors import StoreError

    for name, account in store.accounts():
        if account.iss == claims.sub:
            raise StoreError(
                f"account {go_quote(name)} needs to be issued with a signing key first",
                hint=f"re-sign it: 'pynsc edit account {name} -K <operator signing key>'",
            )
        for user in store.user_names(name):
            if store.user(name, user).iss == account.sub:
                raise StoreError(
                    f"user {go_quote(user)} in account {go_quote(name)} needs to be issued "
                    "with a signing key first"
                )
