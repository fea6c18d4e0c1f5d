"""Creation functions (the standard's "Creation Functions" chapter).

Without ``dtype``: floats give float32, complex numbers complex64, ints int64 and bools
bool (TensorFlow's defaults, the same on every backend). Without ``device``: the current
backend's default device (``ab.set_backend`` / ``ab.use_backend``).
"""

from __future__ import annotations

import math
from typing import Any

from .. import _convert, _dtypes, _limits, _recording
from .._convert import (
    PY_SCALARS,
    _native_dtype,
    check_copy,
    resolve_device,
    resolve_dtype,
    weak_dtype,
)
from .._dispatch import apply, primitive, tensor_arg
from .._dtypes import DType
from .._errors import DTypeError
from .._tensor import Tensor
from ..autodiff._rules import composite, defvjp, defvjp_all, nondifferentiable
from ..backend import Device
from .data_type import _shape_arg

__all__ = [
    "arange",
    "asarray",
    "empty",
    "empty_like",
    "eye",
    "from_dlpack",
    "full",
    "full_like",
    "linspace",
    "meshgrid",
    "ones",
    "ones_like",
    "tril",
    "triu",
    "zeros",
    "zeros_like",
]


_ACTIVE = _recording.ACTIVE


def asarray(
    obj: Any,
    /,
    *,
    dtype: Any = None,
    device: Any = None,
    copy: bool | None = None,
) -> Tensor:
    """Convert ``obj`` to a tensor.

    Python floats become float32, complex numbers complex64, ints int64, bools bool;
    NumPy arrays and other arrays keep their dtype. Input arrays are copied unless
    ``copy=False``, so the tensor never changes when the caller's array does. A tensor
    comes back as it is when nothing needs converting; a new tensor made from a tensor
    (a copy, another dtype or device) passes gradients back to it.
    """
    if _ACTIVE[0] and isinstance(obj, Tensor) and _converts(obj, dtype, device, copy):
        return _recording.record(  # type: ignore[no-any-return]
            "asarray", _asarray_op, (obj,), {"dtype": dtype, "device": device, "copy": copy}
        )
    return _convert.asarray(obj, dtype=dtype, device=device, copy=copy)


def _converts(x: Tensor, dtype: Any, device: Any, copy: Any) -> bool:
    """Whether ``asarray(x, ...)`` makes a new tensor rather than returning ``x``."""
    return (
        copy is True
        or (dtype is not None and resolve_dtype(dtype, "asarray") is not x._dtype)
        or (device is not None and resolve_device(device, "asarray") is not x._dev)
    )


def _asarray_op(
    x: Tensor, /, *, dtype: Any = None, device: Any = None, copy: Any = None, _raw: bool = False
) -> Tensor:
    return _convert.asarray(x, dtype=dtype, device=device, copy=copy)


def _setup(dtype: Any, device: Any, where: str, default: DType) -> tuple[DType, Device, Any]:
    dt = default if dtype is None else resolve_dtype(dtype, where)
    dev = resolve_device(device, where)
    return dt, dev, _native_dtype(dt, dev, where)


def _new(dev: Device, data: Any, dt: DType) -> Tensor:
    return Tensor._new(data, dt, dev)


def _fill(name: str, shape: Any, dtype: Any, device: Any, where: str | None = None) -> Tensor:
    where = name if where is None else where  # zeros_like's errors say zeros_like
    dt, dev, native = _setup(dtype, device, where, _dtypes.DEFAULT_FLOAT)
    shp = _sizes(shape, where)
    _limits.check(where, shp, dt, dev)
    return _new(dev, dev.fns[name](shp, dtype=native, device=_native_device(dev)), dt)


def _native_device(dev: Device) -> Any:
    return dev.backend.plugin.native_device(dev.id)


def _sizes(shape: Any, where: str) -> tuple[int, ...]:
    shp = _shape_arg(shape, where)
    if any(s < 0 for s in shp):
        raise ValueError(f"{where}: shape {shp} has a negative size")
    return shp


def zeros(shape: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
    """A tensor of zeros (float32 unless ``dtype`` says otherwise)."""
    return _fill("zeros", shape, dtype, device)


def ones(shape: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
    """A tensor of ones (float32 unless ``dtype`` says otherwise)."""
    return _fill("ones", shape, dtype, device)


def empty(shape: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
    """An uninitialised tensor (float32 unless ``dtype`` says otherwise)."""
    return _fill("empty", shape, dtype, device)


def _like(name: str, x: Any, dtype: Any, device: Any) -> Tensor:
    x = tensor_arg(x, name)
    if dtype is None and device is None:  # x's own dtype and device: nothing to resolve
        dev, dt = x._dev, x._dtype
        data = dev.fns[name.removesuffix("_like")](
            tuple(x._data.shape), dtype=dev.backend.to_native[dt], device=_native_device(dev)
        )
        return _new(dev, data, dt)
    return _fill(  # another dtype or device: it may need more memory than x
        name.removesuffix("_like"),
        x.shape,
        x._dtype if dtype is None else dtype,
        x._dev if device is None else device,
        name,
    )


def zeros_like(x: Any, /, *, dtype: Any = None, device: Any = None) -> Tensor:
    """Zeros with ``x``'s shape, dtype and device."""
    return _like("zeros_like", x, dtype, device)


def ones_like(x: Any, /, *, dtype: Any = None, device: Any = None) -> Tensor:
    """Ones with ``x``'s shape, dtype and device."""
    return _like("ones_like", x, dtype, device)


def empty_like(x: Any, /, *, dtype: Any = None, device: Any = None) -> Tensor:
    """An uninitialised tensor with ``x``'s shape, dtype and device."""
    return _like("empty_like", x, dtype, device)


def _scalar_default(value: Any, where: str) -> DType:
    t = type(value)
    if t is bool:
        return _dtypes.bool
    if t is int:
        return _dtypes.DEFAULT_INT
    if t is float:
        return _dtypes.DEFAULT_FLOAT
    if t is complex:
        return _dtypes.DEFAULT_COMPLEX
    raise TypeError(
        f"{where}: fill_value must be a Python bool, int, float or complex, "
        f"got {type(value).__name__}"
    )


def full(shape: Any, fill_value: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
    """A tensor filled with ``fill_value`` (its dtype by the default rules unless given)."""
    where = "full"
    if isinstance(fill_value, Tensor):
        if fill_value.ndim != 0:
            raise ValueError(f"{where}: fill_value must be a scalar, got shape {fill_value.shape}")
        fill_value = fill_value._dev.backend.to_numpy(fill_value._data)[()].item()
    default = _scalar_default(fill_value, where)
    dt = default if dtype is None else weak_dtype(fill_value, resolve_dtype(dtype, where), where)
    dt, dev, native = _setup(dt, device, where, default)
    shp = _sizes(shape, where)
    _limits.check(where, shp, dt, dev)
    return _new(dev, dev.fns["full"](shp, fill_value, dtype=native, device=_native_device(dev)), dt)


def full_like(x: Any, /, fill_value: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
    """A tensor like ``x`` (shape; dtype and device unless given) filled with ``fill_value``."""
    x = tensor_arg(x, "full_like")
    _scalar_default(fill_value, "full_like")
    dt = x._dtype if dtype is None else resolve_dtype(dtype, "full_like")
    if device is not None:
        device = resolve_device(device, "full_like")
    weak_dtype(fill_value, dt, "full_like")
    return full(x.shape, fill_value, dtype=dt, device=x._dev if device is None else device)


def arange(
    start: Any, /, stop: Any = None, step: Any = 1, *, dtype: Any = None, device: Any = None
) -> Tensor:
    """Evenly spaced values in ``[start, stop)`` (int64 for ints, float32 otherwise)."""
    where = "arange"
    for v, label in ((start, "start"), (stop, "stop"), (step, "step")):
        if (v is not None or label != "stop") and type(v) not in (int, float):
            raise TypeError(
                f"{where}: {label} must be a Python int or float, got {type(v).__name__}"
            )
        if type(v) is float and not math.isfinite(v):
            raise ValueError(f"{where}: {label} must be finite, got {v}")
    if step == 0:
        raise ValueError(f"{where}: step must not be zero")
    values = (start, stop, step)
    default = (
        _dtypes.DEFAULT_INT
        if all(type(v) is int for v in values if v is not None)
        else _dtypes.DEFAULT_FLOAT
    )
    dt, dev, native = _setup(dtype, device, where, default)
    if dt._kind not in "iuf":
        raise DTypeError(f"{where}: dtype must be a real numeric dtype, got {dt}")
    if stop is None:
        start, stop = 0, start
    if dt._kind in "iu" and any(type(v) is float for v in (start, stop, step)):
        raise DTypeError(f"{where}: float bounds or step with integer dtype {dt}")
    n = max(0, math.ceil((stop - start) / step))
    if dt._kind in "iu" and n:
        lo, hi = _dtypes_range(dt)
        last = start + (n - 1) * step
        if not (lo <= start <= hi and lo <= last <= hi):
            raise DTypeError(f"{where}: values from {start} to {last} do not fit in {dt}")
    wide = dev.backend.to_native.get(_dtypes.float64) if dt._kind == "f" else None
    _limits.check(where, (n,), dt, dev)
    if wide is not None:
        _limits.check(where, (n,), _dtypes.float64, dev, copies=2)  # with the float64 one
        # Note: NumPy's float32 arange accumulates the rounded step and drifts by whole
        # steps over long ranges; computing in float64 and rounding once does not.
        data = dev.fns["arange"](start, stop, step, dtype=wide, device=_native_device(dev))
        data = dev.fns["astype"](data[:n], native)
    else:
        data = dev.fns["arange"](start, stop, step, dtype=native, device=_native_device(dev))
    if data.shape[0] != n:  # floating-point steps: the standard fixes the length
        data = data[:n]
    return _new(dev, data, dt)


def _dtypes_range(dt: DType) -> tuple[int, int]:
    from .data_type import iinfo

    info = iinfo(dt)
    return info.min, info.max


def linspace(
    start: Any,
    stop: Any,
    /,
    num: int,
    *,
    dtype: Any = None,
    device: Any = None,
    endpoint: bool = True,
) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` (float32 unless given)."""
    where = "linspace"
    if type(num) is not int:
        raise TypeError(f"{where}: num must be an int, got {type(num).__name__}")
    if endpoint is not True and endpoint is not False:
        raise TypeError(f"{where}: endpoint must be a bool, got {type(endpoint).__name__}")
    if num < 0:
        raise ValueError(f"{where}: num must be a non-negative int, got {num!r}")
    for v, label in ((start, "start"), (stop, "stop")):
        if type(v) not in (int, float, complex):
            raise TypeError(
                f"{where}: {label} must be a Python int, float or complex, got {type(v).__name__}"
            )
    is_complex = type(start) is complex or type(stop) is complex
    default = _dtypes.DEFAULT_COMPLEX if is_complex else _dtypes.DEFAULT_FLOAT
    dt, dev, native = _setup(dtype, device, where, default)
    if dt._kind not in "fc":
        raise DTypeError(f"{where}: dtype must be floating-point, got {dt}")
    if is_complex and dt._kind != "c":
        raise DTypeError(f"{where}: complex start or stop needs a complex dtype, got {dt}")
    _limits.check(where, (num,), dt, dev)
    data = dev.fns["linspace"](
        start, stop, num, dtype=native, endpoint=endpoint, device=_native_device(dev)
    )
    return _new(dev, data, dt)


def eye(
    n_rows: int,
    n_cols: int | None = None,
    /,
    *,
    k: int = 0,
    dtype: Any = None,
    device: Any = None,
) -> Tensor:
    """A 2-D tensor with ones on the ``k``-th diagonal."""
    where = "eye"
    for v, label in ((n_rows, "n_rows"), (n_cols, "n_cols"), (k, "k")):
        if (v is not None or label != "n_cols") and type(v) is not int:
            raise TypeError(f"{where}: {label} must be an int, got {type(v).__name__}")
    if n_rows < 0 or (n_cols is not None and n_cols < 0):
        raise ValueError(f"{where}: sizes must be non-negative")
    dt, dev, native = _setup(dtype, device, where, _dtypes.DEFAULT_FLOAT)
    _limits.check(where, (n_rows, n_rows if n_cols is None else n_cols), dt, dev)
    return _new(
        dev, dev.fns["eye"](n_rows, n_cols, k=k, dtype=native, device=_native_device(dev)), dt
    )


def from_dlpack(x: Any, /, *, device: Any = None, copy: bool | None = None) -> Tensor:
    """A tensor from any object implementing DLPack (copied unless ``copy=False``)."""
    check_copy(copy, "from_dlpack")
    if isinstance(x, Tensor):
        resolve_device(device, "from_dlpack")
        return asarray(x, device=device, copy=copy)  # passes gradients (a tensor's copy)
    if not hasattr(x, "__dlpack__"):
        raise TypeError(f"from_dlpack: {type(x).__name__} does not implement __dlpack__")
    dev = resolve_device(device, "from_dlpack")
    data = dev.backend.from_dlpack(x, dev.id, False if copy is False else True)
    from .._convert import _wrap_native

    t = _wrap_native(data, dev, "from_dlpack")
    t._shared = copy is False
    return t


@primitive()
def meshgrid(*arrays: Any, indexing: str = "xy") -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D tensors (``indexing`` "xy" or "ij")."""
    if not isinstance(indexing, str) or indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    ts = [tensor_arg(a, "meshgrid") for a in arrays]
    if not ts:
        return ()
    for t in ts:
        if t.ndim != 1:
            raise ValueError(f"meshgrid: every input must be 1-D, got shape {t.shape}")
    from .data_type import _result_type

    _result_type("meshgrid", tuple(ts))
    from .._dispatch import check_same_device

    check_same_device("meshgrid", *ts)
    _limits.check("meshgrid", tuple(t.shape[0] for t in ts), ts[0]._dtype, ts[0]._dev, len(ts))
    outs = ts[0]._dev.fns["meshgrid"](*(t._data for t in ts), indexing=indexing)
    return tuple(Tensor._new(ts[0]._dev.backend.copy(o), ts[0]._dtype, ts[0]._dev) for o in outs)


@primitive()
def tril(x: Any, /, *, k: int = 0) -> Tensor:
    """``x`` with elements above the ``k``-th diagonal zeroed."""
    return _tri("tril", x, k)


@primitive()
def triu(x: Any, /, *, k: int = 0) -> Tensor:
    """``x`` with elements below the ``k``-th diagonal zeroed."""
    return _tri("triu", x, k)


def _tri(name: str, x: Any, k: int) -> Tensor:
    x = tensor_arg(x, name)
    if type(k) is not int:
        raise TypeError(f"{name}: k must be an int, got {type(k).__name__}")
    if x.ndim < 2:
        raise ValueError(f"{name}: x must have at least 2 dimensions, got shape {x.shape}")
    return apply(name, x, k=k)  # type: ignore[no-any-return]


# -- VJP rules --------------------------------------------------------------------------------


def _asarray_vjp(g: Tensor, ans: Tensor, x: Tensor, **kwargs: Any) -> Tensor:
    # back to x's device (the tape casts to x's dtype)
    return g if g._dev is x._dev else asarray(g, device=x._dev)


def _meshgrid_vjp(g: tuple[Tensor, ...], ans: Any, *arrays: Any, indexing: str = "xy") -> list[Any]:
    from .statistical import sum as sum_

    k = len(arrays)
    out: list[Any] = []
    for i in range(k):
        ax = 1 - i if indexing == "xy" and k >= 2 and i < 2 else i  # "xy" swaps the first two
        out.append(sum_(g[i], axis=tuple(j for j in range(k) if j != ax)))
    return out


defvjp("asarray", _asarray_vjp)
defvjp_all(meshgrid, _meshgrid_vjp)
defvjp(tril, lambda g, ans, x, k=0: tril(g, k=k))
defvjp(triu, lambda g, ans, x, k=0: triu(g, k=k))
composite(from_dlpack)
nondifferentiable(
    arange,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    zeros,
    zeros_like,
)

del PY_SCALARS
