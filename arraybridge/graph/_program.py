"""A recorded trace, optimised and turned into one Python function of native arrays.

Constant folding happened while recording (calls on constants only were not recorded).
Here the program loses its common subexpressions (the same function on the same values
and arguments, computed once) and its dead code (nodes no output and no variable's new
value depends on), and becomes the source of a function ``run(inputs..., variables...,
constants...) -> (outputs, new variable values)`` that calls the backend's functions
directly, one line per node: no dispatch, no checks, no tape. A backend with a compiler
(JAX) compiles that function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..autodiff._tree import map_leaves
from ._recorder import Node, Recorder, Ref

__all__ = ["Program", "build"]


class Program:
    """The optimised graph of one trace, as generated source and the function it defines."""

    __slots__ = ("consts", "fn", "ops", "source", "stats", "var_in")

    def __init__(
        self,
        fn: Callable[..., Any],
        source: str,
        ops: list[str],
        var_in: list[Any],
        consts: tuple[Any, ...],
        stats: dict[str, int],
    ) -> None:
        self.fn = fn
        self.source = source
        self.ops = ops
        self.var_in = var_in
        self.consts = consts
        self.stats = stats


def _hashable(t: Any, canon: dict[int, int]) -> Any:
    """A hashable key of an argument template (None where it holds an unhashable value)."""
    ta = type(t)
    if ta is Ref:
        return ("r", canon.get(t.slot, t.slot))
    if ta is list or ta is tuple or isinstance(t, tuple):
        return (ta.__name__, *(_hashable(b, canon) for b in t))
    if ta is dict:
        return ("d", *((k, _hashable(v, canon)) for k, v in t.items()))
    if ta is slice:
        return ("s", _hashable(t.start, canon), _hashable(t.stop, canon), _hashable(t.step, canon))
    try:
        hash(t)
    except TypeError:
        return ("o", id(t))
    return ("l", ta, t)


def _rewrite(t: Any, canon: dict[int, int]) -> Any:
    """An argument template with its references made canonical."""

    def leaf(a: Any) -> Any:
        if type(a) is Ref:
            s = canon.get(a.slot)
            return a if s is None else Ref(s)
        if type(a) is slice:
            return slice(leaf(a.start), leaf(a.stop), leaf(a.step))
        return a

    return map_leaves(leaf, t)


def _cse(rec: Recorder) -> tuple[list[Node], dict[int, int]]:
    """Drop nodes that repeat an earlier node's call; ``canon`` maps their slots to its."""
    canon: dict[int, int] = {}
    seen: dict[Any, int] = {}
    kept: list[Node] = []
    written = rec.written
    for node in rec.nodes:
        if canon:
            node.args = _rewrite(node.args, canon)
            node.kwargs = _rewrite(node.kwargs, canon)
        if node.copy_first is None and node.name != "setitem" and node.out not in written:
            if node.item >= 0:
                key: Any = ("item", node.args[0].slot, node.item)
            else:
                key = (id(node.fn), _hashable(node.args, canon), _hashable(node.kwargs, canon))
            first = seen.get(key)
            if first is not None:
                canon[node.out] = first
                continue
            seen[key] = node.out
        kept.append(node)
    return kept, canon


def _dce(nodes: list[Node], needed: set[int]) -> list[Node]:
    """The nodes an output depends on, in their order."""
    live: list[Node] = []
    for node in reversed(nodes):
        if node.out in needed:
            live.append(node)
            needed.update(node.refs())
    live.reverse()
    return live


def build(
    rec: Recorder,
    outputs: Sequence[int],
    var_out: Sequence[tuple[Any, int]],
    name: str,
) -> tuple[Program, list[int], list[tuple[Any, int]]]:
    """Optimise ``rec``'s nodes for ``outputs`` and the variables' new values, and codegen.

    Returns the program and the outputs and variable writes with slots made canonical.
    """
    recorded = len(rec.nodes)
    nodes, canon = _cse(rec)
    outputs = [canon.get(s, s) for s in outputs]
    var_out = [(v, canon.get(s, s)) for v, s in var_out]
    var_out = [(v, s) for v, s in var_out if not (s in rec.var_entry and rec.var_entry[s] is v)]
    after_cse = len(nodes)
    nodes = _dce(nodes, set(outputs) | {s for _, s in var_out})

    # Parameters: the tensor arguments' arrays, the variables' values at entry, constants.
    names: dict[int, str] = {}
    params: list[str] = []
    for i, s in enumerate(rec.inputs):
        names[s] = f"a{i}"
        params.append(names[s])
    used: set[int] = set(outputs) | {s for _, s in var_out}
    for node in nodes:
        used.update(node.refs())

    def parameters(prefix: str, values: dict[int, Any]) -> list[Any]:
        """Name the used slots of ``values`` as parameters; their values, in order."""
        out: list[Any] = []
        for s, value in values.items():
            if s in used:
                names[s] = f"{prefix}{len(out)}"
                params.append(names[s])
                out.append(value)
        return out

    var_in = parameters("w", rec.var_entry)
    consts = parameters("k", rec.consts)
    env: dict[str, Any] = {}
    lines: list[str] = []

    def literal(value: Any) -> str:
        if value is None or type(value) in (bool, int, str):
            return repr(value)
        key = f"l{len(env)}"
        env[key] = value
        return key

    def expr(t: Any) -> str:
        ta = type(t)
        if ta is Ref:
            return names[t.slot]
        if ta is list:
            return "[" + ", ".join(expr(b) for b in t) + "]"
        if ta is tuple:
            return "(" + "".join(expr(b) + ", " for b in t) + ")"
        if isinstance(t, tuple) and hasattr(t, "_fields"):
            return literal(ta) + "(" + ", ".join(expr(b) for b in t) + ")"
        if ta is dict:
            return "{" + ", ".join(f"{k!r}: {expr(v)}" for k, v in t.items()) + "}"
        if ta is slice and any(type(b) is Ref for b in (t.start, t.stop, t.step)):
            return f"slice({expr(t.start)}, {expr(t.stop)}, {expr(t.step)})"
        return literal(t)

    # Each intermediate is dropped right after its last use, as eager code drops it: the
    # memory is reused at once (no new pages per op) and the peak stays the eager one.
    kept = set(outputs) | {s for _, s in var_out}
    last: dict[int, int] = {}
    for i, node in enumerate(nodes):
        for s in node.refs():
            last[s] = i
    dying: dict[int, list[str]] = {}
    for i, node in enumerate(nodes):
        if node.out not in kept:
            dying.setdefault(last.get(node.out, i), []).append(f"v{node.out}")
    ops: list[str] = []
    for i, node in enumerate(nodes):
        out = names[node.out] = f"v{node.out}"
        if node.item >= 0:
            lines.append(f"{out} = {expr(node.args[0])}[{node.item}]")
        else:
            fn = literal(node.fn)
            args = [expr(a) for a in node.args]
            if node.copy_first is not None:
                args[0] = f"{literal(node.copy_first)}({args[0]})"
            args += [f"{k}={expr(v)}" for k, v in node.kwargs.items()]
            lines.append(f"{out} = {fn}({', '.join(args)})")
            ops.append(node.name)
        if i in dying:
            lines.append(f"del {', '.join(dying[i])}")
    outs = "(" + "".join(names[s] + ", " for s in outputs) + ")"
    vouts = "(" + "".join(names[s] + ", " for _, s in var_out) + ")"
    body = "\n".join(f"    {line}" for line in lines)
    source = f"def {name}({', '.join(params)}):\n{body}\n    return {outs}, {vouts}\n"
    exec(compile(source, f"<ab.function {name}>", "exec"), env)
    stats = {
        "recorded": recorded,
        "after_cse": after_cse,
        "after_dce": sum(1 for n in nodes if n.item < 0),
        "constants": len(consts),
    }
    program = Program(env[name], source, ops, var_in, tuple(consts), stats)
    return program, outputs, var_out
