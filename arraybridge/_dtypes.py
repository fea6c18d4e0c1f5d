"""The 13 dtypes of the Array API standard, their categories and promotion.

Promotion tables are derived from the dtypes' kinds and sizes (never written out by
hand): within a kind the wider dtype wins, signed and unsigned integers meet at the
smallest signed dtype holding both, and real and complex floats meet at the complex
dtype whose components are as wide as the wider float. Kinds never mix (bool, integer,
floating), as in array-api-strict.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ._errors import DTypeError

__all__ = [
    "DType",
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
]

_builtin_bool = bool


class DType:
    """An arraybridge dtype: one object per dtype, compared by identity.

    Deliberately not equal to any backend's dtype object: a dtype means the same
    thing on every backend, and each backend plugin maps it to its native dtype.
    """

    __slots__ = ("_kind", "_rank", "bits", "name")

    name: str
    bits: int
    _kind: str  # "b" bool, "i" signed, "u" unsigned, "f" real float, "c" complex
    _rank: int  # position inside its promotion lattice

    def __new__(cls, name: str, kind: str, bits: int) -> DType:
        self = object.__new__(cls)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "bits", bits)
        object.__setattr__(self, "_rank", bits)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("dtypes are immutable")

    def __repr__(self) -> str:
        return f"arraybridge.{self.name}"

    def __str__(self) -> str:
        return self.name

    def __reduce__(self) -> str:
        return self.name  # pickles as the module-level singleton

    def __copy__(self) -> DType:
        return self

    def __deepcopy__(self, memo: object) -> DType:
        return self


bool = DType("bool", "b", 8)
int8 = DType("int8", "i", 8)
int16 = DType("int16", "i", 16)
int32 = DType("int32", "i", 32)
int64 = DType("int64", "i", 64)
uint8 = DType("uint8", "u", 8)
uint16 = DType("uint16", "u", 16)
uint32 = DType("uint32", "u", 32)
uint64 = DType("uint64", "u", 64)
float32 = DType("float32", "f", 32)
float64 = DType("float64", "f", 64)
complex64 = DType("complex64", "c", 64)
complex128 = DType("complex128", "c", 128)

ALL: Final = (
    bool,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    float32,
    float64,
    complex64,
    complex128,
)
BY_NAME: Final = {d.name: d for d in ALL}

# Categories, in the words the standard uses for each function's inputs.
SIGNED: Final = frozenset(d for d in ALL if d._kind == "i")
UNSIGNED: Final = frozenset(d for d in ALL if d._kind == "u")
INTEGER: Final = SIGNED | UNSIGNED
REAL_FLOATING: Final = frozenset(d for d in ALL if d._kind == "f")
COMPLEX_FLOATING: Final = frozenset(d for d in ALL if d._kind == "c")
FLOATING: Final = REAL_FLOATING | COMPLEX_FLOATING
REAL_NUMERIC: Final = INTEGER | REAL_FLOATING
NUMERIC: Final = REAL_NUMERIC | COMPLEX_FLOATING
BOOLEAN: Final = frozenset({bool})

CATEGORIES: Final[dict[str, frozenset[DType]]] = {
    "all": frozenset(ALL),
    "boolean": BOOLEAN,
    "integer": INTEGER,
    "integer or boolean": INTEGER | BOOLEAN,
    "real numeric": REAL_NUMERIC,
    "numeric": NUMERIC,
    "real floating-point": REAL_FLOATING,
    "complex floating-point": COMPLEX_FLOATING,
    "floating-point": FLOATING,
}

# Defaults: arraybridge's, the same on every backend (TensorFlow's float32).
DEFAULT_FLOAT: Final = float32
DEFAULT_COMPLEX: Final = complex64
DEFAULT_INT: Final = int64
DEFAULT_INDEX: Final = int64

REAL_TO_COMPLEX: Final = {float32: complex64, float64: complex128}
COMPLEX_TO_REAL: Final = {complex64: float32, complex128: float64}


def _family(d: DType) -> str:
    return {"b": "bool", "i": "integer", "u": "integer", "f": "floating", "c": "floating"}[d._kind]


def _promote_pair(a: DType, b: DType) -> DType | None:
    """The standard's promotion of two dtypes, or None where the table has no entry."""
    if a is b:
        return a
    fa, fb = _family(a), _family(b)
    if fa != fb:
        return None
    if fa == "integer":
        if a._kind == b._kind:
            return a if a.bits >= b.bits else b
        s, u = (a, b) if a._kind == "i" else (b, a)
        if s.bits > u.bits:
            return s
        wider = {8: int16, 16: int32, 32: int64}.get(u.bits)
        return wider  # uint64 with any signed integer: no dtype holds both
    # floating: compare component widths; complex if either is complex
    wa = a.bits // 2 if a._kind == "c" else a.bits
    wb = b.bits // 2 if b._kind == "c" else b.bits
    real = float64 if max(wa, wb) == 64 else float32
    if "c" in (a._kind, b._kind):
        return REAL_TO_COMPLEX[real]
    return real


PROMOTION: Final[dict[tuple[DType, DType], DType]] = {
    (a, b): r for a in ALL for b in ALL if (r := _promote_pair(a, b)) is not None
}


def promote(a: DType, b: DType, op: str) -> DType:
    """The standard's promotion of ``a`` and ``b``; raise DTypeError where it has none."""
    r = PROMOTION.get((a, b))
    if r is None:
        raise DTypeError(
            f"{op}: the Array API standard does not promote {a} with {b} (mixed kinds); "
            f"convert one explicitly, e.g. ab.astype(x, ab.{b if _family(a) == 'bool' else a})"
        )
    return r


def strict_mismatch(op: str, dtypes: Iterable[DType]) -> DTypeError:
    """The error strict semantics raise for two different dtypes in one operation."""
    ds = list(dict.fromkeys(dtypes))
    first, other = ds[0], ds[1]
    return DTypeError(
        f"{op}: cannot combine {first} and {other} (strict semantics never convert "
        f"implicitly); convert one explicitly, e.g. ab.astype(x, ab.{first}), "
        f"or use ab.semantics('standard') for the Array API promotion rules"
    )


def can_cast_dtypes(from_: DType, to: DType) -> _builtin_bool:
    """The standard's can_cast: promotion of from_ and to yields to."""
    return PROMOTION.get((from_, to)) is to
