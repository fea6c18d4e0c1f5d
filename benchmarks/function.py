"""A whole training step as one ``ab.function``, against eager arraybridge and ``jax.jit``.

Run from the repository root with ``python -m benchmarks function [--quick] [--out DIR]``
(``python -m benchmarks`` runs it with every other section).

The step: forward pass, gradients and an Adam update of the 784-256-10 MLP of
:mod:`benchmarks.autodiff` (ReLU, softmax cross-entropy, batch 128, float32). arraybridge
writes it once, with a ``GradientTape`` and ``ab.optimizers.Adam`` over four variables; it
is timed eagerly and as an ``ab.function``, on NumPy and on JAX. The reference on JAX is
the same step written directly in JAX: ``jax.jit`` of ``jax.value_and_grad`` and an
optax-style functional Adam update (the parameters and moments as a pytree in and out).
On NumPy the reference is hand-written backprop with the same Adam update. Every
implementation starts from the same parameters; after a few steps their parameters are
checked against each other before anything is timed. Each call waits for its results
(``block_until_ready`` on JAX). Median milliseconds per step, round-robin
(:mod:`benchmarks.timing`).

Targets (issue 11): on JAX the ``ab.function`` step takes at most 1.2x the ``jax.jit``
step and less than the eager arraybridge step; on NumPy the ``ab.function`` step is faster
than the eager one.
"""

from __future__ import annotations

import importlib
import math
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

import arraybridge as ab
from benchmarks import records as rec
from benchmarks import timing
from benchmarks.autodiff import BATCH, _mlp_loss, mlp_data

LR, BETA_1, BETA_2, EPSILON = 1e-3, 0.9, 0.999, 1e-7
CHECK_STEPS = 3
JIT_BOUND = 1.2  # ab.function step / jax.jit step on JAX, at most

EAGER = "arraybridge eager"
TRACED = "arraybridge ab.function"
JIT = "jax.jit(jax.value_and_grad) + Adam"
HAND = "hand-written backprop + Adam"


@dataclass(frozen=True)
class Result:
    """One implementation's timing on one backend (``number`` 0: not run, see ``note``)."""

    name: str
    backend: str
    median_ms: float
    best_ms: float
    number: int
    per_call_ms: list[float]
    max_rel_err: float
    note: str = ""


def _max_rel_err(got: list[np.ndarray], want: list[np.ndarray]) -> float:
    return max(
        float(np.max(np.abs(g - w)) / max(float(np.max(np.abs(w))), 1e-30))
        for g, w in zip(got, want, strict=True)
    )


# -- arraybridge: one user function, eager and traced -------------------------------------------
def arraybridge_step(backend: str) -> tuple[Callable[[Any, Any], Any], list[ab.Variable]]:
    """The step over fresh variables on ``backend``: a tape, then Adam (Keras's)."""
    params, _, _ = mlp_data()
    with ab.use_backend(backend):
        variables = [ab.Variable(p) for p in params]
    opt = ab.optimizers.Adam(LR, beta_1=BETA_1, beta_2=BETA_2, epsilon=EPSILON)

    def step(x: Any, y: Any) -> Any:
        with ab.GradientTape() as tape:
            loss = _mlp_loss(
                ab,
                tuple(variables),
                x,
                y,
                lambda z: ab.stop_gradient(ab.max(z, axis=1, keepdims=True)),
            )
        grads = tape.gradient(loss, variables)
        opt.apply_gradients(zip(grads, variables, strict=True))
        return loss

    return step, variables


# -- the references --------------------------------------------------------------------------------
def _adam(xp: Any, params: list[Any], m: list[Any], v: list[Any], t: Any, grads: list[Any]) -> Any:
    """Keras's Adam (the form ab.optimizers.Adam computes), functional: new state out."""
    t = t + 1
    alpha = LR * xp.sqrt(1 - BETA_2**t) / (1 - BETA_1**t)
    m = [mi + (g - mi) * (1 - BETA_1) for mi, g in zip(m, grads, strict=True)]
    v = [vi + (g * g - vi) * (1 - BETA_2) for vi, g in zip(v, grads, strict=True)]
    params = [
        p - (mi * alpha.astype(p.dtype)) / (xp.sqrt(vi) + EPSILON)
        for p, mi, vi in zip(params, m, v, strict=True)
    ]
    return params, m, v, t


def jax_jit_step(jax: Any) -> tuple[Callable[[Any, Any], Any], Callable[[], list[np.ndarray]]]:
    """``jax.jit`` of value_and_grad plus the functional Adam update; state in a box."""
    jnp = importlib.import_module("jax.numpy")
    params, _, _ = mlp_data()

    def loss_fn(p: Any, x: Any, y: Any) -> Any:
        smax = lambda z: jax.lax.stop_gradient(jnp.max(z, axis=1, keepdims=True))  # noqa: E731
        return _mlp_loss(jnp, tuple(p), x, y, smax)

    vg = jax.value_and_grad(loss_fn)

    @jax.jit
    def update(state: Any, x: Any, y: Any) -> Any:
        p, m, v, t = state
        loss, grads = vg(p, x, y)
        return loss, _adam(jnp, p, m, v, t, grads)

    jp = [jnp.asarray(a) for a in params]
    box = [(jp, [jnp.zeros_like(a) for a in jp], [jnp.zeros_like(a) for a in jp], jnp.float64(0))]

    def step(x: Any, y: Any) -> Any:
        loss, box[0] = update(box[0], x, y)
        jax.block_until_ready((loss, box[0]))
        return loss

    return step, lambda: [np.asarray(a) for a in box[0][0]]


def numpy_hand_step() -> tuple[Callable[[Any, Any], Any], Callable[[], list[np.ndarray]]]:
    """Hand-written backprop and the same Adam update, in NumPy."""
    from benchmarks.autodiff import numpy_step

    params, _, _ = mlp_data()
    box: list[Any] = [
        (params, [np.zeros_like(a) for a in params], [np.zeros_like(a) for a in params], 0.0)
    ]

    def step(x: Any, y: Any) -> Any:
        p, m, v, t = box[0]
        loss, *grads = numpy_step(p, x, y)
        t = t + 1
        alpha = np.float32(LR * math.sqrt(1 - BETA_2**t) / (1 - BETA_1**t))
        m = [mi + (g - mi) * np.float32(1 - BETA_1) for mi, g in zip(m, grads, strict=True)]
        v = [vi + (g * g - vi) * np.float32(1 - BETA_2) for vi, g in zip(v, grads, strict=True)]
        p = [
            pi - (mi * alpha) / (np.sqrt(vi) + np.float32(EPSILON))
            for pi, mi, vi in zip(p, m, v, strict=True)
        ]
        box[0] = (p, m, v, t)
        return loss

    return step, lambda: [np.asarray(a) for a in box[0][0]]


# -- running ------------------------------------------------------------------------------
def _block(jax: Any, variables: list[ab.Variable]) -> Callable[[Any], None]:
    def wait(loss: Any) -> None:
        jax.block_until_ready([loss._data] + [v._buf for v in variables])

    return wait


def run(min_time: float, repeat: int) -> list[Result]:
    """Check every implementation against the others, then time them round-robin."""
    _, x_np, y_np = mlp_data()
    cases: list[tuple[str, str, Callable[[], Any], Callable[[], list[np.ndarray]]]] = []
    skipped: list[Result] = []
    backends = [s.name for s in ab.backends() if s.available and s.name in ("numpy", "jax")]
    jax = None
    for backend in backends:
        with ab.use_backend(backend):
            x, y = ab.asarray(x_np), ab.asarray(y_np)
        wait: Callable[[Any], None] = lambda _: None  # noqa: E731
        for name, traced in ((EAGER, False), (TRACED, True)):
            step, variables = arraybridge_step(backend)
            fn = ab.function(step) if traced else step
            if backend == "jax":
                jax = importlib.import_module("jax")
                wait = _block(jax, variables)

            def call(fn: Any = fn, wait: Any = wait, x: Any = x, y: Any = y) -> Any:
                loss = fn(x, y)
                wait(loss)
                return loss

            def state(variables: list[ab.Variable] = variables) -> list[np.ndarray]:
                return [np.asarray(v) for v in variables]

            cases.append((name, backend, call, state))
        if backend == "jax" and jax is not None:
            jx, jy = jax.numpy.asarray(x_np), jax.numpy.asarray(y_np)
            step_j, state_j = jax_jit_step(jax)
            cases.append((JIT, "jax", lambda s=step_j, a=jx, b=jy: s(a, b), state_j))
        if backend == "numpy":
            step_h, state_h = numpy_hand_step()
            cases.append((HAND, "numpy", lambda s=step_h: s(x_np, y_np), state_h))
    if "jax" not in backends:
        skipped.append(Result(JIT, "jax", 0.0, 0.0, 0, [], 0.0, "jax not installed"))
    # the same steps from the same start: every implementation must agree
    for _ in range(CHECK_STEPS):
        for _, _, call, _ in cases:
            call()
    reference = cases[0][3]()
    errs = [_max_rel_err(state(), reference) for _, _, _, state in cases]
    timed = timing.interleaved(
        [
            timing.Case(f"{name} ({backend})", "fn()", {"fn": call})
            for name, backend, call, _ in cases
        ],
        min_time,
        repeat,
    )
    out = [
        Result(
            name,
            backend,
            t.median_us / 1e3,
            min(t.per_call_us) / 1e3,
            t.number,
            [u / 1e3 for u in t.per_call_us],
            err,
            "" if err < 1e-3 else "parameters disagree with the first implementation's",
        )
        for (name, backend, _, _), t, err in zip(cases, timed, errs, strict=True)
    ]
    return out + skipped


def ratios(results: list[Result]) -> dict[str, float]:
    """The targets' ratios (only those whose two measurements exist)."""
    by = {(r.name, r.backend): r.median_ms for r in results if r.number}
    out: dict[str, float] = {}
    if (TRACED, "jax") in by and (JIT, "jax") in by:
        out["jax_traced_over_jit"] = by[(TRACED, "jax")] / by[(JIT, "jax")]
    if (TRACED, "jax") in by and (EAGER, "jax") in by:
        out["jax_traced_over_eager"] = by[(TRACED, "jax")] / by[(EAGER, "jax")]
    if (TRACED, "numpy") in by and (EAGER, "numpy") in by:
        out["numpy_traced_over_eager"] = by[(TRACED, "numpy")] / by[(EAGER, "numpy")]
    if (TRACED, "numpy") in by and (HAND, "numpy") in by:
        out["numpy_traced_over_hand"] = by[(TRACED, "numpy")] / by[(HAND, "numpy")]
    return out


def markdown(record: dict[str, Any]) -> str:
    """The record as a Markdown table, with the ratios below it."""
    rows = [
        f"One training step (forward, gradients, Adam) of the 784-256-10 MLP, batch {BATCH}, "
        "float32; median and best ms per step; parameters after "
        f"{CHECK_STEPS} steps compared with the first row's (max relative difference).",
        "",
        "| implementation | backend | median ms | best ms | loops | max rel diff |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in record["results"]:
        if not r["number"]:
            rows.append(f"| {r['name']} | {r['backend']} | - | - | - | ({r['note']}) |")
            continue
        rows.append(
            f"| {r['name']} | {r['backend']} | {r['median_ms']:.3f} | {r['best_ms']:.3f} | "
            f"{r['number']:,} | {r['max_rel_err']:.1e} |"
        )
    q = record["ratios"]
    rows.append("")
    if "jax_traced_over_jit" in q:
        rows.append(
            f"JAX: ab.function / jax.jit {q['jax_traced_over_jit']:.2f}x (target <= "
            f"{JIT_BOUND:g}x); ab.function / eager {q['jax_traced_over_eager']:.2f}x (target < 1)."
        )
    if "numpy_traced_over_eager" in q:
        rows.append(
            f"NumPy: ab.function / eager {q['numpy_traced_over_eager']:.2f}x (target < 1); "
            f"ab.function / hand-written {q.get('numpy_traced_over_hand', float('nan')):.2f}x."
        )
    return "\n".join(rows)


def run_section(quick: bool) -> dict[str, Any]:
    """The measurements as one record (:mod:`benchmarks.records`)."""
    min_time, repeat = (0.05, 5) if quick else (0.3, 9)
    meta = rec.environment(quick, min_time, repeat)
    results = run(min_time, repeat)
    meta["loadavg_end"] = rec.loadavg()
    return {
        "section": "function",
        "backend": "all",
        "device": "cpu",
        "meta": meta,
        "results": [asdict(r) for r in results],
        "ratios": ratios(results),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    return rec.section_main(
        argv,
        section="function",
        doc=__doc__,
        files="function-all-cpu.json/.md",
        run=run_section,
        markdown=markdown,
    )


if __name__ == "__main__":
    sys.exit(main())
