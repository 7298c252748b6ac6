"""Loading a managed operator's account and a new user of it from the account's seed: what
``pynsc load`` does.

The rules, all here and nowhere else (fetching and storing is :func:`pynsc.push.load.
load_account`'s: it checks the seed, the operator, the account server's answer and the names in
the store before it writes anything):

* the operator comes from a profile URL, ``nsc://<operator>?secret=<account seed>&user=<name>``
  (``<operator>`` a well-known operator: ``synadia``, or ``NAME`` of an
  ``NSC_<NAME>_OPERATOR=<url>`` variable), or from the URL (or file) of its JWT; a profile
  carries the seed, so it comes with neither a URL nor a seed, and a user given besides the
  profile's must be the same;
* a URL (or profile) and an account seed are required;
* the operator's store is named after the profile's operator, else after the well-known operator
  of the URL, else after the JWT's name; the user is ``default`` unless named;
* the operator and the account become the current ones (saved in ``nsc.json`` when ``save``).

Example::

    nsc = Nsc.open()
    loaded = load_managed_account(nsc, url="https://asu.example/jwt/v1/operator",
                                  seed=account_seed, user="ci")
    loaded.result.creds  # the new user's creds file
"""

from __future__ import annotations

from dataclasses import dataclass

from pynsc.actions.operators import (
    find_known_operator,
    load_operator_jwt,
    operator_name_for,
    resolve_operator_location,
)
from pynsc.actions.session import Nsc
from pynsc.claims.subjects import go_quote
from pynsc.errors import NotFoundError, UsageError
from pynsc.push.load import DEFAULT_USER, LoadResult, load_account, parse_profile
from pynsc.sources import is_url
from pynsc.store.report import Report
from pynsc.text import display_path

__all__ = ["DEFAULT_USER", "LoadOutcome", "load_managed_account"]


@dataclass(slots=True)
class LoadOutcome:
    """What :func:`load_managed_account` did: the report (its data is ``result.to_dict()``) and
    the result (store, operator, account, user, creds)."""

    report: Report
    result: LoadResult


def load_managed_account(
    nsc: Nsc,
    *,
    profile: str | None = None,
    url: str | None = None,
    seed: str | None = None,
    user: str | None = None,
    save: bool = True,
) -> LoadOutcome:
    """Import a managed operator (from ``profile`` or its JWT at ``url``), the account whose
    seed is ``seed`` (its JWT from the operator's account server) and a new user ``user`` of it
    with its creds, into the stores of ``nsc`` (on disk); make them current (``save``: in
    ``nsc.json`` too).

    A user that exists already is left alone (a warning). Nothing is written when the operator,
    the seed or the account server's answer is not right. See the module docstring for the
    rules.
    """
    operator_name: str | None = None
    if profile is not None:
        if url is not None or seed is not None:
            given = " and ".join(f for f, v in (("--url", url), ("--seed", seed)) if v is not None)
            raise UsageError(f"--profile and {given} are mutually exclusive")
        parsed = parse_profile(profile)
        if user is not None and parsed.user and parsed.user != user:
            raise UsageError("--user and the profile's user= differ")
        location = _known_operator_url(parsed.operator)
        operator_name, seed, user = parsed.operator, parsed.seed, parsed.user or user
    elif url is not None:
        location = url
    else:
        raise UsageError(
            "missing account server URL: give --url <operator jwt url> or --profile "
            "nsc://<operator>?secret=<account seed>"
        )
    if not seed:
        raise UsageError(
            "expected account seed to initialize: give --seed SA... (or secret= in --profile)"
        )
    root = nsc.context.store_root  # an in-memory Nsc has no store root to load into
    token, operator_name = _operator(location, operator_name)
    result = load_account(
        root, nsc.keystore, operator_name=operator_name, operator_token=token,
        account_seed=seed, user=user or DEFAULT_USER,
    )  # fmt: skip
    nsc.select(operator=result.operator_name, account=result.account_name, save=save)
    return LoadOutcome(_report(result), result)


def _known_operator_url(name: str) -> str:
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
    location = resolve_operator_location(location)
    token, claims = load_operator_jwt(location)
    if name is None:
        name = operator_name_for(claims.name, location) if is_url(location) else claims.name
    return token, name


def _report(result: LoadResult) -> Report:
    report = Report(data=result.to_dict())
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
    return report
