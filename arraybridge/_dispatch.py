"""The one place an op reaches a backend: check dtypes, unwrap, call, wrap.

An op is data (:class:`Op`): its spec name, the dtype category it accepts and how its
result dtype follows from its input dtype. ``unary`` and ``binary`` turn an Op into the
public function; their first branch is the hot path (tensors of one dtype on one
device: a few attribute reads, one dict lookup, one backend call) and everything else
(scalars, lists, NumPy arrays, mixed dtypes, errors) falls to the slow path.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Final, NoReturn, TypeVar

from . import _config, _dtypes, _recording
from ._convert import convert, operand, weak_dtype
from ._dtypes import CATEGORIES, DType
from ._errors import DTypeError
from ._tensor import Tensor
from .backend._runtime import REAL

__all__ = [
    "OPS",
    "Op",
    "apply",
    "binary",
    "category_error",
    "check_same_device",
    "primitive",
    "unary",
    "unify",
    "wrap",
]

_new = object.__new__
_PY = (bool, int, float, complex)
_ACTIVE = _recording.ACTIVE
_INT64_MAX = 2**63 - 1
_EXACT = 2**53  # the integers every float64 holds exactly


class Op:
    """One operation of the namespace: name, accepted dtypes, result dtype rule."""

    __slots__ = ("category", "doc", "name", "out", "view")

    def __init__(
        self,
        name: str,
        category: str,
        result: Callable[[DType], DType] | None,
        doc: str,
        view: bool = False,
    ) -> None:
        self.name = name
        self.category = category
        self.doc = doc
        self.view = view
        # accepted input dtype -> result dtype, precomputed for the hot path
        self.out: dict[DType, DType] = {
            d: (d if result is None else result(d)) for d in CATEGORIES[category]
        }

    def __repr__(self) -> str:
        return f"Op({self.name!r}, {self.category!r})"


OPS: Final[dict[str, Op]] = {}


def category_error(op: str, category: str, dtype: DType) -> DTypeError:
    """The error for a dtype outside the op's category."""
    return DTypeError(f"{op}: expected a tensor of {category} dtype, got {dtype}")


def check_same_device(op: str, *xs: Tensor) -> None:
    """Raise ValueError unless all tensors share one backend and device."""
    dev = xs[0]._dev
    for x in xs[1:]:
        if x._dev is not dev:
            raise ValueError(
                f"{op}: tensors are on different devices ({dev} and {x._dev}); "
                f"move one explicitly with ab.asarray(x, device=...) or x.to_device(...)"
            )


def wrap(data: Any, dtype: DType, like: Tensor) -> Tensor:
    """A new tensor of native ``data`` on ``like``'s device."""
    t: Tensor = _new(Tensor)
    t._node = None
    t._data = data
    t._dtype = dtype
    t._dev = like._dev
    t._shared = False
    return t


def _signature(params: str) -> inspect.Signature:
    P = inspect.Parameter
    return inspect.Signature(
        [P(p, P.POSITIONAL_ONLY) for p in params.split()], return_annotation="Tensor"
    )


def _finish(fn: Callable[..., Tensor], op: Op, params: str) -> None:
    fn.__name__ = fn.__qualname__ = op.name
    fn.__doc__ = op.doc
    fn.__module__ = "arraybridge"
    fn.__signature__ = _signature(params)  # type: ignore[attr-defined]
    OPS[op.name] = op


def unary(
    name: str,
    category: str,
    doc: str,
    *,
    result: Callable[[DType], DType] | None = None,
    view: bool = False,
) -> Callable[[Any], Tensor]:
    """The public function for a one-argument elementwise op."""
    op = Op(name, category, result, doc, view)
    # the fast path takes real inputs, calling the backend's function for them (REAL)
    real = {d: r for d, r in op.out.items() if d._kind != "c"}
    key = name + REAL

    def fn(x: Any, /, *, _raw: bool = False) -> Tensor:
        if _ACTIVE[0] and not _raw:
            return _recording.record(name, fn, (x,), {})  # type: ignore[no-any-return]
        if type(x) is not Tensor:
            x = _coerce_one(x, op)
        dt = real.get(x._dtype)
        if dt is None:
            return _unary_other(op, x)
        dev = x._dev
        xd = x._data
        try:
            r = dev.hot[key](xd)
        except RuntimeError:  # see Device.hot
            r = dev.fns[key](xd)
        t: Tensor = _new(Tensor)
        t._node = None
        t._data = r
        t._dtype = dt
        t._dev = dev
        t._shared = False
        if r is xd or (view and dev.backend.may_alias(r, xd)):
            x._shared = t._shared = True
        return t

    _finish(fn, op, "x")
    return fn


def _unary_other(op: Op, x: Tensor) -> Tensor:
    """A unary op on a complex tensor (the backend's function for every input), or the
    category error."""
    dt = op.out.get(x._dtype)
    if dt is None:
        raise category_error(op.name, op.category, x._dtype)
    t: Tensor = apply(op.name, x, view=op.view, out_dtype=dt)
    if t._data is x._data:
        x._shared = t._shared = True
    return t


def _coerce_one(x: Any, op: Op) -> Tensor:
    if isinstance(x, Tensor):
        return x  # a Tensor subclass (e.g. a Variable's snapshot)
    return convert(x, op.name)


def binary(
    name: str,
    category: str,
    doc: str,
    *,
    result: Callable[[DType], DType] | None = None,
    scalars: bool = True,
) -> Callable[[Any, Any], Tensor]:
    """The public function for a two-argument elementwise op (broadcasting, promotion)."""
    op = Op(name, category, result, doc)
    out = op.out

    def fn(x1: Any, x2: Any, /, *, _raw: bool = False) -> Tensor:
        if _ACTIVE[0] and not _raw:
            return _recording.record(name, fn, (x1, x2), {})  # type: ignore[no-any-return]
        if type(x1) is Tensor and type(x2) is Tensor:
            d = x1._dtype
            dt = out.get(d)
            dev = x1._dev
            if dt is not None and d is x2._dtype and dev is x2._dev:
                t: Tensor = _new(Tensor)
                t._node = None
                try:
                    t._data = dev.hot[name](x1._data, x2._data)
                except (TypeError, ValueError) as exc:
                    _failed(name, x1, x2, exc)
                except RuntimeError:  # see Device.hot
                    t._data = _call(dev, name, x1, x2)
                t._dtype = dt
                t._dev = dev
                t._shared = False
                return t
        elif scalars:
            # a real floating tensor and a Python float (or an int a float holds exactly):
            # the scalar is weak, so the tensor's dtype is kept; nothing to convert or check
            if type(x1) is Tensor:
                t1, s, first = x1, x2, False
            else:
                t1, s, first = x2, x1, True
            ts = type(s)
            if (
                type(t1) is Tensor
                and t1._dtype._kind == "f"
                and (ts is float or (ts is int and -_EXACT <= s <= _EXACT))
            ):
                dt = out.get(t1._dtype)
                if dt is not None:
                    dev = t1._dev
                    f = dev.hot[name]
                    t = _new(Tensor)
                    t._node = None
                    try:
                        t._data = f(s, t1._data) if first else f(t1._data, s)
                    except RuntimeError:  # see Device.hot
                        f = dev.fns[name]
                        t._data = f(s, t1._data) if first else f(t1._data, s)
                    t._dtype = dt
                    t._dev = dev
                    t._shared = False
                    return t
        return _binary_slow(op, x1, x2, scalars)

    _finish(fn, op, "x1 x2")
    return fn


def _binary_slow(op: Op, x1: Any, x2: Any, scalars: bool) -> Tensor:
    name = op.name
    t1, t2 = isinstance(x1, Tensor), isinstance(x2, Tensor)
    if t1 and t2:
        pass
    elif t1 or t2:
        like: Tensor = x1 if t1 else x2
        other = x2 if t1 else x1
        if type(other) in _PY:
            if not scalars:
                raise TypeError(f"{name}: Python scalars are not accepted; pass tensors")
            return _with_scalar(op, like, other, scalar_first=not t1)
        conv = operand(other, like, name)
        x1, x2 = (like, conv) if t1 else (conv, like)
    else:
        if type(x1) in _PY and type(x2) in _PY:
            x1 = convert(x1, name)
            return (
                _with_scalar(op, x1, x2, scalar_first=False)
                if scalars
                else _binary_slow(op, x1, convert(x2, name), scalars)
            )
        x1 = convert(x1, name) if type(x1) not in _PY else x1
        x2 = convert(x2, name) if type(x2) not in _PY else x2
        return _binary_slow(op, x1, x2, scalars)
    check_same_device(name, x1, x2)
    d1, d2 = x1._dtype, x2._dtype
    out = op.out
    if d1 not in out:
        raise category_error(name, op.category, d1)
    if d2 not in out:
        raise category_error(name, op.category, d2)
    if d1 is not d2:
        if not _config.is_standard():
            raise _dtypes.strict_mismatch(name, (d1, d2))
        common = _dtypes.promote(d1, d2, name)
        if common not in out:
            raise category_error(name, op.category, common)
        from .ops.data_type import astype

        x1 = astype(x1, common) if d1 is not common else x1
        x2 = astype(x2, common) if d2 is not common else x2
        d1 = common
    dev = x1._dev
    try:
        data = dev.fns[name](x1._data, x2._data)
    except (TypeError, ValueError) as exc:
        _failed(name, x1, x2, exc)
    return wrap(data, out[d1], x1)


def _call(dev: Any, name: str, x1: Tensor, x2: Tensor) -> Any:
    """``fns[name]`` on two tensors, as the fast path would have called it."""
    try:
        return dev.fns[name](x1._data, x2._data)
    except (TypeError, ValueError) as exc:
        _failed(name, x1, x2, exc)


def _failed(name: str, x1: Tensor, x2: Tensor, exc: Exception) -> NoReturn:
    """Re-raise a backend's failure; as a ``ValueError`` naming ``name`` for bad shapes."""
    # Note: backends disagree on the exception for shapes that do not broadcast (NumPy raises
    # ValueError, JAX TypeError); the check runs only after the backend call failed.
    s1, s2 = x1.shape, x2.shape
    for a, b in zip(reversed(s1), reversed(s2), strict=False):
        if a != b and a != 1 and b != 1:
            raise ValueError(f"{name}: shapes {s1} and {s2} do not broadcast") from exc
    _pow_failed(name, x1, exc)
    raise exc


def _pow_failed(name: str, x: Tensor, exc: Exception) -> None:
    # Note: NumPy refuses integers to negative integer powers with its own ValueError text
    # (the JAX plugin raises this one); the message is ours on every backend
    if name == "pow" and isinstance(exc, ValueError) and x._dtype._kind in "iu":
        raise ValueError("pow: integer tensors to negative integer powers are not allowed") from exc


def _with_scalar(op: Op, x: Tensor, s: bool | int | float | complex, scalar_first: bool) -> Tensor:
    name = op.name
    out = op.out
    if x._dtype not in out:
        raise category_error(name, op.category, x._dtype)
    target = weak_dtype(s, x._dtype, name)
    if target is not x._dtype:  # a complex scalar with a real tensor (standard semantics)
        if target not in out:
            raise category_error(name, op.category, target)
        from .ops.data_type import astype

        x = astype(x, target)
    # Note: backends take Python scalars as weak operands (NEP 50), so the scalar is
    # passed as it is; its kind and range were checked above. An int beyond int64 (it fits
    # only uint64) goes as a 0-d array of x's dtype: JAX parses Python ints as int64.
    if type(s) is int and s > _INT64_MAX:
        be = x._dev.backend
        s = be.asarray(s, be.to_native[x._dtype], x._dev.id, None)
    f = x._dev.fns[name]
    try:
        r = f(s, x._data) if scalar_first else f(x._data, s)
    except ValueError as exc:
        _pow_failed(name, x, exc)
        raise
    return wrap(r, out[target], x)


def apply(
    name: str,
    x: Tensor,
    *args: Any,
    view: bool = False,
    out_dtype: DType | None = None,
    **kwargs: Any,
) -> Any:
    """Call backend function ``name`` on ``x`` (and plain extra arguments) and wrap.

    Results (a native array, or a tuple of them) take their dtype from the native result
    unless ``out_dtype`` is given. With ``view=True`` the results may alias ``x``.
    """
    dev = x._dev
    try:
        r = dev.hot[name](x._data, *args, **kwargs)
    except RuntimeError:  # see Device.hot
        r = dev.fns[name](x._data, *args, **kwargs)
    if view or isinstance(r, tuple):
        return _wrap_result(r, x, view, out_dtype)
    t: Tensor = _new(Tensor)
    t._node = None
    t._data = r
    t._dtype = out_dtype if out_dtype is not None else dev.backend.from_native[r.dtype]
    t._dev = dev
    t._shared = False
    return t


def _wrap_result(r: Any, x: Tensor, view: bool, dtype: DType | None) -> Any:
    if isinstance(r, tuple):
        items = [_wrap_result(v, x, view, dtype) for v in r]
        return type(r)(*items) if hasattr(r, "_fields") else tuple(items)
    be = x._dev.backend
    dt = dtype if dtype is not None else be.from_native[r.dtype]
    t = wrap(r, dt, x)
    if view and (r is x._data or be.may_alias(r, x._data)):
        x._shared = t._shared = True
    return t


F = TypeVar("F", bound=Callable[..., Any])


def primitive(name: str | None = None) -> Callable[[F], F]:
    """Make ``fn`` a recorded op: under a recording tape it runs as one node of the graph.

    The op's VJP rules are registered under ``name`` (default: the function's name) with
    :func:`arraybridge.autodiff.defvjp`, next to the op.
    """

    def deco(f: F) -> F:
        op = name or f.__name__

        @functools.wraps(f)
        def fn(*args: Any, _raw: bool = False, **kwargs: Any) -> Any:
            if _ACTIVE[0] and not _raw:
                return _recording.record(op, fn, args, kwargs)
            return f(*args, **kwargs)

        return fn  # type: ignore[return-value]

    return deco


def unify(where: str, x1: Tensor, x2: Tensor) -> tuple[Tensor, Tensor]:
    """``x1`` and ``x2`` on one dtype: equal under strict semantics, promoted under standard."""
    d1, d2 = x1._dtype, x2._dtype
    if d1 is d2:
        return x1, x2
    if not _config.is_standard():
        raise _dtypes.strict_mismatch(where, (d1, d2))
    common = _dtypes.promote(d1, d2, where)
    from .ops.data_type import astype

    return (x1 if d1 is common else astype(x1, common)), (
        x2 if d2 is common else astype(x2, common)
    )


def tensor_arg(x: Any, where: str) -> Tensor:
    """``x`` as a tensor (converting arrays, scalars and lists by asarray's rules)."""
    if isinstance(x, Tensor):
        return x
    return convert(x, where)


def check_category(x: Tensor, category: str, where: str) -> None:
    """Raise DTypeError unless ``x``'s dtype is in the spec category ``category``."""
    if x._dtype not in CATEGORIES[category]:
        raise category_error(where, category, x._dtype)
