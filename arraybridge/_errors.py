"""arraybridge's exception types."""

from __future__ import annotations

__all__ = ["DTypeError"]


class DTypeError(TypeError):
    """A dtype that an operation does not accept, or two dtypes that do not mix.

    A subclass of ``TypeError``, so code written against the Array API standard
    (which specifies ``TypeError``) catches it too.
    """
