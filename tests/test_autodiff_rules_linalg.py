"""VJP rules of the linear algebra functions (``matmul``, ``tensordot``, ``vecdot``,
``matrix_transpose`` and the ``linalg`` extension) and of the ``fft`` extension.

Every rule is checked to second order against central differences (``check_grads``) on
every backend, for real and complex inputs, batched, with the keyword variants (norms'
``ord``, ``keepdims`` and ``axis``, decomposition modes, transforms' ``n`` / ``s`` /
``axes`` / ``norm``). Inputs are well conditioned: positive definite matrices for
``cholesky``, Hermitian ones for ``eigh``, distinct eigenvalues and singular values. Outputs
that are unique only up to a gauge (signs and phases of eigenvectors and singular vectors)
are checked through gauge-invariant functions of them (``abs`` of the vectors,
reconstructions), as JAX's tests do. A few gradients are compared with closed forms and
with ``jax.vjp`` (the same complex convention).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import arraybridge as ab
from arraybridge._recording import COMPOSITE, NONDIFF, RULES
from arraybridge.autodiff import grad, vjp
from arraybridge.ops import fft as fft_module
from arraybridge.ops import linalg as linalg_module
from arraybridge.ops import linear_algebra as linear_algebra_module
from arraybridge.testing import check_grads

L = ab.linalg
F = ab.fft
Factory = Callable[[str], list[Any]]
KINDS = ("real", "complex")


def _normal(shape: tuple[int, ...], seed: int = 0, kind: str = "real") -> ab.Tensor:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(shape)
    if kind == "complex":
        v = v + 1j * rng.standard_normal(shape)
    return ab.asarray(v)


def _eye_like(x: ab.Tensor) -> ab.Tensor:
    return ab.eye(x.shape[-1], dtype=x.dtype, device=x.device)


def _ct(x: ab.Tensor) -> ab.Tensor:
    """The conjugate transpose of the last two axes."""
    t = ab.matrix_transpose(x)
    return ab.conj(t) if ab.isdtype(x.dtype, "complex floating") else t


def _spd(x: ab.Tensor) -> ab.Tensor:
    """A Hermitian positive-definite matrix made from ``x`` (differentiably)."""
    return x @ _ct(x) + 3 * _eye_like(x)


def _herm(x: ab.Tensor) -> ab.Tensor:
    return (x + _ct(x)) / 2


def _values_and_abs(r: Any) -> tuple[ab.Tensor, ab.Tensor]:
    """Eigenvalues and |eigenvectors|: invariant under the vectors' signs and phases."""
    return r[0], ab.abs(r[1])


def _svd_invariants(k: int) -> Callable[[Any], tuple[ab.Tensor, ...]]:
    def f(r: Any) -> tuple[ab.Tensor, ...]:
        u, s, vh = r
        return s, ab.abs(u[..., :, :k]), ab.abs(vh[..., :k, :])

    return f


def _reconstruct(r: Any) -> ab.Tensor:
    u, s, vh = r
    product: ab.Tensor = (u * ab.astype(ab.expand_dims(s, axis=-2), u.dtype)) @ vh
    return product


# -- which functions have rules --------------------------------------------------------------

NONDIFFERENTIABLE = {"matrix_rank", "fftfreq", "rfftfreq"}


@pytest.mark.single_backend
@pytest.mark.parametrize(
    "name",
    sorted(
        set(linear_algebra_module.__all__) | set(linalg_module.__all__) | set(fft_module.__all__)
    ),
)
def test_every_function_has_a_rule_or_is_nondifferentiable(name: str) -> None:
    if name in NONDIFFERENTIABLE:
        assert name in NONDIFF and name not in RULES
    else:
        assert name in RULES and name not in NONDIFF and name not in COMPOSITE


# -- check_grads, real and complex -----------------------------------------------------------


def _x(shape: tuple[int, ...], seed: int = 0) -> Factory:
    return lambda kind: [_normal(shape, seed, kind)]


def _xy(a: tuple[int, ...], b: tuple[int, ...]) -> Factory:
    return lambda kind: [_normal(a, 1, kind), _normal(b, 2, kind)]


# A few shapes, reused (JAX compiles each op once per shape): SQ square, TALL and WIDE.
SQ, TALL, WIDE = (2, 3, 3), (2, 4, 3), (2, 3, 4)
CASES: list[tuple[str, Callable[..., Any], Factory]] = [
    # main namespace
    ("matmul", ab.matmul, _xy(SQ, (3, 3))),
    ("matmul_vector_left", ab.matmul, _xy((3,), SQ)),
    ("matmul_vector_right", ab.matmul, _xy(SQ, (3,))),
    ("matmul_vectors", ab.matmul, _xy((3,), (3,))),
    ("matrix_transpose", ab.matrix_transpose, _x(WIDE)),
    ("tensordot_int", lambda a, b: ab.tensordot(a, b, axes=1), _xy(SQ, (3, 3))),
    (
        "tensordot_pairs",
        lambda a, b: ab.tensordot(a, b, axes=([0, 2], [1, 0])),
        _xy(SQ, (3, 2, 3)),
    ),
    ("tensordot_outer", lambda a, b: ab.tensordot(a, b, axes=0), _xy((2,), (3,))),
    ("vecdot", ab.vecdot, _xy((2, 3), (3,))),
    ("vecdot_axis", lambda a, b: ab.vecdot(a, b, axis=-2), _xy(SQ, (3, 3))),
    # decompositions and solvers
    ("cholesky", lambda x: L.cholesky(_spd(x)), _x(SQ)),
    ("cholesky_upper", lambda x: L.cholesky(_spd(x), upper=True), _x(SQ)),
    ("det", L.det, _x(SQ)),
    ("slogdet", lambda x: tuple(L.slogdet(x)), _x(SQ)),
    ("inv", L.inv, _x(SQ)),
    ("solve", L.solve, _xy(SQ, (3, 3))),
    ("solve_broadcast", L.solve, _xy((3, 3), SQ)),
    ("solve_vector", L.solve, _xy(SQ, (3,))),
    ("eigh", lambda x: _values_and_abs(L.eigh(_herm(x))), _x(SQ)),
    ("eigvalsh", lambda x: L.eigvalsh(_herm(x)), _x(SQ)),
    ("eig", lambda x: _values_and_abs(L.eig(x)), _x(SQ)),
    ("eigvals", L.eigvals, _x(SQ)),
    ("qr_reduced_tall", lambda x: tuple(L.qr(x)), _x(TALL)),
    ("qr_complete_square", lambda x: tuple(L.qr(x, mode="complete")), _x(SQ)),
    ("qr_reduced_wide", lambda x: tuple(L.qr(x)), _x(WIDE)),
    ("qr_complete_wide", lambda x: tuple(L.qr(x, mode="complete")), _x(WIDE)),
    ("svd_tall", lambda x: _svd_invariants(3)(L.svd(x, full_matrices=False)), _x(TALL)),
    ("svd_wide", lambda x: _svd_invariants(3)(L.svd(x, full_matrices=False)), _x(WIDE)),
    ("svd_full_tall", lambda x: _svd_invariants(3)(L.svd(x)), _x(TALL)),
    ("svd_full_wide", lambda x: _svd_invariants(3)(L.svd(x)), _x(WIDE)),
    ("svd_reconstruct", lambda x: _reconstruct(L.svd(x, full_matrices=False)), _x(TALL)),
    ("svdvals", L.svdvals, _x(WIDE)),
    ("pinv_tall", L.pinv, _x(TALL)),
    ("pinv_wide", L.pinv, _x(WIDE)),
    ("matrix_power_1", lambda x: L.matrix_power(x, 1), _x(SQ)),
    ("matrix_power_3", lambda x: L.matrix_power(x, 3), _x(SQ)),
    ("matrix_power_-2", lambda x: L.matrix_power(x, -2), _x(SQ)),
    # products, diagonals
    ("cross", L.cross, _xy((2, 3), (3,))),
    ("cross_axis", lambda a, b: L.cross(a, b, axis=-2), _xy(SQ, (3, 3))),
    ("outer", L.outer, _xy((2,), (3,))),
    ("diagonal", L.diagonal, _x(SQ)),
    ("diagonal_above", lambda x: L.diagonal(x, offset=1), _x(WIDE)),
    ("diagonal_below", lambda x: L.diagonal(x, offset=-2), _x(SQ)),
    ("trace", L.trace, _x(SQ)),
    ("trace_above", lambda x: L.trace(x, offset=1), _x(TALL)),
    ("trace_below", lambda x: L.trace(x, offset=-2), _x(SQ)),
]
CASES += [
    (f"matrix_norm_{o}", lambda x, o=o: L.matrix_norm(x, ord=o), _x(WIDE))
    for o in ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)
]
CASES += [
    ("matrix_norm_keepdims", lambda x: L.matrix_norm(x, ord=None, keepdims=True), _x(SQ)),
]
CASES += [
    (f"vector_norm_{o}", lambda x, o=o: L.vector_norm(x, ord=o), _x(SQ))
    for o in (2, 1, 0.5, -1.5, math.inf, -math.inf, 0)
]
CASES += [
    ("vector_norm_axis", lambda x: L.vector_norm(x, axis=-1), _x(SQ)),
    (
        "vector_norm_axes_keepdims",
        lambda x: L.vector_norm(x, axis=(0, 2), keepdims=True, ord=3),
        _x(SQ),
    ),
    ("vector_norm_inf_axis", lambda x: L.vector_norm(x, axis=1, ord=math.inf), _x(SQ)),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("name", "f", "make"), CASES, ids=[c[0] for c in CASES])
def test_check_grads(name: str, f: Callable[..., Any], make: Factory, kind: str) -> None:
    check_grads(f, make(kind), order=2)


def test_trace_into_a_complex_dtype() -> None:
    """trace(x, dtype=complex) of a real x: the cotangent's real part flows back."""
    check_grads(lambda x: L.trace(x, dtype=ab.complex128), [_normal(SQ)], order=2)


def test_linear_algebra_functions_are_linalgs() -> None:
    for name in ("matmul", "matrix_transpose", "tensordot", "vecdot"):
        assert getattr(L, name) is getattr(ab, name)


def test_mixed_real_and_complex_operands() -> None:
    """Standard semantics promotes; each operand's cotangent has its own dtype."""
    r, c = _normal(SQ, 1), _normal((3,), 2, "complex")
    with ab.semantics("standard"):
        check_grads(ab.matmul, [r, c], order=2)
        check_grads(ab.vecdot, [_normal(SQ, 3, "complex"), _normal((3,), 4)], order=2)
        _, back = vjp(ab.matmul, r, c)
        gr, gc = back(_normal((2, 3), 7, "complex"))
        assert gr.dtype == ab.float64 and gc.dtype == ab.complex128


def test_qr_complete_with_more_rows_than_columns_has_no_gradient() -> None:
    x = _normal((4, 3))
    with pytest.raises(ValueError, match="mode='complete'"):
        grad(lambda a: ab.sum(L.qr(a, mode="complete").R))(x)


def test_matrix_power_zero_has_a_zero_gradient() -> None:
    g = grad(lambda a: ab.sum(L.matrix_power(a, 0) * a))(_normal((3, 3)))
    np.testing.assert_allclose(np.asarray(g), np.eye(3))


def test_vector_norm_zero_and_max_ties() -> None:
    x = ab.asarray([3.0, -3.0, 0.0])
    g0 = grad(lambda a: L.vector_norm(a, ord=0))(x)
    np.testing.assert_array_equal(np.asarray(g0), np.zeros(3))
    g = grad(lambda a: L.vector_norm(a, ord=math.inf))(x)
    np.testing.assert_allclose(np.asarray(g), [0.5, -0.5, 0.0])
    g2 = grad(lambda a: L.vector_norm(a))(ab.zeros(3, dtype=ab.float64))
    np.testing.assert_array_equal(np.asarray(g2), np.zeros(3))


# -- fft -------------------------------------------------------------------------------------

# (norm, n): n as resolved by default, trimming the input, padding it; on SQ along axis -1
ONE_D = [("backward", None), ("ortho", 2), ("forward", 5)]
C2R = [("backward", None), ("ortho", 3), ("forward", 7)]  # n // 2 + 1 = 3, 2, 4: odd n
R2C = [("backward", None), ("ortho", 2), ("forward", 6)]
# (norm, s, axes): every axis by default, and two axes in either order, trimmed and padded
N_D = [("backward", None, None), ("ortho", (3, 2), (0, 2)), ("forward", (2, 4), (2, 0))]
N_D_C2R = [("backward", None, None), ("ortho", (3, 3), (0, 2)), ("forward", (4, 4), (2, 0))]


@pytest.mark.parametrize(("norm", "n"), ONE_D)
@pytest.mark.parametrize("name", ["fft", "ifft"])
def test_complex_transforms(name: str, norm: str, n: int | None) -> None:
    f = getattr(F, name)
    check_grads(lambda x: f(x, n=n, norm=norm), [_normal(SQ, 0, "complex")])


@pytest.mark.parametrize(("norm", "n"), C2R)
@pytest.mark.parametrize("name", ["irfft", "hfft"])
def test_complex_to_real_transforms(name: str, norm: str, n: int | None) -> None:
    f = getattr(F, name)
    check_grads(lambda x: f(x, n=n, norm=norm), [_normal(SQ, 0, "complex")])


@pytest.mark.parametrize(("norm", "n"), R2C)
@pytest.mark.parametrize("name", ["rfft", "ihfft"])
def test_real_to_complex_transforms(name: str, norm: str, n: int | None) -> None:
    f = getattr(F, name)
    check_grads(lambda x: f(x, n=n, norm=norm), [_normal(SQ)])


def test_transform_along_another_axis() -> None:
    check_grads(lambda x: F.irfft(x, axis=0, norm="ortho"), [_normal(SQ, 0, "complex")])
    check_grads(lambda x: F.rfft(x, n=4, axis=1), [_normal(SQ)])


@pytest.mark.parametrize(("norm", "s", "axes"), N_D)
@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn"])
def test_n_dimensional_transforms(name: str, norm: str, s: Any, axes: Any) -> None:
    f = getattr(F, name)
    kind = "real" if name == "rfftn" else "complex"
    check_grads(lambda x: f(x, s=s, axes=axes, norm=norm), [_normal(SQ, 0, kind)])


@pytest.mark.parametrize(("norm", "s", "axes"), N_D_C2R)
def test_irfftn(norm: Any, s: Any, axes: Any) -> None:
    check_grads(lambda x: F.irfftn(x, s=s, axes=axes, norm=norm), [_normal(SQ, 0, "complex")])


@pytest.mark.parametrize("axes", [None, 1, (0,)])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
def test_shifts(name: str, kind: str, axes: Any) -> None:
    f = getattr(F, name)
    check_grads(lambda x: f(x, axes=axes), [_normal(SQ, 0, kind)])


def test_real_loss_through_complex_transforms() -> None:
    """A real function of a real signal, through complex spectra, is differentiated exactly."""

    def loss(x: ab.Tensor) -> ab.Tensor:
        spectrum = F.fft(ab.astype(x, ab.complex128))
        return ab.sum(ab.abs(F.ifft(spectrum * spectrum)) + F.irfft(F.rfft(x) * 2.0, n=3))

    check_grads(loss, [_normal(SQ)], order=2)


# -- closed forms ----------------------------------------------------------------------------


def test_closed_forms() -> None:
    x = _normal((3, 3), 4)
    a = np.asarray(x)
    inv_t = np.linalg.inv(a).T
    got = grad(lambda m: L.slogdet(m).logabsdet)(x)
    np.testing.assert_allclose(np.asarray(got), inv_t, rtol=1e-10, atol=1e-12)
    got = grad(L.det)(x)
    np.testing.assert_allclose(np.asarray(got), np.linalg.det(a) * inv_t, rtol=1e-10)
    u, _, vh = np.linalg.svd(a)
    got = grad(lambda m: L.matrix_norm(m, ord="nuc"))(x)
    np.testing.assert_allclose(np.asarray(got), u @ vh, rtol=1e-10, atol=1e-12)
    got = grad(lambda m: L.matrix_norm(m, ord=2))(x)
    np.testing.assert_allclose(np.asarray(got), np.outer(u[:, 0], vh[0]), rtol=1e-10, atol=1e-12)
    got = grad(lambda m: L.trace(m, offset=1))(x)
    np.testing.assert_array_equal(np.asarray(got), np.eye(3, k=1))
    s = _spd(x)  # d/dA sum(eigvalsh(A)) = I on symmetric A
    got = grad(lambda m: ab.sum(L.eigvalsh(m)))(s)
    np.testing.assert_allclose(np.asarray(got), np.eye(3), atol=1e-12)


# -- JAX as the oracle (the same complex convention) -----------------------------------------


def _jax() -> Any:
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    return jax


def _jax_cases(jnp: Any) -> list[tuple[str, Callable[..., Any], Callable[..., Any], Any, str]]:
    """(id, ours, theirs, input shape, input kind): the rules whose complex convention and
    gauge handling are the subtlest."""

    def jct(x: Any) -> Any:
        return jnp.conj(jnp.swapaxes(x, -1, -2))

    def jsvd(x: Any) -> Any:
        u, s, vh = jnp.linalg.svd(x, full_matrices=False)
        return s, jnp.abs(u), jnp.abs(vh)

    def jeigh(x: Any) -> Any:
        w, v = jnp.linalg.eigh((x + jct(x)) / 2)
        return w, jnp.abs(v)

    c = "complex"
    return [
        (
            "cholesky",
            lambda x: L.cholesky(_spd(x)),
            lambda x: jnp.linalg.cholesky(x @ jct(x) + 3 * jnp.eye(3)),
            SQ,
            c,
        ),
        ("eigh", lambda x: _values_and_abs(L.eigh(_herm(x))), jeigh, SQ, c),
        ("eigvals", L.eigvals, jnp.linalg.eigvals, SQ, "real"),
        ("qr", lambda x: tuple(L.qr(x)), lambda x: tuple(jnp.linalg.qr(x)), TALL, c),
        ("svd", lambda x: _svd_invariants(3)(L.svd(x, full_matrices=False)), jsvd, TALL, c),
        (
            "irfft",
            lambda x: F.irfft(x, n=5, axis=-2, norm="ortho"),
            lambda x: jnp.fft.irfft(x, n=5, axis=-2, norm="ortho"),
            SQ,
            c,
        ),
        (
            "rfftn",
            lambda x: F.rfftn(x, s=(3, 4), axes=(2, 0), norm="forward"),
            lambda x: jnp.fft.rfftn(x, s=(3, 4), axes=(2, 0), norm="forward"),
            SQ,
            "real",
        ),
    ]


def _compare_vjp(ours: Any, theirs: Any, x: ab.Tensor, seed: int) -> None:
    jax = _jax()
    out, back = vjp(ours, x)
    leaves = list(out) if isinstance(out, tuple) else [out]
    us = [
        _normal(o.shape, seed + i, "complex" if ab.isdtype(o.dtype, "complex floating") else "real")
        for i, o in enumerate(leaves)
    ]
    (got,) = back(tuple(us) if isinstance(out, tuple) else us[0])
    jout, jback = jax.vjp(theirs, jax.numpy.asarray(np.asarray(x)))
    for o, j in zip(leaves, jout if isinstance(jout, tuple) else (jout,), strict=True):
        np.testing.assert_allclose(np.asarray(o), np.asarray(j), rtol=1e-9, atol=1e-10)
    ju = tuple(np.asarray(u) for u in us)
    (want,) = jback(ju if isinstance(jout, tuple) else ju[0])
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-8, atol=1e-10)


@pytest.mark.single_backend  # jax.vjp is the oracle; our side runs on NumPy
def test_against_jax_vjp() -> None:
    jnp = _jax().numpy
    for i, (name, ours, theirs, shape, kind) in enumerate(_jax_cases(jnp)):
        try:
            _compare_vjp(ours, theirs, _normal(shape, i, kind), 100 + 10 * i)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None
