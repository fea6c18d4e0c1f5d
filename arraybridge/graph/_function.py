"""``ab.function``: TensorFlow's ``tf.function`` over any backend.

A call looks up its input signature (the tensors' shapes, dtypes and devices, the
variables passed, the values of every other argument, the semantics and the default
backend). A new signature traces: the Python function runs once, eagerly, while the
tracer records its backend calls; the recording is optimised into a program (see
``_program``) and cached. A known signature runs the program: no Python code of the
function, no dispatch, the variables it reads passed in and the ones it writes written
back after the call.
"""

from __future__ import annotations

import functools
import inspect
import threading
import warnings
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar, overload

import numpy as np

from .. import _config
from .._errors import TracingError
from .._tensor import Tensor
from .._variable import Variable
from ..autodiff._graph import current as _tape_state
from ..autodiff._tree import map_leaves
from ..backend import _registry
from ._program import Program, build
from ._recorder import Recorder, _saved, recorder, tracing

__all__ = ["ConcreteFunction", "Function", "function"]

P = ParamSpec("P")
R = TypeVar("R")

# A function that traced this many times, most of its last calls tracing, warns (once).
_RETRACE_WARN = 5
_HISTORY = 10


class _Out:
    """Where a returned tensor goes in the result: output number ``i``."""

    __slots__ = ("dev", "dtype", "i")

    def __init__(self, i: int, dtype: Any, dev: Any) -> None:
        self.i = i
        self.dtype = dtype
        self.dev = dev


def _rebuild(template: Any, outs: tuple[Any, ...]) -> Any:
    """The result: the template with the graph's outputs in place of its ``_Out`` leaves."""

    def leaf(t: Any) -> Any:
        if type(t) is not _Out:
            return t
        r = Tensor._new(outs[t.i], t.dtype, t.dev)
        r._shared = True  # it may share memory with a variable, a constant or an argument
        return r

    return map_leaves(leaf, template)


class ConcreteFunction:
    """The graph traced for one input signature; calling it runs the graph."""

    def __init__(
        self,
        owner: Function[Any, Any],
        program: Program,
        input_leaves: list[int],
        var_out: list[Variable],
        result: Any,
        keep: list[Any],
        compiled: Callable[..., Any] | None,
        alias: list[int],
    ) -> None:
        self._owner = owner
        self._alias = alias  # tensor arguments a result may view: marked shared after a call
        self.program = program
        self._input_leaves = input_leaves
        self._var_in = program.var_in
        self._var_out = var_out
        self._result = result
        self._keep = keep  # the variables and objects of the signature: their ids stay theirs
        self._run = compiled if compiled is not None else program.fn
        self._checked = compiled is None
        self.compiled = compiled is not None

    @property
    def ops(self) -> list[str]:
        """The backend calls the graph makes, in order (after CSE and dead-code pruning)."""
        return list(self.program.ops)

    @property
    def source(self) -> str:
        """The generated Python source of the graph."""
        return self.program.source

    @property
    def stats(self) -> dict[str, int]:
        """Node counts: ``recorded``, ``after_cse``, ``after_dce``; and ``constants``."""
        return dict(self.program.stats)

    def _execute(self, leaves: list[Tensor]) -> Any:
        datas = [leaves[i]._data for i in self._input_leaves]
        vals = [v._data for v in self._var_in]
        consts = self.program.consts
        if self._checked:
            outs, new = self._run(*datas, *vals, *consts)
        else:
            outs, new = self._first_compiled(datas, vals, consts)
        for v, buf in zip(self._var_out, new, strict=True):
            with v._lock:
                v._buf = buf
        for i in self._alias:
            leaves[i]._shared = True  # a result may view its memory: a write copies first
        return _rebuild(self._result, outs)

    def _first_compiled(self, datas: list[Any], vals: list[Any], consts: tuple[Any, ...]) -> Any:
        try:
            out = self._run(*datas, *vals, *consts)
        except Exception as exc:
            out = self.program.fn(*datas, *vals, *consts)  # a genuine error raises here
            self._run = self.program.fn
            self.compiled = False
            warnings.warn(
                f"ab.function: {self._owner.__name__} could not be compiled by the backend "
                f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
                "its graph runs uncompiled",
                UserWarning,
                stacklevel=4,
            )
        self._checked = True
        return out

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the graph on arguments of this signature."""
        return self._owner(*args, **kwargs)


class Function(Generic[P, R]):
    """A Python function traced into graphs, one per input signature (``ab.function``)."""

    def __init__(self, fn: Callable[P, R], jit_compile: bool | None = None) -> None:
        if not callable(fn):
            raise TypeError(f"ab.function: expected a callable, got {type(fn).__name__}")
        if jit_compile is not None and not isinstance(jit_compile, bool):
            raise TypeError(
                f"ab.function: jit_compile must be a bool or None, got {type(jit_compile).__name__}"
            )
        functools.update_wrapper(self, fn)
        self.__name__: str = getattr(fn, "__name__", type(fn).__name__)
        self.python_function = fn
        self.jit_compile = jit_compile
        self._cache: dict[Hashable, ConcreteFunction] = {}
        self._traces = 0
        self._history: deque[bool] = deque(maxlen=_HISTORY)
        self._last_key: Any = None
        self._warned = False
        self._made_variables = False
        self._lock = threading.RLock()
        self._signature: inspect.Signature | None = None

    @property
    def trace_count(self) -> int:
        """How many times the Python function was traced."""
        return self._traces

    def experimental_get_tracing_count(self) -> int:
        """TensorFlow's spelling of :attr:`trace_count`."""
        return self._traces

    def __repr__(self) -> str:
        return f"<ab.function {self.__name__} ({self._traces} traced)>"

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        return _Bound(self, obj)

    # -- calls --------------------------------------------------------------------------------
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if recorder() is not None:  # called while tracing another function: inline it
            return self.python_function(*args, **kwargs)
        st = _tape_state()
        if st.tapes and not st.paused:
            # Note: under a recording tape the function runs eagerly, so the tape records
            # its ops and tape.gradient differentiates through it (TensorFlow records the
            # call as one op with its gradient graph; the values are the same).
            return self.python_function(*args, **kwargs)
        key, a, kw, leaves, keep = self._key(args, kwargs)
        entry = self._cache.get(key)
        if entry is None:
            with self._lock:
                entry = self._cache.get(key)
                if entry is None:
                    return self._trace(key, a, kw, leaves, keep)  # type: ignore[no-any-return]
        self._history.append(False)
        return entry._execute(leaves)  # type: ignore[no-any-return]

    def _key(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[Hashable, tuple[Any, ...], dict[str, Any], list[Tensor], list[Any]]:
        """The call's input signature, its canonical arguments, tensors and held objects."""
        args, kwargs = self._canonical(args, kwargs)
        leaves: list[Tensor] = []
        keep: list[Any] = []
        key: tuple[Any, ...] = (
            self._context(),
            _key(args, leaves, keep),
            _key(kwargs, leaves, keep),
        )
        alias = _aliasing(leaves)
        if alias is not None:
            key = (*key, alias)
        return key, args, kwargs, leaves, keep

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> ConcreteFunction:
        """The graph for these arguments' signature, tracing it (by a call) if needed."""
        for _ in range(2):  # a first trace that made variables traces again
            key, a, kw, leaves, keep = self._key(args, kwargs)
            entry = self._cache.get(key)
            if entry is not None:
                return entry
            with self._lock:
                self._trace(key, a, kw, leaves, keep, restore=True)
        raise ValueError(f"ab.function: {self.__name__} has no graph for these arguments")

    @staticmethod
    def _context() -> tuple[Any, ...]:
        return (_config.get_semantics(), _registry.current())

    def _canonical(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        if any(type(a) is np.ndarray for a in args) or any(
            type(a) is np.ndarray for a in kwargs.values()
        ):
            from ..ops.creation import asarray

            args = tuple(asarray(a) if type(a) is np.ndarray else a for a in args)
            kwargs = {k: asarray(a) if type(a) is np.ndarray else a for k, a in kwargs.items()}
        if not kwargs:
            return args, kwargs
        sig = self._python_signature()
        if sig is None:
            return args, kwargs
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{self.__name__}: {exc}") from None
        return bound.args, dict(sorted(bound.kwargs.items()))

    # -- tracing -----------------------------------------------------------------------------
    def _trace(
        self,
        key: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        leaves: list[Tensor],
        keep: list[Any],
        restore: bool = False,
    ) -> Any:
        """Trace a call (running it); ``restore`` puts the variables back afterwards."""
        name = self.__name__
        rec = Recorder(name)
        with tracing(rec):
            start = [(v, v._buf) for v in rec.var_bufs.values()]
            rec.keep.append(start)  # the start buffers stay untouched (writes copy first)
            # fresh arrays for the arguments: values of this trace only (unique identities)
            fresh: dict[int, Tensor] = {}
            input_leaves: list[int] = []
            rec.depth += 1
            try:
                for i, t in enumerate(leaves):
                    if id(t._data) in fresh:
                        continue
                    be = t._dev.backend
                    data = _saved[be]["asarray"](t._data, None, t._dev.id, True)
                    fresh[id(t._data)] = Tensor._new(data, t._dtype, t._dev)
                    input_leaves.append(i)
            finally:
                rec.depth -= 1
            for i in input_leaves:
                rec.add_input(fresh[id(leaves[i]._data)]._data)
            swap = {id(t): fresh[id(t._data)] for t in leaves}
            if self._traces > 0 or self._made_variables:
                rec.forbid_variables = True
            try:
                result = self.python_function(*_swap(args, swap), **_swap(kwargs, swap))
            except TracingError:
                for v, buf in start:
                    with v._lock:
                        v._buf = buf
                raise
            outputs: list[int] = []
            template = self._template(result, rec, outputs)
            var_out: list[tuple[Variable, int]] = []
            for v, buf in start:
                now = v._buf
                s = rec.ids.get(id(now))
                if now is buf and (s is None or s in rec.var_entry):
                    continue  # not written
                var_out.append((v, rec.slot(now)))
            alias = _viewed(leaves, input_leaves, fresh, _natives(result))
            if restore:
                for v, buf in start:
                    with v._lock:
                        v._buf = buf
        self._traces += 1
        self._history.append(True)
        if rec.created:
            # TensorFlow's rule: variables are made on the first call only; that trace
            # holds their initialisation, so the next call traces again without it
            self._made_variables = True
            return result
        program, outputs, var_out = build(rec, outputs, var_out, "graph")
        compiled = None
        if self.jit_compile is not False:
            backends = {t._dev.backend for t in leaves} | {v._dev.backend for v in program.var_in}
            if len(backends) <= 1:
                be = next(iter(backends)) if backends else _registry.current()
                compiled = be.plugin.compile(program.fn)
        entry = ConcreteFunction(
            self,
            program,
            input_leaves,
            [v for v, _ in var_out],
            template,
            keep + [v for v, _ in var_out] + program.var_in,
            compiled,
            alias,
        )
        self._cache[key] = entry
        self._check_retracing(key)
        self._last_key = key
        return result

    @staticmethod
    def _template(result: Any, rec: Recorder, outputs: list[int]) -> Any:
        """The result with each returned tensor replaced by its output number."""

        def leaf(r: Any) -> Any:
            if isinstance(r, Tensor) and not isinstance(r, Variable):
                outputs.append(rec.slot(r._data))
                return _Out(len(outputs) - 1, r._dtype, r._dev)
            return r

        return map_leaves(leaf, result)

    def _check_retracing(self, key: Any) -> None:
        if self._warned or self._traces < _RETRACE_WARN:
            return
        if sum(self._history) < _RETRACE_WARN:
            return
        self._warned = True
        why = _difference(self._last_key, key, self._signature_names())
        warnings.warn(
            f"ab.function: {self.__name__} traced {sum(self._history)} times in its last "
            f"{len(self._history)} calls ({self._traces} in all); tracing is slow. "
            f"This call traced because {why}. Each new shape or dtype of a tensor argument, "
            "and each new value of any other argument, makes a new graph: pass changing "
            "numbers as tensors, keep shapes fixed, and make the ab.function once (not in a "
            "loop).",
            UserWarning,
            stacklevel=4,
        )

    def _python_signature(self) -> inspect.Signature | None:
        """The Python function's signature (None where it has none), looked up once."""
        if self._signature is None:
            try:
                self._signature = inspect.signature(self.python_function)
            except (TypeError, ValueError):
                return None
        return self._signature

    def _signature_names(self) -> list[str]:
        sig = self._python_signature()
        return [] if sig is None else list(sig.parameters)


class _Bound:
    """An ab.function used as a method: the instance is the first argument."""

    __slots__ = ("_fn", "_obj")

    def __init__(self, fn: Function[Any, Any], obj: Any) -> None:
        self._fn = fn
        self._obj = obj

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._fn(self._obj, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fn, name)

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> ConcreteFunction:
        return self._fn.get_concrete_function(self._obj, *args, **kwargs)


def _key(obj: Any, leaves: list[Tensor], keep: list[Any]) -> Hashable:
    t = type(obj)
    if t is Tensor:
        leaves.append(obj)
        return ("T", obj._dtype, obj._data.shape, obj._dev)
    if t in (int, float, bool, complex, str, bytes) or obj is None:
        return (t, obj)
    if t is tuple or t is list:
        return (t, *(_key(b, leaves, keep) for b in obj))
    if t is dict:
        return (dict, *((k, _key(v, leaves, keep)) for k, v in obj.items()))
    if isinstance(obj, Variable):
        keep.append(obj)
        return ("V", id(obj))
    if isinstance(obj, Tensor):  # a variable's snapshot or slice: a tensor argument
        leaves.append(obj)
        return ("T", obj._dtype, obj._data.shape, obj._dev)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return (t, *(_key(b, leaves, keep) for b in obj))
    try:
        hash(obj)
    except TypeError:
        keep.append(obj)
        return ("id", t, id(obj))
    return (t, obj)


def _natives(result: Any) -> list[Any]:
    """The arrays of the tensors in a result."""
    if isinstance(result, Tensor):
        return [] if isinstance(result, Variable) else [result._data]
    if type(result) is dict:
        result = list(result.values())
    if isinstance(result, list | tuple):
        return [n for r in result for n in _natives(r)]
    return []


def _viewed(
    leaves: list[Tensor], input_leaves: list[int], fresh: dict[int, Tensor], outs: list[Any]
) -> list[int]:
    """The tensor arguments whose memory a traced result may share (on in-place backends)."""
    found: list[int] = []
    for i in input_leaves:
        t = leaves[i]
        be = t._dev.backend
        if not be.writes_in_place:
            continue
        inp = fresh[id(t._data)]._data
        if any(o is inp or be.may_alias(o, inp) for o in outs):
            found.extend(j for j, u in enumerate(leaves) if u._data is t._data)
    return found


def _aliasing(leaves: list[Tensor]) -> tuple[int, ...] | None:
    """Which tensor arguments share one array (None: none do)."""
    if len(leaves) < 2:
        return None
    ids = [id(t._data) for t in leaves]
    if len(set(ids)) == len(ids):
        return None
    first: dict[int, int] = {}
    return tuple(first.setdefault(i, n) for n, i in enumerate(ids))


def _swap(obj: Any, swap: dict[int, Tensor]) -> Any:
    """The arguments with each tensor replaced by its fresh copy."""

    def leaf(t: Any) -> Any:
        return swap.get(id(t), t) if isinstance(t, Tensor) and not isinstance(t, Variable) else t

    return map_leaves(leaf, obj)


def _difference(old: Any, new: Any, params: list[str]) -> str:
    """Why ``new`` is not ``old``: the first argument whose signature part differs."""
    if old is None:
        return "its input signature is new"
    if old[0] != new[0]:
        return (
            f"the semantics or default backend changed ({old[0][0]}, {old[0][1].name} -> "
            f"{new[0][0]}, {new[0][1].name})"
        )
    for where, (a, b) in (("argument", (old[1], new[1])), ("keyword argument", (old[2], new[2]))):
        if a == b:
            continue
        parts_a, parts_b = a[1:], b[1:]
        for i, (pa, pb) in enumerate(zip(parts_a, parts_b, strict=False)):
            if pa == pb:
                continue
            label = f"{where} {params[i]!r}" if where == "argument" and i < len(params) else where
            if where == "keyword argument" and isinstance(pb, tuple) and len(pb) == 2:
                label = f"keyword argument {pb[0]!r}"
                pa, pb = pa[1], pb[1]
            return f"{label} changed: {_describe(pa)} -> {_describe(pb)}"
        return f"the number of {where}s changed ({len(parts_a)} -> {len(parts_b)})"
    return "its input signature is new (the tensor arguments share arrays differently)"


def _describe(part: Any) -> str:
    if type(part) is tuple and part and part[0] == "T":
        return f"a tensor of shape {tuple(part[2])} and dtype {part[1]}"
    if type(part) is tuple and len(part) == 2 and isinstance(part[0], type):
        kind = part[0].__name__
        return f"the Python {kind} {part[1]!r}"
    return "a different value"


@overload
def function(fn: Callable[P, R], /, *, jit_compile: bool | None = None) -> Function[P, R]: ...
@overload
def function(
    fn: None = None, /, *, jit_compile: bool | None = None
) -> Callable[[Callable[P, R]], Function[P, R]]: ...
def function(
    fn: Callable[P, R] | None = None, /, *, jit_compile: bool | None = None
) -> Function[P, R] | Callable[[Callable[P, R]], Function[P, R]]:
    """Trace ``fn`` into a graph per input signature and run the graph (``tf.function``).

    Parameters
    ----------
    fn : callable
        A Python function of tensors, variables and other values. Used as ``@ab.function``
        or ``@ab.function(jit_compile=...)``, or called as ``ab.function(fn)``.
    jit_compile : bool, optional
        Whether the backend's compiler (``jax.jit`` on JAX) compiles the graph; default
        where the backend has one. False replays the optimised graph without compiling.

    Notes
    -----
    The first call with a new input signature (the shapes, dtypes and devices of the
    tensor arguments, which variables are passed, the values of all other arguments, the
    semantics and the default backend) runs ``fn`` eagerly and records it; later calls
    with that signature run the graph, not ``fn``. ``trace_count`` says how many times it
    traced. Variables are read at their current values and written back after the call;
    a variable made inside ``fn`` must be made on the first call only (that call then
    traces again). Python control flow on a tensor's values raises ``ab.TracingError``
    while tracing. Under a recording ``GradientTape`` the function runs eagerly, so the
    tape can differentiate it.
    """
    if fn is None:
        return lambda f: Function(f, jit_compile)
    return Function(fn, jit_compile)
