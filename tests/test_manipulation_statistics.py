"""Manipulation, indexing, statistical and utility functions, checked against NumPy.

Tensors come from hypothesis's array-API strategies on arraybridge itself (0-d and empty
shapes included where the function allows them); NumPy computes the expected values on
``np.asarray(tensor)``. Result dtypes are derived from the standard's rules, not from
NumPy, and each function's errors are checked with the project's error vocabulary
(DTypeError for dtypes, TypeError for wrong kinds of argument, ValueError for shapes and
values, IndexError for axes and indices out of range).
"""

from __future__ import annotations

import inspect
import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.array_api import make_strategies_namespace

import arraybridge as ab

xps = make_strategies_namespace(ab, api_version="2025.12")

SIGNED = (ab.int8, ab.int16, ab.int32, ab.int64)
UNSIGNED = (ab.uint8, ab.uint16, ab.uint32, ab.uint64)
INTEGER = SIGNED + UNSIGNED
REAL_FLOAT = (ab.float32, ab.float64)
COMPLEX = (ab.complex64, ab.complex128)
REAL = INTEGER + REAL_FLOAT
NUMERIC = REAL + COMPLEX
ALL = (ab.bool, *NUMERIC)

RTOL = {ab.float32: 1e-5, ab.complex64: 1e-5, ab.float64: 1e-12, ab.complex128: 1e-12}

shapes = xps.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
nd_shapes = xps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)


def _elements(dtype: ab.DType, bound: float | None) -> Any:
    """Element bounds for ``dtype``: |value| <= bound (no NaN or inf) where given."""
    if dtype is ab.bool:
        return None
    if dtype in INTEGER:
        info = ab.iinfo(dtype)
        hi = min(info.max, 2**63 - 1)  # ab.asarray refuses uint64 lists above int64's range
        if bound is not None:
            return {"min_value": max(info.min, -int(bound)), "max_value": min(hi, int(bound))}
        return {"max_value": hi} if dtype is ab.uint64 else None
    if bound is None:
        return None
    if dtype in COMPLEX:
        return st.complex_numbers(max_magnitude=bound, allow_nan=False, width=dtype.bits)
    return {"min_value": -bound, "max_value": bound, "allow_nan": False}


def tensors(
    dtypes: tuple[ab.DType, ...],
    shape_st: st.SearchStrategy[tuple[int, ...]] = shapes,
    bound: float | None = 100.0,
) -> st.SearchStrategy[ab.Tensor]:
    """Tensors of one of ``dtypes`` and a shape from ``shape_st``."""
    return st.sampled_from(dtypes).flatmap(
        lambda d: xps.arrays(d, shape_st, elements=_elements(d, bound))
    )


def tensor_and_axis(
    dtypes: tuple[ab.DType, ...],
    shape_st: st.SearchStrategy[tuple[int, ...]] = nd_shapes,
    bound: float | None = 100.0,
) -> st.SearchStrategy[tuple[ab.Tensor, int]]:
    """A tensor of at least one dimension and a valid (possibly negative) axis of it."""
    return tensors(dtypes, shape_st, bound).flatmap(
        lambda x: st.tuples(st.just(x), st.integers(-x.ndim, x.ndim - 1))
    )


def axes_arg(ndim: int) -> st.SearchStrategy[Any]:
    """None, an int axis, or a tuple of distinct (possibly negative) axes."""
    if ndim == 0:
        return st.sampled_from([None, ()])
    one = st.integers(-ndim, ndim - 1)
    many = st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).flatmap(
        lambda axs: st.tuples(*(st.sampled_from([a, a - ndim]) for a in axs))
    )
    return st.none() | one | many


def quiet(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A NumPy oracle call with its warnings (empty slices, overflow) silenced."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def check(out: Any, expected: Any, dtype: ab.DType) -> None:
    """``out`` is a tensor of ``dtype`` equal to NumPy's ``expected`` (close for floats)."""
    assert isinstance(out, ab.Tensor)
    assert out.dtype is dtype, (out.dtype, dtype)
    exp = np.asarray(expected)
    assert out.shape == exp.shape, (out.shape, exp.shape)
    got = np.asarray(out)
    if dtype in RTOL:
        np.testing.assert_allclose(got, exp, rtol=RTOL[dtype], atol=RTOL[dtype], equal_nan=True)
    else:
        np.testing.assert_array_equal(got, exp)


def nd(dtype: ab.DType) -> np.dtype[Any]:
    return np.dtype(dtype.name)


def accumulation_dtype(d: ab.DType) -> ab.DType:
    """The standard's default result dtype of sum/prod/cumulative_* (default int: int64)."""
    if d in SIGNED:
        return ab.int64
    if d in UNSIGNED:
        return ab.uint64
    return d


# -- signatures ---------------------------------------------------------------------------

# The 2025.12 stubs' signatures (annotations left out); squeeze's default is arraybridge's
# documented extension.
SPEC_SIGNATURES = {
    "concat": "(arrays, /, *, axis=0)",
    "expand_dims": "(x, /, axis)",
    "flip": "(x, /, *, axis=None)",
    "moveaxis": "(x, source, destination, /)",
    "permute_dims": "(x, /, axes)",
    "repeat": "(x, repeats, /, *, axis=None)",
    "reshape": "(x, /, shape, *, copy=None)",
    "roll": "(x, /, shift, *, axis=None)",
    "squeeze": "(x, /, axis=None)",
    "stack": "(arrays, /, *, axis=0)",
    "tile": "(x, repetitions, /)",
    "unstack": "(x, /, *, axis=0)",
    "take": "(x, indices, /, *, axis=None)",
    "take_along_axis": "(x, indices, /, *, axis=-1)",
    "cumulative_prod": "(x, /, *, axis=None, dtype=None, include_initial=False)",
    "cumulative_sum": "(x, /, *, axis=None, dtype=None, include_initial=False)",
    "max": "(x, /, *, axis=None, keepdims=False)",
    "mean": "(x, /, *, axis=None, keepdims=False)",
    "min": "(x, /, *, axis=None, keepdims=False)",
    "prod": "(x, /, *, axis=None, dtype=None, keepdims=False)",
    "std": "(x, /, *, axis=None, correction=0.0, keepdims=False)",
    "sum": "(x, /, *, axis=None, dtype=None, keepdims=False)",
    "var": "(x, /, *, axis=None, correction=0.0, keepdims=False)",
    "all": "(x, /, *, axis=None, keepdims=False)",
    "any": "(x, /, *, axis=None, keepdims=False)",
    "diff": "(x, /, *, axis=-1, n=1, prepend=None, append=None)",
}


@pytest.mark.parametrize("name", sorted(SPEC_SIGNATURES))
def test_signature_matches_spec(name: str) -> None:
    sig = inspect.signature(getattr(ab, name))
    bare = sig.replace(
        parameters=[p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()],
        return_annotation=inspect.Signature.empty,
    )
    assert str(bare) == SPEC_SIGNATURES[name]
    assert name in ab.__all__ or hasattr(ab, name)


def test_expand_dims_axis_is_required() -> None:
    with pytest.raises(TypeError):
        ab.expand_dims(ab.ones((2,)))  # type: ignore[call-arg]


# -- manipulation -------------------------------------------------------------------------


@given(x=tensors(ALL, nd_shapes, bound=None), data=st.data())
def test_moveaxis_matches_numpy(x: ab.Tensor, data: st.DataObject) -> None:
    n = x.ndim
    k = data.draw(st.integers(1, n))
    src = data.draw(
        st.lists(st.integers(-n, n - 1), min_size=k, max_size=k, unique_by=lambda a: a % n)
    )
    dst = data.draw(
        st.lists(st.integers(-n, n - 1), min_size=k, max_size=k, unique_by=lambda a: a % n)
    )
    if k == 1 and data.draw(st.booleans()):
        s, d = src[0], dst[0]
    else:
        s, d = tuple(src), tuple(dst)
    check(ab.moveaxis(x, s, d), np.moveaxis(np.asarray(x), s, d), x.dtype)


def test_moveaxis_errors() -> None:
    x = ab.ones((2, 3, 4))
    with pytest.raises(IndexError):
        ab.moveaxis(x, 3, 0)
    with pytest.raises(IndexError):
        ab.moveaxis(x, 0, -4)
    with pytest.raises(ValueError):
        ab.moveaxis(x, (0, -3), (1, 2))  # repeated source axis
    with pytest.raises(ValueError):
        ab.moveaxis(x, (0, 1), (2,))
    with pytest.raises(TypeError):
        ab.moveaxis(x, 0.0, 1)
    with pytest.raises(IndexError):
        ab.moveaxis(ab.asarray(1.0), 0, 0)


@given(x=tensors(ALL, shapes, bound=None), data=st.data())
def test_repeat_matches_numpy(x: ab.Tensor, data: st.DataObject) -> None:
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1)) if x.ndim else None
    size = x.size if axis is None else x.shape[axis]
    if data.draw(st.booleans()):
        reps: Any = data.draw(st.integers(0, 3))
        np_reps: Any = reps
    else:
        rdt = data.draw(st.sampled_from(INTEGER))
        length = data.draw(st.sampled_from([1, size]))
        reps = data.draw(xps.arrays(rdt, (length,), elements={"min_value": 0, "max_value": 3}))
        np_reps = np.asarray(reps).astype(np.int64)
    expected = np.repeat(np.asarray(x), np_reps, axis=axis)
    check(ab.repeat(x, reps, axis=axis), expected, x.dtype)


def test_repeat_errors() -> None:
    x = ab.ones((2, 3))
    with pytest.raises(ValueError):
        ab.repeat(x, -1)
    with pytest.raises(ValueError):
        ab.repeat(x, ab.asarray([1, -1, 2]), axis=1)
    with pytest.raises(ValueError):
        ab.repeat(x, ab.asarray([1, 2]), axis=1)  # neither length 1 nor 3
    with pytest.raises(ValueError):
        ab.repeat(x, ab.asarray([[1, 2, 3]]), axis=1)
    with pytest.raises(ab.DTypeError):
        ab.repeat(x, ab.asarray([1.0, 2.0, 3.0]), axis=1)
    with pytest.raises(TypeError):
        ab.repeat(x, True)
    with pytest.raises(TypeError):
        ab.repeat(x, 2.0)
    with pytest.raises(IndexError):
        ab.repeat(x, 2, axis=2)
    assert ab.repeat(x, np.int64(2)).shape == (12,)


@given(x=tensors(ALL, shapes, bound=None), data=st.data())
def test_roll_matches_numpy(x: ab.Tensor, data: st.DataObject) -> None:
    big = st.integers(-(2**40), 2**40)
    kind = data.draw(st.sampled_from(["flat", "int", "tuple"] if x.ndim else ["flat"]))
    if kind == "flat":
        shift, axis = data.draw(big), None
    elif kind == "int":
        shift, axis = data.draw(big), data.draw(st.integers(-x.ndim, x.ndim - 1))
    else:
        axis = tuple(data.draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=1, max_size=3)))
        shift = (
            tuple(data.draw(st.lists(big, min_size=len(axis), max_size=len(axis))))
            if data.draw(st.booleans())
            else data.draw(big)
        )
    check(ab.roll(x, shift, axis=axis), np.roll(np.asarray(x), shift, axis=axis), x.dtype)


def test_roll_errors() -> None:
    x = ab.ones((2, 3))
    with pytest.raises(ValueError):
        ab.roll(x, (1, 2))  # a tuple shift needs a tuple axis
    with pytest.raises(ValueError):
        ab.roll(x, (1, 2), axis=(0,))
    with pytest.raises(IndexError):
        ab.roll(x, 1, axis=2)
    with pytest.raises(TypeError):
        ab.roll(x, 1.5)


@given(xa=tensor_and_axis(ALL))
def test_unstack_matches_numpy(xa: tuple[ab.Tensor, int]) -> None:
    x, axis = xa
    out = ab.unstack(x, axis=axis)
    a = np.asarray(x)
    assert type(out) is tuple
    assert len(out) == x.shape[axis]
    for i, t in enumerate(out):
        check(t, np.take(a, i, axis=axis), x.dtype)


def test_unstack_errors() -> None:
    with pytest.raises(IndexError):
        ab.unstack(ab.asarray(1.0))
    with pytest.raises(IndexError):
        ab.unstack(ab.ones((2, 3)), axis=-3)


@given(
    x=tensors(ALL, xps.array_shapes(min_dims=0, max_dims=3, max_side=3), bound=None), data=st.data()
)
def test_expand_dims_matches_numpy(x: ab.Tensor, data: st.DataObject) -> None:
    k = data.draw(st.integers(0 if x.ndim == 0 else 1, 3))
    m = x.ndim + k
    axes = (
        data.draw(
            st.lists(st.integers(-m, m - 1), min_size=k, max_size=k, unique_by=lambda a: a % m)
        )
        if k
        else []
    )
    axis: Any = axes[0] if k == 1 and data.draw(st.booleans()) else tuple(axes)
    check(ab.expand_dims(x, axis=axis), np.expand_dims(np.asarray(x), axis), x.dtype)


def test_expand_dims_errors() -> None:
    x = ab.ones((2, 3))
    with pytest.raises(IndexError):
        ab.expand_dims(x, axis=3)
    with pytest.raises(IndexError):
        ab.expand_dims(x, axis=(0, 4))  # the result has 4 axes
    with pytest.raises(ValueError):
        ab.expand_dims(x, axis=(0, -4))  # both resolve to 0
    with pytest.raises(TypeError):
        ab.expand_dims(x, axis=1.0)


@given(x=tensors(ALL, xps.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=2), bound=None))
def test_squeeze_matches_numpy(x: ab.Tensor) -> None:
    a = np.asarray(x)
    ones = tuple(i for i, s in enumerate(x.shape) if s == 1)
    check(ab.squeeze(x), np.squeeze(a), x.dtype)  # the default: every size-1 axis
    check(ab.squeeze(x, axis=ones), np.squeeze(a, axis=ones), x.dtype)
    if ones:
        check(ab.squeeze(x, ones[-1] - x.ndim), np.squeeze(a, axis=ones[-1]), x.dtype)


def test_squeeze_errors() -> None:
    x = ab.ones((1, 3))
    with pytest.raises(ValueError):
        ab.squeeze(x, axis=1)
    with pytest.raises(IndexError):
        ab.squeeze(x, axis=2)
    with pytest.raises(ValueError):
        ab.squeeze(x, axis=(0, -2))


@given(x=tensors(ALL, shapes, bound=None), data=st.data())
def test_flip_matches_numpy(x: ab.Tensor, data: st.DataObject) -> None:
    axis = data.draw(axes_arg(x.ndim))
    check(ab.flip(x, axis=axis), np.flip(np.asarray(x), axis=axis), x.dtype)


@given(x=tensors(ALL, shapes, bound=None), data=st.data())
def test_permute_dims_matches_numpy(x: ab.Tensor, data: st.DataObject) -> None:
    perm = data.draw(st.permutations(range(x.ndim)))
    perm = [p - x.ndim if data.draw(st.booleans()) else p for p in perm]  # negative axes
    check(ab.permute_dims(x, tuple(perm)), np.transpose(np.asarray(x), perm), x.dtype)


def test_permute_dims_errors() -> None:
    x = ab.ones((2, 3))
    with pytest.raises(ValueError):
        ab.permute_dims(x, (0,))
    with pytest.raises(ValueError):
        ab.permute_dims(x, (0, -2))
    with pytest.raises(IndexError):
        ab.permute_dims(x, (0, 2))


@given(x=tensors(ALL, shapes, bound=None), data=st.data())
def test_reshape_matches_numpy(x: ab.Tensor, data: st.DataObject) -> None:
    a = np.asarray(x)
    shape = list(data.draw(st.permutations(x.shape))) if x.ndim else []
    if shape and x.size and data.draw(st.booleans()):
        shape[data.draw(st.integers(0, len(shape) - 1))] = -1
    check(ab.reshape(x, tuple(shape)), np.reshape(a, shape), x.dtype)
    check(ab.reshape(x, (-1,)), a.reshape(-1), x.dtype)


def test_reshape_errors() -> None:
    x = ab.ones((2, 3))
    with pytest.raises(ValueError):
        ab.reshape(x, (4, 2))
    with pytest.raises(ValueError):
        ab.reshape(x, (-1, -1))
    with pytest.raises(ValueError):
        ab.reshape(x, (-2, 3))
    with pytest.raises(ValueError):
        ab.reshape(ab.permute_dims(x, (1, 0)), (6,), copy=False)  # needs a copy
    with pytest.raises(TypeError):
        ab.reshape(x, (2.0, 3))


@given(x=tensors(ALL, shapes, bound=None), reps=st.lists(st.integers(0, 3), max_size=4))
def test_tile_matches_numpy(x: ab.Tensor, reps: list[int]) -> None:
    check(ab.tile(x, tuple(reps)), np.tile(np.asarray(x), reps), x.dtype)


@given(
    xa=tensor_and_axis(ALL, xps.array_shapes(min_dims=1, max_dims=3, max_side=3)),
    data=st.data(),
)
def test_concat_and_stack_match_numpy(xa: tuple[ab.Tensor, int], data: st.DataObject) -> None:
    x, axis = xa
    k = data.draw(st.integers(1, 3))
    others = []
    for _ in range(k - 1):
        shape = list(x.shape)
        shape[axis] = data.draw(st.integers(0, 3))
        others.append(
            data.draw(xps.arrays(x.dtype, tuple(shape), elements=_elements(x.dtype, None)))
        )
    ts = [x, *others]
    arrs = [np.asarray(t) for t in ts]
    check(ab.concat(ts, axis=axis), np.concatenate(arrs, axis=axis), x.dtype)
    check(ab.concat(ts, axis=None), np.concatenate(arrs, axis=None), x.dtype)
    same = [x] * k
    check(ab.stack(same, axis=axis), np.stack([np.asarray(x)] * k, axis=axis), x.dtype)
    check(ab.stack(tuple(same), axis=-1), np.stack([np.asarray(x)] * k, axis=-1), x.dtype)


def test_concat_and_stack_dtypes_follow_the_semantics() -> None:
    a, b = ab.ones((2,), dtype=ab.float32), ab.ones((3,), dtype=ab.float64)
    with pytest.raises(ab.DTypeError):
        ab.concat([a, b])
    with pytest.raises(ab.DTypeError):
        ab.stack([a, ab.ones((2,), dtype=ab.float64)])
    with ab.semantics("standard"):
        assert ab.concat([a, b]).dtype is ab.float64
        assert ab.stack([a, ab.ones((2,), dtype=ab.float64)]).dtype is ab.float64
        with pytest.raises(ab.DTypeError):
            ab.concat([a, ab.ones((3,), dtype=ab.int64)])  # mixed kinds never promote


def test_concat_and_stack_errors() -> None:
    a, b = ab.ones((2, 3)), ab.ones((2, 4))
    with pytest.raises(ValueError):
        ab.concat([a, b], axis=0)
    with pytest.raises(ValueError):
        ab.concat([a, ab.ones((2,))], axis=0)
    with pytest.raises(ValueError):
        ab.concat([ab.asarray(1.0), ab.asarray(2.0)])
    with pytest.raises(IndexError):
        ab.concat([a, a], axis=2)
    with pytest.raises(ValueError):
        ab.stack([a, b])
    with pytest.raises(IndexError):
        ab.stack([a, a], axis=3)
    with pytest.raises(TypeError):
        ab.concat([])
    assert ab.concat([ab.asarray(1.0), ab.asarray(2.0)], axis=None).shape == (2,)


# -- indexing -----------------------------------------------------------------------------


@given(xa=tensor_and_axis(ALL), data=st.data())
def test_take_matches_numpy(xa: tuple[ab.Tensor, int], data: st.DataObject) -> None:
    x, axis = xa
    n = x.shape[axis]
    idt = data.draw(st.sampled_from(INTEGER))
    info = ab.iinfo(idt)
    lo, hi = max(-n, info.min), min(n - 1, info.max)
    values = data.draw(st.lists(st.integers(lo, hi), max_size=5)) if n else []
    idx = ab.asarray(values, dtype=idt)
    a = np.asarray(x)
    check(
        ab.take(x, idx, axis=axis),
        np.take(a, np.asarray(values, dtype=np.int64), axis=axis),
        x.dtype,
    )
    if x.ndim == 1:
        check(ab.take(x, idx), np.take(a, np.asarray(values, dtype=np.int64)), x.dtype)


def test_take_errors() -> None:
    x = ab.reshape(ab.arange(6), (2, 3))
    for bad in ([3], [-4], [0, 5]):
        with pytest.raises(IndexError, match="out of bounds"):
            ab.take(x, ab.asarray(bad), axis=1)
    with pytest.raises(IndexError):
        ab.take(ab.ones((0,)), ab.asarray([0]))
    with pytest.raises(IndexError):
        ab.take(x, ab.asarray([0]), axis=2)
    with pytest.raises(ValueError):
        ab.take(x, ab.asarray([0]))  # axis is required for a 2-D tensor
    with pytest.raises(ValueError):
        ab.take(x, ab.asarray([[0]]), axis=0)
    with pytest.raises(ValueError):
        ab.take(ab.asarray(1.0), ab.asarray([0]))
    with pytest.raises(ab.DTypeError):
        ab.take(x, ab.asarray([0.0]), axis=0)
    with pytest.raises(ab.DTypeError):
        ab.take(x, ab.asarray([True]), axis=0)


@given(xa=tensor_and_axis(ALL), data=st.data())
def test_take_along_axis_matches_numpy(xa: tuple[ab.Tensor, int], data: st.DataObject) -> None:
    x, axis = xa
    n = x.shape[axis]
    a = axis % x.ndim
    # indices broadcast with x outside axis: each such side is x's or 1
    shape = tuple(
        data.draw(st.integers(0, 3)) if i == a else data.draw(st.sampled_from([s, 1]))
        for i, s in enumerate(x.shape)
    )
    if n == 0:
        shape = tuple(0 if i == a else s for i, s in enumerate(shape))
    idt = data.draw(st.sampled_from(SIGNED))
    idx = data.draw(
        xps.arrays(idt, shape, elements={"min_value": max(-n, -128), "max_value": max(n - 1, 0)})
    )
    expected = np.take_along_axis(np.asarray(x), np.asarray(idx).astype(np.int64), axis=axis)
    check(ab.take_along_axis(x, idx, axis=axis), expected, x.dtype)
    if axis % x.ndim == x.ndim - 1:
        check(ab.take_along_axis(x, idx), expected, x.dtype)


def test_take_along_axis_errors() -> None:
    x = ab.reshape(ab.arange(6), (2, 3))
    with pytest.raises(IndexError, match="out of bounds"):
        ab.take_along_axis(x, ab.asarray([[3], [0]]), axis=1)
    with pytest.raises(IndexError, match="out of bounds"):
        ab.take_along_axis(x, ab.asarray([[0, -3, 1]]), axis=0)
    with pytest.raises(ValueError):
        ab.take_along_axis(x, ab.asarray([0, 1]), axis=1)  # not 2-D
    with pytest.raises(ValueError):
        ab.take_along_axis(x, ab.zeros((3, 1), dtype=ab.int64), axis=1)  # 3 vs 2
    with pytest.raises(IndexError):
        ab.take_along_axis(x, ab.zeros((2, 1), dtype=ab.int64), axis=2)
    with pytest.raises(ab.DTypeError):
        ab.take_along_axis(x, ab.zeros((2, 1)), axis=1)


# -- statistical --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sum", "prod"])
@given(
    x=tensors(NUMERIC, xps.array_shapes(min_dims=0, max_dims=3, max_side=3), bound=4),
    data=st.data(),
)
def test_sum_prod_match_numpy(name: str, x: ab.Tensor, data: st.DataObject) -> None:
    axis = data.draw(axes_arg(x.ndim))
    keepdims = data.draw(st.booleans())
    out_dt = accumulation_dtype(x.dtype)
    np_fn = np.sum if name == "sum" else np.prod
    ax = tuple(axis) if isinstance(axis, tuple) else axis
    expected = quiet(np_fn, np.asarray(x), axis=ax, keepdims=keepdims, dtype=nd(out_dt))
    check(getattr(ab, name)(x, axis=axis, keepdims=keepdims), expected, out_dt)


@pytest.mark.parametrize("name", ["sum", "prod", "cumulative_sum", "cumulative_prod"])
@given(
    x=tensors(NUMERIC, xps.array_shapes(min_dims=1, max_dims=1, max_side=4), bound=4),
    data=st.data(),
)
def test_explicit_dtype(name: str, x: ab.Tensor, data: st.DataObject) -> None:
    # same-kind dtypes that hold every x value (the ones the official suite draws)
    wider = [d for d in NUMERIC if ab.can_cast(x.dtype, d)]
    dt = data.draw(st.sampled_from(wider))
    np_fn = {
        "sum": np.sum,
        "prod": np.prod,
        "cumulative_sum": np.cumsum,
        "cumulative_prod": np.cumprod,
    }[name]
    expected = quiet(np_fn, np.asarray(x), dtype=nd(dt))
    check(getattr(ab, name)(x, dtype=dt), expected, dt)


def test_explicit_dtype_conversions() -> None:
    x = ab.asarray([1.5, 2.5, -0.5], dtype=ab.float64)
    a = np.asarray(x)
    # cross-kind: x is converted first (as astype truncates), then summed in the dtype
    check(ab.sum(x, dtype=ab.int32), np.sum(a.astype(np.int32), dtype=np.int32), ab.int32)
    check(ab.sum(x, dtype="complex64"), np.sum(a, dtype=np.complex64), ab.complex64)
    with pytest.raises(ab.DTypeError):
        ab.sum(ab.asarray([1j]), dtype=ab.float64)
    with pytest.raises(ab.DTypeError):
        ab.prod(x, dtype=ab.bool)
    with pytest.raises(TypeError):
        ab.sum(x, dtype=np.float64)


@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "mean", "std", "var"])
def test_reductions_errors(name: str) -> None:
    fn = getattr(ab, name)
    x = ab.ones((2, 3))
    with pytest.raises(IndexError):
        fn(x, axis=2)
    with pytest.raises(IndexError):
        fn(x, axis=(0, -3))
    with pytest.raises(ValueError):
        fn(x, axis=(1, -1))
    with pytest.raises(TypeError):
        fn(x, axis=1.0)
    with pytest.raises(TypeError):
        fn(x, keepdims=1)
    with pytest.raises(IndexError):
        fn(ab.asarray(1.0), axis=0)
    bad = {
        "sum": ab.bool,
        "prod": ab.bool,
        "max": ab.complex64,
        "min": ab.complex64,
        "mean": ab.int32,
        "std": ab.complex64,
        "var": ab.int64,
    }[name]
    with pytest.raises(ab.DTypeError):
        fn(ab.ones((2,), dtype=bad))


@pytest.mark.parametrize("name", ["max", "min"])
@given(x=tensors(REAL, shapes, bound=None), data=st.data())
def test_max_min_match_numpy(name: str, x: ab.Tensor, data: st.DataObject) -> None:
    axis = data.draw(axes_arg(x.ndim))
    keepdims = data.draw(st.booleans())
    ax = tuple(axis) if isinstance(axis, tuple) else axis
    reduced = range(x.ndim) if axis is None else (ax if isinstance(ax, tuple) else (ax,))
    fn = getattr(ab, name)
    if any(x.shape[a] == 0 for a in reduced):
        with pytest.raises(ValueError):
            fn(x, axis=axis, keepdims=keepdims)
        return
    expected = getattr(np, name)(np.asarray(x), axis=ax, keepdims=keepdims)
    check(fn(x, axis=axis, keepdims=keepdims), expected, x.dtype)


def test_max_min_propagate_nan() -> None:
    x = ab.asarray([1.0, math.nan, -2.0])
    assert math.isnan(float(ab.max(x)))
    assert math.isnan(float(ab.min(x)))


@pytest.mark.parametrize("name", ["mean", "std", "var"])
@given(x=tensors(REAL_FLOAT + COMPLEX, shapes, bound=100), data=st.data())
def test_mean_std_var_match_numpy(name: str, x: ab.Tensor, data: st.DataObject) -> None:
    fn = getattr(ab, name)
    if name != "mean" and x.dtype in COMPLEX:
        with pytest.raises(ab.DTypeError):
            fn(x)
        return
    axis = data.draw(axes_arg(x.ndim))
    keepdims = data.draw(st.booleans())
    ax = tuple(axis) if isinstance(axis, tuple) else axis
    kw: dict[str, Any] = {}
    np_kw: dict[str, Any] = {}
    if name != "mean":
        c = data.draw(st.sampled_from([0, 1, 0.5, 2.0]))
        kw["correction"], np_kw["ddof"] = c, c
    reduced = range(x.ndim) if axis is None else (ax if isinstance(ax, tuple) else (ax,))
    m = math.prod(x.shape[a] for a in reduced)
    expected = quiet(getattr(np, name), np.asarray(x), axis=ax, keepdims=keepdims, **np_kw)
    if m - kw.get("correction", 0) <= 0:
        expected = np.full(np.shape(expected), np.nan, dtype=nd(x.dtype))  # the standard's NaN
    out = fn(x, axis=axis, keepdims=keepdims, **kw)
    assert out.dtype is x.dtype
    rtol = 1e-4 if x.dtype in (ab.float32, ab.complex64) else 1e-10
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(np.asarray(out), expected, rtol=rtol, atol=rtol, equal_nan=True)


def test_var_std_nan_when_correction_reaches_the_count() -> None:
    x = ab.asarray([1.0, 5.0], dtype=ab.float64)
    for fn in (ab.var, ab.std):
        assert math.isnan(float(fn(x, correction=2)))
        assert math.isnan(float(fn(x, correction=3.5)))
        r = fn(ab.reshape(x, (1, 2)), axis=0, correction=1)
        assert r.shape == (2,) and all(math.isnan(float(v)) for v in np.asarray(r))
    assert math.isnan(float(ab.mean(ab.ones((0,)))))
    with pytest.raises(ValueError):
        ab.var(x, correction=-1)
    with pytest.raises(TypeError):
        ab.std(x, correction=True)


@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
@given(
    xa=tensor_and_axis(NUMERIC, xps.array_shapes(min_dims=1, max_dims=3, max_side=3), bound=4),
    data=st.data(),
)
def test_cumulative_match_numpy(name: str, xa: tuple[ab.Tensor, int], data: st.DataObject) -> None:
    x, axis = xa
    include_initial = data.draw(st.booleans())
    out_dt = accumulation_dtype(x.dtype)
    a = np.asarray(x)
    np_fn = np.cumsum if name == "cumulative_sum" else np.cumprod
    expected = quiet(np_fn, a, axis=axis, dtype=nd(out_dt))
    if include_initial:
        shape = list(a.shape)
        shape[axis] = 1
        identity = np.full(shape, 0 if name == "cumulative_sum" else 1, dtype=nd(out_dt))
        expected = np.concatenate([identity, expected], axis=axis)
    fn = getattr(ab, name)
    check(fn(x, axis=axis, include_initial=include_initial), expected, out_dt)
    if x.ndim == 1:
        check(fn(x, include_initial=include_initial), expected, out_dt)


@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
def test_cumulative_errors(name: str) -> None:
    fn = getattr(ab, name)
    with pytest.raises(ValueError):
        fn(ab.ones((2, 3)))  # axis is required beyond 1-D
    with pytest.raises(ValueError):
        fn(ab.asarray(1.0))
    with pytest.raises(IndexError):
        fn(ab.ones((2, 3)), axis=2)
    with pytest.raises(ab.DTypeError):
        fn(ab.asarray([True, False]))
    with pytest.raises(TypeError):
        fn(ab.ones((3,)), include_initial=1)
    with pytest.raises(TypeError):
        fn(ab.ones((3,)), 0)  # axis is keyword-only


# -- utility ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["all", "any"])
@given(x=tensors(ALL, shapes, bound=None), data=st.data())
def test_all_any_match_numpy(name: str, x: ab.Tensor, data: st.DataObject) -> None:
    axis = data.draw(axes_arg(x.ndim))
    keepdims = data.draw(st.booleans())
    ax = tuple(axis) if isinstance(axis, tuple) else axis
    expected = getattr(np, name)(np.asarray(x), axis=ax, keepdims=keepdims)
    check(getattr(ab, name)(x, axis=axis, keepdims=keepdims), expected, ab.bool)


def test_all_any_empty_and_errors() -> None:
    e = ab.ones((0, 2))
    assert bool(ab.all(e)) is True and bool(ab.any(e)) is False
    assert ab.all(e, axis=0).shape == (2,)
    with pytest.raises(IndexError):
        ab.all(e, axis=2)
    with pytest.raises(TypeError):
        ab.any(e, keepdims=None)


@given(
    xa=tensor_and_axis(NUMERIC, xps.array_shapes(min_dims=1, max_dims=3, max_side=4)),
    data=st.data(),
)
def test_diff_matches_numpy(xa: tuple[ab.Tensor, int], data: st.DataObject) -> None:
    x, axis = xa
    n = data.draw(st.integers(0, 4))
    kw: dict[str, Any] = {}
    for key in ("prepend", "append"):
        if data.draw(st.booleans()):
            shape = list(x.shape)
            shape[axis] = data.draw(st.integers(0, 2))
            kw[key] = data.draw(xps.arrays(x.dtype, tuple(shape), elements=_elements(x.dtype, 100)))
    # Note: np.diff ignores prepend/append when n == 0; the standard's result has
    # M + N1 + N2 - n elements, so the oracle joins the parts itself.
    parts = [np.asarray(kw[k]) for k in ("prepend",) if k in kw]
    parts += [np.asarray(x)] + [np.asarray(kw[k]) for k in ("append",) if k in kw]
    expected = quiet(np.diff, np.concatenate(parts, axis=axis), n=n, axis=axis)
    check(ab.diff(x, axis=axis, n=n, **kw), expected, x.dtype)


def test_diff_defaults_scalars_and_promotion() -> None:
    x = ab.asarray([[1, 4, 9], [16, 25, 36]], dtype=ab.int32)
    a = np.asarray(x)
    check(ab.diff(x), np.diff(a), ab.int32)
    check(
        ab.diff(x, prepend=0, append=[[1], [2]]), np.diff(a, prepend=0, append=[[1], [2]]), ab.int32
    )
    check(ab.diff(x, axis=0, n=5), np.diff(a, axis=0, n=5), ab.int32)  # nothing left
    wide = ab.asarray([[0], [0]], dtype=ab.int64)
    with pytest.raises(ab.DTypeError):
        ab.diff(x, prepend=wide)  # strict: one dtype
    with ab.semantics("standard"):
        check(ab.diff(x, prepend=wide), np.diff(a, prepend=np.zeros((2, 1), np.int64)), ab.int64)
        with pytest.raises(ab.DTypeError):
            ab.diff(x, append=ab.zeros((2, 1)))  # int32 and float32 never promote


def test_diff_errors() -> None:
    x = ab.ones((2, 3))
    with pytest.raises(ValueError):
        ab.diff(x, n=-1)
    with pytest.raises(TypeError):
        ab.diff(x, n=1.0)
    with pytest.raises(TypeError):
        ab.diff(x, n=True)
    with pytest.raises(IndexError):
        ab.diff(x, axis=2)
    with pytest.raises(IndexError):
        ab.diff(ab.asarray(1.0))
    with pytest.raises(ValueError):
        ab.diff(x, prepend=ab.ones((3, 1)))  # wrong size outside axis
    with pytest.raises(ValueError):
        ab.diff(x, append=ab.ones((3,)))
    with pytest.raises(ab.DTypeError):
        ab.diff(ab.asarray([True, False]))


# -- value semantics ----------------------------------------------------------------------

VIEWS: dict[str, Callable[[ab.Tensor], Any]] = {
    "moveaxis": lambda t: ab.moveaxis(t, 0, 1),
    "unstack": lambda t: ab.unstack(t)[0],
    "expand_dims": lambda t: ab.expand_dims(t, axis=(0, 2)),
    "squeeze": lambda t: ab.squeeze(ab.reshape(t, (1, 2, 3)), axis=0),
    "flip": lambda t: ab.flip(t),
    "reshape": lambda t: ab.reshape(t, (3, 2)),
    "permute_dims": lambda t: ab.permute_dims(t, (1, 0)),
    "diff n=0": lambda t: ab.diff(t, n=0),
    "roll": lambda t: ab.roll(t, 1),
    "repeat": lambda t: ab.repeat(t, 1),
    "take": lambda t: ab.take(t, ab.asarray([0, 1]), axis=0),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_results_keep_their_values_when_the_input_is_written(name: str) -> None:
    with ab.semantics("standard"):
        x = ab.reshape(ab.arange(6, dtype=ab.float64), (2, 3))
        y = VIEWS[name](x)
        before = np.array(y, copy=True)
        x[...] = -1.0
        np.testing.assert_array_equal(np.asarray(y), before)
        y[...] = 7.0  # and writing the result leaves x alone
        np.testing.assert_array_equal(np.asarray(x), np.full((2, 3), -1.0))


def test_error_messages_name_the_function() -> None:
    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: ab.take(ab.ones((2,)), ab.asarray([2])), "take"),
        (lambda: ab.take_along_axis(ab.ones((2,)), ab.asarray([5])), "take_along_axis"),
        (lambda: ab.repeat(ab.ones((2,)), -1), "repeat"),
        (lambda: ab.roll(ab.ones((2,)), 1, axis=1), "roll"),
        (lambda: ab.moveaxis(ab.ones((2,)), 0, 1), "moveaxis"),
        (lambda: ab.cumulative_sum(ab.ones((2, 2))), "cumulative_sum"),
        (lambda: ab.sum(ab.asarray([1j]), dtype=ab.float32), "sum"),
        (lambda: ab.diff(ab.ones((2,)), n=-1), "diff"),
    ]
    for fn, name in cases:
        with pytest.raises((TypeError, ValueError, IndexError)) as info:
            fn()
        assert re.match(rf"{name}\b", str(info.value)), str(info.value)
