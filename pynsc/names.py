"""Random names for entities created with the name ``*`` (``brave_turing``)."""

from __future__ import annotations

import random

__all__ = ["random_name"]

_ADJECTIVES = (
    "agile", "amazing", "bold", "brave", "bright", "calm", "clever", "cool", "crisp", "daring",
    "eager", "earnest", "elegant", "epic", "fearless", "fervent", "fierce", "focused", "gentle",
    "gifted", "happy", "hardy", "humble", "jolly", "keen", "kind", "lively", "lucid", "loyal",
    "merry", "mighty", "modest", "nimble", "noble", "patient", "plucky", "polite", "proud",
    "quick", "quiet", "radiant", "rapid", "serene", "sharp", "steady", "sturdy", "swift",
    "tender", "trusty", "vivid", "wise", "witty", "zealous",
)  # fmt: skip
_SURNAMES = (
    "agnesi", "babbage", "bardeen", "bohr", "boole", "cerf", "curie", "darwin", "dijkstra",
    "einstein", "euclid", "euler", "faraday", "fermat", "fermi", "feynman", "franklin",
    "galileo", "gauss", "goodall", "hamilton", "hawking", "heisenberg", "hopper", "hypatia",
    "johnson", "kepler", "knuth", "lamarr", "lamport", "leavitt", "liskov", "lovelace",
    "maxwell", "meitner", "mendel", "newton", "noether", "pascal", "pasteur", "planck",
    "ramanujan", "ride", "ritchie", "shannon", "sinoussi", "tesla", "thompson", "torvalds",
    "turing", "volta", "wozniak", "yalow",
)  # fmt: skip


def random_name(rng: random.Random | None = None) -> str:
    """A random ``adjective_surname`` name, e.g. ``brave_turing`` (for ``--name '*'``)."""
    pick = rng or random.SystemRandom()
    return f"{pick.choice(_ADJECTIVES)}_{pick.choice(_SURNAMES)}"
