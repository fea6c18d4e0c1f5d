"""The semantics switch: ``strict`` (TensorFlow's, the default) or ``standard`` (the Array API's).

The process-wide choice comes from ``set_semantics`` or ``ARRAYBRIDGE_SEMANTICS``;
``with semantics(...)`` overrides it for the current thread or async task only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final, Literal

__all__ = ["get_semantics", "semantics", "set_semantics"]

Semantics = Literal["strict", "standard"]
_CHOICES: Final = ("strict", "standard")


def _check(name: object, where: str) -> Semantics:
    if not isinstance(name, str) or name not in _CHOICES:
        raise ValueError(f"{where}: semantics must be 'strict' or 'standard', got {name!r}")
    return name  # type: ignore[return-value,unused-ignore]


_global: Semantics = _check(
    os.environ.get("ARRAYBRIDGE_SEMANTICS", "strict").strip().lower() or "strict",
    "ARRAYBRIDGE_SEMANTICS",
)
_local: ContextVar[Semantics | None] = ContextVar("arraybridge_semantics", default=None)


def get_semantics() -> Semantics:
    """The semantics in force here: ``"strict"`` or ``"standard"``."""
    return _local.get() or _global


def set_semantics(name: Semantics) -> None:
    """Set the process-wide semantics (``with semantics(...)`` blocks still win inside them)."""
    global _global
    _global = _check(name, "set_semantics")


@contextmanager
def semantics(name: Semantics) -> Iterator[None]:
    """Use ``name`` ("strict" or "standard") inside the block, in this thread or task only."""
    token = _local.set(_check(name, "semantics"))
    try:
        yield
    finally:
        _local.reset(token)


def is_standard() -> bool:
    """True when the standard's promotion and item assignment are in force."""
    return (_local.get() or _global) == "standard"
