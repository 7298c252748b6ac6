"""``pynsc add export``: export a stream or a service of an account, publicly or privately.

Parses flags and renders; the rules are :func:`pynsc.actions.exports.add_export`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import exports
from pynsc.cli._exports import parse_sampling
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, duration_callback, json_option


@command("export", short_help="Add an export to an account.")
@click.option("-n", "--name", "name", metavar="NAME", default=None,
              help="Name of the export (default: the subject).")
@click.option("-s", "--subject", "subject", metavar="SUBJECT", default=None,
              help="Subject to export (required).")
@click.option("-r", "--service", "service", is_flag=True, default=False,
              help="Export a service (request/reply) instead of a stream.")
@click.option("-p", "--private", "private", is_flag=True, default=False,
              help="Private export: importers need an activation token "
                   "('pynsc generate activation').")
@click.option("--latency", "latency", metavar="SUBJECT", default=None,
              help="Subject to publish service latency metrics to (services only).")
@click.option("--sampling", "sampling", metavar="1-100|header", default=None,
              callback=parse_sampling,
              help="Latency sampling percentage, or 'header' to sample the requests that carry "
                   "tracing headers (with --latency; default: header).")
@click.option("--response-threshold", "response_threshold", metavar="DURATION", default=None,
              callback=duration_callback,
              help="Time after which a service response counts as late: a Go duration such as "
                   "500ms or 2s (services only).")
@click.option("--response-type", "response_type", metavar="TYPE", default=None,
              help="Responses of the service: Singleton (default), Stream or Chunked "
                   "(services only).")
@click.option("--allow-trace", "allow_trace", is_flag=True, default=False,
              help="Let trace messages through the export (services only).")
@click.option("--account-token-position", "account_token_position", metavar="N",
              type=click.IntRange(min=0), default=0,
              help="1-based subject token (a *) that must be the importer's account key "
                   "(public exports only).")
@click.option("--advertise", "advertise", is_flag=True, default=False, hidden=True,
              help="Advertise the export.")
@click.option("--description", "description", metavar="TEXT", default=None,
              help="Describe the export.")
@click.option("--info-url", "info_url", metavar="URL", default=None,
              help="Link to more information about the export.")
@account_option
@json_option
@pass_app
def add_export(
    app: App,
    *,
    name: str | None,
    subject: str | None,
    service: bool,
    private: bool,
    latency: str | None,
    sampling: int | None,
    response_threshold: int | None,
    response_type: str | None,
    allow_trace: bool,
    account_token_position: int,
    advertise: bool,
    description: str | None,
    info_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Add a stream (default) or service (--service) export to the current (or -a) account.

    A public export can be imported by any account; a --private one only with an activation
    token made by 'pynsc generate activation'. The export may not overlap another export of the
    same kind.
    """
    result = exports.add_export(
        app.nsc, subject or "", account=account, name=name, service=service, private=private,
        latency=latency, sampling=sampling, response_threshold=response_threshold,
        response_type=response_type, allow_trace=allow_trace,
        account_token_position=account_token_position, advertise=advertise,
        description=description, info_url=info_url,
    )  # fmt: skip
    app.output.report(result.report, as_json=as_json)
