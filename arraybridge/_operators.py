"""Binds the Tensor's operators to the namespace's functions (one definition per op)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _config
from ._errors import DTypeError, an
from ._indexing import getitem
from ._tensor import Tensor
from .ops import elementwise as ew
from .ops.linear_algebra import matmul

__all__: list[str] = []

_BINARY: dict[str, Callable[[Any, Any], Tensor]] = {
    "add": ew.add,
    "sub": ew.subtract,
    "mul": ew.multiply,
    "truediv": ew.divide,
    "floordiv": ew.floor_divide,
    "mod": ew.remainder,
    "pow": ew.pow,
    "matmul": matmul,
    "and": ew.bitwise_and,
    "or": ew.bitwise_or,
    "xor": ew.bitwise_xor,
    "lshift": ew.bitwise_left_shift,
    "rshift": ew.bitwise_right_shift,
}
_SYMBOL = {
    "add": "+",
    "subtract": "-",
    "multiply": "*",
    "divide": "/",
    "floor_divide": "//",
    "remainder": "%",
    "pow": "**",
    "matmul": "@",
    "bitwise_and": "&",
    "bitwise_or": "|",
    "bitwise_xor": "^",
    "bitwise_left_shift": "<<",
    "bitwise_right_shift": ">>",
}
_COMPARE = {
    "lt": ew.less,
    "le": ew.less_equal,
    "gt": ew.greater,
    "ge": ew.greater_equal,
}
_UNARY: dict[str, Callable[[Any], Tensor]] = {
    "neg": ew.negative,
    "pos": ew.positive,
    "abs": ew.abs,
    "invert": ew.bitwise_invert,
}


def _reflected(fn: Callable[[Any, Any], Tensor]) -> Callable[[Tensor, Any], Tensor]:
    def op(self: Tensor, other: Any, /) -> Tensor:
        return fn(other, self)

    return op


def _inplace(fn: Callable[[Any, Any], Tensor]) -> Callable[[Tensor, Any], Tensor]:
    def op(self: Tensor, other: Any, /) -> Tensor:
        result = fn(self, other)
        if not _config.is_standard():
            return result  # strict: tensors are immutable, so `x += y` rebinds x
        if result._dtype is not self._dtype:
            raise DTypeError(
                f"in-place {fn.__name__}: the result is {result._dtype}, which cannot be stored "
                f"in {an(self._dtype)} tensor; "
                f"write x = x {_SYMBOL.get(fn.__name__, 'op')} y instead"
            )
        if result.shape != self.shape:
            raise ValueError(
                f"in-place {fn.__name__}: the result's shape {result.shape} differs from the "
                f"tensor's shape {self.shape}"
            )
        self[...] = result
        return self

    return op


def _equality(fn: Callable[[Any, Any], Tensor]) -> Callable[[Tensor, Any], Any]:
    def op(self: Tensor, other: Any, /) -> Any:
        if other is None or isinstance(other, (str, bytes)):
            return NotImplemented  # so `t == None` is False, as for any object
        return fn(self, other)

    return op


def bind() -> None:
    """Attach every operator of the standard to Tensor."""
    for name, fn in _BINARY.items():
        setattr(Tensor, f"__{name}__", fn)
        setattr(Tensor, f"__r{name}__", _reflected(fn))
        setattr(Tensor, f"__i{name}__", _inplace(fn))
    for name, fn in _COMPARE.items():
        setattr(Tensor, f"__{name}__", fn)
    for name, fn1 in _UNARY.items():
        setattr(Tensor, f"__{name}__", fn1)
    Tensor.__eq__ = _equality(ew.equal)  # type: ignore[method-assign]
    Tensor.__ne__ = _equality(ew.not_equal)  # type: ignore[method-assign]
    Tensor.__getitem__ = getitem  # type: ignore[method-assign]


bind()
