"""Indexing functions (the standard's "Indexing Functions" chapter)."""

from __future__ import annotations

__all__: list[str] = []
