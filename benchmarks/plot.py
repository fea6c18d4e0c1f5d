"""The overhead plot: each implementation's time over the raw backend call, against size.

One panel per op; in each, one line per backend for arraybridge (solid) and arraybridge with
a tape recording (dotted), and the NumPy peers (dashed, grey). Log-log axes; the line at
1.0x is the raw call. Needs matplotlib (the ``bench`` extra); without it the plot is skipped
with a message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.dispatch import OPS, PEER, RAW, SIZES, TAPE

COLOURS = {"numpy": "tab:blue", "jax": "tab:orange", "cupy": "tab:green"}
PEER_COLOURS = {"array_api_strict": "0.35", "array_api_compat": "0.65"}


def overhead(records: list[dict[str, Any]], path: str | Path) -> Path | None:
    """Draw the dispatch records' ratios into ``path`` (PNG); None when matplotlib is absent."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter, NullFormatter
    except ImportError:
        return None
    dispatch = [r for r in records if r["section"] == "dispatch"]
    ops = list(OPS)
    cols = 3
    rows = -(-len(ops) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    handles: dict[str, Any] = {}
    for ax, op in zip(axes.flat, ops, strict=False):
        for record in dispatch:
            backend = record["backend"]
            lines: dict[tuple[str, str], list[tuple[int, float]]] = {}
            for m in record["results"]:
                if m["op"] == op and m["kind"] != RAW:
                    lines.setdefault((m["impl"], m["kind"]), []).append((m["size"], m["ratio"]))
            for (impl, kind), points in lines.items():
                points.sort()
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                if kind == PEER:
                    label, style = (
                        f"{impl} (numpy)",
                        {"ls": "--", "color": PEER_COLOURS.get(impl, "0.5")},
                    )
                else:
                    colour = COLOURS.get(backend, None)
                    label = f"arraybridge{' + tape' if kind == TAPE else ''} ({backend})"
                    style = {"ls": ":" if kind == TAPE else "-", "color": colour}
                (h,) = ax.plot(xs, ys, marker="o", ms=3, lw=1.5, **style)
                handles.setdefault(label, h)
        ax.axhline(1.0, color="k", lw=0.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}x"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xticks(list(SIZES))
        ax.set_title(f"{op}", fontsize=10)
        ax.set_xlabel("elements")
        ax.set_ylabel("time / raw backend call")
        ax.grid(True, which="both", alpha=0.3)
    for ax in list(axes.flat)[len(ops) :]:
        ax.set_visible(False)
    order = sorted(handles, key=lambda k: (k.startswith("array_api"), k))
    fig.legend([handles[k] for k in order], order, loc="lower center", ncol=3, fontsize=8)
    first = dispatch[0]["meta"] if dispatch else {}
    fig.suptitle(
        f"arraybridge per-call overhead ({first.get('date', '')}, "
        f"{'--quick' if first.get('quick') else 'full run'}, load {first.get('loadavg_start')})",
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0.1, 1, 0.96))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return out
