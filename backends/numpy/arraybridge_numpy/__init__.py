"""The NumPy backend plugin (installed as ``arraybridge_numpy``).

Registered under the ``arraybridge.backends`` entry-point group exactly as a third
party's plugin would be. The namespace is ``array_api_compat.numpy``; the overrides
below only silence NumPy's floating-point warnings, which no other backend emits.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import numpy as np

from arraybridge.backend import Plugin

__all__ = ["NumPyPlugin", "plugin"]

# Note: NumPy reports overflow, division by zero and invalid operations as
# RuntimeWarnings; JAX and CuPy return the IEEE result silently. To give one behaviour
# on every backend, the functions that can produce such values run with NumPy's error
# state set to "ignore" for the call only (NumPy keeps that state in a ContextVar,
# which is far cheaper to set than entering ``np.errstate``).
try:
    from numpy._core._ufunc_config import (  # type: ignore[attr-defined]
        _extobj_contextvar,
        _make_extobj,
    )

    _QUIET = _make_extobj(all="ignore")
    _NO_ARG: Any = object()

    def _quiet(fn: Callable[..., Any]) -> Callable[..., Any]:
        set_, reset = _extobj_contextvar.set, _extobj_contextvar.reset

        # Fixed-arity versions first: they are the hot path of unary and binary ops.
        def quiet(a: Any, b: Any = _NO_ARG, /, *args: Any, **kwargs: Any) -> Any:
            token = set_(_QUIET)
            try:
                if b is _NO_ARG:
                    return fn(a, **kwargs) if kwargs else fn(a)
                if args or kwargs:
                    return fn(a, b, *args, **kwargs)
                return fn(a, b)
            finally:
                reset(token)

        quiet.__name__ = getattr(fn, "__name__", "quiet")
        return quiet

except ImportError:  # pragma: no cover - a NumPy without the private ContextVar

    def _quiet(fn: Callable[..., Any]) -> Callable[..., Any]:
        def quiet(*args: Any, **kwargs: Any) -> Any:
            with np.errstate(all="ignore"):
                return fn(*args, **kwargs)

        return quiet


def _silent(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Also drop NumPy's Python-level warnings ('Mean of empty slice', 'Degrees of freedom')."""
    inner = _quiet(fn)

    def silent(x: Any, /, **kwargs: Any) -> Any:
        # Only empty reductions and a positive correction can warn; the common case
        # skips catch_warnings, which costs several microseconds.
        if getattr(x, "size", 1) and not kwargs.get("correction"):
            return fn(x, **kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return inner(x, **kwargs)

    return silent


# Functions whose ordinary inputs yield inf or nan (x / 0, log(0), sqrt(-1), ...): NumPy
# would warn where the other backends are silent.
# Note: functions that only overflow (add, multiply, exp, sum, matmul, ...) are left
# unwrapped: setting the error state costs about 0.2 us a call, as much again as the
# whole dispatch, so NumPy's "overflow encountered" warning can still appear there.
_FLOATING_WARNERS = (
    "acos",
    "acosh",
    "asin",
    "atanh",
    "divide",
    "floor_divide",
    "log",
    "log10",
    "log1p",
    "log2",
    "pow",
    "reciprocal",
    "remainder",
    "sqrt",
    "astype",
    "linspace",
)
_STATISTICS = ("mean", "var", "std")


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

    def overrides(self) -> Mapping[str, Callable[..., Any]]:
        xp = self.namespace()
        out = {name: _quiet(getattr(xp, name)) for name in _FLOATING_WARNERS}
        out.update({name: _silent(getattr(xp, name)) for name in _STATISTICS})
        return out

    # -- array hooks --------------------------------------------------------------------
    def asarray(self, obj: Any, dtype: Any, device: str, copy: bool | None) -> Any:
        return np.array(obj, dtype=dtype, copy=copy)

    def copy(self, x: Any) -> Any:
        return np.array(x, copy=True)

    def setitem(self, x: Any, key: Any, value: Any) -> Any:
        # Ufuncs return NumPy scalars for 0-d results; those are immutable.
        if type(x) is not np.ndarray:
            x = np.array(x)
        x[key] = value
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
        if copy is True:
            return np.array(x, copy=True).__dlpack__(max_version=max_version, dl_device=dl_device)
        if max_version is not None and max_version >= (1, 0):
            # DLPack 1.0 carries a read-only flag: export a read-only view, no copy.
            return self.to_numpy(x).__dlpack__(max_version=max_version, dl_device=dl_device)
        if copy is False:
            raise BufferError(
                "__dlpack__: a consumer of DLPack < 1.0 cannot be told the buffer is "
                "read-only, so arraybridge exports a copy; copy=False cannot be honoured"
            )
        # Note: legacy consumers get a copy, so they can never write into a tensor.
        return np.array(x, copy=True).__dlpack__(dl_device=dl_device)

    def from_dlpack(self, obj: Any, device: str, copy: bool | None) -> Any:
        return np.from_dlpack(obj, copy=copy)


plugin = NumPyPlugin()
