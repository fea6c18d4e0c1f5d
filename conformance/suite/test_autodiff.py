"""Autodiff: ``check_grads`` on every differentiable case (reverse mode against central
differences in float64; second order in a full run), and the tape's semantics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from arraybridge_conformance import _settings
from arraybridge_conformance._cases import Case, case_index, dtypes_of, flatten_result, selected
from arraybridge_conformance._check import require_dtype
from arraybridge_conformance._draw import fixed_args

import arraybridge as ab
from arraybridge import _dtypes
from arraybridge._recording import COMPOSITE, NONDIFF, RULES
from arraybridge.testing import check_grads

pytestmark = pytest.mark.usefixtures("ab_backend")

WIDE = (ab.float64, ab.complex128)


def _differentiable(case: Case) -> bool:
    short = case.fn.split(".")[-1]
    keys = (case.fn, short)
    has = any(k in RULES or k in COMPOSITE for k in keys) and not any(k in NONDIFF for k in keys)
    return case.grad and bool(case.args) and has


def _wide(case: Case) -> list[ab.DType]:
    """float64 and complex128 where the case admits them; a quick run takes one of the
    two, alternating from case to case."""
    wide = [dt for dt in dtypes_of(case.dtypes) if dt in WIDE]
    if not _settings.QUICK or not wide:
        return wide
    return [wide[case_index(case) % len(wide)]]


PARAMS = [
    pytest.param(case, dt, id=f"{case.id}-{dt.name}")
    for case in selected()
    if _differentiable(case)
    for dt in _wide(case)
]


def _floating(out: Any) -> tuple[Any, ...]:
    return tuple(
        x for x in flatten_result(out) if isinstance(x, ab.Tensor) and x.dtype in _dtypes.FLOATING
    )


@pytest.mark.parametrize(("case", "dtype"), PARAMS)
def test_check_grads(case: Case, dtype: ab.DType) -> None:
    require_dtype(dtype)
    args = fixed_args(case, dtype)
    try:
        check_grads(
            lambda *a: _floating(case.call(ab, dtype, *a)),
            args,
            order=1 if _settings.QUICK else 2,
        )
    except NotImplementedError as exc:
        pytest.skip(f"not provided by the backend (see the namespace area): {exc}")


def _w() -> ab.Tensor:
    return ab.asarray([1.0, 2.0, 3.0])


def test_watched_tensor() -> None:
    x = _w()
    with ab.GradientTape() as tape:
        tape.watch(x)
        y = ab.sum(x * x)
    assert np.allclose(np.asarray(tape.gradient(y, x)), [2.0, 4.0, 6.0])


def test_trainable_variables_are_watched() -> None:
    v, frozen = ab.Variable([1.0, 2.0]), ab.Variable([3.0, 4.0], trainable=False)
    with ab.GradientTape() as tape:
        y = ab.sum(v * frozen)
    gv, gf = tape.gradient(y, [v, frozen])
    assert np.allclose(np.asarray(gv), [3.0, 4.0]) and gf is None


def test_persistent_and_non_persistent() -> None:
    x = _w()
    with ab.GradientTape() as tape:
        tape.watch(x)
        y = ab.sum(ab.exp(x))
    tape.gradient(y, x)
    with pytest.raises(RuntimeError):
        tape.gradient(y, x)
    with ab.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = ab.sum(ab.sin(x))
        z = ab.sum(ab.cos(x))
    assert np.allclose(np.asarray(tape.gradient(y, x)), np.cos([1.0, 2.0, 3.0]), rtol=1e-5)
    assert np.allclose(np.asarray(tape.gradient(z, x)), -np.sin([1.0, 2.0, 3.0]), rtol=1e-5)


def test_nested_tapes_give_second_order() -> None:
    x = ab.asarray(3.0)
    with ab.GradientTape() as outer:
        outer.watch(x)
        with ab.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        dy = inner.gradient(y, x)
    assert float(dy) == pytest.approx(27.0) and float(outer.gradient(dy, x)) == pytest.approx(18.0)


def test_stop_gradient_and_unconnected() -> None:
    x, u = _w(), ab.asarray([5.0])
    with ab.GradientTape() as tape:
        tape.watch([x, u])
        y = ab.sum(x * ab.stop_gradient(x))
    gx, gu = tape.gradient(y, [x, u], unconnected_gradients="zero")
    assert np.allclose(np.asarray(gx), [1.0, 2.0, 3.0]) and np.asarray(gu).tolist() == [0.0]


def test_integer_paths_carry_no_gradient() -> None:
    x = _w()
    with ab.GradientTape() as tape:
        tape.watch(x)
        y = ab.sum(ab.astype(ab.astype(x, ab.int64), ab.float32))
    assert tape.gradient(y, x) is None


def test_functional_api() -> None:
    f: Callable[[Any], Any] = lambda x: ab.sum(ab.tanh(x) ** 2)  # noqa: E731
    x = ab.asarray([0.5, -1.0])
    value, g = ab.value_and_grad(f)(x)
    t = np.tanh([0.5, -1.0])
    assert float(value) == pytest.approx(float(np.sum(t**2)), rel=1e-6)
    assert np.allclose(np.asarray(g), 2 * t * (1 - t**2), rtol=1e-5)
    assert np.allclose(np.asarray(ab.grad(f)(x)), np.asarray(g))
