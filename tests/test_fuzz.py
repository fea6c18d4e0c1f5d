"""Bad input, fuzzed: every public function, the same bad arguments on every backend.

Every public function of ``arraybridge``, ``arraybridge.linalg`` and ``arraybridge.fft``
(found from their ``__all__``, its parameters from ``inspect.signature``) is called with
generated arguments: one or more of them bad (a wrong type, None, a string, nested lists of
mixed kinds, a shape that does not broadcast, an axis out of range, a negative size, NaN or
inf where an integer belongs, a tensor of another backend), the others plausible. The call
runs on every available backend with the same arguments (tensors made on that backend), and
the test asserts what ``docs/semantics.md#errors`` promises:

- only the documented exception types come out: ``ab.DTypeError``, ``TypeError``,
  ``ValueError``, ``IndexError`` (exactly those classes: a NumPy ``AxisError`` or a JAX
  error class is a failure), and ``OSError`` from the functions that take a file ``path``;
- the outcome is the same on every backend: both succeed, or both raise the same class
  (``ab.DTypeError`` and a plain ``TypeError`` count as different);
- every error is raised by arraybridge itself (a check before the backend call, or a
  translation of the backend's failure), not by the backend library, and it names the function;
- the inputs (tensors, variables, NumPy arrays, lists) are unchanged afterwards.

The "ci" hypothesis profile (the default) tries 25 argument sets per function, derandomized;
``ARRAYBRIDGE_HYPOTHESIS_PROFILE=thorough`` tries 500 with random seeds, and
``ARRAYBRIDGE_FUZZ_EXAMPLES=N`` sets the number for this file alone. The counts (functions
fuzzed, argument sets tried, how many raised) are printed at the end of the run.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import os
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import arraybridge as ab

pytestmark = pytest.mark.single_backend  # each test runs every backend itself

BACKENDS = [s.name for s in ab.backends() if s.available]
ALLOWED: frozenset[type[BaseException]] = frozenset(
    {ab.DTypeError, TypeError, ValueError, IndexError}
)


def _public() -> dict[str, Callable[..., Any]]:
    """Every public function: ``name`` for the namespace, ``linalg.name``, ``fft.name``."""
    found: dict[str, Callable[..., Any]] = {}
    for prefix, mod in (("", ab), ("linalg.", ab.linalg), ("fft.", ab.fft)):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if callable(obj) and not isinstance(obj, type):
                found[prefix + name] = obj
    return found


FUNCTIONS = _public()

# --- arguments, described by recipes and made on each backend ---------------------------


@dataclass(frozen=True)
class T:
    """A tensor recipe: dtype name, shape, and where it lives ("here", "other" backend,
    "numpy" array, "variable")."""

    dtype: str
    shape: tuple[int, ...]
    where: str = "here"

    def make(self, backend: str) -> Any:
        n = math.prod(self.shape)
        base = (np.arange(n) % 5 + 1).reshape(self.shape)
        if len(self.shape) >= 2 and self.shape[-1] == self.shape[-2]:
            base = base + 20 * np.eye(self.shape[-1], dtype=base.dtype)  # invertible, PD-ish
        if self.dtype == "bool":
            base = base % 2 == 0
        arr = base.astype(np.dtype(self.dtype))
        if self.where == "numpy":
            return arr
        if self.where == "other":
            others = [b for b in BACKENDS if b != backend]
            if not others:
                return arr
            backend = others[0]
        t = ab.asarray(arr, device=backend)
        return ab.Variable(t) if self.where == "variable" else t


@dataclass(frozen=True)
class Fn:
    """A callable recipe for ``fun``/``f`` parameters."""

    kind: str

    def make(self, backend: str) -> Any:
        if self.kind == "sum":
            return lambda *args: ab.sum(args[0]) if args else ab.asarray(0.0)
        return lambda *args: args[0] if args else None


class Opaque:
    """An object of no kind arraybridge knows."""

    def __repr__(self) -> str:
        return "Opaque()"


OPAQUE = Opaque()

TENSORS = [
    T("float32", (2, 3)),
    T("float32", (3,)),
    T("float32", ()),
    T("float64", (3, 3)),
    T("int64", (2, 3)),
    T("int64", (3,)),
    T("int32", (3,)),
    T("uint8", (3,)),
    T("bool", (2, 3)),
    T("complex64", (3,)),
    T("float32", (4,)),  # broadcasts with none of the (3,) and (2, 3) ones
    T("float32", (0,)),
    T("float32", (2, 3), "other"),
    T("float64", (2, 3), "numpy"),
    T("int64", (3,), "numpy"),
    T("float32", (2, 3), "variable"),
]
INTS = [0, 1, -1, 2]
SHAPES = [(2, 3), (3,), ()]
DTYPES = [ab.float32, ab.int64, ab.bool, ab.complex64]
# bad values of every kind; any parameter may get any of these
BAD: list[Any] = [
    None,
    "a",
    "",
    1.5,
    math.nan,
    math.inf,
    -math.inf,
    -1,
    -7,
    7,
    True,
    1j,
    b"x",
    OPAQUE,
    [1, "a"],
    [[1], [1, 2]],
    [1.5, None],
    [[1.0, 2.0], [3, True]],
    (2, -1),
    (2, 1.5),
    (math.nan,),
    (),
    {},
    {"a": 1},
    ab.float32,
    np.float64(math.nan),
    np.int64(2),
    np.float32,
    T("float32", (2, 3), "other"),
    T("float32", (2, 3), "variable"),
    T("float64", (2, 3), "numpy"),
    T("float32", (4,)),
    T("bool", (2, 3)),
    T("int64", (3,)),
    T("float32", ()),
]

# the plausible values of a required parameter, by its name
_KINDS: dict[str, list[Any]] = {
    "tensor": TENSORS,
    "int": INTS,
    "shape": SHAPES,
    "dtype": DTYPES,
    "callable": [Fn("sum"), Fn("first")],
    "mapping": [{}, {"a": T("float32", (3,))}],
    "backend": BACKENDS,
    "semantics": ["strict", "standard"],
    "kind": ["real floating", "integral", "numeric"],
    "path": ["fuzz-checkpoint"],
}
_BY_NAME = {
    "tensor": "x x1 x2 t obj condition indices min max arrays t_list primals tangents",
    "int": "n n_rows n_cols num axis source destination repeats shift repetitions start stop "
    "step k offset fill_value clip_norm axes",
    "shape": "shape shapes",
    "dtype": "dtype type from_ to arrays_and_dtypes",
    "callable": "fun f",
    "mapping": "mapping variables",
    "kind": "kind",
    "path": "path",
}
KIND_OF = {name: kind for kind, names in _BY_NAME.items() for name in names.split()}


def _required_kind(fname: str, p: inspect.Parameter) -> str:
    if p.name == "name":
        return "semantics" if "semantics" in fname else "backend"
    kind = KIND_OF.get(p.name)
    assert kind is not None, f"{fname}: no argument kind for parameter {p.name!r}; add it"
    return kind


@dataclass(frozen=True)
class Param:
    name: str
    kind: inspect._ParameterKind
    required: bool
    default: Any
    pool: tuple[Any, ...]  # plausible values (required parameters only)


def _params(fname: str, fn: Callable[..., Any]) -> list[Param]:
    out = []
    for p in inspect.signature(fn).parameters.values():
        if p.name.startswith("_"):
            continue
        required = p.default is inspect.Parameter.empty
        pool: tuple[Any, ...] = ()
        if required:
            pool = tuple(_KINDS[_required_kind(fname, p)])
        out.append(Param(p.name, p.kind, required, p.default, pool))
    return out


_P = inspect.Parameter


@st.composite
def calls(draw: st.DrawFn, fname: str) -> tuple[list[Any], dict[str, Any], str]:
    """A call (positional recipes, keyword recipes, semantics) with at least one bad value."""
    params = _params(fname, FUNCTIONS[fname])
    bad_value = st.sampled_from(BAD)
    values: dict[str, Any] = {}
    for p in params:
        if p.kind is _P.VAR_POSITIONAL:
            elem = st.sampled_from(p.pool) | bad_value if p.pool else bad_value
            values[p.name] = draw(st.lists(elem, max_size=3))
        elif p.required:
            values[p.name] = draw(st.sampled_from(p.pool) | bad_value)
    # one more parameter (any, required or optional) gets a bad value
    if params:
        p = draw(st.sampled_from(params))
        if p.kind is _P.VAR_POSITIONAL:
            values[p.name] = [*values[p.name], draw(bad_value)]
        elif p.kind is not _P.VAR_KEYWORD:
            values[p.name] = draw(bad_value)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in params:
        if p.kind is _P.VAR_POSITIONAL:
            args.extend(values.get(p.name, []))
        elif p.kind is _P.POSITIONAL_ONLY:
            args.append(values.get(p.name, p.default))
        elif p.name in values and (p.kind is _P.POSITIONAL_OR_KEYWORD and p.required):
            args.append(values[p.name])
        elif p.name in values:
            kwargs[p.name] = values[p.name]
    sem = draw(st.sampled_from(["strict", "standard"]))
    return args, kwargs, sem


def _make(recipe: Any, backend: str) -> Any:
    if isinstance(recipe, (T, Fn)):
        return recipe.make(backend)
    if isinstance(recipe, dict):
        return {k: _make(v, backend) for k, v in recipe.items()}
    return recipe


def _snapshot(value: Any) -> Any:
    if isinstance(value, (ab.Tensor, ab.Variable)):
        return ("tensor", np.array(value, copy=True))
    if isinstance(value, np.ndarray):
        return ("array", value.copy())
    if isinstance(value, dict):
        return ("dict", {k: _snapshot(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return ("seq", repr(value))
    return ("other", None)


def _same(a: Any, b: Any) -> bool:
    if a[0] in ("tensor", "array"):
        return a[1].dtype == b[1].dtype and np.array_equal(a[1], b[1], equal_nan=True)
    if a[0] == "dict":
        return a[1].keys() == b[1].keys() and all(_same(a[1][k], b[1][k]) for k in a[1])
    return bool(a == b)


@dataclass
class Outcome:
    exc: BaseException | None
    ours: bool  # raised by arraybridge's code or its plugins' (not inside a backend library)


def _raised_by_us(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return False
    last = Path(frames[-1].filename).resolve()
    # arraybridge/ or a plugin of ours (backends/<name>/arraybridge_<name>/), not a library
    ours = any(part.startswith("arraybridge") for part in last.parts)
    return ours and "site-packages" not in last.parts


def _call(fname: str, args: list[Any], kwargs: dict[str, Any], sem: str, backend: str) -> Outcome:
    fn = FUNCTIONS[fname]
    a = [_make(v, backend) for v in args]
    kw = {k: _make(v, backend) for k, v in kwargs.items()}
    inputs = [*a, *kw.values()]
    before = [_snapshot(v) for v in inputs]
    be, se = ab.get_backend(), ab.get_semantics()
    ab.set_backend(backend)
    exc: BaseException | None = None
    try:
        with ab.semantics(sem):  # type: ignore[arg-type]
            result = fn(*a, **kw)
            if isinstance(result, contextlib.AbstractContextManager):
                with result:  # semantics(...), use_backend(...) check on entering
                    pass
    except Exception as e:
        exc = e
    finally:
        ab.set_backend(be)
        ab.set_semantics(se)
    after = [_snapshot(v) for v in inputs]
    for i, (x, y) in enumerate(zip(before, after, strict=True)):
        assert _same(x, y), f"{fname} changed its input #{i} ({inputs[i]!r}) on {backend}"
    return Outcome(exc, exc is not None and _raised_by_us(exc))


EXAMPLES = int(os.environ.get("ARRAYBRIDGE_FUZZ_EXAMPLES", "0")) or None


def _describe(o: Outcome) -> str:
    if o.exc is None:
        return "no error"
    return f"{type(o.exc).__module__}.{type(o.exc).__qualname__}: {o.exc}"


def _short(fname: str) -> str:
    return fname.rpartition(".")[2]


@pytest.fixture
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # checkpoint functions write where they are told


def _check_one(
    fname: str, call: tuple[list[Any], dict[str, Any], str], stats: Counter[str]
) -> None:
    """Run one call on every backend and judge the outcomes."""
    args, kwargs, sem = call
    stats["calls"] += 1
    outcomes = {b: _call(fname, args, kwargs, sem, b) for b in BACKENDS}
    shown = "; ".join(f"{b}: {_describe(o)}" for b, o in outcomes.items())
    types = {b: (type(o.exc) if o.exc is not None else None) for b, o in outcomes.items()}
    assert len(set(types.values())) == 1, f"{fname}{tuple(args)} {kwargs}: {shown}"
    kind = next(iter(types.values()))
    if kind is None:
        return
    stats["raised"] += 1
    allowed = ALLOWED | (
        {OSError} if "path" in inspect.signature(FUNCTIONS[fname]).parameters else set()
    )
    assert kind in allowed or (OSError in allowed and issubclass(kind, OSError)), (
        f"{fname}{tuple(args)} {kwargs}: not a documented error type: {shown}"
    )
    for b, o in outcomes.items():
        if issubclass(kind, OSError):
            continue  # the file system's own error, from the checkpoint functions
        assert o.ours, (
            f"{fname}{tuple(args)} {kwargs}: a backend's error reached the caller unconverted "
            f"on {b}: {_describe(o)}"
        )
        if issubclass(kind, (TypeError, ValueError, IndexError)):
            assert _short(fname) in str(o.exc), (
                f"{fname}{tuple(args)} {kwargs}: the message does not name the function on "
                f"{b}: {_describe(o)}"
            )


@pytest.mark.usefixtures("_in_tmp")
@pytest.mark.parametrize("fname", sorted(FUNCTIONS))
def test_bad_arguments(fname: str, record_property: Callable[[str, object], None]) -> None:
    stats: Counter[str] = Counter()

    @settings(max_examples=EXAMPLES) if EXAMPLES else (lambda f: f)
    @given(call=calls(fname))
    def check(call: tuple[list[Any], dict[str, Any], str]) -> None:
        _check_one(fname, call, stats)

    try:
        check()
    finally:
        # tests/conftest.py sums these into the line "fuzz: ... functions, ... calls"
        record_property("fuzz", (stats["calls"], stats["raised"], len(BACKENDS)))
