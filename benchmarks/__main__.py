"""Entry point: ``python -m benchmarks [SECTION] [--quick] [--out DIR | --no-save]``.

Without a section name every section runs in one process, in turn: :mod:`benchmarks.dispatch`
(on every available backend), :mod:`benchmarks.autodiff`, :mod:`benchmarks.variables`,
:mod:`benchmarks.function`. Each
record is printed and written to ``--out`` (default ``benchmarks/results/``) as
``<section>-<backend>-<device>.json`` and ``.md``; then every target of
:mod:`benchmarks.targets` is checked against this run's records and written as
``summary.json`` / ``summary.md``, and :mod:`benchmarks.plot` draws ``overhead.png``.
With a section name only that section runs (``python -m benchmarks dispatch --help``); it
writes files only when given ``--out``. ``memory`` (:mod:`benchmarks.memory`: a 10,000-step
training loop's memory profile) runs only when named, and takes ``--json``/``--txt``.
"""

from __future__ import annotations

import os

# before NumPy loads (see benchmarks/__init__.py)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import autodiff, dispatch, function, plot, records, targets, variables


def _memory(argv: list[str]) -> int:
    from benchmarks import memory

    return memory.main(argv)


SECTIONS = {
    "dispatch": dispatch.main,
    "autodiff": autodiff.main,
    "variables": variables.main,
    "function": function.main,
    "memory": _memory,
}


def run_all(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="short timing windows (< 2 min)")
    parser.add_argument(
        "--out", metavar="DIR", default=str(records.RESULTS), help="where to write (%(default)s)"
    )
    parser.add_argument("--no-save", action="store_true", help="print only, write nothing")
    parser.add_argument(
        "--backend", action="append", help="dispatch on this backend only (repeatable)"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    load_start = records.loadavg()
    done: list[dict[str, Any]] = []

    def emit(record: dict[str, Any], text: str) -> None:
        text = records.header(record) + "\n\n" + text
        print(text + "\n", flush=True)
        done.append(record)
        if not args.no_save:
            records.save(args.out, record, text)

    for record in dispatch.run_section(args.backend, args.quick):
        emit(record, dispatch.markdown(record))
    print("# autodiff ...", flush=True)
    record = autodiff.run_section(args.quick)
    emit(record, autodiff.markdown(record))
    print("# variables ...", flush=True)
    record = variables.run_section(args.quick)
    emit(record, variables.markdown(record))
    print("# function ...", flush=True)
    record = function.run_section(args.quick)
    emit(record, function.markdown(record))

    checked = targets.evaluate(done)
    seconds = time.perf_counter() - start
    load_end = records.loadavg()
    first = done[0]["meta"]
    head = (
        f"Targets, {first['date']}, {'--quick' if args.quick else 'full run'}: "
        f"{seconds:.0f} s in all; load average {load_start} at start, {load_end} at end "
        f"({first['cpu_count']} CPUs). Files: "
        + ", ".join(f"`{records.stem(r)}`" for r in done)
        + "."
    )
    text = head + "\n\n" + targets.markdown(checked)
    print(text, flush=True)
    if not args.no_save:
        summary = {
            "section": "summary",
            "meta": {**first, "seconds": seconds, "loadavg_start": load_start,
                     "loadavg_end": load_end},
            "files": [records.stem(r) for r in done],
            "targets": targets.as_dicts(checked),
        }  # fmt: skip
        records.save(args.out, summary, text, name="summary")
        png = plot.overhead(done, Path(args.out) / "overhead.png")
        if png is None:
            print("# overhead.png skipped: matplotlib is not installed (pip install -e '.[bench]')")
        else:
            print(f"# wrote {png}")
        print(f"# wrote {args.out}/: " + ", ".join(records.stem(r) for r in done) + ", summary")
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] in SECTIONS:
        return SECTIONS[argv[0]](argv[1:])
    return run_all(argv)


sys.exit(main(sys.argv[1:]))
