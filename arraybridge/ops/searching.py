"""Searching functions (the standard's "Searching Functions" chapter)."""

from __future__ import annotations

from typing import Any

from .. import _config, _dtypes
from .._convert import PY_SCALARS, operand
from .._dispatch import check_same_device, tensor_arg, wrap
from .._errors import DTypeError
from .._tensor import Tensor

__all__ = ["where"]


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
    d1, d2 = x1._dtype, x2._dtype
    if d1 is not d2:
        if not _config.is_standard():
            raise _dtypes.strict_mismatch(where_, (d1, d2))
        common = _dtypes.promote(d1, d2, where_)
        from .data_type import astype

        x1, x2 = astype(x1, common), astype(x2, common)
    try:
        r = cond._dev.fns["where"](cond._data, x1._data, x2._data)
    except ValueError as exc:
        raise ValueError(
            f"{where_}: shapes {cond.shape}, {x1.shape} and {x2.shape} do not broadcast"
        ) from exc
    return wrap(r, x1._dtype, x1)
