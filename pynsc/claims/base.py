"""Registered claims and what every claim type has in common."""

from __future__ import annotations

import sys
from typing import Any, ClassVar

from pynsc._model import dataclass
from pynsc.claims._codec import opt, to_dict
from pynsc.keys.nkey import KeyKind

OPERATOR_CLAIM = "operator"
ACCOUNT_CLAIM = "account"
USER_CLAIM = "user"
ACTIVATION_CLAIM = "activation"
AUTHORIZATION_REQUEST_CLAIM = "authorization_request"
AUTHORIZATION_RESPONSE_CLAIM = "authorization_response"
GENERIC_CLAIM = "generic"

LIB_VERSION = 2
_REGISTERED = ("aud", "exp", "jti", "iat", "iss", "name", "nbf", "sub")


@dataclass(kw_only=True, slots=True)
class ClaimsData:
    """The registered JWT claims, in the order Go writes them.

    ``aud`` is a single string; times are Unix seconds; ``sub`` and ``iss`` are nkeys.
    """

    aud: str = opt("")
    exp: int = opt(0)
    jti: str = opt("")
    iat: int = opt(0)
    iss: str = opt("")
    name: str = opt("")
    nbf: int = opt(0)
    sub: str = opt("")

    #: the ``nats.type`` written for this class
    claim_type: ClassVar[str] = GENERIC_CLAIM
    #: key kinds allowed as ``sub`` (empty: not checked)
    subject_kinds: ClassVar[tuple[KeyKind, ...]] = ()
    #: key kinds allowed to sign (empty: any)
    signer_kinds: ClassVar[tuple[KeyKind, ...]] = ()

    def registered(self) -> dict[str, Any]:
        """The registered claims as Go marshals them (what ``jti`` hashes)."""
        out: dict[str, Any] = {}
        for key in _REGISTERED:
            value = getattr(self, key)
            if value:
                out[key] = value
        return out

    def to_dict(self) -> dict[str, Any]:
        """The whole payload as Go would marshal it now."""
        return to_dict(self)

    def is_expired(self, now: int) -> bool:
        return self.exp > 0 and now > self.exp

    def is_not_yet_valid(self, now: int) -> bool:
        return self.nbf > 0 and self.nbf > now

    @property
    def version(self) -> int:
        value = getattr(getattr(self, "nats", None), "version", LIB_VERSION)
        return int(value) if isinstance(value, int) else LIB_VERSION


def loaded_instance(value: object, module: str, name: str) -> bool:
    """``isinstance(value, module.name)`` without importing ``module``: an object of a class
    whose module was never imported cannot be an instance of it (so describing or validating a
    user loads no account model)."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(value, getattr(loaded, name))
