"""The functional API: ``grad``, ``value_and_grad``, ``vjp``, ``jvp``, ``jacobian``, ``hessian``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from .._dispatch import primitive, tensor_arg
from .._dtypes import FLOATING
from .._errors import an
from .._tensor import Tensor
from ._graph import _alias
from ._rules import defvjp
from ._tape import GradientTape
from ._tree import flatten, unflatten

__all__ = ["grad", "hessian", "jacobian", "jvp", "stop_gradient", "value_and_grad", "vjp"]


@primitive("_identity")
def _identity(x: Tensor, /) -> Tensor:
    """A new tensor object with ``x``'s values (a recorded op: gradients flow through)."""
    return _alias(x, None)


defvjp("_identity", lambda g, ans, x: g)


@primitive("stop_gradient")
def stop_gradient(x: Any, /) -> Tensor:
    """``x``'s values, with no gradient flowing back through them."""
    return _alias(x if type(x) is Tensor else tensor_arg(x, "stop_gradient"), None)


def _argnums(argnums: int | Sequence[int], n: int, where: str) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if not isinstance(i, int) or not -n <= i < n:
            raise ValueError(f"{where}: argnums {argnums!r} out of range for {n} arguments")
    return tuple(i % n for i in nums)


def _callable(fun: Any, where: str, has_aux: Any = False) -> None:
    if not callable(fun):
        raise TypeError(f"{where}: fun must be callable, got {type(fun).__name__}")
    if has_aux is not True and has_aux is not False:
        raise TypeError(f"{where}: has_aux must be a bool, got {type(has_aux).__name__}")


def _watched(tape: GradientTape, x: Any, where: str) -> Any:
    """Fresh tensors for the leaves of ``x``, watched by ``tape`` (outer tapes see through)."""
    from .._convert import convert

    leaves = []
    for leaf in flatten(x):
        t = leaf if isinstance(leaf, Tensor) else convert(leaf, where)
        if t._dtype not in FLOATING:
            raise TypeError(
                f"{where}: differentiable arguments must be floating-point, got {t._dtype} "
                "(convert with ab.astype)"
            )
        t = _identity(t)
        tape.watch(t)
        leaves.append(t)
    return unflatten(x, leaves)


def value_and_grad(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """``fun``'s value and its gradient with respect to the arguments ``argnums``.

    ``fun`` must return a scalar floating-point tensor (or ``(scalar, aux)`` with
    ``has_aux``). Arguments may be tensors, Python numbers or nested lists/tuples/dicts of
    tensors; the gradient has the same structure.
    """
    _callable(fun, "value_and_grad", has_aux)

    @functools.wraps(fun)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        where = f"value_and_grad({getattr(fun, '__name__', 'fun')})"
        nums = _argnums(argnums, len(args), where)
        with GradientTape() as tape:
            xs = list(args)
            for i in nums:
                xs[i] = _watched(tape, args[i], where)
            out = fun(*xs, **kwargs)
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError(f"{where}: with has_aux=True, fun must return (value, aux)")
            value, aux = out
        else:
            value = out
        if not isinstance(value, Tensor) or value.ndim != 0 or value._dtype._kind != "f":
            got = (
                f"{an(value.dtype)} tensor of shape {value.shape}"
                if isinstance(value, Tensor)
                else type(value).__name__
            )
            raise TypeError(
                f"{where}: fun must return a scalar real floating-point tensor, got {got}"
            )
        sources = [xs[i] for i in nums]
        grads = tape.gradient(value, sources, unconnected_gradients="zero")
        g = grads[0] if isinstance(argnums, int) else tuple(grads)
        return ((value, aux), g) if has_aux else (value, g)

    return wrapper


def grad(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The gradient of scalar-valued ``fun`` with respect to the arguments ``argnums``."""
    _callable(fun, "grad", has_aux)
    vg = value_and_grad(fun, argnums, has_aux)

    @functools.wraps(fun)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        (value, g) = vg(*args, **kwargs)
        if has_aux:
            return g, value[1]
        return g

    return wrapper


def vjp(fun: Callable[..., Any], *primals: Any, has_aux: bool = False) -> Any:
    """``(fun(*primals), vjp_fn)``; ``vjp_fn(cotangent)`` gives one cotangent per primal.

    The cotangent has the structure of ``fun``'s output; ``vjp_fn`` may be called any
    number of times (it holds the recorded computation until it is dropped).
    """
    _callable(fun, "vjp", has_aux)
    return _vjp(fun, primals, has_aux, f"vjp({getattr(fun, '__name__', 'fun')})")


def _vjp(fun: Callable[..., Any], primals: Sequence[Any], has_aux: bool, where: str) -> Any:
    tape = GradientTape(persistent=True)
    with tape:
        xs = [_watched(tape, p, where) for p in primals]
        out = fun(*xs)
    aux = None
    if has_aux:
        if not (isinstance(out, tuple) and len(out) == 2):
            raise TypeError(f"{where}: with has_aux=True, fun must return (value, aux)")
        out, aux = out

    def vjp_fn(cotangent: Any) -> tuple[Any, ...]:
        return tuple(
            tape.gradient(out, xs, output_gradients=cotangent, unconnected_gradients="zero")
        )

    return (out, vjp_fn, aux) if has_aux else (out, vjp_fn)


def jvp(fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> Any:
    """``(fun(*primals), J @ tangents)``: forward-mode product, by transposing the VJP."""
    from .._convert import convert
    from ..ops.creation import zeros_like

    _callable(fun, "jvp")
    where = f"jvp({getattr(fun, '__name__', 'fun')})"
    for value, label in ((primals, "primals"), (tangents, "tangents")):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{where}: {label} must be a list or tuple, got {type(value).__name__}")
    if len(primals) != len(tangents):
        raise ValueError(f"{where}: {len(primals)} primals but {len(tangents)} tangents")
    out, vjp_fn = _vjp(fun, primals, False, where)
    outs = flatten(out)
    with GradientTape() as tape:
        us = [_identity(zeros_like(o)) for o in outs]
        for u in us:
            tape.watch(u)
        cts = vjp_fn(unflatten(out, us))
    tans = [t if isinstance(t, Tensor) else convert(t, where) for t in flatten(list(tangents))]
    flat_cts = flatten(list(cts))
    # <vjp(u), t> is linear in u; its gradient in u is J t
    tan_out = tape.gradient(flat_cts, us, output_gradients=tans, unconnected_gradients="zero")
    return out, unflatten(out, tan_out)


def jacobian(fun: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Reverse-mode Jacobian: shape ``out.shape + arg.shape`` for each argument."""
    _callable(fun, "jacobian")

    @functools.wraps(fun)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        where = f"jacobian({getattr(fun, '__name__', 'fun')})"
        nums = _argnums(argnums, len(args), where)
        with GradientTape(persistent=True) as tape:
            xs = list(args)
            for i in nums:
                xs[i] = _watched(tape, args[i], where)
            out = fun(*xs, **kwargs)
        if not isinstance(out, Tensor):
            raise TypeError(f"{where}: fun must return a tensor, got {type(out).__name__}")
        jac = tape.jacobian(out, [xs[i] for i in nums], unconnected_gradients="zero")
        return jac[0] if isinstance(argnums, int) else tuple(jac)

    return wrapper


def hessian(fun: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The Hessian of scalar-valued ``fun``: the Jacobian of its gradient."""
    _callable(fun, "hessian")
    return jacobian(grad(fun, argnums), argnums)
