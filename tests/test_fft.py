"""The ``fft`` extension: values against ``numpy.fft``, dtypes, shapes, round trips, errors.

Input tensors come from hypothesis's array-API strategies over ``ab``; the oracle is
``numpy.fft`` run in double precision on ``np.asarray(tensor)``. Double-precision results
are compared tightly, single-precision ones loosely (relative to the size of the data).
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.array_api import make_strategies_namespace

import arraybridge as ab

xps = make_strategies_namespace(ab)

NAMES = (
    "fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft",
    "fftfreq", "rfftfreq", "fftshift", "ifftshift",
)  # fmt: skip
NORMS = ("backward", "ortho", "forward")
REAL = (ab.float32, ab.float64)
COMPLEX = (ab.complex64, ab.complex128)
TO_COMPLEX = {ab.float32: ab.complex64, ab.float64: ab.complex128}
TO_REAL = {ab.complex64: ab.float32, ab.complex128: ab.float64}
C2C = ("fft", "ifft")
R2C = ("rfft", "ihfft")
C2R = ("irfft", "hfft")
C2C_N = ("fftn", "ifftn")

shapes = xps.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6)


def _elements(dtype: ab.DType) -> st.SearchStrategy[Any]:
    """Finite, moderate values (so single precision has a meaningful tolerance)."""
    if dtype in COMPLEX:
        return st.complex_numbers(
            max_magnitude=10,
            allow_nan=False,
            allow_infinity=False,
            allow_subnormal=False,
            width=dtype.bits,
        )
    return st.floats(-10, 10, allow_subnormal=False, width=dtype.bits)


@st.composite
def tensors(draw: st.DrawFn, dtypes: tuple[ab.DType, ...], shape: Any = shapes) -> ab.Tensor:
    dtype = draw(st.sampled_from(dtypes))
    shp = draw(shape) if isinstance(shape, st.SearchStrategy) else shape
    return draw(xps.arrays(dtype, shp, elements=_elements(dtype)))


def _norm_kwargs(draw: st.DrawFn) -> dict[str, Any]:
    """``norm`` drawn from the three modes, or left out (the default, "backward")."""
    norm = draw(st.sampled_from((None, *NORMS)))
    return {} if norm is None else {"norm": norm}


def _oracle(name: str, x: ab.Tensor, **kwargs: Any) -> np.ndarray[Any, Any]:
    """``numpy.fft.<name>`` of ``x`` in double precision."""
    a = np.asarray(x)
    a = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    return getattr(np.fft, name)(a, **kwargs)  # type: ignore[no-any-return]


def assert_close(got: ab.Tensor, want: Any, dtype: ab.DType, scale: float = 1.0) -> None:
    """``got`` is a tensor of ``dtype`` close to ``want`` (tolerance relative to the data)."""
    assert isinstance(got, ab.Tensor)
    assert got.dtype is dtype, f"dtype {got.dtype}, expected {dtype}"
    a = np.asarray(got)
    want = np.asarray(want)
    assert a.dtype.name == dtype.name
    assert a.shape == want.shape, f"shape {a.shape}, expected {want.shape}"
    scale = max(1.0, scale, float(np.max(np.abs(want), initial=0.0)))
    tol = 3e-5 if dtype in (ab.float32, ab.complex64) else 1e-12
    np.testing.assert_allclose(a, want, rtol=tol, atol=tol * scale)


def _scale(x: ab.Tensor) -> float:
    a = np.asarray(x)
    return float(np.max(np.abs(a), initial=0.0)) * max(1, a.size)


# -- one-dimensional transforms ----------------------------------------------------------


@pytest.mark.parametrize("name", C2C + R2C + C2R)
@given(data=st.data())
def test_one_dimensional_matches_numpy(name: str, data: st.DataObject) -> None:
    x = data.draw(tensors(REAL if name in R2C else COMPLEX), label="x")
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    m = x.shape[axis]
    # n: left out, shorter than the axis, equal, or longer (zero padding)
    n = data.draw(st.none() | st.integers(1, 2 * m + 3), label="n")
    if name in C2R and n is None:
        assume(m >= 2)  # the default n is 2*(m-1)
    kwargs = _norm_kwargs(data.draw)
    if n is not None:
        kwargs["n"] = n
    if axis != -1 or data.draw(st.booleans(), label="pass axis"):
        kwargs["axis"] = axis
    got = getattr(ab.fft, name)(x, **kwargs)
    want = _oracle(name, x, **kwargs)
    dtype = TO_COMPLEX[x.dtype] if name in R2C else TO_REAL[x.dtype] if name in C2R else x.dtype
    length = n if n is not None else (2 * (m - 1) if name in C2R else m)
    out_len = length // 2 + 1 if name in R2C else length
    expected_shape = list(x.shape)
    expected_shape[axis] = out_len
    assert got.shape == tuple(expected_shape)
    assert_close(got, want, dtype, _scale(x))


@pytest.mark.parametrize("norm", NORMS)
@given(x=tensors(COMPLEX), data=st.data())
def test_fft_normalisation(norm: str, x: ab.Tensor, data: st.DataObject) -> None:
    # Independent of NumPy: "backward" is unscaled forward, "ortho" 1/sqrt(n), "forward" 1/n.
    n = data.draw(st.integers(1, 12), label="n")
    plain = np.asarray(ab.fft.fft(x, n=n)).astype(np.complex128)
    factor = {"backward": 1.0, "ortho": 1 / math.sqrt(n), "forward": 1 / n}[norm]
    assert_close(ab.fft.fft(x, n=n, norm=norm), plain * factor, x.dtype, _scale(x))
    inv_factor = {"backward": 1 / n, "ortho": 1 / math.sqrt(n), "forward": 1.0}[norm]
    plain_inv = np.asarray(ab.fft.ifft(x, n=n, norm="forward")).astype(np.complex128)
    assert_close(ab.fft.ifft(x, n=n, norm=norm), plain_inv * inv_factor, x.dtype, _scale(x))


@given(x=tensors(COMPLEX, shape=xps.array_shapes(min_dims=1, max_dims=1, min_side=1)))
def test_fft_n_trims_and_pads(x: ab.Tensor) -> None:
    # Without NumPy's fft: trimming equals transforming the first n values, padding
    # equals transforming the values followed by zeros (checked against the DFT sum).
    a = np.asarray(x).astype(np.complex128)
    m = a.shape[0]
    for n in (max(1, m - 2), m, m + 3):
        padded = np.zeros(n, np.complex128)
        padded[: min(n, m)] = a[:n]
        k = np.arange(n)
        dft = np.exp(-2j * np.pi * np.outer(k, k) / n) @ padded
        assert_close(ab.fft.fft(x, n=n), dft, x.dtype, _scale(x))


@pytest.mark.parametrize("norm", NORMS)
@given(data=st.data())
def test_one_dimensional_round_trips(norm: str, data: st.DataObject) -> None:
    z = data.draw(tensors(COMPLEX), label="z")
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1), label="axis")
    assert_close(ab.fft.ifft(ab.fft.fft(z, axis=axis, norm=norm), axis=axis, norm=norm),
                 np.asarray(z), z.dtype, _scale(z))  # fmt: skip
    r = data.draw(tensors(REAL), label="r")
    m = r.shape[-1]
    back = ab.fft.irfft(ab.fft.rfft(r, norm=norm), n=m, norm=norm)
    assert_close(back, np.asarray(r), r.dtype, _scale(r))
    back = ab.fft.hfft(ab.fft.ihfft(r, norm=norm), n=m, norm=norm)
    assert_close(back, np.asarray(r), r.dtype, _scale(r))


# -- n-dimensional transforms ------------------------------------------------------------


@st.composite
def s_axes(draw: st.DrawFn, x: ab.Tensor, inverse_real: bool) -> dict[str, Any]:
    """``s``/``axes``/``norm`` keywords for ``x`` (s entries may be -1: the whole axis)."""
    kwargs = _norm_kwargs(draw)
    axes = draw(
        st.none()
        | st.permutations(range(x.ndim)).flatmap(
            lambda p: st.integers(1, x.ndim).map(lambda k: p[:k])
        ),
        label="axes",
    )
    if axes is not None:
        negative = draw(st.booleans(), label="negative axes")
        kwargs["axes"] = [a - x.ndim if negative else a for a in axes]
        if draw(st.booleans(), label="pass s"):
            kwargs["s"] = tuple(
                draw(st.just(-1) | st.integers(1, 2 * x.shape[a] + 2), label="s[i]") for a in axes
            )
    ax = list(range(x.ndim)) if axes is None else list(axes)
    if inverse_real:
        last_s = kwargs.get("s", (-1,))[-1]
        if last_s == -1:
            assume(x.shape[ax[-1]] >= 2)  # the default size 2*(m-1) must be positive
    return kwargs


def _numpy_s(x: ab.Tensor, kwargs: dict[str, Any], inverse_real: bool) -> dict[str, Any]:
    """``kwargs`` with -1 in ``s`` spelled out as the standard defines it."""
    out = dict(kwargs)
    if "s" in out:
        axes = out["axes"]
        s = list(out["s"])
        for i, a in enumerate(axes):
            if s[i] == -1:
                m = x.shape[a]
                s[i] = 2 * (m - 1) if inverse_real and i == len(axes) - 1 else m
        out["s"] = s
    return out


@pytest.mark.parametrize("name", ("fftn", "ifftn", "rfftn", "irfftn"))
@given(data=st.data())
def test_n_dimensional_matches_numpy(name: str, data: st.DataObject) -> None:
    real_in = name == "rfftn"
    inverse_real = name == "irfftn"
    x = data.draw(tensors(REAL if real_in else COMPLEX), label="x")
    kwargs = data.draw(s_axes(x, inverse_real), label="kwargs")
    got = getattr(ab.fft, name)(x, **kwargs)
    np_kwargs = _numpy_s(x, kwargs, inverse_real)
    want = _oracle(name, x, **np_kwargs)
    dtype = TO_COMPLEX[x.dtype] if real_in else TO_REAL[x.dtype] if inverse_real else x.dtype
    # shape: s along axes (the last one halved for rfftn)
    axes = [a % x.ndim for a in np_kwargs.get("axes", range(x.ndim))]
    s = np_kwargs.get("s")
    shape = list(x.shape)
    for i, a in enumerate(axes):
        size = (
            s[i]
            if s is not None
            else (2 * (x.shape[a] - 1) if inverse_real and a == axes[-1] else x.shape[a])
        )
        shape[a] = size // 2 + 1 if real_in and i == len(axes) - 1 else size
    assert got.shape == tuple(shape)
    assert_close(got, want, dtype, _scale(x))


@pytest.mark.parametrize("norm", NORMS)
@given(data=st.data())
def test_n_dimensional_round_trips(norm: str, data: st.DataObject) -> None:
    z = data.draw(tensors(COMPLEX), label="z")
    assert_close(ab.fft.ifftn(ab.fft.fftn(z, norm=norm), norm=norm), np.asarray(z), z.dtype,
                 _scale(z))  # fmt: skip
    r = data.draw(tensors(REAL), label="r")
    axes = data.draw(st.permutations(range(r.ndim)), label="axes")
    s = [r.shape[a] for a in axes]
    back = ab.fft.irfftn(ab.fft.rfftn(r, axes=axes, norm=norm), s=s, axes=axes, norm=norm)
    assert_close(back, np.asarray(r), r.dtype, _scale(r))


def test_fftn_over_one_axis_is_fft() -> None:
    rng = np.random.default_rng(0)
    a = (rng.standard_normal((3, 5)) + 1j * rng.standard_normal((3, 5))).astype(np.complex64)
    x = ab.asarray(a)
    assert_close(ab.fft.fftn(x, s=[7], axes=[0]), np.asarray(ab.fft.fft(x, n=7, axis=0)),
                 ab.complex64)  # fmt: skip


def test_fftn_without_axes_to_transform_is_a_copy() -> None:
    z = ab.asarray(1.5 - 2j, dtype=ab.complex128)
    for f in (ab.fft.fftn, ab.fft.ifftn):
        assert_close(f(z), np.asarray(z), ab.complex128)
        x = ab.asarray([[1j, 2.0]], dtype=ab.complex64)
        assert_close(f(x, axes=[]), np.asarray(x), ab.complex64)


# -- empty inputs --------------------------------------------------------------------------


@pytest.mark.parametrize("name", C2C + R2C + C2R)
@pytest.mark.parametrize("n", (1, 4, 5))
def test_transform_of_an_empty_axis_is_zeros(name: str, n: int) -> None:
    # zero padding to n: the transform of zeros is zeros (NumPy 2.4's irfft/hfft read
    # uninitialised memory here)
    dtype = ab.float64 if name in R2C else ab.complex128
    x = ab.zeros((2, 0), dtype=dtype)
    got = getattr(ab.fft, name)(x, n=n)
    out_len = n // 2 + 1 if name in R2C else n
    out_dtype = TO_COMPLEX[dtype] if name in R2C else TO_REAL[dtype] if name in C2R else dtype
    assert got.dtype is out_dtype
    np.testing.assert_array_equal(np.asarray(got), np.zeros((2, out_len)))  # exactly zeros


def test_transforms_keep_empty_other_axes() -> None:
    x = ab.zeros((0, 3), dtype=ab.complex64)
    assert ab.fft.fft(x).shape == (0, 3)
    assert ab.fft.fftn(x, s=[4], axes=[1]).shape == (0, 4)
    assert ab.fft.irfftn(x, axes=[1]).shape == (0, 4)
    assert ab.fft.rfft(ab.zeros((0, 6))).shape == (0, 4)


def test_list_input_uses_default_dtypes() -> None:
    got = ab.fft.rfft([1.0, 2.0, 3.0])
    assert_close(got, np.fft.rfft([1.0, 2.0, 3.0]), ab.complex64)


# -- frequencies ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ("fftfreq", "rfftfreq"))
@given(
    n=st.integers(1, 64),
    d=st.none() | st.floats(0.01, 10) | st.floats(-10, -0.01) | st.integers(1, 5),
    dtype=st.none() | st.sampled_from(REAL),
)
def test_frequencies_match_numpy(name: str, n: int, d: Any, dtype: Any) -> None:
    kwargs: dict[str, Any] = {}
    if d is not None:
        kwargs["d"] = d
    if dtype is not None:
        kwargs["dtype"] = dtype
    got = getattr(ab.fft, name)(n, **kwargs)
    want = getattr(np.fft, name)(n, d=1.0 if d is None else d)
    # the default dtype is the default real floating-point dtype: float32
    expected = ab.float32 if dtype is None else dtype
    if dtype is None:
        assert expected is ab.__array_namespace_info__().default_dtypes()["real floating"]
    assert got.shape == ((n,) if name == "fftfreq" else (n // 2 + 1,))
    assert_close(got, want, expected)


def test_frequencies_by_formula_and_device() -> None:
    dev = ab.__array_namespace_info__().default_device()
    got = ab.fft.fftfreq(6, d=0.5, dtype=ab.float64, device=dev)
    assert got.device == dev
    assert_close(got, np.array([0, 1, 2, -3, -2, -1]) / 3.0, ab.float64)
    got = ab.fft.rfftfreq(5, d=2.0, device=str(dev))
    assert_close(got, np.array([0, 1, 2]) / 10.0, ab.float32)
    assert_close(ab.fft.fftfreq(1), np.array([0.0]), ab.float32)
    assert_close(ab.fft.rfftfreq(1, dtype="float64"), np.array([0.0]), ab.float64)


# -- shifts --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ("fftshift", "ifftshift"))
@given(x=tensors(REAL + COMPLEX, shape=xps.array_shapes(min_dims=0, max_dims=3)),
       data=st.data())  # fmt: skip
def test_shifts_match_numpy(name: str, x: ab.Tensor, data: st.DataObject) -> None:
    ndim = x.ndim
    axes = data.draw(
        st.none()
        | (st.integers(-ndim, ndim - 1) if ndim else st.nothing())
        | st.permutations(range(ndim)).flatmap(lambda p: st.integers(0, ndim).map(lambda k: p[:k])),
        label="axes",
    )
    kwargs = {} if axes is None else {"axes": axes}
    got = getattr(ab.fft, name)(x, **kwargs)
    a = np.asarray(x)
    norm_axes = tuple(range(ndim)) if axes is None else axes
    want = getattr(np.fft, name)(a, axes=norm_axes) if norm_axes != [] and ndim else a
    assert got.dtype is x.dtype
    np.testing.assert_array_equal(np.asarray(got), want)


@given(x=tensors(REAL + COMPLEX))
def test_shifts_invert_each_other(x: ab.Tensor) -> None:
    a = np.asarray(x)
    np.testing.assert_array_equal(np.asarray(ab.fft.ifftshift(ab.fft.fftshift(x))), a)
    np.testing.assert_array_equal(np.asarray(ab.fft.fftshift(ab.fft.ifftshift(x))), a)


def test_shift_centres_zero_frequency() -> None:
    f = ab.fft.fftshift(ab.fft.fftfreq(5))
    assert_close(f, np.array([-2, -1, 0, 1, 2]) / 5, ab.float32)
    f = ab.fft.fftshift(ab.fft.fftfreq(4, dtype=ab.float64))
    assert_close(f, np.array([-2, -1, 0, 1]) / 4, ab.float64)


# -- errors --------------------------------------------------------------------------------

_C = ab.ones((4,), dtype=ab.complex64)
_R = ab.ones((4,), dtype=ab.float32)


@pytest.mark.parametrize("semantics", ("strict", "standard"))
@pytest.mark.parametrize("name", C2C + C2R + C2C_N + ("irfftn",))
@pytest.mark.parametrize("dtype", (ab.float32, ab.float64, ab.int64, ab.bool))
def test_complex_only_transforms_reject_other_dtypes(
    semantics: str, name: str, dtype: ab.DType
) -> None:
    with ab.semantics(semantics):  # type: ignore[arg-type]
        with pytest.raises(ab.DTypeError, match="complex floating-point"):
            getattr(ab.fft, name)(ab.ones((4,), dtype=dtype))


@pytest.mark.parametrize("name", (*R2C, "rfftn"))
@pytest.mark.parametrize("dtype", (ab.complex64, ab.complex128, ab.int32, ab.bool))
def test_real_only_transforms_reject_other_dtypes(name: str, dtype: ab.DType) -> None:
    with pytest.raises(ab.DTypeError, match="real floating-point"):
        getattr(ab.fft, name)(ab.ones((4,), dtype=dtype))


@pytest.mark.parametrize("name", ("fftshift", "ifftshift"))
def test_shifts_reject_non_floating(name: str) -> None:
    with pytest.raises(ab.DTypeError):
        getattr(ab.fft, name)(ab.arange(4))
    with pytest.raises(IndexError):
        getattr(ab.fft, name)(_R, axes=1)
    with pytest.raises(IndexError):
        getattr(ab.fft, name)(_R, axes=[0, -2])


@pytest.mark.parametrize("name", C2C + R2C + C2R + C2C_N + ("rfftn", "irfftn"))
@pytest.mark.parametrize("norm", ("Backward", "none", "", None, 1, "ortho "))
def test_bad_norm_raises_value_error(name: str, norm: Any) -> None:
    x = _R if name in (*R2C, "rfftn") else _C
    with pytest.raises(ValueError, match="norm"):
        getattr(ab.fft, name)(x, norm=norm)


@pytest.mark.parametrize("name", C2C + R2C + C2R)
def test_bad_n_and_axis(name: str) -> None:
    f = getattr(ab.fft, name)
    x = _R if name in R2C else _C
    for n in (0, -1, -5):
        with pytest.raises(ValueError, match="n must be"):
            f(x, n=n)
    for n in (2.0, "4", True):
        with pytest.raises(TypeError):
            f(x, n=n)
    for axis in (1, -2, 5):
        with pytest.raises(IndexError):
            f(x, axis=axis)
    with pytest.raises(IndexError):
        f(ab.asarray(1.0 if name in R2C else 1j))  # a 0-d tensor has no axis -1
    with pytest.raises(TypeError):
        f(x, 4)  # n is keyword-only


@pytest.mark.parametrize("name", C2C + R2C + C2R)
def test_empty_axis_without_n_raises(name: str) -> None:
    dtype = ab.float32 if name in R2C else ab.complex64
    with pytest.raises(ValueError):
        getattr(ab.fft, name)(ab.zeros((3, 0), dtype=dtype))
    if name in C2R:  # default n = 2*(1-1) = 0
        with pytest.raises(ValueError):
            getattr(ab.fft, name)(ab.ones((1,), dtype=dtype))


@pytest.mark.parametrize("name", (*C2C_N, "rfftn", "irfftn"))
def test_bad_s_and_axes(name: str) -> None:
    f = getattr(ab.fft, name)
    x = ab.ones((3, 4), dtype=ab.float32 if name == "rfftn" else ab.complex64)
    with pytest.raises(ValueError, match="without axes"):
        f(x, s=[3, 4])
    with pytest.raises(ValueError, match="entries"):
        f(x, s=[3, 4], axes=[0])
    for bad in ([0, 4], [3, -2]):
        with pytest.raises(ValueError, match="s must"):
            f(x, s=bad, axes=[0, 1])
    with pytest.raises(ValueError, match="repeated"):
        f(x, axes=[1, -1])
    for axes in ([2], [0, -3]):
        with pytest.raises(IndexError):
            f(x, axes=axes)
    with pytest.raises(TypeError):
        f(x, axes=0)
    with pytest.raises(TypeError):
        f(x, s=3, axes=[0])
    with pytest.raises(TypeError):
        f(x, s=[2.5], axes=[0])


@pytest.mark.parametrize("name", ("rfftn", "irfftn"))
def test_real_n_dimensional_need_an_axis(name: str) -> None:
    dtype = ab.float32 if name == "rfftn" else ab.complex64
    with pytest.raises(ValueError):
        getattr(ab.fft, name)(ab.asarray(1, dtype=dtype))
    with pytest.raises(ValueError):
        getattr(ab.fft, name)(ab.ones((2, 3), dtype=dtype), axes=[])


@pytest.mark.parametrize("name", ("fftfreq", "rfftfreq"))
def test_frequency_errors(name: str) -> None:
    f = getattr(ab.fft, name)
    for n in (0, -3):
        with pytest.raises(ValueError):
            f(n)
    for n in (2.5, True, "4"):
        with pytest.raises(TypeError):
            f(n)
    with pytest.raises(ValueError):
        f(4, d=0.0)
    with pytest.raises(TypeError):
        f(4, d="1")
    for dtype in (ab.int32, ab.complex64, ab.bool):
        with pytest.raises(ab.DTypeError):
            f(4, dtype=dtype)
    with pytest.raises(TypeError):
        f(4, device=3)


# -- namespace -----------------------------------------------------------------------------


def test_namespace_exports_the_fourteen_functions() -> None:
    assert sorted(ab.fft.__all__) == sorted(NAMES)
    for name in NAMES:
        fn = getattr(ab.fft, name)
        params = inspect.signature(fn).parameters
        first = next(iter(params.values()))
        assert first.kind is inspect.Parameter.POSITIONAL_ONLY
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in list(params.values())[1:])
