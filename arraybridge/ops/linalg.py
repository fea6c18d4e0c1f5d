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
from .._dispatch import apply, category_error, check_category, check_same_device, tensor_arg
from .._dtypes import DType
from .._errors import DTypeError
from .._tensor import Tensor
from .data_type import _broadcast_shapes, astype
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
from .manipulation import _axes, _axis

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
    try:
        _broadcast_shapes(where, t.shape, x.shape[:-2])
    except ValueError:
        raise ValueError(
            f"{where}: rtol of shape {t.shape} does not broadcast against the stack "
            f"shape {x.shape[:-2]} of x"
        ) from None
    return t._data


# -- decompositions and solvers ---------------------------------------------------------------


def cholesky(x: Any, /, *, upper: bool = False) -> Tensor:
    """Cholesky factor of Hermitian positive-definite matrices (lower; upper if ``upper``)."""
    upper = _bool_arg(upper, "upper", "cholesky")
    x = _matrix(x, "cholesky", "floating-point", square=True)
    return _call("cholesky", x, upper=upper)  # type: ignore[no-any-return]


def det(x: Any, /) -> Tensor:
    """Determinant of each square matrix in ``x``."""
    x = _matrix(x, "det", "floating-point", square=True)
    return _call("det", x)  # type: ignore[no-any-return]


def slogdet(x: Any, /) -> SlogdetResult:
    """Sign and log of the absolute value of the determinant of each square matrix."""
    x = _matrix(x, "slogdet", "floating-point", square=True)
    sign, logabsdet = _call("slogdet", x)
    return SlogdetResult(sign, logabsdet)


def inv(x: Any, /) -> Tensor:
    """Inverse of each square matrix in ``x`` (ValueError where the backend finds it singular)."""
    x = _matrix(x, "inv", "floating-point", square=True)
    return _call("inv", x)  # type: ignore[no-any-return]


def eigh(x: Any, /) -> EighResult:
    """Eigenvalues (real) and eigenvectors of Hermitian / real symmetric matrices."""
    x = _matrix(x, "eigh", "floating-point", square=True)
    w, v = _call("eigh", x)
    return EighResult(w, v)


def eigvalsh(x: Any, /) -> Tensor:
    """Eigenvalues (real) of Hermitian / real symmetric matrices."""
    x = _matrix(x, "eigvalsh", "floating-point", square=True)
    return _call("eigvalsh", x)  # type: ignore[no-any-return]


def eig(x: Any, /) -> EigResult:
    """Eigenvalues and eigenvectors of general square matrices (always complex)."""
    x = _matrix(x, "eig", "floating-point", square=True)
    w, v = _call("eig", x)
    return EigResult(w, v)


def eigvals(x: Any, /) -> Tensor:
    """Eigenvalues of general square matrices (always complex)."""
    x = _matrix(x, "eigvals", "floating-point", square=True)
    return _call("eigvals", x)  # type: ignore[no-any-return]


def qr(x: Any, /, *, mode: str = "reduced") -> QRResult:
    """QR decomposition; ``mode`` is ``'reduced'`` (K = min(M, N) columns) or ``'complete'``."""
    if not isinstance(mode, str):
        raise TypeError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}")
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}")
    x = _matrix(x, "qr", "floating-point")
    q, r = _call("qr", x, mode=mode)
    return QRResult(q, r)


def svd(x: Any, /, *, full_matrices: bool = True) -> SVDResult:
    """Singular value decomposition ``x = U @ diag(S) @ Vh`` (S descending, real)."""
    full_matrices = _bool_arg(full_matrices, "full_matrices", "svd")
    x = _matrix(x, "svd", "floating-point")
    u, s, vh = _call("svd", x, full_matrices=full_matrices)
    return SVDResult(u, s, vh)


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
    return _call(where, a, b._data)  # type: ignore[no-any-return]


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
    return _call(where, a, b._data, axis=ax)  # type: ignore[no-any-return]


def outer(x1: Any, x2: Any, /) -> Tensor:
    """Outer product of two 1-D tensors, shape ``(N, M)``."""
    where = "outer"
    a, b = _pair(where, x1, x2, "numeric")
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"{where}: x1 and x2 must be 1-D, got shapes {a.shape} and {b.shape}")
    return _call(where, a, b._data)  # type: ignore[no-any-return]


# -- diagonals, traces and norms --------------------------------------------------------------


def diagonal(x: Any, /, *, offset: int = 0) -> Tensor:
    """The ``offset`` diagonal of each matrix (last two axes) of ``x``."""
    offset = _int_arg(offset, "offset", "diagonal")
    # Note: any dtype is accepted (the standard sets no category; bool diagonals are common).
    x = _matrix(x, "diagonal", "all")
    return _call("diagonal", x, offset=offset, view=True)  # type: ignore[no-any-return]


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
