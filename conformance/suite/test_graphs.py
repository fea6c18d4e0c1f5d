"""Graphs: ``ab.function`` on the backend (with its plugin's compiler, if it has one) gives
the eager results, for new values too, keeps variables' program order, runs training steps,
and refuses Python control flow on tensor values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import arraybridge as ab

pytestmark = pytest.mark.usefixtures("ab_backend")


def _close(got: Any, want: Any) -> None:
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=2e-5, atol=1e-6)


def _f32(a: Any) -> ab.Tensor:
    """float32: the dtype every backend supports (a compiler may fuse, so not bit-equal)."""
    return ab.asarray(np.asarray(a, dtype=np.float32))


PROGRAMS: dict[str, Callable[[ab.Tensor, ab.Tensor], Any]] = {
    "elementwise": lambda x, y: ab.tanh(x * y + 1.0) - ab.exp(-ab.abs(x)) / (1.0 + y * y),
    "reductions": lambda x, y: (ab.sum(x * y, axis=0), ab.max(x, axis=1), ab.mean(y)),
    "matmul": lambda x, y: x @ ab.matrix_transpose(y) + ab.sum(y),
    "indexing": lambda x, y: (
        x[1:, ::2] * y[0, ::2] + ab.take(y, ab.asarray([2, 0]), axis=1)[1:, :1]
    ),
    "where": lambda x, y: ab.where(x > y, x - y, ab.zeros_like(x)),
    "shapes": lambda x, y: ab.reshape(ab.concat([x, y], axis=0), (-1,)) * 2.0,
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_traced_equals_eager_on_new_values(name: str) -> None:
    program = PROGRAMS[name]
    traced = ab.function(program)
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = _f32(rng.standard_normal((3, 4)))
        y = _f32(rng.standard_normal((3, 4)))
        got, want = traced(x, y), program(x, y)
        for g, w in zip(
            got if isinstance(got, tuple) else (got,),
            want if isinstance(want, tuple) else (want,),
            strict=True,
        ):
            assert g.dtype == w.dtype and g.shape == w.shape
            _close(g, w)
    assert traced.trace_count == 1


def test_variables_keep_program_order() -> None:
    v = ab.Variable(_f32(np.arange(6.0).reshape(2, 3)))

    @ab.function
    def step(x: ab.Tensor) -> tuple[ab.Tensor, ab.Tensor]:
        seen = v * 1.0
        v.assign_add(x)
        v[0, 1].assign(-1.0)
        v[:, 2].assign(v[:, 0] + 100.0)
        return seen, v.value()

    a = np.arange(6.0).reshape(2, 3)
    for k in range(3):
        x = np.full((2, 3), float(k + 1))
        seen, now = step(_f32(x))
        _close(seen, a)
        a = a + x
        a[0, 1] = -1.0
        a[:, 2] = a[:, 0] + 100.0
        _close(now, a)
        _close(v, a)
    assert step.trace_count == 1


def test_training_step_equals_eager() -> None:
    rng = np.random.default_rng(1)
    w0 = rng.standard_normal((4, 2))
    x = _f32(rng.standard_normal((8, 4)))
    y = _f32(rng.standard_normal((8, 2)))
    finals = []
    for wrap in (lambda f: f, ab.function):
        w = ab.Variable(_f32(w0))
        opt = ab.optimizers.Adam(learning_rate=0.05)

        def step(x: ab.Tensor, y: ab.Tensor, w: ab.Variable = w, opt: Any = opt) -> ab.Tensor:
            with ab.GradientTape() as tape:
                loss = ab.mean(ab.square(ab.tanh(x @ w) - y))
            opt.apply_gradients([(tape.gradient(loss, w), w)])
            return loss

        run = wrap(step)
        losses = [float(run(x, y)) for _ in range(4)]
        finals.append((losses, np.asarray(w).copy()))
    np.testing.assert_allclose(finals[1][0], finals[0][0], rtol=2e-5)
    np.testing.assert_allclose(finals[1][1], finals[0][1], rtol=2e-5, atol=1e-6)


def test_control_flow_on_values_raises() -> None:
    @ab.function
    def f(x: ab.Tensor) -> ab.Tensor:
        return x if ab.sum(x) > 0 else -x

    with pytest.raises(ab.TracingError, match=r"ab\.where"):
        f(ab.asarray([1.0, 2.0]))
