"""Per-call cost of arraybridge operations compared with NumPy and Array API peers.

Run from the repository root with ``python -m benchmarks [--quick] [--json PATH]``.

For every (op, size, library) the statement is timed with ``timeit.Timer``: the loop count
is grown (1, 2, 5, 10, 20, ...) until one batch takes at least ``min_time`` seconds, then
``Timer.repeat`` runs several batches and the median per-call time is reported in
microseconds. Inputs are float32 ones of 1, 1,000 and 1,000,000 elements; matmul uses a
square 2-D array of about that many elements. Libraries: NumPy (baseline), arraybridge
(``ab.asarray(a)``), and, if importable, ``array_api_strict`` (``xps.asarray(a)``) and
``array_api_compat.numpy`` (its functions applied to the NumPy array itself).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import math
import os
import platform
import statistics
import sys
import timeit
from collections.abc import Callable
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any

import numpy as np

import arraybridge as ab

SIZES: tuple[int, ...] = (1, 1_000, 1_000_000)

# op label -> statement; names: ``xp`` namespace, ``x`` 1-D input, ``m`` square 2-D input.
OPS: dict[str, str] = {
    "t + t": "x + x",
    "exp(t)": "xp.exp(x)",
    "add(t, t)": "xp.add(x, x)",
    "sum(t)": "xp.sum(x)",
    "t[0]": "x[0]",
    "t @ t": "m @ m",
}


@dataclass(frozen=True)
class Lib:
    """A library under test: its namespace and how it wraps a NumPy array."""

    name: str
    xp: ModuleType
    wrap: Callable[[np.ndarray[Any, Any]], Any]


@dataclass(frozen=True)
class Result:
    """One measurement: median per-call microseconds plus the raw repeats."""

    op: str
    size: int
    shape: tuple[int, ...]
    lib: str
    median_us: float
    number: int
    per_call_us: list[float]


def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def libraries() -> list[Lib]:
    """NumPy and arraybridge, plus whichever Array API peers are importable."""
    libs = [Lib("numpy", np, lambda a: a), Lib("arraybridge", ab, ab.asarray)]
    strict = _optional("array_api_strict")
    if strict is not None:
        libs.append(Lib("array_api_strict", strict, strict.asarray))
    compat = _optional("array_api_compat.numpy")
    if compat is not None:
        libs.append(Lib("array_api_compat", compat, lambda a: a))
    return libs


def time_stmt(
    stmt: str, ns: dict[str, Any], min_time: float, repeat: int
) -> tuple[int, list[float]]:
    """Return (loops per batch, per-call seconds of each batch) for ``stmt`` in ``ns``."""
    timer = timeit.Timer(stmt, globals=ns)
    timer.timeit(1)  # warm-up (caches, lazy imports, first-call dispatch)
    number, base = 1, 1
    while True:
        for mult in (1, 2, 5):
            number = base * mult
            if timer.timeit(number) >= min_time:
                return number, [t / number for t in timer.repeat(repeat, number)]
        base *= 10


def run(min_time: float, repeat: int, libs: list[Lib]) -> list[Result]:
    """Measure every op at every size for every library."""
    results: list[Result] = []
    for op, stmt in OPS.items():
        for size in SIZES:
            a = np.ones(size, dtype=np.float32)
            side = round(math.sqrt(size))
            sq = np.ones((side, side), dtype=np.float32)
            shape = sq.shape if "m" in stmt.split() else a.shape
            for lib in libs:
                ns = {"xp": lib.xp, "x": lib.wrap(a), "m": lib.wrap(sq)}
                number, per_call = time_stmt(stmt, ns, min_time, repeat)
                us = [t * 1e6 for t in per_call]
                results.append(Result(op, size, shape, lib.name, statistics.median(us), number, us))
    return results


def _fmt_us(v: float) -> str:
    return f"{v:,.2f}" if v < 1000 else f"{v:,.0f}"


def table(results: list[Result], lib_names: list[str]) -> str:
    """Format results as a text table: per-library us and ratio to NumPy."""
    by_key: dict[tuple[str, int], dict[str, Result]] = {}
    for r in results:
        by_key.setdefault((r.op, r.size), {})[r.lib] = r
    others = [n for n in lib_names if n != "numpy"]
    head = ["op", "size", "shape", "numpy us"]
    for n in others:
        head += [f"{n} us", "ratio"]
    rows = [head]
    for (op, size), row in by_key.items():
        base = row["numpy"].median_us
        cells = [op, f"{size:,}", "x".join(map(str, row["numpy"].shape)), _fmt_us(base)]
        for n in others:
            cells += [_fmt_us(row[n].median_us), f"{row[n].median_us / base:.2f}x"]
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            c.ljust(w) if i < 3 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def metadata(quick: bool, min_time: float, repeat: int, libs: list[Lib]) -> dict[str, Any]:
    """Environment description stored with (and printed above) the results."""
    versions = {lib.name: str(getattr(lib.xp, "__version__", "")) for lib in libs}
    if "array_api_compat" in versions:
        compat = _optional("array_api_compat")
        versions["array_api_compat"] = str(getattr(compat, "__version__", ""))
    affinity = getattr(os, "sched_getaffinity", None)
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(affinity(0)) if affinity else os.cpu_count(),
        "versions": versions,
        "quick": quick,
        "min_time_s": min_time,
        "repeat": repeat,
        "dtype": "float32",
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="short timing windows")
    parser.add_argument("--json", metavar="PATH", help="write results as JSON to PATH")
    args = parser.parse_args(argv)
    min_time, repeat = (0.05, 5) if args.quick else (0.2, 7)
    libs = libraries()
    meta = metadata(args.quick, min_time, repeat, libs)
    v = meta["versions"]
    print(
        f"# {meta['date']}  python {meta['python']}  numpy {v['numpy']}  "
        f"arraybridge {v['arraybridge']}  cpus {meta['cpu_count']} "
        f"(usable {meta['cpus_usable']})  {meta['machine']}  "
        f"min_time={min_time}s repeat={repeat}"
    )
    peers = [n for n in ("array_api_strict", "array_api_compat") if n in v]
    skipped = [n for n in ("array_api_strict", "array_api_compat") if n not in v]
    print(
        f"# peers: {', '.join(f'{n} {v[n]}' for n in peers) or 'none'}"
        + (f"  (skipped, not installed: {', '.join(skipped)})" if skipped else "")
    )
    print("# median us per call; ratio = library us / numpy us", flush=True)
    results = run(min_time, repeat, libs)
    print(table(results, [lib.name for lib in libs]))
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"meta": meta, "results": [asdict(r) for r in results]}, f, indent=1)
            f.write("\n")
        print(f"# wrote {args.json}", file=sys.stderr)
    return 0
