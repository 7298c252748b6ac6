"""Talking to nats-servers and account servers: push, pull, diff and prune account JWTs, and
act as a user (publish, subscribe, request).

A library layer: it imports neither click nor rich and never prints. Failures raise
:class:`~pynsc.errors.PushError` (or another :class:`~pynsc.errors.NscError`)::

    from pynsc.push import ServerOptions, push_accounts

    result = push_accounts(store, keystore, ["A"], options=ServerOptions(url="nats://h:4222"))
    for account in result.accounts:
        for reply in account.replies:
            print(account.name, reply.server, reply.ok, reply.message)

The modules:

* :mod:`pynsc.push.operations`: push, pull, diff, prune and remove accounts of a store (what
  ``pynsc push``/``pull`` call); re-exported here;
* :mod:`pynsc.push.resolver`: the nats resolver protocol over ``$SYS``, pipelined (and the
  ``$SYS.REQ.ACCOUNT.<pub>.CLAIMS.LOOKUP`` subject, :func:`~pynsc.push.resolver.lookup_subject`);
* :mod:`pynsc.push.http`: HTTP account servers; :mod:`pynsc.push.managed`: a managed
  operator's account exchange;
* :mod:`pynsc.push.sysuser`: the system-account user the resolver requests are made as;
* :mod:`pynsc.push.client` and :mod:`pynsc.push.tls`: connecting, with TLS;
* :mod:`pynsc.push.tool`: publish, subscribe, request, reply, round trip (``pynsc tool``);
* :mod:`pynsc.push.load`: importing an account from a managed operator (``pynsc load``).

Names are loaded on first use, so ``import pynsc.push.http`` does not import nats-py or asyncio.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pynsc.errors import PushError

if TYPE_CHECKING:
    from pynsc.push.client import UserCredentials
    from pynsc.push.operations import (
        AccountPush,
        DiffResult,
        PruneResult,
        PulledAccount,
        PullResult,
        PushResult,
        ServerOptions,
        Target,
        diff_accounts,
        prune_accounts,
        pull_accounts,
        push_accounts,
        remove_accounts,
        resolve_target,
    )
    from pynsc.push.resolver import ResolverClient, ServerAccounts, ServerReply
    from pynsc.push.tls import TlsOptions

__all__ = [
    "AccountPush",
    "DiffResult",
    "PruneResult",
    "PullResult",
    "PulledAccount",
    "PushError",
    "PushResult",
    "ResolverClient",
    "ServerAccounts",
    "ServerOptions",
    "ServerReply",
    "Target",
    "TlsOptions",
    "UserCredentials",
    "diff_accounts",
    "prune_accounts",
    "pull_accounts",
    "push_accounts",
    "remove_accounts",
    "resolve_target",
]

_HOMES = {
    "UserCredentials": "client",
    "ResolverClient": "resolver",
    "ServerAccounts": "resolver",
    "ServerReply": "resolver",
    "TlsOptions": "tls",
}


def __getattr__(name: str) -> Any:
    if name not in __all__ or name == "PushError":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_HOMES.get(name, 'operations')}")
    value = getattr(module, name)
    globals()[name] = value
    return value
