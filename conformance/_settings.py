"""Run settings the plugin sets before collection and the suite reads while collecting."""

from __future__ import annotations

from typing import Any

__all__ = ["QUICK", "examples", "hypothesis_settings"]

QUICK = False


def examples(full: int, quick: int) -> int:
    """The number of hypothesis examples for this run."""
    return quick if QUICK else full


def hypothesis_settings(full: int = 20, quick: int = 3) -> Any:
    """hypothesis settings for a suite test: derandomized (a run is reproducible), no
    example database (nothing written where the suite runs), no deadline; a quick run
    does not shrink failing examples."""
    from hypothesis import HealthCheck, Phase, settings

    phases = [Phase.explicit, Phase.reuse, Phase.generate]
    return settings(
        phases=phases if QUICK else [*phases, Phase.shrink],
        max_examples=examples(full, quick),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
