"""The Tensor: an immutable array on some backend's device.

Tensors are made only by arraybridge (``Tensor._new``); users make them with the
namespace's functions (``ab.asarray``, ``ab.zeros``, ...). Operators are bound in
``_operators.py`` once the functions exist; the declarations under ``TYPE_CHECKING``
are what type checkers see.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _config
from ._dtypes import DType

if TYPE_CHECKING:
    from types import ModuleType

    from .backend import Device

__all__ = ["Tensor"]

_API_VERSIONS = ("2021.12", "2022.12", "2023.12", "2024.12", "2025.12")


class Tensor:
    """An n-dimensional array with a fixed dtype, on one backend's device.

    Immutable under the default ``strict`` semantics (use :class:`arraybridge.Variable`
    for state); ``x[key] = value`` works under ``standard`` semantics and changes only
    ``x`` (copy-on-write: views, snapshots and exported arrays keep their values).
    """

    __slots__ = ("__weakref__", "_data", "_dev", "_dtype", "_node", "_shared")

    _data: Any  # the backend's native array (NumPy may hold a NumPy scalar for 0-d)
    _dtype: DType
    _dev: Device
    # True once another tensor, a snapshot or an exported array may see _data's memory;
    # a standard-semantics write then copies first.
    _shared: bool
    # the autodiff graph node that made this tensor (None unless a tape recorded it; set at
    # creation, so reading it is a slot read, not a failed lookup)
    _node: Any

    __array_priority__ = 100  # NumPy operators defer to ours: ndarray + Tensor -> Tensor

    def __new__(cls, *args: object, **kwargs: object) -> Tensor:
        raise TypeError("Tensors are created with arraybridge functions, e.g. ab.asarray(obj)")

    @classmethod
    def _new(cls, data: Any, dtype: DType, dev: Device) -> Tensor:
        t = object.__new__(cls)
        t._node = None
        t._data = data
        t._dtype = dtype
        t._dev = dev
        t._shared = False
        return t

    # -- attributes ----------------------------------------------------------------------
    @property
    def dtype(self) -> DType:
        """The tensor's dtype."""
        return self._dtype

    @property
    def device(self) -> Device:
        """The backend and device holding the data."""
        return self._dev

    @property
    def shape(self) -> tuple[int, ...]:
        """The tensor's shape."""
        return tuple(self._data.shape)

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return int(self._data.ndim)

    @property
    def size(self) -> int:
        """The number of elements."""
        return math.prod(self._data.shape)

    @property
    def mT(self) -> Tensor:
        """The transpose of the last two axes (a new tensor)."""
        from .ops.linear_algebra import matrix_transpose

        return matrix_transpose(self)

    @property
    def T(self) -> Tensor:
        """The transpose of a 2-D tensor (a new tensor)."""
        if self.ndim != 2:
            raise ValueError(
                f"Tensor.T requires a 2-D tensor, got {self.ndim}-D; "
                "use ab.permute_dims or .mT for other ranks"
            )
        from .ops.manipulation import permute_dims

        return permute_dims(self, (1, 0))

    # -- protocols -----------------------------------------------------------------------
    def __array_namespace__(self, /, *, api_version: str | None = None) -> ModuleType:
        """The arraybridge namespace."""
        if api_version is not None and api_version not in _API_VERSIONS:
            raise ValueError(
                f"__array_namespace__: api_version must be one of {_API_VERSIONS} or None, "
                f"got {api_version!r}"
            )
        import arraybridge

        return arraybridge

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray[Any, Any]:
        """The values as a NumPy array that cannot write into this tensor."""
        if copy is True:
            out = np.array(self._dev.backend.to_numpy(self._data), dtype=dtype, copy=True)
            return out
        out = self._dev.backend.to_numpy(self._data)
        self._shared = True
        if dtype is not None and np.dtype(dtype) != out.dtype:
            if copy is False:
                raise ValueError("__array__: a dtype conversion needs a copy, copy=False given")
            out = out.astype(dtype)
        return out

    def numpy(self) -> np.ndarray[Any, Any]:
        """The values as a read-only NumPy array (a copy where the backend is not NumPy)."""
        return self.__array__()

    def __dlpack__(
        self,
        /,
        *,
        stream: Any = None,
        max_version: tuple[int, int] | None = None,
        dl_device: Any = None,
        copy: bool | None = None,
    ) -> Any:
        """Export through DLPack; the consumer can never write into this tensor.

        DLPack 1.0 consumers (``max_version >= (1, 0)``) get a read-only view; consumers of
        the older protocol, which cannot be told a buffer is read-only, get a copy, and
        ``copy=False`` from them raises ``BufferError`` (as the standard allows).
        """
        if max_version is None or tuple(max_version) < (1, 0):
            if copy is False:
                raise BufferError(
                    "__dlpack__: a consumer of DLPack < 1.0 cannot be told the buffer is "
                    "read-only, so arraybridge exports a copy; copy=False cannot be honoured"
                )
            copy = True
        self._shared = True
        return self._dev.backend.dlpack(
            self._data, stream=stream, max_version=max_version, dl_device=dl_device, copy=copy
        )

    def __dlpack_device__(self, /) -> tuple[int, int]:
        """The DLPack device type and id."""
        return self._dev.backend.plugin.dlpack_device(self._data)

    def to_device(self, device: Device | str, /, *, stream: Any = None) -> Tensor:
        """This tensor's values on ``device`` (possibly of another backend)."""
        from .ops.creation import asarray

        return asarray(self, device=device)

    # -- Python scalars --------------------------------------------------------------------
    def _scalar(self, what: str) -> Any:
        if self._data.ndim != 0:
            raise ValueError(
                f"{what}() needs a 0-d tensor, got shape {self.shape}; index or reduce it first"
            )
        return self._dev.backend.to_numpy(self._data)[()]

    def __bool__(self, /) -> bool:
        return bool(self._scalar("bool"))

    def __int__(self, /) -> int:
        if self._dtype._kind == "c":
            raise TypeError("int() of a complex tensor; take ab.real or ab.abs first")
        v = self._scalar("int")
        return int(v) if self._dtype._kind in "biu" else int(float(v))

    def __float__(self, /) -> float:
        if self._dtype._kind == "c":
            raise TypeError("float() of a complex tensor; take ab.real or ab.abs first")
        return float(self._scalar("float"))

    def __complex__(self, /) -> complex:
        return complex(self._scalar("complex"))

    def __index__(self, /) -> int:
        if self._dtype._kind not in "iu":
            raise TypeError(f"only integer tensors can be used as an index, got {self._dtype}")
        if self._data.ndim != 0:
            # Note: TypeError, as NumPy's and Python's protocol say (callers that take an int
            # catch TypeError and name their argument); bool(), int(), float() raise ValueError
            raise TypeError(
                f"only a 0-d integer tensor can be used as an index, got shape {self.shape}"
            )
        return int(self._scalar("index"))

    # -- item assignment -----------------------------------------------------------------
    def __setitem__(self, key: Any, value: Any, /) -> None:
        if not _config.is_standard():
            raise TypeError(
                "Tensor is immutable: item assignment is not allowed under strict semantics. "
                "Keep state in an ab.Variable (v[key].assign(value)), build a new tensor "
                "(e.g. with ab.where), or switch to ab.semantics('standard')."
            )
        from ._indexing import setitem

        setitem(self, key, value)

    # -- display -------------------------------------------------------------------------
    def __repr__(self) -> str:
        values = np.array2string(self._dev.backend.to_numpy(self._data), separator=", ", prefix=" ")
        sep = "\n " if "\n" in values else " "
        return (
            f"<Tensor shape={self.shape} dtype={self._dtype} device={self._dev}"
            f" values={sep}{values}>"
        )

    def __str__(self) -> str:
        return np.array2string(self._dev.backend.to_numpy(self._data), separator=", ")

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return int(self._data.shape[0])

    def __iter__(self) -> Any:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        from .ops.creation import asarray

        return (_rebuild, (self._dev.backend.to_numpy(self._data).copy(), str(self._dev), asarray))

    if TYPE_CHECKING:  # bound at import time by _operators.py

        def __getitem__(self, key: Any, /) -> Tensor: ...
        def __add__(self, other: Any, /) -> Tensor: ...
        def __radd__(self, other: Any, /) -> Tensor: ...
        def __iadd__(self, other: Any, /) -> Tensor: ...
        def __sub__(self, other: Any, /) -> Tensor: ...
        def __rsub__(self, other: Any, /) -> Tensor: ...
        def __isub__(self, other: Any, /) -> Tensor: ...
        def __mul__(self, other: Any, /) -> Tensor: ...
        def __rmul__(self, other: Any, /) -> Tensor: ...
        def __imul__(self, other: Any, /) -> Tensor: ...
        def __truediv__(self, other: Any, /) -> Tensor: ...
        def __rtruediv__(self, other: Any, /) -> Tensor: ...
        def __itruediv__(self, other: Any, /) -> Tensor: ...
        def __floordiv__(self, other: Any, /) -> Tensor: ...
        def __rfloordiv__(self, other: Any, /) -> Tensor: ...
        def __ifloordiv__(self, other: Any, /) -> Tensor: ...
        def __mod__(self, other: Any, /) -> Tensor: ...
        def __rmod__(self, other: Any, /) -> Tensor: ...
        def __imod__(self, other: Any, /) -> Tensor: ...
        def __pow__(self, other: Any, /) -> Tensor: ...
        def __rpow__(self, other: Any, /) -> Tensor: ...
        def __ipow__(self, other: Any, /) -> Tensor: ...
        def __matmul__(self, other: Any, /) -> Tensor: ...
        def __rmatmul__(self, other: Any, /) -> Tensor: ...
        def __imatmul__(self, other: Any, /) -> Tensor: ...
        def __and__(self, other: Any, /) -> Tensor: ...
        def __rand__(self, other: Any, /) -> Tensor: ...
        def __iand__(self, other: Any, /) -> Tensor: ...
        def __or__(self, other: Any, /) -> Tensor: ...
        def __ror__(self, other: Any, /) -> Tensor: ...
        def __ior__(self, other: Any, /) -> Tensor: ...
        def __xor__(self, other: Any, /) -> Tensor: ...
        def __rxor__(self, other: Any, /) -> Tensor: ...
        def __ixor__(self, other: Any, /) -> Tensor: ...
        def __lshift__(self, other: Any, /) -> Tensor: ...
        def __rlshift__(self, other: Any, /) -> Tensor: ...
        def __ilshift__(self, other: Any, /) -> Tensor: ...
        def __rshift__(self, other: Any, /) -> Tensor: ...
        def __rrshift__(self, other: Any, /) -> Tensor: ...
        def __irshift__(self, other: Any, /) -> Tensor: ...
        def __lt__(self, other: Any, /) -> Tensor: ...
        def __le__(self, other: Any, /) -> Tensor: ...
        def __gt__(self, other: Any, /) -> Tensor: ...
        def __ge__(self, other: Any, /) -> Tensor: ...
        def __eq__(self, other: Any, /) -> Tensor: ...  # type: ignore[override]
        def __ne__(self, other: Any, /) -> Tensor: ...  # type: ignore[override]
        def __neg__(self, /) -> Tensor: ...
        def __pos__(self, /) -> Tensor: ...
        def __abs__(self, /) -> Tensor: ...
        def __invert__(self, /) -> Tensor: ...


def _rebuild(values: np.ndarray[Any, Any], device: str, asarray: Any) -> Tensor:
    t: Tensor = asarray(values, device=device)
    return t
