"""Shared test configuration: hypothesis profiles and semantics isolation."""

from __future__ import annotations

import os
from collections.abc import Iterator

# SciPy and scikit-learn read this at import: their array-API paths (tests/test_consumers.py).
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest
from hypothesis import HealthCheck, settings

import arraybridge as ab

# "ci" is fast (the default); "thorough" is for deliberate runs:
#   ARRAYBRIDGE_HYPOTHESIS_PROFILE=thorough pytest
settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("ARRAYBRIDGE_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _strict_by_default() -> Iterator[None]:
    """Every test starts under strict semantics on the NumPy backend, whatever it changes."""
    before_sem, before_be = ab.get_semantics(), ab.get_backend()
    ab.set_semantics("strict")
    yield
    ab.set_semantics(before_sem)
    ab.set_backend(before_be)
