"""Sorting functions (the standard's "Sorting Functions" chapter)."""

from __future__ import annotations

__all__: list[str] = []
