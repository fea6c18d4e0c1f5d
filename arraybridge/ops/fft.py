"""The ``fft`` extension of the standard (``ab.fft``)."""

from __future__ import annotations

__all__: list[str] = []
