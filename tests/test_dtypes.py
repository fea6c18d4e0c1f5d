"""Dtypes: identity, categories, the derived promotion table, data-type functions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import arraybridge as ab
from arraybridge import _dtypes

DTYPES = [getattr(ab, n) for n in _dtypes.BY_NAME]


def test_thirteen_dtypes_not_equal_to_numpy() -> None:
    assert len(DTYPES) == 13 and len(set(map(id, DTYPES))) == 13
    assert ab.float32 != np.float32 and ab.float32 != np.dtype("float32")
    assert repr(ab.int8) == "arraybridge.int8" and str(ab.int8) == "int8"


def _spec_promotion(a: ab.DType, b: ab.DType) -> ab.DType | None:
    """The standard's table, via NumPy's promotion restricted to the spec's rules."""
    kinds = {a.name[0] if a.name != "bool" else "b", b.name[0] if b.name != "bool" else "b"}
    if "b" in kinds and kinds != {"b"}:
        return None
    if kinds & {"i", "u"} and kinds & {"f", "c"}:
        return None
    if {a.name, b.name} & {"uint64"} and (a.name.startswith("int") or b.name.startswith("int")):
        return None
    return getattr(ab, np.promote_types(a.name, b.name).name)


@pytest.mark.parametrize(("a", "b"), list(itertools.product(DTYPES, DTYPES)))
def test_promotion_table_matches_the_standard(a: ab.DType, b: ab.DType) -> None:
    expected = _spec_promotion(a, b)
    with ab.semantics("standard"):
        if expected is None:
            with pytest.raises(ab.DTypeError, match="does not promote"):
                ab.result_type(a, b)
        else:
            assert ab.result_type(a, b) is expected
            assert ab.can_cast(a, expected)
    if a is not b:
        with pytest.raises(ab.DTypeError, match="strict"):
            ab.result_type(a, b)  # strict: never
    else:
        assert ab.result_type(a, b) is a


def test_result_type_with_scalars_and_tensors() -> None:
    x = ab.asarray([1], dtype=ab.int8)
    assert ab.result_type(x, 1) is ab.int8
    assert ab.result_type(ab.float32, 1.0) is ab.float32
    with pytest.raises(ab.DTypeError):
        ab.result_type(x, 1.5)
    with pytest.raises(ab.DTypeError):
        ab.result_type(x, 1000)
    with ab.semantics("standard"):
        assert ab.result_type(ab.float32, 1j) is ab.complex64
    with pytest.raises(ab.DTypeError):
        ab.result_type(ab.float32, 1j)  # strict: no implicit complex
    with pytest.raises(ValueError):
        ab.result_type()


def test_can_cast() -> None:
    assert ab.can_cast(ab.int8, ab.int16) and not ab.can_cast(ab.int16, ab.int8)
    assert ab.can_cast(ab.float32, ab.complex64) and not ab.can_cast(ab.float64, ab.complex64)
    assert not ab.can_cast(ab.int64, ab.float64)  # different kinds: not in the table
    assert ab.can_cast(ab.asarray([1], dtype=ab.uint8), ab.int16)


def test_isdtype() -> None:
    assert ab.isdtype(ab.int8, "signed integer") and not ab.isdtype(ab.uint8, "signed integer")
    assert ab.isdtype(ab.uint8, "integral") and ab.isdtype(ab.complex64, "numeric")
    assert ab.isdtype(ab.float32, ("bool", "real floating"))
    assert ab.isdtype(ab.float32, ab.float32) and not ab.isdtype(ab.float32, ab.float64)
    with pytest.raises(ValueError):
        ab.isdtype(ab.float32, "floaty")
    with pytest.raises(TypeError):
        ab.isdtype(np.float32, "numeric")


def test_finfo_iinfo() -> None:
    f = ab.finfo(ab.float32)
    assert f.bits == 32 and f.dtype is ab.float32 and type(f.eps) is float
    assert f.eps == float(np.finfo(np.float32).eps)
    assert ab.finfo(ab.complex128).dtype is ab.float64
    assert ab.finfo(ab.asarray(1.0)).bits == 32
    i = ab.iinfo(ab.uint8)
    assert (i.min, i.max, i.bits, i.dtype) == (0, 255, 8, ab.uint8)
    with pytest.raises(ab.DTypeError):
        ab.finfo(ab.int32)
    with pytest.raises(ab.DTypeError):
        ab.iinfo(ab.float32)


def test_astype() -> None:
    x = ab.asarray([1.7, -2.2])
    y = ab.astype(x, ab.int32)
    assert y.dtype is ab.int32
    np.testing.assert_array_equal(np.asarray(y), [1, -2])
    assert ab.astype(x, ab.float32) is not x
    assert ab.astype(x, "float64").dtype is ab.float64
    with pytest.raises(ab.DTypeError, match="imaginary"):
        ab.astype(ab.asarray(1j), ab.float32)
    with pytest.raises(TypeError, match="arraybridge dtype"):
        ab.astype(x, np.float64)


def test_defaults() -> None:
    assert ab.asarray(1.0).dtype is ab.float32
    assert ab.asarray(1).dtype is ab.int64
    assert ab.asarray(1j).dtype is ab.complex64
    assert ab.asarray(True).dtype is ab.bool
    assert ab.asarray(np.float64(1.0)).dtype is ab.float64
    assert ab.asarray(np.array([1, 2], dtype=np.int16)).dtype is ab.int16
    info = ab.__array_namespace_info__()
    assert info.default_dtypes() == {
        "real floating": ab.float32,
        "complex floating": ab.complex64,
        "integral": ab.int64,
        "indexing": ab.int64,
    }
    assert set(info.dtypes(kind="integral")) == {
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
    }
    assert info.capabilities()["boolean indexing"] is True
    assert info.default_device() == ab.asarray(1).device


def test_unsupported_numpy_dtypes_raise() -> None:
    with pytest.raises(ab.DTypeError, match="float16"):
        ab.asarray(np.zeros(2, dtype=np.float16))
    with pytest.raises(ab.DTypeError):
        ab.asarray(np.array(["a"]))
