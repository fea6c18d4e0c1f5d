"""A custom training loop in arraybridge, on any backend (the seed's chapter-12 use case).

An MLP (8 -> 32 -> 32 -> 1, ReLU) is trained from scratch on a synthetic regression set
with a ``GradientTape``, a custom loss (Huber, plus an L2 penalty on the kernels), a custom
streaming metric (mean absolute error kept in non-trainable variables), gradient clipping
by global norm, and two optimizers for two parts of the network: Adam for the hidden
layers, SGD with Nesterov momentum for the output layer.

    python examples/custom_training_loop.py --backend numpy --steps 600
    python examples/custom_training_loop.py --backend jax

It prints the mean training loss and metric of each epoch, and the loss on the whole set
before and after training.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

import arraybridge as ab

# -- data --------------------------------------------------------------------------------


def make_dataset(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A nonlinear regression problem with 8 standardised features and a noisy target."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 8))
    y = (
        np.sin(2.0 * x[:, 0])
        + x[:, 1] * x[:, 2]
        + 0.5 * x[:, 3] ** 2
        - 0.8 * x[:, 4]
        + 0.1 * rng.standard_normal(n)
    )
    y = (y - y.mean()) / y.std()
    return x.astype(np.float32), y[:, None].astype(np.float32)


# -- the model -------------------------------------------------------------------------------


class Dense:
    """A fully connected layer: ``activation(x @ kernel + bias)``, Glorot-uniform kernel."""

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator, relu: bool, name: str):
        limit = math.sqrt(6.0 / (n_in + n_out))
        w = rng.uniform(-limit, limit, (n_in, n_out)).astype(np.float32)
        self.kernel = ab.Variable(w, name=f"{name}/kernel")
        self.bias = ab.Variable(np.zeros(n_out, dtype=np.float32), name=f"{name}/bias")
        self.relu = relu

    def __call__(self, x: ab.Tensor) -> ab.Tensor:
        z = x @ self.kernel + self.bias
        return ab.maximum(z, 0.0) if self.relu else z

    @property
    def trainable_variables(self) -> list[ab.Variable]:
        return [self.kernel, self.bias]


class MLP:
    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.hidden = [
            Dense(8, 32, rng, relu=True, name="hidden1"),
            Dense(32, 32, rng, relu=True, name="hidden2"),
        ]
        self.output = Dense(32, 1, rng, relu=False, name="output")

    def __call__(self, x: ab.Tensor) -> ab.Tensor:
        for layer in self.hidden:
            x = layer(x)
        return self.output(x)

    @property
    def hidden_variables(self) -> list[ab.Variable]:
        return [v for layer in self.hidden for v in layer.trainable_variables]

    @property
    def output_variables(self) -> list[ab.Variable]:
        return self.output.trainable_variables

    def regularization_losses(self, l2: float) -> ab.Tensor:
        """The L2 penalty on every kernel (Keras's ``model.losses``)."""
        total = ab.sum(ab.square(self.output.kernel)) * l2
        for layer in self.hidden:
            total = total + ab.sum(ab.square(layer.kernel)) * l2
        return total


# -- a custom loss and a custom metric -----------------------------------------------------------


def huber(y_true: ab.Tensor, y_pred: ab.Tensor, threshold: float = 1.0) -> ab.Tensor:
    """The Huber loss per example: quadratic for small errors, linear for large ones."""
    error = y_true - y_pred
    abs_error = ab.abs(error)
    squared = ab.square(error) / 2
    linear = threshold * abs_error - threshold**2 / 2
    return ab.where(abs_error < threshold, squared, linear)


class MeanAbsoluteError:
    """A streaming metric (Keras's ``Metric`` protocol) whose state lives in variables."""

    def __init__(self) -> None:
        self.total = ab.Variable(0.0, trainable=False, name="mae/total")
        self.count = ab.Variable(0.0, trainable=False, name="mae/count")

    def update_state(self, y_true: ab.Tensor, y_pred: ab.Tensor) -> None:
        self.total.assign_add(ab.sum(ab.abs(y_true - y_pred)))
        self.count.assign_add(float(y_true.size))

    def result(self) -> ab.Tensor:
        return self.total / self.count

    def reset_state(self) -> None:
        self.total.assign(0.0)
        self.count.assign(0.0)


# -- training ------------------------------------------------------------------------------------


def train(
    steps: int, batch_size: int = 32, n: int = 1024, seed: int = 0, verbose: bool = True
) -> dict[str, Any]:
    """Train on the current backend; returns the per-epoch history and the full-set losses."""
    x_np, y_np = make_dataset(n, seed)
    x_all, y_all = ab.asarray(x_np), ab.asarray(y_np)
    model = MLP(seed + 1)
    l2 = 1e-4
    hidden_opt = ab.optimizers.Adam(learning_rate=0.01)
    output_opt = ab.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True)
    metric = MeanAbsoluteError()

    def full_loss() -> float:
        return float(ab.mean(huber(y_all, model(x_all))))

    steps_per_epoch = n // batch_size
    n_epochs = max(1, math.ceil(steps / steps_per_epoch))
    rng = np.random.default_rng(seed + 2)
    history: dict[str, Any] = {"loss": [], "mae": [], "initial_loss": full_loss()}
    if verbose:
        print(
            f"backend {ab.get_backend()}: loss on the whole set before training "
            f"{history['initial_loss']:.4f}"
        )
    step = 0
    for epoch in range(1, n_epochs + 1):
        t0 = time.perf_counter()
        order = rng.permutation(n)
        epoch_loss, epoch_steps = 0.0, 0
        for k in range(steps_per_epoch):
            if step == steps:
                break
            idx = ab.asarray(order[k * batch_size : (k + 1) * batch_size])
            x_batch, y_batch = ab.take(x_all, idx, axis=0), ab.take(y_all, idx, axis=0)
            with ab.GradientTape() as tape:
                y_pred = model(x_batch)
                main_loss = ab.mean(huber(y_batch, y_pred))
                loss = main_loss + model.regularization_losses(l2)
            hidden_vars, output_vars = model.hidden_variables, model.output_variables
            grads = tape.gradient(loss, hidden_vars + output_vars)
            grads, _ = ab.clip_by_global_norm(grads, 1.0)
            n_hidden = len(hidden_vars)
            hidden_opt.apply_gradients(zip(grads[:n_hidden], hidden_vars, strict=True))
            output_opt.apply_gradients(zip(grads[n_hidden:], output_vars, strict=True))
            metric.update_state(y_batch, y_pred)
            epoch_loss += float(loss)
            epoch_steps += 1
            step += 1
        if epoch_steps == 0:
            break
        history["loss"].append(epoch_loss / epoch_steps)
        history["mae"].append(float(metric.result()))
        metric.reset_state()
        if verbose:
            print(
                f"epoch {epoch:3d}/{n_epochs}  loss {history['loss'][-1]:.4f}  "
                f"mae {history['mae'][-1]:.4f}  ({time.perf_counter() - t0:.2f} s)"
            )
    history["final_loss"] = full_loss()
    history["steps"] = step
    if verbose:
        print(f"loss on the whole set after {step} steps {history['final_loss']:.4f}")
    return history


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Parse the command line, train, and return the history."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="numpy", help="numpy, jax or cupy")
    parser.add_argument("--steps", type=int, default=640, help="training steps (default 640)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with ab.use_backend(args.backend):
        return train(args.steps, batch_size=args.batch_size, seed=args.seed)


if __name__ == "__main__":
    main()
