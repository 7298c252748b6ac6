"""User claims: what a client connecting with this JWT may do."""

from __future__ import annotations

from typing import ClassVar

from pynsc._model import dataclass
from pynsc.claims._codec import opt
from pynsc.claims.base import USER_CLAIM, ClaimsData
from pynsc.claims.types import UserPermissionLimits
from pynsc.keys.nkey import KeyKind


@dataclass(kw_only=True, slots=True)
class User(UserPermissionLimits):
    """The ``nats`` object of a user JWT."""

    issuer_account: str = opt("")
    tags: list[str] = opt(factory=list)
    type: str = opt(USER_CLAIM)
    version: int = opt(2)

    def set_scoped(self) -> None:
        """Clear permissions and limits: what a user signed by a scoped key must carry."""
        zero = UserPermissionLimits(subs=0, data=0, payload=0)
        for name in UserPermissionLimits.__dataclass_fields__:
            setattr(self, name, getattr(zero, name))

    def limits(self) -> UserPermissionLimits:
        """Permissions and limits alone, without issuer account and tags."""
        return UserPermissionLimits(
            **{name: getattr(self, name) for name in UserPermissionLimits.__dataclass_fields__}
        )


@dataclass(kw_only=True, slots=True)
class UserClaims(ClaimsData):
    nats: User = opt(factory=User)

    claim_type: ClassVar[str] = USER_CLAIM
    subject_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.USER,)
    signer_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.ACCOUNT,)

    @property
    def issuer_account(self) -> str:
        """The account this user belongs to: ``issuer_account``, else the issuer."""
        return self.nats.issuer_account or self.iss
