"""Searching functions (the standard's "Searching Functions" chapter)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtypes
from .._convert import PY_SCALARS, operand
from .._dispatch import category_error, check_same_device, primitive, tensor_arg, unify, wrap
from .._errors import DTypeError
from .._tensor import Tensor
from ..autodiff._rules import defvjp, nondifferentiable
from .manipulation import _axes, _axis
from .sorting import _flag, _index_tensor

__all__ = ["argmax", "argmin", "count_nonzero", "nonzero", "searchsorted", "where"]


def _arg_extremum(name: str, x: Any, axis: Any, keepdims: Any) -> Tensor:
    x = tensor_arg(x, name)
    if x._dtype not in _dtypes.REAL_NUMERIC:
        raise category_error(name, "real numeric", x._dtype)
    _flag(keepdims, "keepdims", name)
    if axis is None:
        if x.size == 0:
            raise ValueError(f"{name}: x is empty (shape {x.shape}); there is no {name[3:]}imum")
        r = x._dev.fns[name](x._data, axis=None, keepdims=keepdims)
    else:
        ax = _axis(axis, x.ndim, name)
        if x.shape[ax] == 0:
            raise ValueError(
                f"{name}: axis {axis} of x (shape {x.shape}) has size 0; there is no "
                f"{name[3:]}imum along it"
            )
        r = x._dev.fns[name](x._data, axis=ax, keepdims=keepdims)
    return _index_tensor(r, x)


def argmax(x: Any, /, *, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index (int64) of the first maximum along ``axis`` (of the flattened ``x`` when None).

    NaN counts as the maximum (the first NaN's index is returned).
    """
    return _arg_extremum("argmax", x, axis, keepdims)


def argmin(x: Any, /, *, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index (int64) of the first minimum along ``axis`` (of the flattened ``x`` when None).

    NaN counts as the minimum (the first NaN's index is returned).
    """
    return _arg_extremum("argmin", x, axis, keepdims)


def nonzero(x: Any, /) -> tuple[Tensor, ...]:
    """Indices (one int64 tensor per axis, row-major order) of ``x``'s nonzero elements."""
    x = tensor_arg(x, "nonzero")
    if x.ndim == 0:
        raise ValueError("nonzero: x must have at least one dimension, got a 0-d tensor")
    return tuple(_index_tensor(r, x) for r in x._dev.fns["nonzero"](x._data))


def count_nonzero(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Number (int64) of nonzero elements along ``axis`` (all axes when None)."""
    x = tensor_arg(x, "count_nonzero")
    _flag(keepdims, "keepdims", "count_nonzero")
    ax = None if axis is None else _axes(axis, x.ndim, "count_nonzero")
    r = x._dev.fns["count_nonzero"](x._data, axis=ax, keepdims=keepdims)
    return _index_tensor(r, x)


def searchsorted(x1: Any, x2: Any, /, *, side: str = "left", sorter: Any = None) -> Tensor:
    """Indices (int64) at which inserting ``x2``'s elements keeps the 1-D ``x1`` sorted.

    ``x1`` must be sorted ascending, or ``sorter`` must hold the indices that sort it.
    ``x2`` (a tensor or a Python int/float) follows the dtype rules of a binary operation
    with ``x1``. NaNs sort as largest, as in ``sort``.
    """
    where_ = "searchsorted"
    x1 = tensor_arg(x1, where_)
    if x1._dtype not in _dtypes.REAL_NUMERIC:
        raise category_error(where_, "real numeric", x1._dtype)
    if x1.ndim != 1:
        raise ValueError(f"{where_}: x1 must be 1-dimensional, got shape {x1.shape}")
    if side not in ("left", "right") or type(side) is not str:
        raise ValueError(f"{where_}: side must be 'left' or 'right', got {side!r}")
    if not isinstance(x2, Tensor):
        x2 = operand(x2, x1, where_)
    check_same_device(where_, x1, x2)
    if x2._dtype not in _dtypes.REAL_NUMERIC:
        raise category_error(where_, "real numeric", x2._dtype)
    x1, x2 = unify(where_, x1, x2)
    srt = None
    if sorter is not None:
        s = tensor_arg(sorter, where_)
        check_same_device(where_, x1, s)
        if s._dtype not in _dtypes.INTEGER:
            raise category_error(where_ + " (sorter)", "integer", s._dtype)
        if s.shape != x1.shape:
            raise ValueError(
                f"{where_}: sorter must have x1's shape {x1.shape}, got shape {s.shape}"
            )
        if s._dtype is not _dtypes.DEFAULT_INDEX:
            from .data_type import astype

            s = astype(s, _dtypes.DEFAULT_INDEX)
        n = x1.shape[0]
        fns = s._dev.fns
        if n and (int(fns["min"](s._data)) < 0 or int(fns["max"](s._data)) >= n):
            # Note: negative sorter entries are refused rather than counted from the end.
            raise IndexError(f"{where_}: sorter holds an index outside [0, {n})")
        srt = s._data
    r = x1._dev.fns["searchsorted"](x1._data, x2._data, side=side, sorter=srt)
    return _index_tensor(r, x1)


@primitive()
def where(condition: Any, x1: Any, x2: Any, /) -> Tensor:
    """Elements of ``x1`` where ``condition`` is True, else of ``x2`` (broadcasting).

    ``x1`` and ``x2`` follow the same dtype rules as a binary operation; either (not both)
    may be a Python scalar.
    """
    where_ = "where"
    cond = tensor_arg(condition, where_)
    if cond._dtype is not _dtypes.bool:
        raise DTypeError(f"{where_}: condition must be a bool tensor, got {cond._dtype}")
    s1, s2 = type(x1) in PY_SCALARS, type(x2) in PY_SCALARS
    if s1 and s2:
        raise TypeError(f"{where_}: x1 and x2 cannot both be Python scalars")
    if not s1 and not isinstance(x1, Tensor):
        x1 = operand(x1, x2, where_) if isinstance(x2, Tensor) else tensor_arg(x1, where_)
    if not s2 and not isinstance(x2, Tensor):
        x2 = operand(x2, x1, where_) if isinstance(x1, Tensor) else tensor_arg(x2, where_)
    if s1:
        x1 = operand(x1, x2, where_)
    if s2:
        x2 = operand(x2, x1, where_)
    check_same_device(where_, cond, x1, x2)
    x1, x2 = unify(where_, x1, x2)
    try:
        r = cond._dev.fns["where"](cond._data, x1._data, x2._data)
    except (TypeError, ValueError) as exc:
        # Note: the backends word this error differently; the shapes are looked at only
        # after the call failed
        try:
            np.broadcast_shapes(cond.shape, x1.shape, x2.shape)
        except ValueError:
            raise ValueError(
                f"{where_}: shapes {cond.shape}, {x1.shape} and {x2.shape} do not broadcast"
            ) from exc
        raise
    return wrap(r, x1._dtype, x1)


# -- VJP rules --------------------------------------------------------------------------------
defvjp(
    where,
    None,
    lambda g, ans, c, x1, x2: where(c, g, 0),
    lambda g, ans, c, x1, x2: where(c, 0, g),
)
nondifferentiable(argmax, argmin, nonzero, count_nonzero, searchsorted)
