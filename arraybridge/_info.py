"""``__array_namespace_info__``: what the current backend can do (the inspection API)."""

from __future__ import annotations

from typing import Any

from . import _dtypes
from ._convert import resolve_device
from ._dtypes import DType
from .backend import Device, _registry
from .ops.data_type import isdtype

__all__ = ["Info", "__array_namespace_info__"]


class Info:
    """The inspection object of the Array API standard, for the current backend."""

    def capabilities(self) -> dict[str, Any]:
        """Optional features: boolean indexing, data-dependent shapes, max dimensions."""
        caps = {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}
        caps.update(getattr(_registry.current().plugin, "capabilities", dict)())
        return caps

    def default_device(self) -> Device:
        """The device creation functions use when given none."""
        return _registry.current().default

    def default_dtypes(self, *, device: Any = None) -> dict[str, DType]:
        """arraybridge's defaults (the same on every backend and device)."""
        resolve_device(device, "default_dtypes")
        return {
            "real floating": _dtypes.DEFAULT_FLOAT,
            "complex floating": _dtypes.DEFAULT_COMPLEX,
            "integral": _dtypes.DEFAULT_INT,
            "indexing": _dtypes.DEFAULT_INDEX,
        }

    def devices(self) -> tuple[Device, ...]:
        """The current backend's devices."""
        return tuple(_registry.current().devices.values())

    def dtypes(self, *, device: Any = None, kind: Any = None) -> dict[str, DType]:
        """The dtypes ``device`` (default: the current default device) supports, by name."""
        dev = resolve_device(device, "dtypes")
        supported = dev.backend.to_native
        return {
            d.name: d for d in _dtypes.ALL if d in supported and (kind is None or isdtype(d, kind))
        }


def __array_namespace_info__() -> Info:
    """The inspection API's namespace object."""
    return Info()
