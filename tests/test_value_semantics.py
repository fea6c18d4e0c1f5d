"""Immutability (strict) and value-semantics item assignment with copy-on-write (standard)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import arraybridge as ab


def vals(t: ab.Tensor) -> np.ndarray:
    return np.asarray(t)


def test_strict_item_assignment_raises_and_changes_nothing() -> None:
    t = ab.asarray([1.0, 2.0])
    for key in (0, slice(None), ..., (0,)):
        with pytest.raises(TypeError, match=r"immutable.*ab\.Variable"):
            t[key] = 5.0
    np.testing.assert_array_equal(vals(t), [1.0, 2.0])


def test_exported_arrays_are_read_only_or_copies() -> None:
    t = ab.asarray([1.0, 2.0, 3.0])
    for arr in (np.asarray(t), t.numpy(), t.__array__()):
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr[0] = 7.0
    c = t.__array__(copy=True)
    c[0] = 7.0
    assert float(t[0]) == 1.0


def test_asarray_does_not_alias_callers_array() -> None:
    a = np.array([1.0, 2.0])
    t = ab.asarray(a)
    a[0] = 100.0
    assert float(t[0]) == 1.0


def test_asarray_copy_false_aliases_but_writes_stay_private() -> None:
    a = np.array([1.0, 2.0])
    try:
        t = ab.asarray(a, copy=False)
    except ValueError as exc:  # a backend that cannot wrap host memory must say so
        assert "copy=False" in str(exc)
        return
    a[1] = 5.0  # the caller asked for aliasing: the tensor sees its own array's writes
    assert float(t[1]) == 5.0
    with ab.semantics("standard"):
        t[0] = 9.0  # ...but a tensor write never writes into the caller's array
    assert a[0] == 1.0 and float(t[0]) == 9.0


def test_asarray_of_a_tensor() -> None:
    x = ab.asarray([1.0, 2.0])
    assert ab.asarray(x) is x and ab.asarray(x, copy=False) is x
    assert ab.astype(x, ab.float32, copy=False) is x
    with ab.semantics("standard"):
        y = ab.asarray(x, copy=True)
        y[0] = 5.0
        assert float(x[0]) == 1.0


def test_python_data_with_copy_false_raises() -> None:
    with pytest.raises(ValueError, match="copy=False"):
        ab.asarray([1.0, 2.0], copy=False)


@pytest.mark.parametrize(
    "make_view",
    [
        lambda u: u[:2],
        lambda u: u[1:],
        lambda u: ab.reshape(u, (3, 1)),
        lambda u: ab.expand_dims(u, axis=0),
        lambda u: ab.flip(u),
        lambda u: ab.broadcast_to(u, (2, 3)),
        lambda u: ab.real(u),
    ],
)
def test_write_changes_only_the_tensor_written(make_view) -> None:  # type: ignore[no-untyped-def]
    with ab.semantics("standard"):
        u = ab.asarray([1.0, 2.0, 3.0])
        w = make_view(u)
        before = vals(w).copy()
        u[1] = 50.0
        np.testing.assert_array_equal(vals(w), before)
        np.testing.assert_array_equal(vals(u), [1.0, 50.0, 3.0])
        # and the other way round: writing the derived tensor leaves u alone
        w2 = make_view(u)
        w2[...] = -1.0
        np.testing.assert_array_equal(vals(u), [1.0, 50.0, 3.0])


def test_dlpack_export_is_snapshot() -> None:
    with ab.semantics("standard"):
        u = ab.asarray([1.0, 2.0, 3.0])
        exported = np.from_dlpack(u)
        assert not exported.flags.writeable
        u[0] = 4.0
        np.testing.assert_array_equal(exported, [1.0, 2.0, 3.0])


def test_unshared_write_is_in_place() -> None:
    """No view, snapshot or export: a write costs the slice, not a copy of the tensor."""
    if not ab.zeros(1).device.backend.writes_in_place:
        pytest.skip("this backend's writes are functional updates (no buffer to reuse)")
    with ab.semantics("standard"):
        u = ab.zeros(1000)
        buffer = u._data
        u[3] = 1.0
        assert u._data is buffer
        y = u[5] + 1.0  # an integer read gives a fresh scalar, not a view
        u[4] = float(y)
        assert u._data is buffer
        w = u[:10]  # a view: the next write must copy first, once
        u[0] = 2.0
        assert u._data is not buffer
        again = u._data
        u[1] = 2.0
        assert u._data is again
        assert float(w[0]) == 0.0


def test_setitem_dtype_rules() -> None:
    with ab.semantics("standard"):
        x = ab.asarray([1.0, 2.0])
        x[0] = 3  # a Python int is weak
        with pytest.raises(ab.DTypeError):
            x[0] = 1j
        with pytest.raises(ab.DTypeError):
            x[0] = True
        with pytest.raises(ab.DTypeError, match="astype"):
            x[0] = ab.asarray(1.0, dtype=ab.float64)  # would change x's dtype
        x64 = ab.asarray([1.0, 2.0], dtype=ab.float64)
        x64[0] = ab.asarray(7.0)  # float32 promotes into float64
        assert float(x64[0]) == 7.0
        i8 = ab.asarray([1, 2], dtype=ab.int8)
        with pytest.raises(ab.DTypeError, match="does not fit"):
            i8[0] = 300
        np.testing.assert_array_equal(vals(x), [3.0, 2.0])


def test_setitem_failures_leave_tensor_unchanged() -> None:
    with ab.semantics("standard"):
        x = ab.asarray([[1.0, 2.0], [3.0, 4.0]])
        w = x[0]  # shared: a failing write must not swap buffers either
        with pytest.raises(IndexError):
            x[5] = 1.0
        with pytest.raises(ValueError):
            x[0] = [1.0, 2.0, 3.0]
        with pytest.raises(IndexError):
            x[[0, 7]] = 0.0
        np.testing.assert_array_equal(vals(x), [[1.0, 2.0], [3.0, 4.0]])
        np.testing.assert_array_equal(vals(w), [1.0, 2.0])


def test_setitem_index_forms() -> None:
    with ab.semantics("standard"):
        x = ab.zeros((3, 4))
        x[0] = 1.0
        x[:, 1] = [5.0, 6.0, 7.0]
        x[..., 3] = 2.0
        x[ab.asarray([False, True, False])] = -1.0
        x[ab.asarray([2]), ab.asarray([0])] = 9.0
        expected = np.zeros((3, 4), dtype=np.float32)
        expected[0] = 1.0
        expected[:, 1] = [5.0, 6.0, 7.0]
        expected[..., 3] = 2.0
        expected[np.array([False, True, False])] = -1.0
        expected[np.array([2]), np.array([0])] = 9.0
        np.testing.assert_array_equal(vals(x), expected)


def test_inplace_operators() -> None:
    x = ab.asarray([1.0, 2.0])
    y = x
    x += 1  # strict: rebinds, y unchanged
    assert y is not x and float(y[0]) == 1.0
    with ab.semantics("standard"):
        a = ab.asarray([1.0, 2.0])
        alias = a
        view = a[:1]
        a += 1
        assert alias is a
        np.testing.assert_array_equal(vals(a), [2.0, 3.0])
        np.testing.assert_array_equal(vals(view), [1.0])
        i = ab.asarray([1, 2])
        with pytest.raises(ab.DTypeError, match="floating-point"):
            i /= 2  # int tensors have no true division
        f = ab.asarray([1.0, 2.0])
        with pytest.raises(ab.DTypeError, match="cannot be stored in a float32"):
            f += ab.asarray([1.0, 2.0], dtype=ab.float64)
        np.testing.assert_array_equal(vals(f), [1.0, 2.0])
        b = ab.asarray([1.0, 2.0])
        with pytest.raises(ValueError, match="shape"):
            b += ab.ones((2, 2))


@given(
    st.lists(st.floats(-100, 100, width=32), min_size=1, max_size=8),
    st.data(),
)
def test_value_semantics_property(xs: list[float], data: st.DataObject) -> None:
    """Whatever slice is read or exported first, a write changes only the tensor written."""
    n = len(xs)
    start = data.draw(st.integers(0, n - 1))
    stop = data.draw(st.integers(start, n))
    i = data.draw(st.integers(-n, n - 1))
    with ab.semantics("standard"):
        u = ab.asarray(xs)
        ref = np.asarray(xs, dtype=np.float32)
        view = u[start:stop]
        exported = np.asarray(u)
        u[i] = 1234.0
        ref_after = ref.copy()
        ref_after[i] = 1234.0
        np.testing.assert_array_equal(vals(u), ref_after)
        np.testing.assert_array_equal(vals(view), ref[start:stop])
        np.testing.assert_array_equal(exported, ref)
