"""Manipulation functions (the standard's "Manipulation Functions" chapter)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtypes, _limits
from .._dispatch import apply, category_error, check_same_device, primitive, tensor_arg, wrap
from .._tensor import Tensor
from ..autodiff._rules import defvjp
from .data_type import _result_type, _shape_arg

__all__ = [
    "concat",
    "expand_dims",
    "flip",
    "moveaxis",
    "permute_dims",
    "repeat",
    "reshape",
    "roll",
    "squeeze",
    "stack",
    "tile",
    "unstack",
]


def _int(value: Any, what: str, where: str) -> int:
    """``value`` as a Python int (anything with ``__index__`` except bools)."""
    if type(value) is int:
        return value
    if isinstance(value, bool):
        raise TypeError(f"{where}: {what} must be an int, got a bool")
    try:
        return int(value.__index__())
    except (AttributeError, TypeError):
        raise TypeError(f"{where}: {what} must be an int, got {type(value).__name__}") from None


def _axis(axis: Any, ndim: int, where: str) -> int:
    if type(axis) is not int:
        axis = _int(axis, "axis", where)
    if not -ndim <= axis < ndim:
        raise IndexError(f"{where}: axis {axis} is out of range for {ndim} dimensions")
    return int(axis % ndim)


def _axis_seq(axes: Any, ndim: int, where: str) -> tuple[int, ...]:
    """An int or a tuple/list of ints as unique normalised axes (None is not accepted)."""
    if type(axes) is tuple:
        seq = axes
    else:
        seq = tuple(axes) if isinstance(axes, tuple | list) else (axes,)
    # (a loop, not a generator: this runs on every reduction with an axis)
    out = tuple([a if type(a) is int and 0 <= a < ndim else _axis(a, ndim, where) for a in seq])
    if len(out) > 1 and len(set(out)) != len(out):
        raise ValueError(f"{where}: repeated axis in {axes}")
    return out


def _axes(axes: Any, ndim: int, where: str) -> tuple[int, ...]:
    if axes is None:
        return tuple(range(ndim))
    return _axis_seq(axes, ndim, where)


def _int_bounds(t: Tensor) -> tuple[int, int]:
    """The smallest and largest values of a non-empty integer tensor, as Python ints."""
    fns = t._dev.fns
    return int(fns["min"](t._data)), int(fns["max"](t._data))


@primitive()
def reshape(x: Any, /, shape: Any, *, copy: bool | None = None) -> Tensor:
    """``x``'s elements in a new shape (one dimension may be -1)."""
    x = tensor_arg(x, "reshape")
    shp = _shape_arg(shape, "reshape")
    if copy is not None and copy is not True and copy is not False:
        raise TypeError(f"reshape: copy must be True, False or None, got {copy!r}")
    if shp.count(-1) > 1 or any(s < -1 for s in shp):
        raise ValueError(f"reshape: invalid shape {shp}")
    known = 1
    for s in shp:
        if s != -1:
            known *= s
    size = x.size
    if (-1 in shp and (known == 0 or size % known)) or (-1 not in shp and known != size):
        raise ValueError(f"reshape: cannot reshape a tensor of shape {x.shape} into {shp}")
    try:
        return apply("reshape", x, shp, copy=copy, view=True)  # type: ignore[no-any-return]
    except ValueError as exc:
        # the shapes fit (checked above): only copy=False can have failed
        raise ValueError(
            f"reshape: a tensor of shape {x.shape} cannot be reshaped into {shp} without a "
            f"copy, copy=False given ({exc})"
        ) from None


@primitive()
def squeeze(x: Any, /, axis: Any = None) -> Tensor:
    """``x`` without the size-1 axes ``axis`` (all of them when None)."""
    # Note: the standard requires axis; None (every size-1 axis) is TensorFlow's default,
    # kept as an extension.
    x = tensor_arg(x, "squeeze")
    axes = (
        tuple(i for i, s in enumerate(x.shape) if s == 1)
        if axis is None
        else _axis_seq(axis, x.ndim, "squeeze")
    )
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} has size {x.shape[a]}, not 1")
    return apply("squeeze", x, axes, view=True)  # type: ignore[no-any-return]


@primitive()
def expand_dims(x: Any, /, axis: Any) -> Tensor:
    """``x`` with new size-1 axes at the positions ``axis`` (an int or a tuple of ints).

    Positions count in the result, which has ``x.ndim + len(axis)`` dimensions.
    """
    x = tensor_arg(x, "expand_dims")
    seq = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    m = x.ndim + len(seq)
    new = set(_axis_seq(seq, m, "expand_dims"))
    sizes = iter(x.shape)
    shape = tuple(1 if i in new else next(sizes) for i in range(m))
    return apply("reshape", x, shape, view=True)  # type: ignore[no-any-return]


@primitive()
def permute_dims(x: Any, /, axes: Any) -> Tensor:
    """``x`` with its axes reordered (TensorFlow's ``transpose`` with ``perm``)."""
    x = tensor_arg(x, "permute_dims")
    perm = _axis_seq(axes, x.ndim, "permute_dims")
    if len(perm) != x.ndim:
        raise ValueError(f"permute_dims: axes {axes} is not a permutation of {x.ndim} axes")
    return apply("permute_dims", x, perm, view=True)  # type: ignore[no-any-return]


@primitive()
def moveaxis(x: Any, source: Any, destination: Any, /) -> Tensor:
    """``x`` with axes ``source`` moved to positions ``destination``, the others in order."""
    x = tensor_arg(x, "moveaxis")
    nd = x.ndim
    src = _axis_seq(source, nd, "moveaxis")
    dst = _axis_seq(destination, nd, "moveaxis")
    if len(src) != len(dst):
        raise ValueError(
            f"moveaxis: source {source} and destination {destination} must have the same "
            "number of axes"
        )
    order = [a for a in range(nd) if a not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return apply("permute_dims", x, tuple(order), view=True)  # type: ignore[no-any-return]


@primitive()
def flip(x: Any, /, *, axis: Any = None) -> Tensor:
    """``x`` reversed along ``axis`` (all axes when None)."""
    x = tensor_arg(x, "flip")
    axes = None if axis is None else _axis_seq(axis, x.ndim, "flip")
    return apply("flip", x, axis=axes, view=True)  # type: ignore[no-any-return]


@primitive()
def roll(x: Any, /, shift: Any, *, axis: Any = None) -> Tensor:
    """``x`` with its elements shifted by ``shift`` places along ``axis``, wrapping around.

    With ``axis`` None the tensor is rolled as if flattened. A tuple ``shift`` needs a
    tuple ``axis`` of the same length; an int ``shift`` applies to every axis given.
    """
    x = tensor_arg(x, "roll")
    many = isinstance(shift, (tuple, list))
    shifts = (
        tuple(_int(s, "shift", "roll") for s in shift) if many else (_int(shift, "shift", "roll"),)
    )
    if axis is None:
        if many:
            raise ValueError("roll: a tuple shift needs a tuple axis of the same length")
        n = x.size
        r = x._dev.fns["roll"](x._data, shifts[0] % n if n else 0)
        return wrap(r, x._dtype, x)
    seq = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    axes = tuple(_axis(a, x.ndim, "roll") for a in seq)
    if many and len(shifts) != len(axes):
        raise ValueError(f"roll: shift {tuple(shifts)} and axis {axis} must have the same length")
    if not many:
        shifts = shifts * len(axes)
    # Note: a repeated axis adds its shifts up, as in NumPy, PyTorch and JAX.
    total: dict[int, int] = {}
    for a, s in zip(axes, shifts, strict=True):
        total[a] = total.get(a, 0) + s
    ax = tuple(total)
    sh = tuple(s % x.shape[a] if x.shape[a] else 0 for a, s in total.items())
    if not ax:
        return wrap(x._dev.backend.copy(x._data), x._dtype, x)
    return wrap(x._dev.fns["roll"](x._data, sh, axis=ax), x._dtype, x)


@primitive()
def repeat(x: Any, repeats: Any, /, *, axis: int | None = None) -> Tensor:
    """Each element of ``x`` repeated ``repeats`` times along ``axis``.

    ``repeats`` is an int or a 1-D integer tensor of length 1 or ``x.shape[axis]``; with
    ``axis`` None ``x`` is flattened first (row-major) and the result is 1-D. A tensor
    ``repeats`` makes the result's shape depend on its values, which synchronises with an
    accelerator.
    """
    where = "repeat"
    x = tensor_arg(x, where)
    if axis is None:
        ax = None
        size = x.size
    else:
        ax = _axis(axis, x.ndim, where)
        size = x.shape[ax]
    reps: Any
    if not isinstance(repeats, (int, np.integer)):
        r = tensor_arg(repeats, where)
        check_same_device(where, x, r)
        if r._dtype not in _dtypes.INTEGER:
            raise category_error(f"{where} (repeats)", "integer", r._dtype)
        if r.ndim != 1 or r.shape[0] not in (1, size):
            raise ValueError(
                f"{where}: repeats must be an int or a 1-D tensor of length 1 or {size}, "
                f"got shape {r.shape}"
            )
        if r.size:
            lo, hi = _int_bounds(r)
            if lo < 0:
                raise ValueError(f"{where}: repeats must be non-negative, got {lo}")
            if hi > 2**63 - 1:
                raise ValueError(f"{where}: repeats value {hi} is too large")
        if r._dtype is not _dtypes.DEFAULT_INDEX:
            from .data_type import astype

            r = astype(r, _dtypes.DEFAULT_INDEX)
        reps = r._data
        # the result's length (in float64: only its size against the limit matters)
        counts = x._dev.backend.to_numpy(reps)
        n = float(counts.sum(dtype=np.float64)) * (1 if counts.shape[0] == size else size)
        length = min(int(n), 2**64)
    else:  # a Python or NumPy int (a bool raises)
        reps = _int(repeats, "repeats", where)
        if reps < 0:
            raise ValueError(f"{where}: repeats must be non-negative, got {reps}")
        length = reps * size
    out = (length,) if ax is None else (*x.shape[:ax], length, *x.shape[ax + 1 :])
    _limits.check(where, out, x._dtype, x._dev)
    return wrap(x._dev.fns["repeat"](x._data, reps, axis=ax), x._dtype, x)


@primitive()
def tile(x: Any, repetitions: Any, /) -> Tensor:
    """``x`` repeated ``repetitions[i]`` times along each axis."""
    x = tensor_arg(x, "tile")
    reps = _shape_arg(repetitions, "tile")
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: repetitions must be non-negative, got {reps}")
    nd = max(x.ndim, len(reps))
    padded = (1,) * (nd - len(reps)) + reps
    xs = (1,) * (nd - x.ndim) + x.shape
    _limits.check("tile", tuple(a * b for a, b in zip(xs, padded, strict=True)), x._dtype, x._dev)
    return apply("tile", x, reps)  # type: ignore[no-any-return]


@primitive()
def unstack(x: Any, /, *, axis: int = 0) -> tuple[Tensor, ...]:
    """The slices of ``x`` along ``axis``, as a tuple of tensors (views)."""
    x = tensor_arg(x, "unstack")
    a = _axis(axis, x.ndim, "unstack")
    return tuple(apply("unstack", x, axis=a, view=True))


def _joined(name: str, arrays: Any) -> tuple[list[Tensor], _dtypes.DType]:
    if not isinstance(arrays, (list, tuple)) or not arrays:
        raise TypeError(f"{name}: expected a non-empty list or tuple of tensors")
    ts = [tensor_arg(a, name) for a in arrays]
    check_same_device(name, *ts)
    dt = _result_type(name, tuple(ts))  # strict: one dtype; standard: the promotion table
    if any(t._dtype is not dt for t in ts):
        from .data_type import astype

        ts = [t if t._dtype is dt else astype(t, dt) for t in ts]
    return ts, dt


@primitive()
def concat(arrays: Any, /, *, axis: int | None = 0) -> Tensor:
    """The tensors joined along an existing axis (flattened first when ``axis`` is None)."""
    ts, dt = _joined("concat", arrays)
    if axis is not None:
        nd = ts[0].ndim
        if any(t.ndim != nd for t in ts):
            raise ValueError("concat: all tensors must have the same number of dimensions")
        if nd == 0:
            raise ValueError("concat: 0-d tensors cannot be joined along an axis")
        axis = _axis(axis, nd, "concat")
        s0 = ts[0].shape
        for t in ts[1:]:
            if any(a != b for i, (a, b) in enumerate(zip(s0, t.shape, strict=True)) if i != axis):
                raise ValueError(f"concat: shapes {s0} and {t.shape} differ outside axis {axis}")
    # (one tensor listed many times can ask for more than memory)
    _limits.check("concat", (sum(t.size for t in ts),), dt, ts[0]._dev)
    r = ts[0]._dev.fns["concat"]([t._data for t in ts], axis=axis)
    return Tensor._new(r, dt, ts[0]._dev)


@primitive()
def stack(arrays: Any, /, *, axis: int = 0) -> Tensor:
    """The tensors (all of one shape) joined along a new axis."""
    ts, dt = _joined("stack", arrays)
    if any(t.shape != ts[0].shape for t in ts):
        raise ValueError(
            f"stack: all tensors must have the same shape, got {[t.shape for t in ts]}"
        )
    a = _axis(axis, ts[0].ndim + 1, "stack")
    _limits.check("stack", (len(ts), *ts[0].shape), dt, ts[0]._dev)
    return Tensor._new(ts[0]._dev.fns["stack"]([t._data for t in ts], axis=a), dt, ts[0]._dev)


# -- VJP rules --------------------------------------------------------------------------------


def _back_to_shape(g: Tensor, ans: Tensor, x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    return reshape(g, x.shape)


def _permute_dims_vjp(g: Tensor, ans: Tensor, x: Tensor, axes: Any) -> Tensor:
    perm = _axis_seq(axes, x.ndim, "permute_dims")
    return permute_dims(g, tuple(perm.index(i) for i in range(x.ndim)))


def _roll_vjp(g: Tensor, ans: Tensor, x: Tensor, shift: Any, axis: Any = None) -> Tensor:
    back = (
        tuple(-_int(s, "shift", "roll") for s in shift)
        if isinstance(shift, (tuple, list))
        else -_int(shift, "shift", "roll")
    )
    return roll(g, back, axis=axis)


def _repeat_vjp(g: Tensor, ans: Tensor, x: Tensor, repeats: Any, axis: Any = None) -> Tensor:
    from .statistical import sum as sum_

    shape = (x.size,) if axis is None else x.shape
    a = 0 if axis is None else _axis(axis, x.ndim, "repeat")
    n = shape[a]
    reps: int | None = None
    if isinstance(repeats, (int, np.integer)):
        reps = int(repeats)
    else:
        r = tensor_arg(repeats, "repeat")
        if r.shape[0] == 1:
            reps = int(r[0])
    if reps is not None:  # each element's copies are adjacent: sum them
        grouped = reshape(g, (*shape[:a], n, reps, *shape[a + 1 :]))
        return reshape(sum_(grouped, axis=a + 1), x.shape)
    from .creation import arange
    from .indexing import _segment_sum

    seg = repeat(arange(n, device=g._dev), r)  # the element each row of g came from
    out = _segment_sum(moveaxis(g, a, 0), seg, n)
    return reshape(moveaxis(out, 0, a), x.shape)


def _tile_vjp(g: Tensor, ans: Tensor, x: Tensor, repetitions: Any) -> Tensor:
    from .statistical import sum as sum_

    reps = _shape_arg(repetitions, "tile")
    d = max(len(reps), x.ndim)
    xs = (1,) * (d - x.ndim) + x.shape
    rs = (1,) * (d - len(reps)) + reps
    pairs = tuple(v for pair in zip(rs, xs, strict=True) for v in pair)
    return reshape(sum_(reshape(g, pairs), axis=tuple(range(0, 2 * d, 2))), x.shape)


def _unstack_vjp(g: tuple[Tensor, ...], ans: Any, x: Tensor, axis: int = 0) -> Tensor:
    return stack(list(g), axis=axis)


def _pieces(g: Tensor, arrays: Any, axis: Any, where: str) -> list[Tensor]:
    """``g`` cut into the cotangents of the joined ``arrays`` (shapes of the inputs)."""
    ts = [tensor_arg(a, where) for a in arrays]
    out = []
    start = 0
    if axis is None:
        for t in ts:
            out.append(reshape(g[start : start + t.size], t.shape))
            start += t.size
        return out
    a = _axis(axis, g.ndim, where)
    lead = (slice(None),) * a
    for t in ts:
        out.append(g[(*lead, slice(start, start + t.shape[a]))])
        start += t.shape[a]
    return out


def _stack_vjp(g: Tensor, ans: Tensor, arrays: Any, axis: int = 0) -> list[Tensor]:
    return list(unstack(g, axis=axis))


defvjp(reshape, _back_to_shape)
defvjp(squeeze, _back_to_shape)
defvjp(expand_dims, _back_to_shape)
defvjp(permute_dims, _permute_dims_vjp)
defvjp(moveaxis, lambda g, ans, x, source, destination: moveaxis(g, destination, source))
defvjp(flip, lambda g, ans, x, axis=None: flip(g, axis=axis))
defvjp(roll, _roll_vjp)
defvjp(repeat, _repeat_vjp)
defvjp(tile, _tile_vjp)
defvjp(unstack, _unstack_vjp)
defvjp(concat, lambda g, ans, arrays, axis=0: _pieces(g, arrays, axis, "concat"))
defvjp(stack, _stack_vjp)
