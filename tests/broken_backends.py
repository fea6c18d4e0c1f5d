"""Deliberately broken backend plugins: the conformance suite must catch each in its area.

Each is the NumPy plugin with one planted bug; ``tests/test_conformance.py`` registers them
through entry-point metadata, as a third party's plugins are, and runs the suite on them.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from arraybridge_numpy import NumPyPlugin


class WrongAdd(NumPyPlugin):
    """``add`` is off by one for int16 (and right for every other dtype): values."""

    name = "wrong_add"

    def overrides(self) -> Mapping[str, Callable[..., Any]]:
        xp = self.namespace()

        def add(x1: Any, x2: Any, /) -> Any:
            r = xp.add(x1, x2)
            return r + np.int16(1) if r.dtype == np.int16 else r

        return {**super().overrides(), "add": add}


class LeaksFloat64(NumPyPlugin):
    """``exp`` computes float32 input in float64 and hands the float64 array back: dtypes."""

    name = "leaks_float64"

    def overrides(self) -> Mapping[str, Callable[..., Any]]:
        def exp(x: Any, /) -> Any:
            return np.exp(np.asarray(x, dtype=np.float64) if x.dtype == np.float32 else x)

        return {**super().overrides(), "exp": exp}


class WritesThrough(NumPyPlugin):
    """Exports the array itself, writable: a user's NumPy array writes into the tensor:
    semantics."""

    name = "writes_through"

    def to_numpy(self, x: Any) -> np.ndarray[Any, Any]:
        return x if type(x) is np.ndarray else np.asarray(x)


class StaleCompile(NumPyPlugin):
    """Its compiler returns the first call's results for every later call: graphs."""

    name = "stale_compile"

    def compile(self, fn: Callable[..., Any]) -> Callable[..., Any] | None:
        first: list[Any] = []

        def run(*args: Any) -> Any:
            if not first:
                first.append(fn(*args))
            return first[0]

        return run


class MissingTan(NumPyPlugin):
    """Its namespace lacks ``tan``: namespace."""

    name = "missing_tan"

    def namespace(self) -> types.ModuleType:
        import array_api_compat.numpy as xp

        ns = types.ModuleType("numpy_without_tan")
        ns.__dict__.update({k: v for k, v in vars(xp).items() if k != "tan"})
        return ns


wrong_add = WrongAdd()
leaks_float64 = LeaksFloat64()
writes_through = WritesThrough()
missing_tan = MissingTan()
stale_compile = StaleCompile()
