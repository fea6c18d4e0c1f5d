"""arraybridge's exception types, and the helpers its messages share."""

from __future__ import annotations

import re

__all__ = ["DTypeError", "TracingError", "an"]


class DTypeError(TypeError):
    """A dtype that an operation does not accept, or two dtypes that do not mix.

    A subclass of ``TypeError``, so code written against the Array API standard
    (which specifies ``TypeError``) catches it too.
    """


class TracingError(TypeError):
    """Code that ``ab.function`` cannot trace into a graph (Python control flow on a
    tensor's values, a write into an argument, a variable made on a later call).

    A subclass of ``TypeError``, as TensorFlow's and JAX's errors for the same cases are.
    """


_AN_NUMBER = re.compile(r"8|1[18](?!\d)")


def an(word: object) -> str:
    """``word`` with its indefinite article: ``a float32``, ``an int64``, ``an 8-D``."""
    s = str(word)
    low = s.lower()
    if low[:1].isdigit():
        an = _AN_NUMBER.match(low) is not None
    elif low[:1] == "u":
        an = not low.startswith(("uint", "uni", "use", "usu"))
    else:
        an = low[:1] in ("a", "e", "i", "o") or low.startswith("nd")
    return f"{'an' if an else 'a'} {s}"
