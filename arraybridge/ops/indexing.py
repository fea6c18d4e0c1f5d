"""Indexing functions (the standard's "Indexing Functions" chapter)."""

from __future__ import annotations

from typing import Any

from .. import _dtypes
from .._dispatch import category_error, check_same_device, tensor_arg, wrap
from .._tensor import Tensor
from .manipulation import _axis, _int_bounds

__all__ = ["take", "take_along_axis"]


def _indices(x: Tensor, indices: Any, axis: int, where: str) -> Tensor:
    """``indices`` as an int64 tensor of indices in ``[0, x.shape[axis])``.

    Raises IndexError for any index outside ``[-n, n)``.
    """
    # Note: the standard leaves out-of-bounds indices unspecified; NumPy raises, JAX
    # clips or fills and CuPy wraps, so arraybridge checks them itself and always raises.
    idx = tensor_arg(indices, where)
    check_same_device(where, x, idx)
    if idx._dtype not in _dtypes.INTEGER:
        raise category_error(f"{where} (indices)", "integer", idx._dtype)
    if idx.size == 0:
        if idx._dtype is _dtypes.DEFAULT_INDEX:
            return idx
        from .data_type import astype

        return astype(idx, _dtypes.DEFAULT_INDEX)
    n = x.shape[axis]
    lo, hi = _int_bounds(idx)
    if lo < -n or hi >= n:
        bad = lo if lo < -n else hi
        raise IndexError(
            f"{where}: index {bad} is out of bounds for axis {axis} with size {n} "
            f"(valid: {-n} to {n - 1})"
        )
    if idx._dtype is not _dtypes.DEFAULT_INDEX:
        from .data_type import astype

        idx = astype(idx, _dtypes.DEFAULT_INDEX)  # holds every valid index of any axis
    if lo < 0:  # negative indices count from the end; not every backend supports them
        from .elementwise import add, less
        from .searching import where as select

        idx = select(less(idx, 0), add(idx, n), idx)
    return idx


def take(x: Any, indices: Any, /, *, axis: int | None = None) -> Tensor:
    """Elements of ``x`` at the 1-D integer ``indices`` along ``axis``.

    ``axis`` may be omitted only for a 1-D ``x``. Negative indices count from the end;
    indices outside ``[-n, n)`` raise IndexError on every backend.
    """
    where = "take"
    x = tensor_arg(x, where)
    if x.ndim == 0:
        # Note: the standard leaves 0-d input unspecified; arraybridge refuses it.
        raise ValueError(f"{where}: x must have at least one dimension, got a 0-d tensor")
    if axis is None:
        if x.ndim != 1:
            raise ValueError(
                f"{where}: axis is required for a {x.ndim}-D tensor (optional only for 1-D)"
            )
        a = 0
    else:
        a = _axis(axis, x.ndim, where)
    idx = tensor_arg(indices, where)
    if idx.ndim != 1:
        raise ValueError(f"{where}: indices must be a 1-D tensor, got shape {idx.shape}")
    idx = _indices(x, idx, a, where)
    return wrap(x._dev.fns["take"](x._data, idx._data, axis=a), x._dtype, x)


def take_along_axis(x: Any, indices: Any, /, *, axis: int = -1) -> Tensor:
    """Elements of ``x`` at ``indices`` along ``axis`` (NumPy's ``take_along_axis``).

    ``indices`` has ``x``'s number of dimensions and broadcasts against ``x`` on every
    other axis. Indices outside ``[-n, n)`` raise IndexError on every backend.
    """
    where = "take_along_axis"
    x = tensor_arg(x, where)
    a = _axis(axis, x.ndim, where)
    idx = tensor_arg(indices, where)
    if idx.ndim != x.ndim:
        raise ValueError(
            f"{where}: indices must have as many dimensions as x ({x.ndim}), got shape {idx.shape}"
        )
    for i, (s, t) in enumerate(zip(x.shape, idx.shape, strict=True)):
        if i != a and s != t and s != 1 and t != 1:
            raise ValueError(
                f"{where}: shapes {x.shape} and {idx.shape} do not broadcast outside axis {a}"
            )
    idx = _indices(x, idx, a, where)
    return wrap(x._dev.fns["take_along_axis"](x._data, idx._data, axis=a), x._dtype, x)
