"""The recorded graph: nodes hang off the tensors they made, and backward walks them.

A tensor made by a recorded op carries ``_node``: the op's VJP rules, frozen aliases of
its inputs (new tensor objects sharing the inputs' buffers, so a later standard-semantics
write to an input cannot change what the rule sees), an alias of its result, and the set
of tapes that recorded it. The graph is held by the tensors, not by the tapes, so a
tensor that cannot reach a target dies with its last reference, and there are no
reference cycles: a node refers to its inputs and to an alias of its result that has no
node of its own (the alias is attached to the node only while the node's rule runs, so
that rules using the result are themselves differentiable).
"""

from __future__ import annotations

import itertools
import operator
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .. import _config, _recording
from .._dispatch import wrap
from .._dtypes import FLOATING
from .._tensor import Tensor

__all__ = ["Leaf", "Node", "attach", "backward", "paused", "current", "record", "record_write"]

_new = object.__new__
_ACTIVE = _recording.ACTIVE
_SEQ = itertools.count()


class Node:
    """One recorded op (or, with ``rule`` None, a leaf: a watched tensor or a variable read)."""

    __slots__ = (
        "ans",
        "args",
        "edges",
        "kwargs",
        "name",
        "rules",
        "selects",
        "seq",
        "tapes",
        "var",
    )

    name: str
    rules: dict[int | str, Any] | None
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    ans: Any  # an alias of the result (a Tensor, or a tuple of them), without a node
    tapes: set[int]
    var: Any  # the Variable a leaf reads, else None
    selects: tuple[Node, ...] | None  # per-output nodes of a multi-output op
    edges: tuple[tuple[int | str, int, Node], ...]  # (argument key, position or -1, input)
    seq: int  # creation order: a node's inputs were all made before it

    def __init__(
        self,
        name: str,
        tapes: set[int],
        rules: dict[int | str, Any] | None = None,
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        edges: tuple[tuple[int | str, int, Node], ...] = (),
        ans: Any = None,
    ) -> None:
        self.name = name
        self.rules = rules
        self.args = args
        self.edges = edges
        self.kwargs = {} if kwargs is None else kwargs
        self.ans = ans
        self.tapes = tapes
        self.var = None
        self.selects = None
        self.seq = next(_SEQ)

    def release(self) -> None:
        """Drop what the node holds (after a non-persistent tape's gradient)."""
        self.rules = None
        self.args = ()
        self.edges = ()
        self.kwargs = {}
        self.ans = None
        self.selects = None

    def parents(self) -> tuple[tuple[int | str, int, Node], ...]:
        """(argument key, position in a sequence argument or -1, input node)."""
        return self.edges


def _edges(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[int | str, int, Node], ...]:
    out: list[tuple[int | str, int, Node]] = []
    for i, a in enumerate(args):
        out.extend(_arg_nodes(i, a))
    for k, a in kwargs.items():
        out.extend(_arg_nodes(k, a))
    return tuple(out)

    def __repr__(self) -> str:
        return f"<Node {self.name}>"


def _arg_nodes(key: int | str, a: Any) -> Iterator[tuple[int | str, int, Node]]:
    if isinstance(a, Tensor):
        n = getattr(a, "_node", None)
        if n is not None:
            yield key, -1, n
    elif type(a) in (list, tuple):
        for j, b in enumerate(a):
            if isinstance(b, Tensor):
                n = getattr(b, "_node", None)
                if n is not None:
                    yield key, j, n


def Leaf(tapes: set[int], var: Any = None) -> Node:
    """A leaf node: a watched tensor, or one read of a variable."""
    n = Node("leaf", tapes)
    n.var = var
    return n


# -- per-thread recording state ------------------------------------------------------------


class _State:
    """One thread's recording state (a plain slotted object: updating a ``threading.local``'s
    attributes costs several times more, and ``record`` does it for every op)."""

    __slots__ = ("ids", "paused", "tapes", "wanted")

    def __init__(self) -> None:
        self.tapes: list[Any] = []  # GradientTapes recording in this thread, innermost last
        self.paused = 0
        self.wanted: frozenset[int | str] | None = None  # see wanted()
        self.ids: set[int] | None = None  # the recording tapes' ids (None: to compute)


_local = threading.local()


def current() -> _State:
    """This thread's recording state."""
    try:
        st: _State = _local.state
    except AttributeError:
        st = _local.state = _State()
    return st


def wanted(key: int | str) -> bool:
    """Inside a joint rule (``defvjp_all``): whether argument ``key``'s cotangent is needed
    (a rule may return None for the others and skip their work)."""
    w = current().wanted
    return w is None or key in w


@contextmanager
def paused() -> Iterator[None]:
    """Record nothing in this thread inside the block (an op's own internals)."""
    st = current()
    st.paused += 1
    try:
        yield
    finally:
        st.paused -= 1


def _alias(t: Tensor, node: Node | None) -> Tensor:
    """A new tensor object on ``t``'s buffer (copy-on-write protects it), with ``node``."""
    a: Tensor = _new(Tensor)
    a._node = None
    a._data = t._data
    a._dtype = t._dtype
    a._dev = t._dev
    a._shared = True
    t._shared = True
    if node is not None:
        a._node = node
    return a


_VARIABLE: list[type] = []


def is_variable(a: Any) -> bool:
    """Whether ``a`` is an :class:`arraybridge.Variable`."""
    if not _VARIABLE:
        try:
            from .._variable import Variable
        except ImportError:  # during the variables' own development
            return False
        _VARIABLE.append(Variable)
    return isinstance(a, _VARIABLE[0])


def read_variable(v: Any, tapes: Sequence[Any]) -> Tensor:
    """A snapshot of variable ``v``; a leaf of the tapes that watch it (TensorFlow's rule:
    explicitly watched, or trainable and read under a tape watching accessed variables)."""
    vid = id(v)
    watching: set[int] | None = None
    for t in tapes:
        seen = t._vars
        if vid not in seen:
            if not (t._watch_accessed and v._trainable):
                continue
            seen[vid] = v
        if watching is None:
            watching = {t._id}
        else:
            watching.add(t._id)
    return _alias(v, Leaf(watching, v) if watching is not None and v._dtype in FLOATING else None)


def _freeze(a: Any, ids: set[int], tapes: list[Any], found: set[int]) -> Any:
    """Argument ``a`` as the rule will see it; adds the ids of tapes tracking it to found."""
    if isinstance(a, Tensor):
        if type(a) is not Tensor and is_variable(a):
            snap = read_variable(a, tapes)
            node = getattr(snap, "_node", None)
            if node is not None:
                found |= node.tapes
            return snap
        node = getattr(a, "_node", None)
        if node is not None and node.tapes & ids:
            found |= node.tapes & ids
            return _alias(a, node)
        return _alias(a, None)
    if type(a) in (list, tuple) and any(isinstance(b, Tensor) for b in a):
        return type(a)(_freeze(b, ids, tapes, found) for b in a)
    return a


def record(name: str, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run op ``name`` and, when an input is tracked by a recording tape, record it."""
    st = current()
    if st.paused or not st.tapes:
        return fn(*args, _raw=True, **kwargs)
    rules = _recording.RULES.get(name)
    if rules is None and name in _recording.COMPOSITE:
        return fn(*args, _raw=True, **kwargs)  # its own ops are recorded one by one
    tapes = st.tapes
    ids = st.ids
    if ids is None:
        ids = st.ids = {t._id for t in tapes}
    # The common case in one pass: positional tensors (a variable is read here) and plain
    # values, keyword arguments without tensors. The op runs on the arguments themselves;
    # the node keeps aliases of only the arguments its rules read (see _keep).
    call = args
    nodes: list[Node | None] = []
    found: set[int] | None = None
    mask = 0  # the tracked positions
    snaps = 0  # the positions holding a variable's snapshot (already an alias)
    for i, a in enumerate(args):
        ta = type(a)
        if ta is Tensor:
            n = getattr(a, "_node", None)
            if n is not None:
                s = n.tapes & ids
                if s:
                    found = s if found is None else found | s
                    mask |= 1 << i
                else:
                    n = None
            nodes.append(n)
        elif ta in _PLAIN:
            nodes.append(None)
        elif isinstance(a, Tensor):
            if not is_variable(a):
                return _record_any(name, rules, fn, args, kwargs, ids, tapes)
            snap = read_variable(a, tapes)
            if call is args:
                call = list(args)  # type: ignore[assignment]
            call[i] = snap  # type: ignore[index]
            snaps |= 1 << i
            n = getattr(snap, "_node", None)
            if n is not None:
                found = set(n.tapes) if found is None else found | n.tapes
                mask |= 1 << i
            nodes.append(n)
        elif (ta is tuple or ta is list) and any(isinstance(b, Tensor) for b in a):
            return _record_any(name, rules, fn, args, kwargs, ids, tapes)
        else:
            nodes.append(None)
    if kwargs:
        for v in kwargs.values():
            if type(v) not in _PLAIN and (
                isinstance(v, Tensor)
                or (type(v) in (list, tuple) and any(isinstance(b, Tensor) for b in v))
            ):
                return _record_any(name, rules, fn, args, kwargs, ids, tapes)
    st.paused += 1
    try:
        out = fn(*call, _raw=True, **kwargs)
    finally:
        st.paused -= 1
    if found is None or rules is None:
        return out  # nothing tracked, or no gradient (NONDIFF, integer results)
    if type(out) is not Tensor:  # several results (or a subclass): the general route
        full = tuple(
            a if (snaps >> i & 1 or type(a) is not Tensor) else _alias(a, nodes[i])
            for i, a in enumerate(call)
        )
        return attach(name, rules, full, kwargs, _unalias(out, call), found)
    if out._dtype not in FLOATING:
        return out
    hit = _KEEP.get((id(rules), mask))
    ans_needed, needed = hit[1] if hit is not None and hit[0] is rules else _keep(rules, mask)
    fargs: list[Any] = []
    edges: list[tuple[int | str, int, Node]] = []
    for i, a in enumerate(call):
        if type(a) is not Tensor:
            fargs.append(a)
            continue
        n = nodes[i]
        if n is not None:
            edges.append((i, -1, n))
        if needed is None or i in needed:
            fargs.append(a if snaps >> i & 1 else _alias(a, n))
        elif n is not None:
            fargs.append(_stub(a, n))
        else:
            fargs.append(None)  # untracked and unread: no rule will see it
        if a is out:  # an op that returned its input: the result is a new object
            out = _alias(out, None)
    # (Node's __init__ spelled out: this runs for every recorded op)
    node: Node = _new(Node)
    node.name = name
    node.rules = rules
    node.args = tuple(fargs)
    node.edges = tuple(edges)
    node.kwargs = kwargs
    node.ans = _alias(out, None) if ans_needed else None
    node.tapes = found
    node.var = None
    node.selects = None
    node.seq = next(_SEQ)
    out._node = node
    return out


_PLAIN = frozenset({int, float, bool, complex, str, type(None), slice, type(Ellipsis)})


def _unalias(out: Any, inputs: Sequence[Any]) -> Any:
    """``out`` (a tuple of results) with any result that is an input replaced by an alias."""
    if isinstance(out, tuple) and any(o is a for o in out for a in inputs):
        items = [_alias(o, None) if any(o is a for a in inputs) else o for o in out]
        return type(out)(*items) if hasattr(out, "_fields") else tuple(items)
    return out


def _record_any(
    name: str,
    rules: dict[int | str, Any] | None,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    ids: set[int],
    tapes: list[Any],
) -> Any:
    """``record`` for any arguments (tensors in sequences or keywords, tensor subclasses)."""
    st = current()
    found: set[int] = set()
    fargs = tuple(_freeze(a, ids, tapes, found) for a in args)
    fkwargs = {k: _freeze(v, ids, tapes, found) for k, v in kwargs.items()} if kwargs else kwargs
    st.paused += 1
    try:
        out = fn(*fargs, _raw=True, **fkwargs)
    finally:
        st.paused -= 1
    if not found or rules is None:
        return out  # nothing tracked, or no gradient (NONDIFF, integer results)
    return attach(name, rules, fargs, fkwargs, out, found)


def record_write(name: str, write: Callable[..., None], x: Tensor, args: tuple[Any, ...]) -> None:
    """Run the in-place write ``write(x, *args, _raw=True)`` (``x[key] = value``) and, when
    ``x`` or an argument is tracked by a recording tape, record it as a functional update:
    ``x`` gets a new node (op ``name``) whose inputs are a frozen alias of ``x``'s old value
    (the alias makes the write copy first) and the arguments; the old node stays with the
    alias, so what was recorded before still sees the old values."""
    st = current()
    if st.paused or not st.tapes:
        write(x, *args, _raw=True)
        return
    tapes = st.tapes
    ids = {t._id for t in tapes}
    found: set[int] = set()
    fargs = tuple(_freeze(a, ids, tapes, found) for a in args)
    node = getattr(x, "_node", None)
    tracked = node is not None and bool(node.tapes & ids)
    rules = _recording.RULES.get(name)
    if rules is None or x._dtype not in FLOATING or not (found or tracked):
        st.paused += 1
        try:
            write(x, *fargs, _raw=True)
        finally:
            st.paused -= 1
        return
    old = _freeze(x, ids, tapes, found)
    st.paused += 1
    try:
        write(x, *fargs, _raw=True)
    finally:
        st.paused -= 1
    attach(name, rules, (old, *fargs), {}, x, found)


def attach(
    name: str,
    rules: dict[int | str, Any],
    fargs: tuple[Any, ...],
    fkwargs: dict[str, Any],
    out: Any,
    found: set[int],
) -> Any:
    """Make ``out`` (a tensor or tuple of tensors) the result of a recorded node."""
    node = Node(name, found)
    node.rules = rules
    edges = _edges(fargs, fkwargs)
    node.edges = edges
    inputs = {id(t) for t in _tensors(fargs, fkwargs)}
    # Keep only what the rules of the tracked arguments read (the rest is freed with its
    # last user; a shape-only stand-in keeps what the tape itself needs).
    ans_needed, needed = _needs(rules, frozenset(k for k, _, p in edges if p.tapes & found))
    if needed is not None:
        fargs = tuple(a if i in needed else _strip(a) for i, a in enumerate(fargs))
        if fkwargs:
            fkwargs = {k: (a if k in needed else _strip(a)) for k, a in fkwargs.items()}
    node.args = fargs
    node.kwargs = fkwargs
    if isinstance(out, Tensor):
        if out._dtype not in FLOATING:
            return out
        if id(out) in inputs:  # an op that returned its input: the result is a new object
            out = _alias(out, None)
        node.ans = _alias(out, None) if ans_needed else None
        out._node = node
        return out
    if isinstance(out, tuple):
        out = (
            type(out)(*(_alias(o, None) if id(o) in inputs else o for o in out))
            if hasattr(out, "_fields")
            else tuple(_alias(o, None) if id(o) in inputs else o for o in out)
        )
        node.ans = tuple(_alias(o, None) for o in out)
        selects = []
        for i, o in enumerate(out):
            s = Node(f"{name}[{i}]", set(found))
            s.rules = {0: _select_rule(i, len(out))}
            s.args = (_alias(o, node),)  # an input carrying the multi-output node
            s.edges = ((0, -1, node),)
            selects.append(s)
            if o._dtype in FLOATING:
                o._node = s
        node.selects = tuple(selects)
        return out
    return out


def _tensors(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Iterator[Tensor]:
    for a in (*args, *kwargs.values()):
        if isinstance(a, Tensor):
            yield a
        elif type(a) in (list, tuple):
            yield from (b for b in a if isinstance(b, Tensor))


class _ShapeOnly:
    """The data of an argument no rule reads: its shape, for unbroadcasting, and nothing
    more (a rule that read it after all would fail loudly, not compute garbage)."""

    __slots__ = ("ndim", "shape")

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape
        self.ndim = len(shape)


_SHAPES: dict[tuple[int, ...], _ShapeOnly] = {}


def _shape_only(shape: tuple[int, ...]) -> _ShapeOnly:
    """The (shared, never modified) stand-in for arguments of ``shape``."""
    s = _SHAPES.get(shape)
    if s is None:
        if len(_SHAPES) >= 4096:  # (a program of ever-new shapes: keep the cache bounded)
            _SHAPES.clear()
        s = _SHAPES[shape] = _ShapeOnly(shape)
    return s


def _stub(a: Tensor, node: Node) -> Tensor:
    """A shape-only stand-in of tensor ``a`` (see _ShapeOnly), carrying ``node``."""
    t: Tensor = _new(Tensor)
    t._data = _shape_only(tuple(a._data.shape))
    t._dtype = a._dtype
    t._dev = a._dev
    t._shared = False
    t._node = node
    return t


def _strip(a: Any) -> Any:
    if isinstance(a, Tensor):
        t: Tensor = _new(Tensor)
        t._node = None
        t._data = _shape_only(tuple(a._data.shape))
        t._dtype = a._dtype
        t._dev = a._dev
        t._shared = False
        node = getattr(a, "_node", None)
        if node is not None:
            t._node = node
        return t
    if type(a) in (list, tuple):
        return type(a)(_strip(b) for b in a)
    return a


_NEEDS: dict[
    tuple[int, frozenset[int | str]],
    tuple[dict[int | str, Any], tuple[bool, frozenset[int | str] | None]],
] = {}


_KEEP: dict[
    tuple[int, int],
    tuple[dict[int | str, Any], tuple[bool, frozenset[int | str] | None]],
] = {}


def _keep(rules: dict[int | str, Any], mask: int) -> tuple[bool, frozenset[int | str] | None]:
    """:func:`_needs` for the tracked positions given as a bit mask (record's fast path)."""
    key = (id(rules), mask)
    hit = _KEEP.get(key)
    if hit is not None and hit[0] is rules:
        return hit[1]
    out = _needs(rules, frozenset(i for i in range(mask.bit_length()) if mask >> i & 1))
    _KEEP[key] = (rules, out)
    return out


def _needs(
    rules: dict[int | str, Any], tracked: frozenset[int | str]
) -> tuple[bool, frozenset[int | str] | None]:
    """Whether the rules of the ``tracked`` arguments read the result, and which arguments
    they read (None: all, when that cannot be told), from the rules' bytecode."""
    key = (id(rules), tracked)
    hit = _NEEDS.get(key)
    if hit is not None and hit[0] is rules:  # (the dict itself: an id can be reused)
        return hit[1]
    ks = ["*"] if "*" in rules else sorted(tracked, key=str)
    ans = False
    needed: set[int | str] | None = set()
    for k in ks:
        rule = rules.get(k)
        if rule is None:
            continue
        used = _reads(rule)
        if used is None:
            ans, needed = True, None
            break
        ans = ans or used[0]
        assert needed is not None
        needed |= used[1]
    out = (ans, None if needed is None else frozenset(needed))
    _NEEDS[key] = (rules, out)
    return out


def _reads(rule: Any) -> tuple[bool, set[int | str]] | None:
    """(reads the result, keys of the arguments it reads) of rule(g, ans, *args, **kwargs)."""
    import dis

    code = getattr(rule, "__code__", None)
    if code is None or code.co_flags & 0x0C:  # no bytecode, or *args / **kwargs
        return None
    params = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    if len(params) < 2:
        return None
    used: set[str] = set(code.co_cellvars)
    for ins in dis.get_instructions(code):
        if ins.opname.startswith("LOAD"):
            v = ins.argval
            used.update(v if isinstance(v, tuple) else (v,))
    keys: set[int | str] = set()
    for pos, name in enumerate(params[2:]):
        if name in used:
            keys.add(name)
            if pos < code.co_argcount - 2:
                keys.add(pos)
    # positional arguments beyond the rule's parameters cannot be told apart: keep them
    keys.update(range(code.co_argcount - 2, 64))
    return params[1] in used, keys


def _select_rule(i: int, n: int) -> Callable[..., Any]:
    def rule(g: Any, ans: Any, x: Any) -> Any:
        return _Parts(i, n, g)

    return rule


class _Parts:
    """The cotangent of one output of a multi-output op (the others are zero)."""

    __slots__ = ("g", "i", "n")

    def __init__(self, i: int, n: int, g: Any) -> None:
        self.i, self.n, self.g = i, n, g


# -- backward --------------------------------------------------------------------------------


def _topo(roots: Sequence[Node], tid: int) -> list[Node]:
    """Nodes reachable from ``roots`` through nodes of tape ``tid``, inputs before users."""
    seen = {r for r in roots if tid in r.tapes}  # (nodes hash by identity)
    stack = list(seen)
    order: list[Node] = []
    while stack:
        node = stack.pop()
        order.append(node)
        for _, _, p in node.edges:
            if p not in seen and tid in p.tapes:
                seen.add(p)
                stack.append(p)
    # Creation order is a topological order (an op's inputs exist before its node does),
    # and sorting by it is cheaper than a depth-first post-order.
    order.sort(key=_BY_SEQ)
    return order


_BY_SEQ = operator.attrgetter("seq")


_OPS_FROM: dict[str, str] = {
    "add": "elementwise",
    "real": "elementwise",
    "sum": "statistical",
    "reshape": "manipulation",
    "astype": "data_type",
    "full": "creation",
    "zeros_like": "creation",
    "ones_like": "creation",
}


class _Ops:
    """The ops the tape itself calls, each imported on first use (the ops modules import
    this package, so it cannot import them at load time)."""

    def __getattr__(self, name: str) -> Any:
        import importlib

        mod = _OPS_FROM.get(name)
        if mod is None:
            raise AttributeError(name)
        fn = getattr(importlib.import_module(f"..ops.{mod}", __package__), name)
        setattr(self, name, fn)  # found without __getattr__ from now on
        return fn


_ops = _Ops()


def _add(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, _Parts) or isinstance(a, list):
        parts = a if isinstance(a, list) else _expand(a)
        other = b if isinstance(b, list) else _expand(b)
        return [_add(x, y) for x, y in zip(parts, other, strict=True)]
    if isinstance(b, _Parts):
        return _add(b, a)
    return _ops.add(a, b)


def _expand(p: _Parts) -> list[Any]:
    out: list[Any] = [None] * p.n
    out[p.i] = p.g
    return out


def _fit(cot: Any, x: Tensor) -> Any:
    """``cot`` as the cotangent of input ``x``: unbroadcast to its shape, of its dtype."""
    if cot is None:
        return None
    if (
        type(cot) is Tensor
        and cot._dtype is x._dtype
        and cot._dev is x._dev
        and cot._data.shape == x._data.shape
    ):
        return cot
    if not isinstance(cot, Tensor):
        cot = _ops.full(x.shape, cot, dtype=x._dtype, device=x._dev)
    cs, xs = tuple(cot._data.shape), tuple(x._data.shape)
    if cs != xs:
        # one sum over the broadcast axes: the leading ones dropped, the size-1 ones kept
        lead = len(cs) - len(xs)
        ones = (
            tuple([lead + i for i, n in enumerate(xs) if n == 1 and cs[lead + i] != 1])
            if lead >= 0 and 1 in xs
            else ()
        )
        if lead > 0 and not ones:
            cot = _sum(cot, tuple(range(lead)), False)
        elif ones:
            cot = _sum(cot, tuple(range(lead)) + ones, True)
        if tuple(cot._data.shape) != xs:
            cot = _ops.reshape(cot, xs)
    if cot._dtype is not x._dtype:
        if cot._dtype._kind == "c" and x._dtype._kind != "c":
            cot = _ops.real(cot)
        if cot._dtype is not x._dtype:
            cot = _ops.astype(cot, x._dtype)
    return cot


def _sum(cot: Tensor, axes: tuple[int, ...], keepdims: bool) -> Tensor:
    """``sum(cot, axis=axes, keepdims=keepdims)``; straight to the backend (the axes are
    valid and the dtype kept) unless a tape records the backward pass (higher order)."""
    if _ACTIVE[0] or type(cot) is not Tensor:
        return _ops.sum(cot, axis=axes, keepdims=keepdims)  # type: ignore[no-any-return]
    dev = cot._dev
    data = dev.fns["sum"](
        cot._data, axis=axes, keepdims=keepdims, dtype=dev.backend.to_native[cot._dtype]
    )
    return wrap(data, cot._dtype, cot)


def _materialize(g: Any, ans: Any) -> Any:
    """A multi-output cotangent as a tuple with zeros for the outputs not reached."""
    parts = g if isinstance(g, list) else _expand(g)
    return tuple(
        p if p is not None else (_ops.zeros_like(a) if a._dtype in FLOATING else None)
        for p, a in zip(parts, ans, strict=True)
    )


def backward(
    tid: int,
    seeds: Sequence[tuple[Node, Any]],
    wanted: Sequence[Node],
    variables: set[int],
    free: bool = False,
) -> tuple[dict[int, Any], dict[int, Any]]:
    """Cotangents given seeds at target nodes: of the ``wanted`` nodes (by node id) and of
    the variables whose ids are in ``variables`` (summed over their reads, by variable id).

    With ``free`` (a non-persistent tape's only gradient), tape ``tid`` lets go of every
    node it reaches, each as soon as its cotangent has been passed on, so what the forward
    pass saved is freed during the backward pass, not after it.
    """
    roots = [n for n, _ in seeds]
    order = _topo(roots, tid)
    grads: dict[int, Any] = {}
    for n, g in seeds:
        grads[id(n)] = _add(grads.get(id(n)), g)
    want = {id(n) for n in wanted}
    out: dict[int, Any] = {}
    var_out: dict[int, Any] = {}
    # (_config.semantics("standard") without the context manager's generator)
    token = _config._local.set("standard")
    try:
        for node in reversed(order):
            g = grads.pop(id(node), None)
            if g is not None:
                if id(node) in want:
                    out[id(node)] = g
                if node.var is not None and id(node.var) in variables:
                    var_out[id(node.var)] = _add(var_out.get(id(node.var)), g)
                if node.rules is not None:
                    _propagate(node, g, tid, grads)
            if free:
                node.tapes.discard(tid)
                if not node.tapes:
                    node.release()
    finally:
        _config._local.reset(token)
    return out, var_out


def _propagate(node: Node, g: Any, tid: int, grads: dict[int, Any]) -> None:
    rules = node.rules
    assert rules is not None
    ans = node.ans
    multi = node.selects is not None
    if multi:
        g = _materialize(g, ans)
        for a, s in zip(ans, node.selects or (), strict=True):
            if a._dtype in FLOATING:
                a._node = s
    elif ans is not None:
        ans._node = node
    args, kwargs = node.args, node.kwargs
    joint = rules.get("*")  # one rule for all arguments: a sequence of cotangents
    cots: Any = None
    done = False  # whether the joint rule has run
    cache: dict[int | str, Any] | None = None  # per-argument results for sequence arguments
    try:
        for key, j, parent in node.edges:
            if tid not in parent.tapes:
                continue
            if joint is not None:
                if not done:
                    st = current()
                    before = st.wanted
                    st.wanted = frozenset([k for k, _, p in node.edges if tid in p.tapes])
                    try:
                        cots = joint(g, ans, *args, **kwargs)
                    finally:
                        st.wanted = before
                    done = True
                cot = cots[key] if type(key) is int else None
            elif j < 0:  # one edge per argument: no cache needed
                rule = rules.get(key)
                if rule is None:
                    continue
                cot = rule(g, ans, *args, **kwargs)
            else:
                rule = rules.get(key)
                if rule is None:
                    continue
                if cache is None:
                    cache = {}
                if key not in cache:  # one call per argument, also for a sequence argument
                    cache[key] = rule(g, ans, *args, **kwargs)
                cot = cache[key]
            x = args[key] if isinstance(key, int) else kwargs[key]
            if j >= 0:
                cot = cot[j] if cot is not None else None
                x = x[j]
            if cot is None:
                continue
            if type(cot) is Tensor:
                if not (
                    cot._dtype is x._dtype
                    and cot._dev is x._dev
                    and cot._data.shape == x._data.shape
                ):
                    cot = _fit(cot, x)
            elif isinstance(cot, _Parts | list):
                grads[id(parent)] = _add(grads.get(id(parent)), cot)
                continue
            else:
                cot = _fit(cot, x)
            pid = id(parent)
            prev = grads.get(pid)
            grads[pid] = cot if prev is None else _add(prev, cot)
    finally:
        if multi:
            for a in ans:
                a._node = None
        elif ans is not None:
            ans._node = None


def release(tid: int, roots: Sequence[Node]) -> None:
    """Forget tape ``tid`` on every node it reaches; free nodes no tape needs any more."""
    for node in _topo(roots, tid):
        node.tapes.discard(tid)
        if not node.tapes:
            node.release()
