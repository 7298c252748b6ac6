"""TLS settings for connections to nats-servers: nsc's ``--ca-cert``, ``--client-cert``,
``--client-key`` and ``--tls-first``, with ``NATS_CA``, ``NATS_CERT`` and ``NATS_KEY`` as
defaults.

``ssl`` is imported only when a context is built.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pynsc.errors import PushError

if TYPE_CHECKING:
    import ssl

__all__ = ["TLS_SCHEMES", "TlsOptions"]

TLS_SCHEMES = ("tls", "wss")
"""URL schemes that always mean an encrypted connection."""


@dataclass(frozen=True, slots=True)
class TlsOptions:
    """How to secure a connection.

    ``ca_cert`` is a PEM file of the roots that sign the server's certificate (default: the
    system roots); ``client_cert`` and ``client_key`` a PEM certificate and key presented to a
    server that verifies clients; ``first`` makes the TLS handshake happen before the server
    sends its INFO (a server with ``handshake_first``).
    """

    ca_cert: str = ""
    client_cert: str = ""
    client_key: str = ""
    first: bool = False

    @classmethod
    def from_flags(
        cls,
        *,
        ca_cert: str | None = None,
        client_cert: str | None = None,
        client_key: str | None = None,
        first: bool = False,
        environ: Mapping[str, str] | None = None,
    ) -> TlsOptions:
        """The flags given, each defaulting to its environment variable (``NATS_CA``,
        ``NATS_CERT``, ``NATS_KEY``) as nsc does."""
        env = os.environ if environ is None else environ
        return cls(
            ca_cert=ca_cert or env.get("NATS_CA", ""),
            client_cert=client_cert or env.get("NATS_CERT", ""),
            client_key=client_key or env.get("NATS_KEY", ""),
            first=first,
        )

    @property
    def configured(self) -> bool:
        """Whether anything was set: then every connection uses TLS."""
        return bool(self.ca_cert or self.client_cert or self.client_key or self.first)

    def wanted_for(self, url: str) -> bool:
        """Whether a connection to ``url`` is made with TLS from the start."""
        return self.configured or url.split("://", 1)[0].lower() in TLS_SCHEMES

    def context(self) -> ssl.SSLContext:
        """A client context: the CA (or the system roots) and the client certificate.

        Raises :class:`PushError` naming the file when one cannot be read or is not PEM.
        """
        import ssl

        if bool(self.client_cert) != bool(self.client_key):
            missing = "--client-key" if self.client_cert else "--client-cert"
            raise PushError(
                "a client certificate needs both --client-cert and --client-key",
                hint=f"add {missing} (or set NATS_CERT and NATS_KEY)",
            )
        for path in (self.ca_cert, self.client_cert, self.client_key):
            if path and not Path(os.path.expanduser(path)).is_file():
                raise PushError(f"TLS file {path!r} does not exist")
        try:
            context = ssl.create_default_context(
                cafile=str(Path(os.path.expanduser(self.ca_cert))) if self.ca_cert else None
            )
        except ssl.SSLError as err:
            raise PushError(f"cannot load CA certificate {self.ca_cert!r}: {err}") from err
        if self.client_cert:
            try:
                context.load_cert_chain(
                    str(Path(os.path.expanduser(self.client_cert))),
                    str(Path(os.path.expanduser(self.client_key))),
                )
            except (ssl.SSLError, OSError) as err:
                raise PushError(
                    f"cannot load client certificate {self.client_cert!r} with key "
                    f"{self.client_key!r}: {err}"
                ) from err
        return context
