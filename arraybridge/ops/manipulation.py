"""Manipulation functions (the standard's "Manipulation Functions" chapter)."""

from __future__ import annotations

from typing import Any

from .._dispatch import apply, check_same_device, tensor_arg
from .._tensor import Tensor
from .data_type import _shape_arg, result_type

__all__ = ["concat", "expand_dims", "flip", "permute_dims", "reshape", "squeeze", "stack", "tile"]


def _axis(axis: Any, ndim: int, where: str) -> int:
    if type(axis) is not int:
        try:
            axis = axis.__index__()
        except AttributeError:
            raise TypeError(f"{where}: axis must be an int, got {type(axis).__name__}") from None
    if not -ndim <= axis < ndim:
        raise IndexError(f"{where}: axis {axis} is out of range for {ndim} dimensions")
    return int(axis % ndim)


def _axes(axes: Any, ndim: int, where: str) -> tuple[int, ...]:
    if axes is None:
        return tuple(range(ndim))
    seq = (axes,) if not isinstance(axes, (tuple, list)) else tuple(axes)
    out = tuple(_axis(a, ndim, where) for a in seq)
    if len(set(out)) != len(out):
        raise ValueError(f"{where}: repeated axis in {axes}")
    return out


def reshape(x: Any, /, shape: Any, *, copy: bool | None = None) -> Tensor:
    """``x``'s elements in a new shape (one dimension may be -1)."""
    x = tensor_arg(x, "reshape")
    shp = _shape_arg(shape, "reshape")
    if shp.count(-1) > 1 or any(s < -1 for s in shp):
        raise ValueError(f"reshape: invalid shape {shp}")
    try:
        return apply("reshape", x, shp, copy=copy, view=True)  # type: ignore[no-any-return]
    except ValueError:
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {x.shape} into {shp}"
        ) from None


def squeeze(x: Any, /, axis: Any = None) -> Tensor:
    """``x`` without the size-1 axes ``axis`` (all of them when None)."""
    # Note: the standard requires axis; None (every size-1 axis) is TensorFlow's default.
    x = tensor_arg(x, "squeeze")
    axes = (
        tuple(i for i, s in enumerate(x.shape) if s == 1)
        if axis is None
        else _axes(axis, x.ndim, "squeeze")
    )
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} has size {x.shape[a]}, not 1")
    return apply("squeeze", x, axes, view=True)  # type: ignore[no-any-return]


def expand_dims(x: Any, /, axis: int = 0) -> Tensor:
    """``x`` with a new size-1 axis at ``axis``."""
    x = tensor_arg(x, "expand_dims")
    a = _axis(axis, x.ndim + 1, "expand_dims")
    return apply("expand_dims", x, axis=a, view=True)  # type: ignore[no-any-return]


def permute_dims(x: Any, /, axes: Any) -> Tensor:
    """``x`` with its axes reordered (TensorFlow's ``transpose`` with ``perm``)."""
    x = tensor_arg(x, "permute_dims")
    perm = _axes(axes, x.ndim, "permute_dims")
    if len(perm) != x.ndim:
        raise ValueError(f"permute_dims: axes {axes} is not a permutation of {x.ndim} axes")
    return apply("permute_dims", x, perm, view=True)  # type: ignore[no-any-return]


def flip(x: Any, /, *, axis: Any = None) -> Tensor:
    """``x`` reversed along ``axis`` (all axes when None)."""
    x = tensor_arg(x, "flip")
    axes = None if axis is None else _axes(axis, x.ndim, "flip")
    return apply("flip", x, axis=axes, view=True)  # type: ignore[no-any-return]


def tile(x: Any, repetitions: Any, /) -> Tensor:
    """``x`` repeated ``repetitions[i]`` times along each axis."""
    x = tensor_arg(x, "tile")
    reps = _shape_arg(repetitions, "tile")
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: repetitions must be non-negative, got {reps}")
    return apply("tile", x, reps)  # type: ignore[no-any-return]


def _joined(name: str, arrays: Any) -> list[Tensor]:
    if not isinstance(arrays, (list, tuple)) or not arrays:
        raise TypeError(f"{name}: expected a non-empty list or tuple of tensors")
    ts = [tensor_arg(a, name) for a in arrays]
    check_same_device(name, *ts)
    result_type(*ts)  # strict: one dtype; standard: the promotion table
    return ts


def concat(arrays: Any, /, *, axis: int | None = 0) -> Tensor:
    """The tensors joined along an existing axis (flattened first when ``axis`` is None)."""
    ts = _joined("concat", arrays)
    dt = result_type(*ts)
    from .data_type import astype

    ts = [t if t._dtype is dt else astype(t, dt) for t in ts]
    if axis is not None:
        nd = ts[0].ndim
        if any(t.ndim != nd for t in ts):
            raise ValueError("concat: all tensors must have the same number of dimensions")
        axis = _axis(axis, max(nd, 1), "concat")
    try:
        r = ts[0]._dev.fns["concat"]([t._data for t in ts], axis=axis)
    except ValueError as exc:
        raise ValueError(f"concat: {exc}") from None
    return Tensor._new(r, dt, ts[0]._dev)


def stack(arrays: Any, /, *, axis: int = 0) -> Tensor:
    """The tensors (all of one shape) joined along a new axis."""
    ts = _joined("stack", arrays)
    dt = result_type(*ts)
    from .data_type import astype

    ts = [t if t._dtype is dt else astype(t, dt) for t in ts]
    if any(t.shape != ts[0].shape for t in ts):
        raise ValueError(
            f"stack: all tensors must have the same shape, got {[t.shape for t in ts]}"
        )
    a = _axis(axis, ts[0].ndim + 1, "stack")
    return Tensor._new(ts[0]._dev.fns["stack"]([t._data for t in ts], axis=a), dt, ts[0]._dev)
