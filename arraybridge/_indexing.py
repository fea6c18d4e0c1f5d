"""Indexing: ``Tensor.__getitem__`` and the standard-semantics ``Tensor.__setitem__``.

Keys follow the standard (integers, slices, ``...``, ``None``, boolean masks, integer
arrays) plus NumPy's partial indices (``t[0]`` on a 2-D tensor means ``t[0, ...]``).
Tensors inside keys are unwrapped to the backend's arrays; out-of-bounds integers raise
``IndexError`` on every backend.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from . import _config, _dtypes, _recording
from ._convert import PY_SCALARS, operand, weak_dtype
from ._dispatch import check_same_device
from ._errors import DTypeError, an
from ._tensor import Tensor

__all__ = ["getitem", "setitem"]

_SIMPLE = (int, slice, type(None), type(Ellipsis))
_new = object.__new__
_ACTIVE = _recording.ACTIVE


def _part(x: Tensor, k: Any, where: str) -> Any:
    t = type(k)
    if t in _SIMPLE or t is bool:
        return k
    if isinstance(k, Tensor):
        check_same_device(where, x, k)
        if k._dtype._kind not in "biu":
            raise IndexError(f"{where}: index tensors must be integer or bool, got {k._dtype}")
        return k._data
    if isinstance(k, (list, np.ndarray)):
        arr = np.asarray(k)
        if arr.dtype.kind not in "biu" and arr.size:
            raise IndexError(f"{where}: index arrays must be integer or bool, got {arr.dtype}")
        if arr.dtype.kind not in "biu":
            arr = arr.astype(np.int64)
        return x._dev.backend.asarray(arr, None, x._dev.id, None)
    index = getattr(k, "__index__", None)
    if index is not None and not isinstance(k, float):
        return index()
    raise IndexError(
        f"{where}: only integers, slices, ..., None, and integer or boolean tensors are valid "
        f"indices; got {type(k).__name__}"
    )


def _key(x: Tensor, key: Any, where: str) -> Any:
    if type(key) is tuple:
        return tuple(_part(x, k, where) for k in key)
    return _part(x, key, where)


def getitem(x: Tensor, key: Any, /, *, _raw: bool = False) -> Tensor:
    """``x[key]``: a new tensor (it may share memory with ``x``; writes never show through)."""
    if _ACTIVE[0] and not _raw:
        return _recording.record("__getitem__", getitem, (x, key), {})  # type: ignore[no-any-return]
    tk = type(key)
    k = key if (tk is int or tk is slice) else _key(x, key, "Tensor.__getitem__")
    dev = x._dev
    be = dev.backend
    xd = x._data
    try:
        r = be.getitem(xd, k)
    except IndexError as exc:
        raise IndexError(f"Tensor.__getitem__: {exc} (shape {x.shape})") from None
    t: Tensor = _new(Tensor)
    t._node = None
    t._data = r
    t._dtype = x._dtype
    t._dev = dev
    t._shared = False
    if be.may_alias(r, xd):
        x._shared = t._shared = True
    return t


def _value(x: Tensor, value: Any, where: str) -> Any:
    """The native value to write into ``x``, after the dtype rules of the semantics in force."""
    if type(value) in PY_SCALARS:
        target = weak_dtype(value, x._dtype, where)
        if target is not x._dtype:
            raise DTypeError(
                f"{where}: cannot store {an(type(value).__name__)} in {an(x._dtype)} tensor"
            )
        return value
    v = value if isinstance(value, Tensor) else operand(value, x, where)
    check_same_device(where, x, v)
    if v._dtype is not x._dtype:
        if not _config.is_standard():
            raise _dtypes.strict_mismatch(where, (x._dtype, v._dtype))
        if _dtypes.PROMOTION.get((x._dtype, v._dtype)) is not x._dtype:
            raise DTypeError(
                f"{where}: {an(v._dtype)} value cannot be stored in {an(x._dtype)} tensor without "
                f"changing its dtype; convert it with ab.astype(value, ab.{x._dtype})"
            )
        from .ops.data_type import astype

        v = astype(v, x._dtype)
    return v._data


def setitem(x: Tensor, key: Any, value: Any, /, *, _raw: bool = False) -> None:
    """``x[key] = value`` with value semantics: only ``x`` changes; on failure nothing does.

    Under a recording tape the write is recorded as a functional update (``x`` gets a new
    node; what was recorded before keeps the old values).
    """
    if _ACTIVE[0] and not _raw:
        from .autodiff._graph import record_write

        record_write("__setitem__", setitem, x, (key, value))
        return
    where = "Tensor.__setitem__"
    k = _key(x, key, where)
    v = _value(x, value, where)
    be = x._dev.backend
    data = x._data
    copied = x._shared and be.writes_in_place
    if copied:
        data = be.copy(data)  # copy-on-write: someone else can see the old buffer
    try:
        data = be.setitem(data, k, v)
    except IndexError as exc:
        raise IndexError(f"{where}: {exc} (shape {x.shape})") from None
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    x._data = data
    if copied:
        x._shared = False


def _hide_raw(fn: Any) -> None:
    """Keep the private ``_raw`` flag (the recorded route's re-entry) out of the signature."""
    sig = inspect.signature(fn)
    fn.__signature__ = sig.replace(parameters=[p for n, p in sig.parameters.items() if n != "_raw"])


_hide_raw(getitem)
_hide_raw(setitem)


# -- VJP rules ---------------------------------------------------------------------------------
# getitem: g scattered into zeros of x's shape; setitem (a functional update): g zeroed at key
# goes to the old value, g[key] (unbroadcast by the tape) to the written value.


def _is_index_array(k: Any) -> bool:
    """Whether key part ``k`` is an integer array with more than one element (which can
    select an element more than once)."""
    if isinstance(k, Tensor):
        return k._dtype._kind in "iu" and k.size > 1
    if isinstance(k, (list, np.ndarray)):
        arr = np.asarray(k)
        return arr.dtype.kind not in "b" and arr.size > 1
    return False


def _leading_rows(x: Tensor, key: Any) -> Any:
    """The integer array of ``key`` when it selects whole rows (``x[idx]``, ``x[idx, ...]``,
    ``x[idx, :, :]``), else None."""
    parts = key if type(key) is tuple else (key,)
    if not parts or not _is_index_array(parts[0]):
        return None
    rest = parts[1:]
    if all(
        type(p) is slice and p.start is None and p.stop is None and p.step is None for p in rest
    ) or (len(rest) == 1 and rest[0] is Ellipsis):
        return parts[0]
    return None


def _getitem_vjp(g: Tensor, ans: Tensor, x: Tensor, key: Any) -> Tensor:
    from .ops.creation import arange, asarray, zeros
    from .ops.data_type import astype
    from .ops.elementwise import add, less
    from .ops.indexing import _segment_sum
    from .ops.manipulation import reshape
    from .ops.searching import where

    parts = key if type(key) is tuple else (key,)
    if not any(_is_index_array(p) for p in parts):
        # every element of x is selected at most once: write g into zeros
        z = zeros(x.shape, dtype=g._dtype, device=g._dev)
        setitem(z, key, g)
        return z
    rows = _leading_rows(x, key)
    if rows is not None and x.ndim >= 1:  # x[idx]: a segment sum of rows (embeddings)
        idx = rows if isinstance(rows, Tensor) else asarray(np.asarray(rows), device=x._dev)
        idx = reshape(astype(idx, _dtypes.DEFAULT_INDEX), (-1,))
        n = x.shape[0]
        idx = where(less(idx, 0), add(idx, n), idx)
        data = reshape(g, (idx.shape[0], *x.shape[1:]))
        return _segment_sum(data, idx, n)
    # any other key: the flat position in x of each selected element, then a segment sum
    lin = reshape(arange(x.size, device=x._dev), x.shape)
    sel = getitem(lin, key)
    flat = _segment_sum(reshape(g, (-1,)), reshape(sel, (-1,)), x.size)
    return reshape(flat, x.shape)


def _written(x: Tensor, key: Any) -> Tensor:
    """A boolean tensor of ``x``'s shape, True where ``x[key]`` selects."""
    from .ops.creation import zeros

    mask = zeros(x.shape, dtype=_dtypes.bool, device=x._dev)
    setitem(mask, key, True, _raw=True)
    return mask


def _setitem_old_vjp(g: Tensor, ans: Tensor, x: Tensor, key: Any, value: Any) -> Tensor | None:
    from .ops.searching import where

    if key is Ellipsis or (type(key) is tuple and len(key) == 1 and key[0] is Ellipsis):
        return None  # all of x overwritten (``x[...] = v``, as in ``x += y``)
    return where(_written(x, key), 0, g)


def _setitem_value_vjp(g: Tensor, ans: Tensor, x: Tensor, key: Any, value: Any) -> Tensor:
    # Note: with an integer-array key that repeats an element, the backend keeps one of the
    # values written there (NumPy the last; unspecified on JAX), yet every one of them
    # receives that element's cotangent here.
    return getitem(g, key)


_recording.RULES["__getitem__"] = {0: _getitem_vjp}
_recording.RULES["__setitem__"] = {0: _setitem_old_vjp, 2: _setitem_value_vjp}
