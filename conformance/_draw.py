"""Inputs: hypothesis's array-API strategies, with value domains per argument.

Arrays are drawn on NumPy's namespace and converted with ``ab.asarray``: the values are
the same, and a backend that compiles per shape (JAX) is not made to compile the
strategies' own reshapes, casts and element checks for every shape and dtype (a quarter
of the suite's compilations on JAX)."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.array_api import make_strategies_namespace

import arraybridge as ab

from ._cases import Arg, Case, transform

__all__ = ["draw_args", "elements", "tensors", "xps"]

_FLOAT_RANGES: dict[str, tuple[float, float]] = {
    "any": (-10.0, 10.0),
    "unit": (-0.9, 0.9),
    "ge1": (1.1, 10.0),
    "positive": (0.1, 10.0),
    "above_minus1": (-0.9, 10.0),
    "small": (-3.0, 3.0),
    "exponent": (-3.0, 3.0),
    "spd": (-3.0, 3.0),
    "wellcond": (-3.0, 3.0),
    "sorted": (-10.0, 10.0),
}


@cache
def xps() -> Any:
    """hypothesis's array-API strategies namespace over NumPy."""
    return make_strategies_namespace(np)


def tensors(
    data: st.DataObject,
    dtype: ab.DType,
    shape: tuple[int, ...],
    elements: st.SearchStrategy[Any] | None = None,
) -> ab.Tensor:
    """A drawn tensor of ``dtype`` and ``shape`` on the current backend."""
    arr = data.draw(xps().arrays(np.dtype(dtype.name), shape, elements=elements))
    return ab.asarray(arr)


def _floats(domain: str, width: int) -> st.SearchStrategy[float]:
    opts: dict[str, Any] = {
        "width": width,
        "allow_nan": False,
        "allow_infinity": False,
        "allow_subnormal": False,
    }
    if domain in ("nonzero", "divisor"):
        return st.floats(0.5, 10.0, **opts) | st.floats(-10.0, -0.5, **opts)  # float32 values
    if domain == "few":
        return st.sampled_from([0.0, 1.0, 2.0])
    if domain in ("index3", "count", "shift"):
        raise ValueError(f"domain {domain!r} is for integer arguments")
    lo, hi = _FLOAT_RANGES[domain]
    if width == 32:  # bounds must be float32 values (rounded inwards)
        lo, hi = float(np.float32(lo)), float(np.float32(hi))
        lo = lo if lo >= _FLOAT_RANGES[domain][0] else float(np.nextafter(np.float32(lo), 1))
        hi = hi if hi <= _FLOAT_RANGES[domain][1] else float(np.nextafter(np.float32(hi), -1))
    return st.floats(lo, hi, **opts)


def _ints(domain: str, dtype: ab.DType) -> st.SearchStrategy[int]:
    info = np.iinfo(dtype.name)
    lo, hi = int(info.min), int(info.max)
    signed = lo < 0
    if domain in ("any", "sorted"):
        return st.integers(lo, hi)
    if domain == "few":
        return st.integers(0, 2)
    if domain == "shift":
        return st.integers(0, info.bits - 1)
    if domain == "index3":
        return st.integers(-3, 2)
    if domain == "count":
        return st.integers(0, 3)
    if domain in ("nonzero", "divisor"):
        pos = st.integers(1, 10)
        return (pos | st.integers(-10, -1)) if signed else pos
    if domain in ("positive", "ge1"):
        return st.integers(1, 10)
    if domain == "exponent":
        return st.integers(0, 4)
    # small, unit, spd, wellcond
    return st.integers(-3 if signed else 0, 3)


def elements(domain: str, dtype: ab.DType) -> st.SearchStrategy[Any]:
    """Python values of ``dtype`` in ``domain``."""
    kind = dtype.name
    if kind == "bool":
        return st.booleans()
    if kind.startswith(("int", "uint")):
        return _ints(domain, dtype)
    if kind.startswith("float"):
        return _floats(domain, 32 if kind == "float32" else 64)
    width = 32 if kind == "complex64" else 64
    re = _floats(domain, width)
    im_domain = "unit" if domain in ("unit", "ge1", "few") else "small"
    im = st.just(0.0) if domain == "few" else _floats(im_domain, width)
    return st.builds(complex, re, im)


def _dtype_for(arg: Arg, dtype: ab.DType) -> ab.DType:
    return getattr(ab, arg.dtype) if arg.dtype is not None else dtype


def draw_args(data: st.DataObject, case: Case, dtype: ab.DType) -> list[ab.Tensor]:
    """The case's array arguments, drawn as tensors on the current backend."""
    out = []
    for arg in case.args:
        dt = _dtype_for(arg, dtype)
        t = tensors(data, dt, arg.shape, elements(arg.domain, dt))
        if arg.domain in ("spd", "wellcond", "sorted"):
            t = ab.asarray(transform(arg.domain, np.array(t)))
        out.append(t)
    return out


def fixed_args(case: Case, dtype: ab.DType, seed: int = 0) -> list[ab.Tensor]:
    """The case's array arguments from a seeded generator (for gradient checks), in
    float64 / complex128 where the case dtype is floating."""
    out = []
    for i, arg in enumerate(case.args):
        dt = _dtype_for(arg, dtype)
        out.append(ab.asarray(_values(arg, dt, np.random.default_rng(seed + i)), dtype=dt))
    return out


def _values(arg: Arg, dt: ab.DType, rng: np.random.Generator) -> np.ndarray[Any, Any]:
    kind = dt.name
    shape = arg.shape
    dom = arg.domain
    if kind == "bool":
        return rng.random(shape) < 0.5
    if kind.startswith(("int", "uint")):
        lo, hi = {"index3": (-3, 3), "count": (0, 4), "few": (0, 3)}.get(dom, (0, 4))
        return rng.integers(lo, hi, shape).astype(kind)
    if dom in ("nonzero", "divisor"):
        v = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    elif dom == "few":
        v = rng.integers(0, 3, shape).astype(float) + rng.uniform(-0.2, 0.2, shape)
    else:
        lo, hi = _FLOAT_RANGES.get(dom, (-1.0, 1.0))
        # moderate values: central differences stay accurate
        v = rng.uniform(max(lo, -1.5), 3.0 if dom == "ge1" else min(hi, 2.0), shape)
    if kind.startswith("complex"):
        v = v + 1j * rng.uniform(-0.5, 0.5, shape)
    return transform(dom, np.asarray(v, dtype=kind))
