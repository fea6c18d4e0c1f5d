"""Element-wise functions (the standard's "Element-wise Functions" chapter)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtypes
from .._convert import operand
from .._dispatch import (
    apply,
    binary,
    category_error,
    check_same_device,
    primitive,
    tensor_arg,
    unary,
)
from .._dtypes import DType
from .._recording import RULES
from .._tensor import Tensor
from ..autodiff._rules import defvjp, nondifferentiable
from .data_type import astype
from .searching import where

__all__ = [
    "abs",
    "acos",
    "acosh",
    "add",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "bitwise_and",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "ceil",
    "clip",
    "conj",
    "copysign",
    "cos",
    "cosh",
    "divide",
    "equal",
    "exp",
    "expm1",
    "floor",
    "floor_divide",
    "greater",
    "greater_equal",
    "hypot",
    "imag",
    "isfinite",
    "isinf",
    "isnan",
    "less",
    "less_equal",
    "log",
    "log10",
    "log1p",
    "log2",
    "logaddexp",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "maximum",
    "minimum",
    "multiply",
    "negative",
    "nextafter",
    "not_equal",
    "positive",
    "pow",
    "real",
    "reciprocal",
    "remainder",
    "round",
    "sign",
    "signbit",
    "sin",
    "sinh",
    "sqrt",
    "square",
    "subtract",
    "tan",
    "tanh",
    "trunc",
]


def _to_bool(d: DType) -> DType:
    return _dtypes.bool


def _to_real(d: DType) -> DType:
    return _dtypes.COMPLEX_TO_REAL.get(d, d)


F, RF, CF = "floating-point", "real floating-point", "complex floating-point"
N, RN = "numeric", "real numeric"

# -- one argument ---------------------------------------------------------------------------
abs = unary(
    "abs", N, "Absolute value |x| (the modulus, as a real dtype, for complex x).", result=_to_real
)
acos = unary("acos", F, "Inverse cosine.")
acosh = unary("acosh", F, "Inverse hyperbolic cosine.")
asin = unary("asin", F, "Inverse sine.")
asinh = unary("asinh", F, "Inverse hyperbolic sine.")
atan = unary("atan", F, "Inverse tangent.")
atanh = unary("atanh", F, "Inverse hyperbolic tangent.")
bitwise_invert = unary("bitwise_invert", "integer or boolean", "Bitwise NOT (~x).")
ceil = unary("ceil", RN, "Smallest integer-valued number not less than x.")
conj = unary("conj", N, "Complex conjugate.")
cos = unary("cos", F, "Cosine.")
cosh = unary("cosh", F, "Hyperbolic cosine.")
exp = unary("exp", F, "Exponential e**x.")
_expm1 = unary("expm1", F, "exp(x) - 1, accurate for small x.")
floor = unary("floor", RN, "Largest integer-valued number not greater than x.")
imag = unary("imag", CF, "Imaginary part, as a real dtype.", result=_to_real, view=True)
isfinite = unary("isfinite", N, "True where x is finite.", result=_to_bool)
isinf = unary("isinf", N, "True where x is infinite.", result=_to_bool)
isnan = unary("isnan", N, "True where x is NaN.", result=_to_bool)
log = unary("log", F, "Natural logarithm.")
log10 = unary("log10", F, "Base-10 logarithm.")
_log1p = unary("log1p", F, "log(1 + x), accurate for small x.")
log2 = unary("log2", F, "Base-2 logarithm.")
logical_not = unary("logical_not", "boolean", "Logical NOT.")
negative = unary("negative", N, "Numerical negative (-x).")
positive = unary("positive", N, "Numerical positive (+x).")
real = unary("real", N, "Real part, as a real dtype.", result=_to_real, view=True)
reciprocal = unary("reciprocal", F, "1 / x.")
round = unary("round", N, "Round to the nearest integer-valued number (halves to even).")
_sign = unary("sign", N, "Sign of x (x / |x| for complex x; 0 at 0).")
signbit = unary("signbit", RF, "True where the sign bit is set.", result=_to_bool)
sin = unary("sin", F, "Sine.")
sinh = unary("sinh", F, "Hyperbolic sine.")
sqrt = unary("sqrt", F, "Square root.")
square = unary("square", N, "x * x.")
tan = unary("tan", F, "Tangent.")
_tanh = unary("tanh", F, "Hyperbolic tangent.")
trunc = unary("trunc", RN, "Round toward zero.")

# -- two arguments --------------------------------------------------------------------------
add = binary("add", N, "Sum x1 + x2, broadcasting.")
atan2 = binary("atan2", RF, "Inverse tangent of x1 / x2, using the signs of both.")
bitwise_and = binary("bitwise_and", "integer or boolean", "Bitwise AND.")
bitwise_left_shift = binary("bitwise_left_shift", "integer", "Shift x1's bits left by x2.")
bitwise_or = binary("bitwise_or", "integer or boolean", "Bitwise OR.")
bitwise_right_shift = binary("bitwise_right_shift", "integer", "Shift x1's bits right by x2.")
bitwise_xor = binary("bitwise_xor", "integer or boolean", "Bitwise XOR.")
copysign = binary("copysign", RF, "x1's magnitude with x2's sign.")
divide = binary("divide", F, "True division x1 / x2.")
equal = binary("equal", "all", "x1 == x2.", result=_to_bool)
_floor_divide = binary("floor_divide", RN, "Floor division x1 // x2.")
greater = binary("greater", RN, "x1 > x2.", result=_to_bool)
greater_equal = binary("greater_equal", RN, "x1 >= x2.", result=_to_bool)
hypot = binary("hypot", RF, "sqrt(x1**2 + x2**2) without undue overflow.")
less = binary("less", RN, "x1 < x2.", result=_to_bool)
less_equal = binary("less_equal", RN, "x1 <= x2.", result=_to_bool)
logaddexp = binary("logaddexp", RF, "log(exp(x1) + exp(x2)), computed stably.")
logical_and = binary("logical_and", "boolean", "Logical AND.")
logical_or = binary("logical_or", "boolean", "Logical OR.")
logical_xor = binary("logical_xor", "boolean", "Logical XOR.")
maximum = binary("maximum", RN, "Element-wise maximum (NaN propagates).")
minimum = binary("minimum", RN, "Element-wise minimum (NaN propagates).")
multiply = binary("multiply", N, "Product x1 * x2.")
nextafter = binary("nextafter", RF, "The next representable value after x1 toward x2.")
not_equal = binary("not_equal", "all", "x1 != x2.", result=_to_bool)
pow = binary("pow", N, "x1 raised to the power x2.")
remainder = binary("remainder", RN, "Remainder of floor division, with x2's sign.")
subtract = binary("subtract", N, "Difference x1 - x2.")


@primitive()
def clip(
    x: Any,
    /,
    min: Any = None,
    max: Any = None,
) -> Tensor:
    """Clamp each element of ``x`` to ``[min, max]`` (either bound may be None or a tensor)."""
    x = tensor_arg(x, "clip")
    if x._dtype not in _dtypes.REAL_NUMERIC:
        raise category_error("clip", RN, x._dtype)
    bounds: list[Any] = []
    for bound, label in ((min, "min"), (max, "max")):
        if bound is None:
            bounds.append(None)
            continue
        bounds.append(_bound(x, bound, label))
    try:
        return apply("clip", x, *bounds)  # type: ignore[no-any-return]
    except (TypeError, ValueError) as exc:
        # Note: bounds that do not broadcast: NumPy raises ValueError, JAX TypeError; the
        # shapes are looked at only after the backend call failed
        shapes = [x.shape, *(b.shape for b in bounds if b is not None)]
        if not _broadcasts(shapes):
            raise ValueError(
                f"clip: shapes {', '.join(map(str, shapes))} (x, min, max) do not broadcast"
            ) from exc
        raise


def _broadcasts(shapes: list[tuple[int, ...]]) -> bool:
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        return False
    return True


def _bound(x: Tensor, bound: Any, label: str) -> Any:
    where_ = f"clip (argument {label})"
    b = bound if isinstance(bound, Tensor) else operand(bound, x, where_)
    check_same_device("clip", x, b)
    if b._dtype is not x._dtype:
        from .. import _config

        if not _config.is_standard() or _dtypes.promote(x._dtype, b._dtype, where_) is not x._dtype:
            raise _dtypes.strict_mismatch(where_, (x._dtype, b._dtype))
        b = astype(b, x._dtype)
    return b._data


def sign(x: Any, /) -> Tensor:
    """Sign of ``x``: -1, 0 or 1 for real x; x / |x| (0 at 0) for complex x."""
    t = x if isinstance(x, Tensor) else _sign_arg(x)
    if t._dtype._kind != "c":
        return _sign(t)
    # Note: x / |x| overflows (|x| = inf) or underflows (|x| = 0) at the extremes of the
    # dtype, where NumPy's own sign goes wrong; scale by the larger component first.
    re, im = real(t), imag(t)
    m = maximum(abs(re), abs(im))
    zero = equal(m, 0)
    safe = where(zero, 1, m)
    re, im = divide(re, safe), divide(im, safe)  # real divisions: exact scaling, no underflow
    n = hypot(re, im)
    unit = add(astype(divide(re, n), t._dtype), multiply(astype(divide(im, n), t._dtype), 1j))
    return where(zero, 0, unit)


def _sign_arg(x: Any) -> Tensor:
    return tensor_arg(x, "sign")


@primitive()
def floor_divide(x1: Any, x2: Any, /) -> Tensor:
    """Floor division ``x1 // x2``; for floating operands ``floor(x1 / x2)`` at infinities."""
    r = _floor_divide(x1, x2)
    if r._dtype._kind != "f":
        return r
    # Note: where an operand is infinite, the standard's result is floor(x1 / x2) = x1 / x2:
    # inf // 2 is inf (NumPy: NaN) and 2 // -inf is -0 (NumPy: -1, Python's divmod
    # pairing). Elsewhere the backend's result (NumPy's: Python's `//`) stands, but for the
    # sign of a zero, which is x1 / x2's (-0 // 3 is -0 and -2 // -5 is +0: NumPy's and
    # Python's too, not XLA's); copysign leaves every other result of NumPy's as it is.
    if type(x1) is Tensor and type(x2) is Tensor and x1._dtype is x2._dtype:
        a, b = x1, x2
    else:
        a, b = _like(x1, r), _like(x2, r)
    q = divide(a, b)
    return where(logical_or(isinf(a), isinf(b)), q, copysign(r, q))


def _like(x: Any, r: Tensor) -> Tensor:
    """Operand ``x`` as it entered the op whose result is ``r`` (a tensor of r's dtype)."""
    t = x if isinstance(x, Tensor) else operand(x, r, "floor_divide")
    return t if t._dtype is r._dtype else astype(t, r._dtype)


def expm1(x: Any, /) -> Tensor:
    """``exp(x) - 1``, accurate for small x (the standard's special cases for complex x)."""
    t = x if isinstance(x, Tensor) else tensor_arg(x, "expm1")
    z = _expm1(t)
    if t._dtype._kind != "c":
        return z
    # Note: NumPy's complex expm1 (expm1(a) cos(b) - 2 sin^2(b / 2) + i exp(a) sin(b)) is
    # NaN wherever an infinite factor meets a zero one, and its real part at a = -inf is -1
    # only to within rounding. Where b = ±0, a = -inf, or a = +inf with b infinite or NaN,
    # the standard's result is expm1(a) + s j, with s = ±0 or NaN: s = ±0 takes the sign of
    # sin(b) (of b itself when b is not finite: the sign is unspecified there, this keeps
    # expm1(conj(x)) = conj(expm1(x))); the real part of expm1(±0 ± 0j) is +0. Elsewhere
    # the backend's result stands.
    a, b = real(t), imag(t)
    finite_b = isfinite(b)
    nan_imag = logical_and(equal(a, math.inf), logical_not(finite_b))
    special = logical_or(logical_or(equal(b, 0), equal(a, -math.inf)), nan_imag)
    c = astype(add(_expm1(a), 0.0), t._dtype)  # -0 -> +0; exact otherwise; imaginary +0
    c = where(signbit(where(finite_b, sin(b), b)), conj(c), c)
    c = where(nan_imag, complex(math.inf, math.nan), c)
    return where(special, c, z)


def log1p(x: Any, /) -> Tensor:
    """``log(1 + x)``, accurate for small x (real and complex)."""
    t = x if isinstance(x, Tensor) else tensor_arg(x, "log1p")
    z = _log1p(t)
    if t._dtype._kind != "c":
        return z
    # Note: NumPy (and so CuPy) takes the real part log|1 + z| as log(hypot(1 + a, b)),
    # which loses the digits of a small z (log1p(1e-8j) gets real part 0, not 5e-17).
    # Where |1 + z|^2 - 1 = a (2 + a) + b^2 lies in (-3/4, 3), the real part is
    # log1p(a (2 + a) + b^2) / 2 instead; elsewhere, and for the imaginary part, the
    # backend's result stands.
    a, b = real(t), imag(t)
    s = a * (2 + a) + b * b
    near = logical_and(greater(s, -0.75), less(s, 3.0))
    re = divide(_log1p(where(near, s, 0)), 2)
    fixed = add(astype(re, t._dtype), multiply(astype(imag(z), t._dtype), 1j))
    return where(near, fixed, z)


def tanh(x: Any, /) -> Tensor:
    """Hyperbolic tangent (the standard's special cases for complex x)."""
    t = x if isinstance(x, Tensor) else tensor_arg(x, "tanh")
    z = _tanh(t)
    if t._dtype._kind != "c":
        return z
    # Note: where a = real(x) is infinite the standard's result is ±1 + 0j with the sign of
    # a; there, and where b = imag(x) is ±0, the imaginary part is a zero with the sign of b
    # (tanh(conj(x)) = conj(tanh(x))). C99's ctanh, which NumPy follows, gives the zero
    # the sign of sin(2b) for infinite a; XLA's tanh loses the sign of b = -0.
    a, b = real(t), imag(t)
    inf_a = isinf(a)
    y = where(inf_a, astype(copysign(1.0, a), t._dtype), z)
    flip = logical_and(logical_or(inf_a, equal(b, 0)), not_equal(signbit(imag(y)), signbit(b)))
    return where(flip, conj(y), y)


def _clip_bound(which: str) -> Any:
    def rule(g: Tensor, ans: Tensor, x: Tensor, min: Any = None, max: Any = None) -> Tensor:
        bound = min if which == "min" else max
        return where(logical_and(equal(ans, bound), not_equal(ans, x)), g, 0)

    return rule


@primitive("masked")
def _masked(g: Tensor, mask: Tensor) -> Tensor:
    """``g`` where boolean ``mask`` is true, else 0: ``g * mask`` in one backend multiply
    (every backend multiplies a floating array by a boolean one without casting it first).
    Rules only: ``g`` is a floating tensor, ``mask`` a boolean one that broadcasts to it."""
    return apply("multiply", g, mask._data, out_dtype=g._dtype)  # type: ignore[no-any-return]


defvjp("masked", lambda gg, ans, g, mask: _masked(gg, mask))


def _abs_rule(g: Tensor, ans: Tensor, x: Tensor) -> Tensor:
    if x._dtype._kind != "c":
        return g * _sign(x)
    zero = equal(ans, 0)
    return where(zero, 0, g * conj(x) / where(zero, 1, ans))


# -- VJP rules (JAX's complex convention: g * f'(z), no conjugate; see autodiff/_rules.py) ----
# Note: piecewise-constant functions give no gradient (None), as in TensorFlow.
_LN2, _LN10 = math.log(2.0), math.log(10.0)
defvjp(abs, lambda g, ans, x: _abs_rule(g, ans, x))
defvjp(acos, lambda g, ans, x: negative(g) / sqrt(1 - x * x))
defvjp(acosh, lambda g, ans, x: g / (sqrt(x - 1) * sqrt(x + 1)))
defvjp(asin, lambda g, ans, x: g / sqrt(1 - x * x))
defvjp(asinh, lambda g, ans, x: g / sqrt(x * x + 1))
defvjp(atan, lambda g, ans, x: g / (1 + x * x))
defvjp(atanh, lambda g, ans, x: g / (1 - x * x))
defvjp(conj, lambda g, ans, x: conj(g))
defvjp(cos, lambda g, ans, x: negative(g) * sin(x))
defvjp(cosh, lambda g, ans, x: g * sinh(x))
defvjp(exp, lambda g, ans, x: g * ans)
defvjp("expm1", lambda g, ans, x: g * (ans + 1))
defvjp(imag, lambda g, ans, x: g * -1j)
defvjp(log, lambda g, ans, x: g / x)
defvjp(log10, lambda g, ans, x: g / (x * _LN10))
defvjp(log1p, lambda g, ans, x: g / (x + 1))
defvjp(log2, lambda g, ans, x: g / (x * _LN2))
defvjp(negative, lambda g, ans, x: negative(g))
defvjp(positive, lambda g, ans, x: g)
defvjp(real, lambda g, ans, x: g)
defvjp(reciprocal, lambda g, ans, x: negative(g) * ans * ans)
defvjp(sin, lambda g, ans, x: g * cos(x))
defvjp(sinh, lambda g, ans, x: g * cosh(x))
defvjp(sqrt, lambda g, ans, x: g / (2 * ans))
defvjp(square, lambda g, ans, x: 2 * g * x)
defvjp(tan, lambda g, ans, x: g * (1 + ans * ans))
defvjp("tanh", lambda g, ans, x: g * (1 - ans * ans))
defvjp(add, lambda g, ans, x1, x2: g, lambda g, ans, x1, x2: g)
defvjp(subtract, lambda g, ans, x1, x2: g, lambda g, ans, x1, x2: negative(g))
defvjp(multiply, lambda g, ans, x1, x2: g * x2, lambda g, ans, x1, x2: g * x1)
defvjp(divide, lambda g, ans, x1, x2: g / x2, lambda g, ans, x1, x2: negative(g) * ans / x2)
defvjp(
    pow,
    lambda g, ans, x1, x2: where(equal(x2, 0), 0, g * x2 * pow(x1, x2 - 1)),
    lambda g, ans, x1, x2: g * ans * log(where(equal(x1, 0), 1, x1)),
)
defvjp(
    atan2,
    lambda g, ans, x1, x2: g * x2 / (x1 * x1 + x2 * x2),
    lambda g, ans, x1, x2: negative(g) * x1 / (x1 * x1 + x2 * x2),
)
defvjp(hypot, lambda g, ans, x1, x2: g * x1 / ans, lambda g, ans, x1, x2: g * x2 / ans)
defvjp(
    logaddexp,
    lambda g, ans, x1, x2: g * exp(x1 - ans),
    lambda g, ans, x1, x2: g * exp(x2 - ans),
)
# Note: ties go to x1, as in TensorFlow (JAX splits them). The cotangent is g times the 0/1
# mask, as TensorFlow's ReluGrad computes it (4x faster than a select on NumPy), so a NaN or
# infinite g stays NaN where the mask is 0.
defvjp(
    maximum,
    lambda g, ans, x1, x2: _masked(g, greater_equal(x1, x2)),
    lambda g, ans, x1, x2: _masked(g, less(x1, x2)),
)
defvjp(
    minimum,
    lambda g, ans, x1, x2: _masked(g, less_equal(x1, x2)),
    lambda g, ans, x1, x2: _masked(g, greater(x1, x2)),
)
defvjp(copysign, lambda g, ans, x1, x2: where(equal(signbit(x1), signbit(ans)), g, negative(g)))
defvjp(
    remainder,
    lambda g, ans, x1, x2: g,
    lambda g, ans, x1, x2: negative(g) * _floor_divide(x1, x2),
)
defvjp(clip, lambda g, ans, x, min=None, max=None: where(equal(ans, x), g, 0))
RULES["clip"].update(
    {
        1: _clip_bound("min"),
        2: _clip_bound("max"),
        "min": _clip_bound("min"),
        "max": _clip_bound("max"),
    }
)
nondifferentiable(
    ceil,
    floor,
    round,
    trunc,
    "sign",
    "floor_divide",
    nextafter,
    bitwise_invert,
    bitwise_and,
    bitwise_left_shift,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    equal,
    not_equal,
    greater,
    greater_equal,
    less,
    less_equal,
    isfinite,
    isinf,
    isnan,
    signbit,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
)
