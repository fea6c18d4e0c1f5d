"""Every ```python block of docs/*.md runs, page by page, on every backend.

Blocks of a page share one namespace, in order. A statement whose line ends with a comment
naming an exception (``v[1] = x   # TypeError: ...``) must raise that exception. Blocks that
define a plugin for a library that does not exist (``mylib``) are only compiled.
"""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(p for p in DOCS.glob("*.md") if "```python" in p.read_text())
_RAISES = re.compile(r"#\s*([A-Z]\w*(?:Error|Exception))\b")


def _blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(), re.S)


def _run(block: str, where: str, ns: dict[str, object]) -> None:
    tree = ast.parse(block, where)
    lines = block.splitlines()
    for stmt in tree.body:
        end = stmt.end_lineno or stmt.lineno
        m = _RAISES.search(lines[end - 1])
        code = compile(ast.Module([stmt], []), where, "exec")
        if m is None:
            exec(code, ns)
            continue
        expected = getattr(builtins, m.group(1), None)
        if expected is None:
            import arraybridge

            expected = getattr(arraybridge, m.group(1))
        with pytest.raises(expected):
            exec(code, ns)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # files a page writes (checkpoints) go here
    ns: dict[str, object] = {"__name__": "__docs__"}
    for i, block in enumerate(_blocks(page)):
        where = f"{page.name}, block {i + 1}"
        if "mylib" in block:
            compile(block, where, "exec")
            continue
        _run(block, where, ns)
