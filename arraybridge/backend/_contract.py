"""The backend plugin contract.

A backend plugin is an object registered under the entry-point group
``arraybridge.backends``; the entry point names the plugin object (or a class whose
no-argument call makes one). Subclass :class:`Plugin` and fill in what differs: most
of the work is done by the Array API namespace the plugin returns from ``namespace()``,
normally ``array_api_compat``'s wrapper of the library.

Everything here is called once when the backend is first used, except the few array
hooks (``setitem``, ``copy``, ``may_alias``, ``to_numpy``, ``dlpack``) which arraybridge
calls on the paths that need them. A plugin must never be imported by
``import arraybridge``: ``unavailable_reason`` is called without importing the library.
"""

from __future__ import annotations

import contextvars
import importlib.util
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import numpy as np

from .._dtypes import DType

__all__ = ["Plugin"]

Native = Any  # a backend's array object


class Plugin:
    """Base class of backend plugins; every attribute and method below is the contract.

    Attributes
    ----------
    name : str
        The backend's name, as users pass it to ``ab.set_backend``.
    library : str
        The module the backend wraps; its absence makes the backend unavailable.
    extra : str or None
        The pip extra of ``arraybridge`` that installs the library (for error messages).
    writes_in_place : bool
        True when ``setitem`` writes into the array it is given (NumPy, CuPy): arraybridge
        then copies a shared buffer before writing. False for functional updates (JAX).
    """

    name: str = ""
    library: str = ""
    extra: str | None = None
    writes_in_place: bool = True

    # -- discovery (cheap: must not import the library) ---------------------------------
    def unavailable_reason(self) -> str | None:
        """Why the backend cannot be used here, or None when it can."""
        if importlib.util.find_spec(self.library) is None:
            hint = (
                f"; install it with pip install 'arraybridge[{self.extra}]'" if self.extra else ""
            )
            return f"{self.library} is not installed{hint}"
        return None

    # -- loading (called once, on first use) --------------------------------------------
    def namespace(self) -> ModuleType:
        """The backend's Array API namespace (normally from array_api_compat)."""
        raise NotImplementedError

    def library_version(self) -> str:
        """The wrapped library's version string."""
        mod = importlib.import_module(self.library)
        return str(getattr(mod, "__version__", "unknown"))

    def dtypes(self) -> Mapping[DType, Any]:
        """Map of every arraybridge dtype the backend supports to its native dtype."""
        xp = self.namespace()
        from .. import _dtypes

        return {d: getattr(xp, d.name) for d in _dtypes.ALL if hasattr(xp, d.name)}

    def devices(self) -> list[str]:
        """Identifiers of the devices arrays can live on; the first is the default."""
        return ["cpu"]

    def native_device(self, id: str) -> Any:
        """The object the namespace's ``device=`` arguments take for device ``id``."""
        return None  # the library's default device

    def memory_limit(self, id: str) -> int | None:
        """The bytes of memory device ``id`` has (a GPU's), or None for the machine's
        physical RAM (a CPU device). Creation functions refuse, with ``MemoryError``, a
        single array larger than this."""
        return None

    def overrides(self) -> Mapping[str, Callable[..., Any]]:
        """Functions (by spec name) that replace the namespace's where it deviates.

        A unary elementwise function may carry ``fn.real_inputs``: the same function for
        real (not complex) inputs only, which the frontend then calls for real tensors (for
        a function that handles complex inputs its own way and checks the dtype on each call).
        """
        return {}

    def adapt(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap the function resolved for spec name ``name`` (called once per name)."""
        return fn

    def context(self, name: str) -> contextvars.Context | None:
        """A context in which the function for spec name ``name`` runs, or None.

        For a library that keeps settings in context variables (NumPy's floating-point
        error state): arraybridge runs each call of that function (after ``adapt``) in
        this context, or in a copy per thread, so the settings hold for arraybridge's
        calls only. The array hooks below are not run in it. Called once per name.
        """
        return None

    def compile(self, fn: Callable[..., Any]) -> Callable[..., Any] | None:
        """``fn`` compiled by the library, or None where it has no compiler.

        ``fn`` is a pure function of native arrays (a graph traced by ``ab.function``,
        with variables as explicit inputs and outputs) that calls only the namespace's
        functions and this plugin's hooks; the result must compute the same values.
        """
        return None

    # -- array hooks --------------------------------------------------------------------
    def device_of(self, x: Native) -> str:
        """The device identifier of a native array."""
        return self.devices()[0]

    def asarray(self, obj: Any, dtype: Any, device: str, copy: bool | None) -> Native:
        """Make a native array of native dtype ``dtype`` (None: infer) on ``device``."""
        return self.namespace().asarray(obj, dtype=dtype, copy=copy)

    def copy(self, x: Native) -> Native:
        """A copy of ``x`` that shares no memory with it."""
        return self.namespace().asarray(x, copy=True)

    def getitem(self, x: Native, key: Any) -> Native:
        """``x[key]``, raising IndexError for out-of-bounds integers (override only if needed)."""
        return x[key]

    def setitem(self, x: Native, key: Any, value: Any) -> Native:
        """``x`` with ``x[key] = value`` applied (in place when ``writes_in_place``)."""
        x[key] = value
        return x

    def may_alias(self, result: Native, source: Native) -> bool:
        """Whether ``result`` (of a view-capable op on ``source``) may share its memory."""
        return True

    def to_numpy(self, x: Native) -> np.ndarray[Any, Any]:
        """A NumPy array of ``x``'s values that cannot write into ``x`` (read-only or a copy)."""
        out = np.asarray(x)
        if out.flags.writeable and np.shares_memory(out, x):
            out = out.view()
            out.flags.writeable = False
        return out

    def dlpack(
        self,
        x: Native,
        *,
        stream: Any = None,
        max_version: tuple[int, int] | None = None,
        dl_device: Any = None,
        copy: bool | None = None,
    ) -> Any:
        """A DLPack capsule of ``x`` that the consumer cannot use to write into ``x``."""
        if isinstance(x, np.ndarray) and x.flags.writeable:
            # DLPack 1.0 carries a read-only flag: export a read-only view (no copy)
            x = self.to_numpy(x)
        return x.__dlpack__(stream=stream, max_version=max_version, dl_device=dl_device, copy=copy)

    def dlpack_device(self, x: Native) -> tuple[int, int]:
        """``x.__dlpack_device__()``."""
        dev: tuple[int, int] = x.__dlpack_device__()
        return dev

    def from_dlpack(self, obj: Any, device: str, copy: bool | None) -> Native:
        """Import an object implementing the DLPack protocol."""
        return self.namespace().from_dlpack(obj, copy=copy)
