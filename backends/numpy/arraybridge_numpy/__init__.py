"""The NumPy backend plugin (installed as ``arraybridge_numpy``).

Registered under the ``arraybridge.backends`` entry-point group exactly as a third
party's plugin would be. The namespace is ``array_api_compat.numpy``; NumPy's
floating-point warnings, which no other backend emits, are silenced (see ``context``).
"""

from __future__ import annotations

import contextvars
import operator
import threading
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from arraybridge.backend import Plugin

__all__ = ["NumPyPlugin", "plugin"]

# Note: NumPy reports overflow, division by zero and invalid operations (inf - inf,
# cos(inf), sign(0j), ...) as RuntimeWarnings; JAX and CuPy return the IEEE result
# silently. For one behaviour on every backend, every NumPy call runs with NumPy's error
# state set to "ignore". NumPy keeps that state in a ContextVar, so the plugin gives
# arraybridge a context in which it is set (``context``), and arraybridge enters it for
# each call: Context.run costs next to nothing, unlike entering np.errstate (about 1 us)
# or setting the ContextVar per call. The hooks below enter a per-thread copy themselves.
_QUIET = contextvars.copy_context()
_QUIET.run(np.seterr, all="ignore")  # sets the error state inside _QUIET only
_local = threading.local()


def _quiet_run() -> Callable[..., Any]:
    try:
        run: Callable[..., Any] = _local.run
    except AttributeError:
        run = _local.run = _QUIET.copy().run
    return run


def _silent(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Also drop NumPy's Python-level warnings ('Mean of empty slice', 'Degrees of freedom')."""

    def silent(x: Any, /, **kwargs: Any) -> Any:
        # Only empty reductions and a positive correction can warn; the common case
        # skips catch_warnings, which costs several microseconds.
        if getattr(x, "size", 1) and not kwargs.get("correction"):
            return fn(x, **kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return fn(x, **kwargs)

    return silent


_STATISTICS = ("mean", "var", "std")


def _reduction(ufunc: np.ufunc) -> Callable[..., Any]:
    """``np.sum``/``prod``/``max``/``min`` for an ndarray, without their Python-level
    dispatch (``_wrapreduction``: about 3 us a call, more than a small reduction itself),
    entering the quiet context itself (one Python frame in all: arraybridge calls these
    with keywords, which the context's generic entry would pass through a second frame)."""
    reduce: Callable[..., Any] = ufunc.reduce

    def f(x: Any, /, *, axis: Any = None, keepdims: bool = False, dtype: Any = None) -> Any:
        try:
            run = _local.run
        except AttributeError:
            run = _quiet_run()
        return run(reduce, x, axis, dtype, None, keepdims)  # (reduce's positional order)

    return f


# the reductions arraybridge calls with tensors' own arrays (never with a Python list)
_REDUCTIONS = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}


def _broadcast_to(x: Any, /, shape: tuple[int, ...]) -> Any:
    """``np.broadcast_to`` for a C-contiguous array: a read-only strided view, built directly
    (NumPy's own builds an iterator first, about 3 us a call); anything else goes to NumPy."""
    if isinstance(x, np.generic):  # ufuncs give NumPy scalars for 0-d results
        x = np.array(x)
    if type(x) is np.ndarray and x.flags.c_contiguous:
        dims = x.shape
        lead = len(shape) - len(dims)
        if lead >= 0:
            strides = [0] * lead
            for n, size, stride in zip(dims, shape[lead:], x.strides, strict=True):
                if n == size:
                    strides.append(stride)
                elif n == 1 and size >= 0:
                    strides.append(0)
                else:
                    return np.broadcast_to(x, shape)  # (raises NumPy's error)
            view = np.ndarray(shape, x.dtype, x, 0, tuple(strides))
            view.flags.writeable = False
            return view
    return np.broadcast_to(x, shape)


# Functions that only rearrange elements: they cannot raise floating-point warnings, so they
# run outside the quiet context (its per-thread entry is about 0.3 us a call).
_NO_ARITHMETIC = frozenset(
    {"reshape", "broadcast_to", "permute_dims", "expand_dims", "squeeze", "matrix_transpose"}
)
# array_api_compat's versions of these only forward to NumPy's (NumPy 2 follows the
# standard here): call NumPy's directly, a Python frame or two less per call.
_DIRECT: dict[str, Callable[..., Any]] = {
    "matmul": np.matmul,
    "matrix_transpose": operator.attrgetter("mT"),
    "broadcast_to": _broadcast_to,
}


class NumPyPlugin(Plugin):
    """NumPy through ``array_api_compat.numpy``; CPU only."""

    name = "numpy"
    library = "numpy"
    extra = None  # a runtime dependency of arraybridge itself

    def namespace(self) -> ModuleType:
        import array_api_compat.numpy as xp

        return xp

    def library_version(self) -> str:
        return np.__version__

    def adapt(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in _STATISTICS:
            return _silent(fn)
        ufunc = _REDUCTIONS.get(name)
        return _DIRECT.get(name, fn) if ufunc is None else _reduction(ufunc)

    def context(self, name: str) -> contextvars.Context | None:
        return None if name in _NO_ARITHMETIC or name in _REDUCTIONS else _QUIET

    # -- array hooks --------------------------------------------------------------------
    def asarray(self, obj: Any, dtype: Any, device: str, copy: bool | None) -> Any:
        return _quiet_run()(np.array, obj, dtype=dtype, copy=copy)  # 1e300 -> float32 is inf

    def copy(self, x: Any) -> Any:
        if type(x) is np.ndarray:
            return x.copy()
        return np.array(x, copy=True)

    def setitem(self, x: Any, key: Any, value: Any) -> Any:
        # Ufuncs return NumPy scalars for 0-d results; those are immutable.
        if type(x) is not np.ndarray:
            x = np.array(x)
        if type(value) is np.ndarray and (value.dtype is x.dtype or value.dtype == x.dtype):
            x[key] = value  # no cast, so no floating-point warning to silence
        else:
            _quiet_run()(x.__setitem__, key, value)
        return x

    def may_alias(self, result: Any, source: Any) -> bool:
        return result is source or (type(result) is np.ndarray and result.base is not None)

    def to_numpy(self, x: Any) -> np.ndarray[Any, Any]:
        if type(x) is not np.ndarray:
            return np.asarray(x)  # a NumPy scalar: the 0-d array made here is a copy
        view = x.view()
        view.flags.writeable = False
        return view

    def dlpack(
        self,
        x: Any,
        *,
        stream: Any = None,
        max_version: tuple[int, int] | None = None,
        dl_device: Any = None,
        copy: bool | None = None,
    ) -> Any:
        if stream is not None:
            raise ValueError("__dlpack__: stream must be None for the NumPy backend")
        x = np.asarray(x)
        if copy:
            return np.array(x, copy=True).__dlpack__(max_version=max_version, dl_device=dl_device)
        # DLPack 1.0 carries a read-only flag: a read-only view, no copy.
        return self.to_numpy(x).__dlpack__(max_version=max_version, dl_device=dl_device)

    def from_dlpack(self, obj: Any, device: str, copy: bool | None) -> Any:
        return np.from_dlpack(obj, copy=copy)


plugin = NumPyPlugin()
