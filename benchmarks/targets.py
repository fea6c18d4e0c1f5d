"""The performance targets (issue 8), checked against the records of one run.

Every ratio compares measurements from the same run (and, for the per-call ones, from the
same round-robin rounds). A target whose measurement is missing (a backend or peer not
installed, a section not run) is listed as "not measured", never silently dropped.

- NumPy, ``x + y`` and ``exp(x)``: arraybridge over the raw NumPy call at most 3x at 1
  element, 1.5x at 1,000 and 1.02x at 1,000,000; at 1 element at least 8x faster than
  ``array_api_strict``; with a ``GradientTape`` recording at most 2x the cost without, at
  every size.
- JAX (eager), ``x + y`` and ``exp(x)``: at most 1.15x the raw ``jax.numpy`` call (waiting
  for the result) at every size.
- MLP gradient step on NumPy (``GradientTape``): at most 1.3x hand-written backprop, and
  faster than MyGrad and autograd.
- Tape memory (peak while differentiating the 50-op chain): at most 1.1x hand-written's.
- Variable slice write (issue 5): at most 5x NumPy's in-place write, at least 100x faster
  than copying the variable.
- A training step as one ``ab.function`` (issue 11): on JAX at most 1.2x ``jax.jit`` of
  ``jax.value_and_grad`` with the same Adam update, and faster than the eager step (at most
  1x its time); on NumPy faster than the eager step.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from benchmarks.dispatch import AB, RAW, TAPE
from benchmarks.function import JIT_BOUND
from benchmarks.variables import TARGET_COPY, TARGET_INPLACE

NUMPY_OPS = ("x + y", "exp(x)")
NUMPY_BOUNDS = {1: 3.0, 1_000: 1.5, 1_000_000: 1.02}
STRICT_FACTOR = 8.0
TAPE_BOUND = 2.0
JAX_BOUND = 1.15
STEP_BOUND = 1.3
MEMORY_BOUND = 1.1
TAPE_STEP = "arraybridge GradientTape (numpy)"
HAND = "numpy (hand-written backprop)"


@dataclass(frozen=True)
class Target:
    """One target: what is compared, the measured value, the bound and the verdict."""

    area: str
    what: str
    value: float | None  # None: not measured
    bound: str  # e.g. "<= 3x", ">= 8x"
    met: bool | None
    note: str = ""


def _check(
    area: str, what: str, value: float | None, op: str, bound: float, note: str = ""
) -> Target:
    text = f"{op} {bound:g}x"
    if value is None:
        return Target(area, what, None, text, None, note or "not measured")
    met = value <= bound if op == "<=" else value >= bound
    return Target(area, what, value, text, met, note)


def _dispatch(records: list[dict[str, Any]], backend: str) -> dict[tuple[str, int, str], float]:
    """(op, size, kind or peer name) -> median us, from ``backend``'s dispatch record."""
    for r in records:
        if r["section"] == "dispatch" and r["backend"] == backend:
            out = {}
            for m in r["results"]:
                kind = m["kind"] if m["kind"] in (RAW, AB, TAPE) else m["impl"]
                out[(m["op"], m["size"], kind)] = m["median_us"]
            return out
    return {}


def _ratio(
    d: dict[tuple[str, int, str], float], a: tuple[str, int, str], b: tuple[str, int, str]
) -> float | None:
    if a in d and b in d and d[b]:
        return d[a] / d[b]
    return None


def _section(records: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    return next((r for r in records if r["section"] == name), None)


def evaluate(records: list[dict[str, Any]]) -> list[Target]:
    """Every target, in a fixed order, against whatever ``records`` hold."""
    out: list[Target] = []
    d = _dispatch(records, "numpy")
    for op in NUMPY_OPS:
        for size, bound in NUMPY_BOUNDS.items():
            what = f"`{op}` at {size:,}: arraybridge / numpy"
            out.append(
                _check("numpy", what, _ratio(d, (op, size, AB), (op, size, RAW)), "<=", bound)
            )
        what = f"`{op}` at 1: array_api_strict / arraybridge"
        note = "" if (op, 1, "array_api_strict") in d or not d else "array_api_strict not installed"
        out.append(
            _check(
                "numpy",
                what,
                _ratio(d, (op, 1, "array_api_strict"), (op, 1, AB)),
                ">=",
                STRICT_FACTOR,
                note,
            )
        )
        for size in NUMPY_BOUNDS:
            what = f"`{op}` at {size:,}: with a tape recording / without"
            out.append(
                _check("numpy", what, _ratio(d, (op, size, TAPE), (op, size, AB)), "<=", TAPE_BOUND)
            )
    j = _dispatch(records, "jax")
    for op in NUMPY_OPS:
        for size in NUMPY_BOUNDS:
            what = f"`{op}` at {size:,}: arraybridge / jax.numpy"
            note = "" if j else "jax not installed or not run"
            out.append(
                _check(
                    "jax", what, _ratio(j, (op, size, AB), (op, size, RAW)), "<=", JAX_BOUND, note
                )
            )
    ad = _section(records, "autodiff")
    steps = {s["name"]: s for s in ad["mlp_step"] if s["number"]} if ad else {}
    tape = steps.get(TAPE_STEP, {}).get("median_ms")
    hand = steps.get(HAND, {}).get("median_ms")
    out.append(
        _check(
            "autodiff", "MLP step: GradientTape / hand-written backprop",
            tape / hand if tape and hand else None, "<=", STEP_BOUND,
        )
    )  # fmt: skip
    for peer in ("mygrad", "autograd"):
        other = steps.get(peer, {}).get("median_ms")
        value = other / tape if tape and other else None
        note = "" if other or not ad else f"{peer} not installed"
        out.append(
            _check("autodiff", f"MLP step: {peer} / GradientTape (faster)", value, ">=", 1.0, note)
        )
    mem = {m["name"]: m["peak_bytes"] for m in ad["chain_memory"] if m["peak_bytes"]} if ad else {}
    value = mem[TAPE_STEP] / mem[HAND] if TAPE_STEP in mem and HAND in mem else None
    out.append(
        _check("autodiff", "tape memory: GradientTape / hand-written", value, "<=", MEMORY_BOUND)
    )
    var = _section(records, "variables")
    ratios = var["ratios"] if var else {}
    out.append(
        _check(
            "variables", "slice write / NumPy in-place write",
            ratios.get("write_over_numpy_inplace"), "<=", TARGET_INPLACE,
        )
    )  # fmt: skip
    out.append(
        _check(
            "variables", "full copy / slice write",
            ratios.get("copy_over_write"), ">=", TARGET_COPY,
        )
    )  # fmt: skip
    fn = _section(records, "function")
    q = fn["ratios"] if fn else {}
    for key, what, bound in (
        ("jax_traced_over_jit", "training step on JAX: ab.function / jax.jit", JIT_BOUND),
        ("jax_traced_over_eager", "training step on JAX: ab.function / eager", 1.0),
        ("numpy_traced_over_eager", "training step on NumPy: ab.function / eager", 1.0),
    ):
        note = "" if key in q or not fn else "jax not installed"
        out.append(_check("function", what, q.get(key), "<=", bound, note))
    return out


def markdown(targets: list[Target]) -> str:
    """The targets as a Markdown table with met / MISSED / not measured."""
    lines = ["| area | target | measured | bound | result |", "| --- | --- | ---: | ---: | --- |"]
    for t in targets:
        value = "-" if t.value is None else f"{t.value:,.2f}x"
        verdict = {True: "met", False: "**MISSED**", None: "not measured"}[t.met]
        if t.note and t.met is None:
            verdict += f" ({t.note})"
        lines.append(f"| {t.area} | {t.what} | {value} | {t.bound} | {verdict} |")
    met = sum(t.met is True for t in targets)
    missed = sum(t.met is False for t in targets)
    lines += ["", f"{met} met, {missed} missed, {len(targets) - met - missed} not measured."]
    return "\n".join(lines)


def as_dicts(targets: list[Target]) -> list[dict[str, Any]]:
    return [asdict(t) for t in targets]
