"""Reading what an argument points at: a file, ``-`` for stdin, or an http(s) URL.

Failures are :class:`SourceError` (an :class:`~pynsc.errors.NscError`) with the location in the
message. ``requests`` is imported only when a URL is actually fetched.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pynsc.errors import NotFoundError, NscError

__all__ = ["SourceError", "SourceNotFoundError", "is_url", "read_source"]

URL_TIMEOUT = 5.0


class SourceError(NscError):
    """A file, stdin or URL that could not be read."""


class SourceNotFoundError(SourceError, NotFoundError):
    """A file that is not there."""


def is_url(location: str) -> bool:
    """Whether ``location`` is an http(s) URL (else a file, or ``-`` for stdin)."""
    return location.lower().startswith(("http://", "https://"))


def read_source(location: str) -> str:
    """The text at ``location``: a path (``~`` expanded), ``-`` (stdin) or an http(s) URL."""
    if location == "-":
        return sys.stdin.read()
    if is_url(location):
        return _fetch(location)
    path = Path(os.path.expanduser(location))
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceNotFoundError(f"file {location!r} does not exist") from None
    except IsADirectoryError:
        raise SourceError(f"{location!r} is a directory, not a file") from None
    except UnicodeDecodeError:
        raise SourceError(f"file {location!r} is not text (UTF-8)") from None
    except OSError as e:
        raise SourceError(f"cannot read {location!r}: {e.strerror or e}") from e


def _fetch(url: str) -> str:
    import requests

    try:
        response = requests.get(url, timeout=URL_TIMEOUT)
        response.raise_for_status()
    except requests.RequestException as e:
        raise SourceError(f"cannot load {url}: {e}") from e
    return response.text
