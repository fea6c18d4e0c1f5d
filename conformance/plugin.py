"""The suite's pytest plugin (entry point ``pytest11``: ``arraybridge_conformance``).

Inert in every other test run: it adds its options and a fixture, and its hooks act only
on tests of the suite (``arraybridge_conformance.suite``), which are collected only when
asked for: by ``arraybridge conformance``, or ``pytest --pyargs arraybridge_conformance.suite``.

Options: ``--ab-backend NAME`` (repeatable; default: every available backend),
``--ab-quick`` (fewer examples and shapes, one dtype of each kind per case),
``--ab-json PATH`` (the report as JSON).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from . import _settings
from ._report import AREA_NAMES, Tally

__all__ = [
    "ab_backend",
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_generate_tests",
    "pytest_runtest_logreport",
    "pytest_terminal_summary",
]

_SUITE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "suite")
_KEY = pytest.StashKey[dict[str, Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("arraybridge conformance")
    group.addoption(
        "--ab-backend",
        action="append",
        default=[],
        metavar="NAME",
        help="arraybridge conformance: run the suite on this backend (repeatable; default: all)",
    )
    group.addoption(
        "--ab-quick",
        action="store_true",
        help="arraybridge conformance: fewer examples, one dtype of each kind per case",
    )
    group.addoption("--ab-json", metavar="PATH", help="arraybridge conformance: JSON report")


def _in_suite(path: Any) -> bool:
    return str(path).startswith(_SUITE_DIR + os.sep)


def _chosen(config: pytest.Config) -> list[str]:
    state = config.stash.get(_KEY, None)
    if state is None:
        import arraybridge as ab

        available = [s.name for s in ab.backends() if s.available]
        known = {s.name: s for s in ab.backends()}
        chosen: list[str] = config.getoption("ab_backend") or available
        for name in chosen:
            if name not in known:
                raise pytest.UsageError(
                    f"backend {name!r}: no such backend; discovered: {sorted(known)}"
                )
            if not known[name].available:
                raise pytest.UsageError(f"backend {name!r}: unavailable ({known[name].reason})")
        state = config.stash[_KEY] = {"backends": chosen, "tally": Tally(chosen), "items": {}}
    backends: list[str] = state["backends"]
    return backends


_CONFIG: list[pytest.Config] = []  # the running session's config (for the report hooks)


def pytest_configure(config: pytest.Config) -> None:
    _settings.QUICK = bool(config.getoption("ab_quick"))
    _CONFIG[:] = [config]


def _state() -> dict[str, Any] | None:
    if not _CONFIG:
        return None
    return _CONFIG[0].stash.get(_KEY, None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ab_backend" in metafunc.fixturenames and _in_suite(metafunc.definition.path):
        names = _chosen(metafunc.config)
        metafunc.parametrize("ab_backend", names, indirect=True, ids=names)


@pytest.fixture
def ab_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The backend under test, current for the test's duration, with strict semantics."""
    import arraybridge as ab

    name: str = request.param
    with ab.use_backend(name), ab.semantics("strict"):
        yield name


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    for item in items:
        if not _in_suite(item.path):
            continue
        area = item.path.stem.removeprefix("test_")
        params = getattr(item, "callspec", None)
        backend = params.params.get("ab_backend") if params is not None else None
        if area not in AREA_NAMES or backend is None:
            continue
        # The report carries its area and backend (reports reach the controlling
        # process of a parallel run without their items).
        item.user_properties.append((_AREA, (area, backend)))
    if all(_in_suite(item.path) for item in items):
        # A case's tests of every area next to each other, so that the process that
        # runs them (of a parallel run) compiles the case once on a backend that
        # compiles per shape and dtype (JAX).
        items.sort(key=_case_order)


def _case_order(item: pytest.Item) -> tuple[str, str]:
    params = getattr(item, "callspec", None)
    backend = str(params.params.get("ab_backend", "")) if params is not None else ""
    case = params.params.get("case") if params is not None else None
    dtype = params.params.get("dtype") if params is not None else None
    case_id = getattr(case, "id", None) or getattr(getattr(item, "function", None), "ab_case", "")
    return backend, f"{case_id}/{getattr(dtype, 'name', '')}" if case_id else ""


_AREA = "arraybridge_conformance"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not _CONFIG:
        return
    where = dict(report.user_properties).get(_AREA)
    if where is None:
        return
    area, backend = where
    _chosen(_CONFIG[0])
    state = _CONFIG[0].stash[_KEY]
    rec = state["items"].setdefault(report.nodeid, {"outcome": "passed"})
    if report.failed:
        if rec["outcome"] != "failed":
            msg = str(report.longrepr).strip().splitlines()
            state["tally"].failures.append(
                {
                    "test": report.nodeid,
                    "area": area,
                    "backend": backend,
                    "message": msg[-1] if msg else "",
                }
            )
        rec["outcome"] = "failed"
    elif report.skipped and rec["outcome"] != "failed":
        rec["outcome"] = "skipped"
    if report.when == "teardown":
        state["tally"].add(area, backend, rec["outcome"])


def _meta(backends: list[str]) -> dict[str, Any]:
    import arraybridge as ab
    from arraybridge.backend import load

    versions = {}
    for b in backends:
        be = load(b)
        versions[b] = f"{be.plugin.library} {be.version}"
    return {
        "arraybridge": ab.__version__,
        "array_api_version": ab.__array_api_version__,
        "quick": _settings.QUICK,
        "versions": versions,
    }


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    state = _state()
    if state is None or not state["items"]:
        return
    tally: Tally = state["tally"]
    meta = _meta(tally.backends)
    tally.versions = meta["versions"]
    tw = terminalreporter
    tw.section("arraybridge conformance")
    mode = "quick" if _settings.QUICK else "full"
    tw.line(
        f"arraybridge {meta['arraybridge']}, Array API {meta['array_api_version']}, {mode} run; "
        + ", ".join(f"{b}: {v}" for b, v in meta["versions"].items())
    )
    for line in tally.table().splitlines():
        tw.line(line)
    path = config.getoption("ab_json")
    if path:
        tally.write_json(path, meta)
        tw.line(f"JSON report written to {path}")
