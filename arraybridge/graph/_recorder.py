"""Tracing: the backend calls one Python call of a function makes, as a straight-line program.

The frontend reaches a backend only through the plugin contract: the function table
(``Device.fns``) and the backend's array hooks (``asarray``, ``copy``, ``getitem``,
``setitem``, ``to_numpy``, ...). While a thread traces, those are replaced by recording
wrappers; the function runs eagerly on the real arrays (so the first call's results are
the eager ones) and every call whose inputs depend on the function's tensor arguments or
on a variable becomes a node of the program. Calls on constants only are not recorded:
their results are constants of the program (constant folding). Arrays are known by
identity, so the recorder keeps each one it saw alive until the trace ends.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from .._errors import TracingError
from .._tensor import Tensor
from .._variable import LIVE, ON_CREATE, Variable
from ..autodiff._tree import map_leaves
from ..backend import _registry, _runtime
from ..backend._runtime import Backend

__all__ = ["Node", "Recorder", "Ref", "is_native", "recorder", "trace_time_check", "tracing"]

_RECORDERS: dict[int, Recorder] = {}  # thread id -> the trace it is running
_lock = threading.Lock()
_saved: dict[Backend, dict[str, Any]] = {}  # hooked backends -> their original hooks
_HOOKS = ("asarray", "from_dlpack", "copy", "getitem", "setitem", "to_numpy", "dlpack")
_ORIGINAL = "_arraybridge_untraced"  # the attribute a recording wrapper keeps its callee in
_get_ident = threading.get_ident


class Ref:
    """An argument of a recorded call that is a value of the program (by slot number)."""

    __slots__ = ("slot",)

    def __init__(self, slot: int) -> None:
        self.slot = slot

    def __repr__(self) -> str:
        return f"v{self.slot}"


class Node:
    """One recorded call: ``out = fn(*args, **kwargs)``; ``item`` >= 0 takes ``args[0][item]``."""

    __slots__ = ("args", "copy_first", "fn", "item", "kwargs", "name", "out")

    def __init__(
        self,
        name: str,
        fn: Callable[..., Any] | None,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        out: int,
        item: int = -1,
    ) -> None:
        self.name = name
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.out = out
        self.item = item
        self.copy_first: Callable[[Any], Any] | None = None  # a write into a buffer we don't own

    def refs(self) -> Iterator[int]:
        """The slots this node reads."""
        yield from _slots(self.args)
        yield from _slots(tuple(self.kwargs.values()))


def _slots(t: Any) -> Iterator[int]:
    for a in t:
        if type(a) is Ref:
            yield a.slot
        elif type(a) in (list, tuple) or isinstance(a, tuple):
            yield from _slots(a)
        elif type(a) is dict:
            yield from _slots(tuple(a.values()))
        elif type(a) is slice:
            yield from _slots((a.start, a.stop, a.step))


def is_native(a: Any) -> bool:
    """Whether ``a`` is an array of some backend (not a Python value, dtype or tensor)."""
    return (
        not isinstance(a, type | Tensor | str | bytes)
        and hasattr(a, "shape")
        and hasattr(a, "dtype")
    )


_CONSTRUCTS = {
    "__bool__": "a Python `if`, `while`, `and`, `or` or `not` on a tensor (bool(tensor))",
    "__int__": "int(tensor)",
    "__index__": "a tensor used as a Python int (an index, a size or a range() bound)",
    "__float__": "float(tensor)",
    "__complex__": "complex(tensor)",
    "item": "tensor.item()",
    "tolist": "tensor.tolist()",
    "__array__": "np.asarray(tensor) or tensor.numpy()",
    "__dlpack__": "exporting a tensor through DLPack",
    "__reduce__": "pickling a tensor",
}
_DISPLAY = ("__repr__", "__str__", "__format__")


def _construct() -> str | None:
    """The Tensor method (by the caller's frames) that asked for values; None: display."""
    frame: FrameType | None = sys._getframe(2)
    for _ in range(40):
        if frame is None:
            break
        code = frame.f_code.co_name
        if code in _DISPLAY and isinstance(frame.f_locals.get("self"), Tensor):
            return None
        found = _CONSTRUCTS.get(code)
        if found is not None and isinstance(frame.f_locals.get("self"), Tensor):
            return found
        frame = frame.f_back
    return "reading a tensor's values into Python"


class Recorder:
    """The program one trace builds: slots (values), nodes (calls), inputs and constants."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.depth = 0  # > 0 inside a recorded call: its own inner calls are not recorded
        self.ids: dict[int, int] = {}  # id(native) -> slot
        self.keep: list[Any] = []  # every native registered (their ids stay unique)
        self.traced: list[bool] = []  # per slot: depends on an input or a variable
        self.consts: dict[int, Any] = {}  # slot -> native constant
        self.nodes: list[Node] = []
        self.inputs: list[int] = []  # slots of the tensor arguments (unique arrays)
        self.var_entry: dict[int, Variable] = {}  # slot -> the variable it is the entry value of
        self.var_bufs: dict[int, Variable] = {}  # id(buffer at the start) -> variable
        self.written: set[int] = set()  # slots written in place by a later node
        self.created: list[Variable] = []
        self.forbid_variables = False  # a later trace: making a variable raises
        self.lenient = 0  # > 0: values may be read (checks that run while tracing only)

    # -- slots --------------------------------------------------------------------------------
    def _new(self, native: Any, traced: bool) -> int:
        s = len(self.traced)
        self.traced.append(traced)
        self.ids[id(native)] = s
        self.keep.append(native)
        return s

    def add_input(self, native: Any) -> int:
        """Register a tensor argument's array (already unique to this trace)."""
        s = self._new(native, True)
        self.inputs.append(s)
        return s

    def slot(self, native: Any) -> int:
        """The slot of ``native``: known, a variable's value at entry, or a new constant."""
        s = self.ids.get(id(native))
        if s is not None:
            return s
        var = self.var_bufs.get(id(native))
        if var is not None:
            s = self._new(native, True)
            self.var_entry[s] = var
            return s
        s = self._new(native, False)
        self.consts[s] = native
        return s

    def _template(self, a: Any, refs: list[int]) -> Any:
        """A call's argument with each array replaced by a reference to its slot."""

        def leaf(b: Any) -> Any:
            if type(b) is slice:
                return slice(leaf(b.start), leaf(b.stop), leaf(b.step))
            if is_native(b):
                s = self.slot(b)
                refs.append(s)
                return Ref(s)
            return b

        return map_leaves(leaf, a)

    # -- calls ---------------------------------------------------------------------------------
    def call(
        self,
        name: str,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        be: Backend | None,
    ) -> Any:
        """Run a backend call for the tracing thread and record it."""
        refs: list[int] = []
        targs = tuple(self._template(a, refs) for a in args)
        tkw = {k: self._template(v, refs) for k, v in kwargs.items()}
        traced = any(self.traced[s] for s in refs)
        if name in ("to_numpy", "dlpack"):
            if traced and not self.lenient:
                construct = _construct()
                if construct is not None:
                    raise TracingError(
                        f"ab.function: {construct} needs the values of a tensor computed from "
                        f"the arguments or variables of {self.where}, which are not known "
                        "while it is traced into a graph; for a value-dependent choice use "
                        "ab.where, else keep this code outside the function (or call the "
                        "Python function itself, undecorated)"
                    )
            return fn(*args, **kwargs)
        if name == "setitem" and refs:
            target = self.ids.get(id(args[0]))
            if target is not None and target in self.inputs and traced:
                raise TracingError(
                    f"ab.function: {self.where} writes into one of its tensor arguments "
                    "(x[key] = value); write into a copy (ab.asarray(x, copy=True)) or return "
                    "the new tensor"
                )
        self.depth += 1
        try:
            out = fn(*args, **kwargs)
        finally:
            self.depth -= 1
        if not traced:
            self._constants(out)
            return out
        s = self._new(out, True) if is_native(out) else self._slot_only()
        node = Node(name, fn, targs, tkw, s)
        if name == "setitem" and be is not None:
            t = targs[0].slot if type(targs[0]) is Ref else None
            if t is not None:
                self.written.add(t)
                if be.writes_in_place and (t in self.var_entry or t in self.consts):
                    node.copy_first = _saved[be]["copy"]
        self.nodes.append(node)
        if not is_native(out) and isinstance(out, tuple | list):
            for i, o in enumerate(out):
                if is_native(o):
                    self.nodes.append(Node("item", None, (Ref(s),), {}, self._new(o, True), i))
        return out

    def _slot_only(self) -> int:
        s = len(self.traced)
        self.traced.append(True)
        return s

    def _constants(self, out: Any) -> None:
        if is_native(out):
            if id(out) not in self.ids:
                s = self._new(out, False)
                self.consts[s] = out
        elif isinstance(out, tuple | list):
            for o in out:
                self._constants(o)


# -- hooking the backends ------------------------------------------------------------------------
def _recording(name: str, fn: Callable[..., Any], be: Backend | None) -> Callable[..., Any]:
    def traced(*args: Any, **kwargs: Any) -> Any:
        rec = _RECORDERS.get(_get_ident())
        if rec is None or rec.depth:
            return fn(*args, **kwargs)
        return rec.call(name, fn, args, kwargs, be)

    setattr(traced, _ORIGINAL, fn)
    return traced


def _wrap_fn(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    return _recording(name.partition(_runtime.REAL)[0], fn, None)  # "exp@real" is exp


def _hook(be: Backend) -> None:
    saved = _saved[be] = {h: getattr(be, h) for h in _HOOKS}
    for h in _HOOKS:
        setattr(be, h, _recording(h, saved[h], be))
    fns = be.fns
    for name, fn in list(fns.items()):
        if not hasattr(fn, _ORIGINAL):
            fns[name] = _wrap_fn(name, fn)
    be.hot.clear()  # refilled from fns: the recording callables while this traces


def _unhook(be: Backend) -> None:
    for h, fn in _saved.pop(be).items():
        setattr(be, h, fn)
    fns = be.fns
    for name, fn in list(fns.items()):
        original = getattr(fn, _ORIGINAL, None)
        if original is not None:
            fns[name] = original
    be.hot.clear()


def _on_create(v: Variable) -> None:
    rec = _RECORDERS.get(_get_ident())
    if rec is None:
        return
    if rec.forbid_variables:
        raise TracingError(
            f"ab.function: {rec.where} made a variable on a call after its first trace; "
            "variables inside an ab.function are made on the first call only (keep them on "
            "an object, e.g. `if self.v is None: self.v = ab.Variable(...)`, or make them "
            "outside the function)"
        )
    rec.created.append(v)


def _on_load(be: Backend) -> None:
    if be not in _saved:
        _hook(be)


@contextmanager
def trace_time_check() -> Iterator[None]:
    """Let a value check read traced values: it checks the traced call's values only.

    For checks that a graph cannot hold (scatter indices in bounds): the graph then
    relies on the backend's own behaviour for later values.
    """
    rec = recorder()
    if rec is None:
        yield
        return
    rec.lenient += 1
    try:
        yield
    finally:
        rec.lenient -= 1


def recorder() -> Recorder | None:
    """The trace this thread is running, if any."""
    return _RECORDERS.get(_get_ident()) if _RECORDERS else None


@contextmanager
def tracing(rec: Recorder) -> Iterator[Recorder]:
    """Record this thread's backend calls into ``rec`` inside the block."""
    me = _get_ident()
    with _lock:
        if not _RECORDERS:
            for be in list(_registry._loaded.values()):
                _hook(be)
            _runtime.TRACING = _wrap_fn
            _runtime.ON_LOAD.append(_on_load)
            ON_CREATE.append(_on_create)
        _RECORDERS[me] = rec
    try:
        rec.depth += 1
        try:
            rec.var_bufs = {id(_own_buffer(v)): v for v in _live()}
        finally:
            rec.depth -= 1
        yield rec
    finally:
        with _lock:
            del _RECORDERS[me]
            if not _RECORDERS:
                ON_CREATE.remove(_on_create)
                _runtime.ON_LOAD.remove(_on_load)
                _runtime.TRACING = None
                for be in list(_saved):
                    _unhook(be)


def _own_buffer(v: Variable) -> Any:
    """``v``'s buffer, first made an object of its own if anything else holds it.

    Arrays are known by identity while tracing; a buffer that is also a tensor's (JAX
    variables share their initial value's array) would make that tensor look like a read
    of the variable. The copy has the same values, so no one can tell.
    """
    from .._variable import _others

    with v._lock:
        if _others(v):
            be = v._dev.backend
            v._buf = _saved[be]["asarray"](v._buf, None, v._dev.id, True)
        return v._buf


def _live() -> list[Variable]:
    while True:
        try:
            return list(LIVE.values())
        except RuntimeError:  # another thread made a variable meanwhile
            continue
