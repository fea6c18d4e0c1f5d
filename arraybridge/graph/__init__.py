"""``ab.function``: trace a Python function into a graph, optimise it, run it compiled."""

from ._function import ConcreteFunction, Function, function

__all__ = ["ConcreteFunction", "Function", "function"]
