"""pynsc: NATS operator, account and user security toolkit, as a library and a CLI.

The public API is re-exported here and typed (``py.typed``); importing :mod:`pynsc` loads
nothing until a name is used, and nothing of it ever loads click or rich::

    import pynsc
    from datetime import timedelta

    # no store: an account signing-key seed and the account's JWT
    issuer = pynsc.Issuer.from_seed(signing_seed, account=account_jwt)
    creds = issuer.issue_user("web-42", bearer=True, allow_sub=["projects.42.>"],
                              expiry=timedelta(hours=1))

    # a store, found as the CLI finds it (or pynsc.Nsc.memory() for one in memory)
    nsc = pynsc.Nsc.open()
    result = pynsc.add_user(nsc, "svc", account="A")

See ``docs/library.md``. The layers below, importable on their own: :mod:`pynsc.keys` (nkeys,
keystore, creds), :mod:`pynsc.claims` (JWT v2), :mod:`pynsc.store` (nsc's on-disk layout),
:mod:`pynsc.actions` (every command's rules), :mod:`pynsc.push` (servers).
"""

# No ``from __future__ import annotations`` and no ``typing`` at run time: ``pynsc --version``
# imports this module and pynsc.cli, and nothing else.

__version__ = "0.1.0"

TYPE_CHECKING = False  # mypy treats this name as typing's
if TYPE_CHECKING:
    from typing import Any

    from pynsc.actions.accounts import (
        AccountChanges,
        AccountLimitChanges,
        AccountResult,
        DeleteAccountResult,
        RenameAccountResult,
        TraceChanges,
        add_account,
        delete_account,
        edit_account,
        rename_account,
    )
    from pynsc.actions.activations import ActivationResult, generate_activation
    from pynsc.actions.authcallout import AuthCalloutChanges, AuthCalloutResult, edit_authcallout
    from pynsc.actions.context import (
        Environment,
        Selection,
        environment,
        select_account,
        select_operator,
    )
    from pynsc.actions.creds import (
        CredsFile,
        GeneratedKeys,
        NatsContext,
        Profile,
        generate_context,
        generate_creds,
        generate_nkeys,
        generate_profile,
    )
    from pynsc.actions.describe import (
        Described,
        describe_account,
        describe_jwt,
        describe_operator,
        describe_user,
    )
    from pynsc.actions.exports import (
        ExportChanges,
        ExportResult,
        add_export,
        delete_export,
        edit_export,
    )
    from pynsc.actions.importing import (
        ImportedAccount,
        ImportedKeys,
        ImportedUser,
        KeysExportResult,
        export_keys,
        import_account,
        import_keys,
        import_user,
    )
    from pynsc.actions.imports import ImportResult, add_import, delete_import
    from pynsc.actions.init import InitResult, init
    from pynsc.actions.issuer import Issuer, Moment, Span
    from pynsc.actions.jetstream import JetStreamChanges
    from pynsc.actions.keys import MigrationResult, migrate_keystore
    from pynsc.actions.listing import (
        Expirations,
        KeyListing,
        KeyQuery,
        Listing,
        expirations,
        list_accounts,
        list_keys,
        list_operators,
        list_users,
    )
    from pynsc.actions.load import LoadOutcome, load_managed_account
    from pynsc.actions.mappings import MappingResult, add_mapping, delete_mapping
    from pynsc.actions.operators import (
        OperatorChanges,
        OperatorResult,
        ReissueResult,
        add_operator,
        edit_operator,
        import_operator,
        reissue_operator,
    )
    from pynsc.actions.push import PullOutcome, PushOutcome, pull_jwts, push_jwts
    from pynsc.actions.revocations import (
        Revocation,
        RevocationList,
        RevocationResult,
        activation_revocations,
        delete_activation_revocation,
        delete_user_revocation,
        revoke_activation,
        revoke_user,
        user_revocations,
    )
    from pynsc.actions.server import (
        ServerRun,
        ServerStatusResult,
        ServerStopResult,
        run_server,
        server_status,
        stop_server,
    )
    from pynsc.actions.serverconfig import ConfigResult, generate_config
    from pynsc.actions.session import Nsc
    from pynsc.actions.signing_keys import (
        SigningKeyResult,
        add_signing_key,
        edit_signing_key,
        remove_signing_key,
        scoped_key,
    )
    from pynsc.actions.tool import ConnectAs, publish, request, respond, round_trip, subscribe
    from pynsc.actions.user_changes import PermissionChanges, UserChanges
    from pynsc.actions.user_deletion import DeleteUsersResult, delete_users
    from pynsc.actions.users import Creds, UserResult, add_user, edit_user, find_user
    from pynsc.actions.validate import ValidationResult, validate_jwts, validate_store
    from pynsc.errors import (
        ClaimsError,
        CredsError,
        DecodeError,
        ExistsError,
        InvalidKeyError,
        KeyStoreError,
        NotFoundError,
        NscError,
        PushError,
        ServerError,
        SignatureError,
        StoreError,
        UsageError,
    )
    from pynsc.push.operations import ServerOptions
    from pynsc.push.tls import TlsOptions
    from pynsc.store.report import Report
    from pynsc.store.serverconfig import ConfigKind, WebsocketConfig
    from pynsc.web import JwtCookie, jwt_cookie

_EXPORTS: dict[str, str] = {
    "AccountChanges": "pynsc.actions.accounts",
    "AccountLimitChanges": "pynsc.actions.accounts",
    "AccountResult": "pynsc.actions.accounts",
    "DeleteAccountResult": "pynsc.actions.accounts",
    "RenameAccountResult": "pynsc.actions.accounts",
    "TraceChanges": "pynsc.actions.accounts",
    "add_account": "pynsc.actions.accounts",
    "delete_account": "pynsc.actions.accounts",
    "edit_account": "pynsc.actions.accounts",
    "rename_account": "pynsc.actions.accounts",
    "ActivationResult": "pynsc.actions.activations",
    "generate_activation": "pynsc.actions.activations",
    "AuthCalloutChanges": "pynsc.actions.authcallout",
    "AuthCalloutResult": "pynsc.actions.authcallout",
    "edit_authcallout": "pynsc.actions.authcallout",
    "Environment": "pynsc.actions.context",
    "Selection": "pynsc.actions.context",
    "environment": "pynsc.actions.context",
    "select_account": "pynsc.actions.context",
    "select_operator": "pynsc.actions.context",
    "CredsFile": "pynsc.actions.creds",
    "GeneratedKeys": "pynsc.actions.creds",
    "NatsContext": "pynsc.actions.creds",
    "Profile": "pynsc.actions.creds",
    "generate_context": "pynsc.actions.creds",
    "generate_creds": "pynsc.actions.creds",
    "generate_nkeys": "pynsc.actions.creds",
    "generate_profile": "pynsc.actions.creds",
    "Described": "pynsc.actions.describe",
    "describe_account": "pynsc.actions.describe",
    "describe_jwt": "pynsc.actions.describe",
    "describe_operator": "pynsc.actions.describe",
    "describe_user": "pynsc.actions.describe",
    "ExportChanges": "pynsc.actions.exports",
    "ExportResult": "pynsc.actions.exports",
    "add_export": "pynsc.actions.exports",
    "delete_export": "pynsc.actions.exports",
    "edit_export": "pynsc.actions.exports",
    "ImportedAccount": "pynsc.actions.importing",
    "ImportedKeys": "pynsc.actions.importing",
    "ImportedUser": "pynsc.actions.importing",
    "KeysExportResult": "pynsc.actions.importing",
    "export_keys": "pynsc.actions.importing",
    "import_account": "pynsc.actions.importing",
    "import_keys": "pynsc.actions.importing",
    "import_user": "pynsc.actions.importing",
    "ImportResult": "pynsc.actions.imports",
    "add_import": "pynsc.actions.imports",
    "delete_import": "pynsc.actions.imports",
    "InitResult": "pynsc.actions.init",
    "init": "pynsc.actions.init",
    "Issuer": "pynsc.actions.issuer",
    "Moment": "pynsc.actions.issuer",
    "Span": "pynsc.actions.issuer",
    "JetStreamChanges": "pynsc.actions.jetstream",
    "MigrationResult": "pynsc.actions.keys",
    "migrate_keystore": "pynsc.actions.keys",
    "Expirations": "pynsc.actions.listing",
    "KeyListing": "pynsc.actions.listing",
    "KeyQuery": "pynsc.actions.listing",
    "Listing": "pynsc.actions.listing",
    "expirations": "pynsc.actions.listing",
    "list_accounts": "pynsc.actions.listing",
    "list_keys": "pynsc.actions.listing",
    "list_operators": "pynsc.actions.listing",
    "list_users": "pynsc.actions.listing",
    "LoadOutcome": "pynsc.actions.load",
    "load_managed_account": "pynsc.actions.load",
    "MappingResult": "pynsc.actions.mappings",
    "add_mapping": "pynsc.actions.mappings",
    "delete_mapping": "pynsc.actions.mappings",
    "OperatorChanges": "pynsc.actions.operators",
    "OperatorResult": "pynsc.actions.operators",
    "ReissueResult": "pynsc.actions.operators",
    "add_operator": "pynsc.actions.operators",
    "edit_operator": "pynsc.actions.operators",
    "import_operator": "pynsc.actions.operators",
    "reissue_operator": "pynsc.actions.operators",
    "PullOutcome": "pynsc.actions.push",
    "PushOutcome": "pynsc.actions.push",
    "pull_jwts": "pynsc.actions.push",
    "push_jwts": "pynsc.actions.push",
    "Revocation": "pynsc.actions.revocations",
    "RevocationList": "pynsc.actions.revocations",
    "RevocationResult": "pynsc.actions.revocations",
    "activation_revocations": "pynsc.actions.revocations",
    "delete_activation_revocation": "pynsc.actions.revocations",
    "delete_user_revocation": "pynsc.actions.revocations",
    "revoke_activation": "pynsc.actions.revocations",
    "revoke_user": "pynsc.actions.revocations",
    "user_revocations": "pynsc.actions.revocations",
    "ServerRun": "pynsc.actions.server",
    "ServerStatusResult": "pynsc.actions.server",
    "ServerStopResult": "pynsc.actions.server",
    "run_server": "pynsc.actions.server",
    "server_status": "pynsc.actions.server",
    "stop_server": "pynsc.actions.server",
    "ConfigResult": "pynsc.actions.serverconfig",
    "generate_config": "pynsc.actions.serverconfig",
    "Nsc": "pynsc.actions.session",
    "SigningKeyResult": "pynsc.actions.signing_keys",
    "add_signing_key": "pynsc.actions.signing_keys",
    "edit_signing_key": "pynsc.actions.signing_keys",
    "remove_signing_key": "pynsc.actions.signing_keys",
    "scoped_key": "pynsc.actions.signing_keys",
    "ConnectAs": "pynsc.actions.tool",
    "publish": "pynsc.actions.tool",
    "request": "pynsc.actions.tool",
    "respond": "pynsc.actions.tool",
    "round_trip": "pynsc.actions.tool",
    "subscribe": "pynsc.actions.tool",
    "PermissionChanges": "pynsc.actions.user_changes",
    "UserChanges": "pynsc.actions.user_changes",
    "DeleteUsersResult": "pynsc.actions.user_deletion",
    "delete_users": "pynsc.actions.user_deletion",
    "Creds": "pynsc.actions.users",
    "UserResult": "pynsc.actions.users",
    "add_user": "pynsc.actions.users",
    "edit_user": "pynsc.actions.users",
    "find_user": "pynsc.actions.users",
    "ValidationResult": "pynsc.actions.validate",
    "validate_jwts": "pynsc.actions.validate",
    "validate_store": "pynsc.actions.validate",
    "ClaimsError": "pynsc.errors",
    "CredsError": "pynsc.errors",
    "DecodeError": "pynsc.errors",
    "ExistsError": "pynsc.errors",
    "InvalidKeyError": "pynsc.errors",
    "KeyStoreError": "pynsc.errors",
    "NotFoundError": "pynsc.errors",
    "NscError": "pynsc.errors",
    "PushError": "pynsc.errors",
    "ServerError": "pynsc.errors",
    "SignatureError": "pynsc.errors",
    "StoreError": "pynsc.errors",
    "UsageError": "pynsc.errors",
    "ServerOptions": "pynsc.push.operations",
    "TlsOptions": "pynsc.push.tls",
    "Report": "pynsc.store.report",
    "ConfigKind": "pynsc.store.serverconfig",
    "WebsocketConfig": "pynsc.store.serverconfig",
    "JwtCookie": "pynsc.web",
    "jwt_cookie": "pynsc.web",
}

__all__ = [
    "AccountChanges",
    "AccountLimitChanges",
    "AccountResult",
    "ActivationResult",
    "AuthCalloutChanges",
    "AuthCalloutResult",
    "ClaimsError",
    "ConfigKind",
    "ConfigResult",
    "ConnectAs",
    "Creds",
    "CredsError",
    "CredsFile",
    "DecodeError",
    "DeleteAccountResult",
    "DeleteUsersResult",
    "Described",
    "Environment",
    "ExistsError",
    "Expirations",
    "ExportChanges",
    "ExportResult",
    "GeneratedKeys",
    "ImportResult",
    "ImportedAccount",
    "ImportedKeys",
    "ImportedUser",
    "InitResult",
    "InvalidKeyError",
    "Issuer",
    "JetStreamChanges",
    "JwtCookie",
    "KeyListing",
    "KeyQuery",
    "KeyStoreError",
    "KeysExportResult",
    "Listing",
    "LoadOutcome",
    "MappingResult",
    "MigrationResult",
    "Moment",
    "NatsContext",
    "NotFoundError",
    "Nsc",
    "NscError",
    "OperatorChanges",
    "OperatorResult",
    "PermissionChanges",
    "Profile",
    "PullOutcome",
    "PushError",
    "PushOutcome",
    "ReissueResult",
    "RenameAccountResult",
    "Report",
    "Revocation",
    "RevocationList",
    "RevocationResult",
    "Selection",
    "ServerError",
    "ServerOptions",
    "ServerRun",
    "ServerStatusResult",
    "ServerStopResult",
    "SignatureError",
    "SigningKeyResult",
    "Span",
    "StoreError",
    "TlsOptions",
    "TraceChanges",
    "UsageError",
    "UserChanges",
    "UserResult",
    "ValidationResult",
    "WebsocketConfig",
    "__version__",
    "activation_revocations",
    "add_account",
    "add_export",
    "add_import",
    "add_mapping",
    "add_operator",
    "add_signing_key",
    "add_user",
    "delete_account",
    "delete_activation_revocation",
    "delete_export",
    "delete_import",
    "delete_mapping",
    "delete_user_revocation",
    "delete_users",
    "describe_account",
    "describe_jwt",
    "describe_operator",
    "describe_user",
    "edit_account",
    "edit_authcallout",
    "edit_export",
    "edit_operator",
    "edit_signing_key",
    "edit_user",
    "environment",
    "expirations",
    "export_keys",
    "find_user",
    "generate_activation",
    "generate_config",
    "generate_context",
    "generate_creds",
    "generate_nkeys",
    "generate_profile",
    "import_account",
    "import_keys",
    "import_operator",
    "import_user",
    "init",
    "jwt_cookie",
    "list_accounts",
    "list_keys",
    "list_operators",
    "list_users",
    "load_managed_account",
    "migrate_keystore",
    "publish",
    "pull_jwts",
    "push_jwts",
    "reissue_operator",
    "remove_signing_key",
    "rename_account",
    "request",
    "respond",
    "revoke_activation",
    "revoke_user",
    "round_trip",
    "run_server",
    "scoped_key",
    "select_account",
    "select_operator",
    "server_status",
    "stop_server",
    "subscribe",
    "user_revocations",
    "validate_jwts",
    "validate_store",
]


def __getattr__(name: str) -> "Any":
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pynsc' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
