"""Errors: bad input gives the documented exception type (docs/semantics.md), naming the
function, on every backend, and leaves the inputs as they were."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import arraybridge as ab

pytestmark = pytest.mark.usefixtures("ab_backend")

# (id, call on x = ones((2, 3)) float32, exception type, text the message must contain)
BAD: list[tuple[str, Callable[[Any], Any], type[Exception], str]] = [
    ("operand_str", lambda x: ab.add(x, "a"), TypeError, "add"),
    ("operand_none", lambda x: ab.multiply(None, x), TypeError, "multiply"),
    ("mixed_dtypes", lambda x: ab.add(x, ab.ones((3,), dtype=ab.int64)), ab.DTypeError, "add"),
    ("category", lambda x: ab.bitwise_and(x, x), ab.DTypeError, "bitwise_and"),
    ("int_for_float_op", lambda x: ab.exp(ab.asarray([1])), ab.DTypeError, "exp"),
    ("broadcast", lambda x: ab.add(x, ab.ones((4,))), ValueError, ""),
    ("reshape", lambda x: ab.reshape(x, (5,)), ValueError, "reshape"),
    ("matmul_shapes", lambda x: ab.matmul(x, x), ValueError, "matmul"),
    ("axis_out_of_range", lambda x: ab.sum(x, axis=3), IndexError, "sum"),
    ("axis_not_int", lambda x: ab.sum(x, axis=1.5), TypeError, "sum"),
    ("sort_axis", lambda x: ab.sort(x, axis=2), IndexError, "sort"),
    ("moveaxis", lambda x: ab.moveaxis(x, 0, 5), IndexError, "moveaxis"),
    ("negative_size", lambda x: ab.zeros((-1,)), ValueError, "zeros"),
    ("shape_not_ints", lambda x: ab.zeros("a"), TypeError, "zeros"),
    ("ragged_list", lambda x: ab.asarray([[1], [1, 2]]), ValueError, "asarray"),
    ("mixed_list", lambda x: ab.asarray([1, "a"]), TypeError, "asarray"),
    ("concat_ranks", lambda x: ab.concat([x, ab.ones((2,))]), ValueError, "concat"),
    ("permutation", lambda x: ab.permute_dims(x, (0,)), ValueError, "permute_dims"),
    ("squeeze_size", lambda x: ab.squeeze(x, axis=0), ValueError, "squeeze"),
    ("take_bounds", lambda x: ab.take(x, ab.asarray([5]), axis=1), IndexError, "take"),
    ("inv_not_square", lambda x: ab.linalg.inv(x), ValueError, "inv"),
    ("fft_dtype", lambda x: ab.fft.fft(ab.asarray([1, 2])), ab.DTypeError, "fft"),
    ("where_condition", lambda x: ab.where(x, x, x), ab.DTypeError, "where"),
    ("astype_none", lambda x: ab.astype(x, None), TypeError, "astype"),
    ("roll_shift", lambda x: ab.roll(x, 1.5), TypeError, "roll"),
    ("arange_step", lambda x: ab.arange(0, 10, 0), ValueError, "arange"),
    ("linspace_num", lambda x: ab.linspace(0, 1, -1), ValueError, "linspace"),
    ("nan_into_int", lambda x: ab.full((2,), float("nan"), dtype=ab.int64), ab.DTypeError, "full"),
    ("unknown_backend", lambda x: ab.zeros((2,), device="nope"), ValueError, "nope"),
    ("immutable", lambda x: x.__setitem__(0, 1.0), TypeError, "Variable"),
    ("float_of_array", lambda x: float(x), ValueError, ""),
]


@pytest.mark.parametrize(("name", "call", "exc", "text"), BAD, ids=[b[0] for b in BAD])
def test_bad_input(name: str, call: Any, exc: type[Exception], text: str) -> None:
    x = ab.ones((2, 3))
    before = np.array(x)
    with pytest.raises(exc) as info:
        call(x)
    assert text in str(info.value), f"the message does not name {text!r}: {info.value}"
    # the type is arraybridge's vocabulary, not a backend's own exception class
    assert type(info.value).__module__.split(".")[0] in ("builtins", "arraybridge"), type(
        info.value
    )
    assert np.array_equal(np.asarray(x), before)


def test_dtype_error_is_a_type_error() -> None:
    assert issubclass(ab.DTypeError, TypeError)
    with pytest.raises(ab.DTypeError, match=r"float32.*int64|int64.*float32") as info:
        ab.asarray(2.0) + ab.asarray(40)
    assert "astype" in str(info.value)
