"""``arraybridge conformance``: run the suite through pytest and print the area table."""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Sequence

__all__ = ["SUITE", "pytest_args", "run"]

SUITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "suite")


def _plugin_name() -> str:
    """The name to pass to ``-p``: the entry point's when installed (so pytest's own
    loading of installed plugins sees it as loaded), else the module."""
    eps = importlib.metadata.entry_points(group="pytest11", name="arraybridge_conformance")
    return "arraybridge_conformance" if eps else "arraybridge_conformance.plugin"


def pytest_args(
    backends: Sequence[str], quick: bool, json_path: str | None, extra: Sequence[str]
) -> list[str]:
    """The pytest command line of a conformance run."""
    args = [
        SUITE,
        "-p",
        _plugin_name(),
        "-p",
        "no:cacheprovider",  # writes nothing where it runs (site-packages, a CI checkout)
        "--rootdir",
        SUITE,
        "-c",
        os.path.join(SUITE, "pytest.ini"),
        "-q",
        "--no-header",
        "-rfE",
        "--tb=line",
        # this module imported the package before pytest could rewrite its asserts
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
    ]
    for b in backends:
        args += ["--ab-backend", b]
    if quick:
        args.append("--ab-quick")
    if json_path:
        args += ["--ab-json", os.path.abspath(json_path)]
    return [*args, *extra]


def run(backends: Sequence[str], quick: bool, json_path: str | None, extra: Sequence[str]) -> int:
    """Run the suite; the exit status is pytest's (0: every area passed)."""
    import pytest

    return int(pytest.main(pytest_args(backends, quick, json_path, extra)))
