"""``arraybridge.linalg``: the Array API's linear algebra extension."""

from .ops.linalg import *  # noqa: F403
from .ops.linalg import __all__ as __all__
