"""JWT v2 claims: models, encode, decode and validate, byte-identical to nats-io/jwt v2.

This layer imports neither click nor rich, and never prints. Every name is loaded from its
submodule on first use, so a program loads only the claim types it touches: decoding a user JWT
loads neither the account, operator, activation nor authorization claims, nor validation (and
what that needs: Go's subject, URL, CIDR and time-zone rules).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pynsc.claims.account import Account, AccountClaims
    from pynsc.claims.activation import Activation, ActivationClaims
    from pynsc.claims.authorization import (
        AUTH_REQUEST_AUDIENCE,
        AuthorizationRequest,
        AuthorizationRequestClaims,
        AuthorizationResponse,
        AuthorizationResponseClaims,
    )
    from pynsc.claims.base import (
        ACCOUNT_CLAIM,
        ACTIVATION_CLAIM,
        AUTHORIZATION_REQUEST_CLAIM,
        AUTHORIZATION_RESPONSE_CLAIM,
        GENERIC_CLAIM,
        OPERATOR_CLAIM,
        USER_CLAIM,
        ClaimsData,
    )
    from pynsc.claims.generic import GenericClaims
    from pynsc.claims.jwt import (
        Decoded,
        claim_type_of,
        decode,
        decode_creds,
        decode_generic,
        decode_token,
        decode_unverified,
        decorate,
        encode,
        peek,
    )
    from pynsc.claims.operator import Operator, OperatorClaims
    from pynsc.claims.types import (
        ANY_ACCOUNT,
        CONNECTION_TYPES,
        NO_LIMIT,
        SERVICE,
        STREAM,
        ClientInformation,
        ClientTLS,
        ConnectOptions,
        Export,
        ExternalAuthorization,
        Import,
        JetStreamLimits,
        MsgTrace,
        OperatorLimits,
        Permission,
        Permissions,
        ResponsePermission,
        ServerID,
        ServiceLatency,
        TimeRange,
        UserPermissionLimits,
        UserScope,
        WeightedMapping,
    )
    from pynsc.claims.user import User, UserClaims
    from pynsc.claims.validation import ValidationIssue, ValidationResults, validate


#: submodule: the public names it defines (``tests/claims/test_lazy_package.py`` checks them)
_SUBMODULES: dict[str, tuple[str, ...]] = {
    "account": ("Account", "AccountClaims"),
    "activation": ("Activation", "ActivationClaims"),
    "authorization": (
        "AUTH_REQUEST_AUDIENCE", "AuthorizationRequest", "AuthorizationRequestClaims",
        "AuthorizationResponse", "AuthorizationResponseClaims",
    ),
    "base": (
        "ACCOUNT_CLAIM", "ACTIVATION_CLAIM", "AUTHORIZATION_REQUEST_CLAIM",
        "AUTHORIZATION_RESPONSE_CLAIM", "GENERIC_CLAIM", "OPERATOR_CLAIM", "USER_CLAIM",
        "ClaimsData",
    ),
    "generic": ("GenericClaims",),
    "jwt": (
        "Decoded", "claim_type_of", "decode", "decode_creds", "decode_generic", "decode_token",
        "decode_unverified", "decorate", "encode", "peek",
    ),
    "operator": ("Operator", "OperatorClaims"),
    "types": (
        "ANY_ACCOUNT", "CONNECTION_TYPES", "NO_LIMIT", "SERVICE", "STREAM", "ClientInformation",
        "ClientTLS", "ConnectOptions", "Export", "ExternalAuthorization", "Import",
        "JetStreamLimits", "MsgTrace", "OperatorLimits", "Permission", "Permissions",
        "ResponsePermission", "ServerID", "ServiceLatency", "TimeRange", "UserPermissionLimits",
        "UserScope", "WeightedMapping",
    ),
    "user": ("User", "UserClaims"),
    "validation": ("ValidationIssue", "ValidationResults", "validate"),
}
_WHERE = {name: module for module, names in _SUBMODULES.items() for name in names}

__all__ = [
    "ACCOUNT_CLAIM",
    "ACTIVATION_CLAIM",
    "ANY_ACCOUNT",
    "AUTHORIZATION_REQUEST_CLAIM",
    "AUTHORIZATION_RESPONSE_CLAIM",
    "AUTH_REQUEST_AUDIENCE",
    "CONNECTION_TYPES",
    "GENERIC_CLAIM",
    "NO_LIMIT",
    "OPERATOR_CLAIM",
    "SERVICE",
    "STREAM",
    "USER_CLAIM",
    "Account",
    "AccountClaims",
    "Activation",
    "ActivationClaims",
    "AuthorizationRequest",
    "AuthorizationRequestClaims",
    "AuthorizationResponse",
    "AuthorizationResponseClaims",
    "ClaimsData",
    "ClientInformation",
    "ClientTLS",
    "ConnectOptions",
    "Decoded",
    "Export",
    "ExternalAuthorization",
    "GenericClaims",
    "Import",
    "JetStreamLimits",
    "MsgTrace",
    "Operator",
    "OperatorClaims",
    "OperatorLimits",
    "Permission",
    "Permissions",
    "ResponsePermission",
    "ServerID",
    "ServiceLatency",
    "TimeRange",
    "User",
    "UserClaims",
    "UserPermissionLimits",
    "UserScope",
    "ValidationIssue",
    "ValidationResults",
    "WeightedMapping",
    "claim_type_of",
    "decode",
    "decode_creds",
    "decode_generic",
    "decode_token",
    "decode_unverified",
    "decorate",
    "encode",
    "peek",
    "validate",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'pynsc.claims' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"pynsc.claims.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
