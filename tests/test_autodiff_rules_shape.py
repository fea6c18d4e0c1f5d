"""VJP rules of the shape, reduction, indexing, sorting and creation functions (and of
``x[key]`` and the standard-semantics ``x[key] = value``), checked to second order against
central differences on every backend, with a few closed forms and ``jax.grad`` as oracles."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import arraybridge as ab
from arraybridge.autodiff import GradientTape, grad
from arraybridge.ops import indexing as indexing_ops
from arraybridge.testing import check_grads

Factory = Callable[[], list[Any]]


def _t(values: Any) -> ab.Tensor:
    return ab.asarray(np.asarray(values))


def _normal(shape: tuple[int, ...], seed: int, *, complex_: bool = False) -> ab.Tensor:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(shape)
    if complex_:
        v = v + 1j * rng.standard_normal(shape)
    return _t(v)


def _away(shape: tuple[int, ...], seed: int, *, complex_: bool = False) -> ab.Tensor:
    """Values of magnitude 0.5 to 1.5 (products stay well scaled; no zeros)."""
    rng = np.random.default_rng(seed)
    v = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    if complex_:
        v = v * np.exp(1j * rng.uniform(0, 2 * np.pi, shape))
    return _t(v)


def _ints(values: Any) -> ab.Tensor:
    return ab.asarray(np.asarray(values, dtype=np.int64))


def _x(seed: int = 0, shape: tuple[int, ...] = (2, 3), complex_: bool = False) -> Factory:
    return lambda: [_normal(shape, seed, complex_=complex_)]


# -- every covered function: (id, f, arguments) ------------------------------------------------

CASES: list[tuple[str, Callable[..., Any], Factory]] = [
    # manipulation
    ("reshape", lambda x: ab.reshape(x, (3, 2)), _x()),
    ("reshape_flat_complex", lambda x: ab.reshape(x, (-1,)), _x(complex_=True)),
    ("squeeze", lambda x: ab.squeeze(x[:, None], axis=1), _x()),
    ("expand_dims", lambda x: ab.expand_dims(x, axis=(0, 2)), _x()),
    ("permute_dims", lambda x: ab.permute_dims(x, (2, 0, 1)), _x(shape=(2, 3, 4))),
    ("moveaxis", lambda x: ab.moveaxis(x, 0, -1), _x(shape=(2, 3, 4))),
    ("moveaxis_tuple", lambda x: ab.moveaxis(x, (0, 1), (2, 0)), _x(shape=(2, 3, 4))),
    ("flip_all", lambda x: ab.flip(x), _x()),
    ("flip_axis", lambda x: ab.flip(x, axis=1), _x(complex_=True)),
    ("roll_flat", lambda x: ab.roll(x, 2), _x()),
    ("roll_axes", lambda x: ab.roll(x, (1, -1), axis=(0, 1)), _x()),
    ("repeat_int_axis", lambda x: ab.repeat(x, 2, axis=1), _x()),
    ("repeat_int_flat", lambda x: ab.repeat(x, 3), _x()),
    ("repeat_tensor", lambda x: ab.repeat(x, _ints([1, 0, 3]), axis=1), _x()),
    ("repeat_tensor_one", lambda x: ab.repeat(x, _ints([2]), axis=0), _x()),
    ("tile", lambda x: ab.tile(x, (2, 1)), _x()),
    ("tile_more_dims", lambda x: ab.tile(x, (2, 1, 2)), _x()),
    ("unstack", lambda x: ab.unstack(x, axis=1), _x()),
    (
        "concat",
        lambda x, y: ab.concat([x, y], axis=1),
        lambda: [_normal((2, 3), 0), _normal((2, 2), 1)],
    ),
    (
        "concat_flat",
        lambda x, y: ab.concat([x, y], axis=None),
        lambda: [_normal((2, 3), 0), _normal((4,), 1)],
    ),
    (
        "stack",
        lambda x, y: ab.stack([x, y], axis=1),
        lambda: [_normal((2, 3), 0), _normal((2, 3), 1)],
    ),
    # data types
    ("broadcast_to", lambda x: ab.broadcast_to(x, (2, 3)), _x(shape=(3,))),
    ("broadcast_to_inner", lambda x: ab.broadcast_to(x, (4, 2, 3)), _x(shape=(2, 1))),
    (
        "broadcast_arrays",
        lambda x, y: ab.broadcast_arrays(x, y),
        lambda: [_normal((2, 1), 0), _normal((3,), 1)],
    ),
    # statistics
    ("sum", lambda x: ab.sum(x), _x()),
    ("sum_axis", lambda x: ab.sum(x, axis=1), _x(complex_=True)),
    ("sum_keepdims", lambda x: ab.sum(x, axis=(0, 2), keepdims=True), _x(shape=(2, 3, 4))),
    ("prod", lambda x: ab.prod(x), lambda: [_away((2, 3), 0)]),
    ("prod_axis", lambda x: ab.prod(x, axis=1), lambda: [_away((2, 3), 0)]),
    (
        "prod_axes_keepdims",
        lambda x: ab.prod(x, axis=(0, 2), keepdims=True),
        lambda: [_away((2, 3, 4), 0)],
    ),
    ("prod_complex", lambda x: ab.prod(x, axis=0), lambda: [_away((2, 3), 0, complex_=True)]),
    ("mean", lambda x: ab.mean(x), _x()),
    ("mean_axis_keepdims", lambda x: ab.mean(x, axis=0, keepdims=True), _x(complex_=True)),
    ("var", lambda x: ab.var(x), _x()),
    ("var_axis_correction", lambda x: ab.var(x, axis=1, correction=1), _x()),
    ("std", lambda x: ab.std(x, axis=0), _x()),
    (
        "std_keepdims",
        lambda x: ab.std(x, axis=(0, 1), keepdims=True, correction=1),
        _x(shape=(2, 3, 4)),
    ),
    ("max", lambda x: ab.max(x), _x()),
    ("max_axis", lambda x: ab.max(x, axis=1), _x()),
    ("min_keepdims", lambda x: ab.min(x, axis=0, keepdims=True), _x()),
    ("cumulative_sum", lambda x: ab.cumulative_sum(x), _x(shape=(3,))),
    (
        "cumulative_sum_initial",
        lambda x: ab.cumulative_sum(x, axis=1, include_initial=True),
        _x(complex_=True),
    ),
    ("cumulative_prod", lambda x: ab.cumulative_prod(x, axis=0), lambda: [_away((2, 3), 0)]),
    (
        "cumulative_prod_initial",
        lambda x: ab.cumulative_prod(x, axis=-1, include_initial=True),
        lambda: [_away((2, 3), 1, complex_=True)],
    ),
    # indexing functions
    ("take", lambda x: ab.take(x, _ints([2, 0, 2, -1]), axis=1), _x()),
    ("take_1d", lambda x: ab.take(x, _ints([1, 1, 0])), _x(shape=(3,), complex_=True)),
    (
        "take_along_axis",
        lambda x: ab.take_along_axis(x, _ints([[0, 2, 2, 1], [1, 1, 0, -1]]), axis=1),
        _x(),
    ),
    (
        "take_along_axis_broadcast",
        lambda x: ab.take_along_axis(x, _ints([[0, 2], [2, 2], [1, 0]]), axis=1),
        _x(shape=(1, 3)),
    ),
    ("take_along_axis_axis0", lambda x: ab.take_along_axis(x, _ints([[1, 0, 1]]), axis=0), _x()),
    # sorting
    ("sort", lambda x: ab.sort(x), _x()),
    ("sort_descending_axis0", lambda x: ab.sort(x, axis=0, descending=True), _x(shape=(3, 3))),
    # utility
    ("diff", lambda x: ab.diff(x), _x()),
    ("diff_n2_axis0", lambda x: ab.diff(x, axis=0, n=2), _x(shape=(3, 3), complex_=True)),
    (
        "diff_edges",
        lambda x, p, q: ab.diff(x, axis=1, n=2, prepend=p, append=q),
        lambda: [_normal((2, 3), 0), _normal((2, 1), 1), _normal((2, 2), 2)],
    ),
    (
        "diff_scalar_edge",
        lambda x, p: ab.diff(x, prepend=p),
        lambda: [_normal((2, 3), 0), _normal((), 1)],
    ),
    ("diff_n0", lambda x: ab.diff(x, n=0), _x()),
    ("diff_too_many", lambda x: ab.diff(x, n=4) + ab.sum(x), _x()),
    # creation
    ("tril", lambda x: ab.tril(x), _x(shape=(3, 3))),
    ("triu_k", lambda x: ab.triu(x, k=1), _x(shape=(2, 3, 4))),
    ("meshgrid_xy", lambda a, b: ab.meshgrid(a, b), lambda: [_normal((2,), 0), _normal((3,), 1)]),
    (
        "meshgrid_ij",
        lambda a, b, c: ab.meshgrid(a, b, c, indexing="ij"),
        lambda: [_normal((2,), 0), _normal((3,), 1), _normal((2,), 2)],
    ),
    (
        "meshgrid_xy_three",
        lambda a, b, c: ab.meshgrid(a, b, c),
        lambda: [_normal((2,), 0), _normal((3,), 1), _normal((2,), 2)],
    ),
    ("asarray_copy", lambda x: ab.asarray(x, copy=True), _x()),
    ("asarray_dtype", lambda x: ab.asarray(x, dtype=ab.complex128), _x()),
    ("from_dlpack", lambda x: ab.from_dlpack(x) * x, _x()),
]


@pytest.mark.parametrize(("name", "f", "make"), CASES, ids=[c[0] for c in CASES])
def test_check_grads(name: str, f: Callable[..., Any], make: Factory) -> None:
    check_grads(f, make(), order=2)


# -- x[key] ----------------------------------------------------------------------------------------

KEYS: list[tuple[str, Callable[[], Any]]] = [
    ("int", lambda: 1),
    ("negative_int", lambda: -1),
    ("two_ints", lambda: (0, 2)),
    ("slice", lambda: slice(1, None)),
    ("step_slice", lambda: (slice(None), slice(None, None, 2))),
    ("ellipsis", lambda: (Ellipsis, 1)),
    ("none", lambda: (None, slice(None), None, 1)),
    ("list_with_duplicates", lambda: [1, 0, 1, 1]),
    ("tensor_2d_index", lambda: _ints([[0, 1], [1, 1]])),
    ("second_axis_array", lambda: (slice(None), _ints([2, 2, 0, -1]))),
    ("paired_arrays", lambda: (_ints([0, 1, 0]), _ints([2, 2, 2]))),
    ("array_int_mix", lambda: (_ints([1, 1]), 2)),
    ("array_none_slice", lambda: (None, _ints([0, 0]), slice(0, 2))),
    ("zero_d_index_tensor", lambda: ab.asarray(1)),
    ("mask", lambda: _t(np.array([[True, False, True], [False, False, True]]))),
    ("row_mask", lambda: _t(np.array([False, True]))),
    ("mask_and_slice", lambda: (_t(np.array([True, True])), slice(1, 3))),
]


@pytest.mark.parametrize(("name", "key"), KEYS, ids=[k[0] for k in KEYS])
def test_getitem_grads(name: str, key: Callable[[], Any]) -> None:
    k = key()
    check_grads(lambda x: x[k], [_normal((2, 3), 3)], order=2)


@pytest.mark.parametrize("name", ["none", "list_with_duplicates", "mask"])
def test_getitem_grads_complex(name: str) -> None:
    k = dict(KEYS)[name]()
    check_grads(lambda x: x[k], [_normal((2, 3), 3, complex_=True)], order=2)


# The segment sums behind these rules, by sorting (the path of large problems). The code
# is backend-neutral: one case runs on every backend, the others once (JAX compiles each of
# the many small shapes of the doubling scan, which is slow in a test).
def _sorted_check(f: Callable[..., Any], args: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexing_ops, "_DENSE_LIMIT", 0)
    check_grads(f, args, order=2)


def test_check_grads_sorted_segment_sums(monkeypatch: pytest.MonkeyPatch) -> None:
    _sorted_check(
        lambda x: ab.take(x, _ints([2, 0, 2, -1]), axis=1), [_normal((2, 3), 0)], monkeypatch
    )


@pytest.mark.single_backend
@pytest.mark.parametrize("name", ["take_along_axis_broadcast", "repeat_tensor"])
def test_check_grads_sorted_segment_sums_numpy(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _, f, make = next(c for c in CASES if c[0] == name)
    _sorted_check(f, make(), monkeypatch)


@pytest.mark.single_backend
@pytest.mark.parametrize("name", ["list_with_duplicates", "paired_arrays"])
def test_getitem_grads_sorted_segment_sums(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    k = dict(KEYS)[name]()
    _sorted_check(lambda x: x[k], [_normal((2, 3), 3)], monkeypatch)


@pytest.mark.parametrize("limit", [0, 1 << 30], ids=["sorted", "dense"])
def test_gather_gradients_match_numpy_add_at(limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexing_ops, "_DENSE_LIMIT", limit)
    rng = np.random.default_rng(12)
    idx = np.concatenate([rng.integers(0, 40, 60), np.full(9, 7)])  # a run of 10+ sevens
    w = rng.standard_normal((idx.size, 2))
    x = _normal((50, 2), 13)
    want = np.zeros((50, 2))
    np.add.at(want, idx, w)
    got = grad(lambda x: ab.sum(x[_ints(idx)] * _t(w)))(x)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12)
    got = grad(lambda x: ab.sum(ab.take(x, _ints(idx), axis=0) * _t(w)))(x)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12)
    got = grad(lambda x: ab.sum(x[_ints(idx), 1] * _t(w[:, 0])))(x)
    np.testing.assert_allclose(np.asarray(got[:, 1]), want_col := np.bincount(idx, w[:, 0], 50))
    assert want_col.shape == (50,)
    np.testing.assert_allclose(np.asarray(got[:, 0]), 0.0)


def test_getitem_gradient_accumulates_duplicates() -> None:
    x = _normal((3, 2), 4)
    g = grad(lambda x: ab.sum(x[[2, 0, 2, 2]] * _t([[1.0, 2.0]])))(x)
    np.testing.assert_allclose(np.asarray(g), [[1.0, 2.0], [0.0, 0.0], [3.0, 6.0]])
    g = grad(lambda x: ab.sum(x[:, _ints([1, 1, -1])]))(x)
    np.testing.assert_allclose(np.asarray(g), np.tile([0.0, 3.0], (3, 1)))


def test_getitem_signature_and_integer_tensors() -> None:
    # the private re-entry flag stays out of the signature
    assert list(inspect.signature(ab.Tensor.__getitem__).parameters) == ["x", "key"]
    x = _normal((2, 3), 0)
    n = _ints([[1, 2, 3], [4, 5, 6]])
    with GradientTape() as tape:
        tape.watch(x)
        y = ab.sum(x[0] * ab.astype(n[1], x.dtype))  # an integer tensor indexed under the tape
    np.testing.assert_allclose(np.asarray(tape.gradient(y, x)), [[4.0, 5.0, 6.0], [0.0, 0.0, 0.0]])


# -- x[key] = value (standard semantics) -----------------------------------------------------------


def _write(key: Any) -> Callable[[ab.Tensor, Any], ab.Tensor]:
    def f(x: ab.Tensor, v: Any) -> ab.Tensor:
        with ab.semantics("standard"):
            y = ab.asarray(x, copy=True)
            y[key] = v
            return y * y

    return f


WRITES: list[tuple[str, Any, tuple[int, ...]]] = [
    ("int", 1, (3,)),
    ("slice_broadcast", slice(0, 2), (3,)),
    ("element", (0, 2), ()),
    ("ellipsis_column", (Ellipsis, 1), (1,)),
    ("int_array", [2, 0], (2, 3)),
    ("mask", np.array([[True, False, True], [False, True, False], [True, True, False]]), (5,)),
    ("row_mask", np.array([True, False, True]), (3,)),
    ("column_array", (slice(None), [0, 2]), (1, 2)),
]


@pytest.mark.parametrize(("name", "key", "vshape"), WRITES, ids=[w[0] for w in WRITES])
def test_setitem_grads(name: str, key: Any, vshape: tuple[int, ...]) -> None:
    k = _t(key) if isinstance(key, np.ndarray) else key
    check_grads(_write(k), [_normal((3, 3), 5), _normal(vshape, 6)], order=2)


def test_setitem_python_scalar_and_complex() -> None:
    def f(x: ab.Tensor) -> ab.Tensor:
        with ab.semantics("standard"):
            y = ab.asarray(x, copy=True)
            y[1, :] = 2.0
            return ab.sin(y) * x

    check_grads(f, [_normal((3, 2), 7)], order=2)
    check_grads(
        _write((0, slice(None))),
        [_normal((2, 3), 8, complex_=True), _normal((3,), 9, complex_=True)],
    )


def test_in_place_operators_are_recorded() -> None:
    def f(x: ab.Tensor, w: ab.Tensor) -> ab.Tensor:
        with ab.semantics("standard"):
            y = ab.asarray(x, copy=True)
            y *= w  # y[...] = y * w
            y += x
            y[0] -= w[0]
            return y * y

    check_grads(f, [_normal((2, 3), 1), _normal((2, 3), 2)], order=2)


def test_setitem_is_a_functional_update() -> None:
    x = _t([1.0, 2.0, 3.0])
    v = _t(5.0)
    with ab.semantics("standard"), GradientTape(persistent=True) as tape:
        tape.watch([x, v])
        y = x * x
        z = ab.exp(y)  # recorded before the write: its rule must see y's old values
        y[1] = v * v
        loss = ab.sum(z) + ab.sum(y * y)
    ex = np.array([1.0, 2.0, 3.0])
    # d/dx: exp(x^2) 2x + 4 x^3 except where y was overwritten
    want = np.exp(ex**2) * 2 * ex + np.where([True, False, True], 4 * ex**3, 0.0)
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, x)), want, rtol=1e-12)
    np.testing.assert_allclose(float(tape.gradient(loss, v)), 4 * 5.0**3, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(z), np.exp(ex**2))


def test_setitem_into_an_untracked_tensor() -> None:
    x = _normal((2,), 1)
    with ab.semantics("standard"), GradientTape() as tape:
        tape.watch(x)
        z = ab.zeros((2, 3), dtype=ab.float64)
        z[:, 1] = x
        z[0, :] = 1.0  # overwrites x[0]'s copy
        loss = ab.sum(z * z)
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, x)), [0.0, 2 * float(x[1])])


def test_setitem_without_a_tape_is_unchanged() -> None:
    with ab.semantics("standard"):
        x = _t([1.0, 2.0])
        view = x[:]
        x[0] = 7.0
    np.testing.assert_allclose(np.asarray(x), [7.0, 2.0])
    np.testing.assert_allclose(np.asarray(view), [1.0, 2.0])


# -- closed forms, ties, zeros, no gradient ------------------------------------------------------


def test_max_of_nan_sends_the_gradient_to_the_nan() -> None:
    x = _t([1.0, np.nan, 2.0])
    np.testing.assert_allclose(np.asarray(grad(lambda x: ab.max(x))(x)), [0.0, 1.0, 0.0])


def test_max_min_share_the_gradient_among_ties() -> None:
    x = _t([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]])
    np.testing.assert_allclose(np.asarray(grad(lambda x: ab.max(x))(x)), [[0, 0.5, 0.5], [0, 0, 0]])
    g = grad(lambda x: ab.sum(ab.min(x, axis=1) * _t([1.0, 10.0])))(x)
    np.testing.assert_allclose(np.asarray(g), [[1.0, 0, 0], [0, 10.0, 0]])
    g = grad(lambda x: ab.sum(ab.max(x, axis=1)))(x)
    np.testing.assert_allclose(np.asarray(g), [[0, 0.5, 0.5], [0.5, 0, 0.5]])


def test_prod_and_cumulative_prod_are_exact_at_zeros() -> None:
    x = _t([[2.0, 0.0, 3.0, 0.0], [2.0, 0.0, 3.0, 5.0]])
    g = grad(lambda x: ab.sum(ab.prod(x, axis=1)))(x)
    np.testing.assert_allclose(np.asarray(g), [[0, 0, 0, 0], [0, 30.0, 0, 0]])
    # d/dx_i of sum_j prod_{k<=j} x_k, by hand for [2, 0, 3, 5]
    g = grad(lambda x: ab.sum(ab.cumulative_prod(x, axis=1)))(x)
    np.testing.assert_allclose(np.asarray(g), [[1.0, 2 + 6, 0, 0], [1.0, 2 + 6 + 30, 0, 0]])
    check_grads(lambda x: ab.cumulative_prod(x), [_t([2.0, 0.0, 3.0, 5.0])], order=1)


def test_nondifferentiable_results_carry_no_gradient() -> None:
    x = _normal((2, 3), 0)
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        outs = [
            ab.astype(ab.argsort(x), x.dtype),
            ab.unique_values(x),
            ab.unique_all(x).values,
            ab.zeros_like(x),
            ab.ones_like(x),
            ab.full_like(x, 2.0),
            ab.empty_like(x) * 0,
        ]
        flags = [ab.all(x), ab.any(x)]
    for o in outs:
        assert tape.gradient(ab.sum(o), x) is None
    assert all(getattr(f, "_node", None) is None for f in flags)


def test_asarray_returns_the_tensor_itself_under_a_tape() -> None:
    x = _normal((3,), 0)
    with GradientTape() as tape:
        tape.watch(x)
        y = ab.asarray(x)
        z = ab.asarray(x, dtype=ab.float64, copy=False)
        loss = ab.sum(y * z)
    assert y is x and z is x
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, x)), 2 * np.asarray(x))


@pytest.mark.single_backend  # jax.grad is the oracle; our side runs on NumPy
def test_against_jax_grad() -> None:
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    rng = np.random.default_rng(11)
    x = rng.standard_normal((3, 4))
    w = rng.standard_normal((3, 4))
    idx = np.array([2, 0, 2, 1, 2])
    pairs: list[tuple[Callable[..., Any], Callable[..., Any]]] = [
        (lambda a: ab.sum(ab.sort(a, axis=1) * _t(w)), lambda a: jnp.sum(jnp.sort(a, axis=1) * w)),
        (lambda a: ab.sum(ab.std(a, axis=0) ** 3), lambda a: jnp.sum(jnp.std(a, axis=0) ** 3)),
        (
            lambda a: ab.sum(ab.var(a, axis=1, correction=1)),
            lambda a: jnp.sum(jnp.var(a, axis=1, ddof=1)),
        ),
        (lambda a: ab.sum(ab.sin(a[_ints(idx)])), lambda a: jnp.sum(jnp.sin(a[idx]))),
        (
            lambda a: ab.sum(ab.take(a, _ints(idx), axis=0) ** 2),
            lambda a: jnp.sum(jnp.take(a, idx, axis=0) ** 2),
        ),
        (lambda a: ab.sum(ab.prod(a, axis=1) ** 2), lambda a: jnp.sum(jnp.prod(a, axis=1) ** 2)),
        (
            lambda a: ab.sum(ab.cumulative_prod(a, axis=1) * _t(w)),
            lambda a: jnp.sum(jnp.cumprod(a, axis=1) * w),
        ),
        (
            lambda a: ab.sum(ab.diff(a, axis=0, n=2, prepend=a[:1]) ** 2),
            lambda a: jnp.sum(jnp.diff(a, axis=0, n=2, prepend=a[:1]) ** 2),
        ),
        (
            lambda a: ab.sum(ab.tile(a, (2, 1)) * ab.tile(_t(w), (2, 1)) ** 2),
            lambda a: jnp.sum(jnp.tile(a, (2, 1)) * jnp.tile(w, (2, 1)) ** 2),
        ),
    ]
    for ours, theirs in pairs:
        got = grad(ours)(_t(x))
        want = jax.grad(theirs)(jnp.asarray(x))
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-10, atol=1e-12)
