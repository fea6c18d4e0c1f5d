"""The Tensor object: attributes, operators, conversions, protocols, repr."""

from __future__ import annotations

import operator
import pickle

import numpy as np
import pytest

import arraybridge as ab


def vals(t: ab.Tensor) -> np.ndarray:
    return np.asarray(t)


def test_cannot_be_constructed_directly() -> None:
    with pytest.raises(TypeError, match=r"ab\.asarray"):
        ab.Tensor([1, 2])


def test_attributes() -> None:
    t = ab.reshape(ab.arange(24, dtype=ab.float64), (2, 3, 4))
    assert t.shape == (2, 3, 4) and t.ndim == 3 and t.size == 24
    assert t.dtype is ab.float64 and isinstance(t.device, ab.Device)
    assert t.mT.shape == (2, 4, 3)
    np.testing.assert_array_equal(vals(t.mT), np.swapaxes(vals(t), -1, -2))
    m = ab.reshape(ab.arange(6), (2, 3))
    np.testing.assert_array_equal(vals(m.T), vals(m).T)
    with pytest.raises(ValueError, match="2-D"):
        _ = t.T
    with pytest.raises(ValueError):
        _ = ab.asarray([1.0]).mT
    assert ab.asarray(1.0).shape == ()


BINARY = [
    (operator.add, np.add),
    (operator.sub, np.subtract),
    (operator.mul, np.multiply),
    (operator.truediv, np.divide),
    (operator.floordiv, np.floor_divide),
    (operator.mod, np.remainder),
    (operator.pow, np.power),
    (operator.lt, np.less),
    (operator.le, np.less_equal),
    (operator.gt, np.greater),
    (operator.ge, np.greater_equal),
    (operator.eq, np.equal),
    (operator.ne, np.not_equal),
]


@pytest.mark.parametrize(("op", "ref"), BINARY)
def test_arithmetic_and_comparison_operators(op, ref) -> None:  # type: ignore[no-untyped-def]
    x = ab.asarray([1.5, -2.0, 3.0], dtype=ab.float64)
    y = ab.asarray([2.0, 4.0, -1.0], dtype=ab.float64)
    nx, ny = vals(x), vals(y)
    np.testing.assert_allclose(vals(op(x, y)), ref(nx, ny))
    np.testing.assert_allclose(vals(op(x, 2)), ref(nx, 2.0))  # forward with a scalar
    np.testing.assert_allclose(vals(op(2, x)), ref(2.0, nx))  # reflected
    np.testing.assert_allclose(vals(op(nx, y)), ref(nx, ny))  # ndarray on the left defers


@pytest.mark.parametrize(
    ("op", "ref"),
    [
        (operator.and_, np.bitwise_and),
        (operator.or_, np.bitwise_or),
        (operator.xor, np.bitwise_xor),
        (operator.lshift, np.left_shift),
        (operator.rshift, np.right_shift),
    ],
)
def test_bitwise_operators(op, ref) -> None:  # type: ignore[no-untyped-def]
    x, y = ab.asarray([1, 6, 12]), ab.asarray([3, 1, 2])
    np.testing.assert_array_equal(vals(op(x, y)), ref(vals(x), vals(y)))
    np.testing.assert_array_equal(vals(op(5, y)), ref(5, vals(y)))


def test_unary_operators() -> None:
    x = ab.asarray([1.0, -2.0])
    np.testing.assert_array_equal(vals(-x), [-1.0, 2.0])
    np.testing.assert_array_equal(vals(+x), [1.0, -2.0])
    np.testing.assert_array_equal(vals(abs(x)), [1.0, 2.0])
    np.testing.assert_array_equal(vals(~ab.asarray([True, False])), [False, True])
    np.testing.assert_array_equal(vals(~ab.asarray([0, 1], dtype=ab.int8)), [-1, -2])
    with pytest.raises(ab.DTypeError):
        _ = ~x


def test_matmul_operator() -> None:
    a = ab.reshape(ab.arange(6.0), (2, 3))
    np.testing.assert_array_equal(vals(a @ a.mT), vals(a) @ vals(a).T)
    np.testing.assert_array_equal(vals(vals(a) @ a.mT), vals(a) @ vals(a).T)
    with pytest.raises(TypeError):
        a @ 2
    with pytest.raises(ValueError, match="do not align"):
        a @ a


def test_equality_with_unrelated_objects() -> None:
    t = ab.asarray([1.0])
    assert (t == None) is False  # noqa: E711
    assert (t != "a") is True
    with pytest.raises(TypeError):
        t + "a"
    with pytest.raises(TypeError):
        t + None


def test_python_scalar_conversions() -> None:
    assert bool(ab.asarray(True)) is True
    assert int(ab.asarray(7)) == 7 and int(ab.asarray(-2.7)) == -2
    assert float(ab.asarray(2.5)) == 2.5
    assert complex(ab.asarray(1 + 2j)) == 1 + 2j
    assert [10, 20, 30][ab.asarray(1)] == 20
    with pytest.raises(TypeError):
        [1, 2][ab.asarray(1.0)]
    with pytest.raises(TypeError):
        float(ab.asarray(1j))
    with pytest.raises(ValueError, match="0-d"):
        bool(ab.asarray([1.0, 2.0]))
    with pytest.raises(ValueError):
        int(ab.asarray(float("nan")))
    with pytest.raises(OverflowError):
        int(ab.asarray(float("inf")))


def test_getitem_forms_match_numpy() -> None:
    n = np.arange(24, dtype=np.int64).reshape(2, 3, 4)
    t = ab.asarray(n)
    keys = [
        0,
        -1,
        (1, 2),
        (slice(None), 1),
        (..., 0),
        (None, 0),
        (0, ..., None),
        slice(None, None, -1),
        (slice(0, 2), slice(None, None, 2)),
        ab.asarray([True, False]),
        (0, ab.asarray([2, 0])),
        [1, 0],
        (ab.asarray([0, 1]), ab.asarray([2, 0])),
        np.int64(1),
    ]
    for key in keys:
        nk = (
            tuple(np.asarray(k) if isinstance(k, ab.Tensor) else k for k in key)
            if isinstance(key, tuple)
            else (np.asarray(key) if isinstance(key, ab.Tensor) else key)
        )
        r = t[key]
        assert isinstance(r, ab.Tensor) and r.dtype is ab.int64
        np.testing.assert_array_equal(vals(r), n[nk])


def test_getitem_errors() -> None:
    t = ab.zeros((2, 3))
    with pytest.raises(IndexError, match="out of bounds"):
        t[2]
    with pytest.raises(IndexError):
        t[0, 0, 0]
    with pytest.raises(IndexError):
        t[1.0]  # type: ignore[index]
    with pytest.raises(IndexError):
        t[ab.asarray([0.5])]
    with pytest.raises(IndexError):
        t["a"]  # type: ignore[index]


def test_array_namespace() -> None:
    import array_api_compat

    t = ab.asarray([1.0])
    assert t.__array_namespace__() is ab
    assert t.__array_namespace__(api_version="2025.12") is ab
    with pytest.raises(ValueError, match="api_version"):
        t.__array_namespace__(api_version="1999.01")
    assert array_api_compat.array_namespace(t) is ab
    assert array_api_compat.array_namespace(t, ab.asarray(2)) is ab


def test_dlpack_both_ways() -> None:
    t = ab.asarray([1.0, 2.0], dtype=ab.float64)
    assert t.__dlpack_device__() == (1, 0)
    n = np.from_dlpack(t)
    np.testing.assert_array_equal(n, [1.0, 2.0])
    assert not n.flags.writeable
    legacy = np.from_dlpack(np.asarray(t))  # a read-only ndarray's own export still works
    assert legacy.dtype == np.float64
    back = ab.from_dlpack(np.array([3.0, 4.0], dtype=np.float32))
    assert back.dtype is ab.float32
    np.testing.assert_array_equal(vals(back), [3.0, 4.0])
    # the legacy protocol (no max_version) gets a copy, never our buffer
    cap = t.__dlpack__()
    assert type(cap).__name__ == "PyCapsule"
    with pytest.raises(BufferError):
        t.__dlpack__(copy=False)
    with pytest.raises(TypeError):
        ab.from_dlpack([1, 2])


def test_numpy_functions_accept_tensors() -> None:
    t = ab.asarray([[1.0, 2.0], [3.0, 4.0]])
    assert type(np.sum(t)) is np.float32
    assert isinstance(np.concatenate([t, t]), np.ndarray)
    assert np.asarray(t, dtype=np.float64).dtype == np.float64


def test_repr_and_str() -> None:
    t = ab.asarray([[1.0, 2.0], [3.0, 4.0]])
    r = repr(t)
    assert "shape=(2, 2)" in r and "dtype=float32" in r and f"device={t.device}" in r
    assert "[[1., 2.]," in r and "[3., 4.]]" in r
    assert str(ab.asarray(5)) == "5"


def test_len_iter_hash_pickle() -> None:
    t = ab.asarray([1.0, 2.0, 3.0])
    assert len(t) == 3
    assert [float(v) for v in t] == [1.0, 2.0, 3.0]
    with pytest.raises(TypeError):
        hash(t)
    u = pickle.loads(pickle.dumps(t))
    assert u.dtype is ab.float32 and u.device == t.device
    np.testing.assert_array_equal(vals(u), vals(t))
    assert pickle.loads(pickle.dumps(ab.float64)) is ab.float64


@pytest.mark.parametrize(
    "call",
    [lambda a, b: a + b, ab.add, ab.multiply, lambda a, b: a < b, ab.atan2],
    ids=["+", "add", "multiply", "<", "atan2"],
)
def test_shapes_that_do_not_broadcast_are_a_value_error(call) -> None:  # type: ignore[no-untyped-def]
    """The same error on every backend (JAX's own is a TypeError), naming the function."""
    a, b = ab.asarray([1.0, 2.0]), ab.asarray([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(1, 3\) do not broadcast"):
        call(a, b)
    with ab.semantics("standard"), pytest.raises(ValueError, match="do not broadcast"):
        call(a, ab.astype(b, ab.float64))  # the promoting path
