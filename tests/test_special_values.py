"""The standard's special cases, one row per case, checked exactly (IEEE 754, signed zeros).

Each table row is (inputs, expected), taken from the "Special cases" lists of the 2025.12
stubs (``array_api_stubs/_2025_12/elementwise_functions.py``): a row per listed case, with
the phrases "a positive finite number", "a nonzero finite number" and so on replaced by a
few sample values (including the dtype's largest and smallest normal values). Expected
results are compared with the sign of zero; NaN matches any NaN. Where the standard leaves
a sign unspecified the row accepts either sign.

Complex rows are extended by the symmetries the standard requires of the function:
``f(conj(x)) == conj(f(x))`` (expm1, tanh) and ``tanh(-x) == -tanh(x)``.

Every test runs on every available backend (tests/conftest.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import arraybridge as ab

INF, NAN = math.inf, math.nan
REAL_FLOAT = (ab.float32, ab.float64)
COMPLEX = (ab.complex64, ab.complex128)

# An operand or expected value: a float, or a name resolved per dtype ("max", "-max",
# "tiny", "-tiny": the largest finite and smallest normal magnitudes), or, for expected
# values only, a tuple of acceptable values (the standard leaves a sign unspecified).
Value = float | str | tuple[float, ...]
ANY0 = (0.0, -0.0)  # "sign ... is unspecified" for a zero
ANYINF = (INF, -INF)  # "sign ... is unspecified" for an infinity


def _resolve(v: Value, dtype: ab.DType) -> Any:
    if isinstance(v, str):
        fi = ab.finfo(dtype)
        magnitude = {"max": fi.max, "tiny": fi.smallest_normal}[v.lstrip("-")]
        return -magnitude if v.startswith("-") else magnitude
    return v


def _neg(v: Value) -> Value:
    if isinstance(v, tuple):
        return tuple(-e for e in v)
    if isinstance(v, str):
        return v[1:] if v.startswith("-") else "-" + v
    return -v


def _same(got: float, want: Value) -> bool:
    """``got`` is ``want`` exactly: equal with the same sign (any NaN matches NaN)."""
    if isinstance(want, tuple):
        return any(_same(got, w) for w in want)
    assert not isinstance(want, str)
    if math.isnan(want):
        return math.isnan(got)
    return got == want and math.copysign(1.0, got) == math.copysign(1.0, want)


def _show(v: Value) -> str:
    if isinstance(v, tuple):
        return "|".join(_show(e) for e in v)
    return v if isinstance(v, str) else repr(v)


def _tensor(values: Iterable[Any], dtype: ab.DType) -> ab.Tensor:
    return ab.asarray(np.array(list(values), dtype=np.dtype(dtype.name)))


def _complex_id(a: Value, b: Value) -> str:
    return f"{_show(a)}{'' if str(_show(b)).startswith('-') else '+'}{_show(b)}j"


# -- floor_divide -----------------------------------------------------------------------------

POS_FINITE: tuple[Value, ...] = (0.5, 3.0, "max", "tiny")
NEG_FINITE: tuple[Value, ...] = tuple(_neg(v) for v in POS_FINITE)
POS: tuple[Value, ...] = (*POS_FINITE, INF)  # "greater than 0"
NEG: tuple[Value, ...] = (*NEG_FINITE, -INF)  # "less than 0"
ANY: tuple[Value, ...] = (0.0, -0.0, *POS, *NEG)

# (x1, x2, expected), in the order of the standard's list ("For floating-point operands").
FLOOR_DIVIDE: list[tuple[Value, Value, Value]] = [
    # If either x1_i or x2_i is NaN, the result is NaN.
    *[(NAN, v, NAN) for v in (*ANY, NAN)],
    *[(v, NAN, NAN) for v in ANY],
    # If x1_i is either +infinity or -infinity and x2_i is either +infinity or -infinity,
    # the result is NaN.
    *[(a, b, NAN) for a in (INF, -INF) for b in (INF, -INF)],
    # If x1_i is either +0 or -0 and x2_i is either +0 or -0, the result is NaN.
    *[(a, b, NAN) for a in (0.0, -0.0) for b in (0.0, -0.0)],
    # If x1_i is +0 and x2_i is greater than 0, the result is +0.
    *[(0.0, b, 0.0) for b in POS],
    # If x1_i is -0 and x2_i is greater than 0, the result is -0.
    *[(-0.0, b, -0.0) for b in POS],
    # If x1_i is +0 and x2_i is less than 0, the result is -0.
    *[(0.0, b, -0.0) for b in NEG],
    # If x1_i is -0 and x2_i is less than 0, the result is +0.
    *[(-0.0, b, 0.0) for b in NEG],
    # If x1_i is greater than 0 and x2_i is +0, the result is +infinity.
    *[(a, 0.0, INF) for a in POS],
    # If x1_i is greater than 0 and x2_i is -0, the result is -infinity.
    *[(a, -0.0, -INF) for a in POS],
    # If x1_i is less than 0 and x2_i is +0, the result is -infinity.
    *[(a, 0.0, -INF) for a in NEG],
    # If x1_i is less than 0 and x2_i is -0, the result is +infinity.
    *[(a, -0.0, INF) for a in NEG],
    # If x1_i is +infinity and x2_i is a positive finite number, the result is +infinity.
    *[(INF, b, INF) for b in POS_FINITE],
    # If x1_i is +infinity and x2_i is a negative finite number, the result is -infinity.
    *[(INF, b, -INF) for b in NEG_FINITE],
    # If x1_i is -infinity and x2_i is a positive finite number, the result is -infinity.
    *[(-INF, b, -INF) for b in POS_FINITE],
    # If x1_i is -infinity and x2_i is a negative finite number, the result is +infinity.
    *[(-INF, b, INF) for b in NEG_FINITE],
    # If x1_i is a positive finite number and x2_i is +infinity, the result is +0.
    *[(a, INF, 0.0) for a in POS_FINITE],
    # If x1_i is a positive finite number and x2_i is -infinity, the result is -0.
    *[(a, -INF, -0.0) for a in POS_FINITE],
    # If x1_i is a negative finite number and x2_i is +infinity, the result is -0.
    *[(a, INF, -0.0) for a in NEG_FINITE],
    # If x1_i is a negative finite number and x2_i is -infinity, the result is +0.
    *[(a, -INF, 0.0) for a in NEG_FINITE],
    # If x1_i and x2_i have the same mathematical sign and are both nonzero finite numbers,
    # the result has a positive mathematical sign.
    (2.0, 5.0, 0.0),
    (-2.0, -5.0, 0.0),
    ("tiny", "max", 0.0),
    ("-tiny", "-max", 0.0),
    (7.0, 2.0, 3.0),
    (-7.0, -2.0, 3.0),
    ("max", "max", 1.0),
    # If x1_i and x2_i have different mathematical signs and are both nonzero finite
    # numbers, the result has a negative mathematical sign.
    (-2.0, 5.0, -1.0),
    (2.0, -5.0, -1.0),
    (7.0, -2.0, -4.0),
    (-7.0, 2.0, -4.0),
    ("max", "-max", -1.0),
    # In the remaining cases ... the quotient must be computed and rounded to the greatest
    # representable integer-value number that is not greater than the division result. If
    # the magnitude is too large to represent, the operation overflows and the result is an
    # infinity of appropriate mathematical sign.
    (9.0, 4.0, 2.0),
    (-9.0, 4.0, -3.0),
    ("max", 0.5, INF),
    ("max", -0.5, -INF),
    ("-max", 0.5, -INF),
    ("-max", -0.5, INF),
]


def _floor_divide_cases() -> list[Any]:
    return [
        pytest.param(a, b, want, d, id=f"{d.name}-{_show(a)}//{_show(b)}")
        for a, b, want in FLOOR_DIVIDE
        for d in REAL_FLOAT
    ]


def _floor_divide_ways(dtype: ab.DType) -> dict[str, Callable[[Any, Any], ab.Tensor]]:
    """floor_divide as a function, an operator, with a Python scalar, and in place."""

    def inplace(a: Any, b: Any) -> ab.Tensor:
        t, u = _tensor([a], dtype), _tensor([b], dtype)
        with ab.semantics("standard"):
            t //= u
        return t

    return {
        "ab.floor_divide": lambda a, b: ab.floor_divide(_tensor([a], dtype), _tensor([b], dtype)),
        "x1 // x2": lambda a, b: _tensor([a], dtype) // _tensor([b], dtype),
        "float // x2": lambda a, b: float(a) // _tensor([b], dtype),
        "x1 // float": lambda a, b: _tensor([a], dtype) // float(b),
        "x1 //= x2": inplace,
    }


@pytest.mark.parametrize(("x1", "x2", "want", "dtype"), _floor_divide_cases())
def test_floor_divide_special_case(x1: Value, x2: Value, want: Value, dtype: ab.DType) -> None:
    a, b, w = _resolve(x1, dtype), _resolve(x2, dtype), _resolve(want, dtype)
    for way, fn in _floor_divide_ways(dtype).items():
        got = fn(a, b)
        assert got.dtype is dtype, f"{way}: dtype {got.dtype}"
        value = float(np.asarray(got)[0])
        assert _same(value, w), f"{way}: {x1} // {x2} gave {value!r}, the standard says {want}"


@pytest.mark.parametrize("dtype", REAL_FLOAT, ids=lambda d: d.name)
def test_floor_divide_special_cases_in_one_array(dtype: ab.DType) -> None:
    """The whole table in one call, and as an outer product (broadcasting): special and
    ordinary elements side by side."""
    rows = [tuple(_resolve(v, dtype) for v in row) for row in FLOOR_DIVIDE]
    got = np.asarray(
        ab.floor_divide(_tensor([r[0] for r in rows], dtype), _tensor([r[1] for r in rows], dtype))
    )
    bad = [(r, g) for r, g in zip(rows, got.tolist(), strict=True) if not _same(g, r[2])]
    assert not bad, f"(x1, x2, expected), got: {bad[:5]}"
    # distinct by repr: 0.0 and -0.0 are different operands here
    x1s = list({repr(r[0]): r[0] for r in rows})
    x2s = list({repr(r[1]): r[1] for r in rows})
    grid = np.asarray(
        ab.floor_divide(
            _tensor([float(v) for v in x1s], dtype)[:, None],
            _tensor([float(v) for v in x2s], dtype)[None, :],
        )
    )
    assert grid.shape == (len(x1s), len(x2s))
    for a, b, w in rows:
        g = float(grid[x1s.index(repr(a)), x2s.index(repr(b))])
        assert _same(g, w), f"{a} // {b} gave {g!r} in the outer product, expected {w}"


def _all_same(got: ab.Tensor, want: list[float]) -> bool:
    values = np.asarray(got).tolist()
    return len(values) == len(want) and all(map(_same, values, want))


def test_floor_divide_special_cases_after_promotion() -> None:
    """Operands of other dtypes and kinds are fixed up as they enter the division."""
    x = _tensor([INF, -3.0, 3.0], ab.float32)
    with ab.semantics("standard"):
        mixed = ab.floor_divide(x, _tensor([2.0, INF, -INF], ab.float64))
        assert mixed.dtype is ab.float64
        assert _all_same(mixed, [INF, -0.0, -0.0])
    from_numpy = ab.floor_divide(np.array([2.0, INF, -INF], dtype=np.float32), x)
    assert from_numpy.dtype is ab.float32
    assert _all_same(from_numpy, [0.0, -INF, -INF])
    assert _all_same(ab.floor_divide(x, 2), [INF, -2.0, 1.0])  # a Python int: weak
    assert _all_same(ab.floor_divide(-INF, x), [NAN, INF, -INF])  # a Python float: weak
    assert _same(float(np.asarray(ab.floor_divide(INF, -2.0))), -INF)  # two Python scalars


# NumPy's floor_divide on finite floats is Python's float `//` (the divmod pairing): the
# standard allows it ("libraries may choose to more strictly follow Python behavior"), and
# arraybridge keeps it, so Python's own `//` is the oracle for finite operands.
PYTHON_SEMANTICS = [
    (7.0, 0.1),  # 69: floor of the exact quotient, though 7 / 0.1 rounds to 70
    (-1e-300, 1e300),  # -1: the exact quotient is negative, though 1e-300 / 1e300 is -0
    (1e-300, 1e300),
    (-7.5, 2.0),
    (7.5, -2.0),
    (-0.0, 5.0),
    (-2.0, -5.0),
    (1e308, 1e-308),
]


@pytest.mark.parametrize(
    ("a", "b"), PYTHON_SEMANTICS, ids=[f"{a}//{b}" for a, b in PYTHON_SEMANTICS]
)
def test_floor_divide_finite_values_follow_python(a: float, b: float) -> None:
    got = float(np.asarray(ab.floor_divide(_tensor([a], ab.float64), _tensor([b], ab.float64)))[0])
    assert _same(got, a // b), f"{a} // {b}: got {got!r}, Python gives {a // b!r}"


@given(data=st.data())
def test_floor_divide_finite_float64_is_python_floordiv(data: st.DataObject) -> None:
    # a device that flushes subnormals (XLA on CPU) reads them as zero: leave them out there
    sub = ab.asarray(0.0).device.subnormals
    finite = st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=sub)
    a = data.draw(finite, label="a")
    b = data.draw(finite.filter(lambda v: v != 0), label="b")
    got = float(np.asarray(ab.floor_divide(_tensor([a], ab.float64), _tensor([b], ab.float64)))[0])
    assert _same(got, a // b), f"{a!r} // {b!r}: got {got!r}, Python gives {a // b!r}"


@pytest.mark.parametrize("dtype", [ab.int8, ab.int16, ab.int32, ab.int64, ab.uint8, ab.uint64])
def test_floor_divide_integers_unchanged(dtype: ab.DType) -> None:
    pairs = [(7, 2), (0, 3), (9, 9)] + (
        [(-7, 2), (7, -2), (-7, -2)] if dtype.name[0] == "i" else []
    )
    got = ab.floor_divide(
        _tensor([p[0] for p in pairs], dtype), _tensor([p[1] for p in pairs], dtype)
    )
    assert got.dtype is dtype
    assert np.asarray(got).tolist() == [a // b for a, b in pairs]


def test_floor_divide_errors_unchanged() -> None:
    with pytest.raises(ab.DTypeError, match="floor_divide"):
        ab.floor_divide(_tensor([1j], ab.complex64), _tensor([1j], ab.complex64))
    with pytest.raises(ab.DTypeError, match="floor_divide"):
        ab.floor_divide(_tensor([1.0], ab.float32), _tensor([1.0], ab.float64))  # strict


# -- expm1 ------------------------------------------------------------------------------------

# Real-valued floating-point operands: (x, expected).
EXPM1_REAL: list[tuple[Value, Value]] = [
    (NAN, NAN),  # If x_i is NaN, the result is NaN.
    (0.0, 0.0),  # If x_i is +0, the result is +0.
    (-0.0, -0.0),  # If x_i is -0, the result is -0.
    (INF, INF),  # If x_i is +infinity, the result is +infinity.
    (-INF, -1.0),  # If x_i is -infinity, the result is -1.
]

FINITE: tuple[float, ...] = (0.0, -0.0, 1.5, -2.0, 4.0)
NONZERO_FINITE: tuple[float, ...] = (1.0, 2.0, 4.0, 5.0, -1.0, -4.0)
CRow = tuple[tuple[Value, Value], tuple[Value, Value]]  # (a, b) -> (real, imag)


def _times_cis(m: float, b: float, minus: float) -> tuple[Value, Value]:
    """``m * cis(b) - minus`` in the standard's notation (cis(v) = cos(v) + sin(v) j)."""
    return (m * math.cos(b) - minus, m * math.sin(b))


EXPM1_COMPLEX: list[CRow] = [
    # If a is either +0 or -0 and b is +0, the result is 0 + 0j.
    ((0.0, 0.0), (0.0, 0.0)),
    ((-0.0, 0.0), (0.0, 0.0)),
    # If a is a finite number and b is +infinity, the result is NaN + NaN j.
    *[((a, INF), (NAN, NAN)) for a in FINITE],
    # If a is a finite number and b is NaN, the result is NaN + NaN j.
    *[((a, NAN), (NAN, NAN)) for a in FINITE],
    # If a is +infinity and b is +0, the result is +infinity + 0j.
    ((INF, 0.0), (INF, 0.0)),
    # If a is -infinity and b is a finite number, the result is +0 * cis(b) - 1.0.
    *[((-INF, b), _times_cis(0.0, b, 1.0)) for b in FINITE],
    # If a is +infinity and b is a nonzero finite number, the result is
    # +infinity * cis(b) - 1.0.
    *[((INF, b), _times_cis(INF, b, 1.0)) for b in NONZERO_FINITE],
    # If a is -infinity and b is +infinity, the result is -1 + 0j (sign of imaginary
    # component is unspecified).
    ((-INF, INF), (-1.0, ANY0)),
    # If a is +infinity and b is +infinity, the result is infinity + NaN j (sign of real
    # component is unspecified).
    ((INF, INF), (ANYINF, NAN)),
    # If a is -infinity and b is NaN, the result is -1 + 0j (sign of imaginary component
    # is unspecified).
    ((-INF, NAN), (-1.0, ANY0)),
    # If a is +infinity and b is NaN, the result is infinity + NaN j (sign of real
    # component is unspecified).
    ((INF, NAN), (ANYINF, NAN)),
    # If a is NaN and b is +0, the result is NaN + 0j.
    ((NAN, 0.0), (NAN, 0.0)),
    # If a is NaN and b is not equal to 0, the result is NaN + NaN j.
    *[((NAN, b), (NAN, NAN)) for b in (*NONZERO_FINITE, INF)],
    # If a is NaN and b is NaN, the result is NaN + NaN j.
    ((NAN, NAN), (NAN, NAN)),
    # Not in the list, but exp's b = +0 case applies: a large finite a overflows exp(a)
    # (a naive exp(a) * sin(b) for the imaginary part is inf * 0 = NaN).
    (("max", 0.0), (INF, 0.0)),
]


# -- tanh -------------------------------------------------------------------------------------

TANH_REAL: list[tuple[Value, Value]] = [
    (NAN, NAN),  # If x_i is NaN, the result is NaN.
    (0.0, 0.0),  # If x_i is +0, the result is +0.
    (-0.0, -0.0),  # If x_i is -0, the result is -0.
    (INF, 1.0),  # If x_i is +infinity, the result is +1.
    (-INF, -1.0),  # If x_i is -infinity, the result is -1.
]

# Results the standard's warning allows either way ("the result should be +0 + NaN j ...
# the result may be NaN + NaN j" for libraries compiled against older C versions).
ZERO_OR_NAN = (0.0, NAN)

TANH_COMPLEX: list[CRow] = [
    # If a is +0 and b is +0, the result is +0 + 0j.
    ((0.0, 0.0), (0.0, 0.0)),
    # If a is a nonzero finite number and b is +infinity, the result is NaN + NaN j.
    *[((a, INF), (NAN, NAN)) for a in NONZERO_FINITE],
    # If a is +0 and b is +infinity, the result is +0 + NaN j.
    ((0.0, INF), (ZERO_OR_NAN, NAN)),
    # If a is a nonzero finite number and b is NaN, the result is NaN + NaN j.
    *[((a, NAN), (NAN, NAN)) for a in NONZERO_FINITE],
    # If a is +0 and b is NaN, the result is +0 + NaN j.
    ((0.0, NAN), (ZERO_OR_NAN, NAN)),
    # If a is +infinity and b is a positive finite number, the result is 1 + 0j.
    *[((INF, b), (1.0, 0.0)) for b in (1.0, 2.0, 4.0, 5.0, "tiny", "max")],
    # If a is +infinity and b is +infinity, the result is 1 + 0j (sign of the imaginary
    # component is unspecified).
    ((INF, INF), (1.0, ANY0)),
    # If a is +infinity and b is NaN, the result is 1 + 0j (sign of the imaginary component
    # is unspecified).
    ((INF, NAN), (1.0, ANY0)),
    # If a is NaN and b is +0, the result is NaN + 0j.
    ((NAN, 0.0), (NAN, 0.0)),
    # If a is NaN and b is a nonzero number, the result is NaN + NaN j.
    *[((NAN, b), (NAN, NAN)) for b in (*NONZERO_FINITE, INF)],
    # If a is NaN and b is NaN, the result is NaN + NaN j.
    ((NAN, NAN), (NAN, NAN)),
]


def _conj_rows(rows: list[CRow]) -> list[CRow]:
    """f(conj(x)) == conj(f(x)): the rows for b's sign flipped."""
    return [((a, _neg(b)), (re, _neg(im))) for (a, b), (re, im) in rows]


def _odd_rows(rows: list[CRow]) -> list[CRow]:
    """f(-x) == -f(x)."""
    return [((_neg(a), _neg(b)), (_neg(re), _neg(im))) for (a, b), (re, im) in rows]


def _unique(rows: list[CRow]) -> list[CRow]:
    seen: dict[str, CRow] = {}
    for row in rows:
        seen.setdefault(repr(row), row)
    return list(seen.values())


COMPLEX_TABLES: dict[str, tuple[Callable[[Any], ab.Tensor], list[CRow]]] = {
    "expm1": (ab.expm1, _unique(EXPM1_COMPLEX + _conj_rows(EXPM1_COMPLEX))),
    "tanh": (
        ab.tanh,
        _unique(
            [
                *TANH_COMPLEX,
                *_conj_rows(TANH_COMPLEX),
                *_odd_rows(TANH_COMPLEX),
                *_odd_rows(_conj_rows(TANH_COMPLEX)),
            ]
        ),
    ),
}
REAL_TABLES: dict[str, tuple[Callable[[Any], ab.Tensor], list[tuple[Value, Value]]]] = {
    "expm1": (ab.expm1, EXPM1_REAL),
    "tanh": (ab.tanh, TANH_REAL),
}


def _real_unary_cases() -> list[Any]:
    return [
        pytest.param(name, x, want, d, id=f"{name}-{d.name}-{_show(x)}")
        for name, (_, rows) in REAL_TABLES.items()
        for x, want in rows
        for d in REAL_FLOAT
    ]


def _complex_unary_cases() -> list[Any]:
    return [
        pytest.param(name, a, b, re, im, d, id=f"{name}-{d.name}-{_complex_id(a, b)}")
        for name, (_, rows) in COMPLEX_TABLES.items()
        for (a, b), (re, im) in rows
        for d in COMPLEX
    ]


@pytest.mark.parametrize(("name", "x", "want", "dtype"), _real_unary_cases())
def test_real_unary_special_case(name: str, x: Value, want: Value, dtype: ab.DType) -> None:
    fn = REAL_TABLES[name][0]
    got = fn(_tensor([_resolve(x, dtype)], dtype))
    assert got.dtype is dtype
    value = float(np.asarray(got)[0])
    assert _same(value, _resolve(want, dtype)), f"{name}({x}) gave {value!r}, expected {want}"


@pytest.mark.parametrize(("name", "a", "b", "re", "im", "dtype"), _complex_unary_cases())
def test_complex_unary_special_case(
    name: str, a: Value, b: Value, re: Value, im: Value, dtype: ab.DType
) -> None:
    fn = COMPLEX_TABLES[name][0]
    x = complex(_resolve(a, dtype), _resolve(b, dtype))
    got = fn(_tensor([x], dtype))
    assert got.dtype is dtype
    z = complex(np.asarray(got)[0])
    assert _same(z.real, _resolve(re, dtype)) and _same(z.imag, _resolve(im, dtype)), (
        f"{name}({_complex_id(a, b)}) gave {z!r}, expected {_complex_id(re, im)}"
    )


@pytest.mark.parametrize("name", sorted(COMPLEX_TABLES))
@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: d.name)
def test_complex_unary_special_cases_in_one_array(name: str, dtype: ab.DType) -> None:
    """The whole table in one 2-d call, beside ordinary values, which keep the backend's
    result (compared with the same function on ordinary values alone)."""
    fn, rows = COMPLEX_TABLES[name]
    xs = [complex(_resolve(a, dtype), _resolve(b, dtype)) for (a, b), _ in rows]
    ordinary = [0.5 + 0.25j, -1.0 - 2.0j, 3.0 + 0.0001j]
    got = np.asarray(fn(_tensor(xs + ordinary, dtype)[None, :]))[0]
    for ((a, b), (re, im)), z in zip(rows, got.tolist(), strict=False):
        assert _same(z.real, _resolve(re, dtype)) and _same(z.imag, _resolve(im, dtype)), (
            f"{name}({_complex_id(a, b)}) gave {z!r} in an array, expected {_complex_id(re, im)}"
        )
    alone = np.asarray(fn(_tensor(ordinary, dtype)))
    np.testing.assert_array_equal(got[len(xs) :], alone)


def test_unary_wrappers_take_non_tensors() -> None:
    for fn, x, want in (
        (ab.expm1, np.array([complex(NAN, 0.0)], dtype=np.complex128), (NAN, 0.0)),
        (ab.tanh, np.array([complex(INF, 2.0)], dtype=np.complex64), (1.0, 0.0)),
    ):
        z = complex(np.asarray(fn(x))[0])
        assert _same(z.real, want[0]) and _same(z.imag, want[1]), (fn.__name__, z)
    assert float(np.asarray(ab.expm1(0.0))) == 0.0
    with pytest.raises(ab.DTypeError, match="expm1"):
        ab.expm1(_tensor([1], ab.int32))
    with pytest.raises(ab.DTypeError, match="tanh"):
        ab.tanh(_tensor([True], ab.bool))


def test_wrappers_keep_the_spec_names_and_signatures() -> None:
    import inspect

    from arraybridge._dispatch import OPS

    for fn, params in ((ab.floor_divide, ["x1", "x2"]), (ab.expm1, ["x"]), (ab.tanh, ["x"])):
        assert fn.__name__ in OPS
        sig = inspect.signature(fn)
        assert list(sig.parameters) == params
        assert all(p.kind is inspect.Parameter.POSITIONAL_ONLY for p in sig.parameters.values())
