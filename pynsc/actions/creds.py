"""What the ``generate`` commands make of a store: creds files, nats CLI contexts, tool profiles
and fresh nkeys.

The rules, all here and nowhere else:

* creds are of a named user (by name or public key) or the account's only user, and need the
  user's seed in the keystore;
* a nats CLI context needs a name without path separators and a user whose creds file is
  stored; it points at that file and the operator's first service URL;
* a profile URL is ``nsc://operator[/account[/user]][?options]``: its entities are matched by
  name ignoring case, or by public key; its options (case-insensitive) ask for keys, seeds and
  names, of one entity (``userKey``), of the last one (``key``) or of all (``keys``), a seed
  possibly of one signing key (``accountSeed=<key>``), and may point at another store root
  (``store=``) and keystore (``keystore=``);
* nkeys are generated of at least one kind, and stored only when asked (their seeds are then
  never returned).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pynsc._fs import atomic_write
from pynsc.actions.session import Nsc
from pynsc.actions.users import Creds, find_user
from pynsc.claims import AccountClaims, OperatorClaims, UserClaims
from pynsc.claims.subjects import go_quote
from pynsc.errors import KeyStoreError, NotFoundError, NscError, StoreError, UsageError
from pynsc.keys import KeyKind, KeyStore, generate, write_creds
from pynsc.store import Store
from pynsc.store.context import Context
from pynsc.store.report import Report
from pynsc.text import display_path

__all__ = [
    "PROFILE_OPTIONS",
    "CredsFile",
    "GeneratedKey",
    "GeneratedKeys",
    "NatsContext",
    "NscURL",
    "Profile",
    "generate_context",
    "generate_creds",
    "generate_nkeys",
    "generate_profile",
    "parse_nsc_url",
]

PathLike = str | os.PathLike[str]

# Creds ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class CredsFile:
    """A user's creds (:func:`generate_creds`), and where they were written, if anywhere.

    The report's data is ``{"account", "name", "creds"}``, or ``{"account", "name", "path"}``
    once written.
    """

    report: Report
    account: str
    name: str
    creds: Creds
    path: Path | None = None

    @property
    def text(self) -> str:
        """The ``.creds`` file content."""
        return self.creds.text


def generate_creds(
    nsc: Nsc,
    name: str | None = None,
    *,
    account: str | None = None,
    output: PathLike | None = None,
) -> CredsFile:
    """The creds of user ``name`` (name or public key; default: the account's only user) of
    ``account`` (default: the current one), from its JWT and stored seed; written to
    ``output`` (0600, atomically) when given."""
    store = nsc.store()
    account_name = nsc.require_account(account)
    user = find_user(store, account_name, name, required="user is required")
    token = store.user_token(account_name, user)
    claims = store.user(account_name, user)
    pair = nsc.keystore.get(claims.sub)
    if pair is None or pair.seed is None:
        raise KeyStoreError(
            f'the seed of user "{user}" ({claims.sub}) is not in the keystore',
            hint="import it with 'pynsc import keys' or pass its creds to 'pynsc import user'",
        )
    creds = Creds(token, pair.seed, claims)
    report = Report()
    if output is None:
        report.data = {"account": account_name, "name": user, "creds": creds.text}
        return CredsFile(report, account_name, user, creds)
    path = write_creds(Path(os.path.expanduser(output)).absolute(), creds.text)
    report.ok(f"generated {display_path(path)}")
    report.data = {"account": account_name, "name": user, "path": str(path)}
    return CredsFile(report, account_name, user, creds, path)


# nats CLI contexts ---------------------------------------------------------------------------


@dataclass(slots=True)
class NatsContext:
    """A nats CLI context file written by :func:`generate_context`: where, and what it says
    (``{"nsc", "url", "creds"}``). The report's data is ``{"path", "context"}``."""

    report: Report
    path: Path
    content: dict[str, str]


def _context_name(name: str) -> str:
    """``name`` stripped, when it can name a nats CLI context file."""
    name = name.strip()
    if not name:
        raise UsageError("context name is required")
    if "/" in name or "\\" in name:
        raise UsageError("context name cannot contain filepath separators")
    return name


def _context_user(store: Store, account: str, user: str | None) -> str:
    if not user and store.only_user(account) is None and not store.user_names(account):
        raise StoreError(f"account {go_quote(account)} has no users")
    return find_user(store, account, user)


def generate_context(
    nsc: Nsc, name: str, *, account: str | None = None, user: str | None = None
) -> NatsContext:
    """Write the nats CLI context ``name`` (``<name>.json`` in the nats CLI's context
    directory) for ``user`` (default: the account's only user) of ``account`` (default: the
    current one), whose creds file must be stored."""
    name = _context_name(name)
    store = nsc.store()
    account_name = nsc.require_account(account)
    user_name = _context_user(store, account_name, user)
    creds = nsc.keystore.creds_path(store.name, account_name, user_name)
    if nsc.keystore.read_creds(store.name, account_name, user_name) is None:
        raise NotFoundError(
            f"creds file {display_path(creds)} - doesn't exist - pynsc generate creds first"
        )
    operator = store.operator()
    content: dict[str, str] = {"nsc": f"nsc://{store.name}/{account_name}/{user_name}"}
    if operator.nats.operator_service_urls:
        content["url"] = operator.nats.operator_service_urls[0]
    content["creds"] = str(creds)
    file_name = name if name.endswith(".json") else f"{name}.json"
    path = nsc.context.paths.nats_context_dir / file_name
    atomic_write(path, json.dumps(content, separators=(",", ":")))
    report = Report(data={"path": str(path), "context": content})
    report.ok(f"wrote nats cli context file to {display_path(path)}")
    return NatsContext(report, path, content)


# Profiles ------------------------------------------------------------------------------------

PREFIX = "nsc://"
_ENTITIES = ("operator", "account", "user")
_WHATS = ("key", "seed", "name")
PROFILE_OPTIONS = frozenset(
    {f"{entity}{what}" for entity in _ENTITIES for what in _WHATS}
    | set(_WHATS)
    | {f"{what}s" for what in _WHATS}
    | {"store", "keystore"}
)
"""The options of an ``nsc://`` URL, lower-cased."""


@dataclass(frozen=True, slots=True)
class NscURL:
    """``nsc://operator[/account[/user]][?options]``, parsed."""

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
    if text[: len(PREFIX)].lower() != PREFIX:
        raise UsageError("invalid nsc url: expecting 'nsc://'")
    path, _, query = text[len(PREFIX):].partition("?")
    if not path:
        raise UsageError("invalid nsc url: expecting an operator name")
    parts = [unquote(part) for part in path.split("/")]
    if len(parts) > 3 or not all(parts):
        raise UsageError("invalid nsc url: expecting nsc://operator[/account[/user]]")
    parts += [""] * (3 - len(parts))
    options: dict[str, str] = {}
    for item in _query_items(query):
        key, _, value = item.partition("=")
        key = key.lower()
        if key not in PROFILE_OPTIONS:
            raise UsageError(f"invalid nsc url: unknown option {key!r}")
        options[key] = unquote(value)
    return NscURL(parts[0], parts[1], parts[2], options)


def _query_items(query: str) -> Iterator[str]:
    """The non-empty ``&``-separated items of ``query``, one at a time (a bad one stops the
    parse before the rest is even split)."""
    start = 0
    while start <= len(query):
        end = query.find("&", start)
        if end < 0:
            end = len(query)
        if end > start:
            yield query[start:end]
        start = end + 1


@dataclass(slots=True)
class Profile:
    """A tool profile (:func:`generate_profile`): the operator's service URLs, the user's
    creds file, and the keys, seeds and names asked for. The report's data is :attr:`data`."""

    report: Report
    data: dict[str, Any]
    path: Path | None = None

    @property
    def text(self) -> str:
        """The profile as its file holds it: JSON, 2-space indented, newline-terminated."""
        return json.dumps(self.data, indent=2) + "\n"


def _folded(value: str) -> str:
    return value.casefold()


def _find_operator(nsc: Nsc, wanted: str) -> tuple[Store, OperatorClaims]:
    names = nsc.operators()
    exact = [n for n in names if _folded(n) == _folded(wanted)]
    for name in exact + [n for n in names if n not in exact]:
        try:
            store = nsc.store(name)
            claims = store.operator()
        except NscError:
            continue
        if name in exact or _folded(wanted) in (_folded(claims.name), _folded(claims.sub)):
            return store, claims
    raise NotFoundError(
        f"invalid operator {go_quote(wanted)}: operator was not found in `{nsc.store_root}`"
    )


def _find_account(store: Store, wanted: str) -> tuple[str, AccountClaims]:
    name = store.account_named(wanted)
    if name is not None:
        return name, store.account(name)
    for name, claims in store.accounts():
        if _folded(wanted) in (_folded(claims.name), _folded(claims.sub)):
            return name, claims
    raise NotFoundError(f"invalid account {go_quote(wanted)}: account was not found")


def _find_user(store: Store, account: str, wanted: str) -> tuple[str, UserClaims]:
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


def _profile_source(nsc: Nsc, options: dict[str, str]) -> tuple[Nsc, KeyStore]:
    """Where a profile's entities and seeds are read: ``nsc``, else the ``store=`` root and
    the ``keystore=`` keystore its options name."""
    keystore = KeyStore(options["keystore"]) if "keystore" in options else nsc.keystore
    if "store" not in options:
        return nsc, keystore
    root = Path(os.path.expanduser(options["store"])).absolute()
    return Nsc(Context(paths=nsc.context.paths, store_root=root), keystore), keystore


def generate_profile(nsc: Nsc, url: str | NscURL, *, output: PathLike | None = None) -> Profile:
    """The profile an ``nsc://`` URL asks for (see the module docstring); written to
    ``output`` (0600, atomically) when given. The current context is not changed."""
    parsed = url if isinstance(url, NscURL) else parse_nsc_url(url)
    options = parsed.options
    source, keystore = _profile_source(nsc, options)

    store, operator = _find_operator(source, parsed.operator)
    names = {"operator": store.name}
    keys: dict[str, list[str]] = {"operator": [operator.sub, *operator.nats.signing_keys]}
    account_name = user_name = ""
    if parsed.account:
        account_name, account = _find_account(store, parsed.account)
        names["account"] = account.name
        keys["account"] = [account.sub, *account.nats.signing_keys]
    if parsed.user:
        user_name, user = _find_user(store, account_name, parsed.user)
        names["user"] = user.name
        keys["user"] = [user.sub]

    last = parsed.entities[-1]
    details: dict[str, dict[str, Any]] = {entity: {} for entity in parsed.entities}
    if operator.nats.operator_service_urls:
        details["operator"]["service"] = list(operator.nats.operator_service_urls)
    for what in _WHATS:
        targets = {e: options[e + what] for e in parsed.entities if e + what in options}
        if what in options:
            targets.setdefault(last, options[what])
        if what + "s" in options:
            for entity in parsed.entities:
                targets.setdefault(entity, "")
        for entity in parsed.entities:
            if entity not in targets:
                continue
            if what == "name":
                details[entity]["name"] = names[entity]
            elif what == "seed":
                details[entity]["seed"] = _seed(keystore, targets[entity], keys[entity])
            else:
                details[entity]["id"] = keys[entity][0]

    profile: dict[str, Any] = {}
    if parsed.user and keystore.read_creds(store.name, account_name, user_name) is not None:
        profile["user_creds"] = str(keystore.creds_path(store.name, account_name, user_name))
    for entity in _ENTITIES:
        if entity in details and (details[entity] or entity == "operator"):
            ordered = {k: details[entity][k] for k in ("service", "name", "seed", "id")
                       if k in details[entity]}  # fmt: skip
            profile[entity] = ordered

    result = Profile(Report(data=profile), profile)
    if output is not None:
        result.path = Path(os.path.expanduser(output)).absolute()
        atomic_write(result.path, result.text)
        result.report.ok(f"wrote tool configuration to {display_path(result.path)}")
    return result


# nkeys ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeneratedKey:
    """A new key: its kind and public key, its seed unless it was stored, and where it was."""

    kind: KeyKind
    public_key: str
    seed: str | None
    path: Path | None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind.value, "public_key": self.public_key}
        if self.seed is not None:
            out["seed"] = self.seed
        if self.path is not None:
            out["path"] = str(self.path)
        return out


@dataclass(slots=True)
class GeneratedKeys:
    """What :func:`generate_nkeys` made; the report's data is ``[GeneratedKey.to_json()]``."""

    report: Report
    keys: list[GeneratedKey]


def _kind(kind: KeyKind | str) -> KeyKind:
    try:
        return KeyKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in KeyKind)
        raise UsageError(f"{kind!r} is not a kind of key ({choices})") from None


def generate_nkeys(
    nsc: Nsc, kinds: Iterable[KeyKind | str], *, store: bool = False
) -> GeneratedKeys:
    """A new key of each of ``kinds`` (operator, account, user, curve; once each, in the order
    given); with ``store`` the seeds go to the keystore and are not returned."""
    wanted = list(dict.fromkeys(_kind(kind) for kind in kinds))
    if not wanted:
        raise UsageError("specify at least one of --operator, --account, --user or --curve")
    report = Report()
    keys = []
    for kind in wanted:
        pair = generate(kind)
        path = nsc.keystore.store(pair) if store else None
        keys.append(GeneratedKey(kind, pair.public_key, None if store else pair.seed, path))
        if path is not None:
            report.ok(f"{kind.value} key stored {display_path(path)}")
    report.data = [key.to_json() for key in keys]
    return GeneratedKeys(report, keys)
