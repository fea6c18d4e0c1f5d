"""Dtypes: every result's dtype (declared and native) for every case, strict and standard
promotion, weak Python scalars, categories, defaults."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from arraybridge_conformance._cases import Case, dtypes_of, flatten_result, oracle
from arraybridge_conformance._check import (
    add_case_tests,
    native_dtype,
    reference,
    require_dtype,
    run,
    supported,
)

import arraybridge as ab
from arraybridge import _dtypes

pytestmark = pytest.mark.usefixtures("ab_backend")


def _result_dtypes(case: Case, dtype: ab.DType, args: list[Any]) -> None:
    """Each result's dtype is the standard's (NumPy's namespace agrees), and the backend's
    array under it really has that dtype."""
    got = flatten_result(run(case, dtype, args))
    want = flatten_result(reference(case, dtype, args))
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        if not isinstance(g, ab.Tensor):
            continue
        where = f"{case.fn} ({case.id}) on {dtype.name}, result {i}"
        assert native_dtype(g) == g.dtype.name, (
            f"{where}: declared {g.dtype.name}, but the backend's array is {native_dtype(g)}"
        )
        assert g.dtype.name == str(np.asarray(w).dtype), (
            f"{where}: {g.dtype.name}, the standard gives {np.asarray(w).dtype}"
        )


add_case_tests(globals(), "test_result_dtype_", _result_dtypes, full=2, quick=1)


def _pairs() -> list[tuple[ab.DType, ab.DType]]:
    return [(a, b) for a, b in itertools.permutations(_dtypes.ALL, 2)]


def _numeric_pairs() -> list[tuple[ab.DType, ab.DType]]:
    return [(a, b) for a, b in _pairs() if a is not ab.bool and b is not ab.bool]


@pytest.mark.parametrize(("d1", "d2"), _numeric_pairs(), ids=lambda d: d.name)
def test_strict_refuses_mixed_dtypes(d1: ab.DType, d2: ab.DType) -> None:
    require_dtype(d1, d2)
    x, y = ab.ones((2,), dtype=d1), ab.ones((2,), dtype=d2)
    with pytest.raises(ab.DTypeError, match="astype"):
        ab.add(x, y)
    with pytest.raises(ab.DTypeError):
        _ = x * y


@pytest.mark.parametrize(("d1", "d2"), _numeric_pairs(), ids=lambda d: d.name)
def test_standard_promotion(d1: ab.DType, d2: ab.DType) -> None:
    require_dtype(d1, d2)
    with ab.semantics("standard"):
        try:
            want = ab.result_type(d1, d2)
        except ab.DTypeError:
            with pytest.raises(TypeError):
                ab.add(ab.ones((2,), dtype=d1), ab.ones((2,), dtype=d2))
            return
        if want not in supported():
            pytest.skip(f"the backend does not support {want.name}")
        r = ab.add(ab.ones((2,), dtype=d1), ab.ones((2,), dtype=d2))
    assert r.dtype is want
    assert native_dtype(r) == want.name


@pytest.mark.parametrize("dtype", dtypes_of("numeric"), ids=lambda d: d.name)
def test_python_scalars_are_weak(dtype: ab.DType) -> None:
    require_dtype(dtype)
    x = ab.ones((3,), dtype=dtype)
    for r in (x + 1, 1 + x, x * 2, x - 1, ab.multiply(x, 2)):
        assert r.dtype is dtype and native_dtype(r) == dtype.name
    if dtype in _dtypes.FLOATING:
        assert (x + 0.5).dtype is dtype and native_dtype(x / 2) == dtype.name
    else:
        with pytest.raises(ab.DTypeError):
            _ = x + 0.5


@pytest.mark.parametrize("dtype", _dtypes.ALL, ids=lambda d: d.name)
def test_creation_honours_dtype(dtype: ab.DType) -> None:
    require_dtype(dtype)
    for t in (
        ab.zeros((2,), dtype=dtype),
        ab.ones((2, 1), dtype=dtype),
        ab.full((2,), True if dtype is ab.bool else 1, dtype=dtype),
        ab.asarray([True, False] if dtype is ab.bool else [1, 0], dtype=dtype),
        ab.asarray(np.zeros(2, dtype=dtype.name)),
        ab.eye(2, dtype=dtype),
        ab.astype(ab.asarray([1, 0]), dtype),
    ):
        assert t.dtype is dtype, t.dtype
        assert native_dtype(t) == dtype.name


def test_defaults() -> None:
    assert ab.asarray(1.0).dtype is ab.float32
    assert ab.asarray(1).dtype is ab.int64
    if ab.complex64 in supported():
        assert ab.asarray(1j).dtype is ab.complex64
    assert ab.asarray(True).dtype is ab.bool
    assert ab.zeros(3).dtype is ab.float32
    assert ab.arange(3).dtype is ab.int64
    assert ab.linspace(0, 1, 3).dtype is ab.float32
    assert ab.argmax(ab.asarray([1.0, 2.0])).dtype is ab.int64
    assert ab.nonzero(ab.asarray([1.0, 0.0]))[0].dtype is ab.int64
    info = ab.__array_namespace_info__().default_dtypes()
    assert info["real floating"] is ab.float32 and info["indexing"] is ab.int64
    for t in (ab.asarray(1.0), ab.zeros(3), ab.arange(3)):
        assert native_dtype(t) == t.dtype.name


@pytest.mark.parametrize("dtype", _dtypes.ALL, ids=lambda d: d.name)
def test_categories(dtype: ab.DType) -> None:
    npx = oracle()
    kinds = ("bool", "signed integer", "unsigned integer", "integral", "real floating",
             "complex floating", "numeric")  # fmt: skip
    for kind in kinds:
        want = npx.isdtype(getattr(npx, dtype.name), kind)
        assert ab.isdtype(dtype, kind) == want, (dtype, kind)
    assert np.dtype(dtype.name).name == dtype.name


@pytest.mark.parametrize("dtype", dtypes_of("numeric"), ids=lambda d: d.name)
def test_category_errors_name_the_op(dtype: ab.DType) -> None:
    require_dtype(dtype)
    x = ab.ones((2,), dtype=dtype)
    if dtype not in _dtypes.INTEGER:
        with pytest.raises(ab.DTypeError, match="bitwise_and"):
            ab.bitwise_and(x, x)
    if dtype in _dtypes.COMPLEX_FLOATING:
        with pytest.raises(ab.DTypeError, match="floor"):
            ab.floor(x)
