"""ab.Variable: TensorFlow's API, snapshots, copy-on-write, threads, errors (every backend)."""

from __future__ import annotations

import copy
import math
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arraybridge as ab
from arraybridge._variable import VariableSlice, _others


def vals(t: Any) -> np.ndarray:
    return np.asarray(t)


def in_place() -> bool:
    return bool(ab.asarray(0.0).device.backend.writes_in_place)


# -- the seed ---------------------------------------------------------------------------------


def test_the_issues_sequence_exactly() -> None:
    v = ab.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert v.dtype is ab.float32
    assert v.assign(2 * v) is v
    np.testing.assert_array_equal(vals(v), np.array([[2, 4, 6], [8, 10, 12]], np.float32))
    assert v[0, 1].assign(42) is v
    np.testing.assert_array_equal(vals(v), np.array([[2, 42, 6], [8, 10, 12]], np.float32))
    assert v[:, 2].assign([0.0, 1.0]) is v
    np.testing.assert_array_equal(vals(v), np.array([[2, 42, 0], [8, 10, 1]], np.float32))
    assert v.scatter_nd_update(indices=[[0, 0], [1, 2]], updates=[100.0, 200.0]) is v
    expected = np.array([[100, 42, 0], [8, 10, 200]], np.float32)
    np.testing.assert_array_equal(vals(v), expected)
    assert v.dtype is ab.float32 and vals(v).dtype == np.float32
    with pytest.raises(TypeError, match=r"v\[1\]\.assign\("):
        v[1] = [7.0, 8.0, 9.0]
    np.testing.assert_array_equal(vals(v), expected)


def test_the_seed_notes_line_by_line() -> None:
    # /work/shared/seed: "Variables", In [40] to In [46], in arraybridge's spelling
    variable = ab.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    r = repr(variable)
    assert r.startswith("<Variable 'Variable' shape=(2, 3) dtype=float32")
    assert "[[1., 2., 3.]," in r and "[4., 5., 6.]]" in r
    out = variable.assign(2 * variable)
    assert out is variable and "[ 8., 10., 12.]]" in repr(out)
    out = variable[0, 1].assign(42)
    np.testing.assert_array_equal(vals(out), [[2, 42, 6], [8, 10, 12]])
    out = variable[:, 2].assign([0.0, 1.0])
    np.testing.assert_array_equal(vals(out), [[2, 42, 0], [8, 10, 1]])
    out = variable.scatter_nd_update(indices=[[0, 0], [1, 2]], updates=[100.0, 200.0])
    np.testing.assert_array_equal(vals(out), [[100, 42, 0], [8, 10, 200]])
    with pytest.raises(TypeError, match="does not support item assignment"):
        variable[1] = [7.0, 8.0, 9.0]
    # the notes' prose: assign_add / assign_sub, scatter_update, same operations as tensors
    variable.assign_add(1).assign_sub(ab.ones((2, 3)))
    np.testing.assert_array_equal(vals(variable), [[100, 42, 0], [8, 10, 200]])
    variable.scatter_update(1, [7.0, 8.0, 9.0])
    np.testing.assert_array_equal(vals(variable), [[100, 42, 0], [7, 8, 9]])
    assert isinstance(ab.sum(variable), ab.Tensor) and float(ab.sum(variable)) == 166.0
    np.testing.assert_array_equal(np.square(variable), np.square(vals(variable)))


# -- construction -------------------------------------------------------------------------------


def test_construction_dtypes_follow_asarray() -> None:
    assert ab.Variable(1.0).dtype is ab.float32
    assert ab.Variable([1, 2]).dtype is ab.int64
    assert ab.Variable(True).dtype is ab.bool
    assert ab.Variable(1 + 2j).dtype is ab.complex64
    assert ab.Variable([1, 2], dtype=ab.float64).dtype is ab.float64
    assert ab.Variable([1.5], dtype="float64").dtype is ab.float64
    assert ab.Variable(np.array([1.0, 2.0])).dtype is ab.float64
    v = ab.Variable(np.array([1, 2]), dtype=ab.float32)  # arrays convert, as in asarray
    assert v.dtype is ab.float32
    np.testing.assert_array_equal(vals(v), [1.0, 2.0])
    with pytest.raises(ab.DTypeError):
        ab.Variable([1.5], dtype=ab.int32)


def test_a_tensor_of_another_dtype_is_refused_as_in_tensorflow() -> None:
    t = ab.asarray([1, 2], dtype=ab.int32)
    for sem in ("strict", "standard"):
        with ab.semantics(sem), pytest.raises(ab.DTypeError, match=r"ab\.astype"):
            ab.Variable(t, dtype=ab.float32)
    assert ab.Variable(t, dtype=ab.int32).dtype is ab.int32


def test_initial_value_is_copied() -> None:
    a = np.array([1.0, 2.0])
    v = ab.Variable(a)
    a[0] = 100.0
    assert vals(v)[0] == 1.0
    t = ab.asarray([1.0, 2.0])
    w = ab.Variable(t)
    w.assign([5.0, 6.0])
    np.testing.assert_array_equal(vals(t), [1.0, 2.0])
    u = ab.Variable(w)  # from a variable: its own copy
    w.assign([0.0, 0.0])
    np.testing.assert_array_equal(vals(u), [5.0, 6.0])


def test_callable_initial_value_and_attributes() -> None:
    v = ab.Variable(lambda: ab.zeros((2, 3)), trainable=False, name="w")
    assert v.shape == (2, 3) and v.ndim == 2 and v.size == 6 and len(v) == 2
    assert v.dtype is ab.float32 and v.name == "w" and v.trainable is False
    assert v.device == ab.asarray(0.0).device
    d = ab.Variable(1.0)
    assert d.name == "Variable" and d.trainable is True
    assert ab.Variable(2.0).name == "Variable"  # names need not be unique (TF eager)
    with pytest.raises(TypeError, match="trainable"):
        ab.Variable(1.0, trainable=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="name"):
        ab.Variable(1.0, name=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ab.Variable("abc")
    with pytest.raises(AttributeError):
        v.name = "x"  # type: ignore[misc]


def test_variable_is_a_tensor_everywhere() -> None:
    v = ab.Variable([[1.0, 2.0], [3.0, 4.0]])
    a = vals(v)
    assert isinstance(v, ab.Tensor)
    assert v.__array_namespace__() is ab
    for r, e in [
        (v + 1, a + 1),
        (1 - v, 1 - a),
        (v * v, a * a),
        (v @ v, a @ a),
        (-v, -a),
        (v.T, a.T),
        (v.mT, a.T),
        (ab.exp(v), np.exp(a)),
        (ab.sum(v, axis=0), a.sum(axis=0)),
        (ab.concat([v, v]), np.concatenate([a, a])),
        (ab.where(v > 2, v, 0.0), np.where(a > 2, a, 0)),
        (ab.reshape(v, (4,)), a.reshape(4)),
        (v[1], a[1]),
        (v[:, 0], a[:, 0]),
    ]:
        assert type(r) is ab.Tensor or isinstance(r, VariableSlice)
        np.testing.assert_allclose(vals(r), e, rtol=1e-6)
    assert type(v == v) is ab.Tensor and bool(ab.all(v == v))
    assert [float(x[0]) for x in v] == [1.0, 3.0]
    assert float(ab.Variable(2.5)) == 2.5 and int(ab.Variable(3)) == 3 and bool(ab.Variable(True))
    n = v.numpy()
    assert not n.flags.writeable
    np.testing.assert_array_equal(n, a)
    assert "1., 2." in str(v)


def test_augmented_assignment_raises_like_tensorflow() -> None:
    v = ab.Variable([1.0, 2.0])
    for sem in ("strict", "standard"):
        with ab.semantics(sem):
            with pytest.raises(TypeError, match=r"v\.assign_add\(value\)"):
                v += 1
            with pytest.raises(TypeError, match=r"assign_sub"):
                v -= 1
            with pytest.raises(TypeError, match=r"v \* value"):
                v *= 2
    np.testing.assert_array_equal(vals(v), [1.0, 2.0])


def test_unhashable_but_ref_is() -> None:
    v, w = ab.Variable(1.0), ab.Variable(1.0)
    with pytest.raises(TypeError, match=r"v\.ref\(\)"):
        hash(v)
    with pytest.raises(TypeError):
        {v: 1}  # noqa: B018
    d = {v.ref(): "v", w.ref(): "w"}
    assert d[v.ref()] == "v" and d[w.ref()] == "w"
    assert v.ref() == v.ref() and v.ref() != w.ref() and v.ref().deref() is v
    assert "Variable" in repr(v.ref())


def test_repr_names_the_variable() -> None:
    v = ab.Variable([1, 2], name="counter")
    assert repr(v).startswith("<Variable 'counter' shape=(2,) dtype=int64 device=")
    assert repr(v).endswith("values=[1, 2]>")


def test_pickle_and_copy_make_an_independent_variable() -> None:
    v = ab.Variable([1.0, 2.0], trainable=False, name="p")
    for w in (pickle.loads(pickle.dumps(v)), copy.copy(v), copy.deepcopy(v)):
        assert type(w) is ab.Variable and w is not v
        assert w.name == "p" and w.trainable is False and w.dtype is ab.float32
        assert w.device == v.device
        w.assign([5.0, 5.0])
        np.testing.assert_array_equal(vals(v), [1.0, 2.0])


def test_to_device_gives_a_snapshot_tensor() -> None:
    v = ab.Variable([1.0, 2.0])
    t = v.to_device(v.device)
    assert type(t) is ab.Tensor
    v.assign([3.0, 4.0])
    np.testing.assert_array_equal(vals(t), [1.0, 2.0])


# -- snapshots and copy-on-write ---------------------------------------------------------------


def _write_ops() -> list[tuple[str, Callable[[ab.Variable], Any], Callable[[np.ndarray], None]]]:
    """(name, write on a (3, 2) float64 variable, the same write on a NumPy array)."""

    def np_scatter(a: np.ndarray, idx: list[int], upd: Any, op: Any) -> None:
        for i, u in zip(idx, np.broadcast_to(upd, (len(idx), 2)), strict=True):
            a[i] = u if op is None else op(a[i], u)

    return [
        ("assign", lambda v: v.assign([[1.0, 2.0]]), lambda a: a.__setitem__(..., [1.0, 2.0])),
        ("assign_add", lambda v: v.assign_add(1.5), lambda a: a.__iadd__(1.5)),
        ("assign_sub", lambda v: v.assign_sub([1.0, 2.0]), lambda a: a.__isub__([1.0, 2.0])),
        ("slice.assign", lambda v: v[1:, 0].assign(9.0),
         lambda a: a.__setitem__((slice(1, None), 0), 9)),
        ("slice.assign_add", lambda v: v[0].assign_add([1.0, 1.0]), lambda a: a[0].__iadd__(1)),
        ("slice.assign_sub", lambda v: v[..., 1].assign_sub(2.0), lambda a: a[..., 1].__isub__(2)),
        ("scatter_update", lambda v: v.scatter_update([2, 0], [[7.0, 7.0], [8.0, 8.0]]),
         lambda a: np_scatter(a, [2, 0], [[7.0, 7.0], [8.0, 8.0]], None)),
        ("scatter_add", lambda v: v.scatter_add([1, 1], 1.0),
         lambda a: np_scatter(a, [1, 1], 1.0, np.add)),
        ("scatter_sub", lambda v: v.scatter_sub(0, [1.0, 2.0]),
         lambda a: np_scatter(a, [0], [1.0, 2.0], np.subtract)),
        ("scatter_mul", lambda v: v.scatter_mul([0, 2], 3.0),
         lambda a: np_scatter(a, [0, 2], 3.0, np.multiply)),
        ("scatter_div", lambda v: v.scatter_div([2], 4.0),
         lambda a: np_scatter(a, [2], 4.0, np.divide)),
        ("scatter_min", lambda v: v.scatter_min([0, 1], 2.5),
         lambda a: np_scatter(a, [0, 1], 2.5, np.minimum)),
        ("scatter_max", lambda v: v.scatter_max([0, 1], 2.5),
         lambda a: np_scatter(a, [0, 1], 2.5, np.maximum)),
        ("scatter_nd_update", lambda v: v.scatter_nd_update([[0, 1], [2, 0]], [5.0, 6.0]),
         lambda a: (a.__setitem__((0, 1), 5), a.__setitem__((2, 0), 6))),
        ("scatter_nd_add", lambda v: v.scatter_nd_add([[1]], [[1.0, 2.0]]),
         lambda a: a[1].__iadd__([1, 2])),
        ("scatter_nd_sub", lambda v: v.scatter_nd_sub([[1, 1], [1, 1]], [1.0, 1.0]),
         lambda a: a[1].__setitem__(1, a[1, 1] - 2)),
    ]  # fmt: skip


WRITES = _write_ops()


@pytest.mark.parametrize("name, write, np_write", WRITES, ids=[w[0] for w in WRITES])
def test_snapshots_never_change(name: str, write: Any, np_write: Any) -> None:
    start = np.arange(6.0).reshape(3, 2)
    v = ab.Variable(start)
    snaps = {
        "value": v.value(),
        "read_value": v.read_value(),
        "getitem": v[:],
        "view op": ab.reshape(v, (6,)),
        "expand_dims": ab.expand_dims(v, axis=0),
        "operand": v + 0,
        "np.asarray": np.asarray(v),
        "numpy": v.numpy(),
        "dlpack": np.from_dlpack(v),
    }
    assert type(snaps["value"]) is ab.Tensor and type(snaps["read_value"]) is ab.Tensor
    assert write(v) is v
    expected = start.copy()
    np_write(expected)
    np.testing.assert_array_equal(vals(v), expected)
    for what, s in snaps.items():
        np.testing.assert_array_equal(vals(s).reshape(3, 2), start, err_msg=what)


@pytest.mark.parametrize("name, write, np_write", WRITES, ids=[w[0] for w in WRITES])
def test_writes_without_snapshots(name: str, write: Any, np_write: Any) -> None:
    start = np.arange(6.0).reshape(3, 2)
    v = ab.Variable(start)
    write(v)
    expected = start.copy()
    np_write(expected)
    np.testing.assert_array_equal(vals(v), expected)
    assert v.dtype is ab.float64


def test_refcount_baseline_is_exact() -> None:
    if not in_place():
        pytest.skip("copy-on-write is for backends that write in place")
    v = ab.Variable(np.arange(6.0).reshape(2, 3))
    assert _others(v) == 0
    s = v.value()
    assert _others(v) == 1
    r = ab.reshape(v, (6,))
    n = np.asarray(v)
    assert _others(v) == 3
    del s, r, n
    assert _others(v) == 0
    p = v[0]  # a slice snapshot views the buffer (no copy), so it holds it
    assert _others(v) == 1
    v[0, 0].assign(7.0)  # ...and the write copies first: the snapshot keeps its values
    assert float(p[0]) == 0.0 and float(v[0, 0]) == 7.0
    del p
    v + 1  # an operand holds the buffer only while the op runs
    assert _others(v) == 0
    v[0, 1].assign(8.0)  # a temporary slice lets go of its view: in place, nothing copied
    assert _others(v) == 0


def test_slice_write_without_snapshot_is_in_place() -> None:
    if not in_place():
        pytest.skip("only backends that write in place keep the buffer")
    v = ab.Variable(np.zeros(1000))
    buf = id(v._buf)
    v[10:20].assign(ab.ones(10, dtype=ab.float64))
    v[3].assign(2.0)
    v[[1, 2]].assign(5.0)
    v.scatter_update([4, 4], [6.0, 7.0])
    v.scatter_nd_add([[5]], [1.0])
    v.assign(3.0)
    assert id(v._buf) == buf  # nobody held it: every write went in place
    assert float(v[4]) == 3.0 and float(ab.sum(v)) == 3000.0


def test_write_with_a_live_snapshot_copies_once_then_goes_in_place_again() -> None:
    v = ab.Variable(np.zeros(100))
    s = v.value()
    n = v.numpy()
    before = v._buf
    v[0].assign(1.0)
    assert float(ab.sum(s)) == 0.0 and n[0] == 0.0
    if in_place():
        after = id(v._buf)  # (an id: a reference here would hold the buffer)
        assert v._buf is not before  # copied: the snapshot kept the old buffer
        del before
        v[1].assign(1.0)  # the new buffer is the variable's alone: in place
        assert id(v._buf) == after
    else:
        v[1].assign(1.0)
    assert float(ab.sum(v)) == 2.0 and float(ab.sum(s)) == 0.0


def test_standard_semantics_writes_to_snapshots_stay_private() -> None:
    v = ab.Variable([1.0, 2.0, 3.0])
    with ab.semantics("standard"):
        s = v.value()
        s[0] = 99.0
        r = ab.reshape(v, (3,))
        r[1] = 99.0
        p = v[0:2]
        p[0] = 99.0
        assert float(s[0]) == 99.0 and float(r[1]) == 99.0 and float(p[0]) == 99.0
        with pytest.raises(TypeError, match="assign"):
            v[0] = 5.0
    np.testing.assert_array_equal(vals(v), [1.0, 2.0, 3.0])


def test_variable_slice_is_a_snapshot_with_assign() -> None:
    v = ab.Variable([[1.0, 2.0], [3.0, 4.0]])
    row = v[0]
    assert isinstance(row, ab.Tensor) and not isinstance(row, ab.Variable)
    assert type(row[1]) is ab.Tensor and not hasattr(row[1], "assign")
    assert row.assign([5.0, 6.0]) is v
    np.testing.assert_array_equal(vals(row), [1.0, 2.0])  # read before the write
    np.testing.assert_array_equal(vals(v), [[5.0, 6.0], [3.0, 4.0]])
    assert row.assign_add(1.0) is v and row.assign_sub([1.0, 0.0]) is v
    np.testing.assert_array_equal(vals(v), [[5.0, 7.0], [3.0, 4.0]])
    np.testing.assert_array_equal(vals(row + 1), [2.0, 3.0])


# -- index forms (hypothesis, NumPy as the oracle) ----------------------------------------------


@st.composite
def index_cases(draw: st.DrawFn) -> tuple[tuple[int, ...], Any, Any, bool]:
    """(shape, ab key, NumPy key, has integer arrays)."""
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    if draw(st.booleans()) and draw(st.booleans()):  # a boolean mask over leading axes
        k = draw(st.integers(1, len(shape)))
        mask = np.array(
            draw(st.lists(st.booleans(), min_size=math.prod(shape[:k]),
                          max_size=math.prod(shape[:k])))
        ).reshape(shape[:k])  # fmt: skip
        rest = tuple(slice(None) for _ in shape[k:])
        ab_key = (ab.asarray(mask), *rest) if rest else ab.asarray(mask)
        return shape, ab_key, (mask, *rest) if rest else mask, False
    length = draw(st.integers(1, 4))
    ab_parts: list[Any] = []
    np_parts: list[Any] = []
    arrays = False
    for n in shape:
        kind = draw(st.sampled_from(["int", "slice", "array", "full"]))
        if kind == "int":
            i = draw(st.integers(-n, n - 1))
            ab_parts.append(i)
            np_parts.append(i)
        elif kind == "slice":
            s = slice(
                draw(st.none() | st.integers(-n, n)),
                draw(st.none() | st.integers(-n, n)),
                draw(st.none() | st.sampled_from([1, 2, -1])),
            )
            ab_parts.append(s)
            np_parts.append(s)
        elif kind == "array":
            idx = draw(st.lists(st.integers(-n, n - 1), min_size=length, max_size=length))
            ab_parts.append(idx if draw(st.booleans()) else ab.asarray(idx, dtype=ab.int32))
            np_parts.append(np.array(idx))
            arrays = True
        else:
            ab_parts.append(slice(None))
            np_parts.append(slice(None))
    if draw(st.booleans()):  # newaxis somewhere
        at = draw(st.integers(0, len(ab_parts)))
        ab_parts.insert(at, None)
        np_parts.insert(at, None)
    if draw(st.booleans()) and type(np_parts[-1]) is slice and np_parts[-1] == slice(None):
        ab_parts[-1] = ...
        np_parts[-1] = ...
    return shape, tuple(ab_parts), tuple(np_parts), arrays


def _oracle(a: np.ndarray, np_key: Any, value: np.ndarray, op: Any) -> np.ndarray:
    """``a[key] = value`` (op None: the last occurrence wins) or ``a[key] op= value``
    (every occurrence applies, in index order), one element at a time."""
    out = a.copy().reshape(-1)
    positions = np.arange(a.size).reshape(a.shape)[np_key]
    for p, u in zip(positions.reshape(-1), np.broadcast_to(value, positions.shape).reshape(-1),
                    strict=True):  # fmt: skip
        out[p] = u if op is None else op(out[p], u)
    return out.reshape(a.shape)


@settings(max_examples=15)
@given(case=index_cases(), data=st.data())
def test_slice_writes_every_index_form(case: Any, data: st.DataObject) -> None:
    shape, ab_key, np_key, _arrays = case
    start = np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
    sel = start[np_key].shape
    vshape = sel[data.draw(st.integers(0, len(sel)), label="drop") :]
    vshape = tuple(1 if data.draw(st.booleans(), label="one") else d for d in vshape)
    value = np.asarray(
        data.draw(st.lists(st.integers(-50, 50), min_size=math.prod(vshape),
                           max_size=math.prod(vshape)), label="value"), dtype=np.float64
    ).reshape(vshape)  # fmt: skip
    op_name = data.draw(st.sampled_from(["assign", "assign_add", "assign_sub"]), label="op")
    v = ab.Variable(start)
    snap = v.value()
    part = v[ab_key]
    np.testing.assert_array_equal(vals(part), start[np_key])
    assert getattr(part, op_name)(ab.asarray(value)) is v
    op = {"assign": None, "assign_add": np.add, "assign_sub": np.subtract}[op_name]
    np.testing.assert_array_equal(vals(v), _oracle(start, np_key, value, op))
    np.testing.assert_array_equal(vals(snap), start)
    np.testing.assert_array_equal(vals(part), start[np_key])


def test_repeated_integer_indices_follow_one_rule() -> None:
    v = ab.Variable([0.0, 0.0, 0.0])
    v[[0, 0, 2, 0]].assign([1.0, 2.0, 3.0, 4.0])  # the last occurrence wins
    np.testing.assert_array_equal(vals(v), [4.0, 0.0, 3.0])
    v[[1, 1, 1]].assign_add(1.0)  # adds accumulate
    np.testing.assert_array_equal(vals(v), [4.0, 3.0, 3.0])
    v[[2, 2]].assign_sub([1.0, 0.5])
    np.testing.assert_array_equal(vals(v), [4.0, 3.0, 1.5])
    m = ab.Variable(np.zeros((2, 2)))
    m[[0, 0], [1, 1]].assign([5.0, 6.0])
    m[ab.asarray([1, 1]), :].assign_add([[1.0, 2.0], [10.0, 20.0]])
    np.testing.assert_array_equal(vals(m), [[0.0, 6.0], [11.0, 22.0]])


def test_zero_d_and_empty_variables() -> None:
    s = ab.Variable(1.0)
    s.assign(2.0).assign_add(1).assign_sub(0.5)
    assert float(s) == 2.5
    s[()].assign(4.0)
    s[...].assign_add(1.0)
    assert float(s) == 5.0 and s.shape == ()
    with pytest.raises(ValueError, match="at least one axis"):
        s.scatter_update(0, 1.0)
    e = ab.Variable(np.zeros((0, 3)))
    e.assign(1.0).assign_add(1.0)
    e[[]].assign(5.0)
    e.scatter_add([], np.zeros((0, 3)))
    e.scatter_nd_update(np.zeros((0, 2), dtype=np.int64), [])
    assert e.shape == (0, 3)
    v = ab.Variable([1.0, 2.0])
    v.scatter_update([], [])
    v[ab.asarray([False, False])].assign(7.0)
    np.testing.assert_array_equal(vals(v), [1.0, 2.0])


# -- scatter ----------------------------------------------------------------------------------

_NP_OPS: dict[str, Any] = {
    "update": None,
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.divide,
    "min": np.minimum,
    "max": np.maximum,
}


@pytest.mark.parametrize("op", list(_NP_OPS))
@pytest.mark.parametrize("dtype", ["float64", "int32"])
def test_scatter_along_axis_0_with_duplicates(op: str, dtype: str) -> None:
    if op == "div" and dtype == "int32":
        pytest.skip("scatter_div needs a floating-point variable (tested below)")
    rng = np.random.default_rng(abs(hash((op, dtype))) % 2**32)
    start = rng.integers(1, 9, size=(5, 3)).astype(dtype)
    idx = np.array([3, 0, 3, 3, 1, 0])
    upd = rng.integers(1, 5, size=(6, 3)).astype(dtype)
    v = ab.Variable(start)
    assert getattr(v, f"scatter_{op}")(ab.asarray(idx), ab.asarray(upd)) is v
    expected = start.copy()
    fn = _NP_OPS[op]
    for i, u in zip(idx, upd, strict=True):
        expected[i] = u if fn is None else fn(expected[i], u)
    assert vals(v).dtype == np.dtype(dtype)
    np.testing.assert_allclose(vals(v), expected, rtol=1e-12)


def test_scatter_index_and_update_forms() -> None:
    v = ab.Variable(np.zeros((4, 2)))
    v.scatter_update(2, [1.0, 2.0])  # an int: one row
    v.scatter_add([[0, 1], [1, 3]], 1.0)  # 2-D indices; a scalar update broadcasts
    v.scatter_add(ab.asarray([3], dtype=ab.uint8), ab.asarray([[5.0, 5.0]], dtype=ab.float64))
    np.testing.assert_array_equal(vals(v), [[1, 1], [2, 2], [1, 2], [6, 6]])
    w = ab.Variable(np.zeros((2, 3, 2)))
    w.scatter_nd_update([[0, 1], [1, 2]], [[1.0, 2.0], [3.0, 4.0]])  # k=2, rows of shape (2,)
    w.scatter_nd_add([[[1, 2, 1]], [[1, 2, 1]]], 10.0)  # k=3 with a batch shape (2, 1)
    w.scatter_nd_sub([[0]], 1.0)  # k=1: a whole (3, 2) block
    expected = np.zeros((2, 3, 2))
    expected[0, 1] = [1, 2]
    expected[1, 2] = [3, 4]
    expected[1, 2, 1] += 20
    expected[0] -= 1
    np.testing.assert_array_equal(vals(w), expected)


def test_scatter_nd_update_repeated_positions_last_wins() -> None:
    v = ab.Variable(np.zeros((2, 2)))
    v.scatter_nd_update([[0, 1], [1, 0], [0, 1], [0, 1]], [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(vals(v), [[0.0, 4.0], [2.0, 0.0]])
    v.scatter_nd_add([[0, 1], [0, 1], [1, 1]], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(vals(v), [[0.0, 6.0], [2.0, 1.0]])


def test_many_duplicates_accumulate_in_order() -> None:
    n = 300 if in_place() else 40  # one round of ops per repeat: slow on JAX
    v = ab.Variable(np.ones(3, dtype=np.float32))
    idx = np.array([0] * n + [2] * 7 + [1])
    upd = np.linspace(0.5, 1.5, idx.size, dtype=np.float32)
    v.scatter_mul(idx, upd)
    expected = np.ones(3, dtype=np.float32)
    for i, u in zip(idx, upd, strict=True):
        expected[i] *= u
    np.testing.assert_allclose(vals(v), expected, rtol=1e-5)


# -- errors -------------------------------------------------------------------------------------


def _unchanged(v: ab.Variable, before: np.ndarray, buf: Any) -> None:
    np.testing.assert_array_equal(vals(v), before)
    assert v._buf is buf


@pytest.mark.parametrize("sem", ["strict", "standard"])
def test_item_assignment_raises_with_the_method_spelling(sem: str) -> None:
    v = ab.Variable(np.zeros((2, 3)))
    buf = v._buf
    with ab.semantics(sem):
        for key, shown in [
            (1, "v[1].assign"),
            ((0, slice(1, None)), "v[0, 1:].assign"),
            ((Ellipsis, None, slice(None, None, 2)), "v[..., None, ::2].assign"),
            ([0, 1], "v[[0, 1]].assign"),
            (ab.asarray([0]), "v[idx].assign"),
        ]:
            with pytest.raises(TypeError) as err:
                v[key] = 1.0
            assert shown in str(err.value)
    _unchanged(v, np.zeros((2, 3)), buf)


@pytest.mark.parametrize("sem", ["strict", "standard"])
def test_dtype_errors_in_both_semantics(sem: str) -> None:
    v = ab.Variable(np.zeros((2, 3), dtype=np.float32))
    i = ab.Variable([1, 2], dtype=ab.int8)
    b = ab.Variable([True, False])
    buf, ibuf, bbuf = v._buf, i._buf, b._buf
    f64 = ab.ones((2, 3), dtype=ab.float64)
    with ab.semantics(sem):
        attempts: list[Callable[[], Any]] = [
            lambda: v.assign(f64),
            lambda: v.assign(np.ones((2, 3))),  # NumPy arrays keep their dtype (strong)
            lambda: v.assign_add(f64),
            lambda: v[0].assign(ab.ones(3, dtype=ab.float64)),
            lambda: v[0].assign_sub(ab.ones(3, dtype=ab.int32)),
            lambda: v.scatter_update([0], ab.ones((1, 3), dtype=ab.float64)),
            lambda: v.scatter_nd_add([[0, 0]], ab.ones(1, dtype=ab.int64)),
            lambda: v.assign(1j),
            lambda: v.assign(True),
            lambda: i.assign(1.5),
            lambda: i.assign([1.0, 2.0]),
            lambda: i.assign_add(300),  # does not fit int8
            lambda: i[0].assign(np.int64(1)),
            lambda: i.scatter_div([0], 2),  # integer division is not offered
            lambda: b.assign_add(True),
            lambda: b.scatter_max([0], True),
            lambda: v.scatter_add(ab.asarray([0.0]), 1.0),  # float indices
        ]  # fmt: skip
        for k, attempt in enumerate(attempts):
            with pytest.raises(ab.DTypeError):
                attempt()
            assert k >= 0
    _unchanged(v, np.zeros((2, 3)), buf)
    _unchanged(i, np.array([1, 2]), ibuf)
    _unchanged(b, np.array([True, False]), bbuf)


def test_shape_errors_name_both_shapes() -> None:
    v = ab.Variable(np.zeros((2, 3)))
    buf = v._buf
    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: v.assign(np.ones(2)), r"\(2,\).*\(2, 3\)"),
        (lambda: v.assign(np.ones((4, 2, 3))), r"\(4, 2, 3\).*\(2, 3\)"),
        (lambda: v.assign_add(np.ones((3, 3))), r"\(3, 3\).*\(2, 3\)"),
        (lambda: v[0].assign([1.0, 2.0]), r"\(2,\).*\(3,\)"),
        (lambda: v[:, [0, 0]].assign(np.ones(3)), r"\(3,\).*\(2, 2\)"),
        (lambda: v.scatter_update([0, 1], np.ones((3, 3))), r"\(3, 3\).*\(2, 3\)"),
        (lambda: v.scatter_nd_update([[0, 0]], np.ones(2)), r"\(2,\).*\(1,\)"),
        (lambda: v.scatter_nd_update([[0, 0, 0]], 1.0), "k = 3"),
        (lambda: v.scatter_nd_update(0, 1.0), "at least one axis"),
    ]
    for attempt, pattern in cases:
        with pytest.raises(ValueError, match=pattern):
            attempt()
    _unchanged(v, np.zeros((2, 3)), buf)


def test_index_errors_on_every_backend() -> None:
    v = ab.Variable(np.zeros((2, 3)))
    buf = v._buf
    cases: list[Callable[[], Any]] = [
        lambda: v[2].assign(1.0),
        lambda: v[0, -4].assign(1.0),
        lambda: v[[0, 2]].assign(1.0),
        lambda: v[ab.asarray([True, False, True])].assign(1.0),
        lambda: v[0, 0, 0].assign(1.0),
        lambda: v.scatter_update([0, 2], 1.0),
        lambda: v.scatter_add([-1], 1.0),  # negative scatter indices are errors, as in TF
        lambda: v.scatter_nd_update([[1, 3]], [1.0]),
        lambda: v.scatter_nd_sub([[0, -1]], [1.0]),
        lambda: v[1.5].assign(1.0),
    ]
    for attempt in cases:
        with pytest.raises(IndexError):
            attempt()
    _unchanged(v, np.zeros((2, 3)), buf)


def test_other_argument_errors() -> None:
    v = ab.Variable(np.zeros(3))
    buf = v._buf
    for attempt in (
        lambda: v.scatter_update("0", 1.0),
        lambda: v.scatter_update(None, 1.0),
        lambda: v.assign("x"),
        lambda: v.assign(None),
    ):
        with pytest.raises(TypeError):
            attempt()
    _unchanged(v, np.zeros(3), buf)


def test_a_failing_write_after_a_snapshot_changes_nothing() -> None:
    v = ab.Variable(np.arange(4.0))
    s = v.value()
    buf = v._buf
    with pytest.raises(IndexError):
        v.scatter_update([0, 9], [1.0, 2.0])
    with pytest.raises(ValueError):
        v[1:3].assign([1.0, 2.0, 3.0])
    _unchanged(v, np.arange(4.0), buf)
    np.testing.assert_array_equal(vals(s), np.arange(4.0))


def test_values_from_another_backend_raise() -> None:
    names = [s.name for s in ab.backends() if s.available]
    if len(names) < 2:
        pytest.skip("needs two backends")
    here = ab.get_backend()
    other = next(n for n in names if n != here)
    v = ab.Variable([1.0, 2.0])
    with ab.use_backend(other):
        t = ab.asarray([3.0, 4.0])
    with pytest.raises(ValueError, match="different devices"):
        v.assign(t)
    with pytest.raises(ValueError, match="different devices"):
        v.scatter_update(ab.asarray([0], device=t.device), 1.0)
    np.testing.assert_array_equal(vals(v), [1.0, 2.0])


# -- threads ----------------------------------------------------------------------------------


def _run_threads(n: int, target: Callable[[], None]) -> None:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            target()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: races show up if there are any
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors


def test_concurrent_assign_add_is_atomic() -> None:
    v = ab.Variable(0, dtype=ab.int64)
    w = ab.Variable(np.zeros(4, dtype=np.int64))

    def work() -> None:
        for _ in range(1000):
            v.assign_add(1)

    reps = 100 if in_place() else 10

    def work_slices() -> None:
        for _ in range(reps):
            w[1].assign_add(1)
            w.scatter_add([2, 2], 1)

    _run_threads(8, work)
    assert int(v) == 8000
    _run_threads(8, work_slices)
    np.testing.assert_array_equal(vals(w), [0, 8 * reps, 16 * reps, 0])


def test_a_reader_never_sees_half_a_write() -> None:
    n = 200_000 if in_place() else 20_000
    writes = 300 if in_place() else 40
    v = ab.Variable(np.zeros(n))
    started, done = threading.Event(), threading.Event()
    bad: list[str] = []
    seen: set[float] = set()

    def reader() -> None:
        while True:
            last = done.is_set()  # one more pass after the writer is done
            for snap in (v.value(), np.asarray(v), v + 0, v[:]):
                a = vals(snap)
                lo, hi = float(a.min()), float(a.max())
                seen.add(lo)
                if lo != hi:
                    bad.append(f"a snapshot mixes {lo} and {hi}")
            started.set()
            if last:
                break

    def writer() -> None:
        for k in range(1, writes + 1):
            if k % 3 == 0:
                v.assign(float(k))
            elif k % 3 == 1:
                v[:].assign(ab.full((n,), float(k), dtype=ab.float64))
            else:
                v.assign_add(1.0)  # from k - 1 to k

    t = threading.Thread(target=reader)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    t.start()
    try:
        started.wait()
        writer()
    finally:
        done.set()
        t.join()
        sys.setswitchinterval(interval)
    assert not bad, bad[:3]
    assert float(ab.max(v)) == float(writes) == float(ab.min(v))
    assert {0.0, float(writes)} <= seen


def test_slices_read_under_a_gradient_tape_are_differentiable() -> None:
    autodiff = pytest.importorskip("arraybridge.autodiff")
    v = ab.Variable([1.0, 2.0, 3.0])
    with autodiff.GradientTape() as tape:
        part = v[[0, 0, 2]]
        y = ab.sum(part * part)
    np.testing.assert_allclose(vals(tape.gradient(y, v)), [4.0, 0.0, 6.0])
    assert part.assign([5.0, 6.0, 7.0]) is v  # still a slice that writes
    np.testing.assert_array_equal(vals(v), [6.0, 2.0, 7.0])
    np.testing.assert_array_equal(vals(part), [1.0, 1.0, 3.0])
