"""Linear algebra functions (the standard's "Linear Algebra Functions" chapter)."""

from __future__ import annotations

from typing import Any

from .._dispatch import apply, binary, tensor_arg
from .._tensor import Tensor

__all__ = ["matmul", "matrix_transpose"]

_matmul = binary(
    "matmul", "numeric", "Matrix product x1 @ x2, broadcasting over leading axes.", scalars=False
)


def matmul(x1: Any, x2: Any, /) -> Tensor:
    """Matrix product ``x1 @ x2``, broadcasting over leading axes."""
    if isinstance(x1, (bool, int, float, complex)) or isinstance(x2, (bool, int, float, complex)):
        raise TypeError("matmul: Python scalars are not accepted; use multiply")
    a = x1 if isinstance(x1, Tensor) else tensor_arg(x1, "matmul")
    b = x2 if isinstance(x2, Tensor) else tensor_arg(x2, "matmul")
    if a._data.ndim == 0 or b._data.ndim == 0:
        raise ValueError("matmul: operands must have at least one dimension (use multiply)")
    na, nb = a._data.shape[-1], b._data.shape[-2 if b._data.ndim > 1 else 0]
    if na != nb:
        raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not align ({na} != {nb})")
    return _matmul(a, b)


def matrix_transpose(x: Any, /) -> Tensor:
    """The transpose of the last two axes (a new tensor)."""
    x = tensor_arg(x, "matrix_transpose")
    if x.ndim < 2:
        raise ValueError(
            f"matrix_transpose: x must have at least 2 dimensions, got shape {x.shape}"
        )
    return apply("matrix_transpose", x, view=True)  # type: ignore[no-any-return]
