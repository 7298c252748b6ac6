"""Keys: nkeys generation and parsing, the sharded keystore, creds files.

This layer imports neither click nor rich, and never prints.
"""

from __future__ import annotations

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
