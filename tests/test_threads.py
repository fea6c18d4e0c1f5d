"""Threads and async tasks (issue 10): tapes record their own thread only, ``use_backend``
and ``semantics`` are per thread and per task, variables stay consistent under concurrent
writes, and several threads training their own models get what one thread gets.

The threads really interleave: each test starts its threads together at a barrier, sets
``sys.setswitchinterval`` very small (a switch every few bytecodes) and runs many
iterations, so a race has many chances to show.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

import arraybridge as ab
from arraybridge import _recording
from arraybridge.autodiff import GradientTape


def vals(t: Any) -> np.ndarray:
    return np.asarray(t)


def in_place() -> bool:
    return bool(ab.asarray(0.0).device.backend.writes_in_place)


@contextmanager
def _switching(interval: float = 1e-6) -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(interval)  # switch threads often: races show up if there are any
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_threads(n: int, target: Callable[[int, threading.Barrier], Any]) -> list[Any]:
    """Run ``target(i, barrier)`` in n threads started together; their results, in order.

    An exception in any thread fails the test (and breaks the barrier, so no thread waits
    for one that died)."""
    barrier = threading.Barrier(n, timeout=60)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i, barrier)
        except BaseException as exc:  # reported below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    with _switching():
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if real or errors:
        raise (real or errors)[0]
    return results


def _f64(x: Any) -> ab.Tensor:
    return ab.asarray(x, dtype=ab.float64)


# -- the backend's own context (NumPy's error state) -----------------------------------------
def test_overflowing_ops_in_several_threads_at_once_are_silent_and_exact() -> None:
    # Large arrays: NumPy releases the GIL inside the loop, so the threads are inside the
    # backend's shared context at the same time and the fast path falls back (Device.hot).
    big = np.full(200_000, 3e38, dtype=np.float32)
    x = ab.asarray(big)
    ref = np.full(200_000, np.inf, dtype=np.float32)

    def work(i: int, barrier: threading.Barrier) -> bool:
        ok = True
        for _ in range(30):
            ok &= bool(np.array_equal(vals(x + x), ref))
            ok &= bool(np.array_equal(vals(ab.exp(x)), ref))
            ok &= bool(np.array_equal(vals(x * 2.0), ref))
        return ok

    with np.errstate(all="raise"):  # the user's own setting never reaches arraybridge's calls
        assert all(run_threads(4, work))
        with pytest.raises(FloatingPointError):
            _ = big + big  # ...and is left as it was for their own NumPy calls


def test_an_op_called_from_inside_the_backends_context_falls_back() -> None:
    x = ab.asarray(np.full(3, 3e38, dtype=np.float32))
    ctx = x.device.backend.fns.contexts.get("add")
    if ctx is None:
        pytest.skip("this backend runs its functions without a context")
    r = ctx.run(lambda: (x + x, ab.exp(x), x * 2.0))  # the fast path re-enters: RuntimeError
    for t in r:
        assert np.array_equal(vals(t), np.full(3, np.inf, dtype=np.float32))


# -- tapes ----------------------------------------------------------------------------------


def test_each_thread_records_on_its_own_tape_only() -> None:
    n, iters = 6, 40
    shared = _f64(np.linspace(0.5, 1.5, 5))

    def work(i: int, barrier: threading.Barrier) -> None:
        k = float(i + 1)
        for it in range(iters):
            x = _f64(np.full(5, k))
            with GradientTape() as tape:
                tape.watch(x)
                barrier.wait()  # every thread records at the same time
                y = ab.sum(x * x * k)
                # an op on a tensor no tape of this thread watches: not recorded
                z = shared * 3.0
                assert getattr(z, "_node", None) is None
                if it % 2:
                    barrier.wait()
            np.testing.assert_array_equal(vals(tape.gradient(y, x)), np.full(5, 2 * k * k))
            assert tape.gradient is not None

    run_threads(n, work)
    assert _recording.ACTIVE[0] == 0  # every tape that started recording stopped


def test_a_tape_never_sees_another_threads_ops_on_its_watched_tensor() -> None:
    # the main thread watches x; other threads compute with x at the same time
    n, iters = 4, 30
    x = _f64([1.0, 2.0, 3.0])
    out: list[Any] = []

    def work(i: int, barrier: threading.Barrier) -> None:
        for _ in range(iters):
            barrier.wait()
            if i == 0:
                with GradientTape() as tape:
                    tape.watch(x)
                    barrier.wait()  # the others compute with x now
                    y = ab.sum(x * x)
                    barrier.wait()
                out.append(tape.gradient(y, x))
            else:
                barrier.wait()
                w = ab.exp(x) * float(i)
                barrier.wait()
                assert getattr(w, "_node", None) is None

    run_threads(n, work)
    assert len(out) == iters
    for g in out:
        np.testing.assert_array_equal(vals(g), [2.0, 4.0, 6.0])


def test_threads_watching_one_tensor_at_once_each_get_their_gradient() -> None:
    # watch() on a tensor shared by several threads' tapes: every tape must keep its mark
    n, iters = 6, 60

    box: list[Any] = [None]

    def work(i: int, barrier: threading.Barrier) -> None:
        k = float(i + 1)
        for _ in range(iters):
            if barrier.wait() == 0:
                box[0] = _f64([1.0, 2.0])  # a fresh tensor, no node yet
            barrier.wait()
            s = box[0]
            with GradientTape() as tape:
                tape.watch(s)
                y = ab.sum(s * k)
            g = tape.gradient(y, s)
            assert g is not None, "this thread's watch() was lost"
            np.testing.assert_array_equal(vals(g), [k, k])

    run_threads(n, work)


def test_threads_reading_one_variable_under_their_own_tapes() -> None:
    # shared weights read by every thread; each thread's tape sees its own reads only
    n, iters = 5, 40
    w = ab.Variable(np.array([[0.5, -1.0], [2.0, 0.25]]), name="w")

    def grad_for(i: int) -> np.ndarray:
        x = _f64(np.array([[1.0 + i, 2.0 - i]]))
        with GradientTape() as tape:
            y = ab.sum(ab.tanh(x @ w))
        return vals(tape.gradient(y, w))

    want = [grad_for(i) for i in range(n)]

    def work(i: int, barrier: threading.Barrier) -> None:
        for _ in range(iters):
            barrier.wait()
            np.testing.assert_array_equal(grad_for(i), want[i])

    run_threads(n, work)


# -- use_backend and semantics: per thread, per task ----------------------------------------


def _two_backends() -> list[str]:
    return [s.name for s in ab.backends() if s.available and s.name in ("numpy", "jax")]


def test_use_backend_and_semantics_are_per_thread() -> None:
    names = _two_backends()
    n, iters = 6, 40
    glob_be, glob_sem = ab.get_backend(), ab.get_semantics()

    def work(i: int, barrier: threading.Barrier) -> None:
        name = names[i % len(names)]
        sem = "standard" if i % 2 else "strict"
        for _ in range(iters):
            with ab.use_backend(name), ab.semantics(sem):  # type: ignore[arg-type]
                barrier.wait()  # everyone inside their own blocks at once
                assert ab.get_backend() == name
                assert ab.get_semantics() == sem
                t = ab.ones((2,))
                assert t.device.backend.name == name
                a, b = ab.asarray(1.0), ab.asarray(1.0, dtype=ab.float64)
                if sem == "standard":  # the promotion table
                    assert (a + b).dtype is ab.float64
                else:
                    with pytest.raises(ab.DTypeError):
                        a + b
                barrier.wait()
            assert ab.get_backend() == glob_be and ab.get_semantics() == glob_sem

    run_threads(n, work)


def test_use_backend_and_semantics_are_per_async_task() -> None:
    names = _two_backends()
    glob_be, glob_sem = ab.get_backend(), ab.get_semantics()
    log: list[tuple[int, str, str]] = []

    async def task(i: int, ready: asyncio.Barrier) -> None:
        name = names[i % len(names)]
        sem = "standard" if i % 2 else "strict"
        await ready.wait()
        with ab.use_backend(name):
            for k in range(20):
                with ab.semantics(sem):  # type: ignore[arg-type]
                    await asyncio.sleep(0)  # the other tasks run here, inside their blocks
                    assert ab.get_backend() == name and ab.get_semantics() == sem
                    assert ab.zeros((1,)).device.backend.name == name
                    log.append((i, ab.get_backend(), ab.get_semantics()))
                await asyncio.sleep(0)
                assert ab.get_semantics() == glob_sem
                if k == 10:  # a task started from inside inherits the block's backend
                    inner = asyncio.create_task(_backend_of_child())
                    assert await inner == name
        assert ab.get_backend() == glob_be

    async def _backend_of_child() -> str:
        await asyncio.sleep(0)
        return ab.get_backend()

    async def main() -> None:
        ready = asyncio.Barrier(6)
        await asyncio.gather(*(task(i, ready) for i in range(6)))

    asyncio.run(main())
    assert ab.get_backend() == glob_be and ab.get_semantics() == glob_sem
    assert len(log) == 6 * 20
    # the tasks did interleave: consecutive entries come from different tasks
    assert sum(a[0] != b[0] for a, b in itertools.pairwise(log)) > 50


def test_a_gradient_inside_an_async_task_keeps_the_tasks_semantics() -> None:
    # backward runs its rules under standard semantics and must hand back the task's own
    async def task(sem: str) -> str:
        with ab.semantics(sem):  # type: ignore[arg-type]
            x = _f64([1.0, 2.0])
            with GradientTape() as tape:
                tape.watch(x)
                y = ab.sum(ab.sin(x) * x)
            await asyncio.sleep(0)
            tape.gradient(y, x)
            await asyncio.sleep(0)
            return ab.get_semantics()

    async def main() -> list[str]:
        return list(await asyncio.gather(task("strict"), task("standard"), task("strict")))

    assert asyncio.run(main()) == ["strict", "standard", "strict"]


def test_async_tasks_with_their_own_tapes_get_their_own_gradients() -> None:
    # Tapes are per thread (as in TensorFlow): tasks of one thread see each other's tapes,
    # but each tape tracks only what descends from what it watches, so every task's
    # gradients are its own even when the tasks interleave inside their tape blocks.
    def loss(w: Any, x: Any) -> Any:
        return ab.sum(ab.tanh(x @ w) ** 2)

    rng = np.random.default_rng(3)
    xs = [_f64(rng.normal(size=(2, 3))) for _ in range(4)]
    w0 = rng.normal(size=(3, 2))

    def alone(i: int) -> np.ndarray:
        w = ab.Variable(w0.copy())
        with GradientTape() as tape:
            y = loss(w, xs[i])
        return vals(tape.gradient(y, w))

    want = [alone(i) for i in range(4)]

    async def task(i: int) -> tuple[np.ndarray, tuple[Any, ...]]:
        w = ab.Variable(w0.copy(), name=f"w{i}")
        with GradientTape() as tape:
            await asyncio.sleep(0)
            h = xs[i] @ w
            await asyncio.sleep(0)  # the other tasks record here
            y = ab.sum(ab.tanh(h) ** 2)
        await asyncio.sleep(0)
        watched = tape.watched_variables()
        return vals(tape.gradient(y, w)), watched

    async def main() -> list[Any]:
        return list(await asyncio.gather(*(task(i) for i in range(4))))

    for i, (g, watched) in enumerate(asyncio.run(main())):
        np.testing.assert_array_equal(g, want[i])
        assert f"w{i}" in [v.name for v in watched]
    assert _recording.ACTIVE[0] == 0


# -- variables under concurrent writes --------------------------------------------------------


def test_concurrent_assign_add_sums_exactly() -> None:
    n = 8
    iters = 400 if in_place() else 60
    ints = ab.Variable(np.zeros((3, 4), dtype=np.int64))
    floats = ab.Variable(np.zeros(5))  # float64: every partial sum is exact (small integers)

    def work(i: int, barrier: threading.Barrier) -> None:
        for k in range(iters):
            ints.assign_add(i + 1)
            floats.assign_add(float(i + 1))
            if k % 50 == 0:
                barrier.wait()

    run_threads(n, work)
    total = iters * n * (n + 1) // 2
    np.testing.assert_array_equal(vals(ints), np.full((3, 4), total))
    np.testing.assert_array_equal(vals(floats), np.full(5, float(total)))


def test_concurrent_slice_assign_and_scatter_are_exact() -> None:
    n = 6 if in_place() else 4  # (JAX's eager scatters take ~20 ms each)
    iters = 100 if in_place() else 4
    rows = ab.Variable(np.zeros((n, 8), dtype=np.int64))
    counts = ab.Variable(np.zeros(4, dtype=np.int64))
    cells = ab.Variable(np.zeros((2, 3), dtype=np.int64))

    def work(i: int, barrier: threading.Barrier) -> None:
        for k in range(1, iters + 1):
            rows[i].assign(np.full(8, k, dtype=np.int64))  # its own row, whole
            rows[i, 2:6].assign(k)  # and part of it again: the same value
            counts[1].assign_add(1)
            counts.scatter_add([2, 2, 3], 1)  # a repeated index accumulates
            counts[[0, 0]].assign_add(1)  # so does a repeated index in a key
            cells.scatter_nd_add([[0, 1], [1, 2], [0, 1]], [1, 2, 3])
            if k % 25 == 0 or not in_place():
                barrier.wait()

    run_threads(n, work)
    np.testing.assert_array_equal(vals(rows), np.full((n, 8), iters))
    m = n * iters
    np.testing.assert_array_equal(vals(counts), [2 * m, m, 2 * m, m])
    np.testing.assert_array_equal(vals(cells), [[0, 4 * m, 0], [0, 0, 2 * m]])


def test_readers_never_see_a_torn_or_reshaped_value() -> None:
    # writers set the whole variable to one value (in several ways); readers in other
    # threads must always see one value everywhere, of the variable's shape and dtype
    size = 100_000 if in_place() else 10_000
    writes = 300 if in_place() else 8
    shape = (4, size // 4)
    v = ab.Variable(np.zeros(shape))
    stop = threading.Event()
    problems: list[str] = []
    seen: set[float] = set()

    def reader() -> int:
        reads = 0
        while not stop.is_set():
            for snap in (v.value(), np.asarray(v), v * 1.0, v[:], v[1:3]):
                a = vals(snap)
                if a.dtype != np.float64 or a.shape not in (shape, (2, shape[1])):
                    problems.append(f"shape {a.shape} dtype {a.dtype}")
                lo, hi = float(a.min()), float(a.max())
                seen.add(lo)
                if lo != hi:
                    problems.append(f"a snapshot mixes {lo} and {hi}")
            s = v.value()
            before = vals(s).copy()
            np.testing.assert_array_equal(vals(s), before)  # a snapshot never changes
            reads += 1
        return reads

    def writer(i: int) -> None:
        for k in range(1, writes + 1):
            value = float(k * 10 + i)
            m = k % 4
            if m == 0:
                v.assign(value)
            elif m == 1:
                v[:].assign(ab.full(shape, value, dtype=ab.float64))
            elif m == 2:
                v.scatter_update([0, 1, 2, 3], ab.full(shape, value, dtype=ab.float64))
            else:
                v.assign_add(0.5)  # adds the same to every element: still one value

    writers_done = threading.Barrier(2, action=stop.set, timeout=60)

    def work(i: int, barrier: threading.Barrier) -> Any:
        if i < 2:
            try:
                writer(i)
            finally:
                writers_done.wait()  # the readers stop once both writers are done
            return None
        return reader()

    results = run_threads(5, work)
    assert not problems, problems[:3]
    assert all(r > 0 for r in results[2:])
    assert len(seen) > 2  # the readers did see writes land
    a = vals(v)
    assert a.min() == a.max()


# -- several threads training their own models ------------------------------------------------


def _train(seed: int, steps: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """A tiny MLP (3-6-1, tanh) trained by Adam on its own data; every gradient and the
    final weights, as NumPy arrays."""
    rng = np.random.default_rng(seed)
    w1 = ab.Variable(rng.normal(0, 0.5, (3, 6)).astype(np.float32), name="w1")
    b1 = ab.Variable(np.zeros(6, np.float32), name="b1")
    w2 = ab.Variable(rng.normal(0, 0.5, (6, 1)).astype(np.float32), name="w2")
    b2 = ab.Variable(np.zeros(1, np.float32), name="b2")
    params = [w1, b1, w2, b2]
    x = ab.asarray(rng.normal(0, 1, (8, 3)).astype(np.float32))
    y = ab.asarray(rng.normal(0, 1, (8, 1)).astype(np.float32))
    opt = ab.optimizers.Adam(learning_rate=0.01)
    grads_seen: list[np.ndarray] = []
    for _ in range(steps):
        with GradientTape() as tape:
            h = ab.tanh(x @ w1 + b1)
            loss = ab.mean(ab.square(h @ w2 + b2 - y))
        grads = tape.gradient(loss, params)
        grads_seen.extend(vals(g).copy() for g in grads)
        opt.apply_gradients(zip(grads, params, strict=True))
    return grads_seen, [vals(p).copy() for p in params]


def test_threads_training_their_own_models_match_one_after_another() -> None:
    n, steps = 4, 25 if in_place() else 5
    alone = [_train(100 + i, steps) for i in range(n)]
    together = run_threads(n, lambda i, barrier: _train(100 + i, steps))
    for (g_a, w_a), (g_t, w_t) in zip(alone, together, strict=True):
        assert len(g_a) == len(g_t) == 4 * steps
        for a, t in zip(g_a + w_a, g_t + w_t, strict=True):
            np.testing.assert_array_equal(t, a)  # bit for bit
    assert _recording.ACTIVE[0] == 0


@pytest.mark.single_backend
def test_threads_on_different_backends_train_alike() -> None:
    names = _two_backends()
    if len(names) < 2:
        pytest.skip("needs NumPy and JAX")
    steps = 6

    def on(name: str) -> Callable[[int, threading.Barrier], Any]:
        def go(i: int, barrier: threading.Barrier) -> Any:
            with ab.use_backend(name):
                return _train(7, steps)

        return go

    alone = {name: _train_on(name, 7, steps) for name in names}
    together = run_threads(4, lambda i, b: on(names[i % 2])(i, b))
    for i, (grads, weights) in enumerate(together):
        want_g, want_w = alone[names[i % 2]]
        for a, t in zip(want_g + want_w, grads + weights, strict=True):
            np.testing.assert_array_equal(t, a)
    # and the two backends agree within float32 tolerance
    for a, b in zip(*(alone[n][1] for n in names), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def _train_on(name: str, seed: int, steps: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    with ab.use_backend(name):
        return _train(seed, steps)
