"""Cost of reverse-mode autodiff: arraybridge's tape against hand-written backprop and peers.

Run from the repository root with ``python -m benchmarks autodiff [--quick] [--out DIR]``
(``python -m benchmarks`` runs it with every other section).

1. **MLP gradient step**: loss and gradients of a 784-256-10 MLP (ReLU, softmax
   cross-entropy, batch 128, float32) with respect to its four parameters, computed by
   arraybridge on NumPy (``GradientTape`` over variables, and ``value_and_grad`` over
   tensors), hand-written NumPy backprop (the baseline), MyGrad, HIPS autograd, ``jax.grad``
   eager and ``jax.jit(jax.grad)``. Each library's gradients are checked against the baseline's
   before it is timed. Median milliseconds per step (:mod:`benchmarks.timing`), and the
   ratio to the baseline.
2. **Tape memory**: the peak memory allocated while differentiating a chain of 50
   elementwise ops (``sin``, ``* 0.9``, ``tanh``, ``+ 0.5``, ``exp``, repeated) on 1,000,000
   float32 values, measured with ``tracemalloc`` (which sees NumPy's buffers; JAX's live
   outside it and is not measured), in units of one 4 MB vector, for arraybridge's tape,
   hand-written backprop (which keeps only what its backward pass needs), MyGrad and autograd.

The implementations are timed round-robin (:mod:`benchmarks.timing`: one batch of each in
turn, ``repeat`` times), so that a change in machine load hits all of them alike; the table
gives the median batch and the best batch. On a small machine shared with other work, the
best-batch ratios are the more stable, and ``OPENBLAS_NUM_THREADS=1`` (the harness's
default) keeps NumPy's matrix products from stalling on a busy core. Missing peers (MyGrad,
autograd, jax) are skipped. Targets: see :mod:`benchmarks.targets`.
"""

from __future__ import annotations

import gc
import importlib
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

import arraybridge as ab
from arraybridge.autodiff import GradientTape, stop_gradient, value_and_grad
from benchmarks import records as rec
from benchmarks import timing

BATCH, N_IN, N_HIDDEN, N_OUT = 128, 784, 256, 10
CHAIN_OPS, CHAIN_SIZE = 50, 1_000_000
VECTOR_BYTES = CHAIN_SIZE * 4

Params = tuple[Any, Any, Any, Any]


def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


# -- the MLP problem --------------------------------------------------------------------------


def mlp_data(seed: int = 0) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Parameters (Glorot-uniform kernels, small biases), inputs and one-hot labels."""
    rng = np.random.default_rng(seed)

    def glorot(n_in: int, n_out: int) -> np.ndarray:
        lim = np.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-lim, lim, (n_in, n_out)).astype(np.float32)

    params = [
        glorot(N_IN, N_HIDDEN),
        (0.01 * rng.standard_normal(N_HIDDEN)).astype(np.float32),
        glorot(N_HIDDEN, N_OUT),
        (0.01 * rng.standard_normal(N_OUT)).astype(np.float32),
    ]
    x = rng.standard_normal((BATCH, N_IN)).astype(np.float32)
    labels = rng.integers(0, N_OUT, BATCH)
    y = np.eye(N_OUT, dtype=np.float32)[labels]
    return params, x, y


def numpy_step(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> list[Any]:
    """Hand-written backprop: the loss and the four gradients."""
    w1, b1, w2, b2 = params
    pre = x @ w1 + b1
    h = np.maximum(pre, 0)
    z = h @ w2 + b2
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=1, keepdims=True)
    loss = -np.sum(y * (z - np.log(s))) / BATCH
    dz = (e / s - y) / BATCH
    dw2 = h.T @ dz
    db2 = dz.sum(axis=0)
    dh = dz @ w2.T
    dh *= pre > 0
    dw1 = x.T @ dh
    db1 = dh.sum(axis=0)
    return [loss, dw1, db1, dw2, db2]


def _mlp_loss(xp: Any, params: Params, x: Any, y: Any, smax: Callable[[Any], Any]) -> Any:
    """The same user code for every library: ``xp`` is its namespace."""
    w1, b1, w2, b2 = params
    h = xp.maximum(x @ w1 + b1, 0.0)
    z = h @ w2 + b2
    z = z - smax(z)
    logp = z - xp.log(xp.sum(xp.exp(z), axis=1, keepdims=True))
    return -xp.sum(y * logp) / BATCH


def arraybridge_tape_step(variables: list[Any], x: Any, y: Any) -> list[Any]:
    """arraybridge: a GradientTape over four variables."""
    with GradientTape() as tape:
        loss = _mlp_loss(
            ab, tuple(variables), x, y, lambda z: stop_gradient(ab.max(z, axis=1, keepdims=True))
        )
    return [loss, *tape.gradient(loss, variables)]


def make_arraybridge_functional(x: Any, y: Any) -> Callable[[Params], list[Any]]:
    """arraybridge: ``value_and_grad`` over a tuple of tensors."""

    def loss_fn(params: Params) -> Any:
        return _mlp_loss(
            ab, params, x, y, lambda z: stop_gradient(ab.max(z, axis=1, keepdims=True))
        )

    vg = value_and_grad(loss_fn)

    def step(params: Params) -> list[Any]:
        loss, grads = vg(params)
        return [loss, *grads]

    return step


def make_autograd(mod: ModuleType) -> Callable[..., list[Any]]:
    anp = importlib.import_module("autograd.numpy")

    def loss_fn(params: Params, x: Any, y: Any) -> Any:
        return _mlp_loss(anp, params, x, y, lambda z: anp.max(z, axis=1, keepdims=True))

    vg = mod.value_and_grad(loss_fn)

    def step(params: Params, x: Any, y: Any) -> list[Any]:
        loss, grads = vg(params, x, y)
        return [loss, *grads]

    return step


def make_mygrad(mg: ModuleType, params: list[np.ndarray]) -> Callable[..., list[Any]]:
    """MyGrad: parameters as ``mygrad.Tensor``, ``loss.backward()`` fills their ``.grad``."""
    ps = tuple(mg.Tensor(p) for p in params)

    def step(x: Any, y: Any) -> list[Any]:
        # the max is taken on the plain array: a constant, like stop_gradient elsewhere
        loss = _mlp_loss(mg, ps, x, y, lambda z: z.data.max(axis=1, keepdims=True))
        loss.backward()
        return [loss.item(), *(p.grad for p in ps)]

    return step


def make_jax(jax: ModuleType, jit: bool) -> Callable[..., list[Any]]:
    jnp = importlib.import_module("jax.numpy")

    def loss_fn(params: Params, x: Any, y: Any) -> Any:
        return _mlp_loss(
            jnp, params, x, y, lambda z: jax.lax.stop_gradient(jnp.max(z, axis=1, keepdims=True))
        )

    vg = jax.value_and_grad(loss_fn)
    if jit:
        vg = jax.jit(vg)

    def step(params: Params, x: Any, y: Any) -> list[Any]:
        loss, grads = vg(params, x, y)
        out = [loss, *grads]
        jax.block_until_ready(out)
        return out

    return step


@dataclass
class StepResult:
    """One implementation of the MLP step."""

    name: str
    median_ms: float
    number: int
    per_call_ms: list[float]
    max_rel_err: float
    ok: bool
    note: str = ""


def _max_rel_err(got: list[Any], want: list[Any]) -> float:
    worst = 0.0
    for g, w in zip(got, want, strict=True):
        if g is None:
            return float("inf")
        a, b = np.asarray(g, dtype=np.float64), np.asarray(w, dtype=np.float64)
        if a.shape != b.shape:
            return float("inf")
        worst = max(worst, float(np.max(np.abs(a - b)) / (np.max(np.abs(b)) + 1e-30)))
    return worst


def run_mlp(min_time: float, repeat: int) -> list[StepResult]:
    """Time every available implementation of the MLP step."""
    params, x, y = mlp_data()
    want = numpy_step(params, x, y)
    cases: list[tuple[str, Callable[[], list[Any]]]] = [
        ("numpy (hand-written backprop)", lambda: numpy_step(params, x, y))
    ]
    with ab.use_backend("numpy"):
        variables = [ab.Variable(p) for p in params]
        ab_params: Params = tuple(ab.asarray(p) for p in params)  # type: ignore[assignment]
        xa, ya = ab.asarray(x), ab.asarray(y)
    cases.append(
        ("arraybridge GradientTape (numpy)", lambda: arraybridge_tape_step(variables, xa, ya))
    )
    functional = make_arraybridge_functional(xa, ya)
    cases.append(("arraybridge value_and_grad (numpy)", lambda: functional(ab_params)))
    mg = _optional("mygrad")
    if mg is not None:
        mgstep = make_mygrad(mg, params)
        cases.append(("mygrad", lambda: mgstep(x, y)))
    autograd = _optional("autograd")
    if autograd is not None:
        ag = make_autograd(autograd)
        pt = tuple(params)
        cases.append(("autograd", lambda: ag(pt, x, y)))
    jax = _optional("jax")
    if jax is not None:
        jnp = importlib.import_module("jax.numpy")
        jp = tuple(jnp.asarray(p) for p in params)
        jx, jy = jnp.asarray(x), jnp.asarray(y)
        eager, jitted = make_jax(jax, jit=False), make_jax(jax, jit=True)
        cases.append(("jax.grad eager", lambda: eager(jp, jx, jy)))
        cases.append(("jax.jit(jax.grad)", lambda: jitted(jp, jx, jy)))
    return time_interleaved(cases, want, min_time, repeat)


def time_interleaved(
    cases: list[tuple[str, Callable[[], list[Any]]]],
    want: list[Any],
    min_time: float,
    repeat: int,
) -> list[StepResult]:
    """Check each case against ``want``, then time the cases round-robin: batch r of every
    case runs before batch r + 1 of any, so a change in machine load hits all of them alike
    and the ratios stay fair."""
    checked: list[tuple[str, Callable[[], list[Any]], float]] = []
    failed: list[StepResult] = []
    for name, fn in cases:
        try:
            err = _max_rel_err(fn(), want)
        except Exception as exc:  # a missing rule etc.: report it, time nothing
            failed.append(StepResult(name, float("nan"), 0, [], float("inf"), False, repr(exc)))
            continue
        checked.append((name, fn, err))
    timed = timing.interleaved(
        [timing.Case(name, "fn()", {"fn": fn}) for name, fn, _ in checked], min_time, repeat
    )
    results = []
    for (name, _fn, err), t in zip(checked, timed, strict=True):
        ms = [us / 1e3 for us in t.per_call_us]
        ok = err < 1e-4
        note = "" if ok else "gradients differ from hand-written backprop"
        results.append(StepResult(name, t.median_us / 1e3, t.number, ms, err, ok, note))
    return results + failed


# -- tape memory ------------------------------------------------------------------------------


def _chain(xp: Any, x: Any) -> Any:
    for i in range(CHAIN_OPS):
        k = i % 5
        if k == 0:
            x = xp.sin(x)
        elif k == 1:
            x = x * 0.9
        elif k == 2:
            x = xp.tanh(x)
        elif k == 3:
            x = x + 0.5
        else:
            x = xp.exp(x)
    return xp.sum(x)


def chain_numpy_backprop(x: np.ndarray) -> np.ndarray:
    """Hand-written: keep only what the backward pass needs (sin's input, tanh's and
    exp's outputs), free each as soon as it has been used."""
    saved: list[np.ndarray | None] = []
    for i in range(CHAIN_OPS):
        k = i % 5
        if k == 0:
            saved.append(x)
            x = np.sin(x)
        elif k == 1:
            saved.append(None)
            x = x * np.float32(0.9)
        elif k == 2:
            x = np.tanh(x)
            saved.append(x)
        elif k == 3:
            saved.append(None)
            x = x + np.float32(0.5)
        else:
            x = np.exp(x)
            saved.append(x)
    del x
    g = np.ones(CHAIN_SIZE, dtype=np.float32)
    for i in reversed(range(CHAIN_OPS)):
        k = i % 5
        s = saved.pop()
        if k == 0:
            assert s is not None
            g *= np.cos(s)
        elif k == 1:
            g *= np.float32(0.9)
        elif k == 2:
            assert s is not None
            g *= 1 - s * s
        elif k == 4:
            assert s is not None
            g *= s
        del s
    return g


def chain_arraybridge(x: np.ndarray) -> Any:
    with ab.use_backend("numpy"):
        t = ab.asarray(x)
        with GradientTape() as tape:
            tape.watch(t)
            y = _chain(ab, t)
        return tape.gradient(y, t)


def chain_mygrad(x: np.ndarray) -> Any:
    mg = importlib.import_module("mygrad")
    t = mg.Tensor(x)
    _chain(mg, t).backward()
    return t.grad


def chain_autograd(x: np.ndarray) -> Any:
    autograd = importlib.import_module("autograd")
    anp = importlib.import_module("autograd.numpy")
    return autograd.grad(lambda v: _chain(anp, v))(x)


@dataclass
class MemoryResult:
    """Peak memory of one chain differentiation."""

    name: str
    peak_bytes: int
    vectors: float
    max_rel_err: float
    ok: bool
    note: str = ""
    runs: list[int] = field(default_factory=list)


def peak_memory(fn: Callable[[np.ndarray], Any], x: np.ndarray) -> tuple[int, Any]:
    """Peak bytes traced while ``fn(x)`` runs (the input itself excluded)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        out = fn(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, out


def run_memory(repeat: int) -> list[MemoryResult]:
    rng = np.random.default_rng(1)
    x = rng.uniform(-1.0, 1.0, CHAIN_SIZE).astype(np.float32)
    want = chain_numpy_backprop(x)
    cases: list[tuple[str, Callable[[np.ndarray], Any]]] = [
        ("numpy (hand-written backprop)", chain_numpy_backprop),
        ("arraybridge GradientTape (numpy)", chain_arraybridge),
    ]
    if _optional("mygrad") is not None:
        cases.append(("mygrad", chain_mygrad))
    if _optional("autograd") is not None:
        cases.append(("autograd", chain_autograd))
    results = []
    for name, fn in cases:
        try:
            runs, err = [], 0.0
            for _ in range(repeat):
                peak, out = peak_memory(fn, x)
                runs.append(peak)
                err = _max_rel_err([out], [want])
                del out
        except Exception as exc:
            results.append(MemoryResult(name, 0, float("nan"), float("inf"), False, repr(exc)))
            continue
        peak = min(runs)
        ok = err < 1e-4
        note = "" if ok else "gradient differs from hand-written backprop"
        results.append(MemoryResult(name, peak, peak / VECTOR_BYTES, err, ok, note, runs))
    return results


# -- report -----------------------------------------------------------------------------------


def report(steps: list[StepResult], mem: list[MemoryResult]) -> str:
    base = steps[0].median_ms
    lines = [
        f"### MLP gradient step ({N_IN}-{N_HIDDEN}-{N_OUT}, batch {BATCH}, float32)",
        "",
        "| implementation | ms per step (median) | ratio | ms (best batch) | ratio | gradients |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    best0 = min(steps[0].per_call_ms)
    for r in steps:
        if r.number:
            best = min(r.per_call_ms)
            cells = (
                f"{r.median_ms:.3f} | {r.median_ms / base:.2f}x | {best:.3f} | {best / best0:.2f}x"
            )
        else:
            cells = "- | - | - | -"
        check = "ok" if r.ok else f"WRONG: {r.note}"
        lines.append(f"| {r.name} | {cells} | {check} |")
    mbase = mem[0].peak_bytes
    lines += [
        "",
        f"### Peak memory: gradient of {CHAIN_OPS} elementwise ops on {CHAIN_SIZE:,} float32",
        "",
        "| implementation | peak MB | vectors (4 MB) | ratio to hand-written | gradient |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for m in mem:
        ratio = f"{m.peak_bytes / mbase:.2f}x" if m.peak_bytes else "-"
        check = "ok" if m.ok else f"WRONG: {m.note}"
        lines.append(
            f"| {m.name} | {m.peak_bytes / 1e6:.1f} | {m.vectors:.1f} | {ratio} | {check} |"
        )
    return "\n".join(lines)


def run_section(quick: bool) -> dict[str, Any]:
    """Both measurements, as one record (:mod:`benchmarks.records`)."""
    min_time, repeat = (0.1, 5) if quick else (0.5, 7)
    meta = rec.environment(quick, min_time, repeat)
    steps = run_mlp(min_time, repeat)
    mem = run_memory(3 if quick else 5)
    meta["loadavg_end"] = rec.loadavg()
    return {
        "section": "autodiff",
        "backend": "numpy",
        "device": "cpu",
        "meta": meta,
        "mlp_step": [asdict(r) for r in steps],
        "chain_memory": [asdict(m) for m in mem],
    }


def markdown(record: dict[str, Any]) -> str:
    """The record's two tables."""
    steps = [StepResult(**r) for r in record["mlp_step"]]
    mem = [MemoryResult(**m) for m in record["chain_memory"]]
    return report(steps, mem)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    return rec.section_main(
        argv,
        section="autodiff",
        doc=__doc__,
        files="autodiff-numpy-cpu.json/.md",
        run=run_section,
        markdown=markdown,
    )


if __name__ == "__main__":
    sys.exit(main())
