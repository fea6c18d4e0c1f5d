"""``arraybridge.fft``: the Array API's Fast Fourier Transform extension."""

from .ops.fft import *  # noqa: F403
from .ops.fft import __all__ as __all__
