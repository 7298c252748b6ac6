"""``pynsc delete mapping``: remove subject mapping entries of an account.

Without ``--to`` every entry of ``--from`` goes (only those of ``--cluster`` when one is given);
with it, the one entry with that destination and cluster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.errors import NscError

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims, WeightedMapping


@command("mapping", short_help="Delete a mapping.")
@click.option("-f", "--from", "from_subject", metavar="SUBJECT", default=None,
              help="Map from subject (required).")
@click.option("-t", "--to", "to_subject", metavar="SUBJECT", default=None,
              help="To subject: only that entry is removed; without it, every entry of "
                   "--from is.")
@click.option("--cluster", metavar="NAME", default=None,
              help="Only the entries of this cluster (with --to: the entry of this cluster).")
@account_option
@json_option
@pass_app
def delete_mapping(
    app: App,
    *,
    from_subject: str | None,
    to_subject: str | None,
    cluster: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Delete mapping entries of the current (or -a) account; the account is re-signed by the
    operator."""
    from pynsc.cli._accounts import account_update
    from pynsc.store.report import Report

    source = (from_subject or "").strip()
    if not source:
        raise click.UsageError("from subject is required")
    target = (to_subject or "").strip() or None
    cluster_name = cluster.strip() if cluster is not None else None
    report = Report()
    with account_update(app, account, report) as update:
        removed = _remove(update.claims, update.name, source, target, cluster_name)
    where = f' in cluster "{cluster_name}"' if cluster_name else ""
    if target is None:
        report.ok(f"deleted all mapping for {source}{where}")
    else:
        report.ok(f"deleted mapping {source} -> {target}{where}")
    report.data = {
        "account": update.name,
        "from": source,
        "deleted": [
            {"to": m.subject, "weight": m.effective_weight(), "cluster": m.cluster}
            for m in removed
        ],
    }
    app.output.report(report, as_json=as_json)


def _remove(
    claims: AccountClaims,
    account_name: str,
    source: str,
    target: str | None,
    cluster: str | None,
) -> list[WeightedMapping]:
    """Take the selected entries of ``source`` out of ``claims``; an error if there are none."""
    mappings = claims.nats.mappings
    entries = mappings.get(source)
    if not entries:
        raise NscError(f'account "{account_name}" has no mapping for "{source}"')

    def selected(entry: WeightedMapping) -> bool:
        if target is not None and entry.subject != target:
            return False
        # with --to the cluster always takes part (none given = the entry without a cluster)
        if target is not None or cluster is not None:
            return entry.cluster == (cluster or "")
        return True

    removed = [entry for entry in entries if selected(entry)]
    if not removed:
        wanted = f'"{source}" -> "{target}"' if target is not None else f'for "{source}"'
        where = f' in cluster "{cluster}"' if cluster else ""
        clusters = [e.cluster for e in entries if e.subject == target and e.cluster]
        hint = None
        if target is not None and clusters and cluster is None:
            hint = "it is mapped in cluster " + ", ".join(f'"{c}"' for c in clusters)
            hint += ": add --cluster"
        raise NscError(
            f'no mapping {wanted}{where} found in account "{account_name}"', hint=hint
        )
    kept = [entry for entry in entries if not selected(entry)]
    if kept:
        mappings[source] = kept
    else:
        del mappings[source]
    return removed
