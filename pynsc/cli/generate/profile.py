"""``pynsc generate profile nsc://OPERATOR[/ACCOUNT[/USER]][?OPTIONS]``: a JSON profile for tools.

The profile always has the operator's service URLs, and the user's creds file when a user is
named and its creds exist. Options (case-insensitive, ``&``-separated) add more:

* ``operatorKey``, ``accountKey``, ``userKey``: public keys; ``key`` the last entity's, ``keys``
  every entity's in the path;
* ``operatorSeed``, ``accountSeed``, ``userSeed`` (``=<public key>`` picks a signing key): seeds;
  ``seed`` the last entity's, ``seeds`` every entity's;
* ``operatorName``, ``accountName``, ``userName``, ``name``, ``names``: names;
* ``store=<dir>`` (the store root) and ``keystore=<dir>``.

Entities are matched by name, ignoring case, or by public key. The current context is not
changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, output_file_option

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims, OperatorClaims, UserClaims
    from pynsc.keys import KeyStore
    from pynsc.store import Store

PREFIX = "nsc://"
STDOUT = ("--", "-")
_ENTITIES = ("operator", "account", "user")
_WHATS = ("key", "seed", "name")
_OPTIONS = frozenset(
    {f"{entity}{what}" for entity in _ENTITIES for what in _WHATS}
    | set(_WHATS)
    | {f"{what}s" for what in _WHATS}
    | {"store", "keystore"}
)


@dataclass(frozen=True, slots=True)
class NscURL:
    operator: str
    account: str = ""
    user: str = ""
    options: dict[str, str] = field(default_factory=dict)

    @property
    def entities(self) -> list[str]:
        """The entities named in the path, in order."""
        values = (self.operator, self.account, self.user)
        return [e for e, v in zip(_ENTITIES, values, strict=True) if v]


def parse_nsc_url(text: str) -> NscURL:
    """``nsc://op[/acct[/user]][?opts]``: path segments URL-unescaped, option names lower-cased
    (their values keep their case)."""
    if not text.lower().startswith(PREFIX):
        raise click.UsageError("invalid nsc url: expecting 'nsc://'")
    path, _, query = text[len(PREFIX):].partition("?")
    if not path:
        raise click.UsageError("invalid nsc url: expecting an operator name")
    parts = [unquote(part) for part in path.split("/")]
    if len(parts) > 3 or not all(parts):
        raise click.UsageError(
            "invalid nsc url: expecting nsc://operator[/account[/user]]"
        )
    parts += [""] * (3 - len(parts))
    options: dict[str, str] = {}
    for item in query.split("&"):
        if not item:
            continue
        key, _, value = item.partition("=")
        key = key.lower()
        if key not in _OPTIONS:
            raise click.UsageError(f"invalid nsc url: unknown option {key!r}")
        options[key] = unquote(value)
    return NscURL(parts[0], parts[1], parts[2], options)


def _folded(value: str) -> str:
    return value.casefold()


def _find_operator(root: Path, wanted: str) -> tuple[Store, OperatorClaims]:
    from pynsc.claims.subjects import go_quote
    from pynsc.errors import NotFoundError, NscError
    from pynsc.store import Store, list_operators

    names = list_operators(root)
    exact = [n for n in names if _folded(n) == _folded(wanted)]
    for name in exact + [n for n in names if n not in exact]:
        store = Store(root, name)
        try:
            claims = store.operator()
        except NscError:
            continue
        if name in exact or _folded(wanted) in (_folded(claims.name), _folded(claims.sub)):
            return store, claims
    raise NotFoundError(
        f"invalid operator {go_quote(wanted)}: operator was not found in `{root}`"
    )


def _find_account(store: Store, wanted: str) -> tuple[str, AccountClaims]:
    from pynsc.claims.subjects import go_quote
    from pynsc.errors import NotFoundError

    name = store.account_named(wanted)
    if name is not None:
        return name, store.account(name)
    for name, claims in store.accounts():
        if _folded(wanted) in (_folded(claims.name), _folded(claims.sub)):
            return name, claims
    raise NotFoundError(f"invalid account {go_quote(wanted)}: account was not found")


def _find_user(store: Store, account: str, wanted: str) -> tuple[str, UserClaims]:
    from pynsc.claims.subjects import go_quote
    from pynsc.errors import NotFoundError

    if store.has_user(account, wanted):
        return wanted, store.user(account, wanted)
    names = store.user_names(account)
    for name in names:
        if _folded(name) == _folded(wanted):
            return name, store.user(account, name)
    for name in names:
        claims = store.user(account, name)
        if _folded(wanted) in (_folded(claims.name), _folded(claims.sub)):
            return name, claims
    raise NotFoundError(f"invalid user {go_quote(wanted)}: user was not found")


def _seed(keystore: KeyStore, wanted: str, keys: list[str]) -> str:
    """The seed of ``wanted`` (one of ``keys``), or of the first of ``keys`` that is stored."""
    from pynsc.claims.subjects import go_quote
    from pynsc.errors import KeyStoreError, NotFoundError

    if wanted:
        key = wanted.strip().upper()
        if key not in keys:
            raise NotFoundError(f"{go_quote(key)} was not found")
        candidates = [key]
    else:
        candidates = keys
    for key in candidates:
        pair = keystore.get(key)
        if pair is not None and pair.seed is not None:
            return pair.seed
    raise KeyStoreError(f"no seed was found for {go_quote(candidates[0])}")


@command("profile", short_help="Generate a profile from an nsc:// URL, for tooling.")
@click.argument("url", metavar="nsc://OPERATOR[/ACCOUNT[/USER]][?OPTIONS]")
@output_file_option
@json_option
@pass_app
def generate_profile(app: App, *, url: str, output_file: str | None, as_json: bool) -> None:
    """Print a JSON profile of an operator, account or user: service URLs, the user's creds
    file, and the keys, seeds and names the options ask for.

    Options: [operator|account|user]Key, key, keys; [operator|account|user]Seed[=<public
    key>], seed, seeds; [operator|account|user]Name, name, names; store=<dir>;
    keystore=<dir>. Example: nsc://O/A/U?userSeed&accountKey
    """
    from pynsc._fs import atomic_write
    from pynsc.cli.output import display_path
    from pynsc.keys import KeyStore
    from pynsc.store.report import Report

    nsc = parse_nsc_url(url)
    options = nsc.options
    root = app.context.store_root
    if "store" in options:
        root = Path(options["store"]).expanduser().absolute()
    keystore = KeyStore(options["keystore"]) if "keystore" in options else app.keystore

    store, operator = _find_operator(root, nsc.operator)
    names = {"operator": store.name}
    keys: dict[str, list[str]] = {"operator": [operator.sub, *operator.nats.signing_keys]}
    if nsc.account:
        account_name, account = _find_account(store, nsc.account)
        names["account"] = account.name
        keys["account"] = [account.sub, *account.nats.signing_keys]
    if nsc.user:
        user_name, user = _find_user(store, account_name, nsc.user)
        names["user"] = user.name
        keys["user"] = [user.sub]

    last = nsc.entities[-1]
    details: dict[str, dict[str, Any]] = {entity: {} for entity in nsc.entities}
    if operator.nats.operator_service_urls:
        details["operator"]["service"] = list(operator.nats.operator_service_urls)
    for what in _WHATS:
        targets = {e: options[e + what] for e in nsc.entities if e + what in options}
        if what in options:
            targets.setdefault(last, options[what])
        if what + "s" in options:
            for entity in nsc.entities:
                targets.setdefault(entity, "")
        for entity in nsc.entities:
            if entity not in targets:
                continue
            if what == "name":
                details[entity]["name"] = names[entity]
            elif what == "seed":
                details[entity]["seed"] = _seed(keystore, targets[entity], keys[entity])
            else:
                details[entity]["id"] = keys[entity][0]

    profile: dict[str, Any] = {}
    if nsc.user:
        creds = keystore.creds_path(store.name, account_name, user_name)
        if creds.is_file():
            profile["user_creds"] = str(creds)
    for entity in _ENTITIES:
        if entity in details and (details[entity] or entity == "operator"):
            ordered = {k: details[entity][k] for k in ("service", "name", "seed", "id")
                       if k in details[entity]}  # fmt: skip
            profile[entity] = ordered
    text = json.dumps(profile, indent=2) + "\n"

    report = Report(data=profile)
    if output_file is None or output_file in STDOUT:
        if not as_json:
            report.data = text
        app.output.report(report, as_json=as_json)
        return
    path = Path(output_file).expanduser().absolute()
    atomic_write(path, text)
    report.ok(f"wrote tool configuration to {display_path(path)}")
    app.output.report(report, as_json=as_json)
