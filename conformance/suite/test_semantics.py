"""Semantics: under strict, nothing writes into a tensor; under standard, ``x[key] = v`` has
value semantics (only the tensor written changes: no view, snapshot or exported array)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from arraybridge_conformance._cases import dtypes_of
from arraybridge_conformance._check import dtype_params, require_dtype

import arraybridge as ab

pytestmark = pytest.mark.usefixtures("ab_backend")

_NAMES = ("bool", "int8", "int64", "uint8", "float32", "float64", "complex64")
DTYPES = [d for d in dtypes_of("all") if d.name in _NAMES]


def _x(dtype: ab.DType) -> ab.Tensor:
    v = np.arange(12).reshape(3, 4) % 3
    return ab.asarray(v.astype(dtype.name))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_strict_item_assignment_raises(dtype: ab.DType) -> None:
    require_dtype(dtype)
    x = _x(dtype)
    before = np.array(x)
    with pytest.raises(TypeError, match="Variable"):
        x[0, 0] = 1
    with pytest.raises(TypeError):
        x[:, 1] = x[:, 2]
    assert np.array_equal(np.asarray(x), before)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_exports_are_read_only(dtype: ab.DType) -> None:
    """np.asarray(t), t.numpy() and a DLPack import by NumPy cannot write into t."""
    require_dtype(dtype)
    x = _x(dtype)
    before = np.array(x)
    for out in (np.asarray(x), x.numpy(), np.asarray(x[1:])):
        if out.flags.writeable:
            out[...] = out[..., :1]  # if it can be written, it must not be x's memory
        else:
            with pytest.raises(ValueError):
                out[...] = 0
    try:
        via_dlpack = np.from_dlpack(x)
    except (BufferError, TypeError, RuntimeError):
        via_dlpack = None  # a device NumPy cannot read
    if via_dlpack is not None and via_dlpack.flags.writeable:
        via_dlpack[...] = 0
    assert np.array_equal(np.asarray(x), before), "an exported array wrote into the tensor"


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_inputs_are_copied(dtype: ab.DType) -> None:
    require_dtype(dtype)
    src = (np.arange(6) % 2).astype(dtype.name)
    x = ab.asarray(src)
    y = ab.Variable(src)
    src[...] = src[::-1].copy()
    assert np.asarray(x).tolist() == [0, 1, 0, 1, 0, 1]
    assert np.array_equal(np.asarray(x), np.asarray(y))


def _ops(x: ab.Tensor) -> list[Any]:
    return [
        lambda: ab.reshape(x, (4, 3)),
        lambda: ab.permute_dims(x, (1, 0)),
        lambda: x[1:, ::2],
        lambda: x[...],
        lambda: ab.asarray(x, copy=True),
        lambda: ab.squeeze(ab.expand_dims(x, axis=0), axis=0),
        lambda: ab.broadcast_to(x, (2, 3, 4)),
        lambda: x.mT,
        lambda: ab.flip(x),
    ]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_strict_operators_rebind(dtype: ab.DType) -> None:
    """``t += 1`` makes a new tensor; anything else holding the old one sees no change."""
    require_dtype(dtype)
    if dtype is ab.bool:
        pytest.skip("no arithmetic on bool")
    x = _x(dtype)
    held, view = x, x[0]
    before = np.array(x)
    x += 1
    assert x is not held
    assert np.array_equal(np.asarray(held), before)
    assert np.array_equal(np.asarray(view), before[0])


KEYS: list[Any] = [
    (0, 0),
    (slice(None), 1),
    (slice(None, None, -1), slice(1, 3)),
    (Ellipsis, -1),
    (None, 1),
    "mask",
    "ints",
]


def _key(k: Any, x: ab.Tensor) -> Any:
    if k == "mask":
        return ab.asarray(np.asarray(x) != 0) if x.dtype is not ab.bool else x
    if k == "ints":
        return (ab.asarray([2, 0]), slice(None))
    return k


def _np_key(k: Any) -> Any:
    if isinstance(k, tuple):
        return tuple(_np_key(p) for p in k)
    return np.asarray(k) if isinstance(k, ab.Tensor) else k


@pytest.mark.parametrize(("dtype", "key"), dtype_params(DTYPES, [(k,) for k in KEYS]))
def test_standard_setitem_value_semantics(dtype: ab.DType, key: Any) -> None:
    """Only the tensor written changes: views, snapshots and exported arrays keep their values."""
    require_dtype(dtype)
    with ab.semantics("standard"):
        x = _x(dtype)
        k = _key(key, x)
        holders = [f() for f in _ops(x)]
        before = [np.array(h) for h in holders]
        exported = np.asarray(x)
        exported_before = np.array(exported)
        want = np.array(x)
        value = np.ones((), dtype=dtype.name)
        nk = (
            tuple(np.asarray(p) if isinstance(p, ab.Tensor) else p for p in k)
            if isinstance(k, tuple)
            else (np.asarray(k) if isinstance(k, ab.Tensor) else k)
        )
        want[nk] = value
        x[k] = ab.asarray(value)
        assert np.array_equal(np.asarray(x), want), "the write did not land"
        for i, (h, b) in enumerate(zip(holders, before, strict=True)):
            assert np.array_equal(np.asarray(h), b), f"holder {i} changed with the write"
        assert np.array_equal(exported, exported_before), "an exported array changed"


@pytest.mark.parametrize("dtype", [ab.float32, ab.int64], ids=lambda d: d.name)
def test_standard_setitem_keeps_dtype_and_checks_it(dtype: ab.DType) -> None:
    require_dtype(dtype)
    with ab.semantics("standard"):
        x = _x(dtype)
        x[0] = 2
        assert x.dtype is dtype and np.asarray(x).dtype.name == dtype.name
        before = np.array(x)
        with pytest.raises((TypeError, ValueError)):
            x[0] = ab.ones((5,), dtype=dtype)  # does not broadcast to (4,)
        assert np.array_equal(np.asarray(x), before), "a failed write changed the tensor"
