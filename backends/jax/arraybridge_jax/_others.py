"""JAX overrides: others functions whose JAX results differ from the other backends'."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def overrides(jnp: Any) -> dict[str, Callable[..., Any]]:
    """Spec name -> replacement function, each with a `# Note:` saying what it closes."""
    return {}
