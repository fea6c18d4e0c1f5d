"""Indexing: ``Tensor.__getitem__`` and the standard-semantics ``Tensor.__setitem__``.

Keys follow the standard (integers, slices, ``...``, ``None``, boolean masks, integer
arrays) plus NumPy's partial indices (``t[0]`` on a 2-D tensor means ``t[0, ...]``).
Tensors inside keys are unwrapped to the backend's arrays; out-of-bounds integers raise
``IndexError`` on every backend.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _config, _dtypes
from ._convert import PY_SCALARS, operand, weak_dtype
from ._dispatch import check_same_device
from ._errors import DTypeError
from ._tensor import Tensor

__all__ = ["getitem", "setitem"]

_SIMPLE = (int, slice, type(None), type(Ellipsis))
_new = object.__new__


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
        return x._dev.backend.plugin.asarray(arr, None, x._dev.id, None)
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


def getitem(x: Tensor, key: Any, /) -> Tensor:
    """``x[key]``: a new tensor (it may share memory with ``x``; writes never show through)."""
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
                f"{where}: cannot store a {type(value).__name__} in a {x._dtype} tensor"
            )
        return value
    v = value if isinstance(value, Tensor) else operand(value, x, where)
    check_same_device(where, x, v)
    if v._dtype is not x._dtype:
        if not _config.is_standard():
            raise _dtypes.strict_mismatch(where, (x._dtype, v._dtype))
        if _dtypes.PROMOTION.get((x._dtype, v._dtype)) is not x._dtype:
            raise DTypeError(
                f"{where}: a {v._dtype} value cannot be stored in a {x._dtype} tensor without "
                f"changing its dtype; convert it with ab.astype(value, ab.{x._dtype})"
            )
        from .ops.data_type import astype

        v = astype(v, x._dtype)
    return v._data


def setitem(x: Tensor, key: Any, value: Any, /) -> None:
    """``x[key] = value`` with value semantics: only ``x`` changes; on failure nothing does."""
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
