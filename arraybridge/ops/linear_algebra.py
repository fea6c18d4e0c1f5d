"""Linear algebra functions (the standard's "Linear Algebra Functions" chapter)."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from .. import _config, _dtypes
from .._convert import PY_SCALARS, operand
from .._dispatch import (
    apply,
    binary,
    category_error,
    check_same_device,
    primitive,
    tensor_arg,
    wrap,
)
from .._tensor import Tensor
from ..autodiff._graph import wanted
from ..autodiff._rules import defvjp, defvjp_all
from .data_type import _broadcast_shapes, astype

__all__ = ["matmul", "matrix_transpose", "tensordot", "vecdot"]

_matmul = binary(
    "matmul", "numeric", "Matrix product x1 @ x2, broadcasting over leading axes.", scalars=False
)


def matmul(x1: Any, x2: Any, /) -> Tensor:
    """Matrix product ``x1 @ x2``, broadcasting over leading axes."""
    if type(x1) is Tensor and type(x2) is Tensor:
        # the common case: the operands are checked only if the product fails
        try:
            return _matmul(x1, x2)
        except (TypeError, ValueError):
            problem = _shape_problem(x1, x2)
            if problem is None:
                raise
            raise ValueError(problem) from None
    if isinstance(x1, (bool, int, float, complex)) or isinstance(x2, (bool, int, float, complex)):
        raise TypeError("matmul: Python scalars are not accepted; use multiply")
    a = x1 if isinstance(x1, Tensor) else tensor_arg(x1, "matmul")
    b = x2 if isinstance(x2, Tensor) else tensor_arg(x2, "matmul")
    problem = _shape_problem(a, b)
    if problem is not None:
        raise ValueError(problem)
    return _matmul(a, b)


def _shape_problem(a: Tensor, b: Tensor) -> str | None:
    """Why ``a @ b`` is undefined for the operands' shapes (None: it is defined)."""
    if a._data.ndim == 0 or b._data.ndim == 0:
        return "matmul: operands must have at least one dimension (use multiply)"
    na, nb = a._data.shape[-1], b._data.shape[-2 if b._data.ndim > 1 else 0]
    if na != nb:
        return f"matmul: shapes {a.shape} and {b.shape} do not align ({na} != {nb})"
    return None


@primitive()
def matrix_transpose(x: Any, /) -> Tensor:
    """The transpose of the last two axes (a new tensor)."""
    if type(x) is not Tensor:
        x = tensor_arg(x, "matrix_transpose")
    if x._data.ndim < 2:
        raise ValueError(
            f"matrix_transpose: x must have at least 2 dimensions, got shape {x.shape}"
        )
    # a view of x on every backend that has views (so both are marked shared, unchecked)
    t = wrap(x._dev.fns["matrix_transpose"](x._data), x._dtype, x)
    t._shared = x._shared = True
    return t


# -- helpers shared with ops/linalg.py ------------------------------------------------------


def _pair(where: str, x1: Any, x2: Any, category: str) -> tuple[Tensor, Tensor]:
    """Two tensor operands of one dtype (strict: equal dtypes; standard: promoted).

    Python scalars are refused (these functions need arrays); lists and NumPy arrays next
    to a tensor convert as ``operand`` does (Python data weak, arrays strong).
    """
    if type(x1) in PY_SCALARS or type(x2) in PY_SCALARS:
        raise TypeError(f"{where}: Python scalars are not accepted; pass tensors")
    t1, t2 = isinstance(x1, Tensor), isinstance(x2, Tensor)
    if t1 and not t2:
        x2 = operand(x2, x1, where)
    elif t2 and not t1:
        x1 = operand(x1, x2, where)
    elif not t1:
        x1, x2 = tensor_arg(x1, where), tensor_arg(x2, where)
    check_same_device(where, x1, x2)
    accepted = _dtypes.CATEGORIES[category]
    d1, d2 = x1._dtype, x2._dtype
    for d in (d1, d2):
        if d not in accepted:
            raise category_error(where, category, d)
    if d1 is not d2:
        if not _config.is_standard():
            raise _dtypes.strict_mismatch(where, (d1, d2))
        common = _dtypes.promote(d1, d2, where)
        if common not in accepted:
            raise category_error(where, category, common)
        x1 = x1 if d1 is common else astype(x1, common)
        x2 = x2 if d2 is common else astype(x2, common)
    return x1, x2


def _int_arg(value: Any, name: str, where: str) -> int:
    """``value`` as a Python int (bools and non-integers raise TypeError)."""
    if isinstance(value, bool):
        raise TypeError(f"{where}: {name} must be an int, got bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{where}: {name} must be an int, got {type(value).__name__}") from None


def _vector_axis(where: str, axis: Any, x1: Tensor, x2: Tensor) -> int:
    """A negative ``axis`` counted from the end of both operands (the standard's rule)."""
    ax = _int_arg(axis, "axis", where)
    n = min(x1.ndim, x2.ndim)
    if n == 0:
        raise ValueError(
            f"{where}: operands must have at least one dimension, got shapes "
            f"{x1.shape} and {x2.shape}"
        )
    # Note: the standard restricts axis to [-N, -1] (N the smaller rank): with operands of
    # different ranks a non-negative axis would name different axes of each.
    if not -n <= ax <= -1:
        raise IndexError(
            f"{where}: axis must be a negative int in [-{n}, -1] for shapes {x1.shape} "
            f"and {x2.shape}, got {ax}"
        )
    return ax


def _batch_shapes(where: str, x1: Tensor, x2: Tensor, ax: int) -> None:
    """Check that the shapes without axis ``ax`` (negative) broadcast together."""
    s1 = list(x1.shape)
    s2 = list(x2.shape)
    del s1[ax], s2[ax]
    try:
        _broadcast_shapes(where, tuple(s1), tuple(s2))
    except ValueError:
        raise ValueError(
            f"{where}: shapes {x1.shape} and {x2.shape} do not broadcast outside axis {ax}"
        ) from None


# -- tensordot, vecdot ------------------------------------------------------------------------


def _axes_seq(value: Any, ndim: int, where: str) -> tuple[int, ...]:
    seq = (value,) if not isinstance(value, (list, tuple)) else tuple(value)
    out = []
    for a in seq:
        i = _int_arg(a, "axes", where)
        if not -ndim <= i < ndim:
            raise IndexError(f"{where}: axis {i} is out of range for {ndim} dimensions")
        out.append(i % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{where}: repeated axis in {value}")
    return tuple(out)


def tensordot(
    x1: Any,
    x2: Any,
    /,
    *,
    axes: int | tuple[Sequence[int], Sequence[int]] = 2,
) -> Tensor:
    """Tensor contraction of ``x1`` and ``x2`` over ``axes``.

    ``axes=N`` contracts the last N axes of ``x1`` with the first N of ``x2``; a pair of
    sequences names the contracted axes of each. No conjugation is applied.
    """
    where = "tensordot"
    a, b = _pair(where, x1, x2, "numeric")
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError(
                f"{where}: axes must be an int or a pair of axis sequences, got {axes!r}"
            )
        # Note: a plain int in either position means one axis, as in NumPy and TensorFlow.
        ax1 = _axes_seq(axes[0], a.ndim, where)
        ax2 = _axes_seq(axes[1], b.ndim, where)
        if len(ax1) != len(ax2):
            raise ValueError(
                f"{where}: axes sequences have different lengths ({len(ax1)} and {len(ax2)})"
            )
    else:
        n = _int_arg(axes, "axes", where)
        if n < 0:
            raise ValueError(f"{where}: axes must be non-negative, got {n}")
        if n > a.ndim or n > b.ndim:
            raise ValueError(
                f"{where}: cannot contract {n} axes of tensors of shapes {a.shape} and {b.shape}"
            )
        ax1 = tuple(range(a.ndim - n, a.ndim))
        ax2 = tuple(range(n))
    for i, j in zip(ax1, ax2, strict=True):
        if a.shape[i] != b.shape[j]:
            raise ValueError(
                f"{where}: contracted axes differ in size: axis {i} of shape {a.shape} "
                f"and axis {j} of shape {b.shape}"
            )
    return _tensordot(a, b, ax1, ax2)


@primitive("tensordot")
def _tensordot(a: Tensor, b: Tensor, ax1: tuple[int, ...], ax2: tuple[int, ...]) -> Tensor:
    """The contraction of checked operands over non-negative axes ``ax1`` / ``ax2``."""
    return apply("tensordot", a, b._data, axes=(list(ax1), list(ax2)))  # type: ignore[no-any-return]


def vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> Tensor:
    """Dot product of the vectors along ``axis`` (``x1`` conjugated when complex).

    The other axes broadcast; the contracted axis must have the same size in both.
    """
    where = "vecdot"
    a, b = _pair(where, x1, x2, "numeric")
    ax = _vector_axis(where, axis, a, b)
    if a.shape[ax] != b.shape[ax]:
        raise ValueError(
            f"{where}: axis {ax} has size {a.shape[ax]} in x1 and {b.shape[ax]} in x2 "
            "(the contracted axis is not broadcast)"
        )
    _batch_shapes(where, a, b, ax)
    return _vecdot(a, b, ax)


@primitive("vecdot")
def _vecdot(a: Tensor, b: Tensor, ax: int) -> Tensor:
    """``vecdot`` of checked operands along the negative axis ``ax``."""
    return apply("vecdot", a, b._data, axis=ax)  # type: ignore[no-any-return]


# -- VJP rules (JAX's complex convention: the transpose, no conjugate; see autodiff/_rules.py) --


def _expand(x: Tensor, axis: int) -> Tensor:
    """``x`` with a new size-1 axis at position ``axis`` of the result."""
    from .manipulation import expand_dims

    return expand_dims(x, axis=axis)


def _matmul_rule(g: Tensor, ans: Tensor, a: Tensor, b: Tensor) -> list[Tensor | None]:
    # Cotangents of the broadcast shapes; the tape sums them back to the operands' shapes.
    if a.ndim == 1 and b.ndim == 1:
        return [g * b, g * a]
    if a.ndim == 1:  # (k) @ (..., k, m) -> (..., m)
        ga = matmul(_expand(g, -2), matrix_transpose(b))  # (..., 1, k)
        gb = _expand(a, -1) * _expand(g, -2)
        return [ga, gb]
    if b.ndim == 1:  # (..., n, k) @ (k) -> (..., n)
        ga = _expand(g, -1) * b
        gb = matmul(_expand(g, -2), a)  # (..., 1, k)
        return [ga, gb]
    # only the cotangents the tape asks for: a frozen layer's input needs none
    return [
        matmul(g, matrix_transpose(b)) if wanted(0) else None,
        matmul(matrix_transpose(a), g) if wanted(1) else None,
    ]


def _tensordot_rule(
    g: Tensor, ans: Tensor, a: Tensor, b: Tensor, ax1: tuple[int, ...], ax2: tuple[int, ...]
) -> list[Tensor]:
    from .manipulation import permute_dims

    free1 = [i for i in range(a.ndim) if i not in ax1]
    free2 = [i for i in range(b.ndim) if i not in ax2]
    nf1 = len(free1)
    # g's axes: a's free axes, then b's free axes
    ga = tensordot(g, b, axes=(list(range(nf1, g.ndim)), free2))
    # ga's axes as axes of a: a's free axes, then the partners of b's remaining axes
    order1 = free1 + [ax1[ax2.index(j)] for j in sorted(ax2)]
    gb = tensordot(a, g, axes=(free1, list(range(nf1))))
    order2 = [ax2[ax1.index(i)] for i in sorted(ax1)] + free2  # gb's axes, as axes of b
    if order1 != sorted(order1):
        ga = permute_dims(ga, tuple(order1.index(i) for i in range(a.ndim)))
    if order2 != sorted(order2):
        gb = permute_dims(gb, tuple(order2.index(i) for i in range(b.ndim)))
    return [ga, gb]


def _vecdot_rule(g: Tensor, ans: Tensor, a: Tensor, b: Tensor, ax: int) -> list[Tensor]:
    from .elementwise import conj

    ge = _expand(g, ax)  # the contracted axis back, broadcasting against both operands
    if a._dtype._kind == "c" or b._dtype._kind == "c":
        # ans = sum(conj(a) * b): holomorphic in b, anti-holomorphic in a
        return [conj(ge * b), ge * conj(a)]
    return [ge * b, ge * a]


defvjp_all("matmul", _matmul_rule)
defvjp_all("tensordot", _tensordot_rule)
defvjp_all("vecdot", _vecdot_rule)
defvjp(matrix_transpose, lambda g, ans, x: matrix_transpose(g))
