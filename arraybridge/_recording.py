"""What the hot path needs to know about autodiff: whether any tape is recording.

``ACTIVE[0]`` counts the tapes recording in any thread; ops read it once per call and
take the recording route (``record``) only when it is non-zero. The registry of VJP
rules lives here too, so ops modules register their rules without importing the tape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

__all__ = ["ACTIVE", "COMPOSITE", "NONDIFF", "RULES", "Rule", "record"]

# A VJP rule for one argument: rule(g, ans, *args, **kwargs) -> cotangent of that argument
# (a tensor, a list of them for a sequence argument, or None for "no gradient").
Rule = Callable[..., Any]

ACTIVE: Final[list[int]] = [0]
# op name -> rules by argument position (int) or keyword name (str)
RULES: Final[dict[str, dict[int | str, Rule]]] = {}
# ops whose results carry no gradient (integer/boolean results, piecewise-constant ops)
NONDIFF: Final[set[str]] = set()
# functions differentiated through their implementation (arraybridge ops only)
COMPOSITE: Final[set[str]] = set()


def record(name: str, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run ``fn(*args, _raw=True, **kwargs)`` and record it on the recording tapes.

    Replaced by :mod:`arraybridge.autodiff` when it loads.
    """
    return fn(*args, _raw=True, **kwargs)
