"""Sorting functions (the standard's "Sorting Functions" chapter)."""

from __future__ import annotations

from typing import Any

from .. import _dtypes
from .._dispatch import category_error, primitive, tensor_arg, wrap
from .._tensor import Tensor
from ..autodiff._rules import defvjp, nondifferentiable
from .manipulation import _axis

__all__ = ["argsort", "sort"]


def _flag(value: Any, name: str, where: str) -> bool:
    if value is not True and value is not False:
        raise TypeError(f"{where}: {name} must be a bool, got {type(value).__name__}")
    return value


def _prepare(where: str, x: Any, axis: Any, descending: Any, stable: Any) -> tuple[Tensor, int]:
    x = tensor_arg(x, where)
    if x._dtype not in _dtypes.REAL_NUMERIC:
        raise category_error(where, "real numeric", x._dtype)
    _flag(descending, "descending", where)
    _flag(stable, "stable", where)
    # Note: a 0-d tensor has no valid axis ([-0, 0) is empty), so sorting one raises
    # IndexError, as the standard's axis rule implies (NumPy also refuses).
    return x, _axis(axis, x.ndim, where)


@primitive()
def sort(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Tensor:
    """A sorted copy of ``x`` along ``axis`` (stable by default; NaNs sort as largest)."""
    x, ax = _prepare("sort", x, axis, descending, stable)
    fns = x._dev.fns
    if not descending:
        return wrap(fns["sort"](x._data, axis=ax, stable=stable), x._dtype, x)
    flip, data = fns["flip"], x._data
    if x._dtype._kind in "fc":
        # Elements that compare equal can still differ (-0.0 and +0.0), so a stable
        # descending sort is the reversal of a stable ascending sort of the reversed
        # input: equal elements keep their original relative order.
        data = flip(data, axis=ax)
    # Integers that compare equal are identical, so reversing the ascending sort suffices.
    return wrap(flip(fns["sort"](data, axis=ax, stable=stable), axis=ax), x._dtype, x)


def argsort(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Tensor:
    """Indices (int64) that sort ``x`` along ``axis`` (stable by default; NaNs as largest)."""
    x, ax = _prepare("argsort", x, axis, descending, stable)
    fns = x._dev.fns
    if not descending:
        r = fns["argsort"](x._data, axis=ax, stable=stable)
    else:
        # A stable descending argsort: sort the reversed input stably in ascending order,
        # reverse the result, then map positions in the reversed input back (i -> n-1-i).
        # Equal elements thus keep their original relative order, which a plain reversal
        # of the ascending argsort would invert.
        flip = fns["flip"]
        n = x.shape[ax]
        r = (n - 1) - flip(fns["argsort"](flip(x._data, axis=ax), axis=ax, stable=stable), axis=ax)
    return _index_tensor(r, x)


def _index_tensor(native: Any, like: Tensor) -> Tensor:
    """Native index array ``native`` as a tensor of the default index dtype (int64)."""
    be = like._dev.backend
    dt = be.from_native[native.dtype]
    t = wrap(native, dt, like)
    if dt is not _dtypes.DEFAULT_INDEX:
        from .data_type import astype

        t = astype(t, _dtypes.DEFAULT_INDEX)
    return t


# -- VJP rules --------------------------------------------------------------------------------


def _sort_vjp(
    g: Tensor,
    ans: Tensor,
    x: Tensor,
    axis: int = -1,
    descending: bool = False,
    stable: bool = True,
) -> Tensor:
    # sort(x) = take_along_axis(x, p) with p = argsort(x): x's cotangent is g taken back
    # through the inverse permutation (tied elements are equal, so the choice among them
    # changes nothing in the result).
    from .indexing import take_along_axis

    p = argsort(x, axis=axis, descending=descending, stable=stable)
    return take_along_axis(g, argsort(p, axis=axis), axis=axis)


defvjp(sort, _sort_vjp)
nondifferentiable(argsort)
