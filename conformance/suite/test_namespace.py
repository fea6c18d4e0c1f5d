"""Namespace: every name and signature of the standard, and every function callable here."""

from __future__ import annotations

from typing import Any

import pytest
from arraybridge_conformance._cases import CASES, dtypes_of, resolve, spec_functions
from arraybridge_conformance._check import signature_text, supported
from arraybridge_conformance._draw import fixed_args
from arraybridge_conformance._spec import names, signatures, version

import arraybridge as ab

pytestmark = pytest.mark.usefixtures("ab_backend")

# Note: arraybridge's deliberate deviations from the standard's signatures (docs/semantics.md).
DEVIATIONS = {
    "squeeze": "(x, /, axis=None)",  # TensorFlow's default: every size-1 axis
}


def test_version() -> None:
    assert ab.__array_api_version__ == version() == "2025.12"


@pytest.mark.parametrize("name", names("namespace.txt"))
def test_main_namespace_name(name: str) -> None:
    assert hasattr(ab, name), f"arraybridge.{name} is missing"


@pytest.mark.parametrize("name", names("linalg.txt"))
def test_linalg_name(name: str) -> None:
    assert hasattr(ab.linalg, name), f"arraybridge.linalg.{name} is missing"


@pytest.mark.parametrize("name", names("fft.txt"))
def test_fft_name(name: str) -> None:
    assert hasattr(ab.fft, name), f"arraybridge.fft.{name} is missing"


@pytest.mark.parametrize("name", names("info.txt"))
def test_info_method(name: str) -> None:
    assert callable(getattr(ab.__array_namespace_info__(), name, None))


@pytest.mark.parametrize("name", names("array_object.txt"))
def test_tensor_attribute(name: str) -> None:
    assert hasattr(ab.ones((2, 2)), name), f"Tensor.{name} is missing"


@pytest.mark.parametrize("name", names("dtypes.txt"))
def test_dtype(name: str) -> None:
    assert isinstance(getattr(ab, name), ab.DType)


@pytest.mark.parametrize("fn", sorted(signatures()))
def test_signature(fn: str) -> None:
    want = DEVIATIONS.get(fn, signatures()[fn])
    got = signature_text(resolve(ab, fn))
    assert got == want, f"{fn}{got}: the standard has {fn}{want}"


def test_array_namespace() -> None:
    t = ab.asarray([1.0])
    assert t.__array_namespace__() is ab
    import array_api_compat

    assert array_api_compat.array_namespace(t) is ab


def _calls(fn: str) -> Any:
    """The cases of ``fn`` with each dtype the backend supports."""
    have = supported()
    for case in CASES:
        if case.fn == fn:
            for dt in dtypes_of(case.dtypes):
                if dt in have:
                    yield case, dt


@pytest.mark.parametrize("fn", spec_functions())
def test_callable_here(fn: str) -> None:
    """The backend provides every function (a call on small inputs returns)."""
    if not any(c.fn == fn for c in CASES):
        pytest.fail(f"{fn}: the suite has no case for it")
    for case, dt in _calls(fn):
        try:
            with ab.semantics(case.semantics):
                case.call(ab, dt, *fixed_args(case, dt))
        except NotImplementedError as exc:
            pytest.fail(f"{fn} is not provided by the {ab.get_backend()} backend: {exc}")
        except ab.DTypeError as exc:
            if "does not support" not in str(exc):
                raise
            continue  # this case needs a dtype the backend lacks; try the next
        return
    pytest.skip(f"{fn}: every case needs a dtype the backend lacks")
