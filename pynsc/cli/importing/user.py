"""``pynsc import user -f FILE``: add a user JWT (or a creds file: JWT and seed) to the store."""

from __future__ import annotations

from pathlib import Path

import click

from pynsc.claims import UserClaims, decode, validate
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.cli.params import check_name
from pynsc.errors import ClaimsError, ExistsError, NotFoundError, NscError, StoreError
from pynsc.keys import KeyPair, format_creds, from_seed, parse_decorated_jwt, parse_decorated_seed
from pynsc.store.report import Report


def _read(location: str) -> tuple[str, KeyPair | None]:
    """The user JWT of a ``.jwt`` or ``.creds`` file, and the seed a creds file holds."""
    path = Path(location).expanduser()
    if path.is_dir():
        raise StoreError(f"{display_path(path)} is a directory")
    if path.suffix not in (".jwt", ".creds"):
        raise click.BadParameter("expected a .jwt or .creds file", param_hint="'-f' / '--file'")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"file {display_path(path)} does not exist") from None
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"cannot read {display_path(path)}: {e}") from e
    token = parse_decorated_jwt(text)
    if path.suffix == ".jwt":
        return token, None
    seed = parse_decorated_seed(text)
    if seed is None:
        raise StoreError(f"no user seed found in {display_path(path)}")
    return token, from_seed(seed)


@command("user", short_help="Import a user JWT or creds file.")
@click.option("-f", "--file", "file", metavar="FILE", required=True,
              help="A user JWT (.jwt, decorated or not) or creds file (.creds).")
@click.option("--overwrite", is_flag=True, default=False,
              help="Replace a stored user of the same name (it must have the same key).")
@click.option("--skip", is_flag=True, default=False,
              help="Import even when the JWT has validation issues.")
@json_option
@pass_app
def import_user(app: App, *, file: str, overwrite: bool, skip: bool, as_json: bool) -> None:
    """Import a user into the account that issued it (by its identity or a signing key).

    From a creds file the seed is stored too, and the creds file rewritten in the keystore.
    """
    token, pair = _read(file)
    try:
        claims: UserClaims = decode(token, UserClaims)
    except NscError as e:
        raise StoreError(f"failed to decode {display_path(file)}: {e}") from e
    if pair is not None and pair.public_key != claims.sub:
        raise StoreError(f"the seed in {display_path(file)} is not the key of the user JWT")
    name = check_name(claims.name, "user")
    results = validate(claims)
    blocking = [i.description for i in results if i.blocking or i.time_check]
    if blocking and not skip:
        raise ClaimsError(
            f"validation is blocking: {'; '.join(blocking)}", hint="import anyway with --skip"
        )
    report = Report()
    for issue in results:
        report.warn(f"Validation resulted in: {issue.description}")
    context = app.context
    store = context.store()
    keystore = app.keystore
    with store.lock():
        issuer_account = claims.issuer_account
        account_name = next(
            (n for n, a in store.accounts() if a.sub == issuer_account), None
        )
        if account_name is None:
            raise NotFoundError(f"referenced account {issuer_account} not found, import first")
        account = store.account(account_name)
        if not account.did_sign(claims):
            raise StoreError(
                "can only import a user signed by the account or one of its signing keys",
                hint=f"add {claims.iss} as a signing key of account {account_name!r} first",
            )
        if store.has_user(account_name, name):
            if not overwrite:
                raise ExistsError(
                    f'user "{name}" already exists in account "{account_name}"',
                    hint="replace it with --overwrite",
                )
            old = store.user(account_name, name)
            if old.sub != claims.sub:
                raise ExistsError(
                    f'the stored user "{name}" is another user ({old.sub}, not {claims.sub}): '
                    "resolve the name collision first"
                )
        if pair is not None:
            report.ok(f"key stored {display_path(keystore.store(pair))}")
        store.write_user(account_name, name, token)
        stored = keystore.get(claims.sub)
        if stored is not None and stored.seed is not None:
            path = keystore.write_creds(
                store.name, account_name, name, format_creds(token, stored.seed)
            )
            report.ok(f"generated user creds file {display_path(path)}")
    report.ok(f'user "{name}" was successfully imported into account "{account_name}"')
    report.data = {"account": account_name, "name": name, "public_key": claims.sub}
    app.output.report(report, as_json=as_json)
