"""GradientTape (TensorFlow's semantics) and the functional API, on every backend."""

from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np
import pytest

import arraybridge as ab
from arraybridge.autodiff import (
    GradientTape,
    custom_gradient,
    custom_vjp,
    grad,
    hessian,
    jacobian,
    jvp,
    stop_gradient,
    value_and_grad,
    vjp,
)


def _f64(values: Any) -> ab.Tensor:
    return ab.asarray(np.asarray(values, dtype=np.float64))


def _close(got: Any, want: Any) -> None:
    assert got is not None
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-10, atol=1e-12)


# -- the tape ---------------------------------------------------------------------------------


def test_watched_tensor_gradient() -> None:
    x = _f64([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = ab.sum(x * x * x)
    _close(tape.gradient(y, x), 3 * np.array([1.0, 4.0, 9.0]))


def test_unwatched_tensor_has_no_gradient() -> None:
    x = _f64([1.0, 2.0])
    with GradientTape() as tape:
        y = ab.sum(x * x)
    assert tape.gradient(y, x) is None


def test_non_scalar_target_is_summed_and_output_gradients_weight_it() -> None:
    x = _f64([1.0, 2.0])
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    _close(tape.gradient(y, x), [2.0, 4.0])
    _close(tape.gradient(y, x, output_gradients=_f64([10.0, 100.0])), [20.0, 400.0])


def test_second_gradient_on_non_persistent_tape_raises() -> None:
    x = _f64([1.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(y, x)


def test_persistent_tape_gives_many_gradients() -> None:
    x = _f64(3.0)
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    _close(tape.gradient(z, x), 108.0)
    _close(tape.gradient(y, x), 6.0)
    _close(tape.gradient(z, y), 18.0)  # with respect to an intermediate


def test_nested_sources_keep_their_structure() -> None:
    a, b, c = _f64(1.0), _f64(2.0), _f64(3.0)
    with GradientTape() as tape:
        tape.watch([a, b, c])
        y = a * b * c
    g = tape.gradient(y, {"first": a, "rest": [b, (c,)]})
    assert set(g) == {"first", "rest"}
    _close(g["first"], 6.0)
    _close(g["rest"][0], 3.0)
    _close(g["rest"][1][0], 2.0)
    assert isinstance(g["rest"][1], tuple)


def test_unconnected_gradients_modes() -> None:
    x, w = _f64([1.0, 2.0]), _f64([5.0, 6.0])
    with GradientTape(persistent=True) as tape:
        tape.watch([x, w])
        y = ab.sum(x * 2.0)
    assert tape.gradient(y, w) is None
    zero = tape.gradient(y, w, unconnected_gradients="zero")
    _close(zero, [0.0, 0.0])
    assert zero.dtype is w.dtype
    with pytest.raises(ValueError, match="no path"):
        tape.gradient(y, [x, w], unconnected_gradients="raise")
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, x, unconnected_gradients="sometimes")


def test_stop_recording_and_stop_gradient() -> None:
    x = _f64(2.0)
    with GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            c = x * x  # a constant to the tape
        y = c * x + stop_gradient(x * x) * x
    _close(tape.gradient(y, x), 4.0 + 4.0)


def test_stop_recording_outside_the_block_raises() -> None:
    tape = GradientTape()
    with pytest.raises(RuntimeError), tape.stop_recording():
        pass


def test_reset_forgets_what_was_recorded() -> None:
    x = _f64(2.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
        tape.reset()
        tape.watch(x)
        z = x * x * x
    assert tape.gradient(z, x) is not None
    x2 = _f64(2.0)
    with GradientTape(persistent=True) as tape2:
        tape2.watch(x2)
        y = x2 * x2
        tape2.reset()
    assert tape2.gradient(y, x2) is None


def test_integer_paths_carry_no_gradient() -> None:
    x = _f64([1.5, 2.5])
    with GradientTape() as tape:
        tape.watch(x)
        i = ab.astype(x, ab.int64)
        y = ab.sum(ab.astype(i, ab.float64) * x)
    # through the integer cast: nothing; directly: i
    _close(tape.gradient(y, x), [1.0, 2.0])
    n = ab.asarray([1, 2])
    with GradientTape() as tape:
        tape.watch(n)
        m = n * 2
    assert tape.gradient(m, n) is None


def test_nested_tapes_give_higher_order() -> None:
    x = _f64([0.5, 1.5])
    with GradientTape() as outer:
        outer.watch(x)
        with GradientTape() as inner:
            inner.watch(x)
            y = ab.sum(ab.sin(x) * x)
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    xn = np.array([0.5, 1.5])
    _close(dy, np.cos(xn) * xn + np.sin(xn))
    _close(d2y, -np.sin(xn) * xn + 2 * np.cos(xn))


def test_inner_tape_does_not_see_what_only_the_outer_watches() -> None:
    x = _f64(2.0)
    with GradientTape() as outer:
        outer.watch(x)
        with GradientTape() as inner:
            y = x * x
        assert inner.gradient(y, x) is None
    _close(outer.gradient(y, x), 4.0)


def test_jacobian() -> None:
    x = _f64([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    j = tape.jacobian(y, x)
    assert j.shape == (3, 3)
    _close(j, np.diag([2.0, 4.0, 6.0]))


def test_tape_records_only_its_own_thread() -> None:
    x = _f64(3.0)
    other: dict[str, Any] = {}
    ready, done = threading.Event(), threading.Event()

    def worker() -> None:
        ready.wait()
        other["y"] = x * x  # computed while the main thread's tape records
        done.set()

    t = threading.Thread(target=worker)
    t.start()
    with GradientTape() as tape:
        tape.watch(x)
        ready.set()
        done.wait()
        z = x * 2.0
    t.join()
    assert getattr(other["y"], "_node", None) is None  # not recorded
    _close(tape.gradient(z, x), 2.0)


def test_non_persistent_tape_releases_the_graph() -> None:
    x = _f64(np.ones(4))
    with GradientTape() as tape:
        tape.watch(x)
        h = ab.exp(x)
        y = ab.sum(h * h)
    ref = weakref.ref(h._data)  # the intermediate's buffer
    tape.gradient(y, x)
    del h
    assert ref() is None  # y is alive, but its node let go of what it held


def test_unreachable_tensor_is_not_kept_alive() -> None:
    x = _f64(np.ones(4))
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        side = ab.exp(x)
        ref = weakref.ref(side)
        y = ab.sum(x * x)
        del side
        assert ref() is None  # the tape holds no reference: no cycle, no leak
    _close(tape.gradient(y, x), 2 * np.ones(4))


def test_bad_sources_and_targets() -> None:
    x = _f64(1.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(TypeError, match="sources"):
        tape.gradient(y, [x, "w"])
    with pytest.raises(TypeError, match="watch"):
        GradientTape().watch(3.0)


# -- the functional API ---------------------------------------------------------------------


def test_grad_and_value_and_grad() -> None:
    def f(x: ab.Tensor, y: ab.Tensor) -> ab.Tensor:
        return ab.sum(x * x * y)

    x, y = _f64([1.0, 2.0]), _f64([3.0, 4.0])
    _close(grad(f)(x, y), [6.0, 16.0])
    gx, gy = grad(f, argnums=(0, 1))(x, y)
    _close(gx, [6.0, 16.0])
    _close(gy, [1.0, 4.0])
    v, g = value_and_grad(f)(x, y)
    _close(v, 19.0)
    _close(g, [6.0, 16.0])


def test_grad_has_aux_and_pytrees() -> None:
    def f(p: dict[str, ab.Tensor]) -> tuple[ab.Tensor, str]:
        return ab.sum(p["w"] * p["b"]), "aux"

    p = {"w": _f64([1.0, 2.0]), "b": _f64([3.0, 4.0])}
    g, aux = grad(f, has_aux=True)(p)
    assert aux == "aux"
    _close(g["w"], [3.0, 4.0])
    _close(g["b"], [1.0, 2.0])


def test_grad_requires_a_scalar_float_output() -> None:
    with pytest.raises(TypeError, match="scalar"):
        grad(lambda x: x * x)(_f64([1.0, 2.0]))
    with pytest.raises(TypeError, match="floating"):
        grad(lambda x: ab.sum(x))(ab.asarray([1, 2]))


def test_higher_order_functional() -> None:
    f = lambda x: ab.sum(x**3)  # noqa: E731
    _close(grad(grad(f))(_f64(2.0)), 12.0)
    _close(grad(grad(grad(f)))(_f64(2.0)), 6.0)
    _close(hessian(f)(_f64([1.0, 2.0])), np.diag([6.0, 12.0]))


def test_vjp_jvp_jacobian_agree() -> None:
    def f(x: ab.Tensor) -> ab.Tensor:
        return ab.sin(x) * ab.exp(x)

    x = _f64([0.1, 0.2, 0.3])
    J = jacobian(f)(x)
    out, vjp_fn = vjp(f, x)
    u = _f64([1.0, -2.0, 0.5])
    (ct,) = vjp_fn(u)
    _close(ct, np.asarray(u) @ np.asarray(J))
    t = _f64([0.3, 0.0, -1.0])
    out2, tan = jvp(f, (x,), (t,))
    _close(out2, out)
    _close(tan, np.asarray(J) @ np.asarray(t))


def test_complex_follows_jax_convention() -> None:
    z = ab.asarray(np.array([3.0 + 4.0j]))
    # d|z|^2: JAX gives 2 conj(z)
    _close(grad(lambda z: ab.sum(ab.abs(z) ** 2))(z), [6.0 - 8.0j])
    x = _f64([0.5, 1.0])
    # a real function through complex intermediates is exact
    f = lambda x: ab.sum(ab.real(ab.astype(x, ab.complex128) * (1 + 2j)) ** 2)  # noqa: E731
    _close(grad(f)(x), 2 * np.array([0.5, 1.0]))


# -- custom gradients -------------------------------------------------------------------------


def test_custom_gradient() -> None:
    @custom_gradient
    def log1pexp(x: ab.Tensor) -> Any:
        e = ab.exp(x)

        def grad_fn(dy: ab.Tensor) -> ab.Tensor:
            return dy * (1 - 1 / (1 + e))

        return ab.log(1 + e), grad_fn

    x = _f64(100.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    _close(tape.gradient(y, x), 1.0)  # the naive formula gives NaN here


def test_custom_vjp() -> None:
    @custom_vjp
    def clip_grad(x: ab.Tensor) -> ab.Tensor:
        return x * 1.0

    clip_grad.defvjp(lambda x: (x * 1.0, None), lambda res, g: (ab.clip(g, -1.0, 1.0),))
    x = _f64([1.0, 2.0])
    _close(grad(lambda x: ab.sum(clip_grad(x) * 5.0))(x), [1.0, 1.0])


def test_custom_vjp_whose_forward_returns_its_input() -> None:
    """JAX's clip_gradient example: the forward is the identity (the result is the input
    object); the gradient must still flow, through bwd."""

    @custom_vjp
    def clip_gradient(x: ab.Tensor) -> ab.Tensor:
        return x

    clip_gradient.defvjp(lambda x: (x, None), lambda res, g: (ab.clip(g, -1.0, 1.0),))
    x = _f64([1.0, 2.0])
    _close(grad(lambda x: ab.sum(clip_gradient(x) * 5.0))(x), [1.0, 1.0])


def test_rules_keep_only_what_they_read() -> None:
    """exp's rule reads its result, sin's its input, x * 2's nothing: what no rule reads is
    freed during the forward pass (a shape-only stand-in stays for the tape)."""
    x = _f64(np.ones(8))
    with GradientTape() as tape:
        tape.watch(x)
        a = x * 2.0
        ref = weakref.ref(a._data)
        b = ab.exp(a)
        del a
        assert ref() is None  # multiply and exp read neither: nobody holds a's buffer
        y = ab.sum(ab.sin(b))
    _close(tape.gradient(y, x), np.cos(np.exp(2.0)) * np.exp(2.0) * 2.0 * np.ones(8))
