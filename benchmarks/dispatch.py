"""Per-call cost of arraybridge operations against the raw backend call and the Array API peers.

Run from the repository root with ``python -m benchmarks dispatch [--quick] [--backend NAME]
[--out DIR]`` (``python -m benchmarks`` runs it with every other section).

For each available backend (NumPy, JAX, CuPy) and each op (``x + y``, ``add(x, y)``,
``exp(x)``, ``sum(x)``, ``matmul(m, m)``, ``x[0]``) on float32 inputs of 1, 1,000 and
1,000,000 elements (matmul: a square matrix of about that many elements), these run
round-robin (:mod:`benchmarks.timing`):

- ``raw``: the backend's own call on its own arrays (``numpy``, ``jax.numpy`` on a
  ``jax.Array``, ``cupy``);
- ``arraybridge``: the same statement with ``xp = arraybridge`` on tensors of that backend;
- ``arraybridge+tape``: the same, inside ``with ab.GradientTape() as tape: tape.watch(x)``
  (``x`` and ``m`` watched, ``y`` not), so every call is recorded;
- on NumPy only, the peers ``array_api_strict`` (its own arrays) and ``array_api_compat``
  (``array_api_compat.numpy`` on NumPy arrays), when installed, and ``bare wrapper``
  (:mod:`benchmarks.bare`: a slotted object around the array, one Python call per op and
  nothing else, the floor of any Python-level layer).

JAX dispatches asynchronously and CuPy runs on a stream: there every statement waits for its
result (``.block_until_ready()``, the stream's ``synchronize()``), the raw call's and
arraybridge's alike, so that neither is flattered by measuring only the launch.
"""

from __future__ import annotations

import argparse
import importlib
import math
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

import arraybridge as ab
from benchmarks import records as rec
from benchmarks import timing
from benchmarks.timing import Case

SIZES: tuple[int, ...] = (1, 1_000, 1_000_000)

# op label -> expression; names: ``xp`` the namespace, ``x`` and ``y`` 1-D inputs (equal
# values, distinct arrays), ``m`` a square 2-D input.
OPS: dict[str, str] = {
    "x + y": "x + y",
    "add(x, y)": "xp.add(x, y)",
    "exp(x)": "xp.exp(x)",
    "sum(x)": "xp.sum(x)",
    "matmul(m, m)": "xp.matmul(m, m)",
    "x[0]": "x[0]",
}

# kinds of implementation, in table order
RAW, AB, TAPE, PEER = "raw", "arraybridge", "arraybridge+tape", "peer"


@dataclass(frozen=True)
class Impl:
    """One implementation of the statements on one backend."""

    name: str  # "numpy", "jax.numpy", "arraybridge", "arraybridge+tape", "array_api_strict", ...
    kind: str  # RAW, AB, TAPE or PEER
    xp: Any
    wrap: Callable[[np.ndarray[Any, Any]], Any]
    template: str = "{}"  # how the statement waits for its result
    extra: tuple[tuple[str, Any], ...] = ()  # more names for the namespace


@dataclass(frozen=True)
class Result:
    """One measurement: median per-call microseconds plus the raw batches."""

    op: str
    size: int
    shape: tuple[int, ...]
    backend: str
    impl: str
    kind: str
    median_us: float
    number: int
    per_call_us: list[float]
    ratio: float  # median_us / the raw call's median_us


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def available_backends() -> list[str]:
    """The arraybridge backends that are installed and usable here, NumPy first."""
    names = [s.name for s in ab.backends() if s.available]
    return sorted(names, key=lambda n: (n != "numpy", n))


def implementations(backend: str) -> list[Impl]:
    """The raw call, arraybridge with and without a tape, and (on NumPy) the peers."""

    def tensor(a: np.ndarray[Any, Any]) -> Any:
        return ab.asarray(a, device=backend)

    if backend == "numpy":
        impls = [
            Impl("numpy", RAW, np, lambda a: a.copy()),
            Impl("arraybridge", AB, ab, tensor),
            Impl("arraybridge+tape", TAPE, ab, tensor),
        ]
        strict = _optional("array_api_strict")
        if strict is not None:
            impls.append(Impl("array_api_strict", PEER, strict, strict.asarray))
        compat = _optional("array_api_compat.numpy")
        if compat is not None:
            impls.append(Impl("array_api_compat", PEER, compat, lambda a: a.copy()))
        from benchmarks import bare

        impls.append(Impl("bare wrapper", PEER, bare, bare.asarray))
        return impls
    if backend == "jax":
        jnp = importlib.import_module("jax.numpy")
        wait, ab_wait = "({}).block_until_ready()", "({})._data.block_until_ready()"
        return [
            Impl("jax.numpy", RAW, jnp, jnp.asarray, wait),
            Impl("arraybridge", AB, ab, tensor, ab_wait),
            Impl("arraybridge+tape", TAPE, ab, tensor, ab_wait),
        ]
    if backend == "cupy":
        cp = importlib.import_module("cupy")
        sync = (("_sync", cp.cuda.get_current_stream().synchronize),)
        return [
            Impl("cupy", RAW, cp, cp.asarray, "{}; _sync()", sync),
            Impl("arraybridge", AB, ab, tensor, "{}; _sync()", sync),
            Impl("arraybridge+tape", TAPE, ab, tensor, "{}; _sync()", sync),
        ]
    # a third party's plugin: arraybridge against its own namespace
    xp = ab.asarray(0.0, device=backend).device.backend.xp
    return [
        Impl(f"{backend} xp", RAW, xp, lambda a: xp.asarray(a)),
        Impl("arraybridge", AB, ab, tensor),
        Impl("arraybridge+tape", TAPE, ab, tensor),
    ]


@contextmanager
def _recording(*tensors: Any) -> Iterator[Any]:
    """A tape that records every op on ``tensors`` (the "with a tape recording" variant)."""
    with ab.GradientTape() as tape:
        tape.watch(list(tensors))
        yield tape


def device_kind(backend: str) -> str:
    """``cpu`` or ``gpu``: where this backend's default device is (for file names)."""
    dev = str(ab.asarray(0.0, device=backend).device)  # e.g. "numpy:cpu", "jax:cpu:0"
    parts = dev.split(":")
    kind = parts[1] if len(parts) > 1 else "cpu"
    return "gpu" if kind in ("cuda", "gpu", "rocm") else kind


def run(backend: str, min_time: float, repeat: int) -> list[Result]:
    """Measure every op at every size for every implementation on ``backend``."""
    impls = implementations(backend)
    results: list[Result] = []
    for op, expr in OPS.items():
        for size in SIZES:
            a = np.ones(size, dtype=np.float32)
            side = round(math.sqrt(size))
            sq = np.ones((side, side), dtype=np.float32)
            shape = sq.shape if re.search(r"\bm\b", expr) else a.shape
            cases = []
            for impl in impls:
                ns = {"xp": impl.xp, "x": impl.wrap(a), "y": impl.wrap(a), "m": impl.wrap(sq)}
                ns.update(impl.extra)
                context = None
                if impl.kind == TAPE:
                    x, m = ns["x"], ns["m"]
                    context = lambda x=x, m=m: _recording(x, m)  # noqa: E731
                cases.append(Case(impl.name, impl.template.format(expr), ns, context))
            timings = timing.interleaved(cases, min_time, repeat)
            base = timings[0].median_us
            for impl, t in zip(impls, timings, strict=True):
                results.append(
                    Result(
                        op, size, shape, backend, impl.name, impl.kind, t.median_us, t.number,
                        t.per_call_us, t.median_us / base,
                    )
                )  # fmt: skip
    return results


def _fmt_us(v: float) -> str:
    return f"{v:,.2f}" if v < 1000 else f"{v:,.0f}"


def markdown(record: dict[str, Any]) -> str:
    """One backend's results as a Markdown table: microseconds and ratio to the raw call
    for each implementation, and the tape's cost over arraybridge without one."""
    results = [Result(**{**r, "shape": tuple(r["shape"])}) for r in record["results"]]
    impls: list[tuple[str, str]] = []
    for r in results:
        if (r.impl, r.kind) not in impls:
            impls.append((r.impl, r.kind))
    raw = next(name for name, kind in impls if kind == RAW)
    head = ["op", "size", "shape", f"{raw} us"]
    for name, kind in impls:
        if kind == RAW:
            continue
        head += [f"{name} us", "ratio"]
        if kind == TAPE:
            head.append("tape / no tape")
    rows = []
    by: dict[tuple[str, int], dict[str, Result]] = {}
    for r in results:
        by.setdefault((r.op, r.size), {})[r.impl] = r
    for (op, size), row in by.items():
        cells = [
            f"`{op}`",
            f"{size:,}",
            "x".join(map(str, row[raw].shape)),
            _fmt_us(row[raw].median_us),
        ]
        for name, kind in impls:
            if kind == RAW:
                continue
            r = row[name]
            cells += [_fmt_us(r.median_us), f"{r.ratio:.2f}x"]
            if kind == TAPE:
                cells.append(f"{r.median_us / row['arraybridge'].median_us:.2f}x")
        rows.append(cells)
    lines = [
        "| " + " | ".join(head) + " |",
        "| " + " | ".join("---" if i < 3 else "---:" for i in range(len(head))) + " |",
    ]
    lines += ["| " + " | ".join(c) + " |" for c in rows]
    return "\n".join(lines)


def run_section(
    backends: list[str] | None, quick: bool, log: Callable[[str], None] = print
) -> Iterator[dict[str, Any]]:
    """Run the section on each backend (default: every available one), yielding one record
    per backend as soon as it is measured."""
    min_time, repeat = (0.01, 7) if quick else (0.2, 9)
    for backend in backends or available_backends():
        log(f"# dispatch on {backend} ...")
        meta = rec.environment(quick, min_time, repeat)
        results = run(backend, min_time, repeat)
        meta["loadavg_end"] = rec.loadavg()
        yield {
            "section": "dispatch",
            "backend": backend,
            "device": device_kind(backend),
            "meta": meta,
            "results": [asdict(r) for r in results],
        }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks dispatch",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="short timing windows")
    parser.add_argument(
        "--backend", action="append", help="only this backend (repeatable; default: all)"
    )
    parser.add_argument("--out", metavar="DIR", help="write dispatch-<backend>-<device>.json/.md")
    args = parser.parse_args(argv)
    for record in run_section(args.backend, args.quick):
        text = rec.header(record) + "\n\n" + markdown(record)
        print(text, flush=True)
        if args.out:
            rec.save(args.out, record, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
