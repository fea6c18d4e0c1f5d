"""Utility functions (the standard's "Utility Functions" chapter)."""

from __future__ import annotations

from typing import Any

from .. import _dtypes
from .._dispatch import apply, tensor_arg
from .._tensor import Tensor
from .manipulation import _axes

__all__ = ["all", "any"]


def _truth(name: str, x: Any, axis: Any, keepdims: bool) -> Tensor:
    x = tensor_arg(x, name)
    if type(keepdims) is not bool:
        raise TypeError(f"{name}: keepdims must be a bool, got {type(keepdims).__name__}")
    ax = None if axis is None else _axes(axis, x.ndim, name)
    return apply(name, x, axis=ax, keepdims=keepdims, out_dtype=_dtypes.bool)  # type: ignore[no-any-return]


def all(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """True where every element along ``axis`` (all axes when None) is nonzero."""
    return _truth("all", x, axis, keepdims)


def any(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """True where some element along ``axis`` (all axes when None) is nonzero."""
    return _truth("any", x, axis, keepdims)
