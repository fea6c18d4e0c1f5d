"""Size checks before allocating: a request for more than the memory there is raises
``MemoryError`` from arraybridge, before any backend is asked.

Without it, an operating system that overcommits memory (Linux, by default, for a
request below RAM plus swap) accepts an allocation it cannot back and kills the process
later, when the pages are touched; a larger request gives each backend's own error (NumPy's
``MemoryError``, JAX's ``JaxRuntimeError``), and some shapes crash JAX outright (an extent
product beyond int64 aborts the process). The limit is the device's memory: the
machine's physical RAM for a CPU device, or what the plugin reports through its optional
``memory_limit(device_id)`` (CuPy: the GPU's total memory), and never beyond what an int64
can count.

``check`` is called at the top of every function that allocates from a size it is given
(``zeros``, ``ones``, ``empty``, ``full``, ``eye``, ``arange``, ``linspace``, the ``*_like``
functions given another dtype, ``meshgrid``, ``broadcast_to``, ``broadcast_arrays``,
``tile``, ``repeat``, ``concat``, ``stack``); for an ordinary request it costs one product
and one comparison.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Final

from ._dtypes import DType

if TYPE_CHECKING:
    from .backend import Device

__all__ = ["INT64_MAX", "check", "device_limit", "physical_memory"]

INT64_MAX: Final = 2**63 - 1
# Below this many bytes a request needs no look-up: every machine arraybridge runs on has
# this much memory, so only larger requests are compared with the device's limit.
_FAST: Final = 1 << 28  # 256 MiB

_limits: dict[Device, tuple[int, str]] = {}  # (bytes, what the limit is)


def physical_memory() -> int | None:
    """This machine's physical RAM in bytes, or None where the system does not say."""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        if pages > 0 and size > 0:
            return int(pages) * int(size)
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows), or no such name
        pass
    try:  # Windows
        import ctypes

        class _Status(ctypes.Structure):
            _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong)] + [
                (name, ctypes.c_ulonglong)
                for name in ("total", "avail", "page", "apage", "virt", "avirt", "aext")
            ]

        status = _Status()
        status.dwLength = ctypes.sizeof(_Status)
        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 (Windows only)
        if kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
            return int(status.total)
    except Exception:  # neither: no limit known but int64's
        pass
    return None


def device_limit(dev: Device) -> tuple[int, str]:
    """(the most bytes one array on ``dev`` may take, what that limit is), cached."""
    hit = _limits.get(dev)
    if hit is not None:
        return hit
    limit: int | None = None
    what = ""
    ask = getattr(dev.backend.plugin, "memory_limit", None)
    if ask is not None:
        try:
            limit = ask(dev.id)
        except Exception:  # a plugin that cannot tell: fall back to the machine's memory
            limit = None
        if limit is not None:
            what = f"the memory of device {dev}"
    if limit is None:
        limit = physical_memory()
        what = "this machine's physical memory"
    if limit is None or limit <= 0 or limit > INT64_MAX:
        limit, what = INT64_MAX, "what an int64 can count"
    _limits[dev] = (limit, what)
    return limit, what


def _bytes(n: int) -> str:
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def check(where: str, shape: tuple[int, ...], dtype: DType, dev: Device, copies: int = 1) -> None:
    """Raise ``MemoryError`` if ``copies`` arrays of ``shape`` and ``dtype`` on ``dev``
    would take more than its memory, and ``ValueError`` for an empty shape whose other
    extents no int64 can index; return quietly otherwise (the common case, at once)."""
    nbytes = math.prod(shape) * (dtype.bits >> 3) * copies
    if 0 < nbytes <= _FAST:
        return
    _check_slow(where, shape, dtype, dev, copies, nbytes)


def _check_slow(
    where: str, shape: tuple[int, ...], dtype: DType, dev: Device, copies: int, nbytes: int
) -> None:
    if nbytes == 0:
        # an empty array allocates nothing, but its other extents must still be indexable
        # (NumPy refuses them; XLA aborts the process on an extent product beyond int64)
        extent = math.prod(s for s in shape if s) * (dtype.bits >> 3)
        if extent > INT64_MAX:
            raise ValueError(
                f"{where}: shape {shape} is too large: its nonzero extents span "
                f"{extent} bytes of {dtype}, more than an int64 can index"
            )
        return
    limit, what = device_limit(dev)
    if nbytes > INT64_MAX:
        limit, what = INT64_MAX, "what an int64 can index"
    if nbytes > limit:
        arrays = f"{copies} arrays of " if copies != 1 else ""
        raise MemoryError(
            f"{where}: {arrays}shape {shape} and dtype {dtype} would take {nbytes} bytes "
            f"({_bytes(nbytes)}), more than {what} ({limit} bytes, {_bytes(limit)}) on {dev}"
        )
