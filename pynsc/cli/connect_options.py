"""Flags of the commands that talk to servers (``push``, ``pull``, ``tool *``, ``server``).

* :func:`tls_options`: nsc's ``[tls]`` (``--tls-first``, ``--ca-cert``, ``--client-cert``,
  ``--client-key``; ``NATS_CA``, ``NATS_CERT``, ``NATS_KEY`` as defaults), handed to the command
  as ``tls`` (:class:`~pynsc.push.tls.TlsOptions`);
* :func:`nats_url_option`: ``--nats URL`` (default: the operator's service URLs), as ``nats_url``;
* :func:`server_options`: ``-u/--account-jwt-server-url``, ``--timeout``,
  ``--system-account``, ``--system-user`` and the TLS flags of ``push`` and ``pull``, as
  ``options`` (:class:`~pynsc.push.operations.ServerOptions`).

The TLS and ``--nats`` flags are persistent (as on nsc's ``tool`` group): the ``*_group``
variants put them on a group, so ``pynsc tool --nats URL pub …`` works too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pynsc.cli.options import PersistentOption

if TYPE_CHECKING:
    from pynsc.push.tls import TlsOptions

__all__ = [
    "nats_url_group_option",
    "nats_url_option",
    "server_options",
    "tls_group_options",
    "tls_options",
]

F = TypeVar("F", bound=Callable[..., Any])


def _apply(f: Callable[..., Any], decorators: list[Callable[[F], F]]) -> Callable[..., Any]:
    for add in reversed(decorators):
        f = add(f)
    return f


def _tls_params(*, expose: bool) -> list[Callable[[F], F]]:
    def option(*decls: str, **kwargs: Any) -> Callable[[F], F]:
        return click.option(*decls, cls=PersistentOption, expose_value=expose, **kwargs)

    return [
        option("--tls-first", "tls_first", is_flag=True, default=False,
               help="Do the TLS handshake first (a server with handshake_first)."),
        option("--ca-cert", "tls_ca_cert", metavar="FILE", default=None,
               help="CA certificate file for TLS connections [env: NATS_CA]."),
        option("--client-cert", "tls_client_cert", metavar="FILE", default=None,
               help="Client certificate file for TLS connections [env: NATS_CERT]."),
        option("--client-key", "tls_client_key", metavar="FILE", default=None,
               help="Client key file for TLS connections [env: NATS_KEY]."),
    ]  # fmt: skip


def tls_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """nsc's ``[tls]`` flags on a command; it receives them as ``tls``."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pynsc.push.tls import TlsOptions

        tls: TlsOptions = TlsOptions.from_flags(
            ca_cert=kwargs.pop("tls_ca_cert"),
            client_cert=kwargs.pop("tls_client_cert"),
            client_key=kwargs.pop("tls_client_key"),
            first=kwargs.pop("tls_first"),
        )
        return f(*args, tls=tls, **kwargs)

    return _apply(wrapper, _tls_params(expose=True))


def tls_group_options(f: F) -> F:
    """The same flags on a group, so they may come before the subcommand."""
    for add in reversed(_tls_params(expose=False)):
        f = add(f)
    return f


def _nats_url_param(*, expose: bool) -> Callable[[F], F]:
    return click.option(
        "--nats", "nats_url", cls=PersistentOption, expose_value=expose, metavar="URL",
        default=None, help="nats-server URL(s), comma separated (default: the operator's "
        "service URLs).",
    )  # fmt: skip


def nats_url_option(f: F) -> F:
    """``--nats URL`` on a command, as ``nats_url`` (``None``: not given)."""
    return _nats_url_param(expose=True)(f)


def nats_url_group_option(f: F) -> F:
    """``--nats URL`` on a group, so it may come before the subcommand."""
    return _nats_url_param(expose=False)(f)


def _check_timeout(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if not 1 <= value <= 60:
        raise click.BadParameter(f"{value} is not between 1 and 60 seconds")
    return value


def server_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Where ``push``/``pull`` go and how: the command receives ``options``
    (:class:`~pynsc.push.operations.ServerOptions`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pynsc.push.operations import ServerOptions

        options = ServerOptions(
            url=kwargs.pop("url"),
            timeout=float(kwargs.pop("timeout")),
            system_account=kwargs.pop("system_account"),
            system_user=kwargs.pop("system_user"),
            tls=kwargs.pop("tls"),
        )
        return f(*args, options=options, **kwargs)

    return _apply(tls_options(wrapper), [
        click.option("-u", "--account-jwt-server-url", "url", metavar="URL", default=None,
                     help="An account server (http://, https://) or nats-servers (nats://, "
                          "tls://, ws://, wss://; comma separated). Default: the operator's "
                          "account server url, else its service urls."),
        *_resolver_params(),
    ])  # fmt: skip


def _resolver_params() -> list[Callable[[F], F]]:
    return [
        click.option("--timeout", "timeout", type=int, default=1, show_default=True,
                     metavar="SECONDS", callback=_check_timeout,
                     help="Longest wait, in seconds (1-60), for a reply from the nats-servers "
                          "(since the requests or the last reply)."),
        click.option("--system-account", "system_account", metavar="NAME|KEY", default=None,
                     help="System account to act as with nats resolvers (default: the "
                          "operator's)."),
        click.option("--system-user", "system_user", metavar="NAME", default=None,
                     help="System account user to connect as (default: a temporary user "
                          "signed by the system account, valid 2 minutes)."),
    ]  # fmt: skip
