"""The exception tree of pynsc.

Every error the library raises derives from :class:`NscError`. Foreign exceptions (nkeys, nacl,
binascii, json) are wrapped where they enter, so callers only ever catch pynsc errors.
"""

from __future__ import annotations


class NscError(Exception):
    """Root of every pynsc error.

    ``exit_code`` is what the CLI exits with; ``hint`` is an optional line telling how to fix it.
    """

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(NscError):
    """An argument that is missing, malformed or conflicts with another (exit 2, as a usage
    error of the CLI)."""

    exit_code = 2


class InvalidKeyError(NscError):
    """A seed or public key that does not parse, has a bad checksum or the wrong kind."""


class KeyStoreError(NscError):
    """A keystore read or write failed."""


class CredsError(NscError):
    """A creds (or decorated JWT) file is malformed."""


class ClaimsError(NscError):
    """Claims that cannot be encoded."""


class DecodeError(ClaimsError):
    """A token that is malformed, too large, of an unsupported type or version."""


class SignatureError(DecodeError):
    """A token whose signature does not verify against its issuer."""


class StoreError(NscError):
    """An operator/account/user store operation failed."""


class NotFoundError(StoreError):
    """A named entity does not exist."""


class ExistsError(StoreError):
    """A named entity already exists."""


class PushError(NscError):
    """Talking to a nats-server or an account server failed."""


class ServerError(NscError):
    """A local nats-server (``pynsc server``) could not be found, started, checked or stopped."""
