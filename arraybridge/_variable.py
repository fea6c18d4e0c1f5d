"""Variable: TensorFlow's stateful tensor, the only mutable object of arraybridge.

A :class:`Variable` is a :class:`~arraybridge.Tensor` (every function and operator takes
it) whose buffer changes through its methods only: ``assign``, ``assign_add``,
``assign_sub``, ``v[key].assign(...)`` and the ``scatter_*`` family.

Snapshots are protected by copy-on-write, decided by reference count rather than by a
flag: a write goes into the buffer in place only when nothing but the variable holds it
(on backends whose ``setitem`` writes in place, NumPy and CuPy); when anything else holds
it (a snapshot from ``value()``, an operand of a running op, a view made by a view op, an
array handed out by ``__array__``/``numpy()``/DLPack, all of which keep a reference to the
buffer) the write copies the buffer first and swaps the copy in. So a snapshot never
changes, and a slice write with no live snapshot costs the slice. On backends with
functional updates (JAX) every write is the backend's functional ``setitem``.

Every write holds the variable's lock from its first read to its swap; readers take the
lock only to pick up the buffer, which they then hold, so a concurrent writer sees the
raised reference count and copies instead of writing under them.
"""

from __future__ import annotations

import math
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _dtypes, _recording
from ._convert import PY_SCALARS, asarray, operand, resolve_dtype
from ._dispatch import check_same_device
from ._dtypes import DType
from ._errors import DTypeError, an
from ._indexing import _key, _value
from ._tensor import Tensor

__all__ = ["Variable", "VariableRef", "VariableSlice"]

_new = object.__new__
_ACTIVE = _recording.ACTIVE  # [number of recording gradient tapes]
_SIMPLE = (int, slice, type(None), type(Ellipsis), bool)

# -- the copy-on-write test ------------------------------------------------------------
#
# Note: this relies on CPython's reference counts (an implementation detail of the
# interpreter, not a language guarantee). Every holder of a NumPy/CuPy buffer other than
# the variable (a snapshot tensor, a view's ``.base``, an exported read-only view, a DLPack
# capsule, a local variable of a running op) owns a reference to it, so "no reference
# besides the variable's own" means "nobody else can see this memory": writing in place
# is then invisible to everyone but the variable. Where ``sys.getrefcount`` does not
# exist (PyPy) every write copies, which is slower but equally correct.

_getrefcount: Callable[[Any], int] | None = getattr(sys, "getrefcount", None)
_BASE = 0


def _others(holder: Any) -> int:
    """How many references ``holder._buf`` has besides ``holder``'s own (0: none).

    The one place that reads a reference count. ``_BASE`` is measured at import by this
    same function on an object only a slot refers to (what a call sees for its argument
    differs between CPython versions), so 0 means exactly "only the holder".
    """
    if _getrefcount is None:
        return 1
    return _getrefcount(holder._buf) - _BASE


class _Probe:
    __slots__ = ("_buf",)
    _buf: Any


def _calibrate() -> int:
    probe = _Probe()
    probe._buf = bytearray(1)  # a fresh object: only the probe's slot refers to it
    return _others(probe)


_BASE = _calibrate()


def _no_refcount(obj: Any) -> int:
    return 1 << 30  # no reference counts (PyPy): always "someone else holds it"


_refs: Callable[[Any], int] = _getrefcount if _getrefcount is not None else _no_refcount


class _TempProbe:
    __slots__ = ()

    def count(self) -> int:
        return _refs(self)


# What _refs gives for ``self`` in a method called on a temporary, as in
# ``v[i:j].assign(x)``: at or below it, nobody but the call can ever read the object.
_TEMP = _TempProbe().count()


def _buf_local_count() -> int:
    probe = _Probe()
    probe._buf = bytearray(1)
    buf = probe._buf
    return _refs(buf)


# What _refs gives for a buffer held by the variable and by one local name only.
_BUF_LOCAL = _buf_local_count()


# -- helpers ------------------------------------------------------------------------------


def _check_broadcast(vshape: tuple[int, ...], target: tuple[int, ...], where: str) -> None:
    """Raise ValueError unless a value of shape ``vshape`` broadcasts to ``target``."""
    if vshape == target:
        return
    if len(vshape) > len(target) or any(
        a != 1 and a != b for a, b in zip(reversed(vshape), reversed(target), strict=False)
    ):
        raise ValueError(
            f"{where}: a value of shape {vshape} does not broadcast to the target shape {target}"
        )


def _fmt_part(p: Any) -> str:
    if p is Ellipsis:
        return "..."
    if p is None:
        return "None"
    if type(p) is slice:
        s = f"{'' if p.start is None else p.start}:{'' if p.stop is None else p.stop}"
        return s if p.step is None else f"{s}:{p.step}"
    if isinstance(p, (int, list)):
        return repr(p)
    return "idx"


def _fmt_key(key: Any) -> str:
    """``key`` written as it appears between brackets (tensors and arrays as ``idx``)."""
    if type(key) is tuple:
        return ", ".join(_fmt_part(p) for p in key) if key else "()"
    return _fmt_part(key)


def _is_int_array(part: Any, v: Variable) -> bool:
    """Whether a converted key part is an integer array that may repeat an index."""
    if type(part) in _SIMPLE:
        return False
    dt = v._dev.backend.from_native.get(getattr(part, "dtype", None))
    return dt is not None and dt._kind in "iu" and math.prod(part.shape) > 1


def _has_int_array(key: Any, v: Variable) -> bool:
    if type(key) is tuple:
        return any(_is_int_array(p, v) for p in key)
    return _is_int_array(key, v)


def _wrap(native: Any, dtype: DType, like: Tensor) -> Tensor:
    t: Tensor = _new(Tensor)
    t._node = None
    t._data = native
    t._dtype = dtype
    t._dev = like._dev
    t._shared = False
    return t


def _operand(v: Variable, value: Any, where: str) -> Tensor:
    """``value`` as a tensor of exactly ``v``'s dtype on ``v``'s device (in both semantics).

    Python scalars and lists follow the weak-scalar rule; tensors and arrays must already
    have the variable's dtype (a variable's dtype never changes).
    """
    if type(value) in PY_SCALARS:
        scalar = _value(v, value, where)  # the weak rule; raises DTypeError when it does not fit
        be = v._dev.backend
        native = be.asarray(scalar, be.to_native[v._dtype], v._dev.id, None)
        return _wrap(native, v._dtype, v)
    t = value if isinstance(value, Tensor) else operand(value, v, where)
    if t._dtype is not v._dtype:
        raise DTypeError(
            f"{where}: the value is {t._dtype} but the variable is {v._dtype}; a variable's "
            f"dtype never changes, so convert the value first: ab.astype(value, ab.{v._dtype})"
        )
    check_same_device(where, v, t)
    return t


def _indices(v: Variable, indices: Any, where: str) -> Tensor:
    """Scatter ``indices`` as an integer tensor on ``v``'s device."""
    if isinstance(indices, Tensor):
        t = indices
        check_same_device(where, v, t)
    else:
        if isinstance(indices, (float, complex, str, bytes)) or indices is None:
            raise TypeError(
                f"{where}: indices must be an int, a list of ints or an integer tensor, "
                f"got {type(indices).__name__}"
            )
        t = asarray(indices, device=v._dev)
        if t.size == 0 and t._dtype._kind not in "iu":
            t = asarray(indices, dtype=_dtypes.int64, device=v._dev)  # [] means no indices
    if t._dtype._kind not in "iu":
        raise DTypeError(f"{where}: indices must have an integer dtype, got {t._dtype}")
    return t


def _bounds(column: Tensor, size: int, axis: int, where: str) -> None:
    """Raise IndexError unless every index in ``column`` is in ``[0, size)``."""
    from .graph._recorder import trace_time_check
    from .ops.statistical import max as amax
    from .ops.statistical import min as amin

    with trace_time_check():  # Note: ab.function checks the traced call's indices only
        lo, hi = int(amin(column)), int(amax(column))
    if lo < 0:
        # Note: TensorFlow's scatter ops reject negative indices (on CPU); so does arraybridge,
        # on every backend (JAX would drop or clamp them, NumPy would count from the end).
        raise IndexError(
            f"{where}: index {lo} is negative; scatter indices must be in [0, {size}) for "
            f"axis {axis} (negative indices are not counted from the end)"
        )
    if hi >= size:
        raise IndexError(
            f"{where}: index {hi} is out of bounds for axis {axis} with size {size} "
            f"(valid: 0 to {size - 1})"
        )


_ACCUMULATE = {
    "scatter_add": ("add", "numeric"),
    "scatter_sub": ("subtract", "numeric"),
    "scatter_mul": ("multiply", "numeric"),
    "scatter_div": ("divide", "floating-point"),
    "scatter_min": ("minimum", "real numeric"),
    "scatter_max": ("maximum", "real numeric"),
    "scatter_nd_add": ("add", "numeric"),
    "scatter_nd_sub": ("subtract", "numeric"),
}


# -- the public classes ---------------------------------------------------------------------


# Every live variable (ab.function finds the variables a traced call reads by their
# buffers), and the hook ab.function sets while a thread traces (told of each new variable).
LIVE: weakref.WeakValueDictionary[int, Variable] = weakref.WeakValueDictionary()
ON_CREATE: list[Callable[[Variable], None]] = []


class VariableRef:
    """A hashable reference to a variable (``v.ref()``), for dict keys and sets.

    Two references are equal when they refer to the same variable; ``deref()`` gives it back.
    """

    __slots__ = ("_var",)

    def __init__(self, var: Variable) -> None:
        self._var = var

    def deref(self) -> Variable:
        """The variable referred to."""
        return self._var

    def __hash__(self) -> int:
        return id(self._var)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, VariableRef):
            return self._var is other._var
        return NotImplemented

    def __repr__(self) -> str:
        return f"<VariableRef to Variable {self._var._name!r} at {id(self._var):#x}>"


class Variable(Tensor):
    """TensorFlow's ``tf.Variable``: a tensor whose values change through its methods.

    Parameters
    ----------
    initial_value : tensor, array, Python data, or a callable returning one
        Always copied. Python data follow ``asarray``'s rules (floats become float32).
    dtype : DType or str, optional
        Converts Python data and arrays (as ``asarray(initial_value, dtype=dtype)``); a tensor
        of another dtype raises ``ab.DTypeError`` (convert it with ``ab.astype``), as
        TensorFlow refuses a tensor of another dtype.
    trainable : bool
        Whether gradient tapes watch the variable when it is read.
    name : str, optional
        The variable's name (default ``"Variable"``; names need not be unique).

    Notes
    -----
    A variable is a :class:`Tensor`: every function and operator accepts it and reads its
    current values. ``value()`` / ``read_value()`` give a snapshot tensor that later writes
    never change. Writes: ``assign``, ``assign_add``, ``assign_sub`` (the value broadcasts
    to the variable's shape), ``v[key].assign(...)`` (also ``assign_add``/``assign_sub``),
    ``scatter_update``/``scatter_add``/``scatter_sub``/``scatter_mul``/``scatter_div``/
    ``scatter_min``/``scatter_max`` along the first axis, and ``scatter_nd_update``/
    ``scatter_nd_add``/``scatter_nd_sub``. Each returns the variable. A value must have the
    variable's dtype (Python scalars and lists convert under the weak-scalar rule) in both
    semantics. A write that raises leaves the variable unchanged.
    """

    __slots__ = ("_buf", "_lock", "_name", "_trainable")

    _buf: Any  # the native array; with NumPy always a writable ndarray owning its memory
    _lock: threading.RLock
    _name: str
    _trainable: bool

    def __new__(
        cls,
        initial_value: Any,
        dtype: Any = None,
        trainable: bool = True,
        name: str | None = None,
    ) -> Variable:
        where = "Variable"
        if callable(initial_value) and not isinstance(initial_value, Tensor):
            initial_value = initial_value()  # TensorFlow accepts an initializer function
        if trainable is not True and trainable is not False:
            raise TypeError(f"{where}: trainable must be a bool, got {type(trainable).__name__}")
        if name is None:
            name = "Variable"
        elif not isinstance(name, str):
            raise TypeError(f"{where}: name must be a str or None, got {type(name).__name__}")
        if isinstance(initial_value, Tensor):
            src = initial_value
            if dtype is not None and resolve_dtype(dtype, where) is not src._dtype:
                dt = resolve_dtype(dtype, where)
                raise DTypeError(
                    f"{where}: the initial value is {an(src._dtype)} tensor but dtype={dt} was "
                    f"given; convert it explicitly with ab.astype(initial_value, ab.{dt})"
                )
            buf = src._dev.backend.copy(src._data)
        else:
            src = asarray(initial_value, dtype=dtype)  # a fresh array: Python data or a copy
            buf = src._data
        v: Variable = _new(cls)
        v._node = None
        v._buf = buf
        v._dtype = src._dtype
        v._dev = src._dev
        v._shared = False
        v._lock = threading.RLock()
        v._trainable = trainable
        v._name = name
        LIVE[id(v)] = v
        if ON_CREATE:
            ON_CREATE[0](v)
        return v

    # -- the buffer, as Tensor's code reads it ----------------------------------------------
    @property
    def _data(self) -> Any:
        # A property in the subclass shadows Tensor's slot: every reader (ops, __array__,
        # DLPack, repr) picks up the buffer under the lock and then holds a reference to it.
        with self._lock:
            return self._buf

    @_data.setter
    def _data(self, value: Any) -> None:
        raise AttributeError("a Variable's buffer changes only through its methods (assign, ...)")

    # -- attributes ---------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """The variable's shape (fixed at creation)."""
        return tuple(self._buf.shape)

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return len(self._buf.shape)

    @property
    def size(self) -> int:
        """The number of elements."""
        return math.prod(self._buf.shape)

    @property
    def name(self) -> str:
        """The variable's name (``"Variable"`` unless one was given)."""
        return self._name

    @property
    def trainable(self) -> bool:
        """Whether gradient tapes watch this variable when it is read."""
        return self._trainable

    def ref(self) -> VariableRef:
        """A hashable reference to this variable (variables themselves are unhashable)."""
        return VariableRef(self)

    def __hash__(self) -> int:  # type: ignore[override]
        raise TypeError(
            "Variable is unhashable (== compares values elementwise); use v.ref() as the key "
            "and ref.deref() to get the variable back"
        )

    # -- reads ------------------------------------------------------------------------------
    def value(self) -> Tensor:
        """A snapshot: a tensor of the current values that later writes never change."""
        with self._lock:
            buf = self._buf
        t: Tensor = _new(Tensor)
        t._node = None
        t._data = buf
        t._dtype = self._dtype
        t._dev = self._dev
        t._shared = True  # it shares the variable's buffer (a standard-semantics write copies)
        return t

    def read_value(self) -> Tensor:
        """The same as :meth:`value` (TensorFlow's spelling)."""
        return self.value()

    def to_device(self, device: Any, /, *, stream: Any = None) -> Tensor:
        """A snapshot of the values on ``device`` (a tensor, not a variable)."""
        return self.value().to_device(device, stream=stream)

    def __getitem__(self, key: Any, /) -> VariableSlice:
        """A snapshot of ``v[key]`` that also has ``.assign``, ``.assign_add``, ``.assign_sub``."""
        if _ACTIVE[0]:
            return self._getitem_recorded(key)
        tk = type(key)
        simple = tk is int or tk is slice
        k = key if simple else _key(self, key, "Variable.__getitem__")
        be = self._dev.backend
        lock = self._lock
        lock.acquire()  # (not `with`: this is the hot path of v[i:j].assign(x))
        try:
            # Note: a view where the backend gives one. It holds the buffer, so the
            # variable's next write copies first and the slice keeps its values; the
            # slice's own assign lets go of it first (see VariableSlice.assign), so
            # v[i:j].assign(x) writes in place and copies nothing.
            data = be.getitem(self._buf, k)
        except IndexError as exc:
            raise IndexError(f"Variable.__getitem__: {exc} (shape {self.shape})") from None
        finally:
            lock.release()
        s: VariableSlice = _new(VariableSlice)
        s._node = None
        s._data = data
        s._dtype = self._dtype
        s._dev = self._dev
        s._shared = True  # it may view the variable's buffer: a standard write copies first
        s._var = self
        s._key = k
        s._scatter = False if simple else _has_int_array(k, self)
        return s

    def _getitem_recorded(self, key: Any) -> VariableSlice:
        """``v[key]`` while a gradient tape records: a recorded (differentiable) read."""
        from ._indexing import getitem

        k = key if type(key) in (int, slice) else _key(self, key, "Variable.__getitem__")
        r = getitem(self, key)  # the tapes watching this variable record the read
        s: VariableSlice = _new(VariableSlice)
        s._node = None
        s._data = self._dev.backend.copy(r._data)  # its own copy: it does not hold the buffer
        s._dtype = self._dtype
        s._dev = self._dev
        s._shared = False
        s._var = self
        s._key = k
        s._scatter = _has_int_array(k, self)
        node = getattr(r, "_node", None)
        if node is not None:
            s._node = node
        return s

    # -- writes -------------------------------------------------------------------------------
    def __setitem__(self, key: Any, value: Any, /) -> None:
        raise TypeError(
            f"Variable does not support item assignment; write v[{_fmt_key(key)}].assign(value) "
            "(or .assign_add / .assign_sub): a variable changes only through its methods"
        )

    def _store(self, key: Any, native: Any, where: str) -> None:
        """Write ``native`` at the (validated) native ``key``: in place when nothing else
        holds the buffer, else into a copy that is then swapped in."""
        be = self._dev.backend
        lock = self._lock
        lock.acquire()
        try:
            if be.writes_in_place and _others(self):
                self._buf = be.setitem(be.copy(self._buf), key, native)
            else:
                self._buf = be.setitem(self._buf, key, native)
        except IndexError as exc:
            raise IndexError(f"{where}: {exc} (shape {self.shape})") from None
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        finally:
            lock.release()

    def _replace(self, new: Any) -> None:
        """Make ``new`` (a computed value of the full shape and dtype) the contents.

        The caller holds the lock and no reference to the buffer.
        """
        be = self._dev.backend
        if not be.writes_in_place:
            self._buf = new
        elif type(new) is type(self._buf) and not be.may_alias(new, self._buf):
            self._buf = new  # a fresh array of its own (an op's result): take it
        elif not _others(self):
            self._buf = be.setitem(self._buf, Ellipsis, new)
        else:
            self._buf = be.copy(new)

    def assign(self, value: Any) -> Variable:
        """Set every element to ``value`` (broadcast to the variable's shape)."""
        where = "Variable.assign"
        t = _operand(self, value, where)
        shape = self.shape
        _check_broadcast(t.shape, shape, where)
        native = t._data
        be = self._dev.backend
        fns = self._dev.fns
        with self._lock:
            if not be.writes_in_place:
                self._buf = native if t.shape == shape else fns["broadcast_to"](native, shape)
            elif not _others(self):
                self._buf = be.setitem(self._buf, Ellipsis, native)
            else:
                self._buf = be.copy(fns["broadcast_to"](native, shape))
        return self

    def _arith(self, name: str, value: Any, where: str) -> Variable:
        t = _operand(self, value, where)
        if self._dtype not in _dtypes.CATEGORIES["numeric"]:
            raise DTypeError(f"{where}: needs a numeric variable, got {self._dtype}")
        _check_broadcast(t.shape, self.shape, where)
        native = t._data
        fn = self._dev.fns[name]
        with self._lock:
            self._replace(fn(self._buf, native))
        return self

    def assign_add(self, delta: Any) -> Variable:
        """Add ``delta`` (broadcast to the variable's shape)."""
        return self._arith("add", delta, "Variable.assign_add")

    def assign_sub(self, delta: Any) -> Variable:
        """Subtract ``delta`` (broadcast to the variable's shape)."""
        return self._arith("subtract", delta, "Variable.assign_sub")

    # -- scatter ----------------------------------------------------------------------------------
    def _scatter(self, coords: list[Tensor], updates: Tensor, op: str | None) -> None:
        """Apply ``updates`` (rows of shape ``(m,) + tail``) at the validated coordinates
        ``coords`` (k int64 tensors of shape ``(m,)``, one per leading axis).

        ``op`` None: each position takes its LAST update in index order. Otherwise each
        position becomes ``op(...op(op(old, u1), u2)..., un)`` over its updates in index
        order (duplicates accumulate). Computed with arraybridge ops and the backend's
        integer-array ``setitem``, so every backend gives the same result.
        """
        from .ops.creation import asarray as _as
        from .ops.manipulation import concat
        from .ops.searching import nonzero
        from .ops.sorting import argsort

        m = coords[0].shape[0]
        if m == 0:
            return
        dev = self._dev
        be = dev.backend
        shape = self.shape
        lin = coords[0]
        for a in range(1, len(coords)):
            lin = lin * shape[a] + coords[a]
        order = argsort(lin, stable=True)  # equal positions keep their index order
        ls = _wrap(be.getitem(lin._data, order._data), lin._dtype, lin)
        start = _as([True], device=dev)
        new_group = concat([start, ls[1:] != ls[:-1]]) if m > 1 else start
        starts = nonzero(new_group)[0]
        ends = concat([starts[1:], _as([m], dtype=_dtypes.int64, device=dev)])

        def at(t: Tensor, idx: Tensor) -> Any:  # t[idx] along axis 0, as a native array
            return be.getitem(t._data, idx._data)

        if op is None:
            pick = _wrap(at(order, ends - 1), _dtypes.int64, order)  # last of each group
            key = tuple(at(c, pick) for c in coords)
            self._store(key, at(updates, pick), "Variable.scatter")
            return
        counts = ends - starts
        perm = argsort(counts, descending=True, stable=True)  # groups by size, largest first
        starts_p = _wrap(at(starts, perm), _dtypes.int64, starts)
        first = _wrap(at(order, starts_p), _dtypes.int64, order)
        key = tuple(at(c, first) for c in coords)
        sizes = [int(c) for c in be.to_numpy(at(counts, perm)).tolist()]
        # round r applies the r-th update of every position that has more than r of them;
        # the positions with more than r updates are the first n_r (sizes descend)
        rounds: list[tuple[int, Any]] = []
        n = len(sizes)
        for r in range(sizes[0]):
            while sizes[n - 1] <= r:
                n -= 1
            pos = _wrap(at(order, starts_p[:n] + r), _dtypes.int64, order)
            rounds.append((n, at(updates, pos)))
        fn = dev.fns[op]
        g = len(sizes)
        with self._lock:
            cur = be.getitem(self._buf, key)  # a gather: a fresh array of the old values
            for n, upd in rounds:
                if n == g:
                    cur = fn(cur, upd)
                else:
                    cur = be.setitem(cur, slice(0, n), fn(be.getitem(cur, slice(0, n)), upd))
            self._store(key, cur, "Variable.scatter")

    def _scatter_rows(self, where: str, indices: Any, updates: Any) -> Variable:
        from .ops.data_type import astype, broadcast_to
        from .ops.manipulation import reshape

        op = _ACCUMULATE.get(where)
        if op is not None and self._dtype not in _dtypes.CATEGORIES[op[1]]:
            raise DTypeError(f"Variable.{where}: needs {an(op[1])} variable, got {self._dtype}")
        idx = _indices(self, indices, f"Variable.{where}")
        u = _operand(self, updates, f"Variable.{where}")
        if self.ndim == 0:
            raise ValueError(f"Variable.{where}: needs a variable with at least one axis (0-d)")
        target = idx.shape + self.shape[1:]
        _check_broadcast(u.shape, target, f"Variable.{where} (updates)")
        column = reshape(idx, (-1,))
        if column.shape[0]:
            _bounds(column, self.shape[0], 0, f"Variable.{where}")
        if column._dtype is not _dtypes.int64:
            column = astype(column, _dtypes.int64)
        if u.shape != target:
            u = broadcast_to(u, target)
        rows = reshape(u, (column.shape[0], *self.shape[1:]))
        self._scatter([column], rows, None if op is None else op[0])
        return self

    def scatter_update(self, indices: Any, updates: Any) -> Variable:
        """``v[indices[i]] = updates[i]`` along the first axis.

        ``indices``: an int, a list of ints or an integer tensor of any shape I;
        ``updates`` broadcasts to ``I + v.shape[1:]``. With repeated indices the LAST update
        in index order wins, on every backend. Indices must be in ``[0, v.shape[0])``.
        """
        return self._scatter_rows("scatter_update", indices, updates)

    def scatter_add(self, indices: Any, updates: Any) -> Variable:
        """``v[indices[i]] += updates[i]`` along the first axis; repeated indices accumulate."""
        return self._scatter_rows("scatter_add", indices, updates)

    def scatter_sub(self, indices: Any, updates: Any) -> Variable:
        """``v[indices[i]] -= updates[i]`` along the first axis; repeated indices accumulate."""
        return self._scatter_rows("scatter_sub", indices, updates)

    def scatter_mul(self, indices: Any, updates: Any) -> Variable:
        """``v[indices[i]] *= updates[i]`` along the first axis; repeated indices accumulate."""
        return self._scatter_rows("scatter_mul", indices, updates)

    def scatter_div(self, indices: Any, updates: Any) -> Variable:
        """``v[indices[i]] /= updates[i]`` along the first axis (floating-point variables);
        repeated indices accumulate (divide once per occurrence, in index order)."""
        return self._scatter_rows("scatter_div", indices, updates)

    def scatter_min(self, indices: Any, updates: Any) -> Variable:
        """``v[indices[i]] = minimum(v[indices[i]], updates[i])`` along the first axis."""
        return self._scatter_rows("scatter_min", indices, updates)

    def scatter_max(self, indices: Any, updates: Any) -> Variable:
        """``v[indices[i]] = maximum(v[indices[i]], updates[i])`` along the first axis."""
        return self._scatter_rows("scatter_max", indices, updates)

    def _scatter_nd(self, where: str, indices: Any, updates: Any) -> Variable:
        from .ops.data_type import astype, broadcast_to
        from .ops.manipulation import reshape

        op = _ACCUMULATE.get(where)
        if op is not None and self._dtype not in _dtypes.CATEGORIES[op[1]]:
            raise DTypeError(f"Variable.{where}: needs {an(op[1])} variable, got {self._dtype}")
        idx = _indices(self, indices, f"Variable.{where}")
        u = _operand(self, updates, f"Variable.{where}")
        if idx.ndim == 0:
            raise ValueError(
                f"Variable.{where}: indices must have at least one axis (shape [..., k]), got 0-d"
            )
        k = idx.shape[-1]
        if not 1 <= k <= self.ndim:
            raise ValueError(
                f"Variable.{where}: the last axis of indices (k = {k}) must be between 1 and "
                f"the variable's rank {self.ndim} (indices shape {idx.shape})"
            )
        target = idx.shape[:-1] + self.shape[k:]
        _check_broadcast(u.shape, target, f"Variable.{where} (updates)")
        flat = reshape(idx, (-1, k))
        if flat._dtype is not _dtypes.int64:
            flat = astype(flat, _dtypes.int64)
        columns = [flat[:, a] for a in range(k)]
        if flat.shape[0]:
            for a, c in enumerate(columns):
                _bounds(c, self.shape[a], a, f"Variable.{where}")
        if u.shape != target:
            u = broadcast_to(u, target)
        rows = reshape(u, (flat.shape[0], *self.shape[k:]))
        self._scatter(columns, rows, None if op is None else op[0])
        return self

    def scatter_nd_update(self, indices: Any, updates: Any) -> Variable:
        """TensorFlow's ``scatter_nd_update``: ``indices`` of shape ``[..., k]`` address the
        first k axes; ``updates`` broadcasts to ``indices.shape[:-1] + v.shape[k:]``.

        With repeated positions the LAST update in index order wins, on every backend.
        """
        return self._scatter_nd("scatter_nd_update", indices, updates)

    def scatter_nd_add(self, indices: Any, updates: Any) -> Variable:
        """Like :meth:`scatter_nd_update`, adding; repeated positions accumulate."""
        return self._scatter_nd("scatter_nd_add", indices, updates)

    def scatter_nd_sub(self, indices: Any, updates: Any) -> Variable:
        """Like :meth:`scatter_nd_update`, subtracting; repeated positions accumulate."""
        return self._scatter_nd("scatter_nd_sub", indices, updates)

    # -- slices (through VariableSlice) -------------------------------------------------------
    def _coords(self, key: Any) -> list[Tensor]:
        """Per-axis coordinates (int64, flattened) of the elements ``key`` selects."""
        from .ops.creation import arange
        from .ops.data_type import broadcast_to
        from .ops.manipulation import reshape

        shape = self.shape
        nd = len(shape)
        be = self._dev.backend
        out = []
        for a, n in enumerate(shape):
            axis = reshape(
                arange(n, dtype=_dtypes.int64, device=self._dev),
                tuple(n if i == a else 1 for i in range(nd)),
            )
            grid = broadcast_to(axis, shape)
            out.append(reshape(_wrap(be.getitem(grid._data, key), _dtypes.int64, grid), (-1,)))
        return out

    def _write_slice(
        self, key: Any, scatter: bool, sel: tuple[int, ...], value: Any, op: str | None, where: str
    ) -> Variable:
        t = _operand(self, value, where)
        _check_broadcast(t.shape, sel, where)
        if op is not None and self._dtype not in _dtypes.CATEGORIES["numeric"]:
            raise DTypeError(f"{where}: needs a numeric variable, got {self._dtype}")
        if scatter:  # integer arrays in the key: positions may repeat
            from .ops.data_type import broadcast_to
            from .ops.manipulation import reshape

            coords = self._coords(key)
            u = t if t.shape == sel else broadcast_to(t, sel)
            self._scatter(coords, reshape(u, (-1,)), op)
            return self
        if op is None:
            self._store(key, t._data, where)
            return self
        be = self._dev.backend
        fn = self._dev.fns[op]
        with self._lock:
            new = fn(be.getitem(self._buf, key), t._data)  # the slice read is released here
            self._store(key, new, where)
        return self

    # -- Tensor's protocol, adjusted -----------------------------------------------------------
    def __repr__(self) -> str:
        values = np.array2string(self._dev.backend.to_numpy(self._data), separator=", ", prefix=" ")
        sep = "\n " if "\n" in values else ""
        return (
            f"<Variable {self._name!r} shape={self.shape} dtype={self._dtype} "
            f"device={self._dev} values={sep}{values}>"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        values = self._dev.backend.to_numpy(self._data).copy()
        return (_rebuild, (values, str(self._dev), self._trainable, self._name))


def _inplace_error(symbol: str, method: str | None) -> Callable[[Variable, Any], Any]:
    def op(self: Variable, other: Any, /) -> Any:
        fix = f"v.{method}(value) to change the variable, or " if method else ""
        raise TypeError(
            f"`v {symbol}= value` is not supported on an ab.Variable: use {fix}"
            f"`out = v {symbol} value` for a new tensor"
        )

    op.__name__ = f"__i{method or 'op'}__"
    return op


# Note: as in TensorFlow, augmented assignment on a variable raises (TensorFlow raises
# RuntimeError; arraybridge raises TypeError, as for item assignment) in both semantics.
for _name, _sym, _method in (
    ("iadd", "+", "assign_add"),
    ("isub", "-", "assign_sub"),
    ("imul", "*", None),
    ("itruediv", "/", None),
    ("ifloordiv", "//", None),
    ("imod", "%", None),
    ("ipow", "**", None),
    ("imatmul", "@", None),
    ("iand", "&", None),
    ("ior", "|", None),
    ("ixor", "^", None),
    ("ilshift", "<<", None),
    ("irshift", ">>", None),
):
    setattr(Variable, f"__{_name}__", _inplace_error(_sym, _method))
del _name, _sym, _method


class VariableSlice(Tensor):
    """``v[key]``: a snapshot tensor of the slice that can also write into ``v[key]``.

    Its values are a copy taken when it was made (later writes to the variable do not
    change it); ``assign``, ``assign_add`` and ``assign_sub`` write into the variable and
    return the variable.
    """

    __slots__ = ("_key", "_scatter", "_var")

    _var: Variable
    _key: Any
    _scatter: bool

    def assign(self, value: Any) -> Variable:
        """``v[key] = value`` (value broadcast to the slice). With repeated integer indices
        in ``key`` the last occurrence in index order wins, on every backend."""
        var = self._var
        if (
            type(value) is Tensor
            and value._dtype is var._dtype
            and value._dev is var._dev
            and not self._scatter
            and value._data.shape == self._data.shape
        ):
            # the common case, with Variable._store inlined (the hot path of v[i:j].assign(x))
            be = var._dev.backend
            lock = var._lock
            if be.writes_in_place:
                # let go of this slice's view of the buffer: a temporary slice is never read
                # again; one the caller holds keeps its values in a copy of its own
                self._data = None if _refs(self) <= _TEMP else be.copy(self._data)
                lock.acquire()  # (not `with`: 0.2 us less)
                try:
                    buf = var._buf
                    if _refs(buf) > _BUF_LOCAL:  # someone besides the variable and `buf`
                        buf = be.copy(buf)
                    var._buf = be.setitem(buf, self._key, value._data)
                finally:
                    lock.release()
                return var
            with lock:
                var._buf = be.setitem(var._buf, self._key, value._data)
            return var
        return var._write_slice(
            self._key, self._scatter, self._let_go(), value, None, "Variable[...].assign"
        )

    def _let_go(self) -> tuple[int, ...]:
        """The slice's shape, after trading its view of the buffer for a copy of its own
        (so the write that follows can go in place)."""
        shape = tuple(self._data.shape)
        be = self._var._dev.backend
        if be.writes_in_place:
            self._data = be.copy(self._data)
        return shape

    def assign_add(self, delta: Any) -> Variable:
        """``v[key] += delta``; repeated integer indices in ``key`` accumulate."""
        return self._var._write_slice(
            self._key, self._scatter, self._let_go(), delta, "add", "Variable[...].assign_add"
        )

    def assign_sub(self, delta: Any) -> Variable:
        """``v[key] -= delta``; repeated integer indices in ``key`` accumulate."""
        return self._var._write_slice(
            self._key, self._scatter, self._let_go(), delta, "subtract", "Variable[...].assign_sub"
        )


def _rebuild(values: np.ndarray[Any, Any], device: str, trainable: bool, name: str) -> Variable:
    return Variable(asarray(values, device=device), trainable=trainable, name=name)
