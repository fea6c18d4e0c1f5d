"""The `arraybridge` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from arraybridge.cli import main

pytestmark = pytest.mark.single_backend


def test_info(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "arraybridge 0.1.0.dev0 (Array API 2025.12)" in out
    assert "numpy: available, numpy " in out
    assert "devices: numpy:cpu" in out
    assert "dtypes: bool, int8" in out and "complex128" in out


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).with_name("arraybridge")
    r = subprocess.run([str(exe), "info"], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and "Array API 2025.12" in r.stdout


def test_unknown_command_exits_nonzero() -> None:
    with pytest.raises(SystemExit) as err:
        main(["frobnicate"])
    assert err.value.code != 0
