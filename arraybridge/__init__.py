"""arraybridge: one Array API namespace over NumPy, CuPy and JAX, with TensorFlow's semantics.

``import arraybridge as ab`` is a namespace of the Python Array API standard (2025.12);
tensors dispatch through backend plugins (entry-point group ``arraybridge.backends``).
"""

from __future__ import annotations

import math as _math

from . import _operators  # noqa: F401 - binds Tensor's operators
from ._config import get_semantics, semantics, set_semantics
from ._convert import asarray
from ._dtypes import (
    DType,
    bool,
    complex64,
    complex128,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from ._errors import DTypeError
from ._info import __array_namespace_info__
from ._tensor import Tensor
from .backend import BackendStatus, Device, backends, get_backend, set_backend, use_backend
from .ops.creation import (
    arange,
    empty,
    empty_like,
    eye,
    from_dlpack,
    full,
    full_like,
    linspace,
    meshgrid,
    ones,
    ones_like,
    tril,
    triu,
    zeros,
    zeros_like,
)
from .ops.data_type import (
    astype,
    broadcast_arrays,
    broadcast_shapes,
    broadcast_to,
    can_cast,
    finfo,
    iinfo,
    isdtype,
    result_type,
)
from .ops.elementwise import (
    abs,
    acos,
    acosh,
    add,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    bitwise_and,
    bitwise_invert,
    bitwise_left_shift,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    ceil,
    clip,
    conj,
    copysign,
    cos,
    cosh,
    divide,
    equal,
    exp,
    expm1,
    floor,
    floor_divide,
    greater,
    greater_equal,
    hypot,
    imag,
    isfinite,
    isinf,
    isnan,
    less,
    less_equal,
    log,
    log1p,
    log2,
    log10,
    logaddexp,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    multiply,
    negative,
    nextafter,
    not_equal,
    positive,
    pow,
    real,
    reciprocal,
    remainder,
    round,
    sign,
    signbit,
    sin,
    sinh,
    sqrt,
    square,
    subtract,
    tan,
    tanh,
    trunc,
)
from .ops.linear_algebra import matmul, matrix_transpose
from .ops.manipulation import (
    concat,
    expand_dims,
    flip,
    permute_dims,
    reshape,
    squeeze,
    stack,
    tile,
)
from .ops.statistical import max, mean, min, prod, std, sum, var

__version__ = "0.1.0.dev0"
__array_api_version__ = "2025.12"

e = _math.e
inf = _math.inf
nan = _math.nan
pi = _math.pi
newaxis = None

__all__ = [
    "BackendStatus", "DType", "DTypeError", "Device", "Tensor",
    "__array_api_version__", "__array_namespace_info__",
    "abs", "acos", "acosh", "add", "arange", "asarray", "asin", "asinh", "astype", "atan",
    "atan2", "atanh", "backends", "bitwise_and", "bitwise_invert", "bitwise_left_shift",
    "bitwise_or", "bitwise_right_shift", "bitwise_xor", "bool", "broadcast_arrays",
    "broadcast_shapes", "broadcast_to", "can_cast", "ceil", "clip", "complex64", "complex128",
    "concat", "conj", "copysign", "cos", "cosh", "divide", "e", "empty", "empty_like", "equal",
    "exp", "expand_dims", "expm1", "eye", "finfo", "flip", "float32", "float64", "floor",
    "floor_divide", "from_dlpack", "full", "full_like", "get_backend", "get_semantics",
    "greater", "greater_equal", "hypot", "iinfo", "imag", "inf", "int8", "int16", "int32",
    "int64", "isdtype", "isfinite", "isinf", "isnan", "less", "less_equal", "linspace", "log",
    "log1p", "log2", "log10", "logaddexp", "logical_and", "logical_not", "logical_or",
    "logical_xor", "matmul", "matrix_transpose", "max", "maximum", "mean", "meshgrid", "min",
    "minimum", "multiply", "nan", "negative", "newaxis", "nextafter", "not_equal", "ones",
    "ones_like", "permute_dims", "pi", "positive", "pow", "prod", "real", "reciprocal",
    "remainder", "reshape", "result_type", "round", "semantics", "set_backend",
    "set_semantics", "sign", "signbit", "sin", "sinh", "sqrt", "square", "squeeze", "stack",
    "std", "subtract", "sum", "tan", "tanh", "tile", "tril", "triu", "trunc", "uint8",
    "uint16", "uint32", "uint64", "use_backend", "var", "zeros", "zeros_like",
]
