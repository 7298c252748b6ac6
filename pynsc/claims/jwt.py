"""Encoding and decoding JWTs: nats-io/jwt v2's ``Encode``, ``Decode`` and ``DecodeGeneric``."""

from __future__ import annotations

import importlib
import time
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from pynsc._model import dataclass
from pynsc.claims._codec import (
    ALG_V1,
    JTI_PLACEHOLDER,
    Parts,
    assemble,
    from_dict,
    payload_with_jti,
    split,
    to_dict,
)
from pynsc.claims.base import (
    ACCOUNT_CLAIM,
    ACTIVATION_CLAIM,
    AUTHORIZATION_REQUEST_CLAIM,
    AUTHORIZATION_RESPONSE_CLAIM,
    LIB_VERSION,
    OPERATOR_CLAIM,
    USER_CLAIM,
    ClaimsData,
    loaded_instance,
)
from pynsc.claims.generic import GenericClaims
from pynsc.errors import ClaimsError, CredsError, DecodeError, InvalidKeyError, SignatureError
from pynsc.keys import creds as _creds
from pynsc.keys.nkey import (
    KeyKind,
    KeyPair,
    Signer,
    from_public_key,
    from_seed,
    public_key_kind,
)

if TYPE_CHECKING:
    from pynsc.claims.account import AccountClaims
    from pynsc.claims.operator import OperatorClaims
    from pynsc.claims.user import UserClaims

__all__ = [
    "Decoded",
    "decode",
    "decode_creds",
    "decode_generic",
    "decode_token",
    "decorate",
    "encode",
]

C = TypeVar("C", bound=ClaimsData)

#: the claims class of each claim type, as (module, class): imported when a token of that type
#: is first met, so decoding a user JWT loads no account, operator or activation model
_TYPED: dict[str, tuple[str, str]] = {
    OPERATOR_CLAIM: ("pynsc.claims.operator", "OperatorClaims"),
    ACCOUNT_CLAIM: ("pynsc.claims.account", "AccountClaims"),
    USER_CLAIM: ("pynsc.claims.user", "UserClaims"),
    ACTIVATION_CLAIM: ("pynsc.claims.activation", "ActivationClaims"),
    AUTHORIZATION_REQUEST_CLAIM: ("pynsc.claims.authorization", "AuthorizationRequestClaims"),
    AUTHORIZATION_RESPONSE_CLAIM: ("pynsc.claims.authorization", "AuthorizationResponseClaims"),
}
_VERSIONED = (OPERATOR_CLAIM, ACCOUNT_CLAIM, USER_CLAIM, ACTIVATION_CLAIM)


def _typed(kind: str) -> type[ClaimsData]:
    """The claims class of claim type ``kind`` (one of :data:`_TYPED`)."""
    module, name = _TYPED[kind]
    cls: type[ClaimsData] = getattr(importlib.import_module(module), name)
    return cls


# Encode ------------------------------------------------------------------------------------------


def _key_kind(public_key: str) -> KeyKind | None:
    try:
        return from_public_key(public_key).kind
    except InvalidKeyError:
        return None


def _check_subject(claims: ClaimsData) -> None:
    if not claims.sub:
        raise ClaimsError("subject is not set")
    if claims.subject_kinds and public_key_kind(claims.sub) not in claims.subject_kinds:
        wanted = " or ".join(k.value for k in claims.subject_kinds)
        raise ClaimsError(
            f"invalid subject {claims.sub!r} for {claims.claim_type} claims: "
            f"an {wanted} public key is expected"
        )
    if _is_a(claims, OPERATOR_CLAIM):
        _check_account_server_url(cast("OperatorClaims", claims).nats.account_server_url)


def _is_a(claims: ClaimsData, kind: str) -> bool:
    """``isinstance(claims, <the claims class of kind>)``, importing nothing: an object of a
    class whose module was never imported cannot be an instance of it."""
    return loaded_instance(claims, *_TYPED[kind])


def _check_account_server_url(account_server_url: str) -> None:
    if not account_server_url:
        return
    import urllib.parse

    try:
        url = urllib.parse.urlsplit(account_server_url)
    except ValueError:  # "http://[": an unterminated IPv6 host
        raise ClaimsError(
            f"account server url {account_server_url!r} is not a valid url"
        ) from None
    if not url.scheme:
        raise ClaimsError(f"account server url {account_server_url!r} requires a protocol")


def _check_signer(claims: ClaimsData, signer: Signer) -> None:
    kind = public_key_kind(signer.public_key)
    if kind is None:
        raise ClaimsError(f"invalid signing key {signer.public_key!r}")
    if claims.signer_kinds and kind not in claims.signer_kinds:
        wanted = " or ".join(k.value for k in claims.signer_kinds)
        raise ClaimsError(
            f"{claims.claim_type} claims cannot be signed by a {kind.value} key; "
            f"{wanted} key expected"
        )


def encode(claims: ClaimsData, signer: Signer, iat: int | None = None) -> str:
    """Sign ``claims`` with ``signer`` and return the JWT.

    Like Go's ``Encode`` this stamps the claims: ``nats.type`` and ``nats.version``, ``iss`` (the
    signer), ``iat`` (``iat`` or now, in Unix seconds) and ``jti``; account imports and exports are
    sorted by subject. The same claims, key and ``iat`` always give the same token.
    """
    nats = getattr(claims, "nats", None)
    if isinstance(claims, GenericClaims):
        pass
    elif nats is not None:
        nats.type = claims.claim_type
    if _is_a(claims, ACCOUNT_CLAIM):
        account = cast("AccountClaims", claims)
        account.nats.exports.sort(key=lambda e: e.subject)
        account.nats.imports.sort(key=lambda i: i.subject)
    _check_subject(claims)
    _check_signer(claims, signer)
    claims.iss = signer.public_key
    claims.iat = int(time.time()) if iat is None else int(iat)
    if isinstance(claims, GenericClaims):
        claims.nats["version"] = LIB_VERSION
    elif nats is not None:
        nats.version = LIB_VERSION
    claims.jti = JTI_PLACEHOLDER
    payload, claims.jti = payload_with_jti(to_dict(claims))
    return assemble(payload, signer.sign)


# Decode ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decoded:
    """A verified token: its claims, and its header and payload exactly as they were sent."""

    token: str
    claims: ClaimsData
    header: dict[str, Any]
    payload: dict[str, Any]

    @property
    def claim_type(self) -> str:
        return claim_type_of(self.claims)


def claim_type_of(claims: ClaimsData) -> str:
    if isinstance(claims, GenericClaims):
        return claims.claim_type_name
    return claims.claim_type


def _identify(payload: dict[str, Any]) -> tuple[str, int]:
    top = payload.get("type")
    if isinstance(top, str) and top:
        return top, 1
    nats = payload.get("nats")
    if not isinstance(nats, dict):
        return "", 0
    kind = nats.get("type")
    version = nats.get("version", 0)
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if isinstance(version, bool) or not isinstance(version, int):
        raise DecodeError("invalid JWT: nats.version should be a number")
    return (kind if isinstance(kind, str) else ""), version


def _verify(parts: Parts, issuer: str, payload_only: bool) -> None:
    try:
        key = from_public_key(issuer)
    except InvalidKeyError:
        raise SignatureError(f"invalid JWT: issuer {issuer!r} is not a public key") from None
    if key.kind is KeyKind.CURVE:
        raise SignatureError(f"invalid JWT: issuer {issuer} is a curve key")
    data = parts.payload_b64.encode("ascii") if payload_only else parts.signed
    if not key.verify(data, parts.signature):
        raise SignatureError("JWT signature verification failed")


def _check_issuer(claims: ClaimsData) -> None:
    kinds = _issuer_kinds(claims)
    if kinds and _key_kind(claims.iss) not in kinds:
        wanted = " or ".join(k.value for k in kinds)
        raise DecodeError(
            f"invalid {claim_type_of(claims)} JWT: issuer {claims.iss} is not an {wanted} key"
        )


def _issuer_kinds(claims: ClaimsData) -> tuple[KeyKind, ...]:
    return claims.signer_kinds


def decode_token(token: str) -> Decoded:
    """Decode and verify ``token`` (v2 or v1), keeping its header and payload.

    Raises :class:`DecodeError` for a malformed, oversized or unsupported token and
    :class:`SignatureError` when the signature does not verify against ``iss``. No time or
    semantic checks happen here: call :func:`pynsc.claims.validate`.
    """
    return _decode_token(token, verify=True)


def _decode_token(token: str, *, verify: bool) -> Decoded:
    token = token.strip()
    parts = split(token)
    kind, version = _identify(parts.payload)
    if version > LIB_VERSION:
        raise DecodeError("JWT was generated by a newer version ")
    if kind in ("cluster", "server"):
        raise DecodeError(f"{kind} claims are not supported")
    claims: ClaimsData
    if kind in _VERSIONED:
        if version == 1:
            claims = _migrate_v1(kind, parts.payload)
        elif version == LIB_VERSION:
            claims = from_dict(_typed(kind), parts.payload)
        else:
            raise DecodeError(
                f"library supports version {LIB_VERSION} or less - received {version}"
            )
        payload_only = version < LIB_VERSION
    elif kind in _TYPED:
        claims = from_dict(_typed(kind), parts.payload)
        payload_only = version < LIB_VERSION
    else:
        claims = _generic(parts.payload, version)
        payload_only = parts.alg == ALG_V1
    if verify:
        _verify(parts, claims.iss, payload_only)
    _check_issuer(claims)
    if _is_a(claims, ACCOUNT_CLAIM):
        _drop_global_jetstream(cast("AccountClaims", claims))
    return Decoded(token, claims, parts.header, parts.payload)


def _drop_global_jetstream(claims: AccountClaims) -> None:
    """As nats-io/jwt's account decoder: tiered limits clear the global JetStream limits (Go nsc
    writes default global limits next to tiers; they mean nothing)."""
    if claims.nats.limits.tiered_limits:
        from pynsc.claims.types import JetStreamLimits

        claims.nats.limits.jetstream = JetStreamLimits()


@overload
def decode(token: str) -> ClaimsData: ...


@overload
def decode(token: str, expected: type[C]) -> C: ...


def decode(token: str, expected: type[C] | None = None) -> ClaimsData:
    """The verified claims of ``token``; with ``expected`` (say :class:`UserClaims`) they are of
    that type, and a claim of another type is an error."""
    claims = decode_token(token).claims
    if expected is not None and not isinstance(claims, expected):
        raise DecodeError(
            f"expected {expected.claim_type} claims, got {claim_type_of(claims)} claims"
        )
    return claims


def decode_unverified(token: str, expected: type[C]) -> C:
    """The claims of ``token`` as :func:`decode` reads them, but **without verifying the
    signature**: for code that hands the token on to a verifier anyway (``push`` sends account
    JWTs to nats-servers, which verify them) and needs only the claims to check first. Never
    use it to decide whom to trust."""
    claims = _decode_token(token, verify=False).claims
    if not isinstance(claims, expected):
        raise DecodeError(
            f"expected {expected.claim_type} claims, got {claim_type_of(claims)} claims"
        )
    return claims


def peek(token: str) -> dict[str, Any]:
    """The payload of ``token`` as JSON, **without verifying** its signature or anything else:
    for indexes and display (e.g. an account's ``sub`` and ``name``), never for trust. Raises
    :class:`DecodeError` for a malformed token."""
    payload: dict[str, Any] = split(token.strip()).payload
    return payload


def decode_generic(token: str) -> GenericClaims:
    """Any token as :class:`GenericClaims`, verified according to the header ``alg``."""
    parts = split(token.strip())
    _kind, version = _identify(parts.payload)
    if version > LIB_VERSION:
        raise DecodeError("JWT was generated by a newer version ")
    claims = _generic(parts.payload, version)
    if version == 1:
        for key in ("type", "tags"):
            if key in parts.payload:
                claims.nats[key] = parts.payload[key]
    _verify(parts, claims.iss, parts.alg == ALG_V1)
    return claims


def _generic(payload: dict[str, Any], version: int) -> GenericClaims:
    registered = {k: v for k, v in payload.items() if k != "nats"}
    claims = from_dict(ClaimsData, registered)
    nats = payload.get("nats")
    return GenericClaims(
        aud=claims.aud,
        exp=claims.exp,
        jti=claims.jti,
        iat=claims.iat,
        iss=claims.iss,
        name=claims.name,
        nbf=claims.nbf,
        sub=claims.sub,
        nats=dict(nats) if isinstance(nats, dict) else {},
    )


def _migrate_v1(kind: str, payload: dict[str, Any]) -> ClaimsData:
    """A v1 token as v2 claims: ``type``, ``tags`` and ``issuer_account`` move into ``nats``."""
    nats = payload.get("nats")
    nats = dict(nats) if isinstance(nats, dict) else {}
    moved: dict[str, Any] = {"type": kind}
    if "tags" in payload:
        moved["tags"] = payload["tags"]
    if kind == ACCOUNT_CLAIM:
        limits = nats.get("limits")
        if isinstance(limits, dict):
            jetstream = ("mem_storage", "disk_storage", "streams", "consumer")
            nats["limits"] = {k: v for k, v in limits.items() if k not in jetstream}
    elif kind == USER_CLAIM:
        max_value = nats.pop("max", -1)
        if max_value != -1:
            raise DecodeError("jwtV1 user: deprecated Max/Times in jwtV2")
        if "issuer_account" in payload:
            moved["issuer_account"] = payload["issuer_account"]
    elif kind == ACTIVATION_CLAIM:
        if (
            nats.pop("max", -1) != -1
            or nats.pop("payload", -1) != -1
            or nats.pop("src", "")
            or nats.pop("times", None)
        ):
            raise DecodeError("jwtV1 activation: deprecated Max/Payload/Src/Times in jwtV2")
        if "type" in nats:
            nats["kind"] = nats.pop("type")
        if "issuer_account" in payload:
            moved["issuer_account"] = payload["issuer_account"]
    nats.update(moved)
    nats["version"] = 1
    v2 = {k: v for k, v in payload.items() if k not in ("type", "tags", "issuer_account")}
    v2["nats"] = nats
    return from_dict(_typed(kind), v2)


# Decorated tokens and creds ----------------------------------------------------------------------


def decorate(token: str) -> str:
    """``token`` armored as ``-----BEGIN NATS <TYPE> JWT-----`` (its type read from the token)."""
    return _creds.decorate_jwt(token, decode_token(token).claim_type)


def decode_creds(text: str) -> tuple[UserClaims, KeyPair]:
    """The verified user claims and the key pair of a creds file; the seed must match ``sub``."""
    parsed = _creds.parse_creds(text)
    claims = decode(parsed.jwt)
    if not _is_a(claims, USER_CLAIM):
        raise CredsError(f"creds file holds {claim_type_of(claims)} claims, not user claims")
    pair = from_seed(parsed.seed)
    if pair.public_key != claims.sub:
        raise CredsError(
            f"creds seed is for {pair.public_key} but the JWT is for {claims.sub}"
        )
    return cast("UserClaims", claims), pair
