"""arraybridge's public names against the standard's lists (shipped with the conformance
suite, ``arraybridge_conformance/data``)."""

from __future__ import annotations

import inspect

import pytest
from arraybridge_conformance._spec import DATA

import arraybridge as ab

pytestmark = pytest.mark.single_backend


def names(file: str) -> list[str]:
    return (DATA / file).read_text().split()


def test_version() -> None:
    assert (DATA / "VERSION").read_text().strip() == "2025.12"
    assert ab.__array_api_version__ == "2025.12"


@pytest.mark.parametrize("name", names("namespace.txt"))
def test_main_namespace(name: str) -> None:
    assert hasattr(ab, name), f"arraybridge.{name} is missing"
    if not name.startswith("__") and callable(getattr(ab, name)):
        assert name in ab.__all__


@pytest.mark.parametrize("name", names("linalg.txt"))
def test_linalg(name: str) -> None:
    assert hasattr(ab.linalg, name), f"arraybridge.linalg.{name} is missing"
    assert name in ab.linalg.__all__


@pytest.mark.parametrize("name", names("fft.txt"))
def test_fft(name: str) -> None:
    assert hasattr(ab.fft, name), f"arraybridge.fft.{name} is missing"
    assert name in ab.fft.__all__


@pytest.mark.parametrize("name", names("info.txt"))
def test_info(name: str) -> None:
    assert callable(getattr(ab.__array_namespace_info__(), name))


@pytest.mark.parametrize(
    "name", names("array_object.txt") + names("array_object_inplace_optional.txt")
)
def test_tensor_attributes(name: str) -> None:
    assert hasattr(ab.Tensor, name), f"Tensor.{name} is missing"


@pytest.mark.parametrize("name", names("dtypes.txt"))
def test_dtypes(name: str) -> None:
    assert isinstance(getattr(ab, name), ab.DType)


def test_constants() -> None:
    import math

    assert ab.e == math.e and ab.pi == math.pi and ab.inf == math.inf
    assert math.isnan(ab.nan) and ab.newaxis is None
    assert all(type(getattr(ab, c)) is float for c in ("e", "pi", "inf", "nan"))


def test_no_extra_public_functions_without_purpose() -> None:
    """Every public name is a spec name or one of arraybridge's own documented additions."""
    spec = set(names("namespace.txt")) | {"linalg", "fft"}
    own = {
        "BackendStatus",
        "DType",
        "DTypeError",
        "Device",
        "Tensor",
        "backends",
        "get_backend",
        "get_semantics",
        "semantics",
        "set_backend",
        "set_semantics",
        "use_backend",
        # Variables and checkpoints (docs/variables.md)
        "Variable",
        "load",
        "restore",
        "save",
        # autodiff and training (docs/autodiff.md)
        "GradientTape",
        "UnconnectedGradients",
        "clip_by_global_norm",
        "clip_by_norm",
        "custom_gradient",
        "custom_vjp",
        "grad",
        "hessian",
        "jacobian",
        "jvp",
        "optimizers",
        "stop_gradient",
        "testing",
        "value_and_grad",
        "vjp",
        # graphs (docs/function.md)
        "TracingError",
        "function",
    }
    extra = set(ab.__all__) - spec - own
    assert not extra, f"undocumented public names: {sorted(extra)}"


def test_signatures_are_introspectable() -> None:
    for name in names("namespace.txt"):
        obj = getattr(ab, name, None)
        if callable(obj) and not isinstance(obj, (type, ab.DType)):
            inspect.signature(obj)
