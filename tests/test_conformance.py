"""The conformance suite can fail: each planted bug (tests/broken_backends.py) is caught
by its own area and no other, a third-party plugin (tests/fake_backend) passes, and the
command's table, JSON and exit status say so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.single_backend

HERE = Path(__file__).parent

# plugin -> the one area its bug belongs to (None: it must pass)
PLANTED: dict[str, str | None] = {
    "wrong_add": "values",
    "leaks_float64": "dtypes",
    "writes_through": "semantics",
    "missing_tan": "namespace",
    "stale_compile": "graphs",
    "fake": None,
}
# A bug in one integer width is the full run's to catch (a quick run takes one width of
# each kind per case): that plugin gets a full run of the int16 tests.
FULL: dict[str, list[str]] = {"wrong_add": ["-k", "int16"]}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, Any]]:
    """Run ``arraybridge conformance`` on each plugin (two at a time, one process each)."""
    tmp = tmp_path_factory.mktemp("plugins")
    dist = tmp / "conformance_test_plugins-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: conformance-test-plugins\nVersion: 0.1\n"
    )
    eps = [f"{n} = broken_backends:{n}" for n in PLANTED if n != "fake"]
    eps.append("fake = fake_backend:plugin")
    (dist / "entry_points.txt").write_text("[arraybridge.backends]\n" + "\n".join(eps) + "\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp), str(HERE)])}
    env.pop("ARRAYBRIDGE_BACKEND", None)
    out: dict[str, tuple[int, str, Any]] = {}
    names = list(PLANTED)
    for i in range(0, len(names), 2):
        procs = {}
        for name in names[i : i + 2]:
            cmd = [sys.executable, "-m", "arraybridge.cli", "conformance", "--backend", name]
            cmd += ["--json", str(tmp / f"{name}.json"), "--jobs", "1"]
            cmd += ["--", *FULL[name]] if name in FULL else ["--quick"]
            procs[name] = subprocess.Popen(
                cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
        for name, p in procs.items():
            text, _ = p.communicate(timeout=900)
            data = json.loads((tmp / f"{name}.json").read_text())
            out[name] = (p.returncode, text, data)
    return out


@pytest.mark.parametrize("name", list(PLANTED))
def test_planted_bug_is_caught_by_its_area(
    name: str, reports: dict[str, tuple[int, str, Any]]
) -> None:
    code, text, data = reports[name]
    areas = data["backends"][name]["areas"]
    failing = {a for a, c in areas.items() if c["failed"]}
    want = PLANTED[name]
    assert failing == ({want} if want else set()), text[-3000:]
    assert (code != 0) == bool(want), text[-3000:]
    assert "arraybridge conformance" in text and name in text
    assert sum(c["passed"] for c in areas.values()) > (100 if name in FULL else 1000)
    if want:
        assert data["failures"] and all(f["area"] == want for f in data["failures"])
