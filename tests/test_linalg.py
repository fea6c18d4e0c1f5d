"""The ``linalg`` extension and the main namespace's ``tensordot`` / ``vecdot``.

Inputs are drawn with hypothesis's array-API strategies over ``ab`` itself; NumPy
(``numpy.linalg``, computed in float64 / complex128) is the oracle. Decompositions whose
raw outputs are not unique (signs and phases of eigenvectors, singular vectors, Q) are
checked through their defining properties (reconstruction, orthonormality, triangularity)
instead. float64 results are compared tightly, float32 ones loosely.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.array_api import make_strategies_namespace

import arraybridge as ab

xps = make_strategies_namespace(ab)
L = ab.linalg

REAL = (ab.float32, ab.float64)
FLOATING = (ab.float32, ab.float64, ab.complex64, ab.complex128)
INTS = (ab.int8, ab.int16, ab.int32, ab.int64, ab.uint8, ab.uint16, ab.uint32, ab.uint64)
NUMERIC = INTS + FLOATING
ALL = (ab.bool, *NUMERIC)
REAL_OF = {
    ab.float32: ab.float32,
    ab.float64: ab.float64,
    ab.complex64: ab.float32,
    ab.complex128: ab.float64,
}
COMPLEX_OF = {ab.float32: ab.complex64, ab.float64: ab.complex128}


def _grid(v: float) -> float:
    return round(v * 1024) / 1024


def _elements(dtype: ab.DType, bound: float = 10.0, least: float = 0.0) -> Any:
    """Finite, bounded elements on a 2**-10 grid (exact in float32).

    Bounds keep NumPy from warning about overflow; the grid keeps out values near
    underflow, on which LAPACK's eigenvectors lose their accuracy. ``least`` > 0 keeps the
    magnitudes at least that large.
    """
    if dtype in (ab.float32, ab.float64):
        if least:
            pos = st.floats(least, bound).map(_grid)
            return pos | pos.map(lambda v: -v)
        return st.floats(-bound, bound).map(_grid)
    if dtype in (ab.complex64, ab.complex128):
        return st.complex_numbers(
            min_magnitude=least,
            max_magnitude=bound - 0.01,
            allow_nan=False,
            allow_infinity=False,
        ).map(lambda z: complex(_grid(z.real), _grid(z.imag)))
    return None


def _arrays(
    dtype: ab.DType, shape: Any, bound: float = 10.0, least: float = 0.0
) -> st.SearchStrategy[Any]:
    return xps.arrays(dtype, shape, elements=_elements(dtype, bound, least))


def _high(a: Any) -> np.ndarray[Any, Any]:
    """A NumPy copy of ``a`` in float64 / complex128 (the oracle's precision)."""
    a = np.asarray(a)
    return a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)


def _tol(dtype: ab.DType) -> float:
    return 2e-3 if REAL_OF.get(dtype, dtype) is ab.float32 else 1e-9


def _close(actual: Any, expected: Any, dtype: ab.DType, scale: float = 1.0) -> None:
    tol = _tol(dtype)
    np.testing.assert_allclose(
        _high(actual), expected, rtol=tol, atol=tol * max(1.0, scale), equal_nan=False
    )


def _check(t: Any, dtype: ab.DType, shape: tuple[int, ...]) -> np.ndarray[Any, Any]:
    assert isinstance(t, ab.Tensor), type(t)
    assert t.dtype is dtype, f"dtype {t.dtype}, expected {dtype}"
    assert t.shape == shape, f"shape {t.shape}, expected {shape}"
    a = np.asarray(t)
    assert a.dtype.name == dtype.name
    return a


def _h(a: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Conjugate transpose of the last two axes."""
    return np.conj(np.swapaxes(a, -1, -2))


def _eye_like(a: np.ndarray[Any, Any], n: int) -> np.ndarray[Any, Any]:
    return np.broadcast_to(np.eye(n), (*a.shape[:-2], n, n))


def _as(a: np.ndarray[Any, Any], dtype: ab.DType) -> ab.Tensor:
    return ab.asarray(np.asarray(a, dtype=dtype.name))


floating = st.sampled_from(FLOATING)
real = st.sampled_from(REAL)
numeric = st.sampled_from(NUMERIC)
batch = st.lists(st.integers(0, 3), min_size=0, max_size=2).map(tuple)
side = st.integers(0, 4)


@st.composite
def square_stacks(draw: Any, dtypes: Any = floating, min_side: int = 0) -> Any:
    dtype = draw(dtypes)
    n = draw(st.integers(min_side, 4))
    return draw(_arrays(dtype, (*draw(batch), n, n)))


@st.composite
def matrix_stacks(draw: Any, dtypes: Any = floating) -> Any:
    dtype = draw(dtypes)
    return draw(_arrays(dtype, (*draw(batch), draw(side), draw(side))))


def _well_conditioned(x: Any) -> ab.Tensor:
    """``x`` made strictly diagonally dominant (so invertible and well conditioned)."""
    a = _high(x)
    n = a.shape[-1]
    dominance = np.sum(np.abs(a), axis=-1, keepdims=True) + 1.0
    return _as(a + dominance * np.eye(n), x.dtype)


def _hermitian_pd(x: Any) -> ab.Tensor:
    """A Hermitian positive-definite matrix built from ``x``: ``x x^H + n I``."""
    a = _high(x)
    n = a.shape[-1]
    return _as(a @ _h(a) + n * np.eye(n), x.dtype)


# -- the namespace ----------------------------------------------------------------------------

SPEC = (
    "cholesky cross det diagonal eig eigh eigvals eigvalsh inv matmul matrix_norm "
    "matrix_power matrix_rank matrix_transpose outer pinv qr slogdet solve svd svdvals "
    "tensordot trace vecdot vector_norm"
).split()


def test_linalg_namespace_lists_the_25_functions() -> None:
    assert sorted(L.__all__) == sorted(SPEC)
    for name in SPEC:
        assert callable(getattr(L, name))
    for name in ("matmul", "matrix_transpose", "tensordot", "vecdot"):
        assert getattr(L, name) is getattr(ab, name)
        assert name in ab.__all__


@pytest.mark.parametrize(
    ("fn", "keywords"),
    [
        (L.cholesky, ["upper"]),
        (L.cross, ["axis"]),
        (L.diagonal, ["offset"]),
        (L.matrix_norm, ["keepdims", "ord"]),
        (L.matrix_rank, ["rtol"]),
        (L.pinv, ["rtol"]),
        (L.qr, ["mode"]),
        (L.svd, ["full_matrices"]),
        (L.trace, ["offset", "dtype"]),
        (L.vector_norm, ["axis", "keepdims", "ord"]),
        (ab.tensordot, ["axes"]),
        (ab.vecdot, ["axis"]),
    ],
)
def test_options_are_keyword_only(fn: Any, keywords: list[str]) -> None:
    params = inspect.signature(fn).parameters.values()
    kinds = {p.name: p.kind for p in params}
    assert [n for n, k in kinds.items() if k is inspect.Parameter.KEYWORD_ONLY] == keywords
    assert all(
        k is inspect.Parameter.POSITIONAL_ONLY for n, k in kinds.items() if n not in keywords
    )


# -- cholesky ---------------------------------------------------------------------------------


@given(x=square_stacks(), upper=st.booleans())
def test_cholesky_reconstructs_and_matches_numpy(x: Any, upper: bool) -> None:
    a = _hermitian_pd(x)
    r = _check(L.cholesky(a, upper=upper), a.dtype, a.shape)
    hi = _high(a)
    tri = np.triu(r, 1) if not upper else np.tril(r, -1)
    assert np.all(tri == 0)
    product = _h(r) @ r if upper else r @ _h(r)
    scale = float(np.max(np.abs(hi), initial=1.0))
    _close(product, hi, a.dtype, scale)
    expected = np.linalg.cholesky(hi, upper=upper)  # unique: positive real diagonal
    _close(r, expected, a.dtype, math.sqrt(scale))


def test_cholesky_of_an_indefinite_matrix_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="cholesky") as info:
        L.cholesky(ab.asarray([[1.0, 2.0], [2.0, 1.0]]))
    assert type(info.value) is ValueError  # not NumPy's LinAlgError


# -- det, slogdet, inv ------------------------------------------------------------------------


@given(x=square_stacks())
def test_det_and_slogdet_match_numpy(x: Any) -> None:
    hi = _high(x)
    expected = np.linalg.det(hi)
    d = _check(L.det(x), x.dtype, x.shape[:-2])
    scale = float(np.max(np.abs(expected), initial=1.0))
    _close(d, expected, x.dtype, scale)
    res = L.slogdet(x)
    assert type(res).__name__ == "SlogdetResult"
    assert res._fields == ("sign", "logabsdet")
    sign = _check(res.sign, x.dtype, x.shape[:-2])
    logabs = _check(res.logabsdet, REAL_OF[x.dtype], x.shape[:-2])
    assert res[0] is res.sign and res[1] is res.logabsdet
    with np.errstate(under="ignore"):
        _close(_high(sign) * np.exp(_high(logabs)), expected, x.dtype, scale)


def test_slogdet_of_a_singular_matrix() -> None:
    sign, logabsdet = L.slogdet(ab.zeros((2, 2), dtype=ab.float64))
    assert float(sign) == 0.0 and float(logabsdet) == -math.inf


@given(x=square_stacks())
def test_inv_matches_numpy(x: Any) -> None:
    a = _well_conditioned(x)
    r = _check(L.inv(a), x.dtype, x.shape)
    hi = _high(a)
    _close(r, np.linalg.inv(hi), x.dtype)
    _close(hi @ _high(r), _eye_like(hi, hi.shape[-1]), x.dtype)


def test_inv_of_a_singular_matrix_is_a_plain_value_error() -> None:
    with pytest.raises(ValueError, match=r"^inv: ") as info:
        L.inv(ab.ones((2, 2), dtype=ab.float64))
    assert type(info.value) is ValueError


# -- eigh, eigvalsh, eig, eigvals -------------------------------------------------------------


@given(x=square_stacks())
def test_eigh_reconstructs(x: Any) -> None:
    hi = _high(x)
    s = (hi + _h(hi)) / 2
    a = _as(s, x.dtype)
    res = L.eigh(a)
    assert type(res).__name__ == "EighResult"
    assert res._fields == ("eigenvalues", "eigenvectors")
    n = x.shape[-1]
    w = _check(res.eigenvalues, REAL_OF[x.dtype], (*x.shape[:-2], n))
    v = _high(_check(res.eigenvectors, x.dtype, x.shape))
    scale = float(np.max(np.abs(s), initial=1.0)) * max(n, 1)
    _close(np.sort(w, axis=-1), np.linalg.eigvalsh(_high(a)), x.dtype, scale)
    _close((v * _high(w)[..., None, :]) @ _h(v), _high(a), x.dtype, scale)
    _close(_h(v) @ v, _eye_like(v, n), x.dtype)
    wv = _check(L.eigvalsh(a), REAL_OF[x.dtype], (*x.shape[:-2], n))
    _close(np.sort(wv, axis=-1), np.linalg.eigvalsh(_high(a)), x.dtype, scale)


@given(x=square_stacks())
def test_eig_is_complex_and_satisfies_av_equals_lambda_v(x: Any) -> None:
    res = L.eig(x)
    assert type(res).__name__ == "EigResult"
    assert res._fields == ("eigenvalues", "eigenvectors")
    n = x.shape[-1]
    cdt = COMPLEX_OF.get(x.dtype, x.dtype)
    w = _high(_check(res.eigenvalues, cdt, (*x.shape[:-2], n)))
    v = _high(_check(res.eigenvectors, cdt, x.shape))
    hi = _high(x)
    scale = float(np.max(np.abs(hi), initial=1.0)) * max(n, 1)
    _close(hi @ v, v * w[..., None, :], x.dtype, scale)
    # the eigenvalues' sum and product are the trace and the determinant
    _close(np.sum(w, axis=-1), np.trace(hi, axis1=-2, axis2=-1), x.dtype, scale)
    wv = _high(_check(L.eigvals(x), cdt, (*x.shape[:-2], n)))
    _close(np.sort_complex(wv), np.sort_complex(w), x.dtype, scale)


def test_eigvals_of_a_rotation_are_complex() -> None:
    w = L.eigvals(ab.asarray([[0.0, -1.0], [1.0, 0.0]], dtype=ab.float32))
    assert w.dtype is ab.complex64
    np.testing.assert_allclose(np.sort_complex(np.asarray(w)), [-1j, 1j], atol=1e-6)


# -- qr, svd, svdvals -------------------------------------------------------------------------


@given(x=matrix_stacks(), mode=st.sampled_from(["reduced", "complete"]))
def test_qr_reconstructs(x: Any, mode: str) -> None:
    m, n = x.shape[-2:]
    k = m if mode == "complete" else min(m, n)
    res = L.qr(x, mode=mode)
    assert type(res).__name__ == "QRResult" and res._fields == ("Q", "R")
    q = _high(_check(res.Q, x.dtype, (*x.shape[:-2], m, k)))
    r = _high(_check(res.R, x.dtype, (*x.shape[:-2], k, n)))
    assert np.all(np.tril(r, -1) == 0)
    _close(_h(q) @ q, _eye_like(q, k), x.dtype)
    hi = _high(x)
    _close(q @ r, hi, x.dtype, float(np.max(np.abs(hi), initial=1.0)))


@given(x=matrix_stacks(), full=st.booleans())
def test_svd_reconstructs(x: Any, full: bool) -> None:
    m, n = x.shape[-2:]
    k = min(m, n)
    res = L.svd(x, full_matrices=full)
    assert type(res).__name__ == "SVDResult" and res._fields == ("U", "S", "Vh")
    b = x.shape[:-2]
    u = _high(_check(res.U, x.dtype, (*b, m, m if full else k)))
    s = _high(_check(res.S, REAL_OF[x.dtype], (*b, k)))
    vh = _high(_check(res.Vh, x.dtype, (*b, n if full else k, n)))
    hi = _high(x)
    scale = float(np.max(np.abs(hi), initial=1.0)) * max(m, n, 1)
    assert np.all(s >= 0) and np.all(np.diff(s, axis=-1) <= 0)
    _close(s, np.linalg.svd(hi, compute_uv=False), x.dtype, scale)
    _close(_h(u) @ u, _eye_like(u, u.shape[-1]), x.dtype)
    _close(vh @ _h(vh), _eye_like(vh, vh.shape[-2]), x.dtype)
    _close((u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :], hi, x.dtype, scale)
    sv = _check(L.svdvals(x), REAL_OF[x.dtype], (*b, k))
    _close(sv, np.linalg.svd(hi, compute_uv=False), x.dtype, scale)


# -- solve ------------------------------------------------------------------------------------


@st.composite
def solve_args(draw: Any) -> Any:
    dtype = draw(floating)
    n = draw(st.integers(1, 4))
    b1 = draw(batch)
    a = draw(_arrays(dtype, (*b1, n, n)))
    if draw(st.booleans()):
        b = draw(_arrays(dtype, (n,)))
    else:
        # a stack shape that broadcasts with a's
        b2 = tuple(draw(st.sampled_from([1, s])) for s in b1)[draw(st.integers(0, len(b1))) :]
        b = draw(_arrays(dtype, (*b2, n, draw(st.integers(0, 3)))))
    return a, b


@given(args=solve_args())
def test_solve_matches_numpy(args: Any) -> None:
    x1, x2 = args
    a = _well_conditioned(x1)
    hi_a, hi_b = _high(a), _high(x2)
    if x2.ndim == 1:
        expected = np.linalg.solve(hi_a, hi_b[..., None])[..., 0]
        shape = (*a.shape[:-2], x2.shape[0])
    else:
        expected = np.linalg.solve(hi_a, hi_b)
        shape = (*np.broadcast_shapes(a.shape[:-2], x2.shape[:-2]), *x2.shape[-2:])
    r = _check(L.solve(a, x2), a.dtype, shape)
    _close(r, expected, a.dtype)


def test_solve_errors() -> None:
    a = ab.eye(3, dtype=ab.float64)
    with pytest.raises(ValueError, match="solve"):
        L.solve(a, ab.ones(2, dtype=ab.float64))
    with pytest.raises(ValueError, match="solve"):
        L.solve(a, ab.ones((2, 3, 2), dtype=ab.float64)[0:2, 0:2])
    with pytest.raises(ValueError, match="solve"):
        L.solve(ab.ones((2, 3), dtype=ab.float64), ab.ones(2, dtype=ab.float64))
    with pytest.raises(ValueError, match="solve") as info:
        L.solve(ab.zeros((2, 2), dtype=ab.float64), ab.ones(2, dtype=ab.float64))
    assert type(info.value) is ValueError
    with pytest.raises(ab.DTypeError):
        L.solve(a, ab.ones(3, dtype=ab.float32))
    with pytest.raises(ab.DTypeError):
        L.solve(ab.eye(3, dtype=ab.int64), ab.ones(3, dtype=ab.int64))
    with pytest.raises(TypeError):
        L.solve(a, 1.0)


def test_solve_takes_python_lists_weakly_and_promotes_under_standard() -> None:
    a = ab.asarray([[2.0, 0.0], [0.0, 4.0]], dtype=ab.float32)
    r = L.solve(a, [2.0, 2.0])
    assert r.dtype is ab.float32
    np.testing.assert_allclose(np.asarray(r), [1.0, 0.5])
    with ab.semantics("standard"):
        r = L.solve(a, ab.asarray([2.0, 2.0], dtype=ab.float64))
    assert r.dtype is ab.float64


# -- pinv, matrix_rank ------------------------------------------------------------------------


@given(x=matrix_stacks())
def test_pinv_matches_numpy_and_is_a_pseudo_inverse(x: Any) -> None:
    hi = _high(x)
    m, n = x.shape[-2:]
    r = _check(L.pinv(x), x.dtype, (*x.shape[:-2], n, m))
    eps = float(np.finfo(REAL_OF[x.dtype].name).eps)
    if x.dtype in (ab.float64, ab.complex128):
        _close(r, np.linalg.pinv(hi, rtol=max(m, n) * eps), x.dtype)
    p = _high(r)
    scale = float(np.max(np.abs(hi), initial=1.0))
    # the Moore-Penrose condition A A+ A = A holds whatever the conditioning
    _close(hi @ p @ hi, hi, x.dtype, scale * max(m, n, 1) ** 2)


@st.composite
def low_rank(draw: Any) -> Any:
    dtype = draw(floating)
    b = draw(batch)
    m, n, k = draw(side), draw(side), draw(st.integers(0, 4))
    left = _high(draw(_arrays(dtype, (*b, m, k))))
    right = _high(draw(_arrays(dtype, (*b, k, n))))
    return _as(left @ right, dtype)


@given(x=low_rank())
def test_matrix_rank_matches_numpy(x: Any) -> None:
    hi = _high(x)
    r = _check(L.matrix_rank(x), ab.int64, x.shape[:-2])
    if x.size:
        eps = float(np.finfo(REAL_OF[x.dtype].name).eps)
        # same default tolerance as the standard's: max(M, N) * eps * largest singular value
        s = np.linalg.svd(hi, compute_uv=False)
        tol = s.max(axis=-1, keepdims=True) * max(x.shape[-2:]) * eps
        clear = np.all(np.abs(s - tol) > 1e-3 * np.maximum(tol, 1e-300))
        if clear:
            np.testing.assert_array_equal(r, np.sum(s > tol, axis=-1))
    else:
        assert np.all(r == 0)


def test_matrix_rank_rtol_float_and_tensor() -> None:
    x = ab.asarray(np.diag([4.0, 2.0, 1.0]))  # singular values 4, 2, 1
    assert int(L.matrix_rank(x)) == 3
    assert int(L.matrix_rank(x, rtol=0.3)) == 2
    assert int(L.matrix_rank(x, rtol=0.6)) == 1
    stack = ab.stack([x, x, x])
    r = L.matrix_rank(stack, rtol=ab.asarray([0.1, 0.3, 0.6], dtype=ab.float64))
    np.testing.assert_array_equal(np.asarray(r), [3, 2, 1])
    assert r.dtype is ab.int64
    with pytest.raises(ab.DTypeError):  # strict: rtol's precision must be x's
        L.matrix_rank(stack, rtol=ab.asarray([0.1, 0.3, 0.6], dtype=ab.float32))
    with pytest.raises(ab.DTypeError):
        L.pinv(stack, rtol=ab.asarray([1, 2, 3]))
    with pytest.raises(ValueError):
        L.matrix_rank(stack, rtol=ab.asarray([0.1, 0.3], dtype=ab.float64))
    with pytest.raises(TypeError):
        L.pinv(x, rtol=True)
    p = L.pinv(ab.asarray(np.diag([4.0, 1e-3])), rtol=1e-2)
    np.testing.assert_allclose(np.asarray(p), np.diag([0.25, 0.0]))


# -- matrix_power -----------------------------------------------------------------------------


@given(x=square_stacks(), n=st.integers(-3, 4))
def test_matrix_power_matches_numpy(x: Any, n: int) -> None:
    a = _well_conditioned(x) if n < 0 else _as(_high(x) / 10, x.dtype)
    r = _check(L.matrix_power(a, n), x.dtype, x.shape)
    expected = np.linalg.matrix_power(_high(a), n)
    _close(r, expected, x.dtype, float(np.max(np.abs(expected), initial=1.0)))


@given(x=st.sampled_from(INTS).flatmap(lambda d: _arrays(d, (2, 2))), n=st.integers(0, 3))
def test_matrix_power_of_integers_is_exact(x: Any, n: int) -> None:
    r = _check(L.matrix_power(x, n), x.dtype, x.shape)
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(r, np.linalg.matrix_power(np.asarray(x), n))


def test_matrix_power_errors() -> None:
    with pytest.raises(ab.DTypeError, match="matrix_power"):
        L.matrix_power(ab.eye(2, dtype=ab.int32), -1)
    with pytest.raises(ab.DTypeError):
        L.matrix_power(ab.ones((2, 2), dtype=ab.bool), 2)
    with pytest.raises(TypeError):
        L.matrix_power(ab.eye(2), 1.5)
    with pytest.raises(TypeError):
        L.matrix_power(ab.eye(2), True)
    with pytest.raises(ValueError):
        L.matrix_power(ab.ones((2, 3)), 2)


# -- norms ------------------------------------------------------------------------------------

MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]


@st.composite
def nonempty_matrix_stacks(draw: Any) -> Any:
    dtype = draw(floating)
    shape = (*draw(batch), draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    return draw(_arrays(dtype, shape))


@given(x=nonempty_matrix_stacks(), ord=st.sampled_from(MATRIX_ORDS), keepdims=st.booleans())
def test_matrix_norm_matches_numpy(x: Any, ord: Any, keepdims: bool) -> None:
    hi = _high(x)
    expected = np.linalg.norm(hi, ord=ord, axis=(-2, -1), keepdims=keepdims)
    r = _check(L.matrix_norm(x, ord=ord, keepdims=keepdims), REAL_OF[x.dtype], expected.shape)
    _close(r, expected, x.dtype, float(np.max(np.abs(hi), initial=1.0)) * 4)


def test_matrix_norm_default_and_errors() -> None:
    x = ab.asarray([[3.0, 0.0], [0.0, 4.0]])
    assert float(L.matrix_norm(x)) == 5.0
    with pytest.raises(ValueError, match="ord"):
        L.matrix_norm(x, ord=3)
    with pytest.raises(ValueError, match="ord"):
        L.matrix_norm(x, ord="inf")
    with pytest.raises(TypeError):
        L.matrix_norm(x, ord=True)
    with pytest.raises(ValueError):
        L.matrix_norm(ab.ones(3))
    with pytest.raises(ab.DTypeError):
        L.matrix_norm(ab.ones((2, 2), dtype=ab.int32))


@st.composite
def vector_norm_args(draw: Any) -> Any:
    ord = draw(st.sampled_from([1, 2, 3, 0.5, 0, -1, -2, -0.5, math.inf, -math.inf]))
    dtype = draw(floating)
    shape = draw(xps.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    # NumPy warns about 1/0 for negative orders of vectors holding zeros: keep them out.
    x = draw(_arrays(dtype, shape, least=0.5 if ord < 0 else 0.0))
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none" or x.ndim == 0:
        axis: Any = None
    elif kind == "int":
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
    else:
        axis = tuple(
            draw(
                st.lists(
                    st.integers(-x.ndim, x.ndim - 1), min_size=1, unique_by=lambda a: a % x.ndim
                )
            )
        )
    return x, ord, axis, draw(st.booleans())


@given(args=vector_norm_args())
def test_vector_norm_matches_numpy(args: Any) -> None:
    x, ord, axis, keepdims = args
    hi = _high(x)
    expected = np.linalg.vector_norm(hi, ord=ord, axis=axis, keepdims=keepdims)
    r = _check(
        L.vector_norm(x, ord=ord, axis=axis, keepdims=keepdims),
        REAL_OF[x.dtype],
        np.shape(expected),
    )
    _close(r, expected, x.dtype, float(np.max(np.abs(hi), initial=1.0)) * 8)


def test_vector_norm_defaults_and_errors() -> None:
    x = ab.asarray([[3.0, 4.0], [0.0, 0.0]])
    assert float(L.vector_norm(x)) == 5.0
    np.testing.assert_array_equal(np.asarray(L.vector_norm(x, axis=1, ord=0)), [2.0, 0.0])
    with pytest.raises(IndexError):
        L.vector_norm(x, axis=2)
    with pytest.raises(ValueError):
        L.vector_norm(x, axis=(0, -2))
    with pytest.raises(TypeError):
        L.vector_norm(x, ord="fro")
    with pytest.raises(ValueError):
        L.vector_norm(x, ord=math.nan)
    with pytest.raises(ab.DTypeError):
        L.vector_norm(ab.asarray([1, 2]))


# -- trace, diagonal --------------------------------------------------------------------------


def _trace_dtype(d: ab.DType) -> ab.DType:
    if d in (ab.int8, ab.int16, ab.int32):
        return ab.int64
    if d in (ab.uint8, ab.uint16, ab.uint32):
        return ab.uint64
    return d


@given(x=matrix_stacks(numeric), data=st.data())
def test_trace_matches_numpy(x: Any, data: Any) -> None:
    m, n = x.shape[-2:]
    offset = data.draw(st.integers(-m - 1, n + 1))
    dt = _trace_dtype(x.dtype)
    expected = np.trace(np.asarray(x), offset=offset, axis1=-2, axis2=-1, dtype=dt.name)
    r = _check(L.trace(x, offset=offset), dt, x.shape[:-2])
    if dt in FLOATING:
        _close(r, _high(expected), dt, 4 * 10.0)
    else:
        np.testing.assert_array_equal(r, expected)


def test_trace_dtype_argument() -> None:
    x = ab.asarray([[100, 1], [1, 100]], dtype=ab.int8)
    r = L.trace(x, dtype=ab.int16)
    assert r.dtype is ab.int16 and int(r) == 200
    r = L.trace(ab.eye(3, dtype=ab.float32), dtype=ab.complex128)
    assert r.dtype is ab.complex128 and complex(r) == 3
    with pytest.raises(ab.DTypeError):
        L.trace(ab.eye(2, dtype=ab.complex64), dtype=ab.float32)
    with pytest.raises(ab.DTypeError):
        L.trace(ab.eye(2, dtype=ab.bool))
    with pytest.raises(ab.DTypeError):
        L.trace(ab.eye(2), dtype=ab.bool)
    with pytest.raises(ValueError):
        L.trace(ab.ones(3))


@given(x=matrix_stacks(st.sampled_from(ALL)), data=st.data())
def test_diagonal_matches_numpy(x: Any, data: Any) -> None:
    m, n = x.shape[-2:]
    offset = data.draw(st.integers(-m - 1, n + 1))
    before = np.array(x)
    expected = np.diagonal(before, offset=offset, axis1=-2, axis2=-1)
    d = L.diagonal(x, offset=offset)
    np.testing.assert_array_equal(_check(d, x.dtype, expected.shape), expected)
    if d.size:  # writing into the result leaves x alone (value semantics)
        with ab.semantics("standard"):
            d[...] = ab.zeros_like(d)
        np.testing.assert_array_equal(np.asarray(x), before)


def test_diagonal_errors() -> None:
    with pytest.raises(ValueError):
        L.diagonal(ab.ones(3))
    with pytest.raises(TypeError):
        L.diagonal(ab.ones((2, 2)), offset=1.0)


# -- outer, cross, tensordot, vecdot ----------------------------------------------------------


@given(dtype=numeric, data=st.data())
def test_outer_matches_numpy(dtype: ab.DType, data: Any) -> None:
    a = data.draw(_arrays(dtype, (data.draw(side),)))
    b = data.draw(_arrays(dtype, (data.draw(side),)))
    r = _check(L.outer(a, b), dtype, (a.shape[0], b.shape[0]))
    with np.errstate(over="ignore"):
        expected = np.outer(np.asarray(a), np.asarray(b))
    if dtype in FLOATING:
        _close(r, _high(expected), dtype, 100.0)
    else:
        np.testing.assert_array_equal(r, expected)


@st.composite
def cross_args(draw: Any) -> Any:
    dtype = draw(numeric)
    shape = draw(xps.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    axis_pos = draw(st.integers(0, len(shape)))
    s1 = (*shape[:axis_pos], 3, *shape[axis_pos:])
    # x2 drops some leading axes and sets some sizes to 1 (broadcasting)
    cut = draw(st.integers(0, axis_pos))
    s2 = tuple(draw(st.sampled_from([1, s])) if s != 3 or i != axis_pos else s
               for i, s in enumerate(s1))[cut:]  # fmt: skip
    return draw(_arrays(dtype, s1)), draw(_arrays(dtype, s2)), axis_pos - len(s1)


@given(args=cross_args())
def test_cross_matches_numpy(args: Any) -> None:
    a, b, axis = args
    with np.errstate(over="ignore"):
        expected = np.cross(np.asarray(a), np.asarray(b), axis=axis)
    r = _check(L.cross(a, b, axis=axis), a.dtype, expected.shape)
    if a.dtype in FLOATING:
        _close(r, _high(expected), a.dtype, 200.0)
    else:
        np.testing.assert_array_equal(r, expected)


def test_cross_errors() -> None:
    v = ab.ones(3, dtype=ab.float64)
    with pytest.raises(ValueError, match="size 3"):
        L.cross(ab.ones(2, dtype=ab.float64), ab.ones(2, dtype=ab.float64))
    with pytest.raises(IndexError):
        L.cross(v, v, axis=0)
    with pytest.raises(IndexError):
        L.cross(v, v, axis=-2)
    with pytest.raises(ValueError):
        L.cross(ab.ones((2, 3), dtype=ab.float64), ab.ones((4, 3), dtype=ab.float64))
    with pytest.raises(ValueError):  # the compute axis must not broadcast
        L.cross(ab.ones((1, 3), dtype=ab.float64), ab.ones((3, 3), dtype=ab.float64), axis=-2)
    with pytest.raises(ab.DTypeError):
        L.cross(ab.ones(3, dtype=ab.bool), ab.ones(3, dtype=ab.bool))


@st.composite
def tensordot_args(draw: Any) -> Any:
    dtype = draw(numeric)
    contracted = draw(st.lists(st.integers(0, 3), max_size=2))
    free1 = draw(st.lists(st.integers(0, 3), max_size=2))
    free2 = draw(st.lists(st.integers(0, 3), max_size=2))
    if draw(st.booleans()):
        a = draw(_arrays(dtype, (*free1, *contracted)))
        b = draw(_arrays(dtype, (*contracted, *free2)))
        return a, b, len(contracted)
    # explicit axes, shuffled and possibly negative
    n1, n2 = len(free1) + len(contracted), len(free2) + len(contracted)
    pos1 = draw(st.permutations(range(n1)))[: len(contracted)]
    pos2 = draw(st.permutations(range(n2)))[: len(contracted)]
    s1, s2 = [0] * n1, [0] * n2
    free1_iter, free2_iter = iter(free1), iter(free2)
    for i in range(n1):
        s1[i] = contracted[pos1.index(i)] if i in pos1 else next(free1_iter)
    for i in range(n2):
        s2[i] = contracted[pos2.index(i)] if i in pos2 else next(free2_iter)
    neg = draw(st.booleans())
    axes1 = [p - n1 if neg else p for p in pos1]
    axes2 = [p - n2 if neg else p for p in pos2]
    return draw(_arrays(dtype, tuple(s1))), draw(_arrays(dtype, tuple(s2))), (axes1, axes2)


@given(args=tensordot_args())
def test_tensordot_matches_numpy(args: Any) -> None:
    a, b, axes = args
    with np.errstate(over="ignore"):
        expected = np.tensordot(np.asarray(a), np.asarray(b), axes=axes)
    r = _check(ab.tensordot(a, b, axes=axes), a.dtype, expected.shape)
    if a.dtype in FLOATING:
        _close(r, _high(expected), a.dtype, 1000.0)
    else:
        np.testing.assert_array_equal(r, expected)


def test_tensordot_default_and_errors() -> None:
    a = ab.ones((2, 3, 4), dtype=ab.float64)
    b = ab.ones((3, 4, 5), dtype=ab.float64)
    r = ab.tensordot(a, b)
    assert r.shape == (2, 5) and float(r[0, 0]) == 12.0
    assert ab.tensordot(a, b, axes=([1], [0])).shape == (2, 4, 4, 5)
    with pytest.raises(ValueError):
        ab.tensordot(a, b, axes=1)  # 4 != 3
    with pytest.raises(ValueError):
        ab.tensordot(a, b, axes=-1)
    with pytest.raises(ValueError):
        ab.tensordot(a, b, axes=4)
    with pytest.raises(IndexError):
        ab.tensordot(a, b, axes=([3], [0]))
    with pytest.raises(ValueError):
        ab.tensordot(a, b, axes=([1, 2], [0]))
    with pytest.raises(ValueError):
        ab.tensordot(a, b, axes=([1, 1], [0, 0]))
    with pytest.raises(TypeError):
        ab.tensordot(a, b, axes=2.0)
    with pytest.raises(ab.DTypeError):
        ab.tensordot(a, ab.ones((3, 4, 5), dtype=ab.float32))
    with pytest.raises(ab.DTypeError):
        ab.tensordot(ab.ones((2, 2), dtype=ab.bool), ab.ones((2, 2), dtype=ab.bool))
    with pytest.raises(TypeError):
        ab.tensordot(a, 2)


@st.composite
def vecdot_args(draw: Any) -> Any:
    dtype = draw(numeric)
    shape = draw(xps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3))
    axis = draw(st.integers(-len(shape), -1))
    cut = draw(st.integers(0, len(shape) + axis))  # x2 may drop leading axes before axis
    s2 = tuple(
        s if i == len(shape) + axis else draw(st.sampled_from([1, s])) for i, s in enumerate(shape)
    )[cut:]
    return draw(_arrays(dtype, shape)), draw(_arrays(dtype, s2)), axis


@given(args=vecdot_args())
def test_vecdot_matches_numpy(args: Any) -> None:
    a, b, axis = args
    na, nb = np.asarray(a), np.asarray(b)
    with np.errstate(over="ignore"):
        expected = np.sum(np.conj(na) * nb, axis=axis, dtype=na.dtype)
    r = _check(ab.vecdot(a, b, axis=axis), a.dtype, np.shape(expected))
    if a.dtype in FLOATING:
        _close(r, _high(expected), a.dtype, 300.0)
    else:
        np.testing.assert_array_equal(r, expected)


def test_vecdot_conjugates_and_errors() -> None:
    z = ab.asarray([1j, 2.0], dtype=ab.complex128)
    assert complex(ab.vecdot(z, z)) == 5.0
    v = ab.ones(3, dtype=ab.float64)
    with pytest.raises(ValueError):
        ab.vecdot(v, ab.ones(2, dtype=ab.float64))
    with pytest.raises(ValueError):  # the contracted axis is not broadcast
        ab.vecdot(ab.ones((2, 1), dtype=ab.float64), ab.ones((2, 3), dtype=ab.float64))
    with pytest.raises(IndexError):
        ab.vecdot(v, v, axis=0)
    with pytest.raises(IndexError):
        ab.vecdot(v, v, axis=-2)
    with pytest.raises(ValueError):
        ab.vecdot(ab.asarray(1.0), ab.asarray(1.0))
    with pytest.raises(ab.DTypeError):
        ab.vecdot(v, ab.ones(3, dtype=ab.float32))


@pytest.mark.parametrize(
    "fn",
    [L.solve, L.cross, L.outer, ab.tensordot, ab.vecdot, L.matmul],
)
def test_binary_functions_promote_under_standard(fn: Any) -> None:
    if fn is L.solve:
        a, b = ab.eye(3, dtype=ab.float32), ab.ones(3, dtype=ab.float64)
    elif fn is ab.tensordot:
        a, b = ab.ones((3, 3), dtype=ab.float32), ab.ones((3, 3), dtype=ab.float64)
    else:
        a, b = ab.ones((3, 3), dtype=ab.float32)[0], ab.ones(3, dtype=ab.float64)
    with pytest.raises(ab.DTypeError, match="strict"):
        fn(a, b)
    with ab.semantics("standard"):
        assert fn(a, b).dtype is ab.float64
        if fn is not L.solve:
            ia, ib = ab.astype(a, ab.int8), ab.astype(b, ab.int16)
            assert fn(ia, ib).dtype is ab.int16
            with pytest.raises(ab.DTypeError):
                fn(ia, b)


# -- categories and shapes, for every function ------------------------------------------------

FLOATING_ONLY = [
    (L.cholesky, (2, 2)),
    (L.det, (2, 2)),
    (L.eig, (2, 2)),
    (L.eigh, (2, 2)),
    (L.eigvals, (2, 2)),
    (L.eigvalsh, (2, 2)),
    (L.inv, (2, 2)),
    (L.matrix_norm, (2, 2)),
    (L.matrix_rank, (2, 2)),
    (L.pinv, (2, 2)),
    (L.qr, (2, 2)),
    (L.slogdet, (2, 2)),
    (L.svd, (2, 2)),
    (L.svdvals, (2, 2)),
    (L.vector_norm, (2,)),
]
SQUARE = [L.cholesky, L.det, L.eig, L.eigh, L.eigvals, L.eigvalsh, L.inv, L.slogdet]
MATRIX = [*SQUARE, L.matrix_norm, L.matrix_rank, L.pinv, L.qr, L.svd, L.svdvals, L.trace]


@pytest.mark.parametrize(("fn", "shape"), FLOATING_ONLY)
@pytest.mark.parametrize("dtype", [ab.int32, ab.uint8, ab.bool])
def test_floating_point_functions_refuse_other_dtypes(
    fn: Any, shape: tuple[int, ...], dtype: ab.DType
) -> None:
    with pytest.raises(ab.DTypeError, match=fn.__name__):
        fn(ab.ones(shape, dtype=dtype))


@pytest.mark.parametrize("fn", MATRIX)
def test_matrix_functions_need_two_dimensions(fn: Any) -> None:
    for shape in [(), (3,)]:
        with pytest.raises(ValueError, match=fn.__name__):
            fn(ab.ones(shape, dtype=ab.float64))


@pytest.mark.parametrize("fn", SQUARE)
def test_square_matrix_functions_refuse_rectangles(fn: Any) -> None:
    with pytest.raises(ValueError, match="square"):
        fn(ab.ones((2, 3, 4), dtype=ab.float64))


@pytest.mark.parametrize("fn", [L.cholesky, L.svd, L.matrix_norm, L.vector_norm])
def test_bool_options_must_be_bools(fn: Any) -> None:
    name = {L.cholesky: "upper", L.svd: "full_matrices"}.get(fn, "keepdims")
    with pytest.raises(TypeError, match=name):
        fn(ab.eye(2, dtype=ab.float64), **{name: 1})


def test_qr_mode_errors() -> None:
    with pytest.raises(ValueError, match="mode"):
        L.qr(ab.eye(2), mode="r")
    with pytest.raises(TypeError):
        L.qr(ab.eye(2), mode=None)


def test_functions_take_lists_and_numpy_arrays() -> None:
    r = L.det([[1.0, 2.0], [3.0, 4.0]])
    assert r.dtype is ab.float32
    np.testing.assert_allclose(float(r), -2.0, rtol=1e-6)
    r = L.inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
    assert r.dtype is ab.float64
    np.testing.assert_allclose(np.asarray(r), [[0.5, 0.0], [0.0, 0.25]])
