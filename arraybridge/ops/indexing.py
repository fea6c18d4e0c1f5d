"""Indexing functions (the standard's "Indexing Functions" chapter)."""

from __future__ import annotations

import math
from typing import Any

from .. import _dtypes
from .._dispatch import category_error, check_same_device, primitive, tensor_arg, wrap
from .._errors import an
from .._tensor import Tensor
from ..autodiff._rules import defvjp
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


@primitive()
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
                f"{where}: axis is required for {an(str(x.ndim) + '-D')} tensor "
                "(optional only for 1-D)"
            )
        a = 0
    else:
        a = _axis(axis, x.ndim, where)
    idx = tensor_arg(indices, where)
    if idx.ndim != 1:
        raise ValueError(f"{where}: indices must be a 1-D tensor, got shape {idx.shape}")
    idx = _indices(x, idx, a, where)
    return wrap(x._dev.fns["take"](x._data, idx._data, axis=a), x._dtype, x)


@primitive()
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


# -- VJP rules --------------------------------------------------------------------------------


# Segment sums whose one-hot product has at most this many elements are done densely
# (a handful of ops, no host synchronisation); larger ones by sorting.
_DENSE_LIMIT = 1 << 16


def _segment_sum(data: Tensor, seg: Tensor, n: int) -> Tensor:
    """``out[j] = sum(data[i] for i with seg[i] == j)`` for ``j`` in ``[0, n)`` (rows along
    axis 0): the transpose of a gather, which adds up the rows an index selected twice.

    Written with arraybridge ops only, so it runs on every backend and is differentiable.
    Small problems multiply by a one-hot matrix. Otherwise the rows are sorted by segment,
    a segmented scan with doubling strides (rounds logarithmic in the longest segment,
    each adding partial sums of equal size) leaves each segment's sum on its last row, and
    a gather places the sums. ``seg`` holds int64 indices in ``[0, n)``.
    """
    from .creation import arange, ones, zeros
    from .data_type import astype
    from .elementwise import equal, minimum, not_equal
    from .manipulation import concat, reshape
    from .searching import nonzero, searchsorted, where
    from .sorting import argsort
    from .statistical import max as max_
    from .statistical import sum as sum_

    m = seg.shape[0]
    rest = data.shape[1:]
    if m == 0 or n == 0:
        return zeros((n, *rest), dtype=data._dtype, device=data._dev)
    ones_rest = (1,) * len(rest)
    if m * n * math.prod(rest) <= _DENSE_LIMIT:
        hot = astype(equal(reshape(seg, (m, 1)), arange(n, device=seg._dev)), data._dtype)
        return sum_(reshape(hot, (m, n, *ones_rest)) * reshape(data, (m, 1, *rest)), axis=0)
    order = argsort(seg)
    s = take(seg, order)
    v = take(data, order, axis=0)
    last = ones((1,), dtype=_dtypes.bool, device=seg._dev)
    ends = nonzero(concat([not_equal(s[1:], s[:-1]), last]) if m > 1 else last)[0]
    k = ends.shape[0]
    if k < m:  # some segment has more than one row
        starts = concat([zeros((1,), dtype=ends._dtype, device=ends._dev), ends[:-1] + 1])
        longest = int(max_(ends - starts)) + 1
        d = 1
        while d < longest:  # v[i] += v[i - d] within a segment
            same = reshape(equal(s[d:], s[:-d]), (m - d, *ones_rest))
            v = concat([v[:d], v[d:] + where(same, v[:-d], 0)], axis=0)
            d *= 2
        v = take(v, ends, axis=0)
        s = take(s, ends)
    if k == n:  # every segment present: s is arange(n)
        return v
    j = arange(n, device=seg._dev)
    pos = minimum(searchsorted(s, j), k - 1)
    present = reshape(equal(take(s, pos), j), (n, *ones_rest))
    return where(present, take(v, pos, axis=0), 0)


def _take_vjp(g: Tensor, ans: Tensor, x: Tensor, indices: Any, axis: Any = None) -> Tensor:
    from .manipulation import moveaxis

    a = 0 if axis is None else _axis(axis, x.ndim, "take")
    idx = _indices(x, indices, a, "take")
    out = _segment_sum(moveaxis(g, a, 0), idx, x.shape[a])
    return moveaxis(out, 0, a)


def _take_along_axis_vjp(g: Tensor, ans: Tensor, x: Tensor, indices: Any, axis: int = -1) -> Tensor:
    from .creation import arange
    from .data_type import broadcast_to
    from .manipulation import moveaxis, reshape

    a = _axis(axis, x.ndim, "take_along_axis")
    idx = broadcast_to(_indices(x, indices, a, "take_along_axis"), g.shape)
    n = x.shape[a]
    gm = moveaxis(g, a, -1)
    lead = gm.shape[:-1]
    rows = math.prod(lead)
    # flat position of each element in the result of shape ``lead + (n,)``
    base = reshape(arange(rows, device=g._dev) * n, (*lead, 1))
    seg = reshape(moveaxis(idx, a, -1) + base, (-1,))
    flat = _segment_sum(reshape(gm, (-1,)), seg, rows * n)
    # of g's shape with n along axis; the tape sums the axes x broadcast along
    return moveaxis(reshape(flat, (*lead, n)), -1, a)


defvjp(take, _take_vjp)
defvjp(take_along_axis, _take_along_axis_vjp)
