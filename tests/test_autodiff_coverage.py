"""Every function of the namespace, linalg and fft has a VJP rule or says why it needs none."""

from __future__ import annotations

import pytest
from arraybridge_conformance._spec import DATA

from arraybridge._recording import COMPOSITE, NONDIFF, RULES

# functions that return no tensor (dtype inspection): nothing to differentiate
NO_TENSOR = {"can_cast", "finfo", "iinfo", "isdtype", "result_type"}


def _names(file: str) -> list[str]:
    return [n for n in (DATA / file).read_text().split() if n and not n.startswith("#")]


def _functions() -> list[str]:
    import arraybridge as ab

    out = [
        n
        for n in _names("namespace.txt")
        if callable(getattr(ab, n, None))
        and not isinstance(getattr(ab, n), (type, ab.DType))
        and not n.startswith("__")
        and n not in NO_TENSOR
    ]
    out += [f"linalg.{n}" for n in _names("linalg.txt")]
    out += [f"fft.{n}" for n in _names("fft.txt")]
    return out


def _status(name: str) -> str | None:
    short = name.split(".")[-1]
    for key in (name, short):
        if key in RULES:
            return "rule"
        if key in COMPOSITE:
            return "composite"
        if key in NONDIFF:
            return "nondifferentiable"
    return None


@pytest.mark.single_backend
@pytest.mark.parametrize("name", _functions())
def test_function_has_a_rule_or_a_mark(name: str) -> None:
    assert _status(name) is not None, (
        f"{name} has no VJP rule and is marked neither composite nor nondifferentiable"
    )
