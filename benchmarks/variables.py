"""Cost of a small slice write into a large ab.Variable (copy-on-write must make it cheap).

Run from the repository root with ``python -m benchmarks variables [--quick] [--json PATH]``
(``python -m benchmarks`` runs it after the dispatch benchmark).

On a 10,000,000-element float32 variable, a 10-element slice write ``v[i:j].assign(x)`` is
timed against NumPy's in-place ``a[i:j] = x`` and against a full copy of the array
(``a.copy()``), with the harness of :mod:`benchmarks.dispatch` (loop count grown until a
batch takes ``min_time``, median of the repeats). The issue's targets: the slice write
costs at most 5x NumPy's in-place write and at least 100x less than the copy. Two more
rows show what copy-on-write costs when a snapshot is alive (every write then copies the
buffer once) and the same slice write on the other available backends (JAX: a
functional update of the whole array).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

import arraybridge as ab
from benchmarks.dispatch import Lib, metadata, time_stmt

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


def _measure(
    case: str, stmt: str, backend: str, ns: dict[str, Any], min_time: float, repeat: int
) -> Result:
    number, per_call = time_stmt(stmt, ns, min_time, repeat)
    us = [t * 1e6 for t in per_call]
    return Result(case, stmt, backend, statistics.median(us), number, us)


def run(min_time: float, repeat: int) -> list[Result]:
    """The measurements (NumPy rows first, then one row per other available backend)."""
    a = np.ones(N, dtype=np.float32)
    x = np.full(J - I, 2.0, dtype=np.float32)
    plain = {"a": a, "x": x, "i": I, "j": J}
    results = [
        _measure("numpy in-place a[i:j] = x", "a[i:j] = x", "numpy", plain, min_time, repeat)
    ]
    with ab.use_backend("numpy"):
        v = ab.Variable(a)
        xt = ab.asarray(x)
    ns = {"v": v, "x": xt, "i": I, "j": J}
    buf = id(v._buf)
    results.append(
        _measure("arraybridge v[i:j].assign(x)", "v[i:j].assign(x)", "numpy", ns, min_time, repeat)
    )
    if id(v._buf) != buf:
        print("# warning: the slice writes were not in place", file=sys.stderr)
    results.append(
        _measure("numpy full copy a.copy()", "a.copy()", "numpy", plain, min_time, repeat)
    )
    stmt = "v[i:j].assign(x); s = v.value()"  # a new snapshot each time: each write copies
    results.append(
        _measure("v[i:j].assign(x), snapshot alive", stmt, "numpy", ns, min_time, repeat)
    )
    for status in ab.backends():
        if not status.available or status.name == "numpy":
            continue
        with ab.use_backend(status.name):
            w = ab.Variable(a)
            wx = ab.asarray(x)
        ns = {"v": w, "x": wx, "i": I, "j": J}
        case = "arraybridge v[i:j].assign(x)"
        results.append(_measure(case, "v[i:j].assign(x)", status.name, ns, min_time, repeat))
    return results


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


def table(results: list[Result]) -> str:
    """The results as a text table."""
    rows = [["case", "backend", "median us", "loops"]]
    rows += [[r.case, r.backend, _fmt_us(r.median_us), f"{r.number:,}"] for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks variables",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="short timing windows")
    parser.add_argument("--json", metavar="PATH", help="write results as JSON to PATH")
    args = parser.parse_args(argv)
    min_time, repeat = (0.05, 5) if args.quick else (0.2, 7)
    libs = [Lib("numpy", np, lambda a: a), Lib("arraybridge", ab, ab.asarray)]
    meta = metadata(args.quick, min_time, repeat, libs)
    meta["size"] = N
    meta["load_average"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    meta["slice"] = [I, J]
    others = {
        s.name: ab.asarray(0.0, device=s.name).device.backend.version
        for s in ab.backends()
        if s.available and s.name != "numpy"
    }
    meta["versions"].update(others)
    v = meta["versions"]
    print(
        f"# {meta['date']}  python {meta['python']}  numpy {v['numpy']}  "
        f"arraybridge {v['arraybridge']}  cpus {meta['cpu_count']} "
        f"(usable {meta['cpus_usable']})  {meta['machine']}  "
        f"min_time={min_time}s repeat={repeat}"
        + "".join(f"  {name} {ver}" for name, ver in others.items())
    )
    print(
        f"# float32 variable of {N:,} elements, slice [{I:,}:{J:,}] (10 elements); "
        f"median us per call; load average {meta['load_average']}",
        flush=True,
    )
    results = run(min_time, repeat)
    print(table(results))
    r = ratios(results)
    ok_w = r["write_over_numpy_inplace"] <= TARGET_INPLACE
    ok_c = r["copy_over_write"] >= TARGET_COPY
    print(
        f"# slice write / NumPy in-place: {r['write_over_numpy_inplace']:.1f}x "
        f"(target <= {TARGET_INPLACE:g}x: {'met' if ok_w else 'NOT met'})"
    )
    print(
        f"# full copy / slice write: {r['copy_over_write']:,.0f}x "
        f"(target >= {TARGET_COPY:g}x: {'met' if ok_c else 'NOT met'})"
    )
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                {"meta": meta, "results": [asdict(x) for x in results], "ratios": r}, f, indent=1
            )
            f.write("\n")
        print(f"# wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
