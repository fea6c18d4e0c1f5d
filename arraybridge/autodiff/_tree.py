"""Nested lists, tuples and dicts of leaves (tensors), as gradients' sources take them."""

from __future__ import annotations

from typing import Any

__all__ = ["flatten", "unflatten"]


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
