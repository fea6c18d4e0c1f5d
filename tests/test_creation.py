"""Creation functions: default dtypes, values against NumPy, and asarray's conversions.

Input tensors come from hypothesis's array-API strategies
(``make_strategies_namespace(ab, api_version="2025.12")``). The asarray tests start from
NumPy arrays and Python lists, since that conversion is what they test.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis.extra.array_api import make_strategies_namespace

import arraybridge as ab

# tests/conftest.py registers the "ci" (default) and "thorough" profiles; the decorator
# repeats the choice so this file keeps its speed whatever the loaded profile says.
_PROFILE = os.environ.get("ARRAYBRIDGE_HYPOTHESIS_PROFILE", "ci")
FAST = settings(max_examples=500 if _PROFILE == "thorough" else 25, deadline=None)

DTYPE_NAMES = (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128",
)  # fmt: skip
DTYPES = tuple(getattr(ab, n) for n in DTYPE_NAMES)
FLOATING = (ab.float32, ab.float64, ab.complex64, ab.complex128)

dtypes = st.sampled_from(DTYPES)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)


def _np(d: ab.DType) -> np.dtype[Any]:
    return np.dtype(d.name)


def _assert_tensor(t: Any, expected: Any, dtype: ab.DType) -> None:
    """``t`` is a tensor of ``dtype`` equal (NaN == NaN) to NumPy array ``expected``."""
    assert isinstance(t, ab.Tensor)
    assert t.dtype is dtype, f"dtype {t.dtype}, expected {dtype}"
    a = np.asarray(t)
    assert a.dtype.name == dtype.name
    assert a.shape == np.shape(expected)
    np.testing.assert_array_equal(a, np.asarray(expected, dtype=_np(dtype)))


def _value(d: ab.DType) -> st.SearchStrategy[Any]:
    """A Python scalar (bool, int, float or complex) holding a value of dtype ``d``."""
    return hnp.from_dtype(_np(d)).map(lambda v: np.asarray(v, _np(d)).item())


# -- zeros, ones, empty ----------------------------------------------------------------------


@pytest.mark.parametrize("fn", [ab.zeros, ab.ones, ab.empty])
def test_fill_defaults_to_float32(fn: Any) -> None:
    for shape, expected in (((2, 3), (2, 3)), (4, (4,)), ((), ())):
        t = fn(shape)
        assert t.dtype is ab.float32
        assert t.shape == expected
        assert np.asarray(t).dtype == np.float32


@pytest.mark.parametrize("name", ["zeros", "ones"])
@FAST
@given(shape=shapes, dtype=st.none() | dtypes)
def test_zeros_ones_match_numpy(name: str, shape: tuple[int, ...], dtype: Any) -> None:
    t = getattr(ab, name)(shape, dtype=dtype)
    expected_dtype = ab.float32 if dtype is None else dtype
    _assert_tensor(t, getattr(np, name)(shape, dtype=_np(expected_dtype)), expected_dtype)


@FAST
@given(shape=shapes, dtype=dtypes)
def test_empty_shape_and_dtype(shape: tuple[int, ...], dtype: ab.DType) -> None:
    t = ab.empty(shape, dtype=dtype)
    assert t.dtype is dtype
    assert t.shape == shape
    assert np.asarray(t).dtype.name == dtype.name


def test_fill_accepts_dtype_names_and_rejects_negative_sizes() -> None:
    assert ab.zeros(2, dtype="int8").dtype is ab.int8
    with pytest.raises(ValueError):
        ab.zeros((-1, 2))


# -- full ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "dtype"),
    [(True, ab.bool), (3, ab.int64), (1.5, ab.float32), (1 + 2j, ab.complex64)],
)
def test_full_default_dtype_follows_python_kind(value: Any, dtype: ab.DType) -> None:
    _assert_tensor(ab.full((2, 2), value), np.full((2, 2), value, dtype=_np(dtype)), dtype)


@FAST
@given(data=st.data(), shape=shapes, dtype=dtypes)
def test_full_with_dtype_matches_numpy(
    data: st.DataObject, shape: tuple[int, ...], dtype: ab.DType
) -> None:
    value = data.draw(_value(dtype), label="fill_value")
    t = ab.full(shape, value, dtype=dtype)
    _assert_tensor(t, np.full(shape, value, dtype=_np(dtype)), dtype)


@pytest.mark.parametrize(
    ("value", "dtype"),
    [
        (300, ab.int8),
        (-1, ab.uint8),
        (1.5, ab.int32),
        (1, ab.bool),
        (True, ab.int8),
        (1j, ab.float32),
    ],
)
def test_full_value_that_does_not_fit_raises(value: Any, dtype: ab.DType) -> None:
    with pytest.raises(ab.DTypeError):
        ab.full((2,), value, dtype=dtype)


def test_full_int_value_in_float_dtype() -> None:
    _assert_tensor(ab.full((2,), 1, dtype=ab.float32), np.ones(2, np.float32), ab.float32)


def test_full_large_float_does_not_warn() -> None:
    """1e300 does not fit in the default float32; whatever the answer, no NumPy warning."""
    try:
        t = ab.full((1,), 1e300)
    except (ValueError, TypeError, OverflowError):
        return
    assert t.dtype is ab.float32
    assert np.isinf(np.asarray(t)).all()


# -- arange ----------------------------------------------------------------------------------

ints = st.integers(-60, 60)
steps = st.integers(-7, 7).filter(lambda s: s != 0)


@FAST
@given(start=ints, stop=st.none() | ints, step=steps)
def test_arange_ints_match_numpy(start: int, stop: int | None, step: int) -> None:
    if stop is None:
        t = ab.arange(start)
        expected = np.arange(start, dtype=np.int64)
    else:
        t = ab.arange(start, stop, step)
        expected = np.arange(start, stop, step, dtype=np.int64)
    _assert_tensor(t, expected, ab.int64)


@FAST
@given(
    start=st.floats(-100, 100),
    stop=st.floats(-100, 100),
    step=st.floats(0.01, 10) | st.floats(-10, -0.01),
    dtype=st.sampled_from([None, ab.float32, ab.float64]),
)
@example(start=1000.0, stop=1010.0, step=0.001, dtype=None)
@example(start=100.0, stop=-100.0, step=-0.01, dtype=None)
def test_arange_floats(start: float, stop: float, step: float, dtype: ab.DType | None) -> None:
    """Length ceil((stop - start) / step) and values start + i * step, as the standard says.

    Element i may be off by rounding, but not by a sizeable part of a step: that would
    make it (nearly) another index's value. NumPy's float32 arange drifts that far, since
    it steps by fl(fl(start + step) - start), whose error grows with |start| and n."""
    n = max(0, math.ceil((stop - start) / step))
    assume(n <= 20_000)
    t = ab.arange(start, stop, step, dtype=dtype)
    expected_dtype = ab.float32 if dtype is None else dtype
    assert t.dtype is expected_dtype
    assert t.shape == (n,)
    exact = start + np.arange(n, dtype=np.float64) * step
    fi = np.finfo(_np(expected_dtype))
    # a few roundings of the largest magnitude involved, and a quarter step
    atol = 4 * float(fi.eps) * max(abs(start), abs(stop)) + float(fi.tiny) + abs(step) / 4
    np.testing.assert_allclose(np.asarray(t).astype(np.float64), exact, rtol=0, atol=atol)


def test_arange_defaults() -> None:
    _assert_tensor(ab.arange(5), np.arange(5), ab.int64)
    _assert_tensor(ab.arange(2, 11, 3), np.arange(2, 11, 3), ab.int64)
    _assert_tensor(ab.arange(10, 0, -3), np.arange(10, 0, -3), ab.int64)
    _assert_tensor(ab.arange(5, 0), np.arange(5, 0), ab.int64)
    assert ab.arange(2.5).dtype is ab.float32
    assert ab.arange(0, 5, 0.5).dtype is ab.float32
    assert ab.arange(0, 5, dtype=ab.float64).dtype is ab.float64
    _assert_tensor(ab.arange(0, 1, 0.25), np.arange(0, 1, 0.25), ab.float32)
    with pytest.raises(ValueError):
        ab.arange(0, 5, 0)


# -- linspace --------------------------------------------------------------------------------

reals = st.floats(-1e3, 1e3)


@FAST
@given(
    start=reals,
    stop=reals,
    num=st.integers(0, 40),
    endpoint=st.booleans(),
    dtype=st.sampled_from([None, ab.float32, ab.float64]),
)
def test_linspace_matches_numpy(
    start: float, stop: float, num: int, endpoint: bool, dtype: ab.DType | None
) -> None:
    t = ab.linspace(start, stop, num, dtype=dtype, endpoint=endpoint)
    expected_dtype = ab.float32 if dtype is None else dtype
    assert t.dtype is expected_dtype
    assert t.shape == (num,)
    expected = np.linspace(start, stop, num, endpoint=endpoint, dtype=np.float64)
    fi = np.finfo(_np(expected_dtype))
    atol = 4 * float(fi.eps) * max(abs(start), abs(stop)) + float(fi.tiny)
    np.testing.assert_allclose(np.asarray(t).astype(np.float64), expected, rtol=0, atol=atol)


def test_linspace_defaults() -> None:
    t = ab.linspace(0, 1, 5)
    _assert_tensor(t, np.linspace(0, 1, 5), ab.float32)
    _assert_tensor(ab.linspace(0, 1, 5, endpoint=False), np.arange(5) / 5, ab.float32)
    c = ab.linspace(0, 1j, 3)
    _assert_tensor(c, np.linspace(0, 1j, 3), ab.complex64)
    assert ab.linspace(0, 1j, 3, dtype=ab.complex128).dtype is ab.complex128
    assert ab.linspace(2, 3, 0).shape == (0,)
    with pytest.raises(ab.DTypeError):
        ab.linspace(0, 10, 3, dtype=ab.int32)


def test_linspace_complex_endpoints_with_real_dtype_raise() -> None:
    """A complex start or stop cannot give a real dtype without dropping its imaginary
    part: like asarray and full, raise DTypeError (not NumPy's ComplexWarning)."""
    with pytest.raises(ab.DTypeError):
        ab.linspace(0, 1j, 3, dtype=ab.float32)


# -- eye -------------------------------------------------------------------------------------


@FAST
@given(
    n_rows=st.integers(0, 6),
    n_cols=st.none() | st.integers(0, 6),
    k=st.integers(-7, 7),
    dtype=st.none() | dtypes,
)
def test_eye_matches_numpy(n_rows: int, n_cols: int | None, k: int, dtype: Any) -> None:
    t = ab.eye(n_rows, n_cols, k=k, dtype=dtype)
    expected_dtype = ab.float32 if dtype is None else dtype
    _assert_tensor(t, np.eye(n_rows, n_cols, k=k, dtype=_np(expected_dtype)), expected_dtype)


def test_eye_rejects_negative_sizes() -> None:
    with pytest.raises(ValueError):
        ab.eye(-1)


# -- *_like ----------------------------------------------------------------------------------


XPS = make_strategies_namespace(ab, api_version="2025.12")


def _any_array(dtype: ab.DType, shape: Any = shapes) -> st.SearchStrategy[Any]:
    """NumPy arrays of ``dtype`` (NaN, infinities and subnormals included)."""
    return hnp.arrays(_np(dtype), shape)


def _any_tensor(dtype: ab.DType, shape: Any = shapes) -> st.SearchStrategy[Any]:
    """Tensors of ``dtype`` from hypothesis's array-API strategies."""
    return XPS.arrays(dtype, shape)


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
@FAST
@given(data=st.data(), dtype=dtypes, new_dtype=st.none() | dtypes)
def test_like_functions(name: str, data: st.DataObject, dtype: ab.DType, new_dtype: Any) -> None:
    x = data.draw(_any_tensor(dtype), label="x")
    t = getattr(ab, name)(x, dtype=new_dtype)
    expected_dtype = dtype if new_dtype is None else new_dtype
    assert t.dtype is expected_dtype
    assert t.shape == x.shape
    if name != "empty_like":
        fill = np.zeros if name == "zeros_like" else np.ones
        _assert_tensor(t, fill(x.shape, dtype=_np(expected_dtype)), expected_dtype)


@FAST
@given(data=st.data(), dtype=dtypes)
def test_full_like_matches_numpy(data: st.DataObject, dtype: ab.DType) -> None:
    x = data.draw(_any_tensor(dtype), label="x")
    value = data.draw(_value(dtype), label="fill_value")
    _assert_tensor(ab.full_like(x, value), np.full(x.shape, value, dtype=_np(dtype)), dtype)


def test_full_like_checks_the_value() -> None:
    x = ab.asarray(np.array([1, 2], dtype=np.int8))
    with pytest.raises(ab.DTypeError):
        ab.full_like(x, 300)
    with pytest.raises(ab.DTypeError):
        ab.full_like(x, 1.5)
    _assert_tensor(ab.full_like(x, 1.5, dtype=ab.float64), np.full(2, 1.5), ab.float64)


# -- tril, triu ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tril", "triu"])
@FAST
@given(
    data=st.data(),
    dtype=dtypes,
    shape=hnp.array_shapes(min_dims=2, max_dims=4, min_side=0, max_side=5),
    k=st.integers(-6, 6),
)
def test_tril_triu_match_numpy(
    name: str, data: st.DataObject, dtype: ab.DType, shape: tuple[int, ...], k: int
) -> None:
    x = data.draw(_any_tensor(dtype, shape), label="x")
    t = getattr(ab, name)(x, k=k)
    _assert_tensor(t, getattr(np, name)(np.asarray(x), k=k), dtype)


@pytest.mark.parametrize("name", ["tril", "triu"])
def test_tril_triu_need_two_dimensions(name: str) -> None:
    with pytest.raises(ValueError):
        getattr(ab, name)(ab.arange(3))


# -- meshgrid --------------------------------------------------------------------------------


@FAST
@given(
    data=st.data(),
    dtype=dtypes,
    sizes=st.lists(st.integers(0, 4), min_size=1, max_size=3),
    indexing=st.sampled_from(["xy", "ij"]),
)
def test_meshgrid_matches_numpy(
    data: st.DataObject, dtype: ab.DType, sizes: list[int], indexing: str
) -> None:
    tensors = [data.draw(_any_tensor(dtype, (n,)), label="x") for n in sizes]
    got = ab.meshgrid(*tensors, indexing=indexing)
    expected = np.meshgrid(*(np.asarray(t) for t in tensors), indexing=indexing)
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        _assert_tensor(g, e, dtype)


def test_meshgrid_mixed_dtypes_raise_in_strict() -> None:
    with pytest.raises(ab.DTypeError):
        ab.meshgrid(ab.arange(3), ab.asarray([1.0, 2.0]))
    with pytest.raises(ValueError):
        ab.meshgrid(ab.arange(3), indexing="yx")


# -- asarray ---------------------------------------------------------------------------------


@FAST
@given(data=st.data(), dtype=dtypes)
def test_asarray_keeps_numpy_dtype_and_values(data: st.DataObject, dtype: ab.DType) -> None:
    a = data.draw(_any_array(dtype), label="a")
    _assert_tensor(ab.asarray(a), a, dtype)


def test_asarray_float64_array_stays_float64() -> None:
    t = ab.asarray(np.array([1.0, 2.0]))
    assert t.dtype is ab.float64
    assert ab.asarray(np.float64(1.5)).dtype is ab.float64
    assert ab.asarray(np.int8(3)).dtype is ab.int8


@pytest.mark.parametrize("copy", [None, True])
@pytest.mark.parametrize("dtype", [None, ab.float64])
@pytest.mark.parametrize("size", [3, 100_000])
def test_asarray_copies_callers_array(copy: bool | None, dtype: ab.DType | None, size: int) -> None:
    # Note: JAX reads a host buffer asynchronously (or aliases it): a write right after
    # the conversion reached the tensor about one time in three, so it is tried often.
    for _ in range(20):
        a = np.ones(size, dtype=np.float64)
        t = ab.asarray(a, copy=copy, dtype=dtype)
        a[0] = 99.0
        assert float(t[0]) == 1.0
    np.testing.assert_array_equal(np.asarray(t), np.ones(size))


def test_asarray_copy_false_gives_a_tensor() -> None:
    a = np.array([1.0, 2.0, 3.0])
    try:
        t = ab.asarray(a, copy=False)
    except ValueError as exc:
        # a backend whose arrays are immutable (JAX) cannot take a writable NumPy buffer
        # without copying it: the standard's answer to copy=False is then ValueError
        assert not ab.asarray(0.0).device.backend.writes_in_place, exc
        assert "copy" in str(exc)
        return
    assert isinstance(t, ab.Tensor)
    _assert_tensor(t, [1.0, 2.0, 3.0], ab.float64)
    with pytest.raises(ValueError):
        ab.asarray([1.0, 2.0], copy=False)  # a Python list must be copied


@pytest.mark.parametrize(
    ("obj", "dtype"),
    [
        (1.5, ab.float32),
        (3, ab.int64),
        (True, ab.bool),
        (1j, ab.complex64),
        ([[1.0, 2.0], [3.0, 4.5]], ab.float32),
        ([[1, 2], [3, 4]], ab.int64),
        ([[True], [False]], ab.bool),
        ([[1 + 1j, 2.0]], ab.complex64),
        ([1, 2.5], ab.float32),
        ((1, 2), ab.int64),
        ([], ab.float32),
        ([[], []], ab.float32),
    ],
)
def test_asarray_python_defaults(obj: Any, dtype: ab.DType) -> None:
    _assert_tensor(ab.asarray(obj), np.array(obj, dtype=_np(dtype)), dtype)


@FAST
@given(
    kind=st.sampled_from(
        [
            (st.floats(width=32), ab.float32),
            (st.integers(-(2**63), 2**63 - 1), ab.int64),
            (st.booleans(), ab.bool),
            (st.complex_numbers(width=64), ab.complex64),
        ]
    ),
    data=st.data(),
)
def test_asarray_nested_lists(kind: Any, data: st.DataObject) -> None:
    elements, dtype = kind
    n = data.draw(st.integers(1, 4), label="inner length")
    rows = data.draw(st.lists(st.lists(elements, min_size=n, max_size=n), min_size=1, max_size=4))
    _assert_tensor(ab.asarray(rows), np.array(rows, dtype=_np(dtype)).reshape(len(rows), n), dtype)


def test_asarray_ragged_list_raises_value_error() -> None:
    with pytest.raises(ValueError):
        ab.asarray([[1, 2], [3]])


@pytest.mark.parametrize("obj", ["abc", b"abc", None])
def test_asarray_rejects_non_numeric(obj: Any) -> None:
    with pytest.raises(TypeError):
        ab.asarray(obj)


def test_asarray_int_out_of_int64_range_raises() -> None:
    with pytest.raises(ab.DTypeError):
        ab.asarray([2**63])


INTEGER_DTYPES = [d for d in DTYPES if _np(d).kind in "iu"]


@FAST
@given(data=st.data(), dtype=st.sampled_from(INTEGER_DTYPES))
def test_asarray_python_ints_with_integer_dtype(data: st.DataObject, dtype: ab.DType) -> None:
    """Python ints that fit the requested dtype are stored exactly."""
    info = np.iinfo(_np(dtype))
    values = data.draw(st.lists(st.integers(int(info.min), int(info.max)), max_size=5))
    _assert_tensor(ab.asarray(values, dtype=dtype), np.array(values, dtype=_np(dtype)), dtype)


def test_asarray_uint64_values_beside_small_ints() -> None:
    _assert_tensor(
        ab.asarray([0, 2**63], dtype=ab.uint64), np.array([0, 2**63], np.uint64), ab.uint64
    )
    _assert_tensor(
        ab.asarray([1, 2**64 - 1], dtype=ab.uint64), np.array([1, 2**64 - 1], np.uint64), ab.uint64
    )


def test_asarray_python_ints_never_become_floats() -> None:
    """2**63 does not fit the default int64, with or without a small int beside it."""
    with pytest.raises(ab.DTypeError):
        ab.asarray([2**63])
    with pytest.raises(ab.DTypeError):
        ab.asarray([0, 2**63])


def test_asarray_large_float_does_not_warn() -> None:
    """1e300 does not fit in the default float32; whatever the answer, no NumPy warning."""
    try:
        t = ab.asarray([1e300])
    except (ValueError, TypeError, OverflowError):
        return
    assert t.dtype is ab.float32
    assert np.isinf(np.asarray(t)).all()


@pytest.mark.parametrize("dtype", FLOATING)
def test_asarray_with_dtype(dtype: ab.DType) -> None:
    _assert_tensor(ab.asarray([1, 2], dtype=dtype), np.array([1, 2], _np(dtype)), dtype)
