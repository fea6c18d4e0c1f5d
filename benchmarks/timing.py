"""How every benchmark times a statement: calibrated batches, run round-robin, median per call.

A case is a statement, the namespace it runs in and, optionally, a context entered around
each batch (the tape of "with a tape recording"). :func:`calibrate` grows the loop count
(1, 2, 5, 10, 20, ...) until one batch takes at least ``min_time`` seconds;
:func:`interleaved` then runs ``repeat`` rounds, one batch of every case per round, so that
a change in machine load (the benchmark machine is small and shared) hits all the cases
being compared alike; each case reports the median per-call time of its batches.
"""

from __future__ import annotations

import gc
import statistics
import timeit
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Case:
    """One statement to time: ``stmt`` run in ``ns``, inside ``context()`` if given."""

    name: str
    stmt: str
    ns: dict[str, Any]
    context: Callable[[], AbstractContextManager[Any]] | None = None
    timer: timeit.Timer = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.timer = timeit.Timer(self.stmt, globals=self.ns)

    def batch(self, number: int) -> float:
        """Seconds for ``number`` runs of the statement (the context's entry and exit and
        the collection of what the batch left are outside the timed region)."""
        if self.context is None:
            return self.timer.timeit(number)
        with self.context():
            return self.timer.timeit(number)


@dataclass(frozen=True)
class Timing:
    """What :func:`interleaved` measured for one case."""

    name: str
    median_us: float
    number: int
    per_call_us: list[float]


def calibrate(case: Case, min_time: float) -> int:
    """Loops per batch so that one batch of ``case`` takes at least ``min_time`` seconds
    (after one warm-up run: caches, lazy imports, a JAX compilation). The count is one of
    1, 2, 5, 10, 20, 50, ...: each trial batch sizes the next from its per-call time, at
    most 10 times larger (a statement whose first call in a batch is cheaper than the
    rest, or a noisy trial, then overshoots ``min_time`` at most 10-fold)."""
    case.batch(1)
    number = 1
    while True:
        took = case.batch(number)
        if took >= min_time:
            return number
        want = min(number * min_time / max(took, 1e-9), 10 * number)
        step = 1
        while not (found := [step * k for k in (1, 2, 5) if step * k >= max(want, 2 * number)]):
            step *= 10
        number = found[0]


def interleaved(cases: list[Case], min_time: float, repeat: int) -> list[Timing]:
    """Calibrate each case, then time them round-robin (batch r of every case before batch
    r + 1 of any); the median of each case's batches, in microseconds per call."""
    numbers = [calibrate(c, min_time) for c in cases]
    per_call: list[list[float]] = [[] for _ in cases]
    for _ in range(repeat):
        for c, n, out in zip(cases, numbers, per_call, strict=True):
            out.append(c.batch(n) / n * 1e6)
        gc.collect()
    return [
        Timing(c.name, statistics.median(us), n, us)
        for c, n, us in zip(cases, numbers, per_call, strict=True)
    ]


def time_stmt(
    stmt: str, ns: dict[str, Any], min_time: float, repeat: int
) -> tuple[int, list[float]]:
    """One statement alone: (loops per batch, per-call seconds of each batch)."""
    case = Case(stmt, stmt, ns)
    number = calibrate(case, min_time)
    return number, [case.batch(number) / number for _ in range(repeat)]
