"""``pynsc edit export``: change an export of an account, selected by its subject.

Parses flags and renders; the rules are :func:`pynsc.actions.exports.edit_export`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import exports
from pynsc.cli._exports import parse_edit_sampling
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, duration_callback, json_option


@command("export", short_help="Edit an export of an account.")
@click.option("-s", "--subject", "subject", metavar="SUBJECT", default=None,
              help="Subject of the export to edit (default: the account's only export).")
@click.option("-n", "--name", "name", metavar="NAME", default=None,
              help="Rename the export.")
@click.option("-r", "--service/--no-service", "service", default=None,
              help="Make the export a service (--service=false: a stream); when a stream and a "
                   "service share the subject, selects the one to edit.")
@click.option("-p", "--private/--no-private", "private", default=None,
              help="Require an activation token to import (--private=false: public).")
@click.option("--latency", "latency", metavar="SUBJECT", default=None,
              help="Subject to publish service latency metrics to (services only).")
@click.option("--sampling", "sampling", metavar="0-100|header", default=None,
              callback=parse_edit_sampling,
              help="Latency sampling percentage, 'header' (requests with tracing headers), or "
                   "0 to stop tracking latency.")
@click.option("--rm-latency-sampling", "rm_latency_sampling", is_flag=True, default=False,
              help="Stop tracking the service's latency.")
@click.option("--response-threshold", "response_threshold", metavar="DURATION", default=None,
              callback=duration_callback,
              help="Time after which a service response counts as late: a Go duration such as "
                   "500ms or 2s; 0 removes it (services only).")
@click.option("--response-type", "response_type", metavar="TYPE", default=None,
              help="Responses of the service: Singleton, Stream or Chunked (services only).")
@click.option("--allow-trace/--no-allow-trace", "allow_trace", default=None,
              help="Let trace messages through the export (services only; "
                   "--allow-trace=false stops it).")
@click.option("--description", "description", metavar="TEXT", default=None,
              help="Describe the export ('' removes the description).")
@click.option("--info-url", "info_url", metavar="URL", default=None,
              help="Link to more information about the export ('' removes it).")
@account_option
@json_option
@pass_app
def edit_export(
    app: App,
    *,
    subject: str | None,
    name: str | None,
    service: bool | None,
    private: bool | None,
    latency: str | None,
    sampling: int | None,
    rm_latency_sampling: bool,
    response_threshold: int | None,
    response_type: str | None,
    allow_trace: bool | None,
    description: str | None,
    info_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Edit an export of the current (or -a) account, selected by --subject.

    Only the flagged fields change. Making an export private, or changing its kind, breaks
    the accounts that import it.
    """
    changes = exports.ExportChanges(
        name=name, service=service, private=private, latency=latency, sampling=sampling,
        rm_latency_sampling=rm_latency_sampling, response_threshold=response_threshold,
        response_type=response_type, allow_trace=allow_trace, description=description,
        info_url=info_url,
    )  # fmt: skip
    result = exports.edit_export(app.nsc, subject, changes=changes, account=account)
    app.output.report(result.report, as_json=as_json)
