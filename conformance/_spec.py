"""The standard's name lists (release 2025.12), shipped with the suite as package data."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["DATA", "names", "signatures", "version"]

DATA = Path(__file__).parent / "data"


@cache
def names(file: str) -> tuple[str, ...]:
    """The names listed in ``data/<file>`` (one a line)."""
    text = (DATA / file).read_text()
    return tuple(n for n in text.split() if not n.startswith("#"))


def version() -> str:
    """The release the lists come from."""
    return (DATA / "VERSION").read_text().strip()


@cache
def signatures() -> dict[str, str]:
    """Function (``"sum"``, ``"linalg.inv"``) -> its parameters as the spec's stubs spell
    them, ``"(x, /, *, axis=None, dtype=None, keepdims=False)"``."""
    out = {}
    for line in (DATA / "signatures.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, rest = line.split("(", 1)
            out[name] = "(" + rest
    return out
