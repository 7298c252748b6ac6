"""Auth-callout claims: the server's request and the callout service's response."""

from __future__ import annotations

from typing import ClassVar

from pynsc._model import dataclass
from pynsc.claims._codec import opt, req
from pynsc.claims.base import (
    AUTHORIZATION_REQUEST_CLAIM,
    AUTHORIZATION_RESPONSE_CLAIM,
    ClaimsData,
)
from pynsc.claims.types import ClientInformation, ClientTLS, ConnectOptions, ServerID
from pynsc.keys.nkey import KeyKind

AUTH_REQUEST_AUDIENCE = "nats-authorization-request"


@dataclass(kw_only=True, slots=True)
class AuthorizationRequest:
    server_id: ServerID = req(factory=ServerID)
    user_nkey: str = req("")
    client_info: ClientInformation = req(factory=ClientInformation)
    connect_opts: ConnectOptions = req(factory=ConnectOptions)
    client_tls: ClientTLS | None = opt(None)
    request_nonce: str = opt("")
    tags: list[str] = opt(factory=list)
    type: str = opt(AUTHORIZATION_REQUEST_CLAIM)
    version: int = opt(2)


@dataclass(kw_only=True, slots=True)
class AuthorizationRequestClaims(ClaimsData):
    """Signed by a server (``N``) key; ``sub`` is the connecting user's nkey."""

    nats: AuthorizationRequest = opt(factory=AuthorizationRequest)

    claim_type: ClassVar[str] = AUTHORIZATION_REQUEST_CLAIM
    signer_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.SERVER,)


@dataclass(kw_only=True, slots=True)
class AuthorizationResponse:
    jwt: str = opt("")
    error: str = opt("")
    issuer_account: str = opt("")
    tags: list[str] = opt(factory=list)
    type: str = opt(AUTHORIZATION_RESPONSE_CLAIM)
    version: int = opt(2)


@dataclass(kw_only=True, slots=True)
class AuthorizationResponseClaims(ClaimsData):
    """Signed by an account key; ``sub`` is the user, ``aud`` the server's ``N`` key."""

    nats: AuthorizationResponse = opt(factory=AuthorizationResponse)

    claim_type: ClassVar[str] = AUTHORIZATION_RESPONSE_CLAIM
    signer_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.ACCOUNT,)
