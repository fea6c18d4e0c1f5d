"""Memory (issue 10): 10,000 training steps keep a flat memory profile, and the tape leaves
no reference cycles behind (on every backend).

The model is tiny (a 4-8-1 MLP, batch 8, SGD) so that 10,000 steps stay cheap; what is
measured is what a step leaves behind, which does not depend on the model's size.
``benchmarks/memory.py`` reports the same numbers (``python -m benchmarks memory``).
"""

from __future__ import annotations

import gc
import os
import sys
import tracemalloc
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

import arraybridge as ab
from arraybridge.autodiff import GradientTape
from arraybridge.autodiff._graph import Node

STEPS = 10_000
WARMUP = 200
SAMPLES = 10  # object counts, cycles and RSS, at even intervals
TRACED = 300  # the last steps, under tracemalloc (it slows each step ~3x)


def rss_bytes() -> int | None:
    """The process's resident set size (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def tiny_mlp(seed: int = 0) -> tuple[Callable[[], Any], list[ab.Variable]]:
    """One training step of a 4-8-1 tanh MLP (batch 8, SGD), and its variables."""
    rng = np.random.default_rng(seed)
    w1 = ab.Variable(rng.normal(0, 0.5, (4, 8)).astype(np.float32), name="w1")
    b1 = ab.Variable(np.zeros(8, np.float32), name="b1")
    w2 = ab.Variable(rng.normal(0, 0.5, (8, 1)).astype(np.float32), name="w2")
    b2 = ab.Variable(np.zeros(1, np.float32), name="b2")
    params = [w1, b1, w2, b2]
    x = ab.asarray(rng.normal(size=(8, 4)).astype(np.float32))
    y = ab.asarray(rng.normal(size=(8, 1)).astype(np.float32))
    opt = ab.optimizers.SGD(learning_rate=0.01)

    def step() -> GradientTape:
        with GradientTape() as tape:
            h = ab.tanh(x @ w1 + b1)
            loss = ab.mean(ab.square(h @ w2 + b2 - y))
        grads = tape.gradient(loss, params)
        opt.apply_gradients(zip(grads, params, strict=True))
        return tape

    return step, params


@contextmanager
def _gc_off() -> Iterator[None]:
    was = gc.isenabled()
    gc.collect()
    gc.disable()  # whatever a step leaves must go by reference counting alone
    try:
        yield
    finally:
        if was:
            gc.enable()


def _arraybridge_garbage() -> tuple[int, list[str]]:
    """Run the cycle collector; (objects it found unreachable, the arraybridge ones' types)."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        found = gc.collect()
        ours = sorted(
            {
                type(o).__qualname__
                for o in gc.garbage
                if type(o).__module__.startswith(("arraybridge", "arraybridge_"))
            }
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    return found, ours


def _nodes_alive() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is Node)


def test_ten_thousand_steps_keep_a_flat_memory_profile() -> None:
    nodes_before = _nodes_alive()  # (other tests' tensors may hold some)
    step, params = tiny_mlp()
    start = [np.asarray(p).copy() for p in params]
    for _ in range(WARMUP):  # caches, the optimizer's state, the backend's own warm-up
        step()
    rss: list[int] = []
    objects: list[int] = []
    blocks: list[int] = []
    cycles: list[int] = []
    with _gc_off():
        every = (STEPS - TRACED) // SAMPLES
        for i in range(STEPS - TRACED):
            step()
            if (i + 1) % every == 0:
                found, ours = _arraybridge_garbage()  # (also empties the free lists)
                assert not ours, f"after step {i + 1}: reference cycles through {ours}"
                cycles.append(found)
                objects.append(len(gc.get_objects()))
                blocks.append(sys.getallocatedblocks())
                r = rss_bytes()
                if r is not None:
                    rss.append(r)
        tracemalloc.start()
        try:
            traced = []
            for i in range(TRACED):
                step()
                if (i + 1) % (TRACED // 3) == 0:
                    gc.collect()  # the free lists, which fill up while gc is off
                    traced.append(tracemalloc.get_traced_memory()[0])
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert _nodes_alive() == nodes_before  # between steps, no recorded node survives
    report = (
        f"objects {objects}, blocks {blocks}, rss {rss}, traced {traced}, peak {peak}, "
        f"cycles {cycles}"
    )
    assert cycles == [0] * len(cycles), report  # no cyclic garbage at all, from anyone
    # gc-tracked objects (tensors, nodes, tapes, dicts, ...): the same count at every sample
    assert max(objects[1:]) - min(objects[1:]) <= 50, report
    # Python's allocated memory blocks, every object included: flat within what bounded
    # caches hold (a tensor leaked per step would add ~9,000 and more)
    assert max(blocks[1:]) - min(blocks[1:]) < 2_000, report
    # Python allocations, traced: a rotating bounded cache shows as some growth (its
    # entries made before tracing began are not counted when freed), a leaked graph as
    # megabytes; and the peak is one step's working set
    assert traced[-1] - traced[0] < 256 * 1024, report
    assert peak - traced[0] < 1_000_000, report
    if rss:  # resident memory: flat within a generous 16 MB
        assert max(rss[1:]) - rss[1] < 16 * 2**20, report
    # and the model did train all along
    assert all(not np.array_equal(np.asarray(p), s) for p, s in zip(params, start, strict=True))
    assert all(np.isfinite(np.asarray(p)).all() for p in params)


def test_the_tape_leaves_no_cycles_behind() -> None:
    # every way of using a tape, each checked by reference counting alone: the tape, the
    # tensors and their nodes die with their last reference, without the cycle collector
    x = ab.asarray(np.linspace(0.1, 1.0, 6).reshape(2, 3).astype(np.float32))
    v = ab.Variable(np.ones((3, 2), np.float32))

    def uses() -> Iterator[tuple[str, Callable[[], Any]]]:
        def plain() -> Any:
            with GradientTape() as tape:
                y = ab.sum(ab.sin(x @ v))
            return tape, y, tape.gradient(y, v)

        def persistent() -> Any:
            with GradientTape(persistent=True) as tape:
                tape.watch(x)
                y = ab.exp(x) * x
                z = ab.sum(y)
            return tape, y, tape.gradient(z, [x, v]), tape.jacobian(y, x)

        def nested() -> Any:
            with GradientTape() as outer:
                outer.watch(x)
                with GradientTape() as inner:
                    inner.watch(x)
                    y = ab.sum(x * x * x)
                g = inner.gradient(y, x)
                s = ab.sum(g)
            return outer, inner, outer.gradient(s, x)

        def unused() -> Any:
            with GradientTape() as tape:
                y = ab.max(ab.tanh(x @ v), axis=0)
            return tape, y  # no gradient taken: the graph must still go with y

        def stopped() -> Any:
            with GradientTape() as tape:
                tape.watch(x)
                with tape.stop_recording():
                    a = x * 2.0
                y = ab.sum(ab.concat([x, a]) ** 2)
            return tape, tape.gradient(y, x)

        def functional() -> Any:
            return ab.autodiff.value_and_grad(lambda t: ab.sum(ab.tanh(t) ** 2))(x)

        yield from (
            ("plain", plain),
            ("persistent", persistent),
            ("nested", nested),
            ("unused", unused),
            ("stop_recording", stopped),
            ("value_and_grad", functional),
        )

    for name, use in uses():
        use()  # warm-up (imports, caches)
        nodes_before = _nodes_alive()
        with _gc_off():
            out = use()
            refs = [weakref.ref(t) for t in _tapes_and_tensors(out)]
            assert refs
            del out
            alive = [r() for r in refs if r() is not None]
            assert not alive, f"{name}: {[type(a).__name__ for a in alive]} kept alive by a cycle"
            assert _nodes_alive() == nodes_before, name
            found, ours = _arraybridge_garbage()
            assert not ours, f"{name}: reference cycles through {ours}"
            assert found == 0, name


def _tapes_and_tensors(out: Any) -> Iterator[Any]:
    if isinstance(out, GradientTape | ab.Tensor):
        yield out
    elif isinstance(out, list | tuple):
        for o in out:
            yield from _tapes_and_tensors(o)


@pytest.mark.parametrize("persistent", [False, True])
def test_a_tape_that_raises_inside_leaves_no_cycles(persistent: bool) -> None:
    nodes_before = _nodes_alive()
    x = ab.asarray(np.ones(3, np.float32))
    with _gc_off():
        try:
            with GradientTape(persistent=persistent) as tape:
                tape.watch(x)
                y = ab.exp(x)
                raise KeyError("boom")
        except KeyError:
            pass
        refs = [weakref.ref(tape), weakref.ref(y)]
        del tape, y
        assert all(r() is None for r in refs)
        assert not x._node.tapes  # the dead tape's mark is gone from the watched tensor
        del x
        assert _nodes_alive() == nodes_before


def test_a_long_lived_watched_tensor_does_not_collect_tape_ids() -> None:
    # A tensor watched in every step (persistent tapes, or not connected to the target)
    # used to keep the id of every tape that had watched it: a leak of one id a step.
    x = ab.asarray(np.ones(3, np.float32))
    c = ab.asarray(np.ones(2, np.float32))
    for _ in range(50):
        with GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = ab.sum(x * x)
        tape.gradient(y, x)
        tape.gradient(y, x)
        with GradientTape() as tape2:
            tape2.watch([x, c])  # c has no path to the target
            z = ab.sum(ab.exp(x))
        tape2.gradient(z, x)
        with GradientTape() as tape3:
            tape3.watch(c)
            tape3.reset()  # forgets its watch of c
            tape3.watch(x)
    assert x._node.tapes == {tape._id, tape3._id}  # the live tapes only
    assert c._node.tapes == set()
    del tape, tape3
    assert x._node.tapes == set()
