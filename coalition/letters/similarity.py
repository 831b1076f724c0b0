"""Near-duplicate letters: MinHash signatures over word shingles, with bands to find candidates by index.

Officials discount identical mass letters; a letter this similar to one already queued for the same
official is held for review. Signatures hold no text, so they survive the retention scrub.
"""

from __future__ import annotations

import hashlib
import random
import re

PERMUTATIONS = 32
BAND_ROWS = 4
_PRIME = (1 << 61) - 1
_rng = random.Random(2008)  # noqa: S311  fixed coefficients, not security
_COEFFICIENTS = [(_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(PERMUTATIONS)]
_WORD = re.compile(r"\w+", re.UNICODE)


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def shingles(text: str, size: int = 3) -> set[int]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {_hash64(" ".join(words))}
    return {_hash64(" ".join(words[i : i + size])) for i in range(len(words) - size + 1)}


def signature(text: str) -> list[int]:
    hashed = shingles(text)
    return [min((a * h + b) % _PRIME for h in hashed) for a, b in _COEFFICIENTS]


def bands(sig: list[int]) -> list[int]:
    """One signed 64-bit value per band (fits a BigIntegerField); equal bands mean a likely near-duplicate."""
    values = []
    for start in range(0, len(sig), BAND_ROWS):
        digest = hashlib.blake2b(f"{start}:{sig[start : start + BAND_ROWS]}".encode(), digest_size=8).digest()
        values.append(int.from_bytes(digest, "big", signed=True))
    return values


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingles (0–1)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)
