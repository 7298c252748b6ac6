"""``pynsc add import``: import a stream or service another account exports.

Parses flags and renders; the activation named by ``--token`` (a file, raw or decorated, or an
http(s) URL) is read here, and the rules are :func:`pynsc.actions.imports.add_import`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import imports
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option


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
    result = imports.add_import(
        app.nsc, account=account, token=token, read_token=_read_token, src_account=src_account,
        remote_subject=remote_subject, name=name, local_subject=local_subject, service=service,
        share=share, allow_trace=allow_trace,
    )  # fmt: skip
    app.output.report(result.report, as_json=as_json)


def _read_token(location: str) -> str:
    """The text of ``--token``: a file or an http(s) URL (``requests`` only for a URL)."""
    from pynsc.sources import SourceError, read_source

    try:
        return read_source(location)
    except SourceError as e:
        raise SourceError(f"error loading `{location}`: {e}") from e
