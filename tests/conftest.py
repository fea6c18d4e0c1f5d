"""Shared test configuration: hypothesis profiles, and every test on every backend.

Tests run once per available backend (``ab.backends()``), with that backend current and
strict semantics, unless marked ``single_backend`` (tests of the registry, the CLI, the
static checks: they do not depend on a backend). ``--backend NAME`` (repeatable) narrows
the run to some backends.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

# SciPy and scikit-learn read this at import: their array-API paths (tests/test_consumers.py).
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest
from hypothesis import HealthCheck, settings

import arraybridge as ab

# "ci" is fast (the default); "thorough" is for deliberate runs:
#   ARRAYBRIDGE_HYPOTHESIS_PROFILE=thorough pytest
# "ci" is derandomized: the same examples on every run, so CI fails only on a real change;
# "thorough" explores (random seeds, 20x the examples).
settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("ARRAYBRIDGE_HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        action="append",
        default=[],
        help="run backend-dependent tests on this backend (repeatable; default: all available)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "single_backend: the test does not depend on the backend; run it once"
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The fuzz test's counts (tests/test_fuzz.py records them per function)."""
    functions = calls = raised = backends = 0
    for reports in terminalreporter.stats.values():
        for rep in reports:
            for key, value in getattr(rep, "user_properties", ()):
                if key == "fuzz" and getattr(rep, "when", "") == "call":
                    functions += 1
                    calls += value[0]
                    raised += value[1]
                    backends = value[2]
    if functions:
        terminalreporter.write_line(
            f"fuzz: {functions} functions fuzzed, {calls} bad argument sets tried, each on "
            f"{backends} backends ({raised} raised an error, the same type on every backend)"
        )


def _backends(config: pytest.Config) -> list[str]:
    available = [s.name for s in ab.backends() if s.available]
    chosen: list[str] = config.getoption("--backend")
    unknown = set(chosen) - set(available)
    if unknown:
        raise pytest.UsageError(f"--backend {sorted(unknown)}: available are {available}")
    return chosen or available


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "_backend" in metafunc.fixturenames and not metafunc.definition.get_closest_marker(
        "single_backend"
    ):
        metafunc.parametrize("_backend", _backends(metafunc.config), indirect=True)


@pytest.fixture(autouse=True)
def _backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test starts on its backend (NumPy for single-backend tests), strict semantics."""
    name: str = getattr(request, "param", "numpy")
    before_sem, before_be = ab.get_semantics(), ab.get_backend()
    ab.set_semantics("strict")
    ab.set_backend(name)
    yield name
    ab.set_semantics(before_sem)
    ab.set_backend(before_be)


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "custom_training_loop.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    """``examples/custom_training_loop.py``, imported as a module."""
    spec = importlib.util.spec_from_file_location("custom_training_loop", EXAMPLE)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("custom_training_loop", mod)
    spec.loader.exec_module(mod)
    return mod
