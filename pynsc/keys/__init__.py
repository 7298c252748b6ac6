"""Keys: nkeys generation and parsing, the sharded keystore, creds files.

This layer imports neither click nor rich, and never prints. Its names are loaded on first
use, so importing one part (say :mod:`pynsc.keys.nkey`) costs nothing for the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pynsc.keys.creds import (
        Creds,
        decorate_jwt,
        decorate_seed,
        format_creds,
        parse_creds,
        parse_decorated_jwt,
        parse_decorated_seed,
        write_creds,
    )
    from pynsc.keys.keystore import GITIGNORE, KeyStore
    from pynsc.keys.nkey import (
        KeyKind,
        KeyPair,
        Signer,
        from_public_key,
        from_seed,
        generate,
        is_public_key,
        kind_of,
        parse,
    )

__all__ = [
    "GITIGNORE",
    "Creds",
    "KeyKind",
    "KeyPair",
    "KeyStore",
    "Signer",
    "decorate_jwt",
    "decorate_seed",
    "format_creds",
    "from_public_key",
    "from_seed",
    "generate",
    "is_public_key",
    "kind_of",
    "parse",
    "parse_creds",
    "parse_decorated_jwt",
    "parse_decorated_seed",
    "write_creds",
]

_EXPORTS: dict[str, str] = {
    "Creds": "pynsc.keys.creds",
    "decorate_jwt": "pynsc.keys.creds",
    "decorate_seed": "pynsc.keys.creds",
    "format_creds": "pynsc.keys.creds",
    "parse_creds": "pynsc.keys.creds",
    "parse_decorated_jwt": "pynsc.keys.creds",
    "parse_decorated_seed": "pynsc.keys.creds",
    "write_creds": "pynsc.keys.creds",
    "GITIGNORE": "pynsc.keys.keystore",
    "KeyStore": "pynsc.keys.keystore",
    "KeyKind": "pynsc.keys.nkey",
    "KeyPair": "pynsc.keys.nkey",
    "Signer": "pynsc.keys.nkey",
    "from_public_key": "pynsc.keys.nkey",
    "from_seed": "pynsc.keys.nkey",
    "generate": "pynsc.keys.nkey",
    "is_public_key": "pynsc.keys.nkey",
    "kind_of": "pynsc.keys.nkey",
    "parse": "pynsc.keys.nkey",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pynsc.keys' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
