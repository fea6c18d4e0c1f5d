"""arraybridge: one Array API namespace over NumPy, CuPy and JAX, with TensorFlow's semantics.

``import arraybridge as ab`` is a namespace of the Python Array API standard (2025.12);
tensors dispatch through backend plugins (entry-point group ``arraybridge.backends``).
The functions live in ``ops/``, one module per chapter of the standard; each module's
``__all__`` is exported here as it is.
"""

from __future__ import annotations

import math as _math

from . import (
    _operators,  # noqa: F401 - binds Tensor's operators
    fft,
    linalg,
    optimizers,
    testing,
)
from ._checkpoint import load, restore, save
from ._config import get_semantics, semantics, set_semantics
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
from ._errors import DTypeError, TracingError
from ._info import __array_namespace_info__
from ._tensor import Tensor
from ._variable import Variable
from .autodiff import (
    GradientTape,
    UnconnectedGradients,
    custom_gradient,
    custom_vjp,
    grad,
    hessian,
    jacobian,
    jvp,
    stop_gradient,
    value_and_grad,
    vjp,
)
from .backend import BackendStatus, Device, backends, get_backend, set_backend, use_backend
from .graph import function
from .ops import (
    creation,
    data_type,
    elementwise,
    indexing,
    linear_algebra,
    manipulation,
    searching,
    set,
    sorting,
    statistical,
    utility,
)
from .ops.clipping import clip_by_global_norm, clip_by_norm
from .ops.creation import *  # noqa: F403
from .ops.data_type import *  # noqa: F403
from .ops.elementwise import *  # noqa: F403
from .ops.indexing import *  # noqa: F403
from .ops.linear_algebra import *  # noqa: F403
from .ops.manipulation import *  # noqa: F403
from .ops.searching import *  # noqa: F403
from .ops.set import *  # noqa: F403
from .ops.sorting import *  # noqa: F403
from .ops.statistical import *  # noqa: F403
from .ops.utility import *  # noqa: F403

__version__ = "0.1.0.dev0"
__array_api_version__ = "2025.12"

e = _math.e
inf = _math.inf
nan = _math.nan
pi = _math.pi
newaxis = None

__all__ = [
    "BackendStatus",
    "DType",
    "DTypeError",
    "Device",
    "Tensor",
    "GradientTape",
    "TracingError",
    "UnconnectedGradients",
    "Variable",
    "__array_api_version__",
    "__array_namespace_info__",
    "backends",
    "clip_by_global_norm",
    "clip_by_norm",
    "custom_gradient",
    "function",
    "custom_vjp",
    "bool",
    "complex64",
    "complex128",
    "e",
    "fft",
    "float32",
    "float64",
    "get_backend",
    "get_semantics",
    "grad",
    "hessian",
    "inf",
    "int8",
    "int16",
    "int32",
    "int64",
    "jacobian",
    "jvp",
    "linalg",
    "load",
    "nan",
    "newaxis",
    "optimizers",
    "pi",
    "restore",
    "save",
    "semantics",
    "set_backend",
    "set_semantics",
    "stop_gradient",
    "testing",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "use_backend",
    "value_and_grad",
    "vjp",
]
__all__ += creation.__all__
__all__ += data_type.__all__
__all__ += elementwise.__all__
__all__ += indexing.__all__
__all__ += linear_algebra.__all__
__all__ += manipulation.__all__
__all__ += searching.__all__
__all__ += set.__all__
__all__ += sorting.__all__
__all__ += statistical.__all__
__all__ += utility.__all__
del creation, data_type, elementwise, indexing, linear_algebra, manipulation
del searching, set, sorting, statistical, utility
