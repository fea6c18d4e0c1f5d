"""The seed's tensor walkthrough, line by line, in arraybridge spelling."""

from __future__ import annotations

import numpy as np
import pytest

import arraybridge as ab


def values(t: ab.Tensor) -> np.ndarray:
    assert isinstance(t, ab.Tensor)
    return np.asarray(t)


@pytest.fixture
def t() -> ab.Tensor:
    return ab.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


def test_constant(t: ab.Tensor) -> None:
    assert t.dtype is ab.float32
    assert t.shape == (2, 3)
    assert t.ndim == 2 and t.size == 6
    np.testing.assert_array_equal(values(t), [[1, 2, 3], [4, 5, 6]])


def test_indexing(t: ab.Tensor) -> None:
    np.testing.assert_array_equal(values(t[:, 1:]), [[2.0, 3.0], [5.0, 6.0]])
    r = t[..., 1, ab.newaxis]
    assert r.shape == (2, 1)
    np.testing.assert_array_equal(values(r), [[2.0], [5.0]])


def test_operations(t: ab.Tensor) -> None:
    r = t + 10
    assert r.dtype is ab.float32
    np.testing.assert_array_equal(values(r), [[11, 12, 13], [14, 15, 16]])
    np.testing.assert_array_equal(values(ab.square(t)), [[1, 4, 9], [16, 25, 36]])
    for tr in (ab.matrix_transpose(t), t.mT):
        assert tr is not t and tr.shape == (3, 2)
        np.testing.assert_array_equal(values(tr), [[1, 4], [2, 5], [3, 6]])
    np.testing.assert_array_equal(values(t @ t.mT), [[14, 32], [32, 77]])


def test_operation_names_exist(t: ab.Tensor) -> None:
    np.testing.assert_allclose(values(ab.exp(t)), np.exp(np.asarray(t)), rtol=1e-6)
    np.testing.assert_allclose(values(ab.sqrt(t)), np.sqrt(np.asarray(t)), rtol=1e-6)
    np.testing.assert_allclose(values(ab.log(t)), np.log(np.asarray(t)), rtol=1e-6)
    np.testing.assert_array_equal(values(ab.add(t, t)), 2 * np.asarray(t))
    np.testing.assert_array_equal(values(ab.multiply(t, t)), np.asarray(t) ** 2)
    assert ab.reshape(t, (3, 2)).shape == (3, 2)
    assert ab.squeeze(ab.reshape(t, (1, 2, 3))).shape == (2, 3)
    assert ab.tile(t, (2, 1)).shape == (4, 3)
    assert float(ab.sum(t)) == 21.0
    assert float(ab.mean(t)) == 3.5
    assert float(ab.max(t)) == 6.0
    assert ab.sum(t).dtype is ab.float32


def test_numpy_interop(t: ab.Tensor) -> None:
    a = np.array([2.0, 4.0, 5.0])
    ta = ab.asarray(a)
    assert ta.dtype is ab.float64
    n = t.numpy()
    assert type(n) is np.ndarray and n.dtype == np.float32
    with pytest.raises(ValueError, match="read-only"):
        n[0, 0] = 99.0
    sq = ab.square(a)
    assert isinstance(sq, ab.Tensor) and sq.dtype is ab.float64
    np.testing.assert_array_equal(values(sq), [4.0, 16.0, 25.0])
    nq = np.square(t)
    assert type(nq) is np.ndarray and nq.dtype == np.float32
    np.testing.assert_array_equal(nq, [[1, 4, 9], [16, 25, 36]])


def test_strict_conversions() -> None:
    with pytest.raises(ab.DTypeError, match=r"float32.*int64") as err:
        ab.asarray(2.0) + ab.asarray(40)
    assert isinstance(err.value, TypeError)
    assert "add" in str(err.value) and "ab.astype" in str(err.value)
    with pytest.raises(ab.DTypeError, match=r"float32.*float64"):
        ab.asarray(2.0) + ab.asarray(40.0, dtype=ab.float64)
    r = ab.asarray(2.0) + ab.astype(ab.asarray(40.0, dtype=ab.float64), ab.float32)
    assert r.dtype is ab.float32 and float(r) == 42.0


def test_immutable(t: ab.Tensor) -> None:
    with pytest.raises(TypeError, match="Variable"):
        t[0, 0] = 5
    assert float(t[0, 0]) == 1.0


def test_standard_semantics() -> None:
    with ab.semantics("standard"):
        r = ab.asarray(2.0) + ab.asarray(40.0, dtype=ab.float64)
        assert r.dtype is ab.float64 and float(r) == 42.0
        u = ab.asarray([1.0, 2.0, 3.0])
        w = u[:2]
        n = np.asarray(u)
        u[0] = 9.0
        np.testing.assert_array_equal(values(u), [9.0, 2.0, 3.0])
        np.testing.assert_array_equal(values(w), [1.0, 2.0])
        np.testing.assert_array_equal(n, [1.0, 2.0, 3.0])
    # back under strict: immutable again
    with pytest.raises(TypeError):
        u[0] = 1.0
