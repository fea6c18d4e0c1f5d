"""Sorting, searching and set functions, checked against NumPy and plain Python.

Tensors come from hypothesis's array-API strategies on arraybridge itself. Stable sorts
are checked against Python's ``sorted`` (stable, also with ``reverse=True``) on each lane,
so the descending case has an oracle independent of the NumPy trick used to build it;
arrays with many ties (small integers, -0.0 and +0.0, NaNs) are drawn on purpose.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.array_api import make_strategies_namespace

import arraybridge as ab
from arraybridge.ops.set import UniqueAllResult, UniqueCountsResult, UniqueInverseResult

xps = make_strategies_namespace(ab, api_version="2025.12")

_PROFILE = os.environ.get("ARRAYBRIDGE_HYPOTHESIS_PROFILE", "ci")
FAST = settings(max_examples=500 if _PROFILE == "thorough" else 25, deadline=None)

INTEGER = (ab.int8, ab.int16, ab.int32, ab.int64, ab.uint8, ab.uint16, ab.uint32, ab.uint64)
REAL_FLOAT = (ab.float32, ab.float64)
REAL = INTEGER + REAL_FLOAT
ALL = (ab.bool, *REAL, ab.complex64, ab.complex128)

shapes = xps.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)
nd_shapes = xps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5)
_FLOAT_TIES = st.sampled_from([-0.0, 0.0, 1.0, -1.0, 2.0, math.inf, math.nan])


def arrays(dtype: ab.DType, shape: Any) -> st.SearchStrategy[ab.Tensor]:
    """Tensors of ``dtype``: arbitrary values, or few distinct values (many ties)."""
    if dtype in REAL_FLOAT:
        ties: Any = _FLOAT_TIES
    elif dtype is ab.bool:
        ties = st.booleans()
    elif dtype in INTEGER:
        ties = st.integers(0, 3)
    else:
        ties = _FLOAT_TIES.map(complex) | st.sampled_from([1j, complex(0, math.nan)])
    # Note: uint64 values stay below 2**63: ab.asarray([0, 2**63], dtype=ab.uint64) (which
    # hypothesis calls) is refused, because NumPy reads that list as float64.
    elements = {"max_value": 2**63 - 1} if dtype is ab.uint64 else None
    plain: st.SearchStrategy[ab.Tensor] = xps.arrays(dtype, shape, elements=elements)
    tied: st.SearchStrategy[ab.Tensor] = xps.arrays(dtype, shape, elements=ties)
    return plain | tied


def tensor_and_axis(
    dtypes: tuple[ab.DType, ...], shape_st: st.SearchStrategy[tuple[int, ...]] = nd_shapes
) -> st.SearchStrategy[tuple[ab.Tensor, int]]:
    @st.composite
    def draw(d: st.DrawFn) -> tuple[ab.Tensor, int]:
        dtype = d(st.sampled_from(dtypes))
        shape = d(shape_st)
        x = d(arrays(dtype, shape))
        return x, d(st.integers(-x.ndim, x.ndim - 1))

    return draw()


def _lanes(a: np.ndarray[Any, Any], axis: int) -> np.ndarray[Any, Any]:
    """``a`` with ``axis`` last, as a 2-D array of lanes."""
    moved = np.moveaxis(a, axis, -1)
    return moved.reshape(-1, a.shape[axis]) if moved.size else moved.reshape(0, a.shape[axis])


def _key(v: Any) -> tuple[bool, Any]:
    """Python sort key: NaN sorts after every number (as NumPy's ascending sort)."""
    if isinstance(v, float) and math.isnan(v):
        return (True, 0.0)
    return (False, v)


def stable_argsort_oracle(a: np.ndarray[Any, Any], axis: int, descending: bool) -> Any:
    """Stable argsort by Python's ``sorted`` on each lane (NaN the largest value)."""
    lanes = _lanes(a, axis)
    out = np.empty(lanes.shape, dtype=np.int64)
    for i, lane in enumerate(lanes):
        vals = lane.tolist()
        out[i] = sorted(range(len(vals)), key=lambda j: _key(vals[j]), reverse=descending)
    moved_shape = np.moveaxis(a, axis, -1).shape
    return np.moveaxis(out.reshape(moved_shape), -1, axis)


def assert_same_floats(got: np.ndarray[Any, Any], expected: np.ndarray[Any, Any]) -> None:
    """Equal values, NaN where NaN, and the same sign bits (so -0.0 differs from +0.0)."""
    np.testing.assert_array_equal(got, expected)
    if got.dtype.kind in "fc":
        np.testing.assert_array_equal(np.signbit(got.real), np.signbit(expected.real))


# -- sort, argsort ---------------------------------------------------------------------------


@FAST
@given(tensor_and_axis(REAL), st.booleans())
def test_argsort_is_stable(xa: tuple[ab.Tensor, int], descending: bool) -> None:
    x, axis = xa
    a = np.asarray(x)
    out = ab.argsort(x, axis=axis, descending=descending)
    assert out.dtype is ab.int64
    assert out.shape == x.shape
    np.testing.assert_array_equal(np.asarray(out), stable_argsort_oracle(a, axis, descending))


@FAST
@given(tensor_and_axis(REAL), st.booleans())
def test_sort_is_stable(xa: tuple[ab.Tensor, int], descending: bool) -> None:
    x, axis = xa
    a = np.asarray(x)
    out = ab.sort(x, axis=axis, descending=descending)
    assert out.dtype is x.dtype
    assert out.shape == x.shape
    expected = np.take_along_axis(a, stable_argsort_oracle(a, axis, descending), axis=axis)
    assert_same_floats(np.asarray(out), expected)


@FAST
@given(tensor_and_axis(REAL), st.booleans())
def test_unstable_sorts_still_sort(xa: tuple[ab.Tensor, int], descending: bool) -> None:
    x, axis = xa
    a = np.asarray(x)
    idx = np.asarray(ab.argsort(x, axis=axis, descending=descending, stable=False))
    # a permutation of each lane ...
    np.testing.assert_array_equal(np.sort(idx, axis=axis), np.broadcast_to(
        np.arange(a.shape[axis]).reshape([-1 if i == axis % a.ndim else 1
                                          for i in range(a.ndim)]), a.shape))  # fmt: skip
    # ... that orders the values as a stable sort does
    expected = np.take_along_axis(a, stable_argsort_oracle(a, axis, descending), axis=axis)
    np.testing.assert_array_equal(np.take_along_axis(a, idx, axis=axis), expected)
    np.testing.assert_array_equal(
        np.asarray(ab.sort(x, axis=axis, descending=descending, stable=False)), expected
    )


@pytest.mark.parametrize("dtype", [ab.int32, ab.uint8, ab.float32, ab.float64])
def test_descending_ties_keep_their_order(dtype: ab.DType) -> None:
    x = ab.asarray([1, 0, 1, 0, 1, 2], dtype=dtype)
    # descending: 2 first, then the 1s in their original order, then the 0s
    assert np.asarray(ab.argsort(x, descending=True)).tolist() == [5, 0, 2, 4, 1, 3]
    assert np.asarray(ab.argsort(x)).tolist() == [1, 3, 0, 2, 4, 5]


def test_signed_zeros_and_nans_keep_their_order() -> None:
    x = ab.asarray(np.array([0.0, -0.0, math.nan, 0.0, -0.0, math.nan], dtype=np.float64))
    for descending in (False, True):
        got = np.asarray(ab.sort(x, descending=descending))
        # zeros are equal, so a stable sort keeps their sign sequence: +, -, +, -
        zeros = got[~np.isnan(got)]
        assert np.signbit(zeros).tolist() == [False, True, False, True]
        nans = np.isnan(got).tolist()
        assert nans == ([True, True] + [False] * 4 if descending else [False] * 4 + [True] * 2)
    assert np.asarray(ab.argsort(x, descending=True)).tolist() == [2, 5, 0, 1, 3, 4]
    assert np.asarray(ab.argsort(x)).tolist() == [0, 1, 3, 4, 2, 5]


def test_sort_along_an_empty_axis_and_with_empty_lanes() -> None:
    for shape, axis in (((0,), -1), ((3, 0), 1), ((0, 4), 1), ((2, 0, 3), 1)):
        x = ab.zeros(shape, dtype=ab.float32)
        for descending in (False, True):
            assert ab.sort(x, axis=axis, descending=descending).shape == shape
            r = ab.argsort(x, axis=axis, descending=descending)
            assert r.shape == shape and r.dtype is ab.int64


@pytest.mark.parametrize("fn", [ab.sort, ab.argsort])
def test_sort_errors(fn: Callable[..., ab.Tensor]) -> None:
    with pytest.raises(IndexError):
        fn(ab.asarray(1.0))  # a 0-d tensor has no axis
    with pytest.raises(IndexError):
        fn(ab.ones((2, 3)), axis=2)
    with pytest.raises(IndexError):
        fn(ab.ones((2, 3)), axis=-3)
    with pytest.raises(TypeError):
        fn(ab.ones((2, 3)), axis=1.0)
    for dt in (ab.bool, ab.complex64):
        with pytest.raises(ab.DTypeError):
            fn(ab.ones(3, dtype=dt))
    with pytest.raises(TypeError):
        fn(ab.ones(3), descending=1)
    with pytest.raises(TypeError):
        fn(ab.ones(3), stable=None)
    with pytest.raises(TypeError):
        fn(ab.ones(3), -1)  # axis is keyword-only


# -- argmax, argmin --------------------------------------------------------------------------


@FAST
@given(st.data(), st.sampled_from(["argmax", "argmin"]), st.booleans())
def test_argmax_argmin(data: st.DataObject, name: str, keepdims: bool) -> None:
    dtype = data.draw(st.sampled_from(REAL))
    x = data.draw(arrays(dtype, shapes))
    a = np.asarray(x)
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1) if x.ndim else st.none())
    if (axis is None and a.size == 0) or (axis is not None and a.shape[axis] == 0):
        with pytest.raises(ValueError):
            getattr(ab, name)(x, axis=axis, keepdims=keepdims)
        return
    out = getattr(ab, name)(x, axis=axis, keepdims=keepdims)
    expected = getattr(np, name)(a, axis=axis, keepdims=keepdims)  # NaN: first NaN's index
    assert out.dtype is ab.int64
    assert out.shape == np.shape(expected)
    np.testing.assert_array_equal(np.asarray(out), expected)


def test_argmax_ties_and_nans() -> None:
    x = ab.asarray([[1, 3, 3], [2, 2, 0]], dtype=ab.int16)
    assert np.asarray(ab.argmax(x, axis=1)).tolist() == [1, 0]
    assert np.asarray(ab.argmin(x, axis=0)).tolist() == [0, 1, 1]
    assert int(ab.argmax(x)) == 1 and int(ab.argmin(x)) == 5
    assert ab.argmax(x, keepdims=True).shape == (1, 1)
    y = ab.asarray([1.0, math.nan, 5.0, math.nan])
    assert int(ab.argmax(y)) == 1 and int(ab.argmin(y)) == 1


@pytest.mark.parametrize("fn", [ab.argmax, ab.argmin])
def test_argmax_argmin_errors(fn: Callable[..., ab.Tensor]) -> None:
    with pytest.raises(ValueError):
        fn(ab.zeros((0,)))
    with pytest.raises(ValueError):
        fn(ab.zeros((3, 0)), axis=1)
    assert fn(ab.zeros((0, 3)), axis=1).shape == (0,)
    with pytest.raises(IndexError):
        fn(ab.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError):
        fn(ab.zeros((2, 3)), axis=(0, 1))
    with pytest.raises(TypeError):
        fn(ab.zeros(3), keepdims=None)
    for dt in (ab.bool, ab.complex128):
        with pytest.raises(ab.DTypeError):
            fn(ab.ones(3, dtype=dt))
    assert int(fn(ab.asarray(7))) == 0  # a 0-d tensor: index 0 of its one element


# -- nonzero, count_nonzero ------------------------------------------------------------------


@FAST
@given(st.data())
def test_nonzero(data: st.DataObject) -> None:
    x = data.draw(arrays(data.draw(st.sampled_from(ALL)), nd_shapes))
    out = ab.nonzero(x)
    expected = np.nonzero(np.asarray(x))
    assert isinstance(out, tuple) and len(out) == x.ndim
    for o, e in zip(out, expected, strict=True):
        assert isinstance(o, ab.Tensor) and o.dtype is ab.int64
        np.testing.assert_array_equal(np.asarray(o), e)


def test_nonzero_errors_and_complex() -> None:
    with pytest.raises(ValueError):
        ab.nonzero(ab.asarray(1))
    x = ab.asarray([0j, 1j, complex(2, 0), 0j])  # nonzero if either component is
    assert np.asarray(ab.nonzero(x)[0]).tolist() == [1, 2]


@FAST
@given(st.data(), st.booleans())
def test_count_nonzero(data: st.DataObject, keepdims: bool) -> None:
    x = data.draw(arrays(data.draw(st.sampled_from(ALL)), shapes))
    axis_st: st.SearchStrategy[Any] = st.none()
    if x.ndim:
        axis_st |= st.integers(-x.ndim, x.ndim - 1) | st.lists(
            st.integers(-x.ndim, x.ndim - 1), min_size=1, max_size=x.ndim
        ).map(tuple).filter(lambda t: len({a % x.ndim for a in t}) == len(t))
    axis = data.draw(axis_st)
    out = ab.count_nonzero(x, axis=axis, keepdims=keepdims)
    expected = np.count_nonzero(np.asarray(x), axis=axis, keepdims=keepdims)
    assert out.dtype is ab.int64
    assert out.shape == np.shape(expected)
    np.testing.assert_array_equal(np.asarray(out), expected)


def test_count_nonzero_errors() -> None:
    x = ab.ones((2, 3))
    with pytest.raises(IndexError):
        ab.count_nonzero(x, axis=2)
    with pytest.raises(ValueError):
        ab.count_nonzero(x, axis=(1, -1))
    with pytest.raises(TypeError):
        ab.count_nonzero(x, keepdims=1)  # type: ignore[arg-type]
    assert int(ab.count_nonzero(ab.zeros((0, 3)))) == 0


# -- searchsorted ----------------------------------------------------------------------------


@st.composite
def search_case(draw: st.DrawFn) -> tuple[ab.Tensor, ab.Tensor, ab.Tensor | None]:
    dtype = draw(st.sampled_from(REAL))
    x1 = draw(arrays(dtype, xps.array_shapes(min_dims=1, max_dims=1, min_side=0, max_side=8)))
    if draw(st.booleans()):
        sorter = ab.argsort(x1)
    else:
        sorter = None
        x1 = ab.asarray(np.sort(np.asarray(x1)))
    x2 = draw(arrays(dtype, shapes))
    return x1, x2, sorter


@FAST
@given(search_case(), st.sampled_from(["left", "right"]))
def test_searchsorted(case: tuple[ab.Tensor, ab.Tensor, ab.Tensor | None], side: Any) -> None:
    x1, x2, sorter = case
    out = ab.searchsorted(x1, x2, side=side, sorter=sorter)
    s = None if sorter is None else np.asarray(sorter)
    expected = np.searchsorted(np.asarray(x1), np.asarray(x2), side=side, sorter=s)
    assert out.dtype is ab.int64
    assert out.shape == x2.shape
    np.testing.assert_array_equal(np.asarray(out), expected)


@FAST
@given(search_case(), st.sampled_from(["left", "right"]), st.data())
def test_searchsorted_python_scalar(
    case: tuple[ab.Tensor, ab.Tensor, ab.Tensor | None], side: Any, data: st.DataObject
) -> None:
    x1, _, sorter = case
    if x1.dtype in INTEGER:
        info = np.iinfo(x1.dtype.name)
        v: Any = data.draw(st.integers(int(info.min), int(info.max)))
    else:
        v = data.draw(
            st.integers(-100, 100) | st.floats(width=32 if x1.dtype is ab.float32 else 64)
        )
    out = ab.searchsorted(x1, v, side=side, sorter=sorter)
    s = None if sorter is None else np.asarray(sorter)
    expected = np.searchsorted(np.asarray(x1), np.asarray(v, x1.dtype.name), side=side, sorter=s)
    assert out.dtype is ab.int64 and out.shape == ()
    assert int(out) == int(expected)


def test_searchsorted_sides_by_hand() -> None:
    x1 = ab.asarray([1, 2, 2, 3])
    x2 = ab.asarray([[0, 2], [3, 4]])
    assert np.asarray(ab.searchsorted(x1, x2)).tolist() == [[0, 1], [3, 4]]
    assert np.asarray(ab.searchsorted(x1, x2, side="right")).tolist() == [[0, 3], [4, 4]]
    unsorted = ab.asarray([3.0, 1.0, 2.0])
    order = ab.asarray([1, 2, 0], dtype=ab.uint8)  # any integer dtype
    assert np.asarray(ab.searchsorted(unsorted, ab.asarray([2.5]), sorter=order)).tolist() == [2]
    assert int(ab.searchsorted(ab.asarray([], dtype=ab.int8), 5)) == 0


def test_searchsorted_dtype_rules() -> None:
    x1 = ab.asarray([1, 5, 9], dtype=ab.int8)
    x2 = ab.asarray([5, 300], dtype=ab.int16)
    with pytest.raises(ab.DTypeError):
        ab.searchsorted(x1, x2)  # strict: different dtypes
    with ab.semantics("standard"):
        out = ab.searchsorted(x1, x2)
    assert out.dtype is ab.int64
    np.testing.assert_array_equal(np.asarray(out), np.searchsorted(np.asarray(x1), np.asarray(x2)))
    with ab.semantics("standard"), pytest.raises(ab.DTypeError):
        ab.searchsorted(x1, ab.asarray([1.0]))  # no promotion between kinds
    with pytest.raises(ab.DTypeError):
        ab.searchsorted(x1, 2.5)  # a Python float next to an integer tensor
    with pytest.raises(ab.DTypeError):
        ab.searchsorted(x1, 1000)  # out of int8's range
    with pytest.raises(ab.DTypeError):
        ab.searchsorted(ab.asarray([1.0]), 1j)
    with pytest.raises(ab.DTypeError):
        ab.searchsorted(ab.asarray([True]), ab.asarray([True]))
    assert int(ab.searchsorted(ab.asarray([1.0, 2.0]), 2)) == 1  # int beside float: fine


def test_searchsorted_errors() -> None:
    x1 = ab.asarray([1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        ab.searchsorted(ab.ones((2, 2)), x1)
    with pytest.raises(ValueError):
        ab.searchsorted(ab.asarray(1.0), x1)
    with pytest.raises(ValueError):
        ab.searchsorted(x1, x1, side="middle")
    with pytest.raises(ValueError):
        ab.searchsorted(x1, x1, sorter=ab.asarray([0, 1]))
    with pytest.raises(ab.DTypeError):
        ab.searchsorted(x1, x1, sorter=ab.asarray([0.0, 1.0, 2.0]))
    with pytest.raises(IndexError):
        ab.searchsorted(x1, x1, sorter=ab.asarray([0, 1, 3]))
    with pytest.raises(IndexError):
        ab.searchsorted(x1, x1, sorter=ab.asarray([0, -1, 2]))
    with pytest.raises(TypeError):
        ab.searchsorted(x1, x1, "left")  # type: ignore[call-arg]  # side is keyword-only


# -- unique_* --------------------------------------------------------------------------------


def _isnan(v: Any) -> bool:
    return isinstance(v, (float, complex)) and cmath_isnan(v)


def cmath_isnan(v: float | complex) -> bool:
    return math.isnan(v.real) or math.isnan(v.imag)


@FAST
@given(st.data())
def test_unique_all(data: st.DataObject) -> None:
    x = data.draw(arrays(data.draw(st.sampled_from(ALL)), shapes))
    a = np.asarray(x)
    flat = a.reshape(-1).tolist()
    out = ab.unique_all(x)
    assert type(out) is UniqueAllResult
    assert out._fields == ("values", "indices", "inverse_indices", "counts")
    values, indices, inverse, counts = (np.asarray(t) for t in out)
    assert out.values.dtype is x.dtype and out.values.ndim == 1
    for t in (out.indices, out.inverse_indices, out.counts):
        assert t.dtype is ab.int64
    assert out.indices.shape == out.counts.shape == out.values.shape
    assert out.inverse_indices.shape == x.shape
    vals = values.tolist()
    # NaNs are distinct: one value, of count one, per NaN of x
    nan_count = sum(_isnan(v) for v in flat)
    assert sum(_isnan(v) for v in vals) == nan_count
    # every other value once, with its number of occurrences and first position
    real = Counter(v for v in flat if not _isnan(v))  # -0.0 == 0.0: one key
    assert len(vals) == len(real) + nan_count
    for v, i, c in zip(vals, indices.tolist(), counts.tolist(), strict=True):
        if _isnan(v):
            assert c == 1 and _isnan(flat[i])
        else:
            assert c == real[v]
            assert i == next(k for k, w in enumerate(flat) if w == v)
    # inverse_indices rebuild x (NaN where NaN)
    rebuilt = values[inverse] if values.size else np.empty(a.shape, a.dtype)
    np.testing.assert_array_equal(rebuilt, a)
    if nan_count:  # and each NaN of x points to a NaN of its own
        nan_targets = [
            j for j, v in zip(inverse.reshape(-1).tolist(), flat, strict=True) if _isnan(v)
        ]
        assert len(set(nan_targets)) == nan_count


@FAST
@given(st.data())
def test_unique_counts_inverse_values_agree_with_unique_all(data: st.DataObject) -> None:
    x = data.draw(arrays(data.draw(st.sampled_from(ALL)), shapes))
    full = [np.asarray(t) for t in ab.unique_all(x)]
    uc = ab.unique_counts(x)
    ui = ab.unique_inverse(x)
    uv = ab.unique_values(x)
    assert type(uc) is UniqueCountsResult and uc._fields == ("values", "counts")
    assert type(ui) is UniqueInverseResult and ui._fields == ("values", "inverse_indices")
    assert uc.counts.dtype is ab.int64 and ui.inverse_indices.dtype is ab.int64
    assert ui.inverse_indices.shape == x.shape
    for t in (uc.values, ui.values, uv):
        assert t.dtype is x.dtype
    # the order of the values is unspecified: compare as multisets, then through inverse
    key = np.argsort(full[0], kind="stable")
    for t in (uc.values, ui.values, uv):
        got = np.asarray(t)
        np.testing.assert_array_equal(np.sort(got, kind="stable"), full[0][key])
    got_counts = dict(
        zip(np.asarray(uc.values).tolist(), np.asarray(uc.counts).tolist(), strict=True)
    )
    for v, c in zip(full[0].tolist(), full[3].tolist(), strict=True):
        if not _isnan(v):
            assert got_counts[v] == c
    vals, inv = np.asarray(ui.values), np.asarray(ui.inverse_indices)
    np.testing.assert_array_equal(
        vals[inv] if vals.size else np.empty(x.shape, vals.dtype), np.asarray(x)
    )


def test_unique_nans_are_distinct_and_signed_zeros_are_not() -> None:
    x = ab.asarray(np.array([math.nan, 1.0, math.nan, -0.0, 0.0, 1.0], dtype=np.float32))
    v = np.asarray(ab.unique_values(x))
    assert v.size == 4 and int(np.isnan(v).sum()) == 2
    counts = ab.unique_counts(x)
    got = sorted(
        zip(np.asarray(counts.values).tolist(), np.asarray(counts.counts).tolist(), strict=True),
        key=lambda p: _key(p[0]),
    )
    assert got[:2] == [(0.0, 2), (1.0, 2)]
    assert [c for _, c in got[2:]] == [1, 1]
    z = ab.asarray([complex(math.nan, 1), complex(math.nan, 1), 1j])
    assert ab.unique_values(z).shape == (3,)


def test_unique_of_0d_and_empty() -> None:
    r = ab.unique_all(ab.asarray(5, dtype=ab.int16))
    assert r.values.shape == (1,) and r.inverse_indices.shape == ()
    assert int(r.inverse_indices) == 0 and int(r.counts[0]) == 1 and int(r.indices[0]) == 0
    e = ab.unique_inverse(ab.zeros((2, 0)))
    assert e.values.shape == (0,) and e.inverse_indices.shape == (2, 0)
    assert e.inverse_indices.dtype is ab.int64


# -- isin ------------------------------------------------------------------------------------


@FAST
@given(st.data(), st.booleans())
def test_isin(data: st.DataObject, invert: bool) -> None:
    dtype = data.draw(st.sampled_from(INTEGER))
    x1 = data.draw(arrays(dtype, shapes))
    x2 = data.draw(arrays(dtype, shapes))
    out = ab.isin(x1, x2, invert=invert)
    members = set(np.asarray(x2).reshape(-1).tolist())
    expected = np.array(
        [(v in members) != invert for v in np.asarray(x1).reshape(-1).tolist()], dtype=bool
    ).reshape(x1.shape)
    assert out.dtype is ab.bool and out.shape == x1.shape
    np.testing.assert_array_equal(np.asarray(out), expected)


@FAST
@given(st.data(), st.booleans())
def test_isin_python_scalars(data: st.DataObject, invert: bool) -> None:
    dtype = data.draw(st.sampled_from(INTEGER))
    info = np.iinfo(dtype.name)
    x = data.draw(arrays(dtype, shapes))
    v = data.draw(st.integers(int(info.min), int(info.max)) | st.integers(0, 3))
    vals = np.asarray(x).reshape(-1).tolist()
    out = ab.isin(x, v, invert=invert)
    assert out.dtype is ab.bool and out.shape == x.shape
    expected = np.array([(w == v) != invert for w in vals], dtype=bool).reshape(x.shape)
    np.testing.assert_array_equal(np.asarray(out), expected)
    out = ab.isin(v, x, invert=invert)
    assert out.dtype is ab.bool and out.shape == ()
    assert bool(out) == ((v in vals) != invert)


def test_isin_dtype_rules() -> None:
    x1 = ab.asarray([1, 2, 300], dtype=ab.int16)
    x2 = ab.asarray([2, 3], dtype=ab.uint8)
    with pytest.raises(ab.DTypeError):
        ab.isin(x1, x2)  # strict: different dtypes
    with ab.semantics("standard"):
        assert np.asarray(ab.isin(x1, x2)).tolist() == [False, True, False]
        with pytest.raises(ab.DTypeError):
            ab.isin(ab.asarray([1], dtype=ab.uint64), ab.asarray([1], dtype=ab.int64))
    with pytest.raises(ab.DTypeError):
        ab.isin(ab.asarray([1.0]), ab.asarray([1.0]))  # integers only
    with pytest.raises(ab.DTypeError):
        ab.isin(ab.asarray([True]), ab.asarray([True]))
    with pytest.raises(ab.DTypeError):
        ab.isin(x1, 1.0)  # a Python float beside an integer tensor
    with pytest.raises(ab.DTypeError):
        ab.isin(x2, 256)  # out of uint8's range
    with pytest.raises(TypeError):
        ab.isin(1, 2)
    with pytest.raises(TypeError):
        ab.isin(x1, x2, True)  # type: ignore[call-arg]  # invert is keyword-only
    with pytest.raises(TypeError):
        ab.isin(x1, x1, invert=None)  # type: ignore[arg-type]
    assert np.asarray(ab.isin(x1, ab.asarray([], dtype=ab.int16))).tolist() == [False] * 3
