"""Utility functions (the standard's "Utility Functions" chapter)."""

from __future__ import annotations

import builtins
from typing import Any

from .. import _config, _dtypes
from .._convert import operand
from .._dispatch import apply, category_error, check_same_device, primitive, tensor_arg, wrap
from .._tensor import Tensor
from ..autodiff._rules import defvjp, nondifferentiable
from .manipulation import _axes, _axis, _int

__all__ = ["all", "any", "diff"]


def _truth(name: str, x: Any, axis: Any, keepdims: bool) -> Tensor:
    x = tensor_arg(x, name)
    if type(keepdims) is not bool:
        raise TypeError(f"{name}: keepdims must be a bool, got {type(keepdims).__name__}")
    ax = None if axis is None else _axes(axis, x.ndim, name)
    return apply(name, x, axis=ax, keepdims=keepdims, out_dtype=_dtypes.bool)  # type: ignore[no-any-return]


def all(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """True where every element along ``axis`` (all axes when None) is nonzero.

    True over no elements.
    """
    return _truth("all", x, axis, keepdims)


def any(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """True where some element along ``axis`` (all axes when None) is nonzero.

    False over no elements.
    """
    return _truth("any", x, axis, keepdims)


def _edge(x: Tensor, values: Any, axis: int, label: str) -> Tensor:
    """``prepend`` or ``append`` as a tensor of ``x``'s shape outside ``axis``."""
    where = "diff"
    t = values if isinstance(values, Tensor) else operand(values, x, where)
    check_same_device(where, x, t)
    if t.ndim == 0:
        # Note: a 0-d prepend/append (e.g. a Python scalar) stands for one value along
        # axis, as in NumPy; the standard asks for x's shape outside axis.
        shape = (*x.shape[:axis], 1, *x.shape[axis + 1 :])
        return wrap(t._dev.fns["broadcast_to"](t._data, shape), t._dtype, t)
    if t.ndim != x.ndim or builtins.any(
        a != b for i, (a, b) in enumerate(zip(x.shape, t.shape, strict=True)) if i != axis
    ):
        raise ValueError(
            f"{where}: {label} must have x's shape {x.shape} except along axis {axis}, "
            f"got shape {t.shape}"
        )
    return t


@primitive()
def diff(
    x: Any,
    /,
    *,
    axis: int = -1,
    n: int = 1,
    prepend: Any = None,
    append: Any = None,
) -> Tensor:
    """The ``n``-th forward difference ``out[i] = x[i+1] - x[i]`` along ``axis``.

    ``prepend`` and ``append`` are joined to ``x`` along ``axis`` first; their dtypes
    follow the semantics in force (strict: equal to ``x``'s; standard: promotion). The
    result has ``M + N1 + N2 - n`` elements along ``axis`` (none when that is negative).
    """
    where = "diff"
    x = tensor_arg(x, where)
    if x._dtype not in _dtypes.NUMERIC:
        raise category_error(where, "numeric", x._dtype)
    n = _int(n, "n", where)
    if n < 0:
        raise ValueError(f"{where}: n must be non-negative, got {n}")
    a = _axis(axis, x.ndim, where)
    pre = None if prepend is None else _edge(x, prepend, a, "prepend")
    app = None if append is None else _edge(x, append, a, "append")
    parts = [t for t in (pre, x, app) if t is not None]
    if len(parts) > 1:
        dt = x._dtype
        for t in parts:
            if t._dtype is not dt:
                if not _config.is_standard():
                    raise _dtypes.strict_mismatch(where, (x._dtype, t._dtype))
                dt = _dtypes.promote(dt, t._dtype, where)
        if dt not in _dtypes.NUMERIC:
            raise category_error(where, "numeric", dt)
        if builtins.any(t._dtype is not dt for t in parts):
            from .data_type import astype

            parts = [t if t._dtype is dt else astype(t, dt) for t in parts]
        x = wrap(x._dev.fns["concat"]([t._data for t in parts], axis=a), dt, x)
    # view=True: with n=0 the backend may hand back its input itself
    return apply("diff", x, axis=a, n=n, view=True)  # type: ignore[no-any-return]


# -- VJP rules --------------------------------------------------------------------------------


def _diff_vjp(
    g: Tensor,
    x: Tensor,
    axis: int,
    n: int,
    prepend: Any,
    append: Any,
) -> tuple[Tensor, Tensor, Tensor]:
    """Cotangents of prepend, x and append: the transpose of n forward differences of
    their concatenation along ``axis``, cut back into its three parts."""
    from .creation import zeros
    from .manipulation import concat

    a = _axis(axis, x.ndim, "diff")
    n = _int(n, "n", "diff")
    p = 0 if prepend is None else _edge(x, prepend, a, "prepend").shape[a]
    q = 0 if append is None else _edge(x, append, a, "append").shape[a]
    m = x.shape[a]
    length = p + m + q
    shape = (*x.shape[:a], length, *x.shape[a + 1 :])
    if n and n >= length:  # nothing left after n differences
        h = zeros(shape, dtype=g._dtype, device=g._dev)
    else:
        h = g
        pad = zeros((*x.shape[:a], 1, *x.shape[a + 1 :]), dtype=g._dtype, device=g._dev)
        for _ in range(n):  # the transpose of out[i] = h[i + 1] - h[i]
            h = concat([pad, h], axis=a) - concat([h, pad], axis=a)
    lead = (slice(None),) * a
    return h[(*lead, slice(0, p))], h[(*lead, slice(p, p + m))], h[(*lead, slice(p + m, None))]


def _diff_part(i: int) -> Any:
    def rule(
        g: Tensor,
        ans: Tensor,
        x: Tensor,
        *,
        axis: int = -1,
        n: int = 1,
        prepend: Any = None,
        append: Any = None,
    ) -> Tensor:
        return _diff_vjp(g, x, axis, n, prepend, append)[i]

    return rule


defvjp(diff, _diff_part(1), prepend=_diff_part(0), append=_diff_part(2))
nondifferentiable(all, any)
