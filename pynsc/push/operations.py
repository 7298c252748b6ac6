"""Push, pull, diff, prune and remove accounts for a store: the calls ``pynsc push``/``pull``
make, and scripts can make.

The target is an account server (``http://``, ``https://``: :mod:`pynsc.push.http`) or
nats-servers with a nats resolver (``nats://``, ``tls://``, ``ws://``, ``wss://``:
:mod:`pynsc.push.resolver`), chosen from the URL: the one given, else the operator's
``account_server_url``, else its service URLs. Resolver requests are made as a system-account
user (:mod:`pynsc.push.sysuser`).

Every function returns a plain result object (what was sent, who answered, what they said) and
raises :class:`~pynsc.errors.PushError` (or another :class:`~pynsc.errors.NscError`) only when
nothing could be done at all: no URL, accounts that do not validate, no server reachable. The
functions are synchronous; from inside an event loop, run them with ``asyncio.to_thread``.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Coroutine, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pynsc.claims import AccountClaims, GenericClaims, OperatorClaims, decode, encode, validate
from pynsc.claims.subjects import go_quote
from pynsc.errors import NscError, PushError, StoreError
from pynsc.keys import KeyKind, KeyPair, KeyStore
from pynsc.push import http
from pynsc.push.client import connect, is_nats_url, split_urls
from pynsc.push.resolver import (
    DEFAULT_TIMEOUT,
    ResolverClient,
    ServerAccounts,
    ServerReply,
    delete_subject,
    list_subject,
    pack_subject,
    ping_subject,
)
from pynsc.push.sysuser import SystemAccount, SystemUser, system_account, system_user
from pynsc.push.tls import TlsOptions
from pynsc.store import Store
from pynsc.store.signers import select_signer

__all__ = [
    "MAX_TIMEOUT",
    "MIN_TIMEOUT",
    "AccountPush",
    "DiffResult",
    "Mode",
    "PruneResult",
    "PullResult",
    "PulledAccount",
    "PushResult",
    "ServerOptions",
    "Target",
    "check_pushable",
    "diff_accounts",
    "prune_accounts",
    "pull_accounts",
    "push_accounts",
    "pushable_accounts",
    "remove_accounts",
    "resolve_target",
]

MIN_TIMEOUT = 1.0
MAX_TIMEOUT = 60.0

T = TypeVar("T")
Mode = Literal["nats", "http"]
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """How to reach the servers: ``url`` overrides the operator's; ``timeout`` is the longest
    wait for a reply (1-60 s); ``system_account``/``system_user`` pick the resolver user."""

    url: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    system_account: str | None = None
    system_user: str | None = None
    tls: TlsOptions = field(default_factory=TlsOptions)

    def __post_init__(self) -> None:
        if not MIN_TIMEOUT <= self.timeout <= MAX_TIMEOUT:
            raise PushError(
                f"timeout {self.timeout:g} is out of range",
                hint=f"use {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g} seconds",
            )


@dataclass(frozen=True, slots=True)
class Target:
    """Where to push: the server URLs and whether they are an account server or resolvers."""

    urls: tuple[str, ...]
    mode: Mode

    @property
    def url(self) -> str:
        return ",".join(self.urls)


def resolve_target(operator: OperatorClaims, url: str | None = None) -> Target:
    """``url``, else the operator's ``account_server_url``, else its service URLs."""
    if url is not None and url.strip():
        chosen = split_urls(url)
    elif operator.nats.account_server_url.strip():
        chosen = split_urls(operator.nats.account_server_url)
    else:
        chosen = split_urls(operator.nats.operator_service_urls)
    if not chosen:
        raise PushError(
            "no account server url or nats-server url was provided by the operator jwt",
            hint="pass -u nats://host:port, or set one with 'pynsc edit operator "
            "--account-jwt-server-url URL' (or --service-url URL)",
        )
    if all(http.is_http_url(u) for u in chosen):
        if len(chosen) > 1:
            raise PushError("give one account server url, not several")
        return Target((chosen[0].strip(),), "http")
    for candidate in chosen:
        if not is_nats_url(candidate):
            raise PushError(
                f"{candidate!r} is neither an account server url nor a nats-server url",
                hint="use http(s):// for an account server, nats://, tls://, ws:// or wss:// "
                "for nats-servers",
            )
    return Target(tuple(u.strip() for u in chosen), "nats")


# Results ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class AccountPush:
    """One account pushed: who answered and what they said; ``error`` when nothing did."""

    name: str
    key: str
    replies: list[ServerReply] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        """At least one server took it."""
        return any(reply.ok for reply in self.replies)

    @property
    def servers(self) -> list[str]:
        return [reply.server for reply in self.replies]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "account": self.key,
            "ok": self.ok,
            "error": self.error,
            "servers": [reply.to_dict() for reply in self.replies],
        }


@dataclass(slots=True)
class PushResult:
    """What ``push`` did: one :class:`AccountPush` per account, in the order pushed."""

    target: Target
    accounts: list[AccountPush]
    system_account: str = ""
    system_user: str = ""

    @property
    def ok(self) -> bool:
        """Every account reached at least one server."""
        return all(account.ok for account in self.accounts)

    @property
    def servers(self) -> list[str]:
        """Every server that answered, sorted."""
        return sorted({s for account in self.accounts for s in account.servers})

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.target.url,
            "mode": self.target.mode,
            "system_account": self.system_account,
            "system_user": self.system_user,
            "servers": self.servers,
            "accounts": [account.to_dict() for account in self.accounts],
        }


@dataclass(slots=True)
class DiffResult:
    """The accounts each server holds, against the store's."""

    target: Target
    servers: list[ServerAccounts]
    local: dict[str, str]
    system_account: str

    def name_of(self, key: str) -> str:
        return self.local.get(key, "")

    @property
    def only_on_servers(self) -> list[str]:
        """Account keys some server holds that the store does not have (sorted)."""
        return sorted({k for s in self.servers for k in s.accounts if k not in self.local})

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.target.url,
            "servers": [
                {
                    "server": s.server,
                    "server_id": s.server_id,
                    "accounts": [
                        {"account": key, "name": self.name_of(key), "local": key in self.local}
                        for key in s.accounts
                    ],
                }
                for s in self.servers
            ],
            "only_on_servers": self.only_on_servers,
        }


@dataclass(slots=True)
class PruneResult:
    """Accounts deleted from the servers, and each server's answer to the delete request."""

    target: Target
    requested: list[str]
    replies: list[ServerReply]
    diff: DiffResult | None = None
    expected_servers: int = 0

    @property
    def ok(self) -> bool:
        if not self.requested:
            return True
        return bool(self.replies) and all(reply.ok for reply in self.replies)

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.target.url,
            "deleted": self.requested,
            "servers": [reply.to_dict() for reply in self.replies],
            "diff": None if self.diff is None else self.diff.to_dict(),
        }


PullStatus = Literal["stored", "unchanged", "newer-local", "error"]


@dataclass(frozen=True, slots=True)
class PulledAccount:
    """One account pulled: stored, unchanged, kept (the local JWT is newer) or refused."""

    name: str
    key: str
    status: PullStatus
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "account": self.key, "status": self.status,
                "message": self.message}  # fmt: skip


@dataclass(slots=True)
class PullResult:
    target: Target
    accounts: list[PulledAccount]
    operator: PullStatus | None = None
    operator_message: str = ""

    @property
    def ok(self) -> bool:
        return self.operator != "error" and all(
            a.status in ("stored", "unchanged") for a in self.accounts
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.target.url,
            "mode": self.target.mode,
            "operator": self.operator,
            "accounts": [a.to_dict() for a in self.accounts],
        }


# Checks before pushing ----------------------------------------------------------------------------


def check_pushable(
    name: str, claims: AccountClaims, operator: OperatorClaims, *, managed: bool = False
) -> None:
    """Refuse an account nats-server would not use: validation errors or time issues (nsc's
    ``unable to push account "A" as it has validation issues``), or, unless the operator is
    ``managed`` (self-signed accounts), an issuer that is not the operator or one of its
    signing keys.

    Validation may normalise some fields of ``claims`` (a trace sampling of 0 becomes 100): pass
    a copy of claims you keep.
    """
    results = validate(claims)
    problems = [i.description for i in results if i.blocking or i.time_check]
    if problems:
        raise PushError(
            f"unable to push account {go_quote(name)} as it has validation issues: "
            + "; ".join(problems),
            hint="fix them (see 'pynsc validate'), or push anyway with --force",
        )
    trusted = set(operator.nats.signing_keys)
    if not operator.nats.strict_signing_key_usage:
        trusted.add(operator.sub)
    if not managed and claims.iss not in trusted:
        raise PushError(
            f"unable to push account {go_quote(name)}: it is issued by {claims.iss}, not by "
            f"operator {go_quote(operator.name)} or one of its signing keys",
            hint="re-sign it with 'pynsc edit account -K OPERATOR_KEY', or push with --force",
        )


def _accounts_to_push(
    store: Store, names: Sequence[str] | None, *, force: bool
) -> list[tuple[str, str, str]]:
    """``(name, key, token)`` of each account, checked unless ``force``.

    Each file is read and decoded once, and its signature not verified here: the servers verify
    every JWT they are sent, and say so when one does not verify (an account server as well).
    """
    operator = store.operator()
    managed = store.is_managed
    chosen = store.account_names() if names is None else [store.find_account(n) for n in names]
    found = []
    for name in dict.fromkeys(chosen):
        token, claims = store.account_with_token(name, verify=False)
        if not force:
            check_pushable(name, claims, operator, managed=managed)
        found.append((name, claims.sub, token))
    return found


def pushable_accounts(store: Store) -> tuple[list[str], dict[str, str]]:
    """The accounts :func:`check_pushable` lets through, and the others with the reason."""
    operator = store.operator()
    managed = store.is_managed
    names, skipped = [], {}
    for name in store.account_names():
        try:
            check_pushable(name, store.account(name), operator, managed=managed)
        except NscError as e:
            skipped[name] = e.message
        else:
            names.append(name)
    return names, skipped


# The resolver connection --------------------------------------------------------------------------


def _inbox_prefix() -> str:
    return f"_INBOX_{secrets.token_hex(8)}"


async def _open(
    store: Store,
    keystore: KeyStore,
    target: Target,
    options: ServerOptions,
    *,
    publish: Sequence[str],
    purpose: str,
    index: Mapping[str, str] | None = None,
) -> tuple[ResolverClient, SystemAccount, SystemUser]:
    account = system_account(store, options.system_account, index=index)
    prefix = _inbox_prefix()
    user = system_user(
        store, keystore, account=account, user=options.system_user,
        allow_pub=[ping_subject(), *publish], inbox_prefix=prefix,
    )  # fmt: skip
    client = await connect(
        target.urls, user.credentials, tls=options.tls, name=f"pynsc_{purpose}",
        inbox_prefix=prefix,
    )  # fmt: skip
    return ResolverClient(client), account, user


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


# Push ---------------------------------------------------------------------------------------------


def push_accounts(
    store: Store,
    keystore: KeyStore,
    names: Sequence[str] | None = None,
    *,
    options: ServerOptions | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> PushResult:
    """Push the accounts ``names`` (names or public keys; ``None``: all of them).

    Each is checked first (:func:`check_pushable`) unless ``force``. To resolvers, every
    account is published at once and the replies gathered in one window; to an account server,
    each is posted. ``progress(done, total)`` is called as accounts get their first answer.
    """
    options = options or ServerOptions()
    target = resolve_target(store.operator(), options.url)
    accounts = _accounts_to_push(store, names, force=force)
    if target.mode == "http":
        return _push_http(target, accounts, progress)
    return _run(_push_nats(store, keystore, target, options, accounts, progress))


async def _push_nats(
    store: Store,
    keystore: KeyStore,
    target: Target,
    options: ServerOptions,
    accounts: list[tuple[str, str, str]],
    progress: Progress | None,
) -> PushResult:
    from pynsc.push.resolver import update_subject

    subjects = sorted({update_subject("*")})
    client, account, user = await _open(
        store, keystore, target, options, publish=subjects, purpose="push",
        index={key: name for name, key, _ in accounts},
    )  # fmt: skip
    answered: set[str] = set()

    def on_reply(key: str, reply: ServerReply) -> None:
        if key not in answered:
            answered.add(key)
            if progress is not None:
                progress(len(answered), len(accounts))

    try:
        replies = await client.update(
            [(key, token) for _, key, token in accounts],
            timeout=options.timeout,
            on_reply=on_reply,
        )
    finally:
        await client.close()
    pushed = []
    for name, key, _ in accounts:
        got = sorted(replies.get(key, []), key=lambda r: r.server)
        error = "" if got else f"no nats-server answered within {options.timeout:g}s"
        pushed.append(AccountPush(name, key, got, error))
    return PushResult(target, pushed, account.label, user.name)


_UNREACHABLE_HINT = (
    "check that the account server is up and the url is right (-u URL, or the operator's: "
    "'pynsc edit operator --account-jwt-server-url URL')"
)


def _push_http(
    target: Target, accounts: list[tuple[str, str, str]], progress: Progress | None
) -> PushResult:
    url = target.urls[0]
    done = 0

    def post(item: tuple[str, str, str]) -> AccountPush:
        name, key, token = item
        try:
            reply = http.post_jwt(http.account_url(url, key), token)
        except PushError as err:
            return AccountPush(name, key, [], err.message)
        answer = ServerReply(
            server=url,
            server_id=url,
            ok=reply.is_success,
            code=reply.status,
            # what the server said; a refusal without a body says its status
            message=reply.body or ("" if reply.is_success else reply.status_text),
            account=key,
            pending=reply.is_pending,
        )
        return AccountPush(name, key, [answer])

    results: list[AccountPush] = []
    with ThreadPoolExecutor(max_workers=min(8, max(1, len(accounts)))) as pool:
        for pushed in pool.map(post, accounts):
            results.append(pushed)
            done += 1
            if progress is not None:
                progress(done, len(accounts))
    if results and not any(pushed.replies for pushed in results):
        # nothing answered: the server is unreachable, which is one error, not one per account
        raise PushError(results[0].error, hint=_UNREACHABLE_HINT)
    return PushResult(target, results)


# Diff, prune, remove ------------------------------------------------------------------------------


def diff_accounts(
    store: Store, keystore: KeyStore, *, options: ServerOptions | None = None
) -> DiffResult:
    """Every resolver's account list, against the store's accounts."""
    options = options or ServerOptions()
    target = _resolver_target(store, options, "diff")
    return _run(_diff(store, keystore, target, options))


async def _diff(
    store: Store, keystore: KeyStore, target: Target, options: ServerOptions
) -> DiffResult:
    local = store.account_subjects()
    client, account, _ = await _open(
        store, keystore, target, options, publish=[list_subject()], purpose="diff", index=local
    )
    try:
        servers = await client.list_accounts(timeout=options.timeout)
    finally:
        await client.close()
    return _diff_result(target, servers, local, account)


def _diff_result(
    target: Target, servers: list[ServerAccounts], local: dict[str, str], account: SystemAccount
) -> DiffResult:
    if not servers:
        raise PushError(
            f"no nats-server with a full or cache resolver answered at {target.url}",
            hint="only nats resolvers (resolver { type: full }) list their accounts",
        )
    servers = sorted(servers, key=lambda s: s.server)
    return DiffResult(target, servers, local, account.public_key)


def _resolver_target(store: Store, options: ServerOptions, what: str) -> Target:
    target = resolve_target(store.operator(), options.url)
    if target.mode != "nats":
        raise PushError(
            f"{what} needs nats-servers with a nats resolver, not the account server "
            f"{target.url}",
            hint="pass -u nats://host:port",
        )
    return target


def prune_accounts(
    store: Store,
    keystore: KeyStore,
    *,
    options: ServerOptions | None = None,
    private_key: str | None = None,
) -> PruneResult:
    """Delete from the resolvers every account the store does not have (never the system
    account). The delete request is signed by an operator key (``private_key``: ``-K``)."""
    options = options or ServerOptions()
    target = _resolver_target(store, options, "prune")
    signer = _delete_signer(store, keystore, private_key)
    return _run(_prune(store, keystore, target, options, signer, None))


def remove_accounts(
    store: Store,
    keystore: KeyStore,
    accounts: Sequence[str],
    *,
    options: ServerOptions | None = None,
    private_key: str | None = None,
) -> PruneResult:
    """Delete ``accounts`` (names in the store or account public keys) from the resolvers.

    The system account is refused."""
    options = options or ServerOptions()
    target = _resolver_target(store, options, "account removal")
    system = store.operator().nats.system_account
    keys = []
    for value in accounts:
        key = _account_key(store, value)
        if key == system or (options.system_account and value == options.system_account):
            raise PushError(
                f"account {go_quote(value)} is the system account and cannot be removed",
                hint="nats-servers need their system account",
            )
        keys.append(key)
    signer = _delete_signer(store, keystore, private_key)
    return _run(_prune(store, keystore, target, options, signer, keys))


def _account_key(store: Store, value: str) -> str:
    from pynsc.keys import is_public_key

    text = value.strip()
    name = store.account_named(text)
    if name is not None:
        return store.account(name).sub
    if is_public_key(text, KeyKind.ACCOUNT):
        return text
    raise store.account_not_found(text)


def _delete_signer(store: Store, keystore: KeyStore, private_key: str | None) -> KeyPair:
    operator = store.operator()
    candidates = [] if operator.nats.strict_signing_key_usage else [operator.sub]
    candidates += list(operator.nats.signing_keys)
    signer = select_signer(
        keystore, private_key=private_key, candidates=candidates, kinds=(KeyKind.OPERATOR,)
    )
    if signer.public_key not in candidates:
        raise PushError(
            f"{signer.public_key} cannot sign delete requests of operator "
            f"{go_quote(operator.name)}",
            hint="use the operator key or one of its signing keys"
            + (" (the operator requires signing keys)"
               if operator.nats.strict_signing_key_usage else ""),
        )  # fmt: skip
    return signer


def delete_request(accounts: Sequence[str], signer: KeyPair) -> str:
    """The generic JWT a resolver's DELETE takes: ``sub`` = ``iss`` = an operator key,
    ``nats.accounts`` = the accounts."""
    claims = GenericClaims(sub=signer.public_key)
    claims.nats["accounts"] = list(accounts)
    return encode(claims, signer)


async def _prune(
    store: Store,
    keystore: KeyStore,
    target: Target,
    options: ServerOptions,
    signer: KeyPair,
    keys: list[str] | None,
) -> PruneResult:
    local = store.account_subjects()
    client, account, _ = await _open(
        store, keystore, target, options, publish=[list_subject(), delete_subject()],
        purpose="prune", index=local,
    )  # fmt: skip
    try:
        servers = await client.list_accounts(timeout=options.timeout)
        diff = _diff_result(target, servers, local, account)
        if keys is None:
            keys = [k for k in diff.only_on_servers if k != account.public_key]
        if not keys:
            return PruneResult(target, [], [], diff, len(servers))
        replies = await client.delete(delete_request(keys, signer), timeout=options.timeout)
    finally:
        await client.close()
    replies = sorted(replies, key=lambda r: r.server)
    return PruneResult(target, keys, replies, diff, len(servers))


# Pull ---------------------------------------------------------------------------------------------


def pull_accounts(
    store: Store,
    keystore: KeyStore,
    names: Sequence[str] | None = None,
    *,
    all_accounts: bool = False,
    overwrite_newer: bool = False,
    options: ServerOptions | None = None,
) -> PullResult:
    """Fetch account JWTs and store them under the names in the JWTs.

    From resolvers (``all_accounts`` required) every account one full resolver holds; from an
    account server the accounts ``names`` (default: the current one is the caller's to give)
    or, with ``all_accounts``, every local account and the operator. A JWT replaces the stored
    one only when it is not older, unless ``overwrite_newer``; JWTs not issued by the operator
    are refused. The caller holds ``store.lock()``.
    """
    options = options or ServerOptions()
    operator = store.operator()
    target = resolve_target(operator, options.url)
    if target.mode == "nats":
        if not all_accounts:
            raise PushError(
                f"operator {go_quote(operator.name)} can only pull all jwt - unable to pull "
                "by account",
                hint="nats resolvers are pulled whole: pass -A/--all",
            )
        pairs = _run(_pack(store, keystore, target, options))
        result = PullResult(target, [])
    else:
        result = PullResult(target, [])
        if all_accounts:
            _pull_operator(store, target.urls[0], overwrite_newer, result)
        if all_accounts:
            wanted = store.account_names()
        else:
            wanted = [store.find_account(n) for n in names or ()]
        pairs = _fetch_http(store, target.urls[0], wanted, result)
    pulling = _Pulling(store, store.operator())
    for key, token in pairs:
        result.accounts.append(pulling.store_account(key, token, overwrite_newer=overwrite_newer))
    return result


async def _pack(
    store: Store, keystore: KeyStore, target: Target, options: ServerOptions
) -> list[tuple[str, str]]:
    client, _, _ = await _open(
        store, keystore, target, options, publish=[pack_subject()], purpose="pull"
    )
    try:
        return await client.pack(timeout=options.timeout)
    finally:
        await client.close()


def _fetch_http(
    store: Store, url: str, names: Sequence[str], result: PullResult
) -> list[tuple[str, str]]:
    pairs = []
    for name in names:
        key = store.account(name).sub
        try:
            pairs.append((key, http.fetch_account(url, key)))
        except http.UnreachableError:
            raise
        except PushError as err:
            result.accounts.append(PulledAccount(name, key, "error", err.message))
    return pairs


def _pull_operator(store: Store, url: str, overwrite_newer: bool, result: PullResult) -> None:
    try:
        token = http.fetch_operator(url)
        remote = decode(token, OperatorClaims)
    except http.UnreachableError:
        raise
    except NscError as err:
        result.operator, result.operator_message = "error", err.message
        return
    local = store.operator()
    if remote.sub != local.sub:
        result.operator = "error"
        result.operator_message = (
            f"the account server serves operator {remote.sub}, not {go_quote(local.name)} "
            f"({local.sub})"
        )
        return
    if remote.iss not in {local.sub, *local.nats.signing_keys}:
        result.operator = "error"
        result.operator_message = (
            f"the operator jwt the account server serves is issued by {remote.iss}, not by "
            f"operator {go_quote(local.name)}"
        )
        return
    if token == store.operator_token():
        result.operator = "unchanged"
    elif remote.iat < local.iat and not overwrite_newer:
        result.operator = "newer-local"
        result.operator_message = (
            f"local jwt for {go_quote(local.name)} is newer than remote version - specify "
            "--overwrite-newer to overwrite"
        )
    else:
        store.write_operator(token)
        result.operator = "stored"


class _Pulling:
    """What storing pulled JWTs checks against, read once: the operator's keys and the local
    accounts by key and by name (so each pulled account costs the same however many there
    are)."""

    def __init__(self, store: Store, operator: OperatorClaims) -> None:
        self.store = store
        self.operator = operator
        self.trusted = {operator.sub, *operator.nats.signing_keys}
        self.managed = store.is_managed
        self.by_key: dict[str, str] = {}
        self.by_name: dict[str, tuple[str, AccountClaims]] = {}
        for name, claims in store.accounts():
            self.by_key.setdefault(claims.sub, name)
            self.by_name[name.casefold()] = (name, claims)

    def store_account(self, key: str, token: str, *, overwrite_newer: bool) -> PulledAccount:
        try:
            claims = decode(token, AccountClaims)
        except NscError as err:
            return PulledAccount("", key, "error", f"invalid account jwt for {key}: {err.message}")
        name = claims.name.strip() or claims.sub
        if claims.sub != key:
            return PulledAccount(name, key, "error",
                                 f"the jwt served for {key} is for {claims.sub}")  # fmt: skip
        if claims.iss not in self.trusted and not (self.managed and claims.iss == claims.sub):
            return PulledAccount(
                name, key, "error",
                f"account {go_quote(name)} is issued by {claims.iss}, not by operator "
                f"{go_quote(self.operator.name)}",
            )  # fmt: skip
        existing = self.by_name.get(name.casefold())
        if existing is not None:
            name, local = existing
            if local.sub != claims.sub:
                return PulledAccount(
                    name, key, "error",
                    f"a different account named {go_quote(name)} ({local.sub}) is in the store",
                )  # fmt: skip
            if self.store.account_token(name) == token:
                return PulledAccount(name, key, "unchanged")
            if claims.iat < local.iat and not overwrite_newer:
                return PulledAccount(
                    name, key, "newer-local",
                    f"local jwt for {go_quote(name)} is newer than remote version - specify "
                    "--overwrite-newer to overwrite",
                )  # fmt: skip
        elif key in self.by_key:
            return PulledAccount(
                name, key, "error",
                f"account {key} is stored as {go_quote(self.by_key[key])}, the server calls it "
                f"{go_quote(name)}",
            )  # fmt: skip
        try:
            self.store.write_account(name, token)
        except (StoreError, OSError) as err:
            return PulledAccount(name, key, "error", str(err))
        self.by_key[key] = name
        self.by_name[name.casefold()] = (name, claims)
        return PulledAccount(name, key, "stored")
