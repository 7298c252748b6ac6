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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
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
    from pynsc.actions.session import Nsc
    from pynsc.actions.signing_keys import (
        SigningKeyResult,
        add_signing_key,
        edit_signing_key,
        remove_signing_key,
        scoped_key,
    )
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
    from pynsc.store.report import Report
    from pynsc.store.serverconfig import WebsocketConfig
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
    "Revocation": "pynsc.actions.revocations",
    "RevocationList": "pynsc.actions.revocations",
    "RevocationResult": "pynsc.actions.revocations",
    "activation_revocations": "pynsc.actions.revocations",
    "delete_activation_revocation": "pynsc.actions.revocations",
    "delete_user_revocation": "pynsc.actions.revocations",
    "revoke_activation": "pynsc.actions.revocations",
    "revoke_user": "pynsc.actions.revocations",
    "user_revocations": "pynsc.actions.revocations",
    "Nsc": "pynsc.actions.session",
    "SigningKeyResult": "pynsc.actions.signing_keys",
    "add_signing_key": "pynsc.actions.signing_keys",
    "edit_signing_key": "pynsc.actions.signing_keys",
    "remove_signing_key": "pynsc.actions.signing_keys",
    "scoped_key": "pynsc.actions.signing_keys",
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
    "Report": "pynsc.store.report",
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
    "PushError",
    "ReissueResult",
    "RenameAccountResult",
    "Report",
    "Revocation",
    "RevocationList",
    "RevocationResult",
    "Selection",
    "ServerError",
    "SignatureError",
    "SigningKeyResult",
    "Span",
    "StoreError",
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
    "migrate_keystore",
    "reissue_operator",
    "remove_signing_key",
    "rename_account",
    "revoke_activation",
    "revoke_user",
    "scoped_key",
    "select_account",
    "select_operator",
    "user_revocations",
    "validate_jwts",
    "validate_store",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pynsc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
