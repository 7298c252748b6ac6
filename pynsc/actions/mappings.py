"""Subject mappings: add (or change) and delete the weighted mappings of an account.

Messages published to a mapping's source subject go to one of its destinations, each with a
weight in percent (0 means 100); an entry with a cluster applies only in that cluster.

The rules, all here and nowhere else:

* a mapping needs a source and a destination subject; a weight is 0-255 (a uint8, as in the
  JWT), and validation then wants 1-100;
* both subjects must be ones nats-server can use (no tab, newline, carriage return or form
  feed, ``>`` only last), and so must the destination's wildcards: no ``*`` token (the
  source's wildcards are ``{{wildcard(N)}}``), and a final ``>`` exactly when the source has
  one; checked with the arguments (nats-io/jwt v2.8 and nsc let these through, and the server
  then drops the mapping);
* an entry with the same destination and cluster as an existing one replaces it;
* the weights of one source add up to at most 100 per cluster (and separately for the entries
  without one), and the subjects must be valid: nsc's check of the mappings alone
  (``mapping validation failed: [...]``), then of the whole account as it will be written;
* a delete without a destination removes every entry of the source (only those of the cluster
  when one is given); with one, the entry with that destination and cluster (none given: the
  entry without a cluster); finding nothing to delete is an error.

Example::

    add_mapping(nsc, "orders", "orders.v2", weight=10, account="A")
    add_mapping(nsc, "orders", "orders.v1", weight=90, account="A")
    delete_mapping(nsc, "orders", account="A")
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from pynsc.actions.account_update import update_account
from pynsc.actions.session import Nsc
from pynsc.claims import Account, AccountClaims, WeightedMapping, validate
from pynsc.claims.subjects import mapping_destination_errors, subject_error
from pynsc.errors import ClaimsError, NotFoundError, UsageError
from pynsc.keys import KeyPair
from pynsc.store.report import Report

__all__ = ["MappingResult", "add_mapping", "check_mappings", "delete_mapping"]


@dataclass(slots=True)
class MappingResult:
    """What a mapping action did: the report, the account, the source subject, the entries
    added or deleted, and the account JWT written."""

    report: Report
    account: str
    source: str
    entries: list[WeightedMapping]
    jwt: str


def check_mappings(claims: AccountClaims) -> None:
    """nsc's check of the mappings alone (``mapping validation failed: [...]``), then of the
    whole account as it will be written (its first blocking issue); a :class:`ClaimsError`."""
    only_mappings = AccountClaims(
        sub=claims.sub, nats=Account(mappings=copy.deepcopy(claims.nats.mappings))
    )
    issues = [issue.description for issue in validate(only_mappings).errors()]
    if issues:
        raise ClaimsError(f"mapping validation failed: [{' '.join(issues)}]")
    # a copy: validation normalises some fields, which must not leak into the JWT
    errors = validate(copy.deepcopy(claims)).errors()
    if errors:
        raise ClaimsError(errors[0].description)


def add_mapping(
    nsc: Nsc,
    source: str,
    to: str,
    *,
    weight: int = 0,
    cluster: str = "",
    account: str | None = None,
    signer: str | KeyPair | None = None,
) -> MappingResult:
    """Map ``source`` to ``to`` with ``weight`` percent (0: 100) in ``account`` (default: the
    current one), only in ``cluster`` when one is given; an entry with the same ``to`` and
    cluster is replaced. To split traffic, add one entry per destination."""
    source, to = source.strip(), to.strip()
    if not source:
        raise UsageError("from subject is required")
    if not to:
        raise UsageError("to subject is required")
    if not 0 <= weight <= 255:
        raise UsageError(f"weight {weight} is not in the range 0-255")
    problems = [subject_error(source), subject_error(to), *mapping_destination_errors(source, to)]
    problem = next((p for p in problems if p is not None), None)
    if problem is not None:
        raise UsageError(problem)
    entry = WeightedMapping(subject=to, weight=weight, cluster=cluster.strip())
    report = Report()
    with update_account(nsc, account, report, signer=signer) as edit:
        _put(edit.claims, source, entry)
        check_mappings(edit.claims)
    text = f"added mapping {source} -> {to}, weight {entry.effective_weight()}%"
    if entry.cluster:
        text += f', cluster "{entry.cluster}"'
    report.ok(text)
    report.data = {
        "account": edit.name,
        "from": source,
        "to": to,
        "weight": entry.effective_weight(),
        "cluster": entry.cluster,
    }
    return MappingResult(report, edit.name, source, [entry], edit.token)


def _put(claims: AccountClaims, source: str, entry: WeightedMapping) -> None:
    """Replace the entry of ``source`` with the same subject and cluster, else append one."""
    entries = claims.nats.mappings.setdefault(source, [])
    for index, existing in enumerate(entries):
        if existing.subject == entry.subject and existing.cluster == entry.cluster:
            entries[index] = entry
            return
    entries.append(entry)


def delete_mapping(
    nsc: Nsc,
    source: str,
    to: str | None = None,
    *,
    cluster: str | None = None,
    account: str | None = None,
    signer: str | KeyPair | None = None,
) -> MappingResult:
    """Delete the entries of ``source`` in ``account``: all of them (those of ``cluster`` when
    given), or with ``to`` the one entry with that destination and cluster."""
    source = source.strip()
    if not source:
        raise UsageError("from subject is required")
    target = (to or "").strip() or None
    cluster_name = cluster.strip() if cluster is not None else None
    report = Report()
    with update_account(nsc, account, report, signer=signer) as edit:
        removed = _remove(edit.claims, edit.name, source, target, cluster_name)
    where = f' in cluster "{cluster_name}"' if cluster_name else ""
    if target is None:
        report.ok(f"deleted all mapping for {source}{where}")
    else:
        report.ok(f"deleted mapping {source} -> {target}{where}")
    report.data = {
        "account": edit.name,
        "from": source,
        "deleted": [
            {"to": m.subject, "weight": m.effective_weight(), "cluster": m.cluster}
            for m in removed
        ],
    }
    return MappingResult(report, edit.name, source, removed, edit.token)


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
        raise NotFoundError(f'account "{account_name}" has no mapping for "{source}"')

    def selected(entry: WeightedMapping) -> bool:
        if target is not None and entry.subject != target:
            return False
        # with a target the cluster always takes part (none given = the entry without a cluster)
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
        raise NotFoundError(
            f'no mapping {wanted}{where} found in account "{account_name}"', hint=hint
        )
    kept = [entry for entry in entries if not selected(entry)]
    if kept:
        mappings[source] = kept
    else:
        del mappings[source]
    return removed
