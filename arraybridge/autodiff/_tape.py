"""``GradientTape``: TensorFlow's tape, over the graph of :mod:`._graph`."""

from __future__ import annotations

import enum
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from .. import _recording
from .._dtypes import FLOATING
from .._tensor import Tensor
from . import _graph
from ._tree import flatten, unflatten

__all__ = ["GradientTape", "UnconnectedGradients"]

_ids = itertools.count(1)
_active_lock = threading.Lock()
_watch_lock = threading.Lock()  # watch(): attaching a leaf to a tensor other threads may watch


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` gives for a source with no path to the target."""

    NONE = "none"
    ZERO = "zero"
    RAISE = "raise"


def _start(tape: GradientTape) -> None:
    st = _graph.current()
    st.tapes.append(tape)
    st.ids = None
    with _active_lock:
        _recording.ACTIVE[0] += 1


def _stop(tape: GradientTape) -> None:
    st = _graph.current()
    st.tapes.remove(tape)
    st.ids = None
    with _active_lock:
        _recording.ACTIVE[0] -= 1


class GradientTape:
    """Record operations for automatic differentiation (TensorFlow's ``tf.GradientTape``).

    Inside ``with GradientTape() as tape:`` every op on a watched tensor (``tape.watch``)
    or on a trainable variable (read inside the block) is recorded, in this thread only;
    ``tape.gradient(target, sources)`` then gives d(sum of target)/d(source).

    Parameters
    ----------
    persistent : bool
        Allow more than one ``gradient``/``jacobian`` call (else the second raises
        ``RuntimeError``, and the first releases what the tape held).
    watch_accessed_variables : bool
        Watch every trainable variable read while recording (else only ``watch``-ed ones).
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self._id = next(_ids)
        self._persistent = bool(persistent)
        self._watch_accessed = bool(watch_accessed_variables)
        self._vars: dict[int, Any] = {}  # id -> Variable, in the order first watched
        self._recording = False
        self._used = False
        self._thread: int | None = None
        self._roots: list[_graph.Node] = []
        # nodes watch() marked with this tape's id (by id): the mark is taken off again when
        # the tape is done with them, so a long-lived watched tensor does not collect the
        # ids of every tape that ever watched it
        self._marked: dict[int, _graph.Node] = {}

    # -- recording ---------------------------------------------------------------------------
    def __enter__(self) -> GradientTape:
        if self._recording:
            raise RuntimeError("GradientTape: this tape is already recording")
        self._thread = threading.get_ident()
        _start(self)
        self._recording = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._recording:
            _stop(self)
            self._recording = False

    @contextmanager
    def stop_recording(self) -> Iterator[None]:
        """Inside the block, this tape records nothing."""
        if not self._recording:
            raise RuntimeError(
                "GradientTape.stop_recording: the tape is not recording "
                "(use it inside the tape's with-block)"
            )
        _stop(self)
        self._recording = False
        try:
            yield
        finally:
            _start(self)
            self._recording = True

    def reset(self) -> None:
        """Forget everything recorded so far (recording goes on inside the with-block)."""
        self._unmark()
        self._id = next(_ids)
        _graph.current().ids = None
        self._vars.clear()
        self._used = False

    def watch(self, tensor: Any) -> None:
        """Watch a tensor or variable (or a nested list/tuple/dict of them)."""
        for t in flatten(tensor):
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"GradientTape.watch: expected tensors or variables, got {type(t).__name__}"
                )
            if _graph.is_variable(t):
                self._vars.setdefault(id(t), t)
                continue
            if t._dtype not in FLOATING:
                continue  # integer and boolean tensors carry no gradient (TensorFlow warns)
            with _watch_lock:  # else two threads watching t at once could each attach a leaf
                node = getattr(t, "_node", None)
                if node is None:
                    node = t._node = _graph.Leaf({self._id})
                else:
                    node.tapes.add(self._id)
            self._marked[id(node)] = node

    def _unmark(self) -> None:
        """Take this tape's id off the nodes ``watch`` marked (the tape is done with them)."""
        tid = self._id
        for node in self._marked.values():
            node.tapes.discard(tid)
        self._marked.clear()

    def __del__(self) -> None:
        if getattr(self, "_marked", None):
            self._unmark()

    def watched_variables(self) -> tuple[Any, ...]:
        """The variables this tape watches, in the order first watched."""
        return tuple(self._vars.values())

    # -- gradients -----------------------------------------------------------------------------
    def _check_usable(self, what: str) -> None:
        if self._used and not self._persistent:
            raise RuntimeError(
                f"GradientTape.{what}: a non-persistent tape gives one gradient or jacobian; "
                "use GradientTape(persistent=True) for more"
            )

    def gradient(
        self,
        target: Any,
        sources: Any,
        output_gradients: Any = None,
        unconnected_gradients: UnconnectedGradients | str = UnconnectedGradients.NONE,
    ) -> Any:
        """d(target)/d(sources), in the nesting of ``sources``.

        A non-scalar target is summed (or weighted by ``output_gradients``, of its
        structure); a source with no path to the target gives None, or zeros with
        ``unconnected_gradients="zero"``, or ``ValueError`` with ``"raise"``.
        """
        mode = _mode(unconnected_gradients)
        self._check_usable("gradient")
        flat_src = flatten(sources)
        for s in flat_src:
            if not isinstance(s, Tensor):
                raise TypeError(
                    f"GradientTape.gradient: sources must be tensors or variables, "
                    f"got {type(s).__name__}"
                )
        seeds = _seeds(self._id, target, output_gradients, "GradientTape.gradient")
        grads = self._run(seeds, flat_src, free=not self._persistent)
        out = [_finish(g, s, i, mode) for i, (g, s) in enumerate(zip(grads, flat_src, strict=True))]
        self._done(seeds, freed=not self._persistent)
        return unflatten(sources, out)

    def jacobian(
        self,
        target: Any,
        sources: Any,
        unconnected_gradients: UnconnectedGradients | str = UnconnectedGradients.NONE,
        parallel_iterations: int | None = None,
        experimental_use_pfor: bool = True,
    ) -> Any:
        """d(target[i...])/d(source[j...]): shape ``target.shape + source.shape`` per source."""
        from ..ops.creation import arange, zeros
        from ..ops.data_type import astype
        from ..ops.elementwise import equal
        from ..ops.manipulation import reshape, stack

        mode = _mode(unconnected_gradients)
        self._check_usable("jacobian")
        if not isinstance(target, Tensor):
            raise TypeError(f"GradientTape.jacobian: target must be a tensor, got {type(target)}")
        flat_src = flatten(sources)
        node = getattr(target, "_node", None)
        rows: list[list[Any]] = [[] for _ in flat_src]
        n = target.size
        idx = arange(n, device=target.device)
        for k in range(n):
            onehot = reshape(astype(equal(idx, k), target.dtype), target.shape)
            if node is not None and self._id in node.tapes:
                grads = self._run([(node, onehot)], flat_src)
            else:
                grads = [None] * len(flat_src)
            for r, g in zip(rows, grads, strict=True):
                r.append(g)
        out = []
        for i, (s, r) in enumerate(zip(flat_src, rows, strict=True)):
            if all(g is None for g in r):
                out.append(_finish(None, s, i, mode, jac_of=target))
                continue
            filled = [
                g if g is not None else zeros(s.shape, dtype=s.dtype, device=s.device) for g in r
            ]
            out.append(reshape(stack(filled), target.shape + s.shape))
        self._done([(node, None)] if node is not None else [])
        return unflatten(sources, out)

    def _run(
        self, seeds: list[tuple[_graph.Node, Any]], flat_src: list[Any], free: bool = False
    ) -> list[Any]:
        wanted = []
        var_ids: set[int] = set()
        is_var = [_graph.is_variable(s) for s in flat_src]
        for s, v in zip(flat_src, is_var, strict=True):
            if v:
                var_ids.add(id(s))
            else:
                n = getattr(s, "_node", None)
                if n is not None:
                    wanted.append(n)
        pausing = self._recording
        if pausing:
            _stop(self)
        try:
            out, var_out = _graph.backward(self._id, seeds, wanted, var_ids, free)
        finally:
            if pausing:
                _start(self)
        grads = []
        for s, v in zip(flat_src, is_var, strict=True):
            if v:
                grads.append(var_out.get(id(s)) if id(s) in self._vars else None)
            else:
                n = getattr(s, "_node", None)
                grads.append(out.get(id(n)) if n is not None else None)
        return grads

    def _done(self, seeds: list[tuple[_graph.Node, Any]], freed: bool = False) -> None:
        self._used = True
        if not self._persistent:
            if not freed:  # (a freeing backward pass let go of what it reached already)
                _graph.release(self._id, [n for n, _ in seeds])
            self._vars.clear()
            self._unmark()


def _mode(m: UnconnectedGradients | str) -> UnconnectedGradients:
    if type(m) is UnconnectedGradients:
        return m
    try:
        return UnconnectedGradients(m.value if isinstance(m, UnconnectedGradients) else m)
    except ValueError:
        raise ValueError(
            f"unconnected_gradients must be 'none', 'zero' or 'raise', got {m!r}"
        ) from None


def _seeds(tid: int, target: Any, output_gradients: Any, where: str) -> list[tuple[Any, Any]]:
    targets = flatten(target)
    ogs = flatten(output_gradients) if output_gradients is not None else [None] * len(targets)
    if len(ogs) != len(targets):
        raise ValueError(
            f"{where}: output_gradients has {len(ogs)} entries, target has {len(targets)}"
        )
    seeds = []
    for t, og in zip(targets, ogs, strict=True):
        if not isinstance(t, Tensor):
            raise TypeError(f"{where}: target must be tensors, got {type(t).__name__}")
        node = getattr(t, "_node", None)
        if _graph.is_variable(t) or node is None or tid not in node.tapes:
            continue
        if og is None:
            g = _ones(t)
        else:
            from .._convert import operand

            g = og if isinstance(og, Tensor) else operand(og, t, where)
            if g.shape != t.shape:
                raise ValueError(
                    f"{where}: output_gradients shape {g.shape} differs from the target's {t.shape}"
                )
        seeds.append((node, g))
    return seeds


# (device, dtype) -> a 0-d native one: the seed of a scalar target, made once
_ONE: dict[tuple[Any, Any], Any] = {}


def _ones(t: Tensor) -> Tensor:
    """The seed of target ``t``: ones of its shape, dtype and device."""
    if t._data.shape != ():
        return _graph._ops.ones_like(t)  # type: ignore[no-any-return]
    key = (t._dev, t._dtype)
    data = _ONE.get(key)
    if data is None:
        data = _ONE[key] = _graph._ops.ones_like(t)._data
    g: Tensor = object.__new__(Tensor)
    g._node = None
    g._data = data
    g._dtype = t._dtype
    g._dev = t._dev
    g._shared = True  # the buffer is shared: a standard-semantics write copies first
    return g


def _finish(
    g: Any, source: Tensor, i: int, mode: UnconnectedGradients, jac_of: Tensor | None = None
) -> Any:
    if g is not None:
        return g
    if mode is UnconnectedGradients.NONE:
        return None
    if mode is UnconnectedGradients.ZERO:
        from ..ops.creation import zeros

        shape = (jac_of.shape if jac_of is not None else ()) + source.shape
        return zeros(shape, dtype=source.dtype, device=source.device)
    name = getattr(source, "name", None)
    label = f"source {i}" + (f" ({name!r})" if isinstance(name, str) else "")
    raise ValueError(
        f"GradientTape.gradient: {label} of shape {source.shape} has no path to the target "
        "on this tape (watch it, or compute the target from it inside the with-block)"
    )
