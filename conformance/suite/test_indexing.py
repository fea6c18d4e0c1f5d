"""Indexing: every index form of the standard against NumPy, and bounds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from arraybridge_conformance import _settings
from arraybridge_conformance._draw import elements, tensors, xps
from hypothesis import given
from hypothesis import strategies as st

import arraybridge as ab

pytestmark = pytest.mark.usefixtures("ab_backend")

SHAPES = [(5,), (3, 4), (2, 3, 4), (0, 3)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@_settings.hypothesis_settings(full=50, quick=10)
@given(data=st.data())
def test_basic_indices(shape: tuple[int, ...], data: st.DataObject) -> None:
    """Integers, slices (any step), ``...`` and ``None``: hypothesis's array-API indices."""
    x = tensors(data, ab.float32, shape, elements("any", ab.float32))
    key = data.draw(xps().indices(shape, allow_newaxis=True, allow_ellipsis=True))
    got = x[key]
    want = np.asarray(x)[key]
    assert got.shape == want.shape, (key, got.shape, want.shape)
    assert np.array_equal(np.asarray(got), want), key


@_settings.hypothesis_settings(full=50, quick=10)
@given(data=st.data())
def test_integer_array_indices(data: st.DataObject) -> None:
    x = ab.asarray(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    i = data.draw(st.lists(st.integers(-3, 2), min_size=1, max_size=4))
    j = data.draw(st.lists(st.integers(-4, 3), min_size=len(i), max_size=len(i)))
    for key in (
        (slice(None), ab.asarray(i)),
        (0, ab.asarray(i), ab.asarray(j)),
        (Ellipsis, ab.asarray(j)),
    ):
        nkey = tuple(np.asarray(k) if isinstance(k, ab.Tensor) else k for k in key)
        assert np.array_equal(np.asarray(x[key]), np.asarray(x)[nkey]), key


@pytest.mark.parametrize("shape", [(4,), (2, 3), (2, 0)], ids=str)
@_settings.hypothesis_settings(full=30, quick=5)
@given(data=st.data())
def test_boolean_masks(shape: tuple[int, ...], data: st.DataObject) -> None:
    x = tensors(data, ab.int64, shape, elements("small", ab.int64))
    m = tensors(data, ab.bool, shape)
    assert np.array_equal(np.asarray(x[m]), np.asarray(x)[np.asarray(m)])
    row = tensors(data, ab.bool, shape[:1])
    assert np.array_equal(np.asarray(x[row]), np.asarray(x)[np.asarray(row)])
    for flag in (True, False):  # a 0-d mask adds an axis
        assert x[ab.asarray(flag)].shape == np.asarray(x)[np.asarray(flag)].shape


def test_zero_d_and_scalar_reads() -> None:
    x = ab.asarray(np.arange(6, dtype=np.float32).reshape(2, 3))
    assert x[1, 2].shape == () and float(x[1, 2]) == 5.0
    assert x[()].shape == (2, 3)
    s = ab.asarray(3.5)  # float32
    assert float(s[()]) == 3.5 and s[None].shape == (1,) and s[...].shape == ()


BAD: list[tuple[Any, type[Exception]]] = [
    ((2, 0), IndexError),
    ((0, -4), IndexError),
    ((0, 0, 0), IndexError),
    ((Ellipsis, Ellipsis), IndexError),
    ("a", IndexError),
    (1.5, IndexError),
]


@pytest.mark.parametrize(("key", "exc"), BAD, ids=str)
def test_out_of_bounds_and_bad_keys(key: Any, exc: type[Exception]) -> None:
    x = ab.asarray(np.arange(6, dtype=np.float32).reshape(2, 3))
    with pytest.raises(exc):
        x[key]


def test_out_of_bounds_integer_arrays_raise() -> None:
    x = ab.asarray(np.arange(6, dtype=np.float32).reshape(2, 3))
    with pytest.raises(IndexError):
        x[:, ab.asarray([0, 3])]
    with pytest.raises(IndexError):
        x[ab.asarray([-3])]
    with pytest.raises(IndexError):
        x[ab.asarray([True, False, True])]  # a mask of the wrong length
    with pytest.raises(IndexError):
        ab.take(x, ab.asarray([5]), axis=1)
