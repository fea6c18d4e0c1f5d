"""The ``linalg`` extension of the standard (``ab.linalg``).

Every function checks its inputs here (dtype category, rank, square matrices, keyword
values) so that all backends raise the same errors; the backend's ``linalg`` namespace
does the arithmetic. Backend failures on values (a singular matrix, a matrix that is not
positive definite, an SVD that does not converge) come back as ``ValueError`` naming the
function.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from .. import _config, _dtypes
from .._convert import PY_SCALARS, resolve_dtype
from .._dispatch import (
    apply,
    category_error,
    check_category,
    check_same_device,
    primitive,
    tensor_arg,
)
from .._dtypes import DType
from .._errors import DTypeError
from .._tensor import Tensor
from ..autodiff._rules import defvjp, defvjp_all, nondifferentiable
from .creation import eye, ones, tril, triu
from .data_type import _broadcast_shapes, astype
from .elementwise import abs as abs_
from .elementwise import conj, equal, imag, logical_or, pow, real
from .linear_algebra import (
    _batch_shapes,
    _int_arg,
    _pair,
    _vector_axis,
    matmul,
    matrix_transpose,
    tensordot,
    vecdot,
)
from .manipulation import _axes, _axis, expand_dims
from .searching import where
from .statistical import max as max_
from .statistical import min as min_
from .statistical import sum as sum_

__all__ = [
    "cholesky",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "tensordot",
    "trace",
    "vecdot",
    "vector_norm",
]


class EighResult(NamedTuple):
    """``eigh``'s result: real eigenvalues and the eigenvectors (columns)."""

    eigenvalues: Tensor
    eigenvectors: Tensor


class EigResult(NamedTuple):
    """``eig``'s result: complex eigenvalues and the eigenvectors (columns)."""

    eigenvalues: Tensor
    eigenvectors: Tensor


class QRResult(NamedTuple):
    """``qr``'s result: orthonormal ``Q`` and upper-triangular ``R``."""

    Q: Tensor
    R: Tensor


class SlogdetResult(NamedTuple):
    """``slogdet``'s result: the determinant's sign and the log of its absolute value."""

    sign: Tensor
    logabsdet: Tensor


class SVDResult(NamedTuple):
    """``svd``'s result: ``U``, singular values ``S`` (descending) and ``Vh``."""

    U: Tensor
    S: Tensor
    Vh: Tensor


# -- helpers ----------------------------------------------------------------------------------


def _matrix(x: Any, where: str, category: str, *, square: bool = False) -> Tensor:
    """``x`` as a tensor of ``category`` with at least two dimensions (square if asked)."""
    t = tensor_arg(x, where)
    check_category(t, category, where)
    _check_matrix(t, where, "x", square)
    return t


def _check_matrix(x: Tensor, where: str, name: str, square: bool) -> None:
    if x.ndim < 2:
        raise ValueError(
            f"{where}: {name} must have at least 2 dimensions (a matrix or a stack of "
            f"matrices), got shape {x.shape}"
        )
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"{where}: {name} must hold square matrices in its last two dimensions, "
            f"got shape {x.shape}"
        )


def _call(where: str, x: Tensor, *args: Any, view: bool = False, **kwargs: Any) -> Any:
    """``apply("linalg.<where>", ...)`` with backend value errors as ValueError."""
    try:
        return apply(f"linalg.{where}", x, *args, view=view, **kwargs)
    except ValueError as exc:  # NumPy's LinAlgError is a ValueError
        raise ValueError(f"{where}: cannot compute for shape {x.shape}: {exc}") from None


def _bool_arg(value: Any, name: str, where: str) -> bool:
    if value is not True and value is not False:
        raise TypeError(f"{where}: {name} must be a bool, got {type(value).__name__}")
    return bool(value)


def _real_dtype(dt: DType) -> DType:
    return _dtypes.COMPLEX_TO_REAL.get(dt, dt)


def _rtol(where: str, x: Tensor, rtol: Any) -> Any:
    """``rtol`` as the backend takes it: None, a Python float or a native array."""
    if rtol is None:
        return None
    if type(rtol) in PY_SCALARS:
        if isinstance(rtol, (bool, complex)):
            raise TypeError(f"{where}: rtol must be a real number or a tensor, got {rtol!r}")
        return float(rtol)
    t = rtol if isinstance(rtol, Tensor) else tensor_arg(rtol, where)
    check_same_device(where, x, t)
    check_category(t, "real floating-point", where)
    real = _real_dtype(x._dtype)
    if t._dtype is not real and not _config.is_standard():
        # strict: rtol must have x's precision; standard: float32 and float64 mix
        raise _dtypes.strict_mismatch(where, (real, t._dtype))
    stack = x.shape[:-2]
    try:
        fits = _broadcast_shapes(where, t.shape, stack) == stack
    except ValueError:
        fits = False
    if not fits:
        # Note: rtol broadcasts to x's stack shape, not beyond it: NumPy's pinv fails on a
        # larger rtol and JAX's broadcasts the result, so neither is passed on
        raise ValueError(
            f"{where}: rtol of shape {t.shape} does not broadcast to the stack shape {stack} of x"
        )
    return t._data


# -- decompositions and solvers ---------------------------------------------------------------


@primitive()
def cholesky(x: Any, /, *, upper: bool = False) -> Tensor:
    """Cholesky factor of Hermitian positive-definite matrices (lower; upper if ``upper``)."""
    upper = _bool_arg(upper, "upper", "cholesky")
    x = _matrix(x, "cholesky", "floating-point", square=True)
    return _call("cholesky", x, upper=upper)  # type: ignore[no-any-return]


@primitive()
def det(x: Any, /) -> Tensor:
    """Determinant of each square matrix in ``x``."""
    x = _matrix(x, "det", "floating-point", square=True)
    return _call("det", x)  # type: ignore[no-any-return]


@primitive()
def slogdet(x: Any, /) -> SlogdetResult:
    """Sign and log of the absolute value of the determinant of each square matrix."""
    x = _matrix(x, "slogdet", "floating-point", square=True)
    sign, logabsdet = _call("slogdet", x)
    return SlogdetResult(sign, logabsdet)


@primitive()
def inv(x: Any, /) -> Tensor:
    """Inverse of each square matrix in ``x`` (ValueError where the backend finds it singular)."""
    x = _matrix(x, "inv", "floating-point", square=True)
    return _call("inv", x)  # type: ignore[no-any-return]


@primitive()
def eigh(x: Any, /) -> EighResult:
    """Eigenvalues (real) and eigenvectors of Hermitian / real symmetric matrices."""
    x = _matrix(x, "eigh", "floating-point", square=True)
    w, v = _call("eigh", x)
    return EighResult(w, v)


@primitive()
def eigvalsh(x: Any, /) -> Tensor:
    """Eigenvalues (real) of Hermitian / real symmetric matrices."""
    x = _matrix(x, "eigvalsh", "floating-point", square=True)
    return _call("eigvalsh", x)  # type: ignore[no-any-return]


@primitive()
def eig(x: Any, /) -> EigResult:
    """Eigenvalues and eigenvectors of general square matrices (always complex)."""
    x = _matrix(x, "eig", "floating-point", square=True)
    w, v = _call("eig", x)
    return EigResult(w, v)


@primitive()
def eigvals(x: Any, /) -> Tensor:
    """Eigenvalues of general square matrices (always complex)."""
    x = _matrix(x, "eigvals", "floating-point", square=True)
    return _call("eigvals", x)  # type: ignore[no-any-return]


@primitive()
def qr(x: Any, /, *, mode: str = "reduced") -> QRResult:
    """QR decomposition; ``mode`` is ``'reduced'`` (K = min(M, N) columns) or ``'complete'``."""
    if not isinstance(mode, str):
        raise TypeError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}")
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}")
    x = _matrix(x, "qr", "floating-point")
    q, r = _call("qr", x, mode=mode)
    return QRResult(q, r)


@primitive()
def svd(x: Any, /, *, full_matrices: bool = True) -> SVDResult:
    """Singular value decomposition ``x = U @ diag(S) @ Vh`` (S descending, real)."""
    full_matrices = _bool_arg(full_matrices, "full_matrices", "svd")
    x = _matrix(x, "svd", "floating-point")
    u, s, vh = _call("svd", x, full_matrices=full_matrices)
    return SVDResult(u, s, vh)


@primitive()
def svdvals(x: Any, /) -> Tensor:
    """Singular values of each matrix, in descending order (real)."""
    x = _matrix(x, "svdvals", "floating-point")
    return _call("svdvals", x)  # type: ignore[no-any-return]


def solve(x1: Any, x2: Any, /) -> Tensor:
    """Solution ``X`` of ``x1 @ X = x2``; a 1-D ``x2`` is one right-hand side vector."""
    where = "solve"
    a, b = _pair(where, x1, x2, "floating-point")
    _check_matrix(a, where, "x1", square=True)
    m = a.shape[-1]
    if b.ndim == 0:
        raise ValueError(f"{where}: x2 must have at least 1 dimension, got shape {b.shape}")
    rows = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if rows != m:
        raise ValueError(
            f"{where}: x2 of shape {b.shape} does not match x1 of shape {a.shape} "
            f"(x2 needs {m} rows)"
        )
    if b.ndim > 1:
        try:
            _broadcast_shapes(where, a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise ValueError(
                f"{where}: the stack shapes of x1 {a.shape} and x2 {b.shape} do not broadcast"
            ) from None
    return _solve(a, b)


@primitive("solve")
def _solve(a: Tensor, b: Tensor) -> Tensor:
    return _call("solve", a, b._data)  # type: ignore[no-any-return]


@primitive()
def pinv(x: Any, /, *, rtol: float | Tensor | None = None) -> Tensor:
    """Moore-Penrose pseudo-inverse; singular values <= ``rtol * max`` count as zero.

    ``rtol`` defaults to ``max(M, N) * eps`` of ``x``'s precision.
    """
    x = _matrix(x, "pinv", "floating-point")
    return _call("pinv", x, rtol=_rtol("pinv", x, rtol))  # type: ignore[no-any-return]


def matrix_rank(x: Any, /, *, rtol: float | Tensor | None = None) -> Tensor:
    """Number of singular values above ``rtol * max`` (default int dtype)."""
    where = "matrix_rank"
    x = _matrix(x, where, "floating-point")
    tol = _rtol(where, x, rtol)
    if x.size == 0:
        # Note: an empty matrix has rank 0 (NumPy's matrix_rank fails on it).
        from .creation import zeros

        return zeros(x.shape[:-2], dtype=_dtypes.DEFAULT_INT, device=x.device)
    r = _call(where, x, rtol=tol)
    return r if r._dtype is _dtypes.DEFAULT_INT else astype(r, _dtypes.DEFAULT_INT)


@primitive()
def matrix_power(x: Any, n: int, /) -> Tensor:
    """``x`` raised to the integer power ``n`` (n < 0 inverts; n == 0 gives identities).

    Integer matrices take only ``n >= 0`` (their inverse is not an integer matrix).
    """
    where = "matrix_power"
    n = _int_arg(n, "n", where)
    # Note: the standard asks for floating-point; integer matrices with n >= 0 are
    # exact, so they are accepted (as NumPy does).
    x = _matrix(x, where, "numeric", square=True)
    if n < 0 and x._dtype._kind in "iu":
        raise DTypeError(
            f"{where}: a negative power of an {x._dtype} matrix needs its inverse; "
            "convert to a floating-point dtype first, e.g. ab.astype(x, ab.float64)"
        )
    return _call(where, x, n)  # type: ignore[no-any-return]


# -- products ---------------------------------------------------------------------------------


def cross(x1: Any, x2: Any, /, *, axis: int = -1) -> Tensor:
    """Cross product of 3-element vectors along ``axis`` (negative; other axes broadcast)."""
    where = "cross"
    a, b = _pair(where, x1, x2, "numeric")
    ax = _vector_axis(where, axis, a, b)
    if a.shape[ax] != 3 or b.shape[ax] != 3:
        raise ValueError(
            f"{where}: axis {ax} must have size 3 in both operands, got shapes "
            f"{a.shape} and {b.shape}"
        )
    _batch_shapes(where, a, b, ax)
    return _cross(a, b, ax)


@primitive("cross")
def _cross(a: Tensor, b: Tensor, ax: int) -> Tensor:
    return _call("cross", a, b._data, axis=ax)  # type: ignore[no-any-return]


def outer(x1: Any, x2: Any, /) -> Tensor:
    """Outer product of two 1-D tensors, shape ``(N, M)``."""
    where = "outer"
    a, b = _pair(where, x1, x2, "numeric")
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"{where}: x1 and x2 must be 1-D, got shapes {a.shape} and {b.shape}")
    return _outer(a, b)


@primitive("outer")
def _outer(a: Tensor, b: Tensor) -> Tensor:
    return _call("outer", a, b._data)  # type: ignore[no-any-return]


# -- diagonals, traces and norms --------------------------------------------------------------


@primitive()
def diagonal(x: Any, /, *, offset: int = 0) -> Tensor:
    """The ``offset`` diagonal of each matrix (last two axes) of ``x``."""
    offset = _int_arg(offset, "offset", "diagonal")
    # Note: any dtype is accepted (the standard sets no category; bool diagonals are common).
    x = _matrix(x, "diagonal", "all")
    return _call("diagonal", x, offset=offset, view=True)  # type: ignore[no-any-return]


@primitive()
def trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Tensor:
    """Sum of the ``offset`` diagonal of each matrix; integer dtypes widen as in ``sum``.

    Signed integers narrower than the default integer give the default integer, unsigned
    ones its unsigned counterpart; ``dtype`` converts ``x`` first.
    """
    where = "trace"
    offset = _int_arg(offset, "offset", where)
    x = _matrix(x, where, "numeric")
    if dtype is None:
        dt = x._dtype
        if dt._kind == "i" and dt.bits < _dtypes.DEFAULT_INT.bits:
            dt = _dtypes.DEFAULT_INT
        elif dt._kind == "u" and dt.bits < _dtypes.DEFAULT_INT.bits:
            dt = _dtypes.BY_NAME[f"uint{_dtypes.DEFAULT_INT.bits}"]
    else:
        dt = resolve_dtype(dtype, where)
        if dt not in _dtypes.NUMERIC:
            raise category_error(where, "numeric", dt)
    if dt is not x._dtype:
        x = astype(x, dt)  # refuses complex -> real
    native = x._dev.backend.to_native[dt]
    return _call(where, x, offset=offset, dtype=native)  # type: ignore[no-any-return]


_MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


@primitive()
def matrix_norm(
    x: Any, /, *, keepdims: bool = False, ord: int | float | str | None = "fro"
) -> Tensor:
    """Norm of each matrix: ``'fro'``, ``'nuc'``, 1, -1, 2, -2, inf or -inf (real result)."""
    where = "matrix_norm"
    keepdims = _bool_arg(keepdims, "keepdims", where)
    if isinstance(ord, bool) or not (ord is None or isinstance(ord, (int, float, str))):
        raise TypeError(f"{where}: ord must be one of {_MATRIX_ORDS}, got {ord!r}")
    if ord is None:
        ord = "fro"  # Note: None means the Frobenius norm, as in NumPy
    if ord not in _MATRIX_ORDS:
        raise ValueError(f"{where}: ord must be one of {_MATRIX_ORDS}, got {ord!r}")
    x = _matrix(x, where, "floating-point")
    return _call(where, x, keepdims=keepdims, ord=ord)  # type: ignore[no-any-return]


@primitive()
def vector_norm(
    x: Any,
    /,
    *,
    axis: int | tuple[int, ...] | None = None,
    keepdims: bool = False,
    ord: int | float = 2,
) -> Tensor:
    """p-norm of the vectors along ``axis`` (all elements when None); real result.

    ``ord`` is any real number or +-inf; 0 counts the non-zero elements.
    """
    where = "vector_norm"
    keepdims = _bool_arg(keepdims, "keepdims", where)
    if isinstance(ord, bool) or not isinstance(ord, (int, float)):
        raise TypeError(f"{where}: ord must be an int, a float or +-inf, got {ord!r}")
    if math.isnan(ord):
        raise ValueError(f"{where}: ord must not be nan")
    x = tensor_arg(x, where)
    check_category(x, "floating-point", where)
    ax: int | tuple[int, ...] | None = None
    if isinstance(axis, (tuple, list)):
        ax = _axes(axis, x.ndim, where)
    elif axis is not None:
        ax = _axis(axis, x.ndim, where)
    return _call(where, x, axis=ax, keepdims=keepdims, ord=ord)  # type: ignore[no-any-return]


# -- VJP rules --------------------------------------------------------------------------------
# JAX's complex convention (autodiff/_rules.py): a rule is the transpose of the derivative
# under the pairing real(sum(a * b)), no conjugate. Several rules are derived in the usual
# convention with the Hermitian pairing real(sum(conj(a) * b)) (the "standard" gradients of
# the literature: Giles 2008, Seeger et al. 2017, PyTorch's FunctionsManual) and turned into
# JAX's by conjugating the incoming cotangents and the result (``_std``). Every rule is
# written with arraybridge ops, so it is differentiable again.


def _is_complex(x: Tensor) -> bool:
    return x._dtype._kind == "c"


def _cj(x: Tensor) -> Tensor:
    """``conj(x)`` (``x`` itself when real)."""
    return conj(x) if _is_complex(x) else x


def _mT(x: Tensor) -> Tensor:
    return matrix_transpose(x)


def _H(x: Tensor) -> Tensor:
    """The conjugate transpose of the last two axes."""
    return _cj(matrix_transpose(x))


def _ex(x: Tensor, axis: int) -> Tensor:
    """``x`` with a new size-1 axis at position ``axis`` of the result."""
    return expand_dims(x, axis=axis)


def _scalar_mat(s: Tensor) -> Tensor:
    """A stack of scalars ``(...)`` as a stack of 1x1 matrices ``(..., 1, 1)``."""
    return _ex(_ex(s, -1), -1)


def _eye(n: int, like: Tensor, m: int | None = None, k: int = 0) -> Tensor:
    return eye(n, m, k=k, dtype=like._dtype, device=like._dev)


def _diag(v: Tensor) -> Tensor:
    """A stack of vectors ``(..., k)`` as diagonal matrices ``(..., k, k)``."""
    return _ex(v, -1) * _eye(v.shape[-1], v)


def _herm(x: Tensor) -> Tensor:
    """``(x + x^H) / 2``: the VJP of symmetrising the input of an op that reads only a
    Hermitian matrix."""
    # Note: cholesky and eigh read one triangle on NumPy (LAPACK) and symmetrise their
    # input on JAX, so their derivatives in a non-Hermitian direction differ by backend.
    # Their cotangents are made Hermitian, as JAX's and PyTorch's are: the gradient for
    # Hermitian inputs, which is what a function of a Hermitian matrix needs.
    return (x + _H(x)) * 0.5


def _recip_gaps(w: Tensor) -> Tensor:
    """``F[..., i, j] = 1 / (w_j - w_i)`` off the diagonal, 0 on it (w distinct)."""
    i = _eye(w.shape[-1], w)
    return (1 - i) / (_ex(w, -2) - _ex(w, -1) + i)


def _cholesky_rule(g: Tensor, ans: Tensor, x: Tensor, *, upper: bool = False) -> Tensor:
    # A = L L^H, dL = L Phi(L^-1 dA L^-H), Phi: the lower triangle with the diagonal
    # halved; transposed: A's cotangent L^-T Phi(L^T gL) conj(L^-1), made Hermitian.
    if upper:
        lo, gl = _H(ans), _H(g)  # U = L^H: conj(transpose) is its own transpose
    else:
        lo, gl = ans, g
    n = lo.shape[-1]
    phi = tril(ones((n, n), dtype=lo._dtype, device=lo._dev)) - 0.5 * _eye(n, lo)
    li = inv(lo)
    return _herm(matmul(matmul(_mT(li), matmul(_mT(lo), gl) * phi), _cj(li)))


# Note: det's and slogdet's rules use x^-1 (invertible matrices only; JAX's det rule also
# covers singular ones through a cofactor solve).
def _det_rule(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    return _scalar_mat(g * ans) * _mT(inv(x))


def _slogdet_rule(g: tuple[Tensor, Tensor], ans: tuple[Tensor, Tensor], x: Tensor) -> Tensor:
    # d logabsdet = Re t and d sign = i Im(t) sign, with t = tr(x^-1 dx)
    g_sign, g_log = g
    c: Tensor = g_log
    if _is_complex(x):
        c = g_log + 1j * imag(g_sign * ans[0])
    return _scalar_mat(c) * _mT(inv(x))


def _inv_rule(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    t = _mT(ans)
    return -matmul(matmul(t, g), t)


def _solve_rule(g: Tensor, ans: Tensor, a: Tensor, b: Tensor) -> list[Tensor]:
    # X = A^-1 B: gB = A^-T g, gA = -gB X^T (cotangents of the broadcast shapes)
    at = _mT(a)
    if b.ndim == 1:  # B is one vector for the whole stack: work on (..., M, 1) columns
        gb = solve(at, _ex(g, -1))
        return [-matmul(gb, _ex(ans, -2)), _mT(gb)]
    gb = solve(at, g)
    return [-matmul(gb, _mT(ans)), gb]


def _eigh_rule(g: tuple[Tensor, Tensor], ans: tuple[Tensor, Tensor], x: Tensor) -> Tensor:
    # JAX's eigh JVP: with M = V^H dA V, dw = Re diag M and dV = V (F o M); transposed:
    # conj(V) (diag(gw) + F o (V^T gV)) V^T, made Hermitian.
    w, v = ans
    gw, gv = g
    inner = _recip_gaps(w) * matmul(_mT(v), gv) + _diag(gw)
    return _herm(matmul(matmul(_cj(v), inner), _mT(v)))


def _eigvalsh_rule(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    v = eigh(x).eigenvectors
    return matmul(_cj(v) * _ex(g, -2), _mT(v))


def _eig_rule(g: tuple[Tensor, Tensor], ans: tuple[Tensor, Tensor], x: Tensor) -> Tensor:
    # A V = V diag(w) with unit-norm columns (LAPACK's normalisation, and the phase gauge
    # its own: a function of the eigenvectors must not depend on their phases). In the
    # Hermitian pairing (PyTorch's linalg_eig_backward):
    #   gA = V^-H (diag(gw) + off((Z - V^H V diag(Re diag Z)) / conj(E))) V^H,
    #   Z = V^H gV, E_ij = w_j - w_i; in JAX's convention all of it conjugated.
    w, v = ans
    gw, gv = g
    vt = _mT(v)
    z = matmul(vt, gv)
    r = real(diagonal(z))
    i = _eye(w.shape[-1], w)
    off = (z - matmul(vt, _cj(v)) * _ex(r, -2)) * (1 - i) / (_ex(w, -2) - _ex(w, -1) + i)
    return solve(vt, matmul(off + _diag(gw), vt))


def _eigvals_rule(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    # dw = diag(V^-1 dA V) (JAX's eig JVP): transposed, V^-T diag(g) V^T
    vt = _mT(eig(x).eigenvectors)
    return solve(vt, _ex(g, -1) * vt)


def _copy_upper(m: Tensor) -> Tensor:
    """The Hermitian matrix with ``m``'s strict upper triangle and real diagonal."""
    u = triu(m, k=1)
    return u + _H(u) + _diag(real(diagonal(m)))


def _qr_square_std(gq: Tensor, gr: Tensor, q: Tensor, r: Tensor) -> Tensor:
    """The Hermitian-pairing cotangent of X = Q R, R square (M >= N): (gQ + Q N) R^-H,
    N = copy_upper(gR R^H - Q^H gQ) (from JAX's qr JVP, transposed)."""
    n = _copy_upper(matmul(gr, _H(r)) - matmul(_H(q), gq))
    return _H(solve(r, _H(gq + matmul(q, n))))


def _qr_rule(
    g: tuple[Tensor, Tensor], ans: tuple[Tensor, Tensor], x: Tensor, *, mode: str = "reduced"
) -> Tensor:
    q, r = ans
    m, n = x.shape[-2], x.shape[-1]
    if mode == "complete" and m > n:
        raise ValueError(
            "qr: no gradient for mode='complete' with M > N (the last M - N columns of Q are "
            "any orthonormal basis of the complement); use mode='reduced'"
        )
    gq, gr = _cj(g[0]), _cj(g[1])
    if m >= n:
        return _cj(_qr_square_std(gq, gr, q, r))
    # M < N: X = [X1 | X2] with X1 = Q U (U = R's first M columns, square) and X2 = Q V
    # (V the rest of R): gX1 = the square case with gQ + X2 gV^H, gX2 = Q gV. Columns are
    # selected with constant 0/1 matrices.
    sel = _eye(n, r, m)  # (N, M): R @ sel is U
    keep = 1 - sum_(sel, axis=-1)  # (N,): 1 on V's columns
    rv, gv = r * keep, gr * keep
    gq2 = gq + matmul(matmul(q, rv), _H(gv))  # X2 gV^H = Q V gV^H
    g1 = _qr_square_std(gq2, matmul(gr, sel), q, matmul(r, sel))
    return _cj(matmul(g1, _mT(sel)) + matmul(q, gv))


def _svd_std(
    gu: Tensor | None, gs: Tensor, gvh: Tensor | None, u: Tensor, s: Tensor, vh: Tensor
) -> Tensor:
    """The Hermitian-pairing cotangent of A = U diag(S) Vh (reduced: U (m, k), Vh (k, n)),
    from JAX's svd JVP transposed (PyTorch's svd_backward is the same formula)."""
    m, n, k = u.shape[-2], vh.shape[-1], s.shape[-1]
    core = _diag(gs)
    if gu is not None and gvh is not None:
        s2 = s * s
        f = _recip_gaps(s2)  # 1 / (s_j^2 - s_i^2)
        au = matmul(_H(u), gu)
        av = matmul(vh, _H(gvh))  # V^H gV
        sr = _ex(s, -2)  # s_j along the columns
        sc = _ex(s, -1)  # s_i along the rows
        core = core + f * (au - _H(au)) * sr + sc * (f * (av - _H(av)))
        if _is_complex(u):
            core = core + _diag(1j * imag(diagonal(au)) / s)
    ga = matmul(matmul(u, core), vh)
    if gu is not None and m > k:
        t = gu - matmul(u, matmul(_H(u), gu))
        ga = ga + matmul(t / _ex(s, -2), vh)
    if gvh is not None and n > k:
        t = gvh - matmul(matmul(gvh, _H(vh)), vh)
        ga = ga + matmul(u, t / _ex(s, -1))
    return ga


def _svd_rule(
    g: tuple[Tensor, Tensor, Tensor],
    ans: tuple[Tensor, Tensor, Tensor],
    x: Tensor,
    *,
    full_matrices: bool = True,
) -> Tensor:
    u, s, vh = ans
    gu, gs, gvh = g
    m, n = x.shape[-2], x.shape[-1]
    k = min(m, n)
    # Note: with full_matrices the columns of U (rows of Vh) past min(M, N) are any
    # orthonormal basis of a complement and carry no gradient (PyTorch's rule).
    if full_matrices and m > k:
        sel = _eye(m, u, k)
        u, gu = matmul(u, sel), matmul(gu, sel)
    if full_matrices and n > k:
        sel = _eye(k, vh, n)
        vh, gvh = matmul(sel, vh), matmul(sel, gvh)
    return _cj(_svd_std(_cj(gu), gs, _cj(gvh), u, s, vh))


def _svdvals_rule(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    u, _, vh = svd(x, full_matrices=False)
    return matmul(_cj(u) * _ex(g, -2), _cj(vh))


def _pinv_rule(g: Tensor, ans: Tensor, x: Tensor, *, rtol: Any = None) -> Tensor:
    # Golub and Pereyra (1973), at constant rank, in the Hermitian pairing:
    #   gA = -P^H G P^H + (I - A P) G^H P P^H + P^H P G^H (I - P A),  P = pinv(A)
    p, gh = ans, _H(_cj(g))
    ph = _H(p)
    t2 = matmul(gh, matmul(p, ph))
    t2 = t2 - matmul(x, matmul(p, t2))
    t3 = matmul(matmul(ph, p), gh)
    t3 = t3 - matmul(matmul(t3, p), x)
    return _cj(t2 + t3 - matmul(matmul(ph, _cj(g)), ph))


def _power_sum(b: Tensor, g: Tensor, p: int) -> Tensor:
    """sum_k (B^T)^k g (B^T)^(p-1-k), k = 0..p-1: the transpose of d(B^p) (3p - 2
    matrix products: meant for the small powers matrix_power is used with)."""
    bt = _mT(b)
    powers = [bt]
    for _ in range(p - 2):
        powers.append(matmul(powers[-1], bt))
    total = matmul(g, powers[-1]) if p > 1 else g
    for k in range(1, p):
        term = matmul(powers[k - 1], g)
        total = total + (matmul(term, powers[p - 2 - k]) if k < p - 1 else term)
    return total


def _matrix_power_rule(g: Tensor, ans: Tensor, x: Tensor, n: int) -> Tensor | None:
    n = _int_arg(n, "n", "matrix_power")
    if n == 0:
        return None
    if n > 0:
        return _power_sum(x, g, n)
    b = inv(x)
    bt = _mT(b)
    return -matmul(matmul(bt, _power_sum(b, g, -n)), bt)


def _cross_rule(g: Tensor, ans: Tensor, a: Tensor, b: Tensor, ax: int) -> list[Tensor]:
    # g . (a x b) = a . (b x g) = b . (g x a), without conjugates
    return [cross(b, g, axis=ax), cross(g, a, axis=ax)]


def _outer_rule(g: Tensor, ans: Tensor, a: Tensor, b: Tensor) -> list[Tensor]:
    return [matmul(g, b), matmul(a, g)]


def _diagonal_rule(g: Tensor, ans: Tensor, x: Tensor, *, offset: int = 0) -> Tensor | None:
    offset = _int_arg(offset, "offset", "diagonal")
    n, m, d = x.shape[-2], x.shape[-1], g.shape[-1]
    if not d:
        return None  # an empty diagonal: x's cotangent is zero
    first = max(-offset, 0)  # the row of the diagonal's first element
    if not (first == 0 and d == n):
        g = matmul(g, _eye(d, g, n, first))  # (..., n): element r sits in row r
    return _ex(g, -1) * _eye(n, g, m, offset)


def _trace_rule(g: Tensor, ans: Tensor, x: Tensor, *, offset: int = 0, dtype: Any = None) -> Tensor:
    offset = _int_arg(offset, "offset", "trace")
    return _scalar_mat(g) * _eye(x.shape[-2], g, x.shape[-1], offset)


def _unit(x: Tensor) -> tuple[Tensor, Tensor]:
    """``conj(x) / |x|`` (0 where x is 0: the cotangent direction of abs) and ``|x|``."""
    # Note: at zero elements (and zero norms) the norms' gradients are 0, as abs's is.
    a = abs_(x)
    zero = equal(a, 0)
    return where(zero, 0, _cj(x) / where(zero, 1, a)), a


def _restore(g: Tensor, ndim: int, axes: tuple[int, ...], keepdims: bool) -> Tensor:
    """A reduction's cotangent with its reduced axes back (size 1)."""
    if not keepdims:
        for a in sorted(axes):
            g = _ex(g, a)
    return g


def _extremum_weights(v: Tensor, axes: tuple[int, ...], largest: bool) -> Tensor:
    """Where ``v`` reaches its max (min) over ``axes``: weights 1 / (number of ties)."""
    # Note: tied extremes share the gradient equally, as in JAX (and as ab.max does).
    ext = (max_ if largest else min_)(v, axis=axes, keepdims=True)
    hit = astype(equal(v, ext), v._dtype)
    return hit / sum_(hit, axis=axes, keepdims=True)


def _p_norm_vjp(g: Tensor, ans: Tensor, x: Tensor, axes: tuple[int, ...], p: float) -> Tensor:
    """The cotangent of (sum |x|^p)^(1/p) over ``axes`` (g and ans with axes kept)."""
    u, a = _unit(x)
    if p == math.inf or p == -math.inf:
        return g * _extremum_weights(a, axes, p > 0) * u
    if p == 1:
        return g * u
    if p == 2:
        zero = equal(ans, 0)
        return where(zero, 0, g * _cj(x) / where(zero, 1, ans))
    # d norm = (|x| / norm)^(p-1) d|x|; zero where x or the norm is zero
    zero = logical_or(equal(a, 0), equal(ans, 0))
    ratio = where(zero, 1, a) / where(zero, 1, ans)
    return where(zero, 0, g * pow(ratio, p - 1) * u)


def _vector_norm_rule(
    g: Tensor, ans: Tensor, x: Tensor, *, axis: Any = None, keepdims: bool = False, ord: float = 2
) -> Tensor | None:
    if ord == 0:
        return None  # a count of non-zero elements: piecewise constant
    if axis is None:
        axes = tuple(range(x.ndim))
    elif isinstance(axis, (tuple, list)):
        axes = _axes(axis, x.ndim, "vector_norm")
    else:
        axes = (_axis(axis, x.ndim, "vector_norm"),)
    g, ans = _restore(g, x.ndim, axes, keepdims), _restore(ans, x.ndim, axes, keepdims)
    return _p_norm_vjp(g, ans, x, axes, float(ord))


def _matrix_norm_rule(
    g: Tensor,
    ans: Tensor,
    x: Tensor,
    *,
    keepdims: bool = False,
    ord: int | float | str | None = "fro",
) -> Tensor:
    if not keepdims:
        g, ans = _scalar_mat(g), _scalar_mat(ans)
    if ord is None or ord == "fro":
        return _p_norm_vjp(g, ans, x, (-2, -1), 2.0)
    if ord in ("nuc", 2, -2):
        u, s, vh = svd(x, full_matrices=False)
        if ord != "nuc":  # the largest (2) or smallest (-2) singular value's vectors
            k = s.shape[-1]
            u = u * _eye(1, u, k, 0 if ord == 2 else k - 1)
        return g * _cj(matmul(u, vh))
    # 1 / -1: the largest / smallest column sum of |x|; inf / -inf: of the row sums
    unit, a = _unit(x)
    along = -2 if ord in (1, -1) else -1
    sums = sum_(a, axis=along, keepdims=True)
    weights = _extremum_weights(sums, (-1 if along == -2 else -2,), ord in (1, math.inf))
    return g * weights * unit


defvjp(cholesky, _cholesky_rule)
defvjp(det, _det_rule)
defvjp(slogdet, _slogdet_rule)
defvjp(inv, _inv_rule)
defvjp(eigh, _eigh_rule)
defvjp(eigvalsh, _eigvalsh_rule)
defvjp(eig, _eig_rule)
defvjp(eigvals, _eigvals_rule)
defvjp(qr, _qr_rule)
defvjp(svd, _svd_rule)
defvjp(svdvals, _svdvals_rule)
defvjp(pinv, _pinv_rule)
defvjp(matrix_power, _matrix_power_rule)
defvjp_all("solve", _solve_rule)
defvjp_all("cross", _cross_rule)
defvjp_all("outer", _outer_rule)
defvjp(diagonal, _diagonal_rule)
defvjp(trace, _trace_rule)
defvjp(vector_norm, _vector_norm_rule)
defvjp(matrix_norm, _matrix_norm_rule)
nondifferentiable(matrix_rank)
# matmul, matrix_transpose, tensordot and vecdot are linear_algebra.py's (rules there).
