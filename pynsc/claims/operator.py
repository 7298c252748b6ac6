"""Operator claims: the root of trust, self-signed by the operator identity key."""

from __future__ import annotations

from typing import ClassVar

from pynsc._model import dataclass
from pynsc.claims._codec import opt
from pynsc.claims.base import OPERATOR_CLAIM, ClaimsData
from pynsc.keys.nkey import KeyKind


@dataclass(kw_only=True, slots=True)
class Operator:
    """The ``nats`` object of an operator JWT."""

    signing_keys: list[str] = opt(factory=list)
    account_server_url: str = opt("")
    operator_service_urls: list[str] = opt(factory=list)
    system_account: str = opt("")
    assert_server_version: str = opt("")
    strict_signing_key_usage: bool = opt(False)
    tags: list[str] = opt(factory=list)
    type: str = opt(OPERATOR_CLAIM)
    version: int = opt(2)


@dataclass(kw_only=True, slots=True)
class OperatorClaims(ClaimsData):
    nats: Operator = opt(factory=Operator)

    claim_type: ClassVar[str] = OPERATOR_CLAIM
    subject_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.OPERATOR,)
    signer_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.OPERATOR,)

    def did_sign(self, claims: ClaimsData) -> bool:
        """Whether ``claims`` was issued by this operator (its identity or a signing key)."""
        if claims.iss == self.sub:
            return not self.nats.strict_signing_key_usage or claims.sub == self.sub
        return claims.iss in self.nats.signing_keys
