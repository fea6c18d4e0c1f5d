"""Testing helpers: ``check_grads`` compares reverse-mode gradients with central differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._dtypes import COMPLEX_FLOATING, FLOATING
from ._tensor import Tensor
from .autodiff._functional import vjp
from .autodiff._tree import flatten

__all__ = ["check_grads", "check_vjp"]

_WIDE = {"float32": "float64", "complex64": "complex128"}


def _wide(x: Any) -> Any:
    """``x`` in float64 / complex128 (other dtypes and non-tensors as they are)."""
    from .ops.data_type import astype

    if isinstance(x, Tensor) and x.dtype.name in _WIDE:
        from . import _dtypes

        return astype(x, getattr(_dtypes, _WIDE[x.dtype.name]))
    return x


def _random_like(x: Tensor, rng: np.random.Generator) -> Tensor:
    from .ops.creation import asarray

    shape = x.shape
    v = rng.standard_normal(shape)
    if x.dtype in COMPLEX_FLOATING:
        v = v + 1j * rng.standard_normal(shape)
    return asarray(np.asarray(v, dtype=x.dtype.name), device=x.device)


def _pair(a: Sequence[Any], b: Sequence[Any]) -> float:
    """sum(real(a * b)) over matching tensors: the pairing VJPs transpose under."""
    total = 0.0
    for x, y in zip(a, b, strict=True):
        if x is None or y is None:
            continue
        total += float(np.real(np.sum(np.asarray(x) * np.asarray(y))))
    return total


def _differentiable(x: Any) -> bool:
    return isinstance(x, Tensor) and x.dtype in FLOATING


def check_vjp(
    f: Callable[..., Any],
    args: Sequence[Any],
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    seed: int = 0,
) -> None:
    """Check ``vjp(f)`` at ``args`` against central differences along a random direction.

    For random cotangent ``u`` and direction ``v``: ``<vjp(u), v>`` must equal
    ``<u, (f(x + eps v) - f(x - eps v)) / (2 eps)>``; raises AssertionError otherwise.
    """
    rng = np.random.default_rng(seed)
    args = [_wide(a) for a in args]
    idx = [i for i, a in enumerate(args) if _differentiable(a)]
    if not idx:
        raise ValueError("check_vjp: no floating-point tensor among the arguments")

    def g(*xs: Any) -> Any:
        full = list(args)
        for i, x in zip(idx, xs, strict=True):
            full[i] = x
        return f(*full)

    primals = [args[i] for i in idx]
    out, vjp_fn = vjp(g, *primals)
    outs = flatten(out)
    us = [_random_like(o, rng) if _differentiable(o) else None for o in outs]
    cts = vjp_fn(_unflat_like(out, us))
    vs = [_random_like(p, rng) for p in primals]
    plus = flatten(g(*[p + eps * v for p, v in zip(primals, vs, strict=True)]))
    minus = flatten(g(*[p - eps * v for p, v in zip(primals, vs, strict=True)]))
    jv = [
        (np.asarray(a, dtype=np.result_type(np.asarray(a).dtype, np.float64)) - np.asarray(b))
        / (2 * eps)
        if u is not None
        else None
        for a, b, u in zip(plus, minus, us, strict=True)
    ]
    lhs = _pair(cts, vs)
    rhs = _pair(us, jv)
    if not abs(lhs - rhs) <= atol + rtol * max(abs(lhs), abs(rhs)):
        name = getattr(f, "__name__", "f")
        raise AssertionError(
            f"check_vjp({name}): reverse mode gives <vjp(u), v> = {lhs!r}, central "
            f"differences <u, J v> = {rhs!r} (eps={eps}, difference {abs(lhs - rhs):.3g})"
        )


def _unflat_like(out: Any, leaves: list[Any]) -> Any:
    from .autodiff._tree import unflatten
    from .ops.creation import zeros_like

    filled = [
        u if u is not None else zeros_like(o) for u, o in zip(leaves, flatten(out), strict=True)
    ]
    return unflatten(out, filled)


def check_grads(
    f: Callable[..., Any],
    args: Sequence[Any],
    order: int = 2,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    seed: int = 0,
) -> None:
    """Check ``f``'s reverse-mode derivatives at ``args`` up to ``order`` (as autograd does).

    Floating-point tensors among ``args`` are differentiated (in float64 / complex128);
    order 2 checks the VJP itself, as a function of the inputs and the cotangent, and so on.
    """
    if order < 1:
        raise ValueError(f"check_grads: order must be at least 1, got {order}")
    args = [_wide(a) for a in args]
    check_vjp(f, args, eps=eps, rtol=rtol, atol=atol, seed=seed)
    if order == 1:
        return
    rng = np.random.default_rng(seed + 1)
    idx = [i for i, a in enumerate(args) if _differentiable(a)]
    out = f(*args)
    outs = flatten(out)
    us = [_random_like(o, rng) if _differentiable(o) else None for o in outs]

    def vjp_of_f(*xs_and_us: Any) -> Any:
        xs, given = xs_and_us[: len(idx)], list(xs_and_us[len(idx) :])
        full = list(args)
        for i, x in zip(idx, xs, strict=True):
            full[i] = x
        it = iter(given)
        u_full = [next(it) if u is not None else None for u in us]

        def h(*ps: Any) -> Any:
            inner = list(full)
            for i, p in zip(idx, ps, strict=True):
                inner[i] = p
            return f(*inner)

        o, fn = vjp(h, *[full[i] for i in idx])
        return tuple(fn(_unflat_like(o, u_full)))

    vjp_of_f.__name__ = f"vjp({getattr(f, '__name__', 'f')})"
    check_grads(
        vjp_of_f,
        [args[i] for i in idx] + [u for u in us if u is not None],
        order - 1,
        eps=eps,
        rtol=rtol,
        atol=atol,
        seed=seed + 2,
    )
