"""Memory of a long training loop: what 10,000 steps leave behind, per backend.

Run from the repository root with ``python -m benchmarks memory [--steps N] [--quick]
[--json PATH] [--txt PATH]`` (``--quick``: 2,000 steps).

The model is the one of ``tests/test_memory.py``: a 4-8-1 tanh MLP, batch 8, trained by
``ab.optimizers.SGD`` under a ``GradientTape``, on every available backend (NumPy, JAX).
After 200 warm-up steps, with the cycle collector off (so that whatever a step leaves must
go by reference counting alone), it records at 10 even intervals:

- ``rss``: the resident set size (``/proc/self/statm``; Linux only);
- ``traced``: Python's allocated memory, by ``tracemalloc`` (on from the first warm-up
  step; it sees NumPy's buffers, not JAX's, which XLA allocates);
- ``blocks``: ``sys.getallocatedblocks()`` (every Python object and buffer pymalloc holds);
- ``objects``: ``len(gc.get_objects())``, the objects the cycle collector tracks;
- ``cycles``: what ``gc.collect()`` finds unreachable (reference cycles) at that point.

The table gives the first sample (after warm-up), the last, the growth between them, the
growth per step, and ``tracemalloc``'s peak. Each backend runs in a process of its own
(so the RSS of one does not include the other's library).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

import arraybridge as ab
from arraybridge.autodiff import GradientTape

WARMUP, SAMPLES = 200, 10


def rss_bytes() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def tiny_mlp(seed: int = 0) -> Any:
    """One training step of the 4-8-1 MLP (see the module's docstring)."""
    rng = np.random.default_rng(seed)
    w1 = ab.Variable(rng.normal(0, 0.5, (4, 8)).astype(np.float32))
    b1 = ab.Variable(np.zeros(8, np.float32))
    w2 = ab.Variable(rng.normal(0, 0.5, (8, 1)).astype(np.float32))
    b2 = ab.Variable(np.zeros(1, np.float32))
    params = [w1, b1, w2, b2]
    x = ab.asarray(rng.normal(size=(8, 4)).astype(np.float32))
    y = ab.asarray(rng.normal(size=(8, 1)).astype(np.float32))
    opt = ab.optimizers.SGD(learning_rate=0.01)

    def step() -> Any:
        with GradientTape() as tape:
            h = ab.tanh(x @ w1 + b1)
            loss = ab.mean(ab.square(h @ w2 + b2 - y))
        grads = tape.gradient(loss, params)
        opt.apply_gradients(zip(grads, params, strict=True))
        return loss

    return step


@dataclass
class Run:
    """One backend's loop."""

    backend: str
    steps: int
    ms_per_step: float
    at_step: list[int] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    traced: list[int] = field(default_factory=list)
    traced_peak: int = 0
    blocks: list[int] = field(default_factory=list)
    objects: list[int] = field(default_factory=list)
    cycles: list[int] = field(default_factory=list)
    final_loss: float = float("nan")


def run(backend: str, steps: int) -> Run:
    with ab.use_backend(backend):
        step = tiny_mlp()
        out = Run(backend, steps, 0.0)
        every = steps // SAMPLES
        tracemalloc.start()  # (during the warm-up too: what it leaves is the baseline)
        try:
            for _ in range(WARMUP):
                step()
            gc.collect()
            gc.disable()
            t0 = time.perf_counter()
            for i in range(steps + 1):
                if i % every == 0:
                    t = time.perf_counter()
                    out.cycles.append(gc.collect())  # (also empties the free lists)
                    out.at_step.append(i)
                    out.traced.append(tracemalloc.get_traced_memory()[0])
                    out.blocks.append(sys.getallocatedblocks())
                    out.objects.append(len(gc.get_objects()))
                    r = rss_bytes()
                    if r is not None:
                        out.rss.append(r)
                    t0 += time.perf_counter() - t  # the sampling is not the step's time
                if i < steps:
                    loss = step()
            out.ms_per_step = (time.perf_counter() - t0) / steps * 1e3
            out.traced_peak = tracemalloc.get_traced_memory()[1]
            out.final_loss = float(loss)
        finally:
            tracemalloc.stop()
            gc.enable()
    return out


def _in_process(backend: str, steps: int) -> Run:
    """``run(backend, steps)`` in a fresh interpreter."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "run.json")
        cmd = [sys.executable, "-m", "benchmarks", "memory", "--backend", backend]
        cmd += ["--steps", str(steps), "--json", path]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(path, encoding="utf-8") as f:
            return Run(**json.load(f)["runs"][0])


def _mb(n: float) -> str:
    return f"{n / 2**20:.2f}"


def report(runs: list[Run]) -> str:
    lines = [
        f"## Memory over a training loop (4-8-1 MLP, batch 8, SGD; {runs[0].steps:,} steps "
        f"after {WARMUP} warm-up, cycle collector off)",
        "",
        "| backend | measure | start | end | growth | per step | peak |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        n = r.steps
        rows: list[tuple[str, list[int], str, Any]] = [
            ("RSS (MiB)", r.rss, "mib", None),
            ("traced (MiB)", r.traced, "mib", r.traced_peak),
            ("allocated blocks", r.blocks, "int", None),
            ("gc objects", r.objects, "int", None),
        ]
        for name, xs, kind, peak in rows:
            if not xs:
                lines.append(f"| {r.backend} | {name} | - | - | - | - | - |")
                continue
            grow = xs[-1] - xs[0]
            if kind == "mib":
                cells = f"{_mb(xs[0])} | {_mb(xs[-1])} | {grow / 2**20:+.3f} | {grow / n:+.1f} B"
            else:
                cells = f"{xs[0]:,} | {xs[-1]:,} | {grow:+,} | {grow / n:+.3f}"
            pk = _mb(peak) if peak is not None else "-"
            lines.append(f"| {r.backend} | {name} | {cells} | {pk} |")
        lines.append(
            f"| {r.backend} | cycles found by gc.collect() | {r.cycles[0]} | {r.cycles[-1]} | "
            f"total {sum(r.cycles)} | - | - |"
        )
    lines += [
        "",
        "| backend | ms per step (sampling excluded) | final loss |",
        "| --- | ---: | ---: |",
    ]
    for r in runs:
        lines.append(f"| {r.backend} | {r.ms_per_step:.3f} | {r.final_loss:.4f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks memory",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--steps", type=int, default=None, help="training steps (10,000)")
    parser.add_argument("--quick", action="store_true", help="2,000 steps")
    parser.add_argument("--backend", action="append", help="only these backends (repeatable)")
    parser.add_argument("--json", metavar="PATH", help="write results as JSON to PATH")
    parser.add_argument("--txt", metavar="PATH", help="write the printed report to PATH")
    args = parser.parse_args(argv)
    steps = args.steps or (2_000 if args.quick else 10_000)
    if steps < SAMPLES:
        parser.error(f"--steps must be at least {SAMPLES}")
    names = args.backend or sorted(
        (s.name for s in ab.backends() if s.available), key=lambda n: (n != "numpy", n)
    )
    from .dispatch import Lib
    from .dispatch import metadata as base

    libs = [Lib("numpy", np, lambda a: a), Lib("arraybridge", ab, ab.asarray)]
    meta = base(args.quick, 0.0, 1, libs)
    meta["backends"] = names
    for name in names:
        if name != "numpy":
            meta["versions"][name] = ab.asarray(0.0, device=name).device.backend.version
    head = (
        f"# {meta['date']}  python {meta['python']}  "
        + "  ".join(f"{k} {v}" for k, v in meta["versions"].items())
        + f"  cpus {meta['cpu_count']}  {meta['machine']}  steps={steps}"
    )
    print(head, flush=True)
    runs = [run(names[0], steps)] if len(names) == 1 else [_in_process(n, steps) for n in names]
    text = report(runs)
    print(text)
    if args.txt:
        os.makedirs(os.path.dirname(os.path.abspath(args.txt)), exist_ok=True)
        with open(args.txt, "w", encoding="utf-8") as f:
            f.write(head + "\n\n" + text + "\n")
        print(f"# wrote {args.txt}", file=sys.stderr)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"meta": meta, "runs": [asdict(r) for r in runs]}, f, indent=1)
            f.write("\n")
        print(f"# wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
