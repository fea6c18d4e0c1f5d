"""Statistical functions (the standard's "Statistical Functions" chapter)."""

from __future__ import annotations

from typing import Any

from .. import _dtypes
from .._convert import resolve_dtype
from .._dispatch import apply, category_error, tensor_arg
from .._tensor import Tensor
from .manipulation import _axes

__all__ = ["max", "mean", "min", "prod", "std", "sum", "var"]


def _reduce(name: str, x: Any, category: str, axis: Any, keepdims: bool, **kwargs: Any) -> Tensor:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if x._dtype not in _dtypes.CATEGORIES[category]:
        raise category_error(name, category, x._dtype)
    if keepdims is not False and keepdims is not True:
        raise TypeError(f"{name}: keepdims must be a bool, got {type(keepdims).__name__}")
    ax = None if axis is None else _axes(axis, x.ndim, name)
    return apply(name, x, axis=ax, keepdims=keepdims, **kwargs)  # type: ignore[no-any-return]


def _accumulating(name: str, x: Any, axis: Any, dtype: Any, keepdims: bool) -> Tensor:
    native = None
    if dtype is not None:
        x = tensor_arg(x, name)
        dt = resolve_dtype(dtype, name)
        try:
            native = x._dev.backend.to_native[dt]
        except KeyError:
            raise category_error(name, "supported", dt) from None
    return _reduce(name, x, "numeric", axis, keepdims, dtype=native)


def sum(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Tensor:
    """Sum over ``axis`` (all axes when None); integers sum in the default integer dtype."""
    return _accumulating("sum", x, axis, dtype, keepdims)


def prod(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Tensor:
    """Product over ``axis`` (all axes when None)."""
    return _accumulating("prod", x, axis, dtype, keepdims)


def _extremum(name: str, x: Any, axis: Any, keepdims: bool) -> Tensor:
    x = tensor_arg(x, name)
    ax = None if axis is None else _axes(axis, x.ndim, name)
    reduced = range(x.ndim) if ax is None else ax
    if any(x.shape[a] == 0 for a in reduced) or (x.size == 0 and ax is None):
        raise ValueError(f"{name}: cannot reduce over a zero-size axis (there is no identity)")
    return _reduce(name, x, "real numeric", ax, keepdims)


def max(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Maximum over ``axis`` (all axes when None); NaN propagates."""
    return _extremum("max", x, axis, keepdims)


def min(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Minimum over ``axis`` (all axes when None); NaN propagates."""
    return _extremum("min", x, axis, keepdims)


def mean(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean over ``axis`` (all axes when None); floating-point tensors only."""
    return _reduce("mean", x, "floating-point", axis, keepdims)


def _spread(name: str, x: Any, axis: Any, correction: Any, keepdims: bool) -> Tensor:
    if type(correction) not in (int, float):
        raise TypeError(f"{name}: correction must be an int or float, got {correction!r}")
    if correction < 0:
        raise ValueError(f"{name}: correction must be non-negative, got {correction}")
    return _reduce(name, x, "real floating-point", axis, keepdims, correction=correction)


def var(
    x: Any, /, *, axis: Any = None, correction: int | float = 0.0, keepdims: bool = False
) -> Tensor:
    """Variance over ``axis`` with ``correction`` degrees of freedom removed."""
    return _spread("var", x, axis, correction, keepdims)


def std(
    x: Any, /, *, axis: Any = None, correction: int | float = 0.0, keepdims: bool = False
) -> Tensor:
    """Standard deviation over ``axis`` with ``correction`` degrees of freedom removed."""
    return _spread("std", x, axis, correction, keepdims)
