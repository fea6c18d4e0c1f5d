"""The CuPy backend plugin (installed as ``arraybridge_cupy``; ``pip install 'arraybridge[cupy]'``).

Registered under the ``arraybridge.backends`` entry-point group exactly as a third
party's plugin would be. The namespace is ``array_api_compat.cupy``. CuPy needs an NVIDIA
GPU: without one the backend is listed as unavailable, with the reason.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import numpy as np

from arraybridge.backend import Plugin

__all__ = ["CuPyPlugin", "plugin"]


def _cupy() -> Any:
    import cupy

    return cupy


class CuPyPlugin(Plugin):
    """CuPy through ``array_api_compat.cupy``, one device per visible GPU."""

    name = "cupy"
    library = "cupy"
    extra = "cupy"

    def unavailable_reason(self) -> str | None:
        if importlib.util.find_spec("cupy") is None:
            return "cupy is not installed; install it with pip install 'arraybridge[cupy]'"
        try:
            count = int(_cupy().cuda.runtime.getDeviceCount())
        except Exception as exc:  # no driver, no CUDA runtime, ...
            return f"cupy cannot reach a GPU: {type(exc).__name__}: {exc}"
        return None if count else "cupy sees no GPU"

    def namespace(self) -> ModuleType:
        import array_api_compat.cupy as xp

        return xp

    def library_version(self) -> str:
        return str(_cupy().__version__)

    def dtypes(self) -> dict[Any, Any]:
        from arraybridge import _dtypes

        return {d: np.dtype(d.name) for d in _dtypes.ALL}

    def devices(self) -> list[str]:
        return [f"gpu:{i}" for i in range(int(_cupy().cuda.runtime.getDeviceCount()))]

    def device_of(self, x: Any) -> str:
        return f"gpu:{x.device.id}"

    def native_device(self, id: str) -> Any:
        return _cupy().cuda.Device(int(id.split(":")[1]))

    def memory_limit(self, id: str) -> int | None:
        _free, total = self.native_device(id).mem_info
        return int(total)

    # -- array hooks --------------------------------------------------------------------
    def asarray(self, obj: Any, dtype: Any, device: str, copy: bool | None) -> Any:
        cp = _cupy()
        with self.native_device(device):
            if copy is False and not isinstance(obj, cp.ndarray):
                raise ValueError(
                    "asarray: copy=False, but CuPy cannot wrap host memory without copying it "
                    "to the GPU"
                )
            return cp.array(obj, dtype=dtype, copy=True if copy is None else copy)

    def copy(self, x: Any) -> Any:
        return x.copy()

    def may_alias(self, result: Any, source: Any) -> bool:
        return result is source or result.base is not None

    def to_numpy(self, x: Any) -> np.ndarray[Any, Any]:
        out: np.ndarray[Any, Any] = x.get()  # a copy in host memory
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
        # Note: CuPy cannot mark an export read-only, so every export is a fresh copy the
        # consumer may write to; copy=False cannot be honoured.
        if copy is False:
            raise BufferError("__dlpack__: CuPy exports are copies; copy=False cannot be honoured")
        kwargs: dict[str, Any] = {"stream": stream}
        if max_version is not None:
            kwargs["max_version"] = max_version
        if dl_device is not None:
            kwargs["dl_device"] = dl_device
        return x.copy().__dlpack__(**kwargs)

    def from_dlpack(self, obj: Any, device: str, copy: bool | None) -> Any:
        cp = _cupy()
        with self.native_device(device):
            out = cp.from_dlpack(obj)
            return out.copy() if copy is not False else out


plugin = CuPyPlugin()
