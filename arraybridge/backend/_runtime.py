"""A loaded backend: the plugin's answers, resolved once, in the shape the hot path reads."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import operator
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from .. import _dtypes
from .._dtypes import DType
from ._contract import Plugin

__all__ = ["REAL", "Backend", "Device"]


# Set by ab.function's tracer while any thread traces: wraps a resolved callable so that
# the tracing thread records its calls.
TRACING: Callable[[str, Callable[..., Any]], Callable[..., Any]] | None = None
# Told of each backend loaded while a thread traces (its hooks are then wrapped too).
ON_LOAD: list[Callable[[Backend], None]] = []


class _Functions(dict[str, Callable[..., Any]]):
    """Spec name -> backend callable, resolved on first use and cached (overrides first).

    Where the plugin gives a context for a name (``Plugin.context``), its callable runs
    each call in the calling thread's copy of that context.
    """

    __slots__ = ("_backend", "contexts", "plain")

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self._backend = backend
        self.plain: dict[str, Callable[..., Any]] = {}  # after adapt, before the context
        self.contexts: dict[str, contextvars.Context] = {}

    def __missing__(self, name: str) -> Callable[..., Any]:
        be = self._backend
        spec, real, _ = name.partition(REAL)
        fn = be.overrides.get(spec)
        if fn is None:
            fn = _lookup(be.xp, spec)
            if fn is None:
                raise NotImplementedError(
                    f"{spec} is not provided by the {be.name!r} backend "
                    f"(its namespace lacks it and the plugin has no override)"
                )
        if real:  # the function for real inputs (see REAL)
            fn = getattr(fn, "real_inputs", None)
            if fn is None:
                fn = self[spec]
                self.plain[name] = self.plain[spec]
                if spec in self.contexts:
                    self.contexts[name] = self.contexts[spec]
                self[name] = fn
                return fn
        fn = self.plain[name] = be.plugin.adapt(spec, fn)
        ctx = be.plugin.context(spec)
        if ctx is not None:
            self.contexts[name] = ctx
            fn = _in_context(fn, ctx)
        if TRACING is not None:
            fn = TRACING(name, fn)  # resolved while ab.function traces: record its calls
        self[name] = fn
        return fn


_NO_ARG: Any = object()

# Note: a unary elementwise function may carry ``fn.real_inputs``, the same function for
# real (not complex) inputs only: the JAX plugin's standard-conforming complex versions check
# the dtype on each call (about 0.6 us), which the frontend's fast path already knows. The
# table resolves ``name + REAL`` to it (or, without one, to the function itself); taking it
# from the function, not from a key of its own, keeps a subclass's override of ``name`` in
# force for every input.
REAL = "@real"


def _in_context(fn: Callable[..., Any], shared: contextvars.Context) -> Callable[..., Any]:
    """``fn`` run in this thread's copy of ``shared`` (a Context is entered by one thread
    at a time, and not again by a thread already inside it)."""
    local = threading.local()

    # (fast paths for one and two positional arguments: no tuple or dict is built)
    def call(a: Any = _NO_ARG, b: Any = _NO_ARG, /, *args: Any, **kwargs: Any) -> Any:
        try:
            run: Callable[..., Any] = local.run
        except AttributeError:
            run = local.run = shared.copy().run
        if args or kwargs or a is _NO_ARG:
            if a is _NO_ARG:
                return run(fn, *args, **kwargs)
            if b is _NO_ARG:
                return run(fn, a, *args, **kwargs)
            return run(fn, a, b, *args, **kwargs)
        if b is _NO_ARG:
            return run(fn, a)
        return run(fn, a, b)

    call.__name__ = getattr(fn, "__name__", "call")
    call.__doc__ = getattr(fn, "__doc__", None)
    return call


class _Hot(dict[str, Callable[..., Any]]):
    """The function table as the frontend's elementwise fast paths call it: a function
    with a context is ``functools.partial(context.run, fn)`` on the plugin's context
    itself, no Python frame at all (the others are the table's own callables).

    Only one thread can be inside a Context, and only once: a call made while another
    thread (or this one, re-entering) is inside raises RuntimeError before ``fn`` runs,
    and the caller then calls ``fns[name]`` (this thread's copy of the context). A cache
    derived from the function table, so clearing it is always safe; while ``ab.function``
    traces it holds the table's (recording) callables.
    """

    __slots__ = ("_fns",)

    def __init__(self, fns: _Functions) -> None:
        super().__init__()
        self._fns = fns

    def __missing__(self, name: str) -> Callable[..., Any]:
        fns = self._fns
        fn = fns[name]
        ctx = fns.contexts.get(name)
        if ctx is not None and TRACING is None:
            fn = functools.partial(ctx.run, fns.plain[name])
        self[name] = fn
        return fn


class _FromNative(dict[Any, DType]):
    """Native dtype -> arraybridge dtype; a dtype the plugin did not declare is a clear error."""

    __slots__ = ("_name",)

    def __init__(self, name: str, items: dict[Any, DType]) -> None:
        super().__init__(items)
        self._name = name

    def __missing__(self, native: Any) -> DType:
        from .._errors import DTypeError

        raise DTypeError(
            f"the {self._name} backend returned an array of dtype {native}, which it does not "
            f"support (its plugin declares {', '.join(d.name for d in self.values())})"
        )


def _lookup(xp: ModuleType, dotted: str) -> Callable[..., Any] | None:
    obj: Any = xp
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj  # type: ignore[no-any-return]


_SUBNORMALS: dict[Device, bool] = {}


class Device:
    """Where a tensor lives: a backend and one of its devices, e.g. ``Device('numpy:cpu')``.

    One object per (backend, device), so two tensors are on the same device exactly
    when their ``device`` attributes are the same object (and equal).
    """

    __slots__ = ("backend", "fns", "hot", "id")

    backend: Backend
    id: str
    fns: _Functions  # the backend's function table, one attribute read from a tensor
    # the same functions for the elementwise fast paths (see _Hot): a RuntimeError from
    # one of them means "call fns[name] instead"
    hot: _Hot

    def __init__(self, backend: Backend, id: str) -> None:
        object.__setattr__(self, "backend", backend)
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "fns", backend.fns)
        object.__setattr__(self, "hot", backend.hot)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Device objects are immutable")

    @property
    def backend_name(self) -> str:
        """The backend's name."""
        return self.backend.name

    @property
    def subnormals(self) -> bool:
        """Whether arithmetic here keeps subnormal floats.

        False where the device flushes subnormal inputs and results to zero (XLA on CPU
        does); arraybridge cannot emulate them there. Measured once per device.
        """
        known = _SUBNORMALS.get(self)
        if known is None:
            be = self.backend
            tiny = np.array([np.finfo(np.float32).smallest_subnormal], dtype=np.float32)
            x = be.asarray(tiny, be.to_native[_dtypes.float32], self.id, None)
            one = be.asarray(np.ones(1, np.float32), be.to_native[_dtypes.float32], self.id, None)
            known = _SUBNORMALS[self] = bool(be.to_numpy(self.fns["multiply"](x, one))[0] != 0)
        return known

    def __repr__(self) -> str:
        return f"Device('{self}')"

    def __str__(self) -> str:
        return f"{self.backend.name}:{self.id}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Device):
            return self is other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.backend.name, self.id))

    def __reduce__(self) -> tuple[Any, ...]:
        from . import _registry

        return (_registry.device_from_string, (str(self),))


class Backend:
    """A loaded plugin: namespace, dtype maps, devices and the cached function table."""

    __slots__ = (
        "asarray",
        "copy",
        "default",
        "devices",
        "dlpack",
        "fns",
        "from_dlpack",
        "from_native",
        "getitem",
        "hot",
        "may_alias",
        "name",
        "overrides",
        "plugin",
        "setitem",
        "to_native",
        "to_numpy",
        "version",
        "writes_in_place",
        "xp",
    )

    def __init__(self, plugin: Plugin) -> None:
        self.plugin = plugin
        self.name = plugin.name
        self.xp = plugin.namespace()
        self.version = plugin.library_version()
        self.overrides = dict(plugin.overrides())
        self.to_native: dict[DType, Any] = dict(plugin.dtypes())
        self.from_native: dict[Any, DType] = _FromNative(
            plugin.name, {v: k for k, v in self.to_native.items()}
        )
        for native, dt in list(self.from_native.items()):
            # arrays report np.dtype instances even where the namespace exposes scalar types
            with contextlib.suppress(TypeError):
                self.from_native.setdefault(np.dtype(native), dt)
        self.fns = _Functions(self)
        self.hot = _Hot(self.fns)
        self.devices = {i: Device(self, i) for i in plugin.devices()}
        self.default = next(iter(self.devices.values()))
        self.writes_in_place = plugin.writes_in_place
        self.setitem = plugin.setitem
        # the C-level operator unless the plugin changes indexing (one call less per read)
        self.getitem = (
            operator.getitem if type(plugin).getitem is Plugin.getitem else plugin.getitem
        )
        # the contract's array-level calls, as attributes: ab.function's tracer swaps them
        # (with the function table) for recording ones while it traces
        self.asarray = plugin.asarray
        self.from_dlpack = plugin.from_dlpack
        self.copy = plugin.copy
        self.may_alias = plugin.may_alias
        self.to_numpy = plugin.to_numpy
        self.dlpack = plugin.dlpack
        for hook in ON_LOAD:
            hook(self)

    def device(self, native: Any) -> Device:
        """The Device of a native array of this backend."""
        if len(self.devices) == 1:
            return self.default
        return self.devices[self.plugin.device_of(native)]

    def __repr__(self) -> str:
        return f"<arraybridge backend {self.name!r} ({self.plugin.library} {self.version})>"
