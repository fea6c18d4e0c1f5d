"""Values: every function against NumPy (the oracle), on hypothesis-drawn tensors of every
dtype the backend supports, on edge shapes (0-d, empty, broadcasting).

One test function per case, parametrized by dtype (and by backend, by the plugin)."""

from __future__ import annotations

from typing import Any

import pytest
from arraybridge_conformance._cases import Case
from arraybridge_conformance._check import add_case_tests, assert_same, reference, run

import arraybridge as ab

pytestmark = pytest.mark.usefixtures("ab_backend")


def _values(case: Case, dtype: ab.DType, args: list[Any]) -> None:
    got = run(case, dtype, args)
    assert_same(got, reference(case, dtype, args), case, dtype)


add_case_tests(globals(), "test_", _values, full=20, quick=2)
