"""JAX overrides: elementwise functions whose JAX results differ from the other backends'.

The reference is the Array API standard's special cases and, where the standard leaves a
case to the implementation (complex infinities and NaNs, integer overflow), NumPy: its
own loops for complex arithmetic, C99 Annex G (glibc) for the complex elementary
functions. Real and integer arguments go straight to ``jax.numpy`` except where noted.

The floating-point overrides run op by op, not under ``jax.jit``: inside one XLA
computation the compiler contracts products into fused multiply-adds and rewrites
``a / b / c`` as ``a / (b * c)``, which changes infinities, NaNs and underflow (the
complex reciprocal of 1e-38j became NaN that way). Integer power is jitted. Even one
eager op divides by a broadcast operand through its reciprocal, so divisions here see
operands of one shape.

``floor_divide`` and ``remainder`` here replace the integer-division wrappers of
``__init__`` (whose rule, division by zero gives 0, they repeat) to fix broadcast
division and the sign of zero remainders as well.

One difference cannot be closed here: XLA on CPU runs with flush-to-zero and
denormals-are-zero, so subnormal inputs read as zero and subnormal results become zero
(the standard leaves subnormal behaviour to the implementation).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["overrides"]


def overrides(jnp: Any) -> dict[str, Callable[..., Any]]:
    """Spec name -> replacement function, each with a `# Note:` saying what it closes."""
    return _Overrides(jnp).table()


def _kind(x: Any) -> str:
    """The NumPy kind of an array's dtype; "" for a Python scalar."""
    dtype = getattr(x, "dtype", None)
    return "" if dtype is None else str(dtype.kind)


class _Overrides:
    """The replacement functions, built on ``jax.numpy`` and ``jax.lax``."""

    def __init__(self, jnp: Any) -> None:
        import jax
        from jax import lax

        self.jax = jax
        self.jnp = jnp
        self.lax = lax

    # -- helpers -----------------------------------------------------------------------
    def _parts(self, z: Any) -> tuple[Any, Any]:
        return self.lax.real(z), self.lax.imag(z)

    def _complex(self, re: Any, im: Any) -> Any:
        return self.lax.complex(re, im)

    def _const(self, value: float, like: Any) -> Any:
        """``value`` as a NumPy scalar of ``like``'s dtype (no device op of its own)."""
        return np.asarray(value, dtype=like.dtype)[()]

    def _cr(self, name: str, *args: Any) -> Any:
        """``jnp.<name>(*args)``; for float32, computed in float64 and rounded once, so
        that it agrees with C's (nearly correctly rounded) float functions."""
        jnp = self.jnp
        if args[0].dtype == jnp.float32:
            wide = [a.astype(jnp.float64) for a in args]
            return getattr(jnp, name)(*wide).astype(jnp.float32)
        return getattr(jnp, name)(*args)

    def _finfo(self, x: Any) -> Any:
        return np.finfo(np.dtype(x.dtype))

    def _fma(self, a: Any, b: Any, c: Any) -> Any:
        """a * b + c with the product unrounded where it matters for infinities.

        Note: NumPy's SIMD complex loops use fused multiply-add; a * b + c differs
        from fma(a, b, c) in its infinities when c is infinite and the finite a * b
        overflows (fma gives c, plain arithmetic inf - inf = NaN).
        """
        jnp = self.jnp
        exact_finite = jnp.isfinite(a) & jnp.isfinite(b)
        return jnp.where(exact_finite & jnp.isinf(c), c, a * b + c)

    def _cmul(self, ar: Any, ai: Any, br: Any, bi: Any) -> tuple[Any, Any]:
        """NumPy's complex product: (fma(ar, br, -ai*bi), fma(ar, bi, ai*br))."""
        return self._fma(ar, br, -(ai * bi)), self._fma(ar, bi, ai * br)

    def _cmul_plain(self, ar: Any, ai: Any, br: Any, bi: Any) -> tuple[Any, Any]:
        """The textbook complex product, as NumPy's npymath helpers (npy_cpow) take it."""
        return ar * br - ai * bi, ar * bi + ai * br

    def _cdiv(self, ar: Any, ai: Any, br: Any, bi: Any) -> tuple[Any, Any]:
        """NumPy's complex quotient (Smith's algorithm, as in its divide loop)."""
        jnp = self.jnp
        # Note: Smith's 1 / (br + bi * rat) is subnormal for a denominator past max / 4,
        # which XLA on CPU flushes to zero (2j / 4.5e307j was 0, not 4.45e-308): there both
        # operands are scaled by 2^-8 first (exact, and the quotient is the same).
        big = jnp.maximum(jnp.abs(br), jnp.abs(bi)) > float(self._finfo(br).max) / 16
        s = jnp.where(big, 2.0**-8, 1.0).astype(br.dtype)
        ar, ai, br, bi = ar * s, ai * s, br * s, bi * s
        abr, abi = jnp.abs(br), jnp.abs(bi)
        first = abr >= abi  # False when either is NaN, as in C
        zero = (abr == 0) & (abi == 0)
        # |br| >= |bi|
        safe_br = jnp.where(zero, 1, br)
        rat1 = bi / safe_br
        scl1 = 1 / (br + bi * rat1)
        t1, t2 = self._by_ratio(ai, ar, bi, safe_br, rat1)
        re1 = jnp.where(zero, ar / abr, (ar + t1) * scl1)
        im1 = jnp.where(zero, ai / abr, (ai - t2) * scl1)
        # |br| < |bi|
        safe_bi = jnp.where(first, 1, bi)
        rat2 = br / safe_bi
        scl2 = 1 / (safe_bi + br * rat2)
        t3, t4 = self._by_ratio(ar, ai, br, safe_bi, rat2)
        re2 = (t3 + ai) * scl2
        im2 = (t4 - ar) * scl2
        return jnp.where(first, re1, re2), jnp.where(first, im1, im2)

    def _by_ratio(self, a: Any, b: Any, num: Any, den: Any, rat: Any) -> tuple[Any, Any]:
        """``a * rat`` and ``b * rat`` for ``rat = num / den``.

        Note: a float32 ratio can be subnormal (1.2e-7 / 1e31), and XLA on CPU may flush it
        to zero, so that inf * rat is NaN where NumPy gives inf. There the ratio is rounded
        as float32 would round it (to a multiple of 2**-149, so 1e-30 / 1.4e15 is 0, as in
        NumPy) but held in float64, and the products, exact in float64, are rounded once.
        """
        jnp = self.jnp
        if rat.dtype != jnp.float32:
            return a * rat, b * rat
        wide = num.astype(jnp.float64) / den.astype(jnp.float64)
        sub = jnp.abs(wide) < float(np.finfo(np.float32).tiny)
        quantum = 2.0**-149  # the spacing of float32's subnormals
        exact = jnp.round(wide / quantum) * quantum
        pa = (a.astype(jnp.float64) * exact).astype(jnp.float32)
        pb = (b.astype(jnp.float64) * exact).astype(jnp.float32)
        return jnp.where(sub, pa, a * rat), jnp.where(sub, pb, b * rat)

    def _complex_only(
        self, native: Callable[..., Any], fn: Callable[..., Any]
    ) -> Callable[..., Any]:
        """``fn`` for complex input, the native function otherwise."""

        def op(x: Any, /) -> Any:
            if x.dtype.kind == "c":
                return fn(x)
            return native(x)

        op.real_inputs = native  # type: ignore[attr-defined]  # (Plugin.overrides)
        return op

    def _pair(self, x1: Any, x2: Any) -> tuple[Any, Any]:
        """Both operands as arrays of one dtype (a Python scalar takes the array's) and
        one shape, broadcast beforehand: XLA divides by a broadcast operand by
        multiplying with its reciprocal (inf / max is NaN there, see divide)."""
        jnp = self.jnp
        if not hasattr(x1, "dtype"):
            x1 = jnp.asarray(x1, dtype=x2.dtype)
        if not hasattr(x2, "dtype"):
            x2 = jnp.asarray(x2, dtype=x1.dtype)
        if x1.shape != x2.shape:
            shape = jnp.broadcast_shapes(x1.shape, x2.shape)
            x1, x2 = jnp.broadcast_to(x1, shape), jnp.broadcast_to(x2, shape)
        return x1, x2

    # -- the table -----------------------------------------------------------------------
    def table(self) -> dict[str, Callable[..., Any]]:
        jnp = self.jnp
        return {
            "pow": self.pow(),
            "remainder": self.remainder(),
            "floor_divide": self.floor_divide(),
            "multiply": self.binary_complex(jnp.multiply, self._multiply),
            "divide": self.divide(),
            "square": self._complex_only(jnp.square, self._square),
            "reciprocal": self._complex_only(jnp.reciprocal, self._reciprocal),
            "abs": self._complex_only(jnp.abs, self._abs),
            "sqrt": self._complex_only(jnp.sqrt, self._sqrt),
            "exp": self._complex_only(jnp.exp, self._exp),
            "sinh": self._complex_only(jnp.sinh, self._sinh),
            "cosh": self._complex_only(jnp.cosh, self._cosh),
            "sin": self._complex_only(jnp.sin, self._sin),
            "cos": self._complex_only(jnp.cos, self._cos),
            "tanh": self._complex_only(jnp.tanh, self._tanh),
            "tan": self._complex_only(jnp.tan, self._tan),
            "expm1": self._complex_only(jnp.expm1, self._expm1),
            "log": self._complex_only(jnp.log, self._log),
            "log2": self._complex_only(jnp.log2, self._log2),
            "log10": self._complex_only(jnp.log10, self._log10),
            "log1p": self._complex_only(self._log1p_real, self._log1p),
            "acos": self._complex_only(jnp.acos, self._acos),
            "acosh": self._complex_only(jnp.acosh, self._acosh),
            "asin": self._asin_any(),
            "sign": self.sign(),
            "asinh": self._complex_only(jnp.asinh, self._asinh),
            "atan": self._complex_only(jnp.atan, self._atan),
            "atanh": self._complex_only(self._atanh_real, self._atanh),
        }

    def binary_complex(
        self, native: Callable[..., Any], fn: Callable[..., Any]
    ) -> Callable[..., Any]:

        def op(x1: Any, x2: Any, /) -> Any:
            if _kind(x1) == "c" or _kind(x2) == "c":
                return fn(*self._pair(x1, x2))
            return native(x1, x2)

        return op

    # -- arithmetic ----------------------------------------------------------------------
    def _multiply(self, x1: Any, x2: Any) -> Any:
        # Note: NumPy's complex product is fma(ar, br, -ai*bi) + fma(ar, bi, ai*br)j;
        # XLA's keeps other products unrounded, so its infinities and NaNs differ.
        ar, ai = self._parts(x1)
        br, bi = self._parts(x2)
        return self._complex(*self._cmul(ar, ai, br, bi))

    def _square(self, x: Any) -> Any:
        # Note: NumPy squares a complex number as x * x (see multiply).
        a, b = self._parts(x)
        return self._complex(*self._cmul(a, b, a, b))

    def divide(self) -> Callable[..., Any]:
        jnp = self.jnp

        def op(x1: Any, x2: Any, /) -> Any:
            if _kind(x1) == "c" or _kind(x2) == "c":
                return self._divide(*self._pair(x1, x2))
            # Note: the operands are broadcast to one shape first. XLA rewrites a
            # division by a broadcast operand (a scalar, a size-1 axis) as a product with
            # its reciprocal: a third of x / 3.0 an ulp off, inf / max NaN and
            # 1e300 / max 0 (1 / max is subnormal, flushed); NumPy divides.
            if getattr(x1, "shape", None) == getattr(x2, "shape", ()) and _kind(x2):
                return jnp.divide(x1, x2)
            return jnp.divide(*self._pair(x1, x2))

        return op

    def _divide(self, x1: Any, x2: Any) -> Any:
        # Note: complex division by NumPy's algorithm (Smith's, with 0 / 0 giving the
        # componentwise quotient); XLA's differs where an operand is infinite or NaN.
        ar, ai = self._parts(x1)
        br, bi = self._parts(x2)
        return self._complex(*self._cdiv(ar, ai, br, bi))

    def _reciprocal(self, x: Any) -> Any:
        # Note: NumPy's complex reciprocal loop (Smith's algorithm without special
        # cases): 1 / (inf + inf j) is NaN + NaN j there, 0 on XLA.
        jnp = self.jnp
        r, i = self._parts(x)
        first = jnp.abs(i) <= jnp.abs(r)
        rat1 = i / r
        d1 = r + i * rat1
        rat2 = r / i
        d2 = r * rat2 + i
        re = jnp.where(first, 1 / d1, rat2 / d2)
        im = jnp.where(first, -rat1 / d1, -1 / d2)
        return self._complex(re, im)

    def _abs(self, x: Any) -> Any:
        # Note: |inf + NaN j| is +inf (the standard; C's hypot); XLA gives NaN.
        jnp = self.jnp
        a, b = self._parts(x)
        out = jnp.abs(x)
        return jnp.where(jnp.isinf(a) | jnp.isinf(b), self._const(np.inf, out), out)

    def remainder(self) -> Callable[..., Any]:
        jnp = self.jnp

        def op(x1: Any, x2: Any, /) -> Any:
            x1, x2 = self._pair(x1, x2)
            if x1.dtype.kind in "iu":
                # Note: integer remainder by zero is 0, as on NumPy (XLA: garbage).
                zero = x2 == 0
                safe = jnp.where(zero, 1, x2)
                return jnp.where(zero, 0, jnp.remainder(x1, safe))
            # Note: a zero remainder takes the sign of x2 (the standard: -0 % 2 is +0,
            # 0 % -2 is -0; NumPy too); XLA keeps x1's.
            r = jnp.remainder(x1, x2)
            return jnp.where(r == 0, jnp.copysign(0.0, x2), r)

        return op

    def floor_divide(self) -> Callable[..., Any]:
        jnp = self.jnp

        def op(x1: Any, x2: Any, /) -> Any:
            x1, x2 = self._pair(x1, x2)
            if x1.dtype.kind in "iu":
                # Note: integer division by zero is 0, as on NumPy (XLA: garbage).
                zero = x2 == 0
                safe = jnp.where(zero, 1, x2)
                return jnp.where(zero, 0, jnp.floor_divide(x1, safe))
            # Note: operands of one shape (see _pair): XLA's x // y divides through the
            # reciprocal of a broadcast y, and max // max was 0 in an outer product.
            return jnp.floor_divide(x1, x2)

        return op

    # -- integer and complex powers ----------------------------------------------------------
    def pow(self) -> Callable[..., Any]:
        jnp = self.jnp
        ints = self.jax.jit(self._pow_int)  # integer arithmetic: nothing to rewrite
        cplx = self._pow_complex

        def op(x1: Any, x2: Any, /) -> Any:
            kinds = {_kind(x1), _kind(x2)} - {""}  # "": a Python scalar
            if "c" in kinds:
                return cplx(*self._pair(x1, x2))
            if kinds <= {"i", "u"}:
                x1, x2 = self._pair(x1, x2)
                # Note: a negative integer exponent raises ValueError, as on NumPy (the
                # standard leaves it unspecified; XLA gives 0 or garbage).
                if x2.dtype.kind == "i" and bool(jnp.any(x2 < 0)):
                    raise ValueError(
                        "pow: integer tensors to negative integer powers are not allowed"
                    )
                return ints(x1, x2)
            return jnp.power(x1, x2)

        return op

    def _pow_int(self, x1: Any, x2: Any) -> Any:
        # Note: JAX's integer power only looks at the exponent's low 6 bits (2 ** 64 is 1
        # in int8) and gives int64 for a Python int base; this one wraps like NumPy's.
        jnp, lax = self.jnp, self.lax
        dtype = jnp.result_type(x1, x2)
        base = jnp.broadcast_to(x1.astype(dtype), jnp.broadcast_shapes(x1.shape, x2.shape))
        exp = jnp.broadcast_to(x2.astype(dtype), base.shape)
        one = jnp.ones((), dtype)
        acc = jnp.ones(base.shape, dtype)
        for _ in range(np.dtype(dtype).itemsize * 8):
            acc = jnp.where((exp & one) == one, acc * base, acc)
            base = base * base
            exp = lax.shift_right_logical(exp, jnp.full(exp.shape, 1, dtype))
        return acc

    def _pow_complex(self, x1: Any, x2: Any) -> Any:
        # Note: NumPy's complex power (npy_cpow): x ** 0 is 1, 0 ** y is 0 when
        # real(y) > 0 else NaN, small integer powers by repeated products, otherwise
        # exp(y * log(x)). XLA's gives NaN for 0 ** y and rounds integer powers
        # differently.
        jnp = self.jnp
        dtype = jnp.result_type(x1, x2)
        x1 = jnp.broadcast_to(x1.astype(dtype), jnp.broadcast_shapes(x1.shape, x2.shape))
        x2 = jnp.broadcast_to(x2.astype(dtype), x1.shape)
        ar, ai = self._parts(x1)
        br, bi = self._parts(x2)
        real = ar.dtype
        one, zero, nan = (np.asarray(v, real)[()] for v in (1.0, 0.0, np.nan))
        # small integer exponents: binary powering of x with NumPy's products
        n = jnp.where((bi == 0) & (br > -100) & (br < 100) & (jnp.trunc(br) == br), br, 0)
        k = jnp.abs(n).astype(jnp.int32)
        pr, pi = ar, ai
        accr, acci = jnp.ones(ar.shape, real), jnp.zeros(ai.shape, real)
        for bit in range(7):
            take = (k >> bit) & 1 == 1
            mr, mi = self._cmul_plain(accr, acci, pr, pi)
            accr, acci = jnp.where(take, mr, accr), jnp.where(take, mi, acci)
            if bit < 6:
                need = k >= (2 << bit)
                sr, si = self._cmul_plain(pr, pi, pr, pi)
                pr, pi = jnp.where(need, sr, pr), jnp.where(need, si, pi)
        invr, invi = self._cdiv(one, zero, accr, acci)
        intr = jnp.where(n < 0, invr, accr)
        inti = jnp.where(n < 0, invi, acci)
        # n == 1: x itself; n == 2: x * x; n == 3: x * (x * x)
        sqr, sqi = self._cmul_plain(ar, ai, ar, ai)
        cur, cui = self._cmul_plain(ar, ai, sqr, sqi)
        intr = jnp.where(n == 1, ar, jnp.where(n == 2, sqr, jnp.where(n == 3, cur, intr)))
        inti = jnp.where(n == 1, ai, jnp.where(n == 2, sqi, jnp.where(n == 3, cui, inti)))
        # general exponents: cpow(x, y) = cexp(y * clog(x)) with C99 products
        lr, li = self._parts(self._log(x1))
        er, ei = self._c99_mul(br, bi, lr, li)
        gen = self._exp(self._complex(er, ei))
        genr, geni = self._parts(gen)
        is_int = (bi == 0) & (br > -100) & (br < 100) & (jnp.trunc(br) == br)
        re = jnp.where(is_int, intr, genr)
        im = jnp.where(is_int, inti, geni)
        zero_base = (ar == 0) & (ai == 0)
        re = jnp.where(zero_base, jnp.where(br > 0, zero, nan), re)
        im = jnp.where(zero_base, jnp.where(br > 0, zero, nan), im)
        zero_exp = (br == 0) & (bi == 0)
        re = jnp.where(zero_exp, one, re)
        im = jnp.where(zero_exp, zero, im)
        return self._complex(re, im)

    def _c99_mul(self, a: Any, b: Any, c: Any, d: Any) -> tuple[Any, Any]:
        """C99 Annex G complex product (libgcc's __muldc3): infinities recovered."""
        jnp = self.jnp
        ac, bd, ad, bc = a * c, b * d, a * d, b * c
        x, y = ac - bd, ad + bc
        both_nan = jnp.isnan(x) & jnp.isnan(y)

        def box(v: Any) -> Any:
            return jnp.copysign(jnp.where(jnp.isinf(v), 1, 0).astype(v.dtype), v)

        def unnan(v: Any) -> Any:
            return jnp.where(jnp.isnan(v), jnp.copysign(0.0, v), v)

        z_inf = jnp.isinf(a) | jnp.isinf(b)
        w_inf = jnp.isinf(c) | jnp.isinf(d)
        a2 = jnp.where(z_inf, box(a), a)
        b2 = jnp.where(z_inf, box(b), b)
        c2 = jnp.where(z_inf, unnan(c), c)
        d2 = jnp.where(z_inf, unnan(d), d)
        c2 = jnp.where(w_inf, box(c2), c2)
        d2 = jnp.where(w_inf, box(d2), d2)
        a2 = jnp.where(w_inf, unnan(a2), a2)
        b2 = jnp.where(w_inf, unnan(b2), b2)
        overflow = ~z_inf & ~w_inf & (jnp.isinf(ac) | jnp.isinf(bd) | jnp.isinf(ad) | jnp.isinf(bc))
        a2 = jnp.where(overflow, unnan(a2), a2)
        b2 = jnp.where(overflow, unnan(b2), b2)
        c2 = jnp.where(overflow, unnan(c2), c2)
        d2 = jnp.where(overflow, unnan(d2), d2)
        recalc = both_nan & (z_inf | w_inf | overflow)
        inf = self._const(np.inf, x)
        x = jnp.where(recalc, inf * (a2 * c2 - b2 * d2), x)
        y = jnp.where(recalc, inf * (a2 * d2 + b2 * c2), y)
        return x, y

    # -- exponential and hyperbolic functions (glibc's algorithms) ---------------------------
    def _sincos(self, y: Any) -> tuple[Any, Any]:
        """(sin y, cos y), or (y, 1) for |y| below the smallest normal number (as glibc)."""
        jnp = self.jnp
        tiny = jnp.abs(y) <= self._finfo(y).smallest_normal
        return jnp.where(tiny, y, self._cr("sin", y)), jnp.where(tiny, 1.0, self._cr("cos", y))

    def _scaled(self, x: Any, y: Any, half: bool) -> tuple[Any, Any]:
        """exp(x) * (cos y, sin y) (halved for half=True) for finite x >= 0 and y,
        scaled as glibc does so that results past exp's overflow stay finite when the
        product is representable."""
        jnp = self.jnp
        fi = self._finfo(x)
        t = float(int((fi.maxexp - 1) * math.log(2)))  # glibc's threshold (88 or 709)
        sinix, cosix = self._sincos(y)
        exp_t = self._cr("exp", self._const(t, x))
        big = x > t
        rx = jnp.where(big, x - t, x)
        f1 = exp_t / 2 if half else exp_t
        sinix = jnp.where(big, sinix * f1, sinix)
        cosix = jnp.where(big, cosix * f1, cosix)
        bigger = big & (rx > t)
        rx = jnp.where(bigger, rx - t, rx)
        sinix = jnp.where(bigger, sinix * exp_t, sinix)
        cosix = jnp.where(bigger, cosix * exp_t, cosix)
        huge = rx > t
        ev = jnp.where(huge, self._const(float(fi.max), x), self._cr("exp", jnp.where(huge, 0, rx)))
        return ev * cosix, ev * sinix

    def _exp(self, z: Any) -> Any:
        # Note: glibc's cexp (NumPy's): exp(-inf + inf j) and exp(-inf + NaN j) are 0
        # (the standard), where XLA gives NaN; real parts past exp's overflow are scaled.
        jnp = self.jnp
        x, y = self._parts(z)
        inf, nan = self._const(np.inf, x), self._const(np.nan, x)
        zero = self._const(0.0, x)
        xf, yf = jnp.isfinite(x), jnp.isfinite(y)
        # finite x and y
        safe_x = jnp.where(xf, x, 0)
        safe_y = jnp.where(yf, y, 0)
        # x > t is scaled; otherwise exp(x) * (cos, sin) in one step
        sc_re, sc_im = self._scaled(jnp.maximum(safe_x, 0), safe_y, half=False)
        sinix, cosix = self._sincos(safe_y)
        ev = self._cr("exp", safe_x)
        fin_re = jnp.where(safe_x > 0, sc_re, ev * cosix)
        fin_im = jnp.where(safe_x > 0, sc_im, ev * sinix)
        # x infinite
        value = jnp.where(jnp.signbit(x), zero, inf)
        inf_re = jnp.where(y == 0, value, jnp.copysign(value, cosix))
        inf_im = jnp.where(y == 0, y, jnp.copysign(value, sinix))
        inf_re = jnp.where(yf, inf_re, jnp.where(jnp.signbit(x), zero, inf))
        inf_im = jnp.where(yf, inf_im, jnp.where(jnp.signbit(x), jnp.copysign(zero, y), y - y))
        # x NaN
        nan_im = jnp.where(y == 0, y, nan)
        re = jnp.where(xf, jnp.where(yf, fin_re, nan), jnp.where(jnp.isinf(x), inf_re, nan))
        im = jnp.where(xf, jnp.where(yf, fin_im, nan), jnp.where(jnp.isinf(x), inf_im, nan_im))
        return self._complex(re, im)

    def _sinh_cosh(self, z: Any, sinh: bool) -> Any:
        """glibc's csinh / ccosh."""
        jnp = self.jnp
        x, y = self._parts(z)
        inf, nan = self._const(np.inf, x), self._const(np.nan, x)
        negate = jnp.signbit(x)
        ax = jnp.abs(x)
        fi = self._finfo(x)
        t = float(int((fi.maxexp - 1) * math.log(2)))
        xf, yf = jnp.isfinite(x), jnp.isfinite(y)
        safe_ax = jnp.where(xf, ax, 0)
        safe_y = jnp.where(yf, y, 0)
        sinix, cosix = self._sincos(safe_y)
        # finite x and y
        sc_c, sc_s = self._scaled(jnp.where(safe_ax > t, safe_ax, 0), safe_y, half=True)
        if sinh:
            small_re = self._cr("sinh", safe_ax) * cosix
            small_im = self._cr("cosh", safe_ax) * sinix
        else:
            small_re = self._cr("cosh", safe_ax) * cosix
            small_im = self._cr("sinh", safe_ax) * sinix
        big = safe_ax > t
        fin_re = jnp.where(big, sc_c, small_re)
        fin_im = jnp.where(big, sc_s, small_im)
        if sinh:
            fin_re = jnp.where(negate, -fin_re, fin_re)
        else:
            fin_im = jnp.where(negate, -fin_im, fin_im)
        # x finite, y infinite or NaN
        zero = self._const(0.0, x)
        if sinh:
            fy_re = jnp.where(x == 0, jnp.copysign(zero, x), nan)
            fy_im = jnp.where(x == 0, y - y, nan)
        else:
            fy_re = jnp.where(x == 0, y - y, nan)
            fy_im = jnp.where(x == 0, zero, nan)
        # x infinite
        if sinh:
            i_re = jnp.copysign(inf, cosix)
            i_re = jnp.where(negate, -i_re, i_re)
            i_im = jnp.copysign(inf, sinix)
            i_re = jnp.where(y == 0, jnp.where(negate, -inf, inf), i_re)
            i_im = jnp.where(y == 0, y, i_im)
            i_re = jnp.where(yf, i_re, inf)
            i_im = jnp.where(yf, i_im, y - y)
        else:
            i_re = jnp.copysign(inf, cosix)
            i_im = jnp.copysign(inf, sinix)
            i_im = jnp.where(negate, -i_im, i_im)
            i_re = jnp.where(y == 0, inf, i_re)
            i_im = jnp.where(y == 0, jnp.where(negate, -y, y), i_im)
            i_re = jnp.where(yf, i_re, inf)
            i_im = jnp.where(yf, i_im, y - y)
        # x NaN: NaN + NaN j, the imaginary part kept where it is zero
        n_re, n_im = nan, jnp.where(y == 0, y, nan)
        re = jnp.where(xf, jnp.where(yf, fin_re, fy_re), jnp.where(jnp.isinf(x), i_re, n_re))
        im = jnp.where(xf, jnp.where(yf, fin_im, fy_im), jnp.where(jnp.isinf(x), i_im, n_im))
        return self._complex(re, im)

    def _sinh(self, z: Any) -> Any:
        # Note: glibc's csinh (NumPy's): sinh(x) cos(y) + cosh(x) sin(y) j, scaled past
        # exp's overflow; XLA loses tiny arguments (sinh(1e-99 + 0j) is 0) and overflows
        # early (sinh(100 + 1e-38j) in complex64).
        return self._sinh_cosh(z, sinh=True)

    def _cosh(self, z: Any) -> Any:
        # Note: glibc's ccosh (NumPy's), scaled past exp's overflow like sinh.
        return self._sinh_cosh(z, sinh=False)

    def _sin(self, z: Any) -> Any:
        # Note: sin(z) = -i sinh(i z), with glibc's csinh (XLA overflows early); for an
        # infinite or NaN real part and an infinite imaginary part, NaN + inf j as glibc's
        # csin (the sign is unspecified by the standard; XLA's is -inf).
        jnp = self.jnp
        x, y = self._parts(z)
        r, i = self._parts(self._sinh_cosh(self._complex(-y, x), sinh=True))
        re, im = i, -r
        both = ~jnp.isfinite(x) & jnp.isinf(y)
        re = jnp.where(both, x - x, re)
        im = jnp.where(both, self._const(np.inf, y), im)
        return self._complex(re, im)

    def _cos(self, z: Any) -> Any:
        # Note: cos(z) = cosh(i z), with glibc's ccosh (XLA overflows early).
        x, y = self._parts(z)
        return self._sinh_cosh(self._complex(-y, x), sinh=False)

    def _tanh(self, z: Any) -> Any:
        # Note: tanh(±0 + inf j) and tanh(±0 + NaN j) are ±0 + NaN j, and
        # tanh(inf + y j) is 1 + 0j with the sign of y (the standard, glibc's ctanh);
        # XLA gives NaN + NaN j for the first.
        jnp = self.jnp
        x, y = self._parts(z)
        re, im = self._parts(jnp.tanh(z))
        nan = self._const(np.nan, x)
        finite = jnp.isfinite(x) & jnp.isfinite(y)
        # x infinite: copysign(1, x) + copysign(0, y) j
        inf_re = jnp.copysign(1.0, x)
        inf_im = jnp.copysign(0.0, y)
        # x finite or NaN, y infinite or NaN: y == 0 keeps z; x == 0 keeps x
        other_re = jnp.where(y == 0, x, jnp.where(x == 0, x, nan))
        other_im = jnp.where(y == 0, y, nan)
        sre = jnp.where(jnp.isinf(x), inf_re, other_re)
        sim = jnp.where(jnp.isinf(x), inf_im, other_im)
        return self._complex(jnp.where(finite, re, sre), jnp.where(finite, im, sim))

    def _tan(self, z: Any) -> Any:
        # Note: tan(z) = -i tanh(i z) where a part is infinite or NaN (tan(inf + 0j) is
        # NaN + 0j, as glibc's ctan; XLA gives NaN + NaN j). Finite arguments keep XLA's.
        jnp = self.jnp
        x, y = self._parts(z)
        finite = jnp.isfinite(x) & jnp.isfinite(y)
        re, im = self._parts(jnp.tan(jnp.where(finite, z, 0)))
        r, i = self._parts(self._tanh(self._complex(-y, x)))
        return self._complex(jnp.where(finite, re, i), jnp.where(finite, im, -r))

    def _expm1(self, z: Any) -> Any:
        # Note: for infinite or NaN parts, exp(z) - 1 with exp's special cases (the
        # standard: expm1(-inf + inf j) is -1 + 0j, expm1(inf + NaN j) inf + NaN j);
        # XLA gives NaN + NaN j. Finite arguments take NumPy's formula
        # expm1(x) cos(y) - 2 sin(y/2)^2 + exp(x) sin(y) j: XLA's real part cancels
        # (expm1(6e16j) in complex64 was off by 0.4%).
        jnp = self.jnp
        x, y = self._parts(z)
        finite = jnp.isfinite(x) & jnp.isfinite(y)
        sx, sy = jnp.where(finite, x, 0), jnp.where(finite, y, 0)
        half = self._cr("sin", sy / 2)
        re = self._cr("expm1", sx) * self._cr("cos", sy) - 2 * half * half
        im = self._cr("exp", sx) * self._cr("sin", sy)
        er, ei = self._parts(self._exp(z))
        return self._complex(jnp.where(finite, re, er - 1), jnp.where(finite, im, ei))

    # -- logarithms -----------------------------------------------------------------------
    def _log(self, z: Any) -> Any:
        # Note: log(inf + NaN j) and log(NaN + inf j) are inf + NaN j (the standard);
        # XLA gives NaN + NaN j. The real part log|z| follows glibc's clog (NumPy's):
        # log1p(|z|^2 - 1) / 2 near |z| = 1, halved arguments past max / 2. XLA's is an
        # ulp off at times (log(100 + 100j) in complex64), which pow magnifies.
        jnp = self.jnp
        if z.dtype == jnp.complex64:  # computed in double and rounded once, as glibc
            return self._log(z.astype(jnp.complex128)).astype(jnp.complex64)
        x, y = self._parts(z)
        ax, ay = jnp.abs(x), jnp.abs(y)
        a, b = jnp.maximum(ax, ay), jnp.minimum(ax, ay)  # |z| = hypot(a, b), a >= b
        fi = self._finfo(x)
        eps = float(fi.eps)
        huge = a > float(fi.max) / 2
        # a == 1: log1p(b^2) / 2
        at_one = jnp.log1p(b * b) / 2
        # 1 < a < 2, b < 1: log1p((a - 1)(a + 1) + b^2) / 2 (b^2 dropped below eps)
        d2m1 = (a - 1) * (a + 1)
        above = jnp.log1p(jnp.where(b >= eps, d2m1 + b * b, d2m1)) / 2
        # 1/2 <= a < 1: log1p(a^2 + b^2 - 1) / 2, the sum taken exactly
        below = jnp.log1p(jnp.where(b < eps / 2, d2m1, self._x2y2m1(a, b))) / 2
        # elsewhere: log(hypot(a, b)), with a and b halved past max / 2
        half = jnp.where(huge, 0.5, 1.0).astype(a.dtype)
        b_half = jnp.where(huge & (b < 2 * float(fi.smallest_normal)), 0, b * half)
        plain = jnp.log(jnp.hypot(a * half, b_half)) + jnp.where(huge, math.log(2), 0)
        re = jnp.where(
            a == 1,
            at_one,
            jnp.where(
                (a > 1) & (a < 2) & (b < 1),
                above,
                jnp.where(
                    (a < 1) & (a >= 0.5) & ((b < eps / 2) | (a * a + b * b >= 0.5)),
                    below,
                    plain,
                ),
            ),
        )
        nan = self._const(np.nan, x)
        re = jnp.where(jnp.isnan(x) | jnp.isnan(y), nan, re)
        re = jnp.where(jnp.isinf(x) | jnp.isinf(y), self._const(np.inf, x), re)
        im = jnp.where(jnp.isnan(x) | jnp.isnan(y), nan, jnp.arctan2(y, x))
        return self._complex(re, im)

    def _x2y2m1(self, a: Any, b: Any) -> Any:
        """a^2 + b^2 - 1 for 1/2 <= a < 1 with one rounding (glibc's __x2y2m1):
        the squares split exactly (Dekker), the sum compensated."""
        aa, aa_err = self._two_prod(a, a)
        bb, bb_err = self._two_prod(b, b)
        s, s_err = self._two_sum(aa - 1, bb)  # aa - 1 is exact for aa in [1/4, 1)
        return s + (s_err + aa_err + bb_err)

    def _two_prod(self, a: Any, b: Any) -> tuple[Any, Any]:
        """(p, e) with p = fl(a * b) and a * b = p + e exactly (Veltkamp/Dekker)."""
        p = a * b
        a_hi, a_lo = self._split(a)
        b_hi, b_lo = self._split(b)
        e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
        return p, e

    def _split(self, a: Any) -> tuple[Any, Any]:
        bits = self._finfo(a).nmant + 1
        c = a * float(2 ** ((bits + 1) // 2) + 1)
        hi = c - (c - a)
        return hi, a - hi

    def _two_sum(self, a: Any, b: Any) -> tuple[Any, Any]:
        s = a + b
        bb = s - a
        return s, (a - (s - bb)) + (b - bb)

    def _scaled_log(self, z: Any, factor: float) -> Any:
        """log(z) * factor, both parts multiplied as NumPy does for log2 and log10."""
        re, im = self._parts(self._log(z))
        f = self._const(factor, re)
        return self._complex(re * f, im * f)

    def _log2(self, z: Any) -> Any:
        # Note: log(z) * log2(e) with log's special cases (see log).
        return self._scaled_log(z, 1 / math.log(2))

    def _log10(self, z: Any) -> Any:
        # Note: log(z) * log10(e) with log's special cases (see log).
        return self._scaled_log(z, 1 / math.log(10))

    def _log1p(self, z: Any) -> Any:
        # Note: the standard's special cases (those of log(1 + z): log1p(inf + NaN j) is
        # inf + NaN j, XLA gives NaN + NaN j), and log|1 + z| taken directly where
        # |1 + z| < 1/2: XLA's log1p(-1 + 1e-38j) is -inf, not -87.3.
        jnp = self.jnp
        x, y = self._parts(z)
        finite = jnp.isfinite(x) & jnp.isfinite(y)
        re, im = self._parts(jnp.log1p(jnp.where(finite, z, 0)))
        h = self._cr("hypot", x + 1, y)
        re = jnp.where(h < 0.5, self._cr("log", h), re)
        sr, si = self._parts(self._log(self._complex(x + 1, y)))
        return self._complex(jnp.where(finite, re, sr), jnp.where(finite, im, si))

    # -- square root and inverse functions: branch cuts ------------------------------------
    def _fold(self, z: Any, odd: bool) -> tuple[Any, Any, Any]:
        """``z`` moved into the upper half plane (the right upper quadrant if ``odd``)
        and the signs to restore: the standard's symmetries f(conj z) = conj f(z) and,
        for odd f, f(-z) = -f(z) decide the sign of zero on a branch cut, which XLA
        ignores."""
        jnp = self.jnp
        x, y = self._parts(z)
        neg_y = jnp.signbit(y)
        neg_x = jnp.signbit(x) if odd else None
        fx = jnp.abs(x) if odd else x
        return self._complex(fx, jnp.abs(y)), neg_x, neg_y

    def _unfold(
        self, w: Any, neg_x: Any, neg_y: Any, re_sign: float = 1.0, im_sign: float = 1.0
    ) -> tuple[Any, Any]:
        """``w`` = f(folded z) moved back: the parts first given the signs f has on the
        folded region (``re_sign``, ``im_sign``; XLA returns -0 at times, e.g.
        atan(1 + 0j) = pi/4 - 0j), then the symmetries undone."""
        jnp = self.jnp
        re, im = self._parts(w)
        re = jnp.abs(re) if re_sign > 0 else -jnp.abs(re)
        im = jnp.abs(im) if im_sign > 0 else -jnp.abs(im)
        if neg_x is not None:
            re = jnp.where(neg_x, -re, re)
        im = jnp.where(neg_y, -im, im)
        return re, im

    def _sqrt(self, z: Any) -> Any:
        # Note: sqrt(conj z) = conj sqrt(z) (sqrt(-1 - 0j) is -1j), sqrt(NaN + inf j) is
        # inf + inf j, sqrt(inf + NaN j) inf + NaN j and sqrt(-inf + NaN j) NaN + inf j
        # (the standard); XLA gives 1j and NaN + NaN j for the others.
        jnp = self.jnp
        x, y = self._parts(z)
        w, neg_x, neg_y = self._fold(z, odd=False)
        re, im = self._unfold(jnp.sqrt(w), neg_x, neg_y)
        inf, nan = self._const(np.inf, x), self._const(np.nan, x)
        inf_x = jnp.isinf(x) & jnp.isnan(y)
        re = jnp.where(inf_x, jnp.where(x > 0, inf, nan), re)
        im = jnp.where(inf_x, jnp.where(x > 0, nan, inf), im)
        re = jnp.where(jnp.isinf(y), inf, re)
        im = jnp.where(jnp.isinf(y), y, im)
        return self._complex(re, im)

    def _acos(self, z: Any) -> Any:
        # Note: acos(conj z) = conj acos(z), acos(±0 + NaN j) is pi/2 + NaN j and
        # acos(finite + NaN j) NaN + NaN j (the standard); XLA ignores the sign of a zero
        # imaginary part (acos(2 - 0j) must be +1.317j), gives NaN + NaN j for the first
        # NaN case and a finite imaginary part for acos(3e38 + NaN j) in complex64.
        jnp = self.jnp
        x, y = self._parts(z)
        w, neg_x, neg_y = self._fold(z, odd=False)
        re, im = self._unfold(jnp.acos(w), neg_x, neg_y, im_sign=-1.0)
        finite_nan = jnp.isfinite(x) & jnp.isnan(y)
        nan = self._const(np.nan, x)
        re = jnp.where(finite_nan, jnp.where(x == 0, self._const(math.pi / 2, x), nan), re)
        im = jnp.where(finite_nan, nan, im)
        return self._complex(re, im)

    def _acosh(self, z: Any) -> Any:
        # Note: acosh(conj z) = conj acosh(z), acosh(finite + NaN j) is NaN + NaN j and
        # acosh(±0 + NaN j) NaN + pi/2 j (the standard); XLA ignores the sign of a zero
        # imaginary part (acosh(-1 - 0j) must be -pi j) and gets the NaN cases wrong.
        jnp = self.jnp
        x, y = self._parts(z)
        w, neg_x, neg_y = self._fold(z, odd=False)
        re, im = self._unfold(jnp.acosh(w), neg_x, neg_y)
        finite_nan = jnp.isfinite(x) & jnp.isnan(y)
        nan = self._const(np.nan, x)
        re = jnp.where(finite_nan, nan, re)
        im = jnp.where(finite_nan, jnp.where(x == 0, self._const(math.pi / 2, x), nan), im)
        return self._complex(re, im)

    def sign(self) -> Callable[..., Any]:
        jnp = self.jnp

        def op(x: Any, /) -> Any:
            if x.dtype.kind != "f":
                return jnp.sign(x)
            # Note: sign(-0.0) is +0 (the standard's "0", as the official suite reads it;
            # NumPy too); XLA gives -0.
            return jnp.where(x == 0, 0.0, jnp.sign(x))

        return op

    def _asin_any(self) -> Callable[..., Any]:
        jnp = self.jnp

        def op(x: Any, /) -> Any:
            if x.dtype.kind == "c":
                return self._asin(x)
            # Note: asin(x) is x for tiny x; XLA's formula underflows to a subnormal
            # and flushes it (asin(1.2e-38) is 0 in float32).
            small = float(np.sqrt(self._finfo(x).eps) / 2)
            return jnp.where(jnp.abs(x) < small, x, jnp.asin(x))

        return op

    def _asin(self, z: Any) -> Any:
        # Note: asin is odd and asin(conj z) = conj asin(z) (the standard); XLA ignores
        # the sign of a zero imaginary part (asin(2 - 0j) must have imaginary -1.317).
        # asin(finite + NaN j) is NaN + NaN j and asin(±0 + NaN j) ±0 + NaN j (from
        # asin(z) = -i asinh(i z), as glibc's casin); XLA's differ.
        jnp = self.jnp
        x, y = self._parts(z)
        w, neg_x, neg_y = self._fold(z, odd=True)
        re, im = self._unfold(jnp.asin(w), neg_x, neg_y)
        finite_nan = jnp.isfinite(x) & jnp.isnan(y)
        nan = self._const(np.nan, x)
        re = jnp.where(finite_nan, jnp.where(x == 0, x, nan), re)
        im = jnp.where(finite_nan, nan, im)
        return self._complex(re, im)

    def _asinh(self, z: Any) -> Any:
        # Note: asinh is odd, asinh(conj z) = conj asinh(z), asinh(NaN + 0j) is NaN + 0j
        # and asinh(NaN + y j) NaN + NaN j (the standard); XLA ignores the sign of a
        # zero real part (asinh(-0 + 2j) must be -1.317 + pi/2 j) and the NaN cases.
        jnp = self.jnp
        x, y = self._parts(z)
        w, neg_x, neg_y = self._fold(z, odd=True)
        re, im = self._unfold(jnp.asinh(w), neg_x, neg_y)
        nan_x = jnp.isnan(x) & jnp.isfinite(y)
        nan = self._const(np.nan, y)
        re = jnp.where(nan_x, nan, re)
        im = jnp.where(nan_x, jnp.where(y == 0, y, nan), im)
        return self._complex(re, im)

    def _atan(self, z: Any) -> Any:
        # Note: atan is odd and atan(conj z) = conj atan(z) (the standard); XLA ignores
        # the sign of a zero real part and gives -pi/2 for atan(NaN + inf j) (NaN + 0j)
        # and pi/2 + NaN j for atan(1 + NaN j) (NaN + NaN j, from atan(z) = -i atanh(i z),
        # as glibc's catan).
        jnp = self.jnp
        x, y = self._parts(z)
        w, neg_x, neg_y = self._fold(z, odd=True)
        fx, fy = self._parts(w)
        wr, wi = self._parts(jnp.atan(w))
        # atan(x + 1j) for tiny x: imaginary part (log 2 - log x) / 2, as glibc's catan
        # (XLA's formula squares x, which underflows, and gives inf)
        tiny = (fy == 1) & (fx < self._finfo(fx).eps ** 2)
        wi = jnp.where(tiny, (math.log(2) - jnp.log(fx)) / 2, wi)
        re, im = self._unfold(self._complex(wr, wi), neg_x, neg_y)
        # atanh's special cases through atan(z) = -i atanh(iz): a finite real part with a
        # NaN imaginary part gives NaN + NaN j; a NaN real part NaN ± 0j for an infinite
        # or zero imaginary part (its sign), NaN + NaN j otherwise
        nan = self._const(np.nan, x)
        fin_nan = jnp.isfinite(x) & jnp.isnan(y)
        nan_x = jnp.isnan(x)
        re = jnp.where(fin_nan | nan_x, nan, re)
        im = jnp.where(fin_nan, nan, im)
        zero_im = jnp.copysign(0.0, y)
        im = jnp.where(nan_x, jnp.where(jnp.isinf(y) | (y == 0), zero_im, nan), im)
        return self._complex(re, im)

    def _log1p_real(self, x: Any) -> Any:
        # Note: XLA's float64 log1p is up to 129 ulp off (near x = -0.414); this is
        # Goldberg's log(u) * x / (u - 1), u = 1 + x (x itself where u rounds to 1), within
        # 2 ulp, op by op so that nothing is contracted. float32 (2 ulp) stays native.
        jnp = self.jnp
        if x.dtype != jnp.float64:
            return jnp.log1p(x)
        u = 1.0 + x
        r = jnp.where(u == 1.0, x, jnp.log(u) * (x / (u - 1.0)))
        return jnp.where(x == jnp.inf, x, r)

    def _atanh_real(self, x: Any) -> Any:
        # Note: XLA's float64 atanh is up to 129 ulp off (atanh(0.40625) by 20); this is
        # glibc's formula, within 2 ulp: 0.5 * log1p(2a + 2a * a / (1 - a)) below 0.5,
        # 0.5 * log1p(2a / (1 - a)) above, a = |x|, with x's sign (atanh(+-1) is +-inf,
        # NaN beyond). float32 (3 ulp on XLA) stays native.
        jnp = self.jnp
        if x.dtype != jnp.float64:
            return jnp.atanh(x)
        a = jnp.abs(x)
        t = a + a
        small = 0.5 * self._log1p_real(t + t * a / (1 - a))
        large = 0.5 * self._log1p_real(t / (1 - a))
        return jnp.copysign(jnp.where(a < 0.5, small, large), x)

    def _atanh(self, z: Any) -> Any:
        # Note: atanh is odd, atanh(conj z) = conj atanh(z), atanh(inf + NaN j) and
        # atanh(0 + NaN j) are 0 + NaN j, atanh(NaN + finite j) is NaN + NaN j (the
        # standard); XLA gives -pi/2 j for atanh(inf - 0j) and inf + NaN j, NaN for 0.
        jnp = self.jnp
        x, y = self._parts(z)
        w, neg_x, neg_y = self._fold(z, odd=True)
        fx, fy = self._parts(w)
        wr, wi = self._parts(jnp.atanh(w))
        # atanh(1 + yj) for tiny y: real part (log 2 - log y) / 2, as glibc's catanh
        tiny = (fx == 1) & (fy < self._finfo(fy).eps ** 2)
        wr = jnp.where(tiny, (math.log(2) - jnp.log(fy)) / 2, wr)
        re, im = self._unfold(self._complex(wr, wi), neg_x, neg_y)
        im = jnp.where(jnp.isnan(y) | (jnp.isnan(x) & jnp.isfinite(y)), self._const(np.nan, x), im)
        re = jnp.where((x == 0) & jnp.isnan(y), x, re)
        return self._complex(re, im)
