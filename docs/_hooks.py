"""MkDocs hook: the Performance page's plot, when ``benchmarks/results/overhead.png`` exists.

``<!-- plot: NAME.png -->`` in a page becomes the image from ``benchmarks/results/`` (copied
into the site next to the page) or, when no run has made it yet, a line saying how to make it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "results"
_PLOT = re.compile(r"<!-- plot: ([\w.-]+\.png) -->")


def on_files(files: Files, config: Any) -> Files:
    for png in sorted(RESULTS.glob("*.png")):
        files.append(File.generated(config, f"benchmarks/{png.name}", abs_src_path=str(png)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    def plot(m: re.Match[str]) -> str:
        name = m.group(1)
        if (RESULTS / name).is_file():
            depth = page.file.src_uri.count("/")
            return f"![{name}]({'../' * depth}benchmarks/{name})"
        return f"*No plot yet: `benchmarks/results/{name}` appears when a benchmark run makes it.*"

    return _PLOT.sub(plot, markdown)
