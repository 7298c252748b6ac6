"""Generic claims: registered claims and a free ``nats`` map (the resolver's delete request)."""

from __future__ import annotations

from typing import Any

from pynsc._model import dataclass
from pynsc.claims._codec import opt
from pynsc.claims.base import GENERIC_CLAIM, ClaimsData


@dataclass(kw_only=True, slots=True)
class GenericClaims(ClaimsData):
    """Any claims; ``nats`` keys are written sorted, with ``"version": 2`` added on encode."""

    nats: dict[str, Any] = opt(factory=dict)

    @property
    def claim_type_name(self) -> str:
        value = self.nats.get("type")
        return value if isinstance(value, str) and value else GENERIC_CLAIM
