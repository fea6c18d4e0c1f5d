"""Cost of a small slice write into a large ab.Variable (copy-on-write must make it cheap).

Run from the repository root with ``python -m benchmarks variables [--quick] [--out DIR]``
(``python -m benchmarks`` runs it with every other section).

On a 10,000,000-element float32 variable, a 10-element slice write ``v[i:j].assign(x)`` is
timed against NumPy's in-place ``a[i:j] = x`` and against a full copy of the array
(``a.copy()``), round-robin with the harness of :mod:`benchmarks.timing`. The targets
(issue 5, kept by issue 8): the slice write costs at most 5x NumPy's in-place write and at
least 100x less than the copy. Two more rows show what copy-on-write costs when a snapshot
is alive (every write then copies the buffer once) and the same slice write on the other
available backends (JAX: a functional update of the whole array).
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

import arraybridge as ab
from benchmarks import records as rec
from benchmarks import timing
from benchmarks.timing import Case

N = 10_000_000
I, J = N // 2, N // 2 + 10
TARGET_INPLACE = 5.0  # slice write / NumPy in-place, at most
TARGET_COPY = 100.0  # full copy / slice write, at least


@dataclass(frozen=True)
class Result:
    """One measurement: median per-call microseconds plus the raw repeats."""

    case: str
    stmt: str
    backend: str
    median_us: float
    number: int
    per_call_us: list[float]


def run(min_time: float, repeat: int) -> list[Result]:
    """The measurements (NumPy rows first, then one row per other available backend)."""
    a = np.ones(N, dtype=np.float32)
    x = np.full(J - I, 2.0, dtype=np.float32)
    plain = {"a": a, "x": x, "i": I, "j": J}
    with ab.use_backend("numpy"):
        v, v2 = ab.Variable(a), ab.Variable(a)  # v2: the snapshot case keeps its own
        xt = ab.asarray(x)
    ns = {"v": v, "x": xt, "i": I, "j": J}
    cases = [
        (Case("numpy in-place a[i:j] = x", "a[i:j] = x", plain), "numpy"),
        (Case("arraybridge v[i:j].assign(x)", "v[i:j].assign(x)", ns), "numpy"),
        (Case("numpy full copy a.copy()", "a.copy()", plain), "numpy"),
        # a new snapshot each time: each write copies
        (
            Case(
                "v[i:j].assign(x), snapshot alive",
                "v[i:j].assign(x); s = v.value()",
                {**ns, "v": v2},
            ),
            "numpy",
        ),
    ]
    for status in ab.backends():
        if not status.available or status.name == "numpy":
            continue
        with ab.use_backend(status.name):
            w = ab.Variable(a)
            wx = ab.asarray(x)
        wns = {"v": w, "x": wx, "i": I, "j": J}
        cases.append((Case("arraybridge v[i:j].assign(x)", "v[i:j].assign(x)", wns), status.name))
    buf = id(v._buf)
    timed = timing.interleaved([c for c, _ in cases], min_time, repeat)
    if id(v._buf) != buf:
        print("# warning: the slice writes were not in place", file=sys.stderr)
    return [
        Result(c.name, c.stmt, backend, t.median_us, t.number, t.per_call_us)
        for (c, backend), t in zip(cases, timed, strict=True)
    ]


def ratios(results: list[Result]) -> dict[str, float]:
    """slice write / NumPy in-place, and full copy / slice write (NumPy backend)."""
    by = {(r.case, r.backend): r.median_us for r in results}
    write = by[("arraybridge v[i:j].assign(x)", "numpy")]
    return {
        "write_over_numpy_inplace": write / by[("numpy in-place a[i:j] = x", "numpy")],
        "copy_over_write": by[("numpy full copy a.copy()", "numpy")] / write,
    }


def _fmt_us(v: float) -> str:
    return f"{v:,.2f}" if v < 1000 else f"{v:,.0f}"


def markdown(record: dict[str, Any]) -> str:
    """The record as a Markdown table, with the two ratios below it."""
    rows = [
        f"A {J - I}-element slice [{I:,}:{J:,}] of a float32 variable of {N:,} elements; "
        "median us per call.",
        "",
        "| case | backend | median us | loops |",
        "| --- | --- | ---: | ---: |",
    ]
    rows += [
        f"| `{r['case']}` | {r['backend']} | {_fmt_us(r['median_us'])} | {r['number']:,} |"
        for r in record["results"]
    ]
    r = record["ratios"]
    rows += [
        "",
        f"Slice write / NumPy in-place: {r['write_over_numpy_inplace']:.1f}x "
        f"(target <= {TARGET_INPLACE:g}x); full copy / slice write: "
        f"{r['copy_over_write']:,.0f}x (target >= {TARGET_COPY:g}x).",
    ]
    return "\n".join(rows)


def run_section(quick: bool) -> dict[str, Any]:
    """The measurements as one record (:mod:`benchmarks.records`)."""
    min_time, repeat = (0.02, 5) if quick else (0.2, 7)
    meta = rec.environment(quick, min_time, repeat)
    meta["size"] = N
    meta["slice"] = [I, J]
    results = run(min_time, repeat)
    meta["loadavg_end"] = rec.loadavg()
    return {
        "section": "variables",
        "backend": "numpy",
        "device": "cpu",
        "meta": meta,
        "results": [asdict(x) for x in results],
        "ratios": ratios(results),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    return rec.section_main(
        argv,
        section="variables",
        doc=__doc__,
        files="variables-numpy-cpu.json/.md",
        run=run_section,
        markdown=markdown,
    )


if __name__ == "__main__":
    sys.exit(main())
