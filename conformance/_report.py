"""The report: passed / failed / skipped counts by area and backend, as a table and JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["AREAS", "Tally"]

# (area, what it checks); an area is one module of the suite, suite/test_<area>.py
AREAS: tuple[tuple[str, str], ...] = (
    ("namespace", "every name and signature of the standard, callable on the backend"),
    ("values", "every function against NumPy, on generated tensors of every dtype"),
    ("dtypes", "result dtypes, strict and standard promotion, categories, defaults"),
    ("semantics", "immutability, read-only exports, value-semantics item assignment"),
    ("indexing", "every index form against NumPy, bounds"),
    ("interop", "devices, DLPack, NumPy round trips, to_device"),
    ("variables", "every write method, snapshots, atomic failure"),
    ("autodiff", "check_grads on every differentiable function; tape semantics"),
    ("graphs", "ab.function (with the plugin's compiler) against eager; variables in graphs"),
    ("errors", "bad input gives the documented exception type"),
)
AREA_NAMES = tuple(a for a, _ in AREAS)
OUTCOMES = ("passed", "failed", "skipped")


@dataclass
class Tally:
    """Outcome counts per (area, backend), and the failures' details."""

    backends: list[str]
    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    def add(self, area: str, backend: str, outcome: str) -> None:
        cell = self.counts.setdefault((area, backend), dict.fromkeys(OUTCOMES, 0))
        cell[outcome] += 1

    def failed(self) -> int:
        return sum(c["failed"] for c in self.counts.values())

    def table(self) -> str:
        """An aligned text table: one row an area, one column a backend."""
        head = ["area", *(f"{b} (passed/failed/skipped)" for b in self.backends)]
        rows = [head]
        totals = {b: dict.fromkeys(OUTCOMES, 0) for b in self.backends}
        for area in AREA_NAMES:
            row = [area]
            for b in self.backends:
                c = self.counts.get((area, b), dict.fromkeys(OUTCOMES, 0))
                for k in OUTCOMES:
                    totals[b][k] += c[k]
                row.append(_cell(c))
            rows.append(row)
        rows.append(["total", *(_cell(totals[b]) for b in self.backends)])
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.insert(-1, "  ".join("-" * w for w in widths))
        verdict = "FAILED" if self.failed() else "passed"
        lines.append(f"conformance {verdict}: {self.failed()} failed")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "backends": {
                b: {
                    "version": self.versions.get(b, ""),
                    "areas": {
                        a: self.counts.get((a, b), dict.fromkeys(OUTCOMES, 0)) for a in AREA_NAMES
                    },
                }
                for b in self.backends
            },
            "failed": self.failed(),
            "failures": self.failures,
        }

    def write_json(self, path: str, meta: dict[str, Any]) -> None:
        out = {**meta, **self.as_json()}
        Path(path).write_text(json.dumps(out, indent=2) + "\n")


def _cell(c: dict[str, int]) -> str:
    text = f"{c['passed']}/{c['failed']}/{c['skipped']}"
    return f"{text}  FAIL" if c["failed"] else text
