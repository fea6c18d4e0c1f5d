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
from .._dispatch import apply, check_category, tensor_arg
from .._dtypes import DType
from .._errors import DTypeError
from .._tensor import Tensor
from .creation import zeros
from .data_type import astype
from .manipulation import _axes, _axis

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


def fft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """One-dimensional discrete Fourier transform of a complex tensor along ``axis``."""
    return _one("fft", _SAME, x, n, axis, norm)


def ifft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """One-dimensional inverse discrete Fourier transform of a complex tensor."""
    return _one("ifft", _SAME, x, n, axis, norm)


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


def rfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """Discrete Fourier transform of a real tensor (``n//2 + 1`` non-negative frequencies)."""
    return _one("rfft", _R2C, x, n, axis, norm)


def irfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """Inverse of ``rfft``: a real tensor of length ``n`` (default ``2*(M-1)``) along ``axis``."""
    return _one("irfft", _C2R, x, n, axis, norm)


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


def hfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: Norm = "backward") -> Tensor:
    """Discrete Fourier transform of a Hermitian-symmetric signal (a real result of length n)."""
    return _one("hfft", _C2R, x, n, axis, norm)


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


def fftshift(x: Any, /, *, axes: int | Sequence[int] | None = None) -> Tensor:
    """Move the zero-frequency term to the centre along ``axes`` (all axes when None)."""
    return _shift("fftshift", x, axes)


def ifftshift(x: Any, /, *, axes: int | Sequence[int] | None = None) -> Tensor:
    """Inverse of ``fftshift`` (they differ by one sample for odd lengths)."""
    return _shift("ifftshift", x, axes)
