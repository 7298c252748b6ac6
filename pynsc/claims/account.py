"""Account claims: limits, exports and imports, signing keys, revocations and the rest."""

from __future__ import annotations

from typing import ClassVar

from pynsc._model import dataclass
from pynsc.claims._codec import opt
from pynsc.claims.base import ACCOUNT_CLAIM, ClaimsData
from pynsc.claims.types import (
    SIGNING_KEYS,
    Export,
    ExternalAuthorization,
    Import,
    MsgTrace,
    OperatorLimits,
    Permissions,
    UserScope,
    WeightedMapping,
)
from pynsc.keys.nkey import KeyKind


@dataclass(kw_only=True, slots=True)
class Account:
    """The ``nats`` object of an account JWT."""

    imports: list[Import] = opt(factory=list)
    exports: list[Export] = opt(factory=list)
    limits: OperatorLimits = opt(factory=OperatorLimits)
    signing_keys: dict[str, UserScope | None] = opt(factory=dict, codec=SIGNING_KEYS)
    revocations: dict[str, int] = opt(factory=dict)
    default_permissions: Permissions = opt(factory=Permissions)
    mappings: dict[str, list[WeightedMapping]] = opt(factory=dict)
    authorization: ExternalAuthorization = opt(factory=ExternalAuthorization)
    trace: MsgTrace | None = opt(None)
    cluster_traffic: str = opt("")
    description: str = opt("")
    info_url: str = opt("")
    tags: list[str] = opt(factory=list)
    type: str = opt(ACCOUNT_CLAIM)
    version: int = opt(2)


@dataclass(kw_only=True, slots=True)
class AccountClaims(ClaimsData):
    nats: Account = opt(factory=Account)

    claim_type: ClassVar[str] = ACCOUNT_CLAIM
    subject_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.ACCOUNT,)
    signer_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.ACCOUNT, KeyKind.OPERATOR)

    def did_sign(self, claims: ClaimsData) -> bool:
        """Whether ``claims`` was issued by this account (its identity or a signing key)."""
        return claims.iss == self.sub or claims.iss in self.nats.signing_keys

    def is_revoked(self, public_key: str, issued_at: int) -> bool:
        """Whether a user JWT of ``public_key`` issued at ``issued_at`` is revoked (``>=``)."""
        revocations = self.nats.revocations
        for key in (public_key, "*"):
            at = revocations.get(key)
            if at is not None and at >= issued_at:
                return True
        return False
