"""Turning Python and foreign objects into tensors: ``asarray`` and the weak-scalar rule.

Python scalars (and nested lists of them) are *weak*: combined with a tensor they take
the tensor's dtype, provided the tensor's kind can hold them (a bool only with bool
tensors, an int with integer or floating tensors and within the dtype's range, a float
with floating tensors, a complex with complex tensors; under standard semantics also
with real floating tensors, which then promote to complex, as the standard says).
Everything with a dtype of its own (NumPy arrays and scalars, other libraries' arrays)
is *strong* and keeps that dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _config, _dtypes
from ._dtypes import DType
from ._errors import DTypeError, an
from ._tensor import Tensor
from .backend import Device, _registry

__all__ = [
    "asarray",
    "check_copy",
    "convert",
    "operand",
    "resolve_device",
    "resolve_dtype",
    "weak_dtype",
]

PY_SCALARS = (bool, int, float, complex)
_KIND_OF_PY = {bool: "b", int: "i", float: "f", complex: "c"}
_DEFAULT_OF_KIND = {
    "b": _dtypes.bool,
    "i": _dtypes.DEFAULT_INT,
    "u": _dtypes.DEFAULT_INT,
    "f": _dtypes.DEFAULT_FLOAT,
    "c": _dtypes.DEFAULT_COMPLEX,
}
_NUMPY_TO_DTYPE = {np.dtype(d.name): d for d in _dtypes.ALL}
_IINFO = {d: (int(np.iinfo(d.name).min), int(np.iinfo(d.name).max)) for d in _dtypes.INTEGER}


def resolve_device(device: Any, where: str) -> Device:
    """The Device ``device`` names (a Device, ``'backend'`` or ``'backend:id'``; None: current)."""
    if device is None:
        return _registry.current().default
    if isinstance(device, Device):
        return device
    if isinstance(device, str):
        try:
            return _registry.device_from_string(device)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    raise TypeError(
        f"{where}: device must be an ab.Device, a string like 'numpy:cpu', or None; "
        f"got {type(device).__name__}"
    )


def check_copy(copy: Any, where: str) -> None:
    """Raise TypeError unless ``copy`` is True, False or None."""
    if not (copy is None or copy is True or copy is False):
        raise TypeError(f"{where}: copy must be True, False or None, got {copy!r}")


def resolve_dtype(dtype: Any, where: str) -> DType:
    """An arraybridge dtype from ``dtype`` (a DType or its name)."""
    if isinstance(dtype, DType):
        return dtype
    if isinstance(dtype, str) and dtype in _dtypes.BY_NAME:
        return _dtypes.BY_NAME[dtype]
    raise TypeError(
        f"{where}: dtype must be an arraybridge dtype such as ab.float32, got {dtype!r}"
    )


def _weak_error(kind: str, dtype: DType, op: str) -> DTypeError:
    name = {"b": "bool", "i": "int", "f": "float", "c": "complex"}[kind]
    return DTypeError(
        f"{op}: a Python {name} cannot be combined with {an(dtype)} tensor without an implicit "
        f"conversion; make the tensor's dtype fit first, e.g. ab.astype(x, ab.{_suggest(kind)})"
    )


def _suggest(kind: str) -> str:
    return _DEFAULT_OF_KIND[kind].name


def weak_kind_dtype(kind: str, dtype: DType, op: str) -> DType:
    """The dtype a weak value of Python kind ``kind`` takes beside a ``dtype`` tensor."""
    k = dtype._kind
    if kind == "b":
        if k == "b":
            return dtype
    elif kind == "i":
        if k in "iufc":
            return dtype
    elif kind == "f":
        if k in "fc":
            return dtype
    elif kind == "c":
        if k == "c":
            return dtype
        if k == "f" and _config.is_standard():
            return _dtypes.REAL_TO_COMPLEX[dtype]
    raise _weak_error(kind, dtype, op)


def weak_dtype(value: bool | int | float | complex, dtype: DType, op: str) -> DType:
    """The dtype the Python scalar ``value`` takes beside a ``dtype`` tensor (or raise)."""
    kind = _KIND_OF_PY[type(value)]
    out = weak_kind_dtype(kind, dtype, op)
    if kind == "i" and out._kind in "iu":
        lo, hi = _IINFO[out]
        if not lo <= value <= hi:  # type: ignore[operator]
            raise DTypeError(
                f"{op}: the Python int {value} does not fit in {out} (range {lo}..{hi}); "
                f"convert the tensor to a wider dtype with ab.astype first"
            )
    return out


def _from_nested(obj: Any, where: str) -> np.ndarray[Any, Any]:
    """A NumPy array of a nested list/tuple (or Python scalar), with a clear error."""
    try:
        arr = np.asarray(obj)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{where}: cannot make a tensor of this nested sequence: {exc}") from None
    if arr.dtype.kind not in "biufcO":
        raise TypeError(
            f"{where}: expected numbers, bools, or nested lists of them; got {_first_bad(obj)}"
        )
    return arr


def _leaves(obj: Any) -> list[Any]:
    if isinstance(obj, (list, tuple)):
        return [leaf for item in obj for leaf in _leaves(item)]
    return [obj]


_INT64_SPAN = 2.0**63


class _WeakData:
    """Python data made ready for conversion: its kind (b, i, f, c) and integer bounds."""

    __slots__ = ("bounds", "kind", "source")

    def __init__(self, obj: Any, where: str) -> None:
        arr = _from_nested(obj, where)
        kind = arr.dtype.kind
        self.source: Any = arr
        self.bounds: tuple[int, int] | None = None
        # Python ints beyond int64 make NumPy choose uint64, float64 or object: look at
        # the values themselves before deciding that they are not ints.
        big = kind in "uO" or (
            kind == "f" and arr.size > 0 and float(np.max(np.abs(arr))) >= _INT64_SPAN
        )
        if big:
            leaves = _leaves(obj)
            if leaves and all(type(v) is int for v in leaves):
                kind, self.source, self.bounds = "i", obj, (min(leaves), max(leaves))
            elif kind == "O":
                raise TypeError(
                    f"{where}: expected numbers, bools, or nested lists of them; "
                    f"got {_first_bad(obj)}"
                )
        elif kind == "i" and arr.size:
            self.bounds = (int(arr.min()), int(arr.max()))
        if kind == "O":
            raise TypeError(f"{where}: expected numbers or bools; got {_first_bad(obj)}")
        self.kind = kind

    def check_range(self, dtype: DType, where: str) -> None:
        """Raise DTypeError when an integer value does not fit ``dtype``."""
        if self.bounds is None or dtype._kind not in "iu":
            return
        lo, hi = _IINFO[dtype]
        amin, amax = self.bounds
        if amin < lo or amax > hi:
            raise DTypeError(
                f"{where}: the value {amin if amin < lo else amax} does not fit in {dtype} "
                f"(range {lo}..{hi})"
            )


def _first_bad(obj: Any) -> str:
    if isinstance(obj, (list, tuple)):
        for item in obj:
            if not isinstance(item, (*PY_SCALARS, np.generic)):
                return _first_bad(item)
        return "a ragged or mixed nested sequence"
    return f"an object of type {type(obj).__name__}: {obj!r}"


def _has_strong(obj: Any) -> bool:
    """Whether a nested sequence holds a value with a dtype of its own."""
    if isinstance(obj, (list, tuple)):
        return any(_has_strong(o) for o in obj)
    return not isinstance(obj, PY_SCALARS) or isinstance(obj, np.generic)


def _native_dtype(dtype: DType, dev: Device, where: str) -> Any:
    try:
        return dev.backend.to_native[dtype]
    except KeyError:
        raise DTypeError(
            f"{where}: the {dev.backend.name} backend does not support {dtype}"
        ) from None


def _wrap_native(data: Any, dev: Device, where: str) -> Tensor:
    dt = dev.backend.from_native.get(data.dtype)
    if dt is None:
        raise DTypeError(
            f"{where}: dtype {data.dtype} is not one of the Array API's 13 dtypes; "
            "convert it first (e.g. to float32)"
        )
    return Tensor._new(data, dt, dev)


def _python_data(obj: Any, dtype: DType | None, where: str) -> tuple[Any, DType]:
    """Python scalars and nested sequences under the weak rule, with arraybridge's defaults."""
    if isinstance(obj, (list, tuple)) and _has_strong(obj):
        arr = _from_nested(obj, where)
        found = _NUMPY_TO_DTYPE.get(arr.dtype)
        if found is None:
            raise DTypeError(f"{where}: dtype {arr.dtype} is not one of the Array API's dtypes")
        return arr, found if dtype is None else dtype
    data = _WeakData(obj, where)
    kind = data.kind
    if dtype is None:
        target = _DEFAULT_OF_KIND[kind]
    elif _is_empty(data.source) or _explicit_ok(kind, dtype):
        target = dtype
    else:
        raise DTypeError(
            f"{where}: Python {_PY_NAME[kind]} values cannot be stored in {dtype} without "
            f"losing information; convert them first (e.g. round, then ab.astype)"
        )
    data.check_range(target, where)
    return data.source, target


def _is_empty(source: Any) -> bool:
    return isinstance(source, np.ndarray) and source.size == 0


def _explicit_ok(kind: str, dtype: DType) -> bool:
    """Whether an explicit ``dtype=`` holds Python values of ``kind`` exactly in kind.

    Bools go anywhere, ints into any numeric dtype (range-checked), floats into floating
    dtypes, complex numbers into complex dtypes.
    """
    k = dtype._kind
    return kind == "b" or (kind == "i" and k != "b") or (kind == "f" and k in "fc") or k == "c"


_PY_NAME = {"b": "bool", "i": "int", "f": "float", "c": "complex"}


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
    ``copy=False``, so the tensor never changes when the caller's array does.
    """
    return convert(obj, "asarray", dtype, device, copy)


def convert(
    obj: Any, where: str, dtype: Any = None, device: Any = None, copy: bool | None = None
) -> Tensor:
    """``asarray(obj, ...)`` for function ``where``: its errors name ``where``."""
    dt = None if dtype is None else resolve_dtype(dtype, where)
    check_copy(copy, where)
    if isinstance(obj, Tensor):
        return _from_tensor(obj, dt, device, copy, where)
    dev = resolve_device(device, where)
    if isinstance(obj, (str, bytes)) or obj is None:
        raise TypeError(f"{where}: cannot make a tensor of {type(obj).__name__} {obj!r}")
    if isinstance(obj, (*PY_SCALARS, list, tuple)) and not isinstance(obj, np.generic):
        if copy is False:
            raise ValueError(f"{where}: copy=False, but a Python object must be copied")
        arr, target = _python_data(obj, dt, where)
        data = dev.backend.asarray(arr, _native_dtype(target, dev, where), dev.id, None)
        return Tensor._new(data, target, dev)
    if not _array_like(obj):
        # Note: before the backend sees it: NumPy makes an object array of anything (a
        # DTypeError here), JAX raises its own TypeError
        raise TypeError(
            f"{where}: expected a tensor, array, Python scalar or nested list, "
            f"got {type(obj).__name__}"
        )
    # Arrays of any library: they keep their dtype (or take the one asked for).
    src_dtype = getattr(obj, "dtype", None)
    if dt is not None and src_dtype is not None:
        src_kind = getattr(src_dtype, "kind", "")
        if src_kind == "c" and dt._kind != "c":
            raise DTypeError(
                f"{where}: cannot convert complex {src_dtype} to {dt}; take ab.real or ab.abs"
            )
    if dt is None and isinstance(src_dtype, np.dtype) and src_dtype not in _NUMPY_TO_DTYPE:
        # before the backend sees it: backends fail on such arrays in their own ways
        raise DTypeError(
            f"{where}: dtype {src_dtype} is not one of the Array API's 13 dtypes; "
            "convert it first (e.g. to float32)"
        )
    native = None if dt is None else _native_dtype(dt, dev, where)
    try:
        data = dev.backend.asarray(obj, native, dev.id, False if copy is False else True)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{where}: cannot convert {type(obj).__name__}: {exc}") from None
    t = _wrap_native(data, dev, where)
    if copy is False:
        t._shared = True  # it aliases an array the caller holds
    return t


def _from_tensor(x: Tensor, dt: DType | None, device: Any, copy: bool | None, where: str) -> Tensor:
    dev = x._dev if device is None else resolve_device(device, where)
    if dev is not x._dev:
        if copy is False:
            raise ValueError(f"{where}: moving to {dev} needs a copy, copy=False given")
        x = _transfer(x, dev)
        copy = None  # already fresh
    if dt is not None and dt is not x._dtype:
        if copy is False:
            raise ValueError(
                f"{where}: converting {x._dtype} to {dt} needs a copy, copy=False given"
            )
        from .ops.data_type import astype

        return astype(x, dt)
    if copy:
        return Tensor._new(dev.backend.copy(x._data), x._dtype, dev)
    if type(x) is not Tensor:
        # a Variable (or a slice of one): a snapshot, which the variable's later writes
        # leave alone (it holds the buffer, so the next write copies first)
        t = Tensor._new(x._data, x._dtype, dev)
        t._shared = True
        return t
    # Nothing to convert: the tensor itself, as NumPy's asarray returns its input (under
    # standard semantics a write through either name is a write to the one tensor).
    return x


def _transfer(x: Tensor, dev: Device) -> Tensor:
    """Move ``x`` to another device or backend: DLPack where both sides support it."""
    src = x._dev.backend
    try:
        data = dev.backend.from_dlpack(x, dev.id, True)
    except (BufferError, TypeError, ValueError, NotImplementedError, RuntimeError):
        data = dev.backend.asarray(src.to_numpy(x._data), None, dev.id, True)
    return _wrap_native(data, dev, "to_device")


def operand(obj: Any, like: Tensor, op: str) -> Tensor:
    """Convert a non-tensor operand next to tensor ``like``: weak if Python data, else strong."""
    if isinstance(obj, (list, tuple)) and not _has_strong(obj):
        weak = _WeakData(obj, op)
        target = weak_kind_dtype(weak.kind, like._dtype, op)
        weak.check_range(target, op)
        dev = like._dev
        native = _native_dtype(target, dev, op)
        data = dev.backend.asarray(weak.source, native, dev.id, None)
        return Tensor._new(data, target, dev)
    if isinstance(obj, PY_SCALARS) and not isinstance(obj, np.generic):
        target = weak_dtype(obj, like._dtype, op)
        dev = like._dev
        data = dev.backend.asarray(obj, _native_dtype(target, dev, op), dev.id, None)
        return Tensor._new(data, target, dev)
    if obj is None or isinstance(obj, (str, bytes)) or not _array_like(obj):
        raise TypeError(
            f"{op}: expected a tensor, array, Python scalar or nested list, "
            f"got {type(obj).__name__}"
        )
    return convert(obj, op, device=like._dev)


def _array_like(obj: Any) -> bool:
    return not isinstance(obj, type) and (
        isinstance(obj, (np.ndarray, np.generic, list, tuple))
        or hasattr(obj, "__array__")
        or hasattr(obj, "__dlpack__")
        or hasattr(obj, "__array_interface__")
    )
