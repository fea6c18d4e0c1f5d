"""The floor of any Python-level wrapper: a slotted object around a NumPy array.

A peer of the dispatch benchmark (the issue's "bare slotted wrapper over NumPy"): each
operator and function is one Python call that unwraps, calls NumPy and wraps the result,
with no dtype check, no error state and no tape. What arraybridge costs beyond it is what
its checks and semantics cost; what it costs over raw NumPy is the price of being a
Python-level layer at all.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Bare", "add", "asarray", "exp", "matmul", "sum"]

_new = object.__new__


class Bare:
    """A NumPy array in a one-slot object."""

    __slots__ = ("a",)

    a: np.ndarray[Any, Any]

    def __add__(self, other: Bare) -> Bare:
        r: Bare = _new(Bare)
        r.a = self.a + other.a
        return r

    def __getitem__(self, key: Any) -> Bare:
        r: Bare = _new(Bare)
        r.a = self.a[key]
        return r


def asarray(a: np.ndarray[Any, Any]) -> Bare:
    """``a`` (copied) in a wrapper."""
    r: Bare = _new(Bare)
    r.a = a.copy()
    return r


def add(x: Bare, y: Bare, /) -> Bare:
    r: Bare = _new(Bare)
    r.a = np.add(x.a, y.a)
    return r


def exp(x: Bare, /) -> Bare:
    r: Bare = _new(Bare)
    r.a = np.exp(x.a)
    return r


def sum(x: Bare, /) -> Bare:
    r: Bare = _new(Bare)
    r.a = np.add.reduce(x.a)
    return r


def matmul(x: Bare, y: Bare, /) -> Bare:
    r: Bare = _new(Bare)
    r.a = np.matmul(x.a, y.a)
    return r
