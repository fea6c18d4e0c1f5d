"""Statistical functions (the standard's "Statistical Functions" chapter)."""

from __future__ import annotations

import math
from typing import Any

from .. import _dtypes
from .._convert import resolve_dtype
from .._dispatch import apply, category_error, primitive, tensor_arg, wrap
from .._dtypes import DType
from .._errors import DTypeError, an
from .._tensor import Tensor
from ..autodiff._rules import defvjp
from .data_type import broadcast_to
from .manipulation import _axes, _axis, reshape

__all__ = [
    "cumulative_prod",
    "cumulative_sum",
    "max",
    "mean",
    "min",
    "prod",
    "std",
    "sum",
    "var",
]

# The unsigned dtype as wide as the default integer dtype (uint64 for int64).
_DEFAULT_UINT: DType = next(d for d in _dtypes.UNSIGNED if d.bits == _dtypes.DEFAULT_INT.bits)


def _check_keepdims(name: str, keepdims: Any) -> None:
    if keepdims is not False and keepdims is not True:
        raise TypeError(f"{name}: keepdims must be a bool, got {type(keepdims).__name__}")


def _reduce(name: str, x: Any, category: str, axis: Any, keepdims: bool, **kwargs: Any) -> Tensor:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if x._dtype not in _dtypes.CATEGORIES[category]:
        raise category_error(name, category, x._dtype)
    _check_keepdims(name, keepdims)
    ax = None if axis is None else _axes(axis, x.ndim, name)
    return apply(name, x, axis=ax, keepdims=keepdims, **kwargs)  # type: ignore[no-any-return]


def _accumulation_dtype(x: Tensor, dtype: Any, name: str) -> tuple[Tensor, DType, Any]:
    """The result dtype of a sum or product, ``x`` converted where it must be, the native dtype.

    Without ``dtype``, integers narrower than the default integer dtype accumulate in it
    (signed) or in the unsigned dtype of its width (unsigned); other dtypes are kept.
    An explicit ``dtype`` is an explicit conversion (as ``astype``): numeric only, and
    never complex to real.
    """
    d = x._dtype
    if d not in _dtypes.NUMERIC:
        raise category_error(name, "numeric", d)
    if dtype is None:
        target = d
        if d._kind in "iu" and d.bits < _dtypes.DEFAULT_INT.bits:
            target = _dtypes.DEFAULT_INT if d._kind == "i" else _DEFAULT_UINT
    else:
        target = resolve_dtype(dtype, name)
        if target not in _dtypes.NUMERIC:
            raise DTypeError(f"{name}: dtype must be a numeric dtype, got {target}")
        if d._kind == "c" and target._kind != "c":
            raise DTypeError(
                f"{name}: dtype {target} would drop the imaginary part of {an(d)} tensor; "
                "take ab.real(x) or ab.abs(x) first"
            )
    try:
        native = x._dev.backend.to_native[target]
    except KeyError:
        raise DTypeError(
            f"{name}: the {x._dev.backend.name} backend does not support {target}, the "
            f"dtype of this result; pass a supported dtype= explicitly"
        ) from None
    if target is not d and not _dtypes.can_cast_dtypes(d, target):
        from .data_type import astype

        x = astype(x, target)  # a cross-kind or narrowing conversion, done explicitly
    return x, target, native


def _accumulating(name: str, x: Any, axis: Any, dtype: Any, keepdims: bool) -> Tensor:
    if type(x) is Tensor and dtype is None and x._dtype._kind in ("f", "c"):
        target = x._dtype  # the common case: a floating-point tensor keeps its dtype
        native = x._dev.backend.to_native[target]
    else:
        x = tensor_arg(x, name)
        x, target, native = _accumulation_dtype(x, dtype, name)
    _check_keepdims(name, keepdims)
    ax = (
        None
        if axis is None
        else (_axis(axis, x.ndim, name),)
        if type(axis) is int
        else _axes(axis, x.ndim, name)
    )
    return wrap(x._dev.fns[name](x._data, axis=ax, keepdims=keepdims, dtype=native), target, x)


@primitive()
def sum(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Tensor:
    """Sum over ``axis`` (all axes when None).

    Integers narrower than the default integer dtype sum in int64 (signed) or uint64
    (unsigned); other dtypes keep theirs unless ``dtype`` is given. The empty sum is 0.
    """
    return _accumulating("sum", x, axis, dtype, keepdims)


@primitive()
def prod(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Tensor:
    """Product over ``axis`` (all axes when None); result dtypes as for ``sum``.

    The empty product is 1.
    """
    return _accumulating("prod", x, axis, dtype, keepdims)


def _cumulative(name: str, x: Any, axis: Any, dtype: Any, include_initial: Any) -> Tensor:
    x = tensor_arg(x, name)
    x, target, native = _accumulation_dtype(x, dtype, name)
    if include_initial is not False and include_initial is not True:
        raise TypeError(
            f"{name}: include_initial must be a bool, got {type(include_initial).__name__}"
        )
    if x.ndim == 0:
        # Note: the standard leaves 0-d input unspecified; arraybridge refuses it.
        raise ValueError(f"{name}: x must have at least one dimension, got a 0-d tensor")
    if axis is None:
        if x.ndim != 1:
            raise ValueError(
                f"{name}: axis is required for {an(str(x.ndim) + '-D')} tensor "
                "(optional only for 1-D)"
            )
        a = 0
    else:
        a = _axis(axis, x.ndim, name)
    r = x._dev.fns[name](x._data, axis=a, dtype=native, include_initial=include_initial)
    return wrap(r, target, x)


@primitive()
def cumulative_sum(
    x: Any,
    /,
    *,
    axis: int | None = None,
    dtype: Any = None,
    include_initial: bool = False,
) -> Tensor:
    """Running sums along ``axis`` (optional only for 1-D ``x``); dtypes as for ``sum``.

    With ``include_initial`` the result starts with 0 along ``axis`` (one element longer).
    """
    return _cumulative("cumulative_sum", x, axis, dtype, include_initial)


@primitive()
def cumulative_prod(
    x: Any,
    /,
    *,
    axis: int | None = None,
    dtype: Any = None,
    include_initial: bool = False,
) -> Tensor:
    """Running products along ``axis`` (optional only for 1-D ``x``); dtypes as for ``prod``.

    With ``include_initial`` the result starts with 1 along ``axis`` (one element longer).
    """
    return _cumulative("cumulative_prod", x, axis, dtype, include_initial)


def _extremum(name: str, x: Any, axis: Any, keepdims: bool) -> Tensor:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if x._dtype not in _dtypes.REAL_NUMERIC:
        raise category_error(name, "real numeric", x._dtype)
    _check_keepdims(name, keepdims)
    shape = x.shape
    ax = None if axis is None else _axes(axis, len(shape), name)
    if 0 in shape and any(shape[a] == 0 for a in (range(len(shape)) if ax is None else ax)):
        # Note: the standard leaves the max/min of no elements implementation-defined;
        # arraybridge raises, as NumPy, CuPy and JAX do.
        raise ValueError(f"{name}: cannot reduce over a zero-size axis (there is no identity)")
    return wrap(x._dev.fns[name](x._data, axis=ax, keepdims=keepdims), x._dtype, x)


@primitive()
def max(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Maximum over ``axis`` (all axes when None); NaN propagates."""
    return _extremum("max", x, axis, keepdims)


@primitive()
def min(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Minimum over ``axis`` (all axes when None); NaN propagates."""
    return _extremum("min", x, axis, keepdims)


@primitive()
def mean(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean over ``axis`` (all axes when None); floating-point tensors only.

    The mean of no elements is NaN.
    """
    return _reduce("mean", x, "floating-point", axis, keepdims)


def _spread(name: str, x: Any, axis: Any, correction: Any, keepdims: bool) -> Tensor:
    x = tensor_arg(x, name)
    if isinstance(correction, bool) or not isinstance(correction, (int, float)):
        raise TypeError(f"{name}: correction must be an int or float, got {correction!r}")
    if not correction >= 0:
        raise ValueError(f"{name}: correction must be non-negative, got {correction}")
    r = _reduce(name, x, "real floating-point", axis, keepdims, correction=correction)
    ax = range(x.ndim) if axis is None else _axes(axis, x.ndim, name)
    if math.prod(x.shape[a] for a in ax) - correction <= 0:
        # Note: NumPy divides by max(M - correction, 0) and so returns inf where the
        # standard asks for NaN.
        from .creation import full

        return full(r.shape, math.nan, dtype=r._dtype, device=r._dev)
    return r


@primitive()
def var(
    x: Any, /, *, axis: Any = None, correction: int | float = 0.0, keepdims: bool = False
) -> Tensor:
    """Variance over ``axis`` with ``correction`` degrees of freedom removed.

    NaN where no more than ``correction`` elements are reduced.
    """
    return _spread("var", x, axis, correction, keepdims)


@primitive()
def std(
    x: Any, /, *, axis: Any = None, correction: int | float = 0.0, keepdims: bool = False
) -> Tensor:
    """Standard deviation over ``axis`` with ``correction`` degrees of freedom removed.

    NaN where no more than ``correction`` elements are reduced.
    """
    return _spread("std", x, axis, correction, keepdims)


# -- VJP rules --------------------------------------------------------------------------------


def _restore_axes(g: Tensor, x: Tensor, axis: Any, keepdims: bool) -> Tensor:
    """``g`` (a reduction's cotangent) broadcast back to ``x``'s shape."""
    shape = x.shape
    if not keepdims and axis is not None:
        axes = _axes(axis, len(shape), "sum")
        g = reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    elif not keepdims and g.ndim and g.ndim != len(shape):  # (a 0-d g broadcasts as it is)
        g = reshape(g, (1,) * len(shape))
    return g if g.shape == shape else broadcast_to(g, shape)


def _count(x: Tensor, axis: Any) -> int:
    """The number of elements a reduction of ``x`` over ``axis`` combines."""
    return math.prod(x.shape[a] for a in _axes(axis, x.ndim, "mean"))


def _along(t: Tensor, axis: int, start: int | None, stop: int | None) -> Tensor:
    """``t[..., start:stop, ...]`` with the slice on ``axis``."""
    return t[(slice(None),) * axis + (slice(start, stop),)]


def _reverse_cumsum(t: Tensor, axis: int) -> Tensor:
    """``out[i] = sum(t[j] for j >= i)`` along ``axis``."""
    from .manipulation import flip

    return flip(cumulative_sum(flip(t, axis=axis), axis=axis), axis=axis)


def _prod_vjp(
    g: Tensor, ans: Tensor, x: Tensor, axis: Any = None, dtype: Any = None, keepdims: bool = False
) -> Tensor:
    # The product of all other elements, as the exclusive running products from both
    # ends (TensorFlow's rule): exact where x holds zeros, unlike ans / x.
    from .creation import zeros
    from .manipulation import flip, permute_dims, reshape

    red = _axes(axis, x.ndim, "prod")
    if not red:
        return g
    if x.size == 0:
        return zeros(x.shape, dtype=g._dtype, device=g._dev)
    keep = tuple(a for a in range(x.ndim) if a not in red)
    perm = keep + red
    kshape = tuple(x.shape[a] for a in keep)
    y = reshape(permute_dims(x, perm), (*kshape, -1))
    if y._dtype is not ans._dtype:
        from .data_type import astype

        y = astype(y, ans._dtype)
    left = _along(cumulative_prod(y, axis=-1, include_initial=True), y.ndim - 1, None, -1)
    right = flip(
        _along(
            cumulative_prod(flip(y, axis=-1), axis=-1, include_initial=True), y.ndim - 1, None, -1
        ),
        axis=-1,
    )
    gk = reshape(g, (*kshape, 1))  # g's elements are in keep order either way
    gy = reshape(gk * left * right, tuple(x.shape[a] for a in perm))
    return permute_dims(gy, tuple(perm.index(i) for i in range(x.ndim)))


def _cumulative_axis(x: Tensor, axis: Any, where: str) -> int:
    return 0 if axis is None else _axis(axis, x.ndim, where)


def _cumulative_sum_vjp(
    g: Tensor,
    ans: Tensor,
    x: Tensor,
    axis: Any = None,
    dtype: Any = None,
    include_initial: bool = False,
) -> Tensor:
    a = _cumulative_axis(x, axis, "cumulative_sum")
    if include_initial:
        g = _along(g, a, 1, None)  # the leading 0 depends on nothing
    return _reverse_cumsum(g, a)


def _cumulative_prod_vjp(
    g: Tensor,
    ans: Tensor,
    x: Tensor,
    axis: Any = None,
    dtype: Any = None,
    include_initial: bool = False,
) -> Tensor:
    # x_i's cotangent is sum over j >= i of g_j * prod(x_k, k <= j, k != i): that is
    # reverse_cumsum(g * ans) / x_i where x_i != 0. At the first zero along the axis it is
    # reverse_cumsum(g * cumulative_prod(x with that zero replaced by 1)); at later zeros 0
    # (every product involved holds the first zero).
    from .data_type import astype
    from .elementwise import equal, logical_and
    from .searching import where
    from .utility import any as any_

    a = _cumulative_axis(x, axis, "cumulative_prod")
    out = ans
    if include_initial:
        g = _along(g, a, 1, None)
        out = _along(ans, a, 1, None)
    zero = equal(x, 0)
    if not bool(any_(zero)):
        return _reverse_cumsum(g * out, a) / x
    first = logical_and(zero, equal(cumulative_sum(astype(zero, _dtypes.DEFAULT_INT), axis=a), 1))
    out1 = cumulative_prod(where(first, 1, x), axis=a, dtype=dtype)
    rest = where(zero, 0, _reverse_cumsum(g * out, a) / where(zero, 1, x))
    return where(first, _reverse_cumsum(g * out1, a), rest)


def _extremum_vjp(
    g: Tensor, ans: Tensor, x: Tensor, axis: Any = None, keepdims: bool = False
) -> Tensor:
    # Note: as TensorFlow's reduce_max/reduce_min, the cotangent is shared equally among
    # the elements equal to the result (ties split it); a NaN result goes to the NaNs.
    from .data_type import astype
    from .elementwise import equal, isnan, logical_and, logical_or

    full = _restore_axes(ans, x, axis, keepdims)
    hit = astype(logical_or(equal(x, full), logical_and(isnan(x), isnan(full))), x._dtype)
    return _restore_axes(g, x, axis, keepdims) * hit / sum(hit, axis=axis, keepdims=True)


def _mean_vjp(
    g: Tensor, ans: Tensor, x: Tensor, axis: Any = None, keepdims: bool = False
) -> Tensor:
    n = _count(x, axis)
    return _restore_axes(g, x, axis, keepdims) / (n if n else 1)


def _spread_scale(x: Tensor, axis: Any, correction: Any) -> Tensor:
    """``(x - mean) / (N - correction)`` (NaN where ``N <= correction``, as var is)."""
    d = _count(x, axis) - correction
    return (x - mean(x, axis=axis, keepdims=True)) / (d if d > 0 else math.nan)


def _var_vjp(
    g: Tensor,
    ans: Tensor,
    x: Tensor,
    axis: Any = None,
    correction: Any = 0.0,
    keepdims: bool = False,
) -> Tensor:
    return 2 * _restore_axes(g, x, axis, keepdims) * _spread_scale(x, axis, correction)


def _std_vjp(
    g: Tensor,
    ans: Tensor,
    x: Tensor,
    axis: Any = None,
    correction: Any = 0.0,
    keepdims: bool = False,
) -> Tensor:
    scale = _spread_scale(x, axis, correction)
    return _restore_axes(g, x, axis, keepdims) * scale / _restore_axes(ans, x, axis, keepdims)


defvjp(
    sum,
    lambda g, ans, x, axis=None, dtype=None, keepdims=False: _restore_axes(g, x, axis, keepdims),
)
defvjp(prod, _prod_vjp)
defvjp(cumulative_sum, _cumulative_sum_vjp)
defvjp(cumulative_prod, _cumulative_prod_vjp)
defvjp(max, _extremum_vjp)
defvjp(min, _extremum_vjp)
defvjp(mean, _mean_vjp)
defvjp(var, _var_vjp)
defvjp(std, _std_vjp)
