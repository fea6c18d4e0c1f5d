"""Devices and interop: NumPy round trips, DLPack, devices, ``to_device``."""

from __future__ import annotations

import numpy as np
import pytest
from arraybridge_conformance._cases import dtypes_of
from arraybridge_conformance._check import native_dtype, require_dtype, supported

import arraybridge as ab

pytestmark = pytest.mark.usefixtures("ab_backend")


def _values(dtype: ab.DType) -> np.ndarray:
    return (np.arange(6).reshape(2, 3) % 3).astype(dtype.name)


@pytest.mark.parametrize("dtype", dtypes_of("all"), ids=lambda d: d.name)
def test_numpy_round_trip(dtype: ab.DType) -> None:
    require_dtype(dtype)
    a = _values(dtype)
    t = ab.asarray(a)
    assert t.dtype is dtype and native_dtype(t) == dtype.name and t.shape == a.shape
    back = np.asarray(t)
    assert back.dtype == a.dtype and np.array_equal(back, a)
    assert np.array_equal(t.numpy(), a)
    assert str(t.device).startswith(ab.get_backend() + ":")


@pytest.mark.parametrize("dtype", dtypes_of("all"), ids=lambda d: d.name)
def test_dlpack(dtype: ab.DType) -> None:
    require_dtype(dtype)
    a = _values(dtype)
    t = ab.asarray(a)
    u = ab.from_dlpack(t)
    assert u.dtype is dtype and np.array_equal(np.asarray(u), a)
    assert isinstance(t.__dlpack_device__(), tuple)
    v = ab.from_dlpack(np.ascontiguousarray(a))
    assert np.array_equal(np.asarray(v), a) and v.dtype is dtype


def test_python_scalars_and_conversions() -> None:
    t = ab.asarray(1.5)
    assert float(t) == 1.5 and int(ab.asarray(3)) == 3 and bool(ab.asarray(True))
    if ab.complex64 in supported():
        assert complex(ab.asarray(1j)) == 1j
    assert ab.asarray(7).__index__() == 7


def test_devices() -> None:
    info = ab.__array_namespace_info__()
    devices = info.devices()
    assert devices and info.default_device() in devices
    for dev in devices:
        t = ab.asarray([1.0, 2.0], device=dev)
        assert t.device == dev
        for other in devices:
            moved = t.to_device(other)
            assert moved.device == other and np.asarray(moved).tolist() == [1.0, 2.0]
        assert ab.zeros((2,), device=dev).device == dev
        assert ab.asarray(t, device=dev).device == dev
        assert ab.zeros_like(t).device == dev


def test_devices_must_match() -> None:
    devices = ab.__array_namespace_info__().devices()
    if len(devices) < 2:
        other = "numpy" if ab.get_backend() != "numpy" else None
        if other is None:
            pytest.skip("one device, and NumPy is the backend under test")
        with ab.use_backend(other):
            y = ab.ones((2,))
    else:
        y = ab.ones((2,), device=devices[1])
    x = ab.ones((2,))
    with pytest.raises(ValueError, match="device"):
        ab.add(x, y)


def test_moving_between_backends() -> None:
    if ab.get_backend() == "numpy":
        pytest.skip("moves from NumPy are checked on the other backends")
    x = ab.asarray([1.0, 2.0])
    with ab.use_backend("numpy"):
        y = ab.asarray(np.asarray(x))
        dev = ab.__array_namespace_info__().default_device()
    assert np.asarray(y).tolist() == [1.0, 2.0]
    assert x.to_device(dev).device == dev
