"""``pynsc load``: set up a managed operator's account and a user from the account's seed.

``--profile nsc://<operator>?secret=<account seed>&user=<name>`` names a well-known operator
(``synadia``, or ``NAME`` of an ``NSC_<NAME>_OPERATOR=<url>`` variable); ``--url`` gives the
operator JWT's URL (or file) directly, with ``--seed`` and ``--user``. The work is
:func:`pynsc.push.load.load_account`; this module resolves the operator, renders the result and
makes the operator and account current::

    [ OK ] imported operator "synadia"
    [ OK ] stored account "Acme" from the account server
    [ OK ] stored account key "AD…"
    [ OK ] generated and stored user key "UC…"
    [ OK ] generated and stored user credentials at `~/.local/share/nats/nsc/keys/creds/…`
    [ OK ] made operator "synadia" and account "Acme" current
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option

if TYPE_CHECKING:
    from pynsc.push.load import LoadResult
    from pynsc.store.report import Report

__all__ = ["load_command"]


@command("load", short_help="Load a managed operator's account and a user from its seed.")
@click.option("--profile", metavar="URL", default=None,
              help="nsc://<operator>?secret=<account seed>&user=<name>, the operator being a "
                   "well-known name (synadia, or NAME of NSC_<NAME>_OPERATOR=<url>).")
@click.option("--url", metavar="URL", default=None,
              help="The operator JWT's URL on its account server (or a file).")
@click.option("--seed", metavar="SEED", default=None,
              help="Seed of the account (SA...) the users are created for.")
@click.option("--user", metavar="NAME", default=None,
              help="Name of the user to create  [default: default]")
@json_option
@pass_app
def load_command(
    app: App,
    *,
    profile: str | None,
    url: str | None,
    seed: str | None,
    user: str | None,
    as_json: bool,
) -> None:
    """Import a managed operator, one of its accounts (the JWT from the operator's account
    server, the seed given), and a new user of that account with its creds; make the operator
    and account current.

    A user that exists already is left alone (with a warning). Nothing is written when the
    operator, the seed or the account server's answer is not right.
    """
    from pynsc.push.load import DEFAULT_USER, load_account, parse_profile
    from pynsc.store.report import Report

    operator_name: str | None = None
    if profile is not None:
        if url is not None or seed is not None:
            given = " and ".join(f for f, v in (("--url", url), ("--seed", seed)) if v is not None)
            raise click.UsageError(f"--profile and {given} are mutually exclusive")
        parsed = parse_profile(profile)
        if user is not None and parsed.user and parsed.user != user:
            raise click.UsageError("--user and the profile's user= differ")
        location = _known_operator_url(parsed.operator)
        operator_name, seed, user = parsed.operator, parsed.seed, parsed.user or user
    elif url is not None:
        location = url
    else:
        raise click.UsageError(
            "missing account server URL: give --url <operator jwt url> or --profile "
            "nsc://<operator>?secret=<account seed>"
        )
    if not seed:
        raise click.UsageError(
            "expected account seed to initialize: give --seed SA... (or secret= in --profile)"
        )
    token, operator_name = _operator(location, operator_name)
    result = load_account(
        app.context.store_root, app.keystore, operator_name=operator_name,
        operator_token=token, account_seed=seed, user=user or DEFAULT_USER,
    )  # fmt: skip
    app.context.save(operator=result.operator_name, account=result.account_name)
    app.refresh_context()
    report = Report()
    _report(report, result)
    report.data = result.to_dict() if as_json else None
    app.output.report(report, as_json=as_json)


def _known_operator_url(name: str) -> str:
    from pynsc.claims.subjects import go_quote
    from pynsc.cli.init import find_known_operator
    from pynsc.errors import NotFoundError

    known = find_known_operator(name)
    if known is None:
        raise NotFoundError(
            f"unable to find operator {go_quote(name)}",
            hint=f"define its operator jwt url: NSC_{name.upper()}_OPERATOR="
            "http(s)://host:port/jwt/v1/operator, or use --url",
        )
    return known.account_server_url


def _operator(location: str, name: str | None) -> tuple[str, str]:
    """The operator JWT at ``location`` and the name of its store: ``name`` when given (a
    profile's operator), else the well-known name of that URL, else the JWT's name."""
    from pynsc.cli.init import load_operator_jwt, operator_name_for, resolve_operator_location
    from pynsc.cli.sources import is_url

    location = resolve_operator_location(location)
    token, claims = load_operator_jwt(location)
    if name is None:
        name = operator_name_for(claims.name, location) if is_url(location) else claims.name
    return token, name


def _report(report: Report, result: LoadResult) -> None:
    from pynsc.claims.subjects import go_quote
    from pynsc.cli.output import display_path

    operator = go_quote(result.operator_name)
    account = go_quote(result.account_name)
    if result.operator_created:
        report.ok(f"imported operator {operator}")
    else:
        report.ok(f"operator {operator} is in the store already")
    if result.account_jwt == "stored":
        report.ok(f"stored account {account} from the account server")
    elif result.account_jwt == "unchanged":
        report.ok(f"account {account} is unchanged")
    if result.account_key_stored:
        report.ok(f"stored account key {go_quote(result.account.sub)}")
    if result.user_created:
        report.ok(f"generated and stored user key {go_quote(result.user_key)}")
    for warning in result.warnings:
        report.warn(warning)
    if result.creds is not None:
        verb = "generated and stored" if result.user_created else "found"
        report.ok(f"{verb} user credentials at {display_path(result.creds)}")
    report.ok(f"made operator {operator} and account {account} current")
