"""Running a case on arraybridge and on the oracle, and comparing what came back."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import arraybridge as ab

from . import _settings
from ._cases import Case, flatten_result, oracle, rotate, run_dtypes, selected, tolerance

__all__ = [
    "add_case_tests",
    "dtype_params",
    "assert_same",
    "native_dtype",
    "reference",
    "require_dtype",
    "run",
    "signature_text",
    "supported",
]


def supported() -> set[ab.DType]:
    """The dtypes the current backend supports on its default device."""
    info = ab.__array_namespace_info__()
    return set(info.dtypes(device=info.default_device()).values())


def require_dtype(*dtypes: ab.DType) -> None:
    """Skip the test unless the current backend supports every dtype given."""
    missing = [d.name for d in dtypes if d not in supported()]
    if missing:
        pytest.skip(f"the {ab.get_backend()} backend does not support {', '.join(missing)}")


def run(case: Case, dtype: ab.DType, args: list[Any]) -> Any:
    """The case on arraybridge (skipped where the backend lacks the function: the
    namespace area reports that)."""
    with ab.semantics(case.semantics):
        try:
            return case.call(ab, dtype, *args)
        except NotImplementedError as exc:
            pytest.skip(f"not provided by the backend (see the namespace area): {exc}")
        except ab.DTypeError as exc:
            if "does not support" not in str(exc):
                raise
            pytest.skip(f"needs a dtype the backend lacks: {exc}")


def reference(case: Case, dtype: ab.DType, args: list[Any]) -> Any:
    """The case on NumPy's Array API namespace, with the same input values."""
    npx = oracle()
    np_args = [np.array(a) for a in args]  # writable: NumPy may write into its inputs
    return case.call(npx, getattr(npx, dtype.name), *np_args)


def native_dtype(t: ab.Tensor) -> str:
    """The dtype of the backend array under ``t`` (what its data really is)."""
    return str(np.asarray(t).dtype)


def _is_array(x: Any) -> bool:
    return isinstance(x, (ab.Tensor, np.ndarray, np.generic))


def assert_same(got: Any, want: Any, case: Case, dtype: ab.DType) -> None:
    """``got`` (arraybridge) matches ``want`` (NumPy) in structure, shape and values."""
    gl, wl = flatten_result(got), flatten_result(want)
    assert len(gl) == len(wl), f"{case.fn}: {len(gl)} results, NumPy gives {len(wl)}"
    for i, (g, w) in enumerate(zip(gl, wl, strict=True)):
        where = f"{case.fn} ({case.id}), result {i}"
        if not _is_array(w):
            if isinstance(w, float):
                assert float(g) == pytest.approx(w, rel=1e-6, nan_ok=True), where
            else:
                assert g == w, f"{where}: {g!r} != NumPy's {w!r}"
            continue
        assert isinstance(g, ab.Tensor), f"{where}: expected a tensor, got {type(g).__name__}"
        ga, wa = np.asarray(g), np.asarray(w)
        assert ga.shape == wa.shape, f"{where}: shape {ga.shape}, NumPy's {wa.shape}"
        if case.compare == "meta":
            continue
        if case.compare == "sorted":
            ga, wa = np.sort_complex(ga.ravel()), np.sort_complex(wa.ravel())
        _assert_values(ga, wa, case, dtype, where)


def _assert_values(
    ga: np.ndarray[Any, Any], wa: np.ndarray[Any, Any], case: Case, dtype: ab.DType, where: str
) -> None:
    if ga.dtype.kind in "biu" and wa.dtype.kind in "biu":
        if not np.array_equal(ga.astype(np.int64), wa.astype(np.int64)) and not np.array_equal(
            ga.astype(np.uint64), wa.astype(np.uint64)
        ):
            raise AssertionError(f"{where}: {ga.tolist()} != NumPy's {wa.tolist()}")
        return
    # the tolerance of the least precise of the input and the two results
    single = {np.dtype(np.float32), np.dtype(np.complex64)}
    prec = ab.float32 if {ga.dtype, wa.dtype, np.dtype(dtype.name)} & single else ab.float64
    rtol = tolerance(prec, case.tol)
    finite = np.abs(wa[np.isfinite(wa)]) if wa.size else np.zeros(0)
    scale = max(1.0, float(finite.max())) if finite.size else 1.0
    tiny = 4 * float(np.finfo(prec.name).smallest_normal)
    np.testing.assert_allclose(
        ga.astype(np.complex128),
        wa.astype(np.complex128),
        rtol=rtol,
        atol=rtol * scale + tiny,
        equal_nan=True,
        err_msg=where,
    )


def signature_text(fn: Any) -> str:
    """``fn``'s parameters in the spec stubs' spelling: ``(x, /, *, axis=None)``."""
    sig = inspect.signature(fn)
    parts: list[str] = []
    P = inspect.Parameter
    params = list(sig.parameters.values())
    star_done = False
    for i, p in enumerate(params):
        if p.kind is P.KEYWORD_ONLY and not star_done:
            parts.append("*")
            star_done = True
        if p.kind is P.VAR_POSITIONAL:
            parts.append(f"*{p.name}")
            star_done = True
        elif p.kind is P.VAR_KEYWORD:
            parts.append(f"**{p.name}")
        elif p.default is P.empty:
            parts.append(p.name)
        else:
            parts.append(f"{p.name}={p.default!r}")
        last_pos_only = p.kind is P.POSITIONAL_ONLY and (
            i + 1 == len(params) or params[i + 1].kind is not P.POSITIONAL_ONLY
        )
        if last_pos_only:
            parts.append("/")
    return "(" + ", ".join(parts) + ")"


def dtype_params(dtypes: list[ab.DType], rows: list[tuple[Any, ...]]) -> list[Any]:
    """pytest params ``(dtype, *row)``: each row on every dtype in a full run, on one
    dtype of each kind (the width rotating from row to row) in a quick run. A row's
    first item names it."""
    return [
        pytest.param(dt, *row, id=f"{dt.name}-{row[0]}")
        for i, row in enumerate(rows)
        for dt in rotate(dtypes, i)
    ]


def add_case_tests(
    namespace: dict[str, Any],
    prefix: str,
    body: Callable[[Case, ab.DType, list[Any]], None],
    *,
    full: int,
    quick: int,
) -> None:
    """Add to a suite module one test per case of this run, parametrized by the case's
    dtypes: it draws the arguments, skips a dtype the backend lacks and calls
    ``body(case, dtype, args)``. One function per case, not one parametrized over all
    cases: hypothesis's pytest plugin chains the settings of every parametrized call of a
    function (thousands deep, it recurses)."""
    from hypothesis import given
    from hypothesis import strategies as st

    from ._draw import draw_args

    def make(case: Case) -> Callable[..., None]:
        @pytest.mark.parametrize("dtype", run_dtypes(case), ids=lambda d: d.name)
        @_settings.hypothesis_settings(full=full, quick=quick)
        @given(data=st.data())
        def test(dtype: ab.DType, data: st.DataObject) -> None:
            require_dtype(dtype)
            body(case, dtype, draw_args(data, case, dtype))

        test.__doc__ = f"{case.fn} ({case.id})"
        test.ab_case = case.id  # type: ignore[attr-defined]  # the plugin orders by case
        return test  # type: ignore[no-any-return]

    for case in selected():
        name = prefix + case.id.replace("-", "_").replace(".", "_")
        namespace[name] = make(case)
