"""examples/custom_training_loop.py runs, briefly, on every available backend and learns."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

import arraybridge as ab


def test_loss_falls(example: ModuleType, _backend: str, capsys: pytest.CaptureFixture[str]) -> None:
    history = example.main(["--backend", _backend, "--steps", "64"])
    out = capsys.readouterr().out
    assert f"backend {_backend}" in out
    assert out.count("epoch ") == 2  # 64 steps of 32 examples over 1024: two epochs
    assert history["steps"] == 64
    losses = history["loss"]
    assert len(losses) == 2 and all(np.isfinite(losses))
    assert losses[-1] < losses[0]
    assert history["final_loss"] < 0.8 * history["initial_loss"]
    assert history["mae"][-1] < history["mae"][0]


def test_parts_and_optimizers(example: ModuleType, _backend: str) -> None:
    # One step by hand: each optimizer touches only its own part of the network.
    model = example.MLP(1)
    x = ab.asarray(np.ones((4, 8), dtype=np.float32))
    before = {id(v): np.asarray(v).copy() for v in model.hidden_variables + model.output_variables}
    opt = ab.optimizers.SGD(learning_rate=0.1)
    with ab.GradientTape() as tape:
        loss = ab.sum(ab.square(model(x)))
    grads = tape.gradient(loss, model.output_variables)
    assert all(g is not None for g in grads)
    opt.apply_gradients(zip(grads, model.output_variables, strict=True))
    for v in model.hidden_variables:
        np.testing.assert_array_equal(np.asarray(v), before[id(v)])
    assert any(not np.array_equal(np.asarray(v), before[id(v)]) for v in model.output_variables)
    assert all(v.device == x.device for v in model.hidden_variables)


def test_custom_loss_and_metric(example: ModuleType) -> None:
    y_true = ab.asarray([0.0, 0.0, 0.0, 0.0])
    y_pred = ab.asarray([0.5, -0.5, 2.0, -3.0])
    np.testing.assert_allclose(np.asarray(example.huber(y_true, y_pred)), [0.125, 0.125, 1.5, 2.5])
    metric = example.MeanAbsoluteError()
    metric.update_state(y_true, y_pred)
    metric.update_state(y_true[:2], y_pred[:2])
    assert float(metric.result()) == pytest.approx((6.0 + 1.0) / 6)
    metric.reset_state()
    metric.update_state(y_true[:1], y_pred[:1])
    assert float(metric.result()) == pytest.approx(0.5)
