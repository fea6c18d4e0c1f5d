"""JAX overrides: others functions whose JAX results differ from the other backends'."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np


def overrides(jnp: Any) -> dict[str, Callable[..., Any]]:
    """Spec name -> replacement function, each with a `# Note:` saying what it closes."""
    out: dict[str, Callable[..., Any]] = {}
    out.update(_linalg(jnp))
    out.update(_subnormal_exact(jnp))
    out.update(_manipulation(jnp))
    return out


# -- manipulation -----------------------------------------------------------------------------


def _manipulation(jnp: Any) -> dict[str, Callable[..., Any]]:
    def reshape(x: Any, /, shape: tuple[int, ...], *, copy: bool | None = None) -> Any:
        r = jnp.reshape(x, shape)
        if copy is False and r is not x:
            # Note: jnp.reshape ignores copy and always returns a new buffer (its
            # documentation: "JAX always returns a copy"), so copy=False can only be
            # honoured when the shape does not change; otherwise it raises ValueError, as
            # NumPy does when the layout needs a copy.
            raise ValueError("JAX cannot reshape without copying into a new buffer")
        return r

    def full(shape: Any, fill_value: Any, *, dtype: Any = None, device: Any = None) -> Any:
        # Note: jnp.full casts a Python float with NumPy, which warns when 1e300 overflows
        # float32 (NumPy gives inf silently through arraybridge); the cast is done here,
        # quietly, with the same inf result.
        if dtype is not None and isinstance(fill_value, float):
            with np.errstate(over="ignore"):
                fill_value = np.asarray(fill_value, dtype=dtype)
        return jnp.full(shape, fill_value, dtype=dtype, device=device)

    return {"reshape": reshape, "full": full}


# -- subnormals -------------------------------------------------------------------------------
#
# XLA on CPU runs with denormals-are-zero and flush-to-zero (JAX: "working as intended"), so
# every JAX comparison sees a subnormal float as 0: nonzero, any, sort, unique, max... then
# answer as if it were 0, where NumPy sees a nonzero number. The functions that select or
# test elements (rather than compute new values) are made exact here by working on the
# floats' bit patterns, which XLA does not flush.


def _bits(jnp: Any, x: Any, signed: bool) -> Any:
    """The bit pattern of the real float array ``x`` as an integer array of its width."""
    from jax import lax

    width = jnp.dtype(x.dtype).itemsize * 8
    return lax.bitcast_convert_type(x, jnp.dtype(f"{'' if signed else 'u'}int{width}"))


def _float_nonzero(jnp: Any, x: Any) -> Any:
    bits = _bits(jnp, x, signed=False)
    return (bits & ~_sign_bit(jnp, bits)) != 0  # any bit but the sign: NaN counts


def _sign_bit(jnp: Any, bits: Any) -> Any:
    dt = jnp.dtype(bits.dtype)
    return jnp.asarray(1 << (dt.itemsize * 8 - 1), dtype=jnp.dtype(f"uint{dt.itemsize * 8}"))


def _tracer() -> type:
    import jax

    return jax.core.Tracer


def _nonzero_mask(jnp: Any, x: Any) -> Any:
    """``x != 0`` exactly (subnormals are nonzero)."""
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        return _float_nonzero(jnp, jnp.real(x)) | _float_nonzero(jnp, jnp.imag(x))
    if jnp.issubdtype(x.dtype, jnp.floating):
        return _float_nonzero(jnp, x)
    return x.astype(bool)


def _has_subnormal(jnp: Any, x: Any) -> bool:
    """Whether ``x`` may hold subnormals (the exact, slower path is then needed)."""
    if not jnp.issubdtype(x.dtype, jnp.floating) or x.size == 0:
        return False
    if isinstance(x, _tracer()):
        return True  # inside jax.jit (a compiled ab.function graph): always the exact path
    bits = _bits(jnp, x, signed=False)
    mag = bits & ~_sign_bit(jnp, bits)
    smallest_normal = 1 << int(jnp.finfo(x.dtype).nmant)
    return bool(jnp.any((mag != 0) & (mag < smallest_normal)))


def _order_key(jnp: Any, x: Any, nan_key: str = "max") -> Any:
    """int64 keys ordered as the real floats ``x`` compare (-0.0 == +0.0, subnormals kept).

    NaNs get the largest key (``nan_key="max"``) or the smallest (``"min"``).
    """
    s = _bits(jnp, x, signed=True)
    mag = (s & jnp.asarray(jnp.iinfo(s.dtype).max, dtype=s.dtype)).astype(jnp.int64)
    key = jnp.where(s < 0, -mag, mag)
    info = jnp.iinfo(jnp.int64)
    return jnp.where(jnp.isnan(x), info.max if nan_key == "max" else info.min, key)


def _key_value(jnp: Any, key: Any, dtype: Any) -> Any:
    """The float of ``dtype`` whose order key is ``key`` (NaN for the largest key)."""
    from jax import lax

    width = jnp.dtype(dtype).itemsize * 8
    idt = jnp.dtype(f"int{width}")
    nan = jnp.iinfo(jnp.int64).max
    mag = jnp.where(key == nan, jnp.iinfo(idt).max, jnp.abs(key)).astype(idt)
    bits = jnp.where(key < 0, mag | jnp.asarray(jnp.iinfo(idt).min, dtype=idt), mag)
    return lax.bitcast_convert_type(bits, jnp.dtype(dtype))


def _subnormal_exact(jnp: Any) -> dict[str, Callable[..., Any]]:
    def nonzero(x: Any, /) -> Any:
        # Note: JAX's nonzero sees subnormals as 0 (denormals-are-zero); NumPy does not.
        return jnp.nonzero(_nonzero_mask(jnp, x))

    def count_nonzero(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Any:
        # Note: as nonzero, subnormals count.
        return jnp.count_nonzero(_nonzero_mask(jnp, x), axis=axis, keepdims=keepdims)

    def any_(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Any:
        # Note: a subnormal is truthy on NumPy; JAX sees it as 0.
        return jnp.any(_nonzero_mask(jnp, x), axis=axis, keepdims=keepdims)

    def all_(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Any:
        # Note: as any.
        return jnp.all(_nonzero_mask(jnp, x), axis=axis, keepdims=keepdims)

    def sort(x: Any, /, *, axis: int = -1, stable: bool = True) -> Any:
        # Note: JAX sorts subnormals as zeros; with subnormals present, sort the floats'
        # order keys (stable) and gather.
        if not _has_subnormal(jnp, x):
            return jnp.sort(x, axis=axis, stable=stable)
        idx = jnp.argsort(_order_key(jnp, x), axis=axis, stable=True)
        return jnp.take_along_axis(x, idx, axis=axis)

    def argsort(x: Any, /, *, axis: int = -1, stable: bool = True) -> Any:
        # Note: as sort.
        if not _has_subnormal(jnp, x):
            return jnp.argsort(x, axis=axis, stable=stable)
        return jnp.argsort(_order_key(jnp, x), axis=axis, stable=True)

    def searchsorted(x1: Any, x2: Any, /, *, side: str = "left", sorter: Any = None) -> Any:
        # Note: as sort: the comparisons run on order keys when subnormals are present.
        if not (_has_subnormal(jnp, x1) or _has_subnormal(jnp, x2)):
            return jnp.searchsorted(x1, x2, side=side, sorter=sorter)
        k1, k2 = _order_key(jnp, x1), _order_key(jnp, x2)
        return jnp.searchsorted(k1, k2, side=side, sorter=sorter)

    def _arg(name: str, nan_key: str) -> Callable[..., Any]:
        native = getattr(jnp, name)

        def fn(x: Any, /, *, axis: int | None = None, keepdims: bool = False) -> Any:
            # Note: as sort; NaN is the extremum (first NaN wins), as in NumPy.
            if not _has_subnormal(jnp, x):
                return native(x, axis=axis, keepdims=keepdims)
            return native(_order_key(jnp, x, nan_key), axis=axis, keepdims=keepdims)

        return fn

    def _extremum(name: str) -> Callable[..., Any]:
        native = getattr(jnp, name)

        def fn(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Any:
            # Note: JAX compares subnormals as zeros (and may return 0 for a subnormal
            # maximum); with subnormals present, reduce the order keys (NaN propagates:
            # it has the largest key for max and the smallest for min) and map back.
            if not _has_subnormal(jnp, x):
                return native(x, axis=axis, keepdims=keepdims)
            key = _order_key(jnp, x, "max" if name == "max" else "min")
            r = native(key, axis=axis, keepdims=keepdims)
            if name == "min":
                r = jnp.where(r == jnp.iinfo(jnp.int64).min, jnp.iinfo(jnp.int64).max, r)
            return _key_value(jnp, r, x.dtype)

        return fn

    def _unique_keys(x: Any) -> Any:
        """Order keys of the flattened ``x`` in which every NaN is distinct (sorted last)."""
        flat = jnp.ravel(x)
        key = _order_key(jnp, flat)
        nan = jnp.isnan(flat)
        top = jnp.max(jnp.where(nan, jnp.iinfo(jnp.int64).min, key), initial=0)
        return flat, jnp.where(nan, top + 1 + jnp.cumsum(nan) - 1, key)

    def unique_all(x: Any, /) -> Any:
        # Note: JAX merges subnormals with 0; with subnormals present, find the unique
        # order keys (each NaN its own) and gather the values at their first occurrences.
        if not _has_subnormal(jnp, x):
            return jnp.unique_all(x)
        flat, key = _unique_keys(x)
        r = jnp.unique_all(key)
        return (flat[r.indices], r.indices, r.inverse_indices, r.counts)

    def unique_counts(x: Any, /) -> Any:
        # Note: as unique_all.
        if not _has_subnormal(jnp, x):
            return jnp.unique_counts(x)
        flat, key = _unique_keys(x)
        r = jnp.unique_all(key)
        return (flat[r.indices], r.counts)

    def unique_inverse(x: Any, /) -> Any:
        # Note: as unique_all.
        if not _has_subnormal(jnp, x):
            return jnp.unique_inverse(x)
        flat, key = _unique_keys(x)
        r = jnp.unique_all(key)
        return (flat[r.indices], r.inverse_indices)

    def unique_values(x: Any, /) -> Any:
        # Note: as unique_all.
        if not _has_subnormal(jnp, x):
            return jnp.unique_values(x)
        flat, key = _unique_keys(x)
        return flat[jnp.unique_all(key).indices]

    return {
        "nonzero": nonzero,
        "count_nonzero": count_nonzero,
        "any": any_,
        "all": all_,
        "sort": sort,
        "argsort": argsort,
        "searchsorted": searchsorted,
        "argmax": _arg("argmax", "max"),
        "argmin": _arg("argmin", "min"),
        "max": _extremum("max"),
        "min": _extremum("min"),
        "unique_all": unique_all,
        "unique_counts": unique_counts,
        "unique_inverse": unique_inverse,
        "unique_values": unique_values,
    }


# -- linalg -----------------------------------------------------------------------------------


def _lange_nan(jnp: Any, x: Any) -> bool:
    """Whether LAPACK's max-abs norm of ``x`` is NaN (|nan + inf j| is inf, not NaN)."""
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        re, im = jnp.real(x), jnp.imag(x)
        bad = (jnp.isnan(re) & ~jnp.isinf(im)) | (jnp.isnan(im) & ~jnp.isinf(re))
        return bool(jnp.any(bad))
    return bool(jnp.any(jnp.isnan(x)))


def _singular(jnp: Any, a: Any) -> bool:
    """Whether LU with partial pivoting meets an exact zero pivot (LAPACK getrf's info > 0).

    That is when NumPy's inv and solve raise LinAlgError; JAX returns inf/nan instead.
    """
    from jax import lax

    if a.size == 0:
        return False
    lu, _, _ = lax.linalg.lu(a)
    return bool(jnp.any(jnp.diagonal(lu, axis1=-2, axis2=-1) == 0))


def _linalg(jnp: Any) -> dict[str, Callable[..., Any]]:
    from jax import lax

    def cholesky(x: Any, /, *, upper: bool = False) -> Any:
        # Note: JAX symmetrizes the input ((x + x^H) / 2) and fills a failed factor with
        # NaN; NumPy (LAPACK potrf, through array-api-compat: the upper factor is the
        # conjugate transpose of the lower one) reads the lower triangle and raises
        # LinAlgError when a leading minor is not positive definite. potrf cannot see a
        # failure past the first row that holds a NaN (NaN <= 0 is false), so neither do
        # we: the check runs on the NaN-free leading block.
        low = lax.linalg.cholesky(x, symmetrize_input=False)
        n = x.shape[-1]
        if n and x.size:
            tri = jnp.tril(jnp.isnan(x))
            probe = low
            if bool(jnp.any(tri)):
                rows = jnp.any(tri, axis=-1)  # (..., n): row i holds a NaN at or left of i
                first = jnp.where(jnp.any(rows, axis=-1), jnp.argmax(rows, axis=-1), n)
                idx = jnp.arange(n)
                lead = first[..., None, None]
                keep = (idx[:, None] < lead) & (idx[None, :] < lead)
                probe = lax.linalg.cholesky(
                    jnp.where(keep, x, jnp.eye(n, dtype=x.dtype)), symmetrize_input=False
                )
            if bool(jnp.any(jnp.isnan(probe[..., 0, 0]))):
                raise ValueError("the matrix is not positive definite")
        return jnp.conj(jnp.swapaxes(low, -1, -2)) if upper else low

    def slogdet(x: Any, /) -> Any:
        if x.size == 0 or not jnp.issubdtype(x.dtype, jnp.floating):
            return jnp.linalg.slogdet(x)
        # Note: JAX's sign is the product of the signs of U's diagonal, NaN where it holds
        # a NaN; NumPy (umath_linalg) flips the sign for each negative pivot only, so a NaN
        # pivot leaves it +-1. Same LU, same rule here.
        lu, piv, _ = lax.linalg.lu(x)
        d = jnp.diagonal(lu, axis1=-2, axis2=-1)
        swaps = jnp.sum(piv != jnp.arange(piv.shape[-1], dtype=piv.dtype), axis=-1)
        flips = swaps + jnp.sum(d < 0, axis=-1)
        sign = jnp.where(flips % 2 == 1, -1.0, 1.0).astype(x.dtype)
        logabsdet = jnp.sum(jnp.log(jnp.abs(d)), axis=-1)
        singular = jnp.any(d == 0, axis=-1)
        sign = jnp.where(singular, jnp.zeros((), x.dtype), sign)
        logabsdet = jnp.where(singular, -jnp.inf, logabsdet).astype(x.dtype)
        return sign, logabsdet

    def inv(x: Any, /) -> Any:
        # Note: JAX returns inf/nan for a singular matrix; NumPy raises LinAlgError.
        if _singular(jnp, x):
            raise ValueError("singular matrix")
        return jnp.linalg.inv(x)

    def solve(x1: Any, x2: Any, /) -> Any:
        # Note: JAX returns inf/nan for a singular x1; NumPy raises LinAlgError (unless the
        # broadcast stack is empty, when nothing is solved).
        stack = np.broadcast_shapes(x1.shape[:-2], x2.shape[:-2] if x2.ndim > 1 else ())
        if math.prod(stack) and _singular(jnp, x1):
            raise ValueError("singular matrix")
        return jnp.linalg.solve(x1, x2)

    def matrix_power(x: Any, n: int, /) -> Any:
        # Note: a negative power inverts first; JAX gives inf/nan for a singular matrix
        # where NumPy raises LinAlgError.
        if n < 0 and _singular(jnp, x):
            raise ValueError("singular matrix")
        return jnp.linalg.matrix_power(x, n)

    def _svd_input(x: Any) -> None:
        if _lange_nan(jnp, x):
            # Note: LAPACK gesdd refuses input whose max-abs norm is NaN (NumPy raises
            # LinAlgError "SVD did not converge"); JAX returns NaN.
            raise ValueError("SVD did not converge (the input holds NaN)")

    def _finite(x: Any) -> None:
        if x.size and not bool(jnp.all(jnp.isfinite(x))):
            # Note: NumPy's eig/eigvals refuse inf and NaN (LinAlgError); JAX returns NaN.
            raise ValueError("the matrix must not contain inf or NaN")

    def svd(x: Any, /, *, full_matrices: bool = True) -> Any:
        # Note: NaN input raises ValueError, as on NumPy (see _svd_input).
        _svd_input(x)
        return jnp.linalg.svd(x, full_matrices=full_matrices)

    def svdvals(x: Any, /) -> Any:
        # Note: as svd.
        _svd_input(x)
        return jnp.linalg.svdvals(x)

    def eig(x: Any, /) -> Any:
        # Note: inf or NaN input raises ValueError, as on NumPy (see _finite).
        _finite(x)
        return jnp.linalg.eig(x)

    def eigvals(x: Any, /) -> Any:
        # Note: as eig.
        _finite(x)
        return jnp.linalg.eigvals(x)

    def eigh(x: Any, /) -> Any:
        # Note: JAX symmetrizes the input; NumPy (LAPACK syevd) reads the lower triangle.
        return jnp.linalg.eigh(x, UPLO="L", symmetrize_input=False)

    def eigvalsh(x: Any, /) -> Any:
        # Note: as eigh, the lower triangle only.
        return jnp.linalg.eigvalsh(x, UPLO="L", symmetrize_input=False)

    def matrix_rank(x: Any, /, *, rtol: Any = None) -> Any:
        # Note: JAX's matrix_rank takes rtol as an absolute tolerance; the standard (and
        # NumPy) scale it by the largest singular value.
        _svd_input(x)
        s = jnp.linalg.svdvals(x)
        top = jnp.max(s, axis=-1, initial=0.0)
        if rtol is None:
            rtol = max(x.shape[-2:]) * jnp.finfo(s.dtype).eps
        tol = top * jnp.asarray(rtol, dtype=s.dtype)
        return jnp.sum(s > tol[..., None], axis=-1, dtype=jnp.int64)

    def pinv(x: Any, /, *, rtol: Any = None) -> Any:
        # Note: JAX's default cutoff is 10 * max(M, N) * eps; the standard's (and NumPy's
        # through array-api-compat) is max(M, N) * eps.
        _svd_input(x)
        if rtol is None:
            rtol = max(x.shape[-2:]) * jnp.finfo(x.dtype).eps
        return jnp.linalg.pinv(x, rtol=rtol)

    def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> Any:
        if ord in (2, -2, "nuc"):
            # Note: these norms take an SVD; NaN input raises ValueError, as on NumPy.
            _svd_input(x)
        return jnp.linalg.matrix_norm(x, keepdims=keepdims, ord=ord)

    fns: dict[str, Callable[..., Any]] = {
        "cholesky": cholesky,
        "inv": inv,
        "slogdet": slogdet,
        "solve": solve,
        "matrix_power": matrix_power,
        "svd": svd,
        "svdvals": svdvals,
        "eig": eig,
        "eigvals": eigvals,
        "eigh": eigh,
        "eigvalsh": eigvalsh,
        "matrix_rank": matrix_rank,
        "pinv": pinv,
        "matrix_norm": matrix_norm,
    }
    return {f"linalg.{k}": v for k, v in fns.items()}
