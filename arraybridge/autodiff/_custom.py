"""User-defined gradients: TensorFlow's ``custom_gradient`` and JAX's ``custom_vjp``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from .._tensor import Tensor
from . import _graph
from ._tape import GradientTape

__all__ = ["custom_gradient", "custom_vjp"]


def _tracked(args: tuple[Any, ...]) -> tuple[tuple[Any, ...], set[int], list[Any]] | None:
    """Frozen ``args`` and the ids of the recording tapes tracking them (None: not recording)."""
    st = _graph.current()
    if st.paused or not st.tapes:
        return None
    tapes = list(st.tapes)
    ids = {t._id for t in tapes}
    found: set[int] = set()
    fargs = tuple(_graph._freeze(a, ids, tapes, found) for a in args)
    return fargs, found, tapes


def _as_list(x: Any, n: int, where: str) -> list[Any]:
    items = list(x) if isinstance(x, list | tuple) else [x]
    if len(items) != n:
        raise ValueError(f"{where}: expected {n} gradients, got {len(items)}")
    return items


def custom_gradient(f: Callable[..., Any]) -> Callable[..., Any]:
    """TensorFlow's decorator: ``f`` returns ``(y, grad_fn)``; ``grad_fn(dy)`` gives the
    gradients of the inputs, and ``grad_fn(dy, variables=vs)`` ``(input_grads, var_grads)``
    when ``f`` reads trainable variables. Tensor arguments must be positional."""
    if not callable(f):
        raise TypeError(f"custom_gradient: f must be callable, got {type(f).__name__}")

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        where = f"custom_gradient({getattr(f, '__name__', 'f')})"
        rec = _tracked(args)
        if rec is None:
            return f(*args, **kwargs)[0]
        fargs, found, tapes = rec
        st = _graph.current()
        outer, st.tapes, st.ids = st.tapes, [], None
        inner = GradientTape(watch_accessed_variables=True)  # finds the variables f reads
        try:
            with inner:
                y, grad_fn = f(*fargs, **kwargs)
        finally:
            st.tapes, st.ids = outer, None
        variables = [v for v in inner.watched_variables() if v.trainable]
        snaps = [_graph.read_variable(v, tapes) for v in variables]
        for s in snaps:
            n = getattr(s, "_node", None)
            if n is not None:
                found |= n.tapes
        if not found:
            return y
        n_in = len(fargs)
        multi = isinstance(y, tuple)

        def joint(g: Any, ans: Any, *a: Any) -> list[Any]:
            ups = list(g) if multi else [g]
            if variables:
                res = grad_fn(*ups, variables=variables)
                if not (isinstance(res, tuple | list) and len(res) == 2):
                    raise TypeError(
                        f"{where}: f reads variables, so grad_fn(dy, variables=...) must "
                        "return (input_grads, variable_grads)"
                    )
                ins, vgs = res
                return _as_list(ins, n_in, where) + _as_list(vgs, len(variables), where)
            return _as_list(grad_fn(*ups), n_in, where)

        return _graph.attach(where, {"*": joint}, fargs + tuple(snaps), {}, y, found)

    return wrapper


class custom_vjp:
    """JAX's ``custom_vjp``: ``f = custom_vjp(fun); f.defvjp(fwd, bwd)``.

    ``fwd(*args)`` returns ``(out, residuals)``; ``bwd(residuals, g)`` returns a tuple with
    one cotangent (or None) per positional argument.
    """

    def __init__(self, fun: Callable[..., Any], nondiff_argnums: Sequence[int] = ()) -> None:
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd: Callable[..., Any] | None = None
        self.bwd: Callable[..., Any] | None = None

    def defvjp(self, fwd: Callable[..., Any], bwd: Callable[..., Any]) -> None:
        """Set the forward (value and residuals) and backward (cotangents) functions."""
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args: Any) -> Any:
        name = getattr(self.fun, "__name__", "fun")
        if self.fwd is None or self.bwd is None:
            raise TypeError(f"custom_vjp({name}): call defvjp(fwd, bwd) before use")
        rec = _tracked(args)
        if rec is None:
            return self.fun(*args)
        fargs, found, _ = rec
        if not found:
            return self.fun(*args)
        with _graph.paused():
            out, res = self.fwd(*fargs)
        bwd, nondiff = self.bwd, self.nondiff_argnums
        where = f"custom_vjp({name})"

        def joint(g: Any, ans: Any, *a: Any) -> list[Any]:
            cts = bwd(*[a[i] for i in nondiff], res, g) if nondiff else bwd(res, g)
            cts = list(cts) if isinstance(cts, tuple | list) else [cts]
            want = len(a) - len(nondiff)
            if len(cts) != want:
                raise ValueError(f"{where}: bwd returned {len(cts)} cotangents, expected {want}")
            it = iter(cts)
            return [None if i in nondiff else next(it) for i in range(len(a))]

        if not isinstance(out, Tensor | tuple):
            raise TypeError(f"{where}: fwd must return (tensor output, residuals)")
        return _graph.attach(where, {"*": joint}, fargs, {}, out, found)
