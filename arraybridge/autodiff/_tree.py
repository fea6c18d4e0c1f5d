"""Nested lists, tuples and dicts of leaves (tensors), as gradients' sources take them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["flatten", "map_leaves", "unflatten"]


def flatten(tree: Any) -> list[Any]:
    """The leaves of ``tree``, depth first (dicts in key order as given)."""
    if type(tree) in (list, tuple) or (isinstance(tree, tuple) and hasattr(tree, "_fields")):
        out: list[Any] = []
        for t in tree:
            # (leaves appended directly: a flat list of sources is the common case)
            if isinstance(t, tuple | list | dict):
                out.extend(flatten(t))
            else:
                out.append(t)
        return out
    if isinstance(tree, dict):
        out = []
        for v in tree.values():
            out.extend(flatten(v))
        return out
    return [tree]


def unflatten(tree: Any, leaves: list[Any]) -> Any:
    """``tree``'s structure with ``leaves`` in place of its leaves."""
    it = iter(leaves)
    out = _build(tree, it)
    return out


def _build(tree: Any, it: Any) -> Any:
    if isinstance(tree, tuple) and hasattr(tree, "_fields"):
        return type(tree)(*(_build(t, it) for t in tree))
    if type(tree) in (list, tuple):
        return type(tree)(
            _build(t, it) if isinstance(t, tuple | list | dict) else next(it) for t in tree
        )
    if isinstance(tree, dict):
        return {k: _build(v, it) for k, v in tree.items()}
    return next(it)


def map_leaves(fn: Callable[[Any], Any], tree: Any) -> Any:
    """``tree`` rebuilt with ``fn(leaf)`` for each leaf (lists, tuples, namedtuples and
    dicts are the containers; anything else is a leaf)."""
    t = type(tree)
    if t is list:
        return [map_leaves(fn, b) for b in tree]
    if t is tuple:
        return tuple(map_leaves(fn, b) for b in tree)
    if isinstance(tree, tuple) and hasattr(tree, "_fields"):
        return t(*(map_leaves(fn, b) for b in tree))
    if t is dict:
        return {k: map_leaves(fn, v) for k, v in tree.items()}
    return fn(tree)
