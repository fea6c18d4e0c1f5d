"""``arraybridge conformance``: run the suite through pytest and print the area table."""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Sequence

__all__ = ["SUITE", "pytest_args", "run", "usable_cpus"]

SUITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "suite")


def _plugin_name() -> str:
    """The name to pass to ``-p``: the entry point's when installed (so pytest's own
    loading of installed plugins sees it as loaded), else the module."""
    eps = importlib.metadata.entry_points(group="pytest11", name="arraybridge_conformance")
    return "arraybridge_conformance" if eps else "arraybridge_conformance.plugin"


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pytest_args(
    backends: Sequence[str],
    quick: bool,
    json_path: str | None,
    extra: Sequence[str],
    jobs: int = 1,
) -> list[str]:
    """The pytest command line of a conformance run (``jobs`` > 1: in that many
    processes, by pytest-xdist)."""
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
    if jobs > 1:
        # Note: plain load balancing was the fastest on JAX (128 s against 154 s with a
        # case's tests kept in one process, 145 s with worksteal).
        args += ["-p", "xdist", "-n", str(jobs), "--dist", "load"]
    return [*args, *extra]


def run(
    backends: Sequence[str],
    quick: bool,
    json_path: str | None,
    extra: Sequence[str],
    jobs: int = 0,
) -> int:
    """Run the suite; the exit status is pytest's (0: every area passed). ``jobs``: the
    number of processes (0: one per usable CPU)."""
    import pytest

    n = jobs or usable_cpus()
    return int(pytest.main(pytest_args(backends, quick, json_path, extra, jobs=n)))
