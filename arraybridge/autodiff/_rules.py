"""Registering VJP rules next to their ops: ``defvjp``, ``nondifferentiable``, ``composite``.

A rule for argument ``i`` of op ``f`` is ``rule(g, ans, *args, **kwargs)``: the cotangent of
that argument given the cotangent ``g`` of the result ``ans``. It is written with
arraybridge functions only, so it runs on every backend and can be differentiated again.
It may return a cotangent of the result's shape: broadcasting is undone, and the dtype set
to the argument's, in one place (``_graph._fit``). Complex values follow JAX's convention:
a rule is the transpose of the op's derivative as a real-linear map (``g * f'(z)`` for a
holomorphic ``f``, no conjugate).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._recording import COMPOSITE, NONDIFF, RULES, Rule

__all__ = ["composite", "defvjp", "defvjp_all", "nondifferentiable"]


def _name(f: Callable[..., Any] | str) -> str:
    return f if isinstance(f, str) else f.__name__


def defvjp(f: Callable[..., Any] | str, *rules: Rule | None, **kwrules: Rule) -> None:
    """Register the VJP rules of op ``f`` by argument position (and keyword name)."""
    table: dict[int | str, Rule] = {i: r for i, r in enumerate(rules) if r is not None}
    table.update(kwrules)
    RULES[_name(f)] = table


def defvjp_all(f: Callable[..., Any] | str, rule: Rule) -> None:
    """Register one rule for all of op ``f``'s positional arguments: ``rule(g, ans, *args,
    **kwargs)`` returns a sequence with one cotangent (or None) per positional argument."""
    RULES[_name(f)] = {"*": rule}


def nondifferentiable(*fs: Callable[..., Any] | str) -> None:
    """Mark ops whose results carry no gradient (integer or boolean results, or
    piecewise-constant functions such as ``floor``: TensorFlow gives None for them)."""
    for f in fs:
        NONDIFF.add(_name(f))


def composite(*fs: Callable[..., Any] | str) -> None:
    """Mark functions differentiated through their implementation (arraybridge ops only)."""
    for f in fs:
        COMPOSITE.add(_name(f))
