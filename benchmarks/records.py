"""What a benchmark run writes: the environment it ran in, a header line, the result files.

Every section makes one record per backend, a JSON-able dict::

    {"section": "dispatch", "backend": "numpy", "device": "cpu", "meta": {...}, ...}

saved as ``<section>-<backend>-<device>.json`` with its Markdown report next to it
(``.md``). ``meta`` (:func:`environment`) holds the date, Python, platform, CPU counts, the
versions of every library involved, the timing settings, the BLAS thread variables and the
load average at the start and the end (``loadavg_end``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"

# distributions whose versions every record carries (those installed)
DISTRIBUTIONS = (
    "numpy", "arraybridge", "jax", "jaxlib", "cupy", "array-api-strict", "array-api-compat",
    "autograd", "mygrad",
)  # fmt: skip


def loadavg() -> list[float] | None:
    """The 1, 5 and 15 minute load averages (other work on the machine skews timings)."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def versions() -> dict[str, str]:
    """Installed versions of :data:`DISTRIBUTIONS` (without importing them)."""
    out = {}
    for name in DISTRIBUTIONS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def environment(quick: bool, min_time: float, repeat: int) -> dict[str, Any]:
    """The environment of a measurement (stored with it and printed above it)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(affinity(0)) if affinity else os.cpu_count(),
        "versions": versions(),
        "quick": quick,
        "min_time_s": min_time,
        "repeat": repeat,
        "dtype": "float32",
        "blas_threads_env": {
            k: os.environ[k]
            for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
            if k in os.environ
        },
        "loadavg_start": loadavg(),
    }


def header(record: dict[str, Any]) -> str:
    """The first lines of a report: what ran, where, when and under which load."""
    meta = record["meta"]
    libs = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    threads = " ".join(f"{k}={v}" for k, v in meta["blas_threads_env"].items()) or "default"
    return (
        f"`{record['section']}` on {record['backend']} ({record['device']}), "
        f"{meta['date']}, {'--quick' if meta['quick'] else 'full run'} "
        f"(min_time {meta['min_time_s']} s, {meta['repeat']} rounds); python {meta['python']}, "
        f"{libs}; {meta['machine']}, {meta['cpu_count']} CPUs ({meta['cpus_usable']} usable), "
        f"BLAS threads {threads}; load average {meta['loadavg_start']} at start, "
        f"{meta.get('loadavg_end')} at end."
    )


def stem(record: dict[str, Any]) -> str:
    """``<section>-<backend>-<device>``, the files' name."""
    return f"{record['section']}-{record['backend']}-{record['device']}"


def finite(obj: Any) -> Any:
    """``obj`` with non-finite floats as None (strict JSON)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [finite(v) for v in obj]
    return obj


def save(out: str | os.PathLike[str], record: dict[str, Any], text: str, name: str = "") -> Path:
    """Write ``record`` as ``<name or stem>.json`` and ``text`` as ``.md`` into ``out``."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / (name or stem(record))
    with open(base.with_suffix(".json"), "w", encoding="utf-8") as f:
        json.dump(finite(record), f, indent=1, allow_nan=False)
        f.write("\n")
    base.with_suffix(".md").write_text(text.rstrip() + "\n", encoding="utf-8")
    return base


def section_main(
    argv: list[str] | None,
    *,
    section: str,
    doc: str | None,
    files: str,
    run: Callable[[bool], dict[str, Any]],
    markdown: Callable[[dict[str, Any]], str],
) -> int:
    """The command line of a one-record section: ``[--quick] [--out DIR]``; print, save."""
    parser = argparse.ArgumentParser(
        prog=f"python -m benchmarks {section}",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="short timing windows")
    parser.add_argument("--out", metavar="DIR", help=f"write {files} to DIR")
    args = parser.parse_args(argv)
    record = run(args.quick)
    text = header(record) + "\n\n" + markdown(record)
    print(text, flush=True)
    if args.out:
        save(args.out, record, text)
    return 0
