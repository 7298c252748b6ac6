"""``pynsc tool``: publish, subscribe, request, reply and time a round trip as a user of an
account, with the user's creds file (nsc's ``tool pub|sub|req|reply|rtt``).

``--nats`` and the TLS flags may be given on the group or on the subcommand. As in nsc, every
subcommand is also a hidden root command (``pynsc pub`` is ``pynsc tool pub``): the attributes
``pub_alias``, ``sub_alias``, ``req_alias``, ``reply_alias`` and ``rtt_alias`` are hidden copies
of the leaves, made when first looked up, so ``pynsc --help`` loads only the small leaf modules.
"""

from __future__ import annotations

import copy
import importlib

from pynsc.cli.base import Lazy, NscCommand, group
from pynsc.cli.connect_options import nats_url_group_option, tls_group_options

__all__ = ["tool_group"]

_LEAVES = {
    "pub": Lazy("pynsc.cli.tool.pub:pub_command", "Publish to a subject as a user of an account."),
    "reply": Lazy(
        "pynsc.cli.tool.reply:reply_command",
        "Reply to requests on a subject as a user of an account.",
    ),
    "req": Lazy(
        "pynsc.cli.tool.req:req_command", "Send a request to a subject as a user of an account."
    ),
    "rtt": Lazy("pynsc.cli.tool.rtt:rtt_command", "Time a round trip to the server."),
    "sub": Lazy(
        "pynsc.cli.tool.sub:sub_command", "Subscribe to a subject as a user of an account."
    ),
}


@group("tool", lazy_subcommands=_LEAVES, short_help="NATS tools: pub, sub, req, reply, rtt.")
@nats_url_group_option
@tls_group_options
def tool_group() -> None:
    """NATS tools: publish, subscribe, request, reply and round-trip time, as a user of an
    account (-u, default: the account's only user) with its creds file.

    They connect to --nats URL, else to the operator's service URLs.
    """


def __getattr__(name: str) -> NscCommand:
    """``<leaf>_alias``: the leaf command as a hidden root command."""
    leaf = name.removesuffix("_alias")
    if leaf == name or leaf not in _LEAVES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    target = _LEAVES[leaf].target
    module_name, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, NscCommand):
        raise TypeError(f"{target} must be made with pynsc.cli.base.command()")
    alias = copy.copy(command)
    alias.hidden = True
    globals()[name] = alias
    return alias
