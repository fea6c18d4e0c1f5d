"""What the suite calls: one case per way of calling a function of the standard.

A case is data: the spec function it exercises, a call ``call(xp, dt, *arrays)`` written
once in the standard's spelling (so it runs on ``arraybridge`` and on NumPy's Array API
namespace, the oracle, alike), the shapes and value domains of its array arguments, and
the dtype category it is run for. The values, dtypes, namespace and autodiff areas all
read this one table; the element-wise cases are derived from arraybridge's op registry.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import arraybridge as ab
from arraybridge import _dtypes
from arraybridge._dispatch import OPS
from arraybridge.ops import elementwise

__all__ = [
    "CASES",
    "Arg",
    "Case",
    "case_index",
    "dtypes_of",
    "oracle",
    "rotate",
    "run_dtypes",
    "spec_functions",
]


@dataclass(frozen=True)
class Arg:
    """One array argument: its shape, value domain, and a fixed dtype (None: the case's)."""

    shape: tuple[int, ...]
    domain: str = "any"
    dtype: str | None = None


@dataclass(frozen=True)
class Case:
    """One call of a spec function (``fn``: ``"sum"``, ``"linalg.inv"``)."""

    id: str
    fn: str
    call: Callable[..., Any]
    args: tuple[Arg, ...] = ()
    dtypes: str = "numeric"
    compare: str = "values"  # values | meta (shape and dtype only) | sorted
    tol: float = 1.0  # tolerance scale (linear algebra: larger)
    grad: bool = True  # differentiated in the autodiff area (floating dtypes)
    semantics: str = "strict"
    quick: bool = True  # part of a quick run
    extra: dict[str, Any] = field(default_factory=dict)


def oracle() -> Any:
    """NumPy's Array API namespace: the reference every case is compared with."""
    import array_api_compat.numpy as npx

    return npx


def dtypes_of(category: str) -> list[ab.DType]:
    """The dtypes of a spec category (or one dtype name), in the standard's order."""
    if category in _dtypes.BY_NAME:
        return [_dtypes.BY_NAME[category]]
    members = _dtypes.CATEGORIES[category]
    return [d for d in _dtypes.ALL if d in members]


def _a(*shape: int, domain: str = "any", dtype: str | None = None) -> Arg:
    return Arg(tuple(shape), domain, dtype)


# -- element-wise: derived from the op registry ------------------------------------------------

# Value domains that keep the standard's results specified (and gradients finite).
_DOMAINS: dict[str, tuple[str, ...]] = {
    "acos": ("unit",),
    "asin": ("unit",),
    "atanh": ("unit",),
    "acosh": ("ge1",),
    "log": ("positive",),
    "log2": ("positive",),
    "log10": ("positive",),
    "log1p": ("above_minus1",),
    "sqrt": ("positive",),
    "reciprocal": ("nonzero",),
    "divide": ("any", "nonzero"),
    "floor_divide": ("any", "divisor"),
    "remainder": ("any", "divisor"),
    "pow": ("positive", "exponent"),
    "bitwise_left_shift": ("small", "shift"),
    "bitwise_right_shift": ("any", "shift"),
    "atan2": ("nonzero", "nonzero"),
    "hypot": ("nonzero", "nonzero"),
    "copysign": ("nonzero", "nonzero"),
    "abs": ("nonzero",),
    "sign": ("nonzero",),
}
# shapes reused across cases (JAX compiles once per op, shape and dtype)
UNARY_SHAPES = ((), (0,), (3,), (2, 3))
BINARY_SHAPES = (((), ()), ((3,), ()), ((2, 3), (3,)), ((2, 1), (1, 3)), ((0,), (1,)))


def _elementwise() -> list[Case]:
    out: list[Case] = []
    for name, op in OPS.items():
        fn = getattr(elementwise, name, None)
        if fn is None or getattr(ab, name, None) is not fn:
            continue  # registered but not element-wise (matmul)
        arity = len(inspect.signature(fn).parameters)
        doms = _DOMAINS.get(name, ("any",) * arity)
        shapes = UNARY_SHAPES if arity == 1 else BINARY_SHAPES
        for k, shape in enumerate(shapes):
            ss = (shape,) if arity == 1 else shape
            args = tuple(Arg(tuple(s), d) for s, d in zip(ss, doms, strict=True))
            out.append(
                Case(
                    f"{name}-{k}",
                    name,
                    lambda xp, dt, *a, _n=name: getattr(xp, _n)(*a),
                    args,
                    op.category,
                    grad=k == 2 or (arity == 1 and k == 3),
                    quick=k in ((0, 3) if arity == 1 else (1, 3)),  # 0-d, broadcasting
                )
            )
    return out


def _cases() -> list[Case]:
    L = "real floating-point"
    F = "floating-point"
    C = "complex floating-point"
    N = "numeric"
    R = "real numeric"
    A = "all"
    i64 = "int64"
    M = (2, 3)
    SQ = (2, 3, 3)
    c = Case
    return [
        # creation
        c("arange", "arange", lambda xp, dt: xp.arange(1, 10, 3), (), "int64", grad=False),
        c("arange-dt", "arange", lambda xp, dt: xp.arange(5, dtype=dt), (), R, grad=False),
        c("arange-float", "arange", lambda xp, dt: xp.arange(0.5, 3.0, 0.5, dtype=dt), (), L),
        c("asarray", "asarray", lambda xp, dt, x: xp.asarray(x, copy=True), (_a(*M),), A),
        c(
            "asarray-list",
            "asarray",
            lambda xp, dt: xp.asarray([[_one(dt), _zero(dt)]], dtype=dt),
            (),
            A,
        ),
        c("empty", "empty", lambda xp, dt: xp.empty((2, 3), dtype=dt), (), A, "meta"),
        c("empty_like", "empty_like", lambda xp, dt, x: xp.empty_like(x), (_a(*M),), A, "meta"),
        c("eye", "eye", lambda xp, dt: xp.eye(3, 4, k=1, dtype=dt), (), A),
        c("full", "full", lambda xp, dt: xp.full((2, 3), _one(dt), dtype=dt), (), A),
        c("full_like", "full_like", lambda xp, dt, x: xp.full_like(x, _one(dt)), (_a(*M),), A),
        c("linspace", "linspace", lambda xp, dt: xp.linspace(0, 1, 5, dtype=dt), (), F),
        c(
            "linspace-open",
            "linspace",
            lambda xp, dt: xp.linspace(-2, 3, 4, endpoint=False, dtype=dt),
            (),
            L,
        ),
        c("meshgrid", "meshgrid", lambda xp, dt, a, b: xp.meshgrid(a, b), (_a(2), _a(3)), A),
        c(
            "meshgrid-ij",
            "meshgrid",
            lambda xp, dt, a, b: xp.meshgrid(a, b, indexing="ij"),
            (_a(2), _a(3)),
            A,
        ),
        c("ones", "ones", lambda xp, dt: xp.ones((3,), dtype=dt), (), A),
        c("ones_like", "ones_like", lambda xp, dt, x: xp.ones_like(x), (_a(*M),), A),
        c("zeros", "zeros", lambda xp, dt: xp.zeros((2, 0), dtype=dt), (), A),
        c("zeros_like", "zeros_like", lambda xp, dt, x: xp.zeros_like(x), (_a(*M),), A),
        c("tril", "tril", lambda xp, dt, x: xp.tril(x), (_a(3, 3),), A),
        c("triu", "triu", lambda xp, dt, x: xp.triu(x, k=1), (_a(2, 3, 4),), A),
        c("from_dlpack", "from_dlpack", lambda xp, dt, x: xp.from_dlpack(x), (_a(*M),), A),
        # data types
        c("astype-f64", "astype", lambda xp, dt, x: xp.astype(x, xp.float64), (_a(*M),), R),
        c("astype-c128", "astype", lambda xp, dt, x: xp.astype(x, xp.complex128), (_a(*M),), A),
        c(
            "astype-bool",
            "astype",
            lambda xp, dt, x: xp.astype(x, xp.bool),
            (_a(*M),),
            R,
            grad=False,
        ),
        c(
            "astype-i16",
            "astype",
            lambda xp, dt, x: xp.astype(x, xp.int16),
            (_a(*M, domain="small"),),
            R,
            grad=False,
        ),
        c(
            "broadcast_shapes",
            "broadcast_shapes",
            lambda xp, dt: xp.broadcast_shapes((2, 1), (3,), (4, 1, 1)),
            (),
            "bool",
            grad=False,
        ),
        c(
            "broadcast_arrays",
            "broadcast_arrays",
            lambda xp, dt, a, b: xp.broadcast_arrays(a, b),
            (_a(2, 1), _a(3)),
            A,
        ),
        c(
            "broadcast_to",
            "broadcast_to",
            lambda xp, dt, x: xp.broadcast_to(x, (4, 2, 3)),
            (_a(2, 1),),
            A,
        ),
        c(
            "can_cast",
            "can_cast",
            lambda xp, dt: [
                xp.can_cast(dt, dt),
                xp.can_cast(xp.int8, xp.int64),
                xp.can_cast(xp.float64, xp.float32),
                xp.can_cast(xp.uint8, xp.int16),
                xp.can_cast(xp.float32, xp.complex128),
            ],
            (),
            A,
            grad=False,
        ),
        c("finfo", "finfo", lambda xp, dt: _finfo(xp.finfo(dt)), (), F, grad=False),
        c("iinfo", "iinfo", lambda xp, dt: _iinfo(xp.iinfo(dt)), (), "integer", grad=False),
        c(
            "isdtype",
            "isdtype",
            lambda xp, dt: [
                xp.isdtype(dt, k)
                for k in ("bool", "signed integer", "integral", "real floating", "numeric")
            ],
            (),
            A,
            grad=False,
        ),
        c(
            "result_type",
            "result_type",
            lambda xp, dt: str(xp.result_type(dt, 1, xp.uint8)),
            (),
            "integer",
            grad=False,
            semantics="standard",
        ),
        # element-wise functions with keywords
        c(
            "clip",
            "clip",
            lambda xp, dt, x: xp.clip(x, min=-1, max=5),
            (_a(*M),),
            "real floating-point",
        ),
        c(
            "clip-arrays",
            "clip",
            lambda xp, dt, x, lo: xp.clip(x, min=lo, max=lo + 3),
            (_a(*M, domain="small"), _a(3, domain="small")),
            R,
        ),
        # indexing
        c(
            "take",
            "take",
            lambda xp, dt, x, i: xp.take(x, i, axis=1),
            (_a(*M), _a(4, domain="index3", dtype=i64)),
            A,
        ),
        c(
            "take-1d",
            "take",
            lambda xp, dt, x, i: xp.take(x, i),
            (_a(3), _a(2, domain="index3", dtype=i64)),
            A,
        ),
        c(
            "take_along_axis",
            "take_along_axis",
            lambda xp, dt, x, i: xp.take_along_axis(x, i, axis=1),
            (_a(*M), _a(2, 4, domain="index3", dtype=i64)),
            A,
        ),
        # linear algebra (main namespace)
        c("matmul", "matmul", lambda xp, dt, a, b: xp.matmul(a, b), (_a(*SQ), _a(3, 2)), N, tol=8),
        c("matmul-vec", "matmul", lambda xp, dt, a, b: a @ b, (_a(3), _a(*SQ)), N, tol=8),
        c(
            "matrix_transpose",
            "matrix_transpose",
            lambda xp, dt, x: xp.matrix_transpose(x),
            (_a(*SQ),),
            A,
        ),
        c(
            "tensordot",
            "tensordot",
            lambda xp, dt, a, b: xp.tensordot(a, b, axes=1),
            (_a(*M), _a(3, 2)),
            N,
            tol=8,
        ),
        c(
            "tensordot-pairs",
            "tensordot",
            lambda xp, dt, a, b: xp.tensordot(a, b, axes=([0, 2], [1, 0])),
            (_a(*SQ), _a(3, 2, 3)),
            N,
            tol=8,
        ),
        c("vecdot", "vecdot", lambda xp, dt, a, b: xp.vecdot(a, b), (_a(*M), _a(3)), N, tol=8),
        # manipulation
        c(
            "concat",
            "concat",
            lambda xp, dt, a, b: xp.concat([a, b], axis=1),
            (_a(2, 3), _a(2, 2)),
            A,
        ),
        c(
            "concat-flat",
            "concat",
            lambda xp, dt, a, b: xp.concat([a, b], axis=None),
            (_a(*M), _a(4)),
            A,
        ),
        c(
            "expand_dims",
            "expand_dims",
            lambda xp, dt, x: xp.expand_dims(x, axis=(0, 2)),
            (_a(*M),),
            A,
        ),
        c("flip", "flip", lambda xp, dt, x: xp.flip(x), (_a(*M),), A),
        c("flip-axis", "flip", lambda xp, dt, x: xp.flip(x, axis=1), (_a(*M),), A),
        c("moveaxis", "moveaxis", lambda xp, dt, x: xp.moveaxis(x, 0, -1), (_a(2, 3, 4),), A),
        c(
            "permute_dims",
            "permute_dims",
            lambda xp, dt, x: xp.permute_dims(x, (2, 0, 1)),
            (_a(2, 3, 4),),
            A,
        ),
        c("repeat", "repeat", lambda xp, dt, x: xp.repeat(x, 2, axis=1), (_a(*M),), A),
        c(
            "repeat-array",
            "repeat",
            lambda xp, dt, x, r: xp.repeat(x, r, axis=1),
            (_a(*M), _a(3, domain="count", dtype=i64)),
            A,
        ),
        c("reshape", "reshape", lambda xp, dt, x: xp.reshape(x, (3, -1)), (_a(*M),), A),
        c("roll", "roll", lambda xp, dt, x: xp.roll(x, 2), (_a(*M),), A),
        c("roll-axes", "roll", lambda xp, dt, x: xp.roll(x, (1, -1), axis=(0, 1)), (_a(*M),), A),
        c("squeeze", "squeeze", lambda xp, dt, x: xp.squeeze(x, axis=1), (_a(2, 1, 3),), A),
        c("stack", "stack", lambda xp, dt, a, b: xp.stack([a, b], axis=1), (_a(*M), _a(*M)), A),
        c("tile", "tile", lambda xp, dt, x: xp.tile(x, (2, 1, 2)), (_a(*M),), A),
        c("unstack", "unstack", lambda xp, dt, x: xp.unstack(x, axis=1), (_a(*M),), A),
        # searching
        c("argmax", "argmax", lambda xp, dt, x: xp.argmax(x), (_a(*M),), R, grad=False),
        c(
            "argmax-axis",
            "argmax",
            lambda xp, dt, x: xp.argmax(x, axis=1, keepdims=True),
            (_a(*M),),
            R,
        ),
        c("argmin", "argmin", lambda xp, dt, x: xp.argmin(x, axis=0), (_a(*M),), R),
        c(
            "count_nonzero",
            "count_nonzero",
            lambda xp, dt, x: xp.count_nonzero(x, axis=1),
            (_a(*M, domain="few"),),
            A,
        ),
        c("nonzero", "nonzero", lambda xp, dt, x: xp.nonzero(x), (_a(*M, domain="few"),), A),
        c(
            "searchsorted",
            "searchsorted",
            lambda xp, dt, a, v: xp.searchsorted(a, v, side="right"),
            (_a(5, domain="sorted"), _a(2, 3)),
            R,
        ),
        c(
            "where",
            "where",
            lambda xp, dt, m, a, b: xp.where(m, a, b),
            (_a(2, 3, dtype="bool"), _a(3), _a(2, 1)),
            A,
        ),
        # set
        c(
            "unique_values",
            "unique_values",
            lambda xp, dt, x: xp.unique_values(x),
            (_a(2, 4, domain="few"),),
            R,
        ),
        c(
            "unique_counts",
            "unique_counts",
            lambda xp, dt, x: tuple(xp.unique_counts(x)),
            (_a(2, 4, domain="few"),),
            R,
        ),
        c(
            "unique_inverse",
            "unique_inverse",
            lambda xp, dt, x: _unique_inverse(xp, x),
            (_a(2, 4, domain="few"),),
            R,
        ),
        c(
            "unique_all",
            "unique_all",
            lambda xp, dt, x: _unique_all(xp, x),
            (_a(2, 4, domain="few"),),
            R,
        ),
        c(
            "isin",
            "isin",
            lambda xp, dt, a, b: xp.isin(a, b, invert=True),
            (_a(2, 3, domain="few"), _a(3, domain="few")),
            "integer",
        ),
        # sorting
        c("sort", "sort", lambda xp, dt, x: xp.sort(x), (_a(*M),), R),
        c(
            "sort-desc",
            "sort",
            lambda xp, dt, x: xp.sort(x, axis=0, descending=True),
            (_a(3, 3),),
            R,
        ),
        c(
            "argsort",
            "argsort",
            lambda xp, dt, x: xp.argsort(x, axis=0),
            (_a(3, 3, domain="few"),),
            R,
        ),
        c(
            "argsort-desc",
            "argsort",
            lambda xp, dt, x: xp.argsort(x, descending=True),
            (_a(2, 4, domain="few"),),
            R,
        ),
        # statistics
        c("sum", "sum", lambda xp, dt, x: xp.sum(x), (_a(*M),), N),
        c(
            "sum-axis",
            "sum",
            lambda xp, dt, x: xp.sum(x, axis=(0, 2), keepdims=True),
            (_a(2, 3, 4),),
            N,
        ),
        c("sum-dtype", "sum", lambda xp, dt, x: xp.sum(x, axis=1, dtype=xp.float64), (_a(*M),), L),
        c("sum-empty", "sum", lambda xp, dt, x: xp.sum(x, axis=0), (_a(0, 3),), N),
        c("prod", "prod", lambda xp, dt, x: xp.prod(x, axis=1), (_a(*M, domain="small"),), N),
        c("mean", "mean", lambda xp, dt, x: xp.mean(x, axis=0, keepdims=True), (_a(*M),), F),
        c("max", "max", lambda xp, dt, x: xp.max(x, axis=1), (_a(*M),), R),
        c("min", "min", lambda xp, dt, x: xp.min(x), (_a(*M),), R),
        c("var", "var", lambda xp, dt, x: xp.var(x, axis=1, correction=1), (_a(*M),), L),
        c("std", "std", lambda xp, dt, x: xp.std(x, axis=0), (_a(*M),), L),
        c(
            "cumulative_sum",
            "cumulative_sum",
            lambda xp, dt, x: xp.cumulative_sum(x, axis=1),
            (_a(*M),),
            N,
        ),
        c(
            "cumulative_sum-initial",
            "cumulative_sum",
            lambda xp, dt, x: xp.cumulative_sum(x, include_initial=True),
            (_a(4),),
            N,
        ),
        c(
            "cumulative_prod",
            "cumulative_prod",
            lambda xp, dt, x: xp.cumulative_prod(x, axis=0),
            (_a(*M, domain="small"),),
            N,
        ),
        # utility
        c("all", "all", lambda xp, dt, x: xp.all(x, axis=1), (_a(*M, domain="few"),), A),
        c("any", "any", lambda xp, dt, x: xp.any(x, keepdims=True), (_a(*M, domain="few"),), A),
        c("diff", "diff", lambda xp, dt, x: xp.diff(x, axis=1), (_a(2, 4),), N),
        c(
            "diff-edges",
            "diff",
            lambda xp, dt, x, p: xp.diff(x, n=2, prepend=p),
            (_a(2, 3), _a(2, 1)),
            N,
        ),
        # linalg
        c(
            "cholesky",
            "linalg.cholesky",
            lambda xp, dt, x: xp.linalg.cholesky(_herm(xp, x)),
            (_a(*SQ, domain="spd"),),
            F,
            tol=64,
        ),
        c(
            "cholesky-upper",
            "linalg.cholesky",
            lambda xp, dt, x: xp.linalg.cholesky(_herm(xp, x), upper=True),
            (_a(*SQ, domain="spd"),),
            F,
            tol=64,
        ),
        c(
            "cross",
            "linalg.cross",
            lambda xp, dt, a, b: xp.linalg.cross(a, b),
            (_a(2, 3), _a(3)),
            N,
            tol=8,
        ),
        c(
            "det",
            "linalg.det",
            lambda xp, dt, x: xp.linalg.det(x),
            (_a(*SQ, domain="wellcond"),),
            F,
            tol=64,
        ),
        c(
            "diagonal",
            "linalg.diagonal",
            lambda xp, dt, x: xp.linalg.diagonal(x, offset=1),
            (_a(2, 3, 4),),
            N,
        ),
        c(
            "eig",
            "linalg.eig",
            lambda xp, dt, x: xp.linalg.eig(x).eigenvalues,
            (_a(*SQ, domain="wellcond"),),
            F,
            "sorted",
            tol=256,
            grad=False,
        ),
        c(
            "eigh",
            "linalg.eigh",
            lambda xp, dt, x: _eigh_parts(xp, _herm(xp, x)),
            (_a(*SQ, domain="spd"),),
            F,
            tol=256,
        ),
        c(
            "eigvals",
            "linalg.eigvals",
            lambda xp, dt, x: xp.linalg.eigvals(x),
            (_a(*SQ, domain="wellcond"),),
            F,
            "sorted",
            tol=256,
            grad=False,
        ),
        c(
            "eigvalsh",
            "linalg.eigvalsh",
            lambda xp, dt, x: xp.linalg.eigvalsh(_herm(xp, x)),
            (_a(*SQ, domain="spd"),),
            F,
            tol=256,
        ),
        c(
            "inv",
            "linalg.inv",
            lambda xp, dt, x: xp.linalg.inv(x),
            (_a(*SQ, domain="wellcond"),),
            F,
            tol=64,
        ),
        c(
            "linalg.matmul",
            "linalg.matmul",
            lambda xp, dt, a, b: xp.linalg.matmul(a, b),
            (_a(*M), _a(3, 2)),
            N,
            tol=8,
        ),
        c(
            "matrix_norm",
            "linalg.matrix_norm",
            lambda xp, dt, x: [xp.linalg.matrix_norm(x, ord=o) for o in ("fro", 1, -math.inf)],
            (_a(*SQ),),
            F,
            tol=64,
        ),
        c(
            "matrix_norm-spectral",
            "linalg.matrix_norm",
            lambda xp, dt, x: [xp.linalg.matrix_norm(x, ord=o, keepdims=True) for o in ("nuc", 2)],
            (_a(*SQ, domain="wellcond"),),
            F,
            tol=256,
        ),
        c(
            "matrix_power",
            "linalg.matrix_power",
            lambda xp, dt, x: [xp.linalg.matrix_power(x, n) for n in (0, 3)],
            (_a(*SQ, domain="small"),),
            N,
            tol=64,
        ),
        c(
            "matrix_power-neg",
            "linalg.matrix_power",
            lambda xp, dt, x: xp.linalg.matrix_power(x, -2),
            (_a(*SQ, domain="wellcond"),),
            F,
            tol=256,
        ),
        c(
            "matrix_rank",
            "linalg.matrix_rank",
            lambda xp, dt, x: xp.linalg.matrix_rank(x),
            (_a(*SQ, domain="wellcond"),),
            F,
            grad=False,
        ),
        c(
            "linalg.matrix_transpose",
            "linalg.matrix_transpose",
            lambda xp, dt, x: xp.linalg.matrix_transpose(x),
            (_a(*M),),
            A,
        ),
        c("outer", "linalg.outer", lambda xp, dt, a, b: xp.linalg.outer(a, b), (_a(2), _a(3)), N),
        c(
            "pinv",
            "linalg.pinv",
            lambda xp, dt, x: xp.linalg.pinv(x),
            (_a(2, 4, 3, domain="wellcond"),),
            F,
            tol=256,
        ),
        c(
            "qr",
            "linalg.qr",
            lambda xp, dt, x: _qr_parts(xp, x),
            (_a(2, 4, 3, domain="wellcond"),),
            F,
            tol=64,
        ),
        c(
            "slogdet",
            "linalg.slogdet",
            lambda xp, dt, x: tuple(xp.linalg.slogdet(x)),
            (_a(*SQ, domain="wellcond"),),
            F,
            tol=64,
        ),
        c(
            "solve",
            "linalg.solve",
            lambda xp, dt, a, b: xp.linalg.solve(a, b),
            (_a(*SQ, domain="wellcond"), _a(3, 2)),
            F,
            tol=64,
        ),
        c(
            "svd",
            "linalg.svd",
            lambda xp, dt, x: _svd_parts(xp, x),
            (_a(2, 4, 3, domain="wellcond"),),
            F,
            tol=256,
        ),
        c(
            "svdvals",
            "linalg.svdvals",
            lambda xp, dt, x: xp.linalg.svdvals(x),
            (_a(2, 3, 4),),
            F,
            tol=64,
        ),
        c(
            "linalg.tensordot",
            "linalg.tensordot",
            lambda xp, dt, a, b: xp.linalg.tensordot(a, b, axes=2),
            (_a(*SQ), _a(3, 3, 2)),
            N,
            tol=8,
        ),
        c("trace", "linalg.trace", lambda xp, dt, x: xp.linalg.trace(x, offset=-1), (_a(*SQ),), N),
        c(
            "linalg.vecdot",
            "linalg.vecdot",
            lambda xp, dt, a, b: xp.linalg.vecdot(a, b, axis=-2),
            (_a(3, 2), _a(3, 2)),
            N,
        ),
        c(
            "vector_norm",
            "linalg.vector_norm",
            lambda xp, dt, x: [
                xp.linalg.vector_norm(x, axis=-1, ord=o) for o in (2, 1, math.inf, -math.inf)
            ],
            (_a(*SQ, domain="nonzero"),),
            F,
            tol=8,
        ),
        c(
            "vector_norm-all",
            "linalg.vector_norm",
            lambda xp, dt, x: xp.linalg.vector_norm(x, axis=(0, 2), keepdims=True, ord=3),
            (_a(*SQ, domain="nonzero"),),
            F,
            tol=8,
        ),
        # fft
        c("fft", "fft.fft", lambda xp, dt, x: xp.fft.fft(x), (_a(2, 4),), C, tol=16),
        c(
            "ifft",
            "fft.ifft",
            lambda xp, dt, x: xp.fft.ifft(x, n=5, norm="ortho"),
            (_a(2, 4),),
            C,
            tol=16,
        ),
        c("fftn", "fft.fftn", lambda xp, dt, x: xp.fft.fftn(x), (_a(2, 4),), C, tol=16),
        c(
            "ifftn",
            "fft.ifftn",
            lambda xp, dt, x: xp.fft.ifftn(x, axes=(0,)),
            (_a(2, 4),),
            C,
            tol=16,
        ),
        c("rfft", "fft.rfft", lambda xp, dt, x: xp.fft.rfft(x), (_a(2, 4),), L, tol=16),
        c("irfft", "fft.irfft", lambda xp, dt, x: xp.fft.irfft(x, n=6), (_a(2, 4),), C, tol=16),
        c(
            "rfftn",
            "fft.rfftn",
            lambda xp, dt, x: xp.fft.rfftn(x, norm="forward"),
            (_a(2, 4),),
            L,
            tol=16,
        ),
        c(
            "irfftn",
            "fft.irfftn",
            lambda xp, dt, x: xp.fft.irfftn(x, s=(2, 6), axes=(0, 1)),
            (_a(2, 4),),
            C,
            tol=16,
        ),
        c("hfft", "fft.hfft", lambda xp, dt, x: xp.fft.hfft(x), (_a(2, 4),), C, tol=16),
        c("ihfft", "fft.ihfft", lambda xp, dt, x: xp.fft.ihfft(x), (_a(2, 4),), L, tol=16),
        c("fftfreq", "fft.fftfreq", lambda xp, dt: xp.fft.fftfreq(5, d=0.5, dtype=dt), (), L),
        c("rfftfreq", "fft.rfftfreq", lambda xp, dt: xp.fft.rfftfreq(6, dtype=dt), (), L),
        c("fftshift", "fft.fftshift", lambda xp, dt, x: xp.fft.fftshift(x), (_a(2, 5),), F),
        c(
            "ifftshift",
            "fft.ifftshift",
            lambda xp, dt, x: xp.fft.ifftshift(x, axes=1),
            (_a(2, 5),),
            F,
        ),
    ]


# -- helpers the calls use (written once, in the standard's spelling) -------------------------


def _one(dt: Any) -> bool | int:
    """A fill value of ``dt``'s kind (a bool for bool: strict semantics converts nothing)."""
    name = dt.name if isinstance(dt, ab.DType) else np.dtype(dt).name
    return True if name == "bool" else 1


def _zero(dt: Any) -> bool | int:
    return not _one(dt) if isinstance(_one(dt), bool) else 0


def _finfo(fi: Any) -> list[float]:
    return [float(fi.eps), float(fi.max), float(fi.min), float(fi.smallest_normal), fi.bits]


def _iinfo(ii: Any) -> list[int]:
    return [int(ii.max), int(ii.min), ii.bits]


def _unique_inverse(xp: Any, x: Any) -> Any:
    r = xp.unique_inverse(x)
    return (xp.sort(r.values), xp.take(r.values, xp.reshape(r.inverse_indices, (-1,))))


def _unique_all(xp: Any, x: Any) -> Any:
    r = xp.unique_all(x)
    flat = xp.reshape(x, (-1,))
    return (
        xp.sort(r.values),
        xp.take(r.values, xp.reshape(r.inverse_indices, (-1,))),
        xp.take(flat, r.indices),  # each value at its index
        xp.sum(r.counts),
    )


def _herm(xp: Any, x: Any) -> Any:
    """The Hermitian part of ``x``: the functions that read one triangle get an input that
    is a function of every element (so their gradients can be checked numerically)."""
    return (x + xp.conj(xp.matrix_transpose(x))) / 2


def _eigh_parts(xp: Any, x: Any) -> Any:
    w, v = xp.linalg.eigh(x)
    rebuilt = (v * xp.astype(xp.expand_dims(w, axis=-2), v.dtype)) @ xp.conj(xp.matrix_transpose(v))
    return (w, rebuilt)


def _qr_parts(xp: Any, x: Any) -> Any:
    q, r = xp.linalg.qr(x)
    return (q @ r, xp.abs(xp.linalg.diagonal(r)), xp.conj(xp.matrix_transpose(q)) @ q)


def _svd_parts(xp: Any, x: Any) -> Any:
    u, s, vh = xp.linalg.svd(x, full_matrices=False)
    return (s, (u * xp.astype(xp.expand_dims(s, axis=-2), u.dtype)) @ vh)


CASES: list[Case] = _elementwise() + _cases()
_INDEX: dict[str, int] = {c.id: i for i, c in enumerate(CASES)}


def case_index(case: Case) -> int:
    """The case's place in the table (what a quick run's rotations turn by)."""
    return _INDEX[case.id]


def selected() -> list[Case]:
    """The cases of this run (a quick run drops some shapes of the element-wise cases)."""
    from . import _settings

    return [c for c in CASES if c.quick or not _settings.QUICK]


def run_dtypes(case: Case) -> list[ab.DType]:
    """The dtypes ``case`` runs on: every dtype of its category; in a quick run one of
    each kind (bool, signed, unsigned, real floating, complex), the width rotating from
    case to case, so that the run as a whole still covers every dtype."""
    return rotate(dtypes_of(case.dtypes), case_index(case))


def rotate(dtypes: list[ab.DType], turn: int) -> list[ab.DType]:
    """``dtypes`` in a full run; in a quick run, for each kind, its ``turn``-th width
    (cyclically)."""
    from . import _settings

    if not _settings.QUICK:
        return dtypes
    kinds: dict[str, list[ab.DType]] = {}
    for d in dtypes:
        kinds.setdefault(d._kind, []).append(d)
    return [widths[turn % len(widths)] for widths in kinds.values()]


def spec_functions() -> list[str]:
    """Every function of the standard (``"sum"``, ``"linalg.inv"``, ``"fft.fft"``)."""
    from ._spec import names

    out = [
        n
        for n in names("namespace.txt")
        if not n.startswith("__")
        and callable(getattr(ab, n, None))
        and not isinstance(getattr(ab, n), ab.DType)
    ]
    out += [f"linalg.{n}" for n in names("linalg.txt")]
    out += [f"fft.{n}" for n in names("fft.txt")]
    return out


def resolve(xp: Any, dotted: str) -> Any:
    """``xp.<dotted>``."""
    obj = xp
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


# -- inputs --------------------------------------------------------------------------------


def transform(domain: str, a: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Matrix domains are made from drawn values: ``spd`` (A A^H + n I), ``wellcond``
    (A + 2 n I, diagonally dominant)."""
    if domain == "spd":
        n = a.shape[-1]
        m = a @ np.conj(np.swapaxes(a, -1, -2)) / 100 + n * np.eye(n, dtype=a.dtype)
        return m.astype(a.dtype)
    if domain == "wellcond":
        n = min(a.shape[-2:])
        eye = np.eye(a.shape[-2], a.shape[-1], dtype=a.dtype)
        return (a / 10 + 2 * n * eye).astype(a.dtype)
    if domain == "sorted":
        return np.sort(a, axis=-1)
    return a


def tolerance(dtype: ab.DType, scale: float) -> float:
    """Relative tolerance for a floating dtype: a few units in the last place, scaled."""
    eps = float(np.finfo(dtype.name).eps)
    return 8 * eps * scale if eps < 1e-10 else 16 * eps * scale


def flatten_result(r: Any) -> list[Any]:
    """The leaves of a case's result (tuples and lists of arrays or Python values)."""
    if isinstance(r, (tuple, list)):
        out: list[Any] = []
        for x in r:
            out.extend(flatten_result(x))
        return out
    return [r]


def _domain_check() -> None:
    known = {"any", "unit", "ge1", "positive", "above_minus1", "nonzero", "divisor", "exponent",
             "small", "shift", "index3", "count", "few", "sorted", "spd", "wellcond"}  # fmt: skip
    for case in CASES:
        for arg in case.args:
            assert arg.domain in known, (case.id, arg.domain)


_domain_check()
