"""Talking to account servers and nats-servers: pushing and pulling JWTs.

A library layer: it imports neither click nor rich and never prints. Failures raise
:class:`~pynsc.errors.PushError`. The transports live in their own modules
(:mod:`pynsc.push.http` for HTTP account servers), each importing its client library only when
a function that needs it runs.
"""

from __future__ import annotations

from pynsc.errors import PushError

__all__ = ["PushError"]
