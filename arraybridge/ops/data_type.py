"""Data type functions (the standard's "Data Type Functions" chapter)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _config, _dtypes, _limits
from .._convert import PY_SCALARS, resolve_device, resolve_dtype, weak_dtype
from .._dispatch import apply, check_same_device, primitive, tensor_arg
from .._dtypes import DType
from .._errors import DTypeError
from .._tensor import Tensor
from ..autodiff._rules import composite, defvjp, nondifferentiable

__all__ = [
    "astype",
    "broadcast_arrays",
    "broadcast_shapes",
    "broadcast_to",
    "can_cast",
    "finfo",
    "iinfo",
    "isdtype",
    "result_type",
]


@primitive()
def astype(x: Any, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Tensor:
    """``x`` converted to ``dtype`` (arraybridge's explicit conversion, TensorFlow's ``cast``).

    Complex to real conversions raise: take ``ab.real`` or ``ab.abs`` first.
    """
    x = tensor_arg(x, "astype")
    dt = resolve_dtype(dtype, "astype")
    if device is not None and resolve_device(device, "astype") is not x._dev:
        from .._convert import asarray

        x = asarray(x, device=device)
    if x._dtype._kind == "c" and dt._kind != "c":
        raise DTypeError(
            f"astype: converting {x._dtype} to {dt} would drop the imaginary part; "
            "take ab.real(x) or ab.abs(x) first"
        )
    if dt is x._dtype and not copy:
        from .._convert import asarray

        return asarray(x, copy=False)
    be = x._dev.backend
    try:
        native = be.to_native[dt]
    except KeyError:
        raise DTypeError(f"astype: the {be.name} backend does not support {dt}") from None
    return apply("astype", x, native, copy=True, out_dtype=dt)  # type: ignore[no-any-return]


def _dtype_of(obj: Any, where: str) -> DType:
    if isinstance(obj, DType):
        return obj
    if isinstance(obj, Tensor):
        return obj._dtype
    raise TypeError(f"{where}: expected a tensor or an arraybridge dtype, got {type(obj).__name__}")


def result_type(*arrays_and_dtypes: Any) -> DType:
    """The dtype an operation on these tensors, dtypes and Python scalars gives.

    Strict semantics: all dtypes must be the same (else ``DTypeError``). Standard
    semantics: the Array API promotion table. Python scalars are weak in both.
    """
    return _result_type("result_type", arrays_and_dtypes)


def _result_type(where: str, arrays_and_dtypes: tuple[Any, ...]) -> DType:
    """``result_type(*arrays_and_dtypes)`` for function ``where``: its errors name ``where``."""
    dts = [_dtype_of(a, where) for a in arrays_and_dtypes if type(a) not in PY_SCALARS]
    scalars = [a for a in arrays_and_dtypes if type(a) in PY_SCALARS]
    if not dts:
        if not scalars:
            raise ValueError(f"{where}: at least one tensor or dtype is required")
        raise TypeError(f"{where}: at least one tensor or dtype is required besides scalars")
    out = dts[0]
    standard = _config.is_standard()
    for d in dts[1:]:
        if d is not out:
            if not standard:
                raise _dtypes.strict_mismatch(where, (out, d))
            out = _dtypes.promote(out, d, where)
    for s in scalars:
        out = weak_dtype(s, out, where)
    return out


def can_cast(from_: Any, to: Any, /) -> bool:
    """Whether the standard's promotion rules allow casting ``from_`` to ``to``."""
    return _dtypes.can_cast_dtypes(_dtype_of(from_, "can_cast"), resolve_dtype(to, "can_cast"))


@dataclass(frozen=True)
class finfo_object:
    """Machine limits of a floating-point dtype (as Python floats)."""

    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: DType


@dataclass(frozen=True)
class iinfo_object:
    """Machine limits of an integer dtype."""

    bits: int
    max: int
    min: int
    dtype: DType


def finfo(type: Any, /) -> finfo_object:
    """Machine limits of a floating-point dtype (or a tensor's dtype)."""
    dt = _dtype_of(type, "finfo") if not isinstance(type, str) else resolve_dtype(type, "finfo")
    if dt._kind not in "fc":
        raise DTypeError(f"finfo: expected a floating-point dtype, got {dt}")
    real = _dtypes.COMPLEX_TO_REAL.get(dt, dt)
    fi = np.finfo(real.name)
    return finfo_object(
        bits=real.bits,
        eps=float(fi.eps),
        max=float(fi.max),
        min=float(fi.min),
        smallest_normal=float(fi.smallest_normal),
        dtype=real,
    )


def iinfo(type: Any, /) -> iinfo_object:
    """Machine limits of an integer dtype (or a tensor's dtype)."""
    dt = _dtype_of(type, "iinfo") if not isinstance(type, str) else resolve_dtype(type, "iinfo")
    if dt._kind not in "iu":
        raise DTypeError(f"iinfo: expected an integer dtype, got {dt}")
    ii = np.iinfo(dt.name)
    return iinfo_object(bits=dt.bits, max=int(ii.max), min=int(ii.min), dtype=dt)


_KINDS = {
    "bool": _dtypes.BOOLEAN,
    "signed integer": _dtypes.SIGNED,
    "unsigned integer": _dtypes.UNSIGNED,
    "integral": _dtypes.INTEGER,
    "real floating": _dtypes.REAL_FLOATING,
    "complex floating": _dtypes.COMPLEX_FLOATING,
    "numeric": _dtypes.NUMERIC,
}


def isdtype(dtype: Any, kind: Any) -> bool:
    """Whether ``dtype`` is of ``kind`` (a dtype, a kind name, or a tuple of them)."""
    if not isinstance(dtype, DType):
        raise TypeError(f"isdtype: dtype must be an arraybridge dtype, got {dtype!r}")
    if isinstance(kind, tuple):
        return any(isdtype(dtype, k) for k in kind)
    if isinstance(kind, DType):
        return dtype is kind
    if isinstance(kind, str):
        if kind not in _KINDS:
            raise ValueError(f"isdtype: unknown kind {kind!r}; expected one of {list(_KINDS)}")
        return dtype in _KINDS[kind]
    raise TypeError(f"isdtype: kind must be a dtype, a kind name or a tuple, got {kind!r}")


@primitive()
def broadcast_to(x: Any, /, shape: tuple[int, ...]) -> Tensor:
    """``x`` broadcast to ``shape`` (a new tensor)."""
    x = tensor_arg(x, "broadcast_to")
    shape = _shape_arg(shape, "broadcast_to")
    if any(s < 0 for s in shape):
        raise ValueError(f"broadcast_to: shape {shape} has a negative size")
    # Note: NumPy would give a view of any size, JAX allocates it: the same limit on both
    _limits.check("broadcast_to", shape, x._dtype, x._dev)
    try:
        return apply("broadcast_to", x, shape, view=True)  # type: ignore[no-any-return]
    except (TypeError, ValueError) as exc:
        # Note: NumPy raises ValueError, JAX TypeError; x and shape are checked already
        raise ValueError(f"broadcast_to: cannot broadcast shape {x.shape} to {shape}") from exc


def broadcast_arrays(*arrays: Any) -> tuple[Tensor, ...]:
    """The tensors broadcast against each other."""
    ts = [tensor_arg(a, "broadcast_arrays") for a in arrays]
    if not ts:
        return ()
    check_same_device("broadcast_arrays", *ts)
    shape = _broadcast_shapes("broadcast_arrays", *(t.shape for t in ts))
    _limits.check("broadcast_arrays", shape, ts[0]._dtype, ts[0]._dev, len(ts))
    return tuple(broadcast_to(t, shape) for t in ts)


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape that tensors of ``shapes`` broadcast to."""
    return _broadcast_shapes(
        "broadcast_shapes", *(_shape_arg(s, "broadcast_shapes") for s in shapes)
    )


def _broadcast_shapes(where: str, *shapes: tuple[int, ...]) -> tuple[int, ...]:
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        raise ValueError(
            f"{where}: shapes {', '.join(map(str, shapes))} do not broadcast"
        ) from None


def _shape_arg(shape: Any, where: str) -> tuple[int, ...]:
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        out = tuple(int(s.__index__()) for s in shape)
    except (TypeError, AttributeError):
        raise TypeError(f"{where}: shape must be a tuple of ints, got {shape!r}") from None
    return out


# -- VJP rules (the cotangent is cast back to x's dtype, real part first, by the tape) --------
def _astype_rule(g: Tensor, ans: Tensor, x: Tensor, dtype: Any, **kwargs: Any) -> Tensor:
    return g if g.device == x.device else astype(g, g.dtype, device=x.device)


defvjp(astype, _astype_rule)
# g has the broadcast shape: the tape sums it back to x's shape
defvjp(broadcast_to, lambda g, ans, x, shape: g)
composite(broadcast_arrays)
nondifferentiable(broadcast_shapes, can_cast, finfo, iinfo, isdtype, result_type)
