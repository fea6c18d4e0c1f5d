"""Optimizers (Keras 3's update formulas) and gradient clipping (TensorFlow's semantics).

The oracle for every optimizer is a NumPy re-implementation of Keras's ``update_step``
(keras/src/optimizers/{sgd,adam,rmsprop}.py and base_optimizer.py: clip, then decoupled
weight decay ``v - v * wd * lr``, then the update, then ``iterations += 1``), run in float64
on a small quadratic next to arraybridge's optimizer for several steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.array_api import make_strategies_namespace

import arraybridge as ab
from arraybridge._variable import Variable
from arraybridge.autodiff import GradientTape
from arraybridge.ops.clipping import clip_by_global_norm, clip_by_norm
from arraybridge.optimizers import SGD, Adam, AdamW, Optimizer, RMSprop
from arraybridge.testing import check_grads

xps = make_strategies_namespace(ab)

F64 = ab.float64

# -- a NumPy re-implementation of Keras 3's optimizers --------------------------------------


class RefOptimizer:
    """Keras 3's BaseOptimizer.apply for one list of variables (NumPy, float64)."""

    def __init__(self, kind: str, lr: Any, weight_decay: float | None = None, **hp: Any):
        self.kind, self.lr, self.wd, self.hp = kind, lr, weight_decay, hp
        self.iterations = 0
        self.slots: dict[int, dict[str, np.ndarray]] = {}
        self.clipnorm = hp.pop("clipnorm", None)
        self.global_clipnorm = hp.pop("global_clipnorm", None)
        self.clipvalue = hp.pop("clipvalue", None)

    def current_lr(self) -> float:
        return float(self.lr(self.iterations) if callable(self.lr) else self.lr)

    def clip(self, grads: list[np.ndarray]) -> list[np.ndarray]:
        if self.clipnorm:
            return [np_clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm:
            return np_clip_by_global_norm(grads, self.global_clipnorm)[0]
        if self.clipvalue:
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def apply(self, grads: list[np.ndarray], params: list[np.ndarray]) -> None:
        grads = self.clip(grads)
        lr = self.current_lr()
        if self.wd is not None:
            for p in params:
                p[...] = p - p * self.wd * lr
        for g, p in zip(grads, params, strict=True):
            s = self.slots.setdefault(id(p), {})
            getattr(self, self.kind)(g, p, s, lr)
        self.iterations += 1

    def sgd(self, g: np.ndarray, p: np.ndarray, s: dict[str, np.ndarray], lr: float) -> None:
        mom, nesterov = self.hp.get("momentum", 0.0), self.hp.get("nesterov", False)
        if mom == 0:
            p[...] = p - g * lr
            return
        m = s.setdefault("momentum", np.zeros_like(p))
        m[...] = m * mom - g * lr
        if nesterov:
            p[...] = p + (m * mom - g * lr)
        else:
            p[...] = p + m

    def adam(self, g: np.ndarray, p: np.ndarray, s: dict[str, np.ndarray], lr: float) -> None:
        b1, b2 = self.hp.get("beta_1", 0.9), self.hp.get("beta_2", 0.999)
        eps, ams = self.hp.get("epsilon", 1e-7), self.hp.get("amsgrad", False)
        m = s.setdefault("momentum", np.zeros_like(p))
        v = s.setdefault("velocity", np.zeros_like(p))
        t = np.float64(self.iterations + 1)
        alpha = lr * np.sqrt(1 - np.power(b2, t)) / (1 - np.power(b1, t))
        m[...] = m + (g - m) * (1 - b1)
        v[...] = v + (np.square(g) - v) * (1 - b2)
        denom = v
        if ams:
            vh = s.setdefault("velocity_hat", np.zeros_like(p))
            vh[...] = np.maximum(vh, v)
            denom = vh
        p[...] = p - (m * alpha) / (np.sqrt(denom) + eps)

    def rmsprop(self, g: np.ndarray, p: np.ndarray, s: dict[str, np.ndarray], lr: float) -> None:
        rho, mom = self.hp.get("rho", 0.9), self.hp.get("momentum", 0.0)
        eps, centered = self.hp.get("epsilon", 1e-7), self.hp.get("centered", False)
        vel = s.setdefault("velocity", np.zeros_like(p))
        vel[...] = rho * vel + (1 - rho) * np.square(g)
        if centered:
            avg = s.setdefault("average_gradient", np.zeros_like(p))
            avg[...] = rho * avg + (1 - rho) * g
            denom = vel - np.square(avg) + eps
        else:
            denom = vel + eps
        inc = lr * g / np.sqrt(denom)
        if mom > 0:
            m = s.setdefault("momentum", np.zeros_like(p))
            m[...] = mom * m + inc
            p[...] = p - m
        else:
            p[...] = p - inc


def np_clip_by_norm(t: np.ndarray, c: float, axes: Any = None) -> np.ndarray:
    l2sum = np.sum(np.abs(t) ** 2, axis=axes, keepdims=True)
    l2norm = np.sqrt(l2sum)
    return t * c / np.maximum(l2norm, c)


def np_clip_by_global_norm(
    ts: list[np.ndarray | None], c: float
) -> tuple[list[np.ndarray | None], float]:
    norm = math.sqrt(sum(float(np.sum(np.abs(t) ** 2)) for t in ts if t is not None))
    scale = c * min(1.0 / norm, 1.0 / c) if norm != 0 else 1.0
    return [None if t is None else t * scale for t in ts], norm


# -- the quadratic ---------------------------------------------------------------------------

A = np.array([[2.0, 0.5, 1.0], [0.25, 3.0, 1.5]])
C = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
A_B = np.array([0.5, 4.0])
C_B = np.array([-1.0, 2.0])
W0 = np.array([[0.3, 0.7, -1.2], [2.0, -0.4, 0.1]])
B0 = np.array([1.5, -0.5])


def loss_fn(w: Any, b: Any) -> Any:
    """0.5 * sum(A (w - C)**2) + 0.5 * sum(A_B (b - C_B)**2): gradients A (w - C), A_B (b - C_B)."""
    a, c = ab.asarray(A, dtype=F64), ab.asarray(C, dtype=F64)
    ab_, cb = ab.asarray(A_B, dtype=F64), ab.asarray(C_B, dtype=F64)
    dw, db = w - c, b - cb
    return 0.5 * ab.sum(a * dw * dw) + 0.5 * ab.sum(ab_ * db * db)


def np_grads(w: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    return [A * (w - C), A_B * (b - C_B)]


def run_both(
    make: Callable[[], Optimizer], ref: RefOptimizer, steps: int = 6
) -> tuple[list[Variable], list[np.ndarray], Optimizer]:
    opt = make()
    w, b = Variable(W0, dtype=F64, name="w"), Variable(B0, dtype=F64, name="b")
    pw, pb = W0.copy(), B0.copy()
    for k in range(steps):
        with GradientTape() as tape:
            loss = loss_fn(w, b)
        grads = tape.gradient(loss, [w, b])
        for g, e in zip(grads, np_grads(np.asarray(w), np.asarray(b)), strict=True):
            np.testing.assert_allclose(np.asarray(g), e, rtol=1e-13, atol=0)
        ret = opt.apply_gradients(zip(grads, [w, b], strict=True))
        assert ret is opt.iterations and int(ret) == k + 1
        ref.apply(np_grads(pw, pb), [pw, pb])
        np.testing.assert_allclose(np.asarray(w), pw, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(np.asarray(b), pb, rtol=1e-12, atol=1e-14)
    assert not np.allclose(pw, W0)  # the trajectory moved
    return [w, b], [pw, pb], opt


CASES: list[tuple[str, Callable[[], Optimizer], Callable[[], RefOptimizer]]] = [
    ("sgd", lambda: SGD(learning_rate=0.1), lambda: RefOptimizer("sgd", 0.1)),
    (
        "sgd-momentum",
        lambda: SGD(learning_rate=0.05, momentum=0.9),
        lambda: RefOptimizer("sgd", 0.05, momentum=0.9),
    ),
    (
        "sgd-nesterov-wd",
        lambda: SGD(learning_rate=0.05, momentum=0.8, nesterov=True, weight_decay=0.1),
        lambda: RefOptimizer("sgd", 0.05, weight_decay=0.1, momentum=0.8, nesterov=True),
    ),
    ("adam", lambda: Adam(learning_rate=0.1), lambda: RefOptimizer("adam", 0.1)),
    (
        "adam-hp",
        lambda: Adam(learning_rate=0.2, beta_1=0.8, beta_2=0.95, epsilon=1e-3),
        lambda: RefOptimizer("adam", 0.2, beta_1=0.8, beta_2=0.95, epsilon=1e-3),
    ),
    (
        "adam-amsgrad",
        lambda: Adam(learning_rate=0.3, amsgrad=True),
        lambda: RefOptimizer("adam", 0.3, amsgrad=True),
    ),
    ("adamw", lambda: AdamW(learning_rate=0.1), lambda: RefOptimizer("adam", 0.1, 0.004)),
    (
        "adamw-wd-amsgrad",
        lambda: AdamW(learning_rate=0.1, weight_decay=0.5, amsgrad=True),
        lambda: RefOptimizer("adam", 0.1, 0.5, amsgrad=True),
    ),
    ("rmsprop", lambda: RMSprop(learning_rate=0.05), lambda: RefOptimizer("rmsprop", 0.05)),
    (
        "rmsprop-centered-momentum",
        lambda: RMSprop(learning_rate=0.02, rho=0.8, momentum=0.5, centered=True),
        lambda: RefOptimizer("rmsprop", 0.02, rho=0.8, momentum=0.5, centered=True),
    ),
    (
        "rmsprop-momentum-wd",
        lambda: RMSprop(learning_rate=0.02, momentum=0.3, weight_decay=0.2, epsilon=1e-4),
        lambda: RefOptimizer("rmsprop", 0.02, 0.2, momentum=0.3, epsilon=1e-4),
    ),
    (
        "sgd-clipnorm",
        lambda: SGD(learning_rate=0.1, clipnorm=1.0),
        lambda: RefOptimizer("sgd", 0.1, clipnorm=1.0),
    ),
    (
        "adam-global-clipnorm",
        lambda: Adam(learning_rate=0.1, global_clipnorm=2.0),
        lambda: RefOptimizer("adam", 0.1, global_clipnorm=2.0),
    ),
    (
        "rmsprop-clipvalue",
        lambda: RMSprop(learning_rate=0.05, clipvalue=0.5),
        lambda: RefOptimizer("rmsprop", 0.05, clipvalue=0.5),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_trajectory_matches_keras_formulas(case: Any) -> None:
    _, make, ref = case
    run_both(make, ref())


def test_exported() -> None:
    assert ab.optimizers.Adam is Adam and ab.optimizers.SGD is SGD
    assert ab.optimizers.AdamW is AdamW and ab.optimizers.RMSprop is RMSprop
    assert ab.clip_by_norm is clip_by_norm and ab.clip_by_global_norm is clip_by_global_norm


def test_defaults_are_keras_defaults() -> None:
    s = SGD()
    assert (s.learning_rate, s.momentum, s.nesterov, s.weight_decay) == (0.01, 0.0, False, None)
    a = Adam()
    assert (a.learning_rate, a.beta_1, a.beta_2, a.epsilon, a.amsgrad) == (
        0.001,
        0.9,
        0.999,
        1e-7,
        False,
    )
    assert a.weight_decay is None
    w = AdamW()
    assert (w.learning_rate, w.weight_decay, w.beta_1, w.beta_2, w.epsilon) == (
        0.001,
        0.004,
        0.9,
        0.999,
        1e-7,
    )
    r = RMSprop()
    assert (r.learning_rate, r.rho, r.momentum, r.epsilon, r.centered) == (
        0.001,
        0.9,
        0.0,
        1e-7,
        False,
    )


def test_default_adam_moves_by_about_lr() -> None:
    # Adam's first step is lr * sign(g) (up to epsilon), whatever the gradient's scale.
    v = Variable([1.0, -2.0, 3.0], dtype=F64)
    Adam().apply_gradients([(ab.asarray([10.0, -0.01, 1e3], dtype=F64), v)])
    np.testing.assert_allclose(np.asarray(v), [0.999, -1.999, 2.999], rtol=0, atol=1e-6)


# -- learning rate -------------------------------------------------------------------------


def test_learning_rate_schedule_gets_the_step() -> None:
    seen: list[int] = []

    def schedule(step: int) -> float:
        seen.append(step)
        return 0.1 / (1 + step)

    ref = RefOptimizer("sgd", lambda step: 0.1 / (1 + step), momentum=0.5)
    run_both(lambda: SGD(learning_rate=schedule, momentum=0.5), ref, steps=4)
    assert sorted(set(seen)) == [0, 1, 2, 3]


def test_learning_rate_schedule_returning_tensor_and_no_arg_callable() -> None:
    opt = Adam(learning_rate=lambda step: ab.asarray(0.5, dtype=F64) * 0.5**step)
    assert opt.learning_rate == 0.5
    v = Variable([1.0], dtype=F64)
    opt.apply_gradients([(ab.asarray([1.0], dtype=F64), v)])
    assert opt.learning_rate == 0.25
    opt.learning_rate = lambda: 0.125  # Keras's callable without argument
    assert opt.learning_rate == 0.125


def test_learning_rate_is_settable() -> None:
    opt = SGD(learning_rate=0.5)
    v = Variable([1.0], dtype=F64)
    opt.apply_gradients([(ab.asarray([1.0], dtype=F64), v)])
    opt.learning_rate = 0.25
    assert opt.learning_rate == 0.25
    opt.apply_gradients([(ab.asarray([1.0], dtype=F64), v)])
    np.testing.assert_allclose(np.asarray(v), [0.25], rtol=1e-15)
    with pytest.raises(TypeError):
        opt.learning_rate = "fast"
    with pytest.raises(TypeError):
        opt.learning_rate = True


# -- several optimizers, slots ------------------------------------------------------------------


def test_two_optimizers_for_disjoint_groups() -> None:
    opt_w, opt_b = Adam(learning_rate=0.1), SGD(learning_rate=0.05, momentum=0.9)
    ref_w, ref_b = RefOptimizer("adam", 0.1), RefOptimizer("sgd", 0.05, momentum=0.9)
    w, b = Variable(W0, dtype=F64), Variable(B0, dtype=F64)
    pw, pb = W0.copy(), B0.copy()
    for _ in range(5):
        with GradientTape() as tape:
            loss = loss_fn(w, b)
        gw, gb = tape.gradient(loss, [w, b])
        opt_w.apply_gradients([(gw, w)])
        opt_b.apply_gradients([(gb, b)])
        ew, eb = np_grads(pw, pb)
        ref_w.apply([ew], [pw])
        ref_b.apply([eb], [pb])
    np.testing.assert_allclose(np.asarray(w), pw, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(b), pb, rtol=1e-12)
    assert int(opt_w.iterations) == int(opt_b.iterations) == 5
    assert opt_w.get_slot_names() == ["momentum", "velocity"]
    assert opt_w.get_slot(w, "velocity").shape == w.shape
    with pytest.raises(KeyError):
        opt_w.get_slot(b, "velocity")  # b belongs to the other optimizer
    assert len(opt_b.variables) == 2  # iterations and b's momentum
    assert all(not v.trainable for v in opt_w.variables)


def test_slots_created_lazily_for_new_variables() -> None:
    opt = Adam(learning_rate=0.1)
    v1 = Variable([1.0, 2.0], dtype=F64)
    opt.apply_gradients([(ab.asarray([1.0, 1.0], dtype=F64), v1)])
    assert len(opt.variables) == 3
    v2 = Variable([[1.0]], dtype=F64)
    opt.apply_gradients([(ab.asarray([[1.0]], dtype=F64), v2)])
    assert len(opt.variables) == 5
    # v2's first step is a first step for its own moments, with the shared counter at 1
    # (Keras's bias correction uses the optimizer's iterations, not the variable's).
    b1, b2 = 0.9, 0.999
    alpha = 0.1 * math.sqrt(1 - b2**2) / (1 - b1**2)
    m, vv = 0.1, 0.001
    np.testing.assert_allclose(np.asarray(v2), [[1.0 - m * alpha / (math.sqrt(vv) + 1e-7)]])
    opt.build([Variable([0.0, 0.0, 0.0], dtype=F64)])
    assert len(opt.variables) == 7
    assert SGD().get_slot_names() == [] and SGD(momentum=0.5).get_slot_names() == ["momentum"]
    assert RMSprop(momentum=0.1, centered=True).get_slot_names() == [
        "velocity",
        "momentum",
        "average_gradient",
    ]


# -- gradients: None, dtypes, shapes -------------------------------------------------------------


def test_none_gradients_are_skipped_with_a_warning() -> None:
    opt = SGD(learning_rate=1.0)
    v1, v2 = Variable([1.0], dtype=F64, name="used"), Variable([5.0], dtype=F64, name="unused")
    with pytest.warns(UserWarning, match="unused"):
        opt.apply_gradients([(ab.asarray([0.5], dtype=F64), v1), (None, v2)])
    assert float(v1[0]) == 0.5 and float(v2[0]) == 5.0
    with pytest.raises(ValueError, match="no gradients"):
        opt.apply_gradients([(None, v1), (None, v2)])
    assert int(opt.apply_gradients([])) == 1  # nothing to do


def test_dtype_and_device_follow_the_variable() -> None:
    v = Variable([1.0, 2.0])  # float32
    opt = Adam(learning_rate=0.1)
    opt.apply_gradients([(ab.asarray([1.0, -1.0], dtype=F64), v)])  # cast, as Keras does
    assert v.dtype is ab.float32
    assert opt.get_slot(v, "momentum").dtype is ab.float32
    np.testing.assert_allclose(np.asarray(v), [0.9, 2.1], rtol=1e-6)
    opt.apply_gradients([([1.0, 1.0], v)])  # Python data are converted
    assert v.dtype is ab.float32


def test_errors() -> None:
    v = Variable([1.0], dtype=F64)
    opt = SGD()
    with pytest.raises(TypeError, match="Variable"):
        opt.apply_gradients([(ab.asarray([1.0], dtype=F64), ab.asarray([1.0], dtype=F64))])
    with pytest.raises(ValueError, match="shape"):
        opt.apply_gradients([(ab.asarray([1.0, 2.0], dtype=F64), v)])
    with pytest.raises(TypeError, match="pairs"):
        opt.apply_gradients([v])
    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=1.5)
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW(weight_decay=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="only one"):
        Adam(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(TypeError):
        Adam(beta_1="0.9")  # type: ignore[arg-type]
    with pytest.raises(ab.DTypeError, match="real floating-point"):
        opt.apply_gradients([([1.0], Variable([1.0 + 1j]))])
    with pytest.raises(ab.DTypeError, match="real floating-point"):
        opt.apply_gradients([([1], Variable([1]))])
    with pytest.raises(ab.DTypeError, match="real numeric"):
        opt.apply_gradients([(ab.asarray([1.0], dtype=F64), v), (ab.asarray([1j]), v)])
    assert float(v[0]) == 1.0  # nothing was written by the failed calls


# -- minimize, and the tape -------------------------------------------------------------------


def test_minimize_with_callable_loss() -> None:
    w, b = Variable(W0, dtype=F64), Variable(B0, dtype=F64)
    pw, pb = W0.copy(), B0.copy()
    opt, ref = RMSprop(learning_rate=0.05), RefOptimizer("rmsprop", 0.05)
    for _ in range(3):
        opt.minimize(lambda: loss_fn(w, b), [w, b])
        ref.apply(np_grads(pw, pb), [pw, pb])
    np.testing.assert_allclose(np.asarray(w), pw, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(b), pb, rtol=1e-12)
    opt.minimize(lambda: loss_fn(w, b), lambda: [w, b])  # var_list as a callable
    assert int(opt.iterations) == 4


def test_minimize_with_tensor_loss_needs_the_tape() -> None:
    w = Variable([3.0], dtype=F64)
    with GradientTape() as tape:
        loss = ab.sum(w * w)
    with pytest.raises(ValueError, match="tape"):
        SGD().minimize(loss, [w])
    SGD(learning_rate=0.25).minimize(loss, [w], tape=tape)
    np.testing.assert_allclose(np.asarray(w), [1.5])


def test_updates_are_not_recorded() -> None:
    w = Variable([2.0], dtype=F64)
    x = ab.asarray([1.0], dtype=F64)
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = ab.sum(w * x)
        grads = tape.gradient(y, [w])
        Adam(learning_rate=0.1).apply_gradients(zip(grads, [w], strict=True))
        z = ab.sum(w * x)  # reads the updated w
    np.testing.assert_allclose(np.asarray(tape.gradient(z, x)), np.asarray(w))
    assert tape.gradient(z, w) is not None


def test_exclude_from_weight_decay() -> None:
    w, bias = Variable([1.0], dtype=F64, name="kernel"), Variable([1.0], dtype=F64, name="bias")
    opt = SGD(learning_rate=0.5, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_names=["bias"])
    zero = ab.asarray([0.0], dtype=F64)
    opt.apply_gradients([(zero, w), (zero, bias)])
    assert float(w[0]) == pytest.approx(1 - 0.1 * 0.5) and float(bias[0]) == 1.0
    opt.exclude_from_weight_decay(var_list=[w])
    opt.apply_gradients([(zero, w), (zero, bias)])
    assert float(w[0]) == pytest.approx(1 - 0.1 * 0.5) and float(bias[0]) < 1.0


# -- clip_by_norm ------------------------------------------------------------------------------


@given(
    x=xps.arrays(
        dtype=st.sampled_from([ab.float32, ab.float64]),
        shape=xps.array_shapes(min_dims=0, max_dims=3, max_side=4),
        elements={"min_value": -10.0, "max_value": 10.0, "allow_nan": False},
    ),
    c=st.floats(0.1, 20.0),
    data=st.data(),
)
def test_clip_by_norm_against_numpy(x: ab.Tensor, c: float, data: st.DataObject) -> None:
    axes = data.draw(
        st.one_of(
            st.none(),
            st.lists(st.integers(0, max(x.ndim - 1, 0)), unique=True, max_size=x.ndim).map(tuple),
        )
    )
    if x.ndim == 0:
        axes = None
    r = clip_by_norm(x, c, axes=axes)
    assert r.dtype is x.dtype and r.shape == x.shape
    a = np.asarray(x)
    expected = np_clip_by_norm(a.astype(np.float64), c, axes)
    tol = 1e-12 if x.dtype is ab.float64 else 2e-6
    np.testing.assert_allclose(np.asarray(r), expected, rtol=tol, atol=tol)


def test_clip_by_norm_cases() -> None:
    t = ab.asarray([[3.0, 4.0], [0.0, 0.0]], dtype=F64)
    np.testing.assert_allclose(np.asarray(clip_by_norm(t, 2.0)), [[1.2, 1.6], [0, 0]])
    np.testing.assert_allclose(np.asarray(clip_by_norm(t, 10.0)), np.asarray(t))
    np.testing.assert_allclose(np.asarray(clip_by_norm(t, 1.0, axes=1)), [[0.6, 0.8], [0, 0]])
    np.testing.assert_allclose(
        np.asarray(clip_by_norm(t, 1.0, axes=0)), [[1.0, 1.0], [0, 0]], rtol=1e-15
    )
    np.testing.assert_allclose(
        np.asarray(clip_by_norm(t, ab.asarray(2.0, dtype=F64))), [[1.2, 1.6], [0, 0]]
    )
    z = clip_by_norm(ab.asarray([3 + 4j, 0j], dtype=ab.complex128), 1.0)
    assert z.dtype is ab.complex128
    np.testing.assert_allclose(np.asarray(z), [0.6 + 0.8j, 0])
    with pytest.raises(ab.DTypeError):
        clip_by_norm(ab.asarray([1, 2]), 1.0)
    with pytest.raises(IndexError):
        clip_by_norm(t, 1.0, axes=2)
    with pytest.raises(ValueError):
        clip_by_norm(t, ab.asarray([1.0, 2.0], dtype=F64))
    with pytest.raises(TypeError):
        clip_by_norm(t, "1")


def test_clip_by_norm_gradients() -> None:
    x = ab.asarray([[0.3, -1.2, 2.0], [0.5, 0.1, -0.4]], dtype=F64)
    check_grads(lambda t: clip_by_norm(t, 1.0), [x], order=2)
    check_grads(lambda t: clip_by_norm(t, 1.0, axes=1), [x], order=2)
    check_grads(lambda t: clip_by_norm(t, 5.0), [x], order=2)  # not clipped: identity
    # at zero the gradient is finite (the double-where trick)
    z = ab.zeros((3,), dtype=F64)
    with GradientTape() as tape:
        tape.watch(z)
        y = ab.sum(clip_by_norm(z, 1.0))
    g = tape.gradient(y, z)
    assert np.all(np.isfinite(np.asarray(g)))


# -- clip_by_global_norm ------------------------------------------------------------------------


def test_clip_by_global_norm_against_numpy() -> None:
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((3, 2)), None, rng.standard_normal(4), rng.standard_normal(())]
    ts = [None if a is None else ab.asarray(a, dtype=F64) for a in arrays]
    for c in (0.5, 2.0, 100.0):
        out, norm = clip_by_global_norm(ts, c)
        exp_out, exp_norm = np_clip_by_global_norm(arrays, c)
        assert isinstance(norm, ab.Tensor) and norm.dtype is F64 and norm.shape == ()
        np.testing.assert_allclose(float(norm), exp_norm, rtol=1e-14)
        assert out[1] is None
        for o, e in zip(out, exp_out, strict=True):
            if e is not None:
                assert o is not None
                np.testing.assert_allclose(np.asarray(o), e, rtol=1e-13)
    # use_norm replaces the computed norm; tuples are accepted
    out, norm = clip_by_global_norm(tuple(ts), 1.0, use_norm=10.0)
    assert float(norm) == 10.0
    np.testing.assert_allclose(np.asarray(out[0]), arrays[0] * 0.1, rtol=1e-14)


def test_clip_by_global_norm_cases() -> None:
    t32 = ab.asarray([3.0, 4.0])
    out, norm = clip_by_global_norm([t32], 1.0)
    assert out[0] is not None and out[0].dtype is ab.float32 and norm.dtype is ab.float32
    np.testing.assert_allclose(np.asarray(out[0]), [0.6, 0.8], rtol=1e-6)
    # mixed dtypes: the norm in the wider one, each tensor keeps its dtype
    out, norm = clip_by_global_norm([t32, ab.asarray([12.0], dtype=F64)], 6.5)
    assert norm.dtype is F64 and out[0] is not None and out[0].dtype is ab.float32
    np.testing.assert_allclose(float(norm), 13.0)
    # a non-finite norm makes every value NaN (TensorFlow's behaviour)
    out, norm = clip_by_global_norm([ab.asarray([math.inf, 1.0], dtype=F64)], 1.0)
    assert out[0] is not None and np.all(np.isnan(np.asarray(out[0])))
    # all zeros stay zeros
    out, norm = clip_by_global_norm([ab.zeros((2,), dtype=F64)], 1.0)
    assert float(norm) == 0.0 and out[0] is not None
    np.testing.assert_array_equal(np.asarray(out[0]), [0.0, 0.0])
    with pytest.raises(TypeError):
        clip_by_global_norm(ab.asarray([1.0]), 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="None"):
        clip_by_global_norm([None, None], 1.0)
    with pytest.raises(ab.DTypeError):
        clip_by_global_norm([ab.asarray([1, 2])], 1.0)


def test_clip_by_global_norm_gradients() -> None:
    a = ab.asarray([[0.3, -1.2], [2.0, 0.5]], dtype=F64)
    b = ab.asarray([0.1, -0.4, 0.7], dtype=F64)

    def f(x: Any, y: Any) -> Any:
        out, norm = clip_by_global_norm([x, None, y], 1.0)
        return ab.sum(out[0] * out[0]) + ab.sum(out[2]) + norm

    check_grads(f, [a, b], order=2)
