"""``pynsc generate profile nsc://OPERATOR[/ACCOUNT[/USER]][?OPTIONS]``: a JSON profile for tools.

The profile always has the operator's service URLs, and the user's creds file when a user is
named and its creds exist. Options (case-insensitive, ``&``-separated) add more:

* ``operatorKey``, ``accountKey``, ``userKey``: public keys; ``key`` the last entity's, ``keys``
  every entity's in the path;
* ``operatorSeed``, ``accountSeed``, ``userSeed`` (``=<public key>`` picks a signing key): seeds;
  ``seed`` the last entity's, ``seeds`` every entity's;
* ``operatorName``, ``accountName``, ``userName``, ``name``, ``names``: names;
* ``store=<dir>`` (the store root) and ``keystore=<dir>``.

Entities are matched by name, ignoring case, or by public key. The current context is not
changed. Parses flags and renders; the rules are :func:`pynsc.actions.creds.generate_profile`'s.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, output_file_option

STDOUT = ("--", "-")


@command("profile", short_help="Generate a profile from an nsc:// URL, for tooling.")
@click.argument("url", metavar="nsc://OPERATOR[/ACCOUNT[/USER]][?OPTIONS]")
@output_file_option
@json_option
@pass_app
def generate_profile(app: App, *, url: str, output_file: str | None, as_json: bool) -> None:
    """Print a JSON profile of an operator, account or user: service URLs, the user's creds
    file, and the keys, seeds and names the options ask for.

    Options: [operator|account|user]Key, key, keys; [operator|account|user]Seed[=<public
    key>], seed, seeds; [operator|account|user]Name, name, names; store=<dir>;
    keystore=<dir>. Example: nsc://O/A/U?userSeed&accountKey
    """
    from pynsc.actions import creds
    from pynsc.errors import UsageError

    output = None if output_file in STDOUT else output_file
    try:
        result = creds.generate_profile(app.nsc, url, output=output)
    except UsageError as e:  # shown as the CLI's usage errors are
        raise click.UsageError(e.message) from e
    if result.path is None and not as_json:
        result.report.data = result.text
    app.output.report(result.report, as_json=as_json)
