"""Reading what an argument points at: a file, ``-`` for stdin, or an http(s) URL.

Failures are :class:`SourceError` (an :class:`~pynsc.errors.NscError`) with the location in the
message. ``requests`` is imported only when a URL is actually fetched.
"""

from __future__ import annotations

import os
import sys

from pynsc.errors import NotFoundError, NscError

__all__ = ["MAX_SOURCE_SIZE", "SourceError", "SourceNotFoundError", "is_url", "read_source"]

URL_TIMEOUT = 5.0
#: The most :func:`read_source` reads: far more than any JWT file or list of JWTs.
MAX_SOURCE_SIZE = 64 * 1024 * 1024


class SourceError(NscError):
    """A file, stdin or URL that could not be read."""


class SourceNotFoundError(SourceError, NotFoundError):
    """A file that is not there."""


def is_url(location: str) -> bool:
    """Whether ``location`` is an http(s) URL (else a file, or ``-`` for stdin)."""
    return location.lower().startswith(("http://", "https://"))


def read_source(location: str, *, limit: int = MAX_SOURCE_SIZE) -> str:
    """The text at ``location``: a path (``~`` expanded), ``-`` (stdin) or an http(s) URL.

    At most ``limit`` characters are read: a larger source (``/dev/zero`` …) is a
    :class:`SourceError`, not a process that reads until memory runs out.
    """
    if location == "-":
        return _bounded(sys.stdin.read(limit + 1), "stdin", limit)
    if is_url(location):
        return _fetch(location, limit)
    try:
        with open(os.path.expanduser(location), encoding="utf-8") as file:
            text = file.read(limit + 1)
    except FileNotFoundError:
        raise SourceNotFoundError(f"file {location!r} does not exist") from None
    except IsADirectoryError:
        raise SourceError(f"{location!r} is a directory, not a file") from None
    except UnicodeDecodeError:
        raise SourceError(f"file {location!r} is not text (UTF-8)") from None
    except OSError as e:
        raise SourceError(f"cannot read {location!r}: {e.strerror or e}") from e
    except ValueError:  # a NUL in the path
        raise SourceError(f"cannot read {location!r}: not a valid path") from None
    return _bounded(text, f"file {location!r}", limit)


def _bounded(text: str, where: str, limit: int) -> str:
    if len(text) > limit:
        raise SourceError(f"{where} is larger than {limit} bytes")
    return text


def _fetch(url: str, limit: int) -> str:
    import requests

    body = bytearray()
    try:
        with requests.get(url, timeout=URL_TIMEOUT, stream=True) as response:
            response.raise_for_status()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > limit:
                    raise SourceError(f"{url} is larger than {limit} bytes")
            encoding = response.encoding or "utf-8"
    except requests.RequestException as e:
        raise SourceError(f"cannot load {url}: {e}") from e
    return body.decode(encoding, "replace")
