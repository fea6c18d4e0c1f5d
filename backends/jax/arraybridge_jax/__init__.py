"""The JAX backend plugin (installed as ``arraybridge_jax``; ``pip install 'arraybridge[jax]'``).

Registered under the ``arraybridge.backends`` entry-point group exactly as a third
party's plugin would be. The namespace is ``jax.numpy`` (an Array API namespace, as
``array_api_compat.array_namespace`` reports for JAX arrays). Loading the plugin turns on
JAX's 64-bit mode, so float64 and int64 mean what they say; arraybridge's own defaults
(float32, int64) are unchanged. The overrides close the places where JAX's answers
differ from the other backends'.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import numpy as np

from arraybridge.backend import Plugin

__all__ = ["JaxPlugin", "plugin"]


def _jax() -> ModuleType:
    jax = importlib.import_module("jax")
    # Note: without 64-bit mode JAX silently truncates float64 to float32 and int64 to
    # int32; arraybridge never truncates, so the mode is on from the plugin's first use.
    jax.config.update("jax_enable_x64", True)
    return jax


def _device_id(d: Any) -> str:
    return f"{d.platform}:{d.id}"


class _Bounds:
    """Raise IndexError for out-of-bounds integer indices (JAX clamps reads, drops writes)."""

    @staticmethod
    def check(shape: tuple[int, ...], key: Any) -> None:
        parts = key if isinstance(key, tuple) else (key,)
        consumed = sum(_width(p) for p in parts if p is not Ellipsis and p is not None)
        dim = 0
        for p in parts:
            if p is None:
                continue
            if p is Ellipsis:
                dim += len(shape) - consumed
                continue
            width = _width(p)
            if dim + width > len(shape):
                raise IndexError(
                    f"too many indices: {len(shape)}-D tensor, index with {consumed} dimensions"
                )
            if _is_mask(p):
                mask_shape = tuple(np.shape(p))
                if mask_shape != shape[dim : dim + width]:
                    raise IndexError(
                        f"boolean index of shape {mask_shape} does not match the indexed "
                        f"dimensions {shape[dim : dim + width]}"
                    )
            elif width == 1 and not isinstance(p, slice):
                _check_ints(p, shape[dim], dim)
            dim += width


def _is_mask(p: Any) -> bool:
    dtype = getattr(p, "dtype", None)
    return type(p) is not bool and dtype is not None and np.dtype(dtype) == np.bool_


def _width(p: Any) -> int:
    """How many dimensions of the indexed array an index part consumes."""
    if type(p) is bool:
        return 0
    return int(np.ndim(p)) if _is_mask(p) else 1


def _check_ints(p: Any, size: int, dim: int) -> None:
    if isinstance(p, int):
        if not -size <= p < size:
            raise IndexError(f"index {p} is out of bounds for axis {dim} with size {size}")
        return
    if isinstance(p, _jax().core.Tracer):
        # Note: inside jax.jit (a compiled ab.function graph) the values are not known; the
        # trace checked the traced call's, later calls get JAX's clamping
        return
    values = np.asarray(p)
    if values.size == 0:
        return
    lo, hi = int(values.min()), int(values.max())
    if lo < -size or hi >= size:
        bad = lo if lo < -size else hi
        raise IndexError(f"index {bad} is out of bounds for axis {dim} with size {size}")


def _int_division(fn: Callable[..., Any], jnp: Any) -> Callable[..., Any]:
    """Integer division and remainder by zero give 0, as on NumPy (JAX gives garbage)."""

    def op(x1: Any, x2: Any) -> Any:
        dtype = jnp.result_type(x1, x2)
        if not jnp.issubdtype(dtype, jnp.integer):
            return fn(x1, x2)
        zero = x2 == 0
        safe = jnp.where(zero, jnp.ones_like(x2), x2)
        return jnp.where(zero, jnp.zeros((), dtype), fn(x1, safe))

    return op


class JaxPlugin(Plugin):
    """JAX through ``jax.numpy``, on every device JAX sees (CPU, GPU, TPU)."""

    name = "jax"
    library = "jax"
    extra = "jax"
    writes_in_place = False  # every write is a functional update: x.at[key].set(value)

    def namespace(self) -> ModuleType:
        _jax()
        return importlib.import_module("jax.numpy")

    def library_version(self) -> str:
        return str(_jax().__version__)

    def dtypes(self) -> Mapping[Any, Any]:
        from arraybridge import _dtypes

        return {d: np.dtype(d.name) for d in _dtypes.ALL}

    def _devices(self) -> dict[str, Any]:
        jax = _jax()
        found = {_device_id(d): d for d in jax.devices()}
        for d in jax.devices("cpu"):
            found.setdefault(_device_id(d), d)
        return found

    def devices(self) -> list[str]:
        return list(self._devices())

    def device_of(self, x: Any) -> str:
        devs = x.devices()
        return _device_id(next(iter(devs)))

    def native_device(self, id: str) -> Any:
        return self._devices()[id]

    def memory_limit(self, id: str) -> int | None:
        dev = self._devices()[id]
        if dev.platform == "cpu":
            return None  # the machine's RAM
        stats = dev.memory_stats() or {}  # GPUs and TPUs: what XLA's allocator may use
        limit = stats.get("bytes_limit")
        return int(limit) if limit else None

    def overrides(self) -> Mapping[str, Callable[..., Any]]:
        from . import _elementwise, _others

        jnp = self.namespace()
        out = {
            "floor_divide": _int_division(jnp.floor_divide, jnp),
            "remainder": _int_division(jnp.remainder, jnp),
        }
        out.update(_elementwise.overrides(jnp))
        out.update(_others.overrides(jnp))
        return out

    def compile(self, fn: Callable[..., Any]) -> Callable[..., Any] | None:
        return _jax().jit(fn)  # type: ignore[no-any-return]

    # -- array hooks --------------------------------------------------------------------
    def asarray(self, obj: Any, dtype: Any, device: str, copy: bool | None) -> Any:
        jax = _jax()
        if copy is False and not isinstance(obj, jax.Array):
            raise ValueError(
                "asarray: copy=False, but JAX cannot wrap another library's memory without "
                "copying it to its own buffer"
            )
        dev = self._devices()[device]
        if isinstance(obj, jax.Array):
            out = self.namespace().asarray(obj, dtype=dtype, copy=copy)
            return jax.device_put(out, dev)
        # Note: JAX reads a host buffer asynchronously after device_put returns, or
        # aliases it on the CPU, so a write to the caller's array just after the call
        # reached the tensor; JAX gets a private copy. (It also skips jnp.asarray, which
        # compiles a staging program for every new shape.) NumPy does the cast, as JAX
        # would, without its overflow warning: 1e300 to float32 is inf.
        with np.errstate(over="ignore"):
            host = np.array(obj, dtype=dtype, copy=True)
        return jax.device_put(host, dev)

    def copy(self, x: Any) -> Any:
        return x  # immutable: the same array is as good as a copy

    def getitem(self, x: Any, key: Any) -> Any:
        _Bounds.check(tuple(x.shape), key)
        return x[key]

    def setitem(self, x: Any, key: Any, value: Any) -> Any:
        _Bounds.check(tuple(x.shape), key)
        return x.at[key].set(value)

    def may_alias(self, result: Any, source: Any) -> bool:
        return False  # JAX arrays never change, so sharing is harmless

    def to_numpy(self, x: Any) -> np.ndarray[Any, Any]:
        out = np.asarray(x)
        if out.flags.writeable:  # a copy from a device, or a view JAX could reuse
            out = out.view()
            out.flags.writeable = False
        return out

    def dlpack(
        self,
        x: Any,
        *,
        stream: Any = None,
        max_version: tuple[int, int] | None = None,
        dl_device: Any = None,
        copy: bool | None = None,
    ) -> Any:
        if copy:  # a fresh buffer: the consumer may write into it
            x = self.namespace().array(x, copy=True)
        kwargs: dict[str, Any] = {"stream": stream}
        if max_version is not None:
            kwargs["max_version"] = max_version
        if dl_device is not None:
            kwargs["dl_device"] = dl_device
        return x.__dlpack__(**kwargs)

    def from_dlpack(self, obj: Any, device: str, copy: bool | None) -> Any:
        jax = _jax()
        return jax.device_put(self.namespace().from_dlpack(obj), self._devices()[device])


plugin = JaxPlugin()
