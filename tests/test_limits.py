"""Huge requests (issue 10): arraybridge checks the size itself before allocating, and
raises ``MemoryError`` (``ValueError`` for an empty shape no int64 can index) naming the
function, the shape, the dtype, the bytes asked for and the limit, on every backend.

Nothing here allocates more than a few bytes: every request is refused before the
backend is called (one that got through would ask for terabytes, or abort the process
on JAX, which is what the check is for).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import arraybridge as ab
from arraybridge import _limits

TB = 10**12

HUGE: list[tuple[str, Callable[[], Any], str, str]] = [
    # (function, call, shape as the message gives it, dtype)
    ("zeros", lambda: ab.zeros((TB,)), "(1000000000000,)", "float32"),
    ("ones", lambda: ab.ones((10**6, 10**6), dtype=ab.int8), "(1000000, 1000000)", "int8"),
    ("empty", lambda: ab.empty((TB,), dtype=ab.complex128), "(1000000000000,)", "complex128"),
    ("full", lambda: ab.full((3, TB), 1), "(3, 1000000000000)", "int64"),
    ("eye", lambda: ab.eye(10**6), "(1000000, 1000000)", "float32"),
    ("eye", lambda: ab.eye(10, TB), "(10, 1000000000000)", "float32"),
    ("arange", lambda: ab.arange(TB), "(1000000000000,)", "int64"),
    ("arange", lambda: ab.arange(0.0, 1.0, 1e-12), "(1000000000000,)", "float32"),
    ("linspace", lambda: ab.linspace(0, 1, TB), "(1000000000000,)", "float32"),
    ("broadcast_to", lambda: ab.broadcast_to(ab.ones((1,)), (TB,)), "(1000000000000,)", "float32"),
    (
        "broadcast_arrays",
        lambda: ab.broadcast_arrays(ab.ones((10**6, 1)), ab.ones((1, 10**6))),
        "(1000000, 1000000)",
        "float32",
    ),
    ("tile", lambda: ab.tile(ab.ones((10,)), (10**11,)), "(1000000000000,)", "float32"),
    ("tile", lambda: ab.tile(ab.ones((2, 3)), (10**6, 10**6)), "(2000000, 3000000)", "float32"),
    ("repeat", lambda: ab.repeat(ab.ones((10,)), 10**11), "(1000000000000,)", "float32"),
    (
        "repeat",
        lambda: ab.repeat(ab.ones((2, 3)), ab.asarray([10**11, 10**11]), axis=0),
        "(200000000000, 3)",
        "float32",
    ),
    (
        "meshgrid",
        lambda: ab.meshgrid(ab.ones((10**6,)), ab.ones((10**6,))),
        "(1000000, 1000000)",
        "float32",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "shape", "dtype"), HUGE, ids=[f"{h[0]}-{i}" for i, h in enumerate(HUGE)]
)
def test_a_request_beyond_memory_is_a_memory_error(
    name: str, call: Callable[[], Any], shape: str, dtype: str
) -> None:
    with pytest.raises(MemoryError) as info:
        call()
    msg = str(info.value)
    assert msg.startswith(f"{name}: "), msg
    assert f"shape {shape}" in msg and f"dtype {dtype}" in msg, msg
    assert re.search(r"would take \d+ bytes \(.*\), more than .* \(\d+ bytes", msg), msg
    assert str(ab.asarray(0.0).device) in msg, msg


def test_the_message_gives_the_bytes_and_the_limit() -> None:
    with pytest.raises(MemoryError) as info:
        ab.zeros((TB,))
    limit, what = _limits.device_limit(ab.asarray(0.0).device)
    msg = str(info.value)
    assert f"would take {4 * TB} bytes (3.64 TiB)" in msg
    assert f"more than {what} ({limit} bytes" in msg
    phys = _limits.physical_memory()
    if phys is not None:
        assert what == "this machine's physical memory" and limit == phys


def test_sizes_beyond_int64_are_memory_errors_and_never_crash() -> None:
    # (JAX aborted the whole process on an extent product beyond int64)
    for shape in [(2**40, 2**40), (2**63,), (2**70,), (3, 2**62)]:
        with pytest.raises(MemoryError, match="more than what an int64 can index"):
            ab.zeros(shape)
    with pytest.raises(MemoryError, match=r"arange: .* int64 can index"):
        ab.arange(-(2**62), 2**62, 1, dtype=ab.int64)  # 2**63 values: fits int64, not memory


def test_an_empty_shape_no_int64_can_index_is_a_value_error() -> None:
    for shape in [(2**40, 2**40, 0), (0, 2**62), (0, 2**70)]:
        with pytest.raises(ValueError, match=r"zeros: shape .* is too large: .* int64 can index"):
            ab.zeros(shape)
    with pytest.raises(ValueError, match="broadcast_to: shape"):
        ab.broadcast_to(ab.ones((1, 0)), (2**62, 0))


def test_ordinary_and_empty_requests_still_work() -> None:
    assert ab.zeros(()).shape == ()
    assert ab.zeros((0,)).shape == (0,)
    assert ab.ones((0, 2**61), dtype=ab.int8).shape == (0, 2**61)  # empty, and indexable
    assert ab.eye(0).shape == (0, 0)
    assert ab.arange(0).shape == (0,)
    assert ab.linspace(0, 1, 0).shape == (0,)
    assert ab.tile(ab.ones((2,)), (0,)).shape == (0,)
    assert ab.repeat(ab.ones((2,)), 0).shape == (0,)
    assert ab.repeat(ab.ones((2,)), ab.asarray([1, 2])).shape == (3,)
    assert ab.meshgrid(ab.ones((3,)), ab.ones((0,)))[0].shape == (0, 3)
    assert ab.broadcast_to(ab.ones((1,)), (5, 4)).shape == (5, 4)
    big = ab.zeros((1000, 1000), dtype=ab.int8)  # 1 MB: well under any limit
    assert big.shape == (1000, 1000)
    np.testing.assert_array_equal(np.asarray(ab.full((2, 2), 7)), [[7, 7], [7, 7]])


def test_the_check_compares_with_the_devices_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # check() itself, against a device that reports 1 GiB (nothing is allocated)
    dev = ab.asarray(0.0).device
    monkeypatch.setitem(_limits._limits, dev, (2**30, "the memory of device test"))
    _limits.check("zeros", (2**28,), ab.float32, dev)  # 1 GiB exactly: allowed
    with pytest.raises(MemoryError, match=r"zeros: shape \(268435457,\) .* device test"):
        _limits.check("zeros", (2**28 + 1,), ab.float32, dev)
    with pytest.raises(MemoryError, match="meshgrid: 3 arrays of shape"):
        _limits.check("meshgrid", (2**14, 2**14), ab.float32, dev, copies=3)
    # one tensor listed many times (a list of a million would be slow to build and check)
    x = ab.ones((2**14,))  # 64 KiB
    with pytest.raises(MemoryError, match=r"stack: shape \(32768, 16384\) and dtype float32"):
        ab.stack([x] * 2**15)  # 2 GiB
    with pytest.raises(MemoryError, match=r"concat: shape \(536870912,\) and dtype float32"):
        ab.concat([x] * 2**15)


def test_a_plugin_can_report_its_devices_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    dev = ab.asarray(0.0).device
    plugin = dev.backend.plugin
    monkeypatch.setattr(_limits, "_limits", {})
    monkeypatch.setattr(plugin, "memory_limit", lambda id: 300 * 2**20, raising=False)
    assert _limits.device_limit(dev) == (300 * 2**20, f"the memory of device {dev}")
    with pytest.raises(MemoryError, match=rf"ones: .* the memory of device {re.escape(str(dev))}"):
        ab.ones((2**27,))  # 512 MiB
    small = ab.zeros((2**25,), dtype=ab.bool)  # 32 MiB; the *_like functions are bounded by
    assert ab.zeros_like(small).shape == small.shape  # their input, unless the dtype grows:
    with pytest.raises(MemoryError, match=r"zeros_like: shape \(33554432,\) and dtype complex128"):
        ab.zeros_like(small, dtype=ab.complex128)  # 512 MiB
    # a plugin that cannot tell (None, or an error): the machine's memory
    monkeypatch.setattr(_limits, "_limits", {})
    monkeypatch.setattr(plugin, "memory_limit", lambda id: None, raising=False)
    phys = _limits.physical_memory()
    assert _limits.device_limit(dev)[0] == (phys if phys is not None else _limits.INT64_MAX)

    def broken(id: str) -> int:
        raise RuntimeError("no")

    monkeypatch.setattr(_limits, "_limits", {})
    monkeypatch.setattr(plugin, "memory_limit", broken, raising=False)
    assert _limits.device_limit(dev)[0] == (phys if phys is not None else _limits.INT64_MAX)


@pytest.mark.single_backend
def test_physical_memory_and_its_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    phys = _limits.physical_memory()
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        assert phys == os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    if phys is not None:
        assert phys > 2**28

    def no_sysconf(name: str) -> int:
        raise ValueError(name)

    monkeypatch.setattr(os, "sysconf", no_sysconf)
    other = _limits.physical_memory()  # Windows' answer there, else none
    assert other is None or other > 0
    monkeypatch.setattr(_limits, "physical_memory", lambda: None)
    monkeypatch.setattr(_limits, "_limits", {})
    dev = ab.asarray(0.0).device
    assert _limits.device_limit(dev) == (_limits.INT64_MAX, "what an int64 can count")
