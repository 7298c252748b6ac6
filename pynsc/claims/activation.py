"""Activation claims: an exporter's grant of a private export to one importing account."""

from __future__ import annotations

import base64
from typing import ClassVar

from pynsc._model import dataclass
from pynsc.claims._codec import opt
from pynsc.claims.base import ACTIVATION_CLAIM, ClaimsData
from pynsc.claims.types import EXPORT_TYPE
from pynsc.keys.nkey import KeyKind


@dataclass(kw_only=True, slots=True)
class Activation:
    """The ``nats`` object of an activation JWT (``sub`` is the importing account)."""

    subject: str = opt("")
    kind: str = opt("", codec=EXPORT_TYPE)
    issuer_account: str = opt("")
    tags: list[str] = opt(factory=list)
    type: str = opt(ACTIVATION_CLAIM)
    version: int = opt(2)


@dataclass(kw_only=True, slots=True)
class ActivationClaims(ClaimsData):
    nats: Activation = opt(factory=Activation)

    claim_type: ClassVar[str] = ACTIVATION_CLAIM
    subject_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.ACCOUNT,)
    signer_kinds: ClassVar[tuple[KeyKind, ...]] = (KeyKind.ACCOUNT, KeyKind.OPERATOR)

    def hash_id(self) -> str:
        """The id account servers file this activation under (SHA-256, padded base32)."""
        import hashlib

        subject = _clean_subject(self.nats.subject)
        digest = hashlib.sha256(f"{self.iss}.{self.sub}.{subject}".encode()).digest()
        return base64.b32encode(digest).decode("ascii")


def _clean_subject(subject: str) -> str:
    kept = []
    for token in subject.split("."):
        if token in ("*", ">"):
            break
        kept.append(token)
    return ".".join(kept) if kept else "_"
