"""Values: every function against NumPy (the oracle), on hypothesis-drawn tensors of every
dtype the backend supports, on edge shapes (0-d, empty, broadcasting).

One test function per case, parametrized by dtype (and by backend, by the plugin)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from arraybridge_conformance import _settings
from arraybridge_conformance._cases import Case, case_test_name, dtypes_of, selected
from arraybridge_conformance._check import assert_same, reference, require_dtype, run
from arraybridge_conformance._draw import draw_args
from hypothesis import given
from hypothesis import strategies as st

import arraybridge as ab

pytestmark = pytest.mark.usefixtures("ab_backend")


def _make(case: Case) -> Callable[..., None]:
    @pytest.mark.parametrize("dtype", dtypes_of(case.dtypes), ids=lambda d: d.name)
    @_settings.hypothesis_settings(full=20, quick=2)
    @given(data=st.data())
    def test(dtype: ab.DType, data: st.DataObject) -> None:
        require_dtype(dtype)
        args = draw_args(data, case, dtype)
        got = run(case, dtype, args)
        assert_same(got, reference(case, dtype, args), case, dtype)

    test.__doc__ = f"{case.fn} ({case.id}) against NumPy."
    return test


for _case in selected():
    globals()[case_test_name(_case)] = _make(_case)
