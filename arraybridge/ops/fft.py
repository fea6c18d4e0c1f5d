"""The ``fft`` extension of the standard (``ab.fft``).

Input dtypes are the standard's: ``fft``/``ifft``/``fftn``/``ifftn`` take complex
floating-point tensors and keep their dtype; ``rfft``/``rfftn``/``ihfft`` take real
floating-point tensors and give the complex dtype of the same precision;
``irfft``/``irfftn``/``hfft`` take complex floating-point tensors and give the real dtype of
the same precision. Other dtypes raise ``ab.DTypeError`` under either semantics (there is
no second operand to promote against, as with ``sqrt`` and integers).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any, Literal

from .. import _dtypes
from .._convert import _native_dtype, resolve_device, resolve_dtype
from .._dispatch import apply, check_category, primitive, tensor_arg
from .._dtypes import DType
from .._errors import DTypeError
from .._tensor import Tensor
from ..autodiff._rules import defvjp, nondifferentiable
from .creation import arange, zeros, zeros_like
from .data_type import astype
from .elementwise import conj, equal, logical_or
from .manipulation import _axes, _axis, concat, reshape

__all__ = [
    "fft",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "ifft",
    "ifftn",
    "ifftshift",
    "ihfft",
    "irfft",
    "irfftn",
    "rfft",
    "rfftfreq",
    "rfftn",
]

Norm = Literal["backward", "ortho", "forward"]
_NORMS = ("backward", "ortho", "forward")

# How each transform maps its input dtype to its result dtype.
_SAME = "complex floating-point"
_R2C = "real floating-point"
_C2R = "complex to real"


def _norm(norm: Any, where: str) -> str:
    if not isinstance(norm, str) or norm not in _NORMS:
        raise ValueError(f"{where}: norm must be 'backward', 'ortho' or 'forward', got {norm!r}")
    return str(norm)


def _int(value: Any, where: str, label: str) -> int:
    if isinstance(value, bool):
        raise TypeError(f"{where}: {label} must be an int, got bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{where}: {label} must be an int, got {type(value).__name__}") from None


def _sequence(value: Any, where: str, label: str) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{where}: {label} must be a sequence of ints, got {type(value).__name__}")
    return tuple(value)


def _input(x: Any, kind: str, where: str) -> tuple[Tensor, DType]:
    """``x`` as a tensor of the transform's input category, and the result dtype."""
    x = tensor_arg(x, where)
    # Note: the input categories are enforced under both semantics; NumPy would convert
    # real input to complex for fft/ifft/fftn/ifftn/irfft/irfftn/hfft.
    if kind == _R2C:
        check_category(x, "real floating-point", where)
        return x, _dtypes.REAL_TO_COMPLEX[x._dtype]
    check_category(x, "complex floating-point", where)
    if kind == _C2R:
        return x, _dtypes.COMPLEX_TO_REAL[x._dtype]
    return x, x._dtype


def _result(r: Tensor, dtype: DType) -> Tensor:
    # Note: NumPy before 2.0 (and some other libraries) computes single-precision
    # transforms in double precision; the result is cast back to the precision the
    # standard requires.
    return r if r._dtype is dtype else astype(r, dtype)


def _zeros(x: Tensor, sizes: dict[int, int], kind: str, last: int, out: DType) -> Tensor:
    # Note: a transform of an empty tensor is a transform of zeros (the padding) and so is
    # zeros. NumPy 2.4's irfft/hfft of a zero-length axis padded to n read uninitialised
    # memory, so empty inputs never reach the backend.
    shape = list(x.shape)
    for a, v in sizes.items():
        shape[a] = v // 2 + 1 if kind == _R2C and a == last else v
    return zeros(tuple(shape), dtype=out, device=x._dev)


def _one(name: str, kind: str, x: Any, n: Any, axis: Any, norm: Any) -> Tensor:
    where = f"fft.{name}"
    x, out = _input(x, kind, where)
    nrm = _norm(norm, where)
    ax = _axis(axis, x.ndim, where)
    m = x.shape[ax]
    if n is None:
        size = 2 * (m - 1) if kind == _C2R else m
        if size < 1:
            raise ValueError(
                f"{where}: axis {ax} has size {m}, which gives a transform of length "
                f"{size}; pass n >= 1"
            )
    else:
        size = _int(n, where, "n")
        if size < 1:
            raise ValueError(f"{where}: n must be at least 1, got {size}")
    if x.size == 0:
        return _zeros(x, {ax: size}, kind, ax, out)
    return _result(apply(where, x, n=size, axis=ax, norm=nrm), out)


def _many(name: str, kind: str, x: Any, s: Any, axes: Any, norm: Any) -> Tensor:
    where = f"fft.{name}"
    x, out = _input(x, kind, where)
    nrm = _norm(norm, where)
    if axes is None:
        if s is not None:
            # Note: NumPy applies s to the last len(s) axes; the standard requires axes
            # whenever s is given, so the ambiguous call is refused.
            raise ValueError(f"{where}: s was given without axes; pass axes as well")
        ax = tuple(range(x.ndim))
    else:
        # Note: repeated axes (implementation-defined in the standard) raise ValueError.
        ax = _axes(_sequence(axes, where, "axes"), x.ndim, where)
    if s is None:
        sizes: tuple[int, ...] = (-1,) * len(ax)
    else:
        sizes = tuple(_int(v, where, "s") for v in _sequence(s, where, "s"))
        if len(sizes) != len(ax):
            raise ValueError(
                f"{where}: s has {len(sizes)} entries but axes has {len(ax)}: {s} and {axes}"
            )
    if not ax:
        if kind != _SAME:
            raise ValueError(f"{where}: there must be at least one axis to transform")
        return astype(x, x._dtype)  # nothing to transform (0-d input or axes=())
    resolved = []
    for i, (a, v) in enumerate(zip(ax, sizes, strict=True)):
        if v == -1:
            m = x.shape[a]
            # Note: for irfftn, -1 in the last transformed axis means 2*(M-1), NumPy's
            # default for that axis (the standard's wording does not settle it).
            v = 2 * (m - 1) if kind == _C2R and i == len(ax) - 1 else m
            if v < 1:
                raise ValueError(
                    f"{where}: axis {a} has size {m}, which gives a transform of length "
                    f"{v}; pass s with sizes >= 1"
                )
        elif v < 1:
            raise ValueError(f"{where}: s must hold sizes >= 1 (or -1), got {tuple(sizes)}")
        resolved.append(v)
    if x.size == 0:
        return _zeros(x, dict(zip(ax, resolved, strict=True)), kind, ax[-1], out)
    return _result(apply(where, x, s=tuple(resolved), axes=ax, norm=nrm), out)


@primitive()
def fft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """One-dimensional discrete Fourier transform of a complex tensor along ``axis``."""
    return _one("fft", _SAME, x, n, axis, norm)


@primitive()
def ifft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """One-dimensional inverse discrete Fourier transform of a complex tensor."""
    return _one("ifft", _SAME, x, n, axis, norm)


@primitive()
def fftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: Norm = "backward",
) -> Tensor:
    """N-dimensional discrete Fourier transform of a complex tensor over ``axes``."""
    return _many("fftn", _SAME, x, s, axes, norm)


@primitive()
def ifftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: Norm = "backward",
) -> Tensor:
    """N-dimensional inverse discrete Fourier transform of a complex tensor over ``axes``."""
    return _many("ifftn", _SAME, x, s, axes, norm)


@primitive()
def rfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """Discrete Fourier transform of a real tensor (``n//2 + 1`` non-negative frequencies)."""
    return _one("rfft", _R2C, x, n, axis, norm)


@primitive()
def irfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """Inverse of ``rfft``: a real tensor of length ``n`` (default ``2*(M-1)``) along ``axis``."""
    return _one("irfft", _C2R, x, n, axis, norm)


@primitive()
def rfftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: Norm = "backward",
) -> Tensor:
    """N-dimensional discrete Fourier transform of a real tensor (last axis halved)."""
    return _many("rfftn", _R2C, x, s, axes, norm)


@primitive()
def irfftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: Norm = "backward",
) -> Tensor:
    """Inverse of ``rfftn``: a real tensor with sizes ``s`` along ``axes``."""
    return _many("irfftn", _C2R, x, s, axes, norm)


@primitive()
def hfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """Discrete Fourier transform of a Hermitian-symmetric signal (a real result of length n)."""
    return _one("hfft", _C2R, x, n, axis, norm)


@primitive()
def ihfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """Inverse of ``hfft``: ``n//2 + 1`` complex values from a real tensor."""
    return _one("ihfft", _R2C, x, n, axis, norm)


def _freq(name: str, n: Any, d: Any, dtype: Any, device: Any) -> Tensor:
    where = f"fft.{name}"
    size = _int(n, where, "n")
    if size < 1:
        raise ValueError(f"{where}: n must be at least 1, got {size}")
    if isinstance(d, bool) or not isinstance(d, (int, float)):
        raise TypeError(f"{where}: d must be a Python float, got {type(d).__name__}")
    if d == 0:
        raise ValueError(f"{where}: d (the sample spacing) must not be zero")
    dt = _dtypes.DEFAULT_FLOAT if dtype is None else resolve_dtype(dtype, where)
    if dt not in _dtypes.CATEGORIES["real floating-point"]:
        raise DTypeError(f"{where}: dtype must be a real floating-point dtype, got {dt}")
    dev = resolve_device(device, where)
    native = _native_dtype(dt, dev, where)
    data = dev.fns[where](size, d=d, dtype=native, device=dev.backend.plugin.native_device(dev.id))
    return _result(Tensor._new(data, dev.backend.from_native[data.dtype], dev), dt)


def fftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Tensor:
    """Sample frequencies of an ``n``-point transform with sample spacing ``d`` (float32)."""
    return _freq("fftfreq", n, d, dtype, device)


def rfftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Tensor:
    """The ``n//2 + 1`` non-negative sample frequencies of ``rfft`` (float32 unless given)."""
    return _freq("rfftfreq", n, d, dtype, device)


def _shift(name: str, x: Any, axes: Any) -> Tensor:
    where = f"fft.{name}"
    x = tensor_arg(x, where)
    # Note: the standard says x "should" be floating-point; other dtypes raise DTypeError
    # (NumPy would shift any dtype).
    check_category(x, "floating-point", where)
    if isinstance(axes, Sequence) and not isinstance(axes, (str, bytes, tuple, list)):
        axes = tuple(axes)
    # Note: repeated axes (implementation-defined in the standard) raise ValueError.
    ax = _axes(axes, x.ndim, where)
    if not ax:
        return astype(x, x._dtype)  # a 0-d tensor or axes=(): nothing moves
    return apply(where, x, axes=ax)  # type: ignore[no-any-return]


@primitive()
def fftshift(x: Any, /, *, axes: int | Sequence[int] | None = None) -> Tensor:
    """Move the zero-frequency term to the centre along ``axes`` (all axes when None)."""
    return _shift("fftshift", x, axes)


@primitive()
def ifftshift(x: Any, /, *, axes: int | Sequence[int] | None = None) -> Tensor:
    """Inverse of ``fftshift`` (they differ by one sample for odd lengths)."""
    return _shift("ifftshift", x, axes)


# -- VJP rules --------------------------------------------------------------------------------
# JAX's complex convention (autodiff/_rules.py): a rule is the transpose of the transform as a
# real-linear map under the pairing real(sum(a * b)), no conjugate. The DFT matrix is
# symmetric, so fft's transpose is fft with the same norm (ifft's: ifft); padding or
# trimming the input to n transposes to trimming or padding the cotangent. The real
# transforms hold only the frequencies 0..n//2 of a Hermitian spectrum, so their transposes
# weigh the interior frequencies (not 0, nor n/2 for even n) by 1/2 or 2, as JAX's
# _rfft_transpose / _irfft_transpose do.

_SWAP: dict[str, Any] = {"backward": "forward", "ortho": "ortho", "forward": "backward"}


def _resize(z: Tensor, axis: int, m: int) -> Tensor:
    """``z`` trimmed or zero-padded to length ``m`` along (non-negative) ``axis``."""
    have = z.shape[axis]
    if have > m:
        return z[(slice(None),) * axis + (slice(0, m),)]
    if have < m:
        shape = list(z.shape)
        shape[axis] = m - have
        return concat([z, zeros(tuple(shape), dtype=z._dtype, device=z._dev)], axis=axis)
    return z


def _resize_all(z: Tensor, axes: Sequence[int], x: Tensor) -> Tensor:
    for a in axes:
        z = _resize(z, a, x.shape[a])
    return z


def _weights(n: int, axis: int, ndim: int, like: Tensor, interior: float) -> Tensor:
    """Weights of the frequencies 0..n//2 along ``axis``: 1 at 0 and (n even) n/2, else
    ``interior``; shaped to broadcast against a tensor of ``ndim`` dimensions."""
    real = _dtypes.COMPLEX_TO_REAL.get(like._dtype, like._dtype)
    k = arange(n // 2 + 1, dtype=real, device=like._dev)
    edge = astype(logical_or(equal(k, 0), equal(k, n / 2)), real)
    w = interior + (1 - interior) * edge
    return reshape(w, (n // 2 + 1,) + (1,) * (ndim - 1 - axis))


def _one_axis(x: Tensor, n: Any, axis: Any, inverse_real: bool) -> tuple[int, int]:
    """A 1-D transform's axis (non-negative) and length, as the transform resolved them."""
    ax = _axis(axis, x.ndim, "fft")
    m = x.shape[ax]
    return ax, (n if n is not None else (2 * (m - 1) if inverse_real else m))


def _many_axes(
    x: Tensor, s: Any, axes: Any, inverse_real: bool
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """An N-D transform's axes (non-negative) and lengths, as the transform resolved them."""
    ax = tuple(range(x.ndim)) if axes is None else _axes(tuple(axes), x.ndim, "fft")
    sizes = []
    for i, a in enumerate(ax):
        v = -1 if s is None else s[i]
        if v == -1:
            m = x.shape[a]
            v = 2 * (m - 1) if inverse_real and i == len(ax) - 1 else m
        sizes.append(v)
    return ax, tuple(sizes)


def _complex_rule(transform: Any) -> Any:
    def rule(
        g: Tensor, ans: Tensor, x: Tensor, *, n: Any = None, axis: Any = -1, norm: Any = "backward"
    ) -> Tensor:
        if x.size == 0:
            return zeros_like(x)
        ax, _ = _one_axis(x, n, axis, False)
        return _resize(transform(g, axis=ax, norm=norm), ax, x.shape[ax])

    return rule


def _complex_n_rule(transform: Any) -> Any:
    def rule(
        g: Tensor,
        ans: Tensor,
        x: Tensor,
        *,
        s: Any = None,
        axes: Any = None,
        norm: Any = "backward",
    ) -> Tensor:
        if x.size == 0:
            return zeros_like(x)
        ax, _ = _many_axes(x, s, axes, False)
        return _resize_all(transform(g, axes=ax, norm=norm), ax, x)

    return rule


def _rfft_rule(
    g: Tensor, ans: Tensor, x: Tensor, *, n: Any = None, axis: Any = -1, norm: Any = "backward"
) -> Tensor:
    # rfft^T(g) = real(fft(pad(g, n))) = irfft(conj(g) * w) with w = 1/2 inside (irfft
    # counts each interior frequency twice, for its conjugate partner)
    if x.size == 0:
        return zeros_like(x)
    ax, size = _one_axis(x, n, axis, False)
    gc = conj(g) * _weights(size, ax, g.ndim, g, 0.5)
    return _resize(irfft(gc, n=size, axis=ax, norm=_SWAP[norm]), ax, x.shape[ax])


def _rfftn_rule(
    g: Tensor, ans: Tensor, x: Tensor, *, s: Any = None, axes: Any = None, norm: Any = "backward"
) -> Tensor:
    if x.size == 0:
        return zeros_like(x)
    ax, sizes = _many_axes(x, s, axes, False)
    gc = conj(g) * _weights(sizes[-1], ax[-1], g.ndim, g, 0.5)
    return _resize_all(irfftn(gc, s=sizes, axes=ax, norm=_SWAP[norm]), ax, x)


def _irfft_rule(
    g: Tensor, ans: Tensor, x: Tensor, *, n: Any = None, axis: Any = -1, norm: Any = "backward"
) -> Tensor:
    # irfft reads Re X_0 (and Re X_{n/2}) once and each interior X_k twice (with its
    # conjugate partner): the transpose is conj(rfft(g)) weighted 1, 2, ..., 2, (1)
    if x.size == 0:
        return zeros_like(x)
    ax, size = _one_axis(x, n, axis, True)
    gz = conj(rfft(g, n=size, axis=ax, norm=_SWAP[norm])) * _weights(size, ax, g.ndim, g, 2.0)
    return _resize(gz, ax, x.shape[ax])


def _irfftn_rule(
    g: Tensor, ans: Tensor, x: Tensor, *, s: Any = None, axes: Any = None, norm: Any = "backward"
) -> Tensor:
    if x.size == 0:
        return zeros_like(x)
    ax, sizes = _many_axes(x, s, axes, True)
    gz = conj(rfftn(g, s=sizes, axes=ax, norm=_SWAP[norm]))
    gz = gz * _weights(sizes[-1], ax[-1], g.ndim, g, 2.0)
    return _resize_all(gz, ax, x)


def _hfft_rule(
    g: Tensor, ans: Tensor, x: Tensor, *, n: Any = None, axis: Any = -1, norm: Any = "backward"
) -> Tensor:
    # hfft(x) = irfft(conj(x)) with the norm's direction swapped
    if x.size == 0:
        return zeros_like(x)
    ax, size = _one_axis(x, n, axis, True)
    gz = rfft(g, n=size, axis=ax, norm=norm) * _weights(size, ax, g.ndim, g, 2.0)
    return _resize(gz, ax, x.shape[ax])


def _ihfft_rule(
    g: Tensor, ans: Tensor, x: Tensor, *, n: Any = None, axis: Any = -1, norm: Any = "backward"
) -> Tensor:
    # ihfft(x) = conj(rfft(x)) with the norm's direction swapped
    if x.size == 0:
        return zeros_like(x)
    ax, size = _one_axis(x, n, axis, False)
    gx = irfft(g * _weights(size, ax, g.ndim, g, 0.5), n=size, axis=ax, norm=norm)
    return _resize(gx, ax, x.shape[ax])


defvjp(fft, _complex_rule(fft))
defvjp(ifft, _complex_rule(ifft))
defvjp(fftn, _complex_n_rule(fftn))
defvjp(ifftn, _complex_n_rule(ifftn))
defvjp(rfft, _rfft_rule)
defvjp(rfftn, _rfftn_rule)
defvjp(irfft, _irfft_rule)
defvjp(irfftn, _irfftn_rule)
defvjp(hfft, _hfft_rule)
defvjp(ihfft, _ihfft_rule)
defvjp(fftshift, lambda g, ans, x, *, axes=None: ifftshift(g, axes=axes))
defvjp(ifftshift, lambda g, ans, x, *, axes=None: fftshift(g, axes=axes))
nondifferentiable(fftfreq, rfftfreq)
