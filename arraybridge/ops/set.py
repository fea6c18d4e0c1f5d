"""Set functions (the standard's "Set Functions" chapter)."""

from __future__ import annotations

from typing import Any, NamedTuple

from .. import _dtypes
from .._convert import PY_SCALARS, operand
from .._dispatch import category_error, check_same_device, tensor_arg, unify, wrap
from .._tensor import Tensor
from ..autodiff._rules import nondifferentiable
from .sorting import _flag, _index_tensor

# The result classes (UniqueAllResult, ...) are public here but not exported as
# functions of the namespace (the standard names only the functions).
__all__ = ["isin", "unique_all", "unique_counts", "unique_inverse", "unique_values"]


class UniqueAllResult(NamedTuple):
    """``unique_all``'s result: values, first indices, inverse indices and counts."""

    values: Tensor
    indices: Tensor
    inverse_indices: Tensor
    counts: Tensor


class UniqueCountsResult(NamedTuple):
    """``unique_counts``'s result: values and their counts."""

    values: Tensor
    counts: Tensor


class UniqueInverseResult(NamedTuple):
    """``unique_inverse``'s result: values and the indices that rebuild ``x`` from them."""

    values: Tensor
    inverse_indices: Tensor


# Note: the backend's unique functions must follow the standard (array_api_compat's do:
# NumPy's np.unique with equal_nan=False): every NaN, and every complex value with a NaN
# component, is a distinct element of count 1; -0.0 and +0.0 are one element. The values
# come back sorted (NaNs last), though the standard leaves their order unspecified.


def _inverse(native: Any, x: Tensor) -> Tensor:
    """Inverse indices as an int64 tensor of ``x``'s shape."""
    if tuple(native.shape) != x.shape:
        native = x._dev.fns["reshape"](native, x.shape)
    return _index_tensor(native, x)


def unique_all(x: Any, /) -> UniqueAllResult:
    """Unique elements of ``x`` (flattened), first-occurrence indices, inverse and counts."""
    x = tensor_arg(x, "unique_all")
    v, i, inv, c = x._dev.fns["unique_all"](x._data)
    return UniqueAllResult(
        wrap(v, x._dtype, x), _index_tensor(i, x), _inverse(inv, x), _index_tensor(c, x)
    )


def unique_counts(x: Any, /) -> UniqueCountsResult:
    """Unique elements of ``x`` (flattened) and how often each occurs."""
    x = tensor_arg(x, "unique_counts")
    v, c = x._dev.fns["unique_counts"](x._data)
    return UniqueCountsResult(wrap(v, x._dtype, x), _index_tensor(c, x))


def unique_inverse(x: Any, /) -> UniqueInverseResult:
    """Unique elements of ``x`` (flattened) and the indices (``x``'s shape) rebuilding ``x``."""
    x = tensor_arg(x, "unique_inverse")
    v, inv = x._dev.fns["unique_inverse"](x._data)
    return UniqueInverseResult(wrap(v, x._dtype, x), _inverse(inv, x))


def unique_values(x: Any, /) -> Tensor:
    """Unique elements of ``x`` (flattened), as a 1-D tensor of ``x``'s dtype."""
    x = tensor_arg(x, "unique_values")
    return wrap(x._dev.fns["unique_values"](x._data), x._dtype, x)


def isin(x1: Any, x2: Any, /, *, invert: bool = False) -> Tensor:
    """True where an element of ``x1`` equals some element of ``x2`` (False with ``invert``).

    Integer tensors only; either argument (not both) may be a Python int. ``x1`` and
    ``x2`` follow the dtype rules of a binary operation. The result has ``x1``'s shape.
    """
    where_ = "isin"
    _flag(invert, "invert", where_)
    s1, s2 = type(x1) in PY_SCALARS, type(x2) in PY_SCALARS
    if s1 and s2:
        raise TypeError(f"{where_}: x1 and x2 cannot both be Python scalars")
    if s1 or not isinstance(x1, Tensor):
        x1 = operand(x1, x2, where_) if isinstance(x2, Tensor) else tensor_arg(x1, where_)
    if s2 or not isinstance(x2, Tensor):
        x2 = operand(x2, x1, where_)
    check_same_device(where_, x1, x2)
    # Note: the standard says x1 and x2 "should" have integer dtypes and leaves other
    # dtypes unspecified; arraybridge refuses them, as array-api-strict does.
    for t in (x1, x2):
        if t._dtype not in _dtypes.INTEGER:
            raise category_error(where_, "integer", t._dtype)
    x1, x2 = unify(where_, x1, x2)
    r = x1._dev.fns["isin"](x1._data, x2._data, invert=invert)
    return wrap(r, _dtypes.bool, x1)


# -- VJP rules --------------------------------------------------------------------------------
# Note: as in TensorFlow (tf.unique has no gradient), the unique values carry no gradient;
# isin's result is boolean.
nondifferentiable(isin, unique_all, unique_counts, unique_inverse, unique_values)
