"""The ``linalg`` extension of the standard (``ab.linalg``)."""

from __future__ import annotations

__all__: list[str] = []
