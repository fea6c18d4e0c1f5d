"""Variables: every write method against NumPy, snapshots, atomic failure, dtype and shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from arraybridge_conformance._check import dtype_params, native_dtype, require_dtype

import arraybridge as ab

pytestmark = pytest.mark.usefixtures("ab_backend")

DTYPES = [ab.float32, ab.float64, ab.int64, ab.int32, ab.complex64]


def _start(dtype: ab.DType) -> np.ndarray:
    return (np.arange(12).reshape(3, 4) % 5).astype(dtype.name)


def _np_scatter(a: np.ndarray, idx: Any, upd: Any, op: str) -> None:
    for i, u in zip(idx, upd, strict=True):
        a[i] = {"update": u, "add": a[i] + u, "sub": a[i] - u}[op]


WRITES: list[tuple[str, Callable[[Any], Any], Callable[[np.ndarray], None]]] = [
    ("assign", lambda v: v.assign(v * 2), lambda a: a.__setitem__(..., a * 2)),
    ("assign_add", lambda v: v.assign_add(1), lambda a: a.__iadd__(1)),
    ("assign_sub", lambda v: v.assign_sub(ab.ones((4,), dtype=v.dtype)), lambda a: a.__isub__(1)),
    ("slice_assign", lambda v: v[0, 1].assign(3), lambda a: a.__setitem__((0, 1), 3)),
    (
        "column_assign",
        lambda v: v[:, 2].assign([0, 1, 2]),
        lambda a: a.__setitem__((slice(None), 2), [0, 1, 2]),
    ),
    (
        "slice_assign_add",
        lambda v: v[1:, ::2].assign_add(2),
        lambda a: a.__setitem__((slice(1, None), slice(None, None, 2)), a[1:, ::2] + 2),
    ),
    ("mask_assign", lambda v: v[v.value() > 2].assign(0), lambda a: a.__setitem__(a > 2, 0)),
    (
        "scatter_update",
        lambda v: v.scatter_update([2, 0], ab.ones((2, 4), dtype=v.dtype)),
        lambda a: _np_scatter(a, [2, 0], np.ones((2, 4)), "update"),
    ),
    (
        "scatter_add_repeated",
        lambda v: v.scatter_add([1, 1], ab.ones((2, 4), dtype=v.dtype)),
        lambda a: _np_scatter(a, [1, 1], np.ones((2, 4)), "add"),
    ),
    (
        "scatter_sub",
        lambda v: v.scatter_sub([0], ab.ones((1, 4), dtype=v.dtype)),
        lambda a: _np_scatter(a, [0], np.ones((1, 4)), "sub"),
    ),
    (
        "scatter_nd_update",
        lambda v: v.scatter_nd_update([[0, 0], [2, 3]], ab.asarray([7, 8], dtype=v.dtype)),
        lambda a: _np_scatter(a, [(0, 0), (2, 3)], [7, 8], "update"),
    ),
    (
        "scatter_nd_add",
        lambda v: v.scatter_nd_add([[1]], ab.ones((1, 4), dtype=v.dtype)),
        lambda a: _np_scatter(a, [1], np.ones((1, 4)), "add"),
    ),
]


@pytest.mark.parametrize(("dtype", "name", "write", "ref"), dtype_params(DTYPES, WRITES))
def test_write(dtype: ab.DType, name: str, write: Any, ref: Any) -> None:
    """Each write lands as NumPy's; dtype and shape stay; earlier snapshots do not change."""
    require_dtype(dtype)
    if name == "mask_assign" and dtype.name.startswith("complex"):
        pytest.skip("no ordering on complex values")
    start = _start(dtype)
    v = ab.Variable(start)
    snap, piece, exported = v.value(), v[0], np.asarray(v)
    out = write(v)
    want = start.copy()
    ref(want)
    assert out is v
    assert v.dtype is dtype and v.shape == (3, 4) and native_dtype(v) == dtype.name
    assert np.array_equal(np.asarray(v), want), name
    assert np.array_equal(np.asarray(snap), start), "a snapshot changed"
    assert np.array_equal(np.asarray(piece), start[0]), "a slice read changed"
    assert np.array_equal(exported, start), "an exported array changed"


BAD: list[tuple[str, Callable[[Any], Any], type[Exception]]] = [
    ("wrong_shape", lambda v: v.assign(ab.ones((4, 3), dtype=v.dtype)), ValueError),
    (
        "wrong_dtype",
        lambda v: v.assign(
            ab.ones((3, 4), dtype=ab.float64 if v.dtype is not ab.float64 else ab.float32)
        ),
        TypeError,
    ),
    ("out_of_bounds", lambda v: v[3, 0].assign(1), IndexError),
    (
        "scatter_out_of_bounds",
        lambda v: v.scatter_update([0, 5], ab.ones((2, 4), dtype=v.dtype)),
        IndexError,
    ),
    (
        "scatter_bad_updates",
        lambda v: v.scatter_add([0, 1], ab.ones((3, 4), dtype=v.dtype)),
        ValueError,
    ),
    ("setitem", lambda v: v.__setitem__(1, 0), TypeError),
]


@pytest.mark.parametrize(("name", "write", "exc"), BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("dtype", [ab.float32, ab.int64], ids=lambda d: d.name)
def test_failed_write_changes_nothing(dtype: ab.DType, name: str, write: Any, exc: Any) -> None:
    require_dtype(dtype)
    start = _start(dtype)
    v = ab.Variable(start)
    with pytest.raises(exc):
        write(v)
    assert np.array_equal(np.asarray(v), start) and v.dtype is dtype


def test_strict_dtype_on_arithmetic_writes() -> None:
    v = ab.Variable([1.0, 2.0])
    with pytest.raises(ab.DTypeError):
        v.assign_add(ab.asarray([1, 2]))
    v.assign_add(1)  # Python scalars are weak
    assert np.asarray(v).tolist() == [2.0, 3.0]


def test_variable_is_a_tensor() -> None:
    v = ab.Variable(np.ones((2, 2), dtype=np.float32))
    assert isinstance(v, ab.Tensor) and v.__array_namespace__() is ab
    r = ab.matmul(v, v) + v
    assert type(r) is ab.Tensor and np.asarray(r).tolist() == [[3.0, 3.0], [3.0, 3.0]]
