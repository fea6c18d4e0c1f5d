"""Array-API consumers (scikit-learn, SciPy, array-api-extra) on arraybridge tensors.

In standard semantics each call gets tensors and must return tensors (or Python scalars
where the library returns those) whose values equal the same call on NumPy arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import array_api_compat
import numpy as np
import pytest

import arraybridge as ab

sklearn = pytest.importorskip("sklearn")
scipy = pytest.importorskip("scipy")
xpx = pytest.importorskip("array_api_extra")

from scipy import special, stats  # noqa: E402
from scipy.cluster import vq  # noqa: E402
from sklearn import config_context  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.metrics import accuracy_score, mean_squared_error, r2_score  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402

RNG = np.random.default_rng(1234)
X = RNG.normal(size=(40, 4))
Y_CLASS = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)
Y_REG = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * RNG.normal(size=40)


@pytest.fixture(autouse=True)
def _standard() -> Iterator[None]:
    with ab.semantics("standard"):
        yield


def same(on_tensors: Any, on_numpy: Any) -> None:
    if isinstance(on_numpy, np.ndarray):
        assert isinstance(on_tensors, ab.Tensor), type(on_tensors)
        np.testing.assert_allclose(np.asarray(on_tensors), on_numpy, rtol=1e-7, atol=1e-9)
    else:
        np.testing.assert_allclose(float(on_tensors), float(on_numpy), rtol=1e-7)


def both(fn: Callable[..., Any], *arrays: np.ndarray) -> None:
    """``fn`` on tensors equals ``fn`` on (copies of) the NumPy arrays."""
    on_tensors = fn(*(ab.asarray(a) for a in arrays))
    same(on_tensors, fn(*(a.copy() for a in arrays)))


def _xp(x: Any) -> Any:
    return array_api_compat.array_namespace(x)


SKLEARN: dict[str, Callable[..., Any]] = {
    "StandardScaler": lambda x: StandardScaler().fit_transform(x),
    "MinMaxScaler": lambda x: MinMaxScaler().fit_transform(x),
    "PCA": lambda x: _xp(x).abs(PCA(n_components=2, svd_solver="full").fit_transform(x)),
    "Ridge": lambda x, y: Ridge(alpha=0.5, solver="svd").fit(x, y).predict(x),
    "LinearDiscriminantAnalysis": lambda x, c: LinearDiscriminantAnalysis().fit(x, c).predict(x),
    "r2_score": lambda x, y: r2_score(y, x[:, 0]),
    "mean_squared_error": lambda x, y: mean_squared_error(y, x[:, 0]),
    "accuracy_score": lambda x, c: accuracy_score(c, _xp(x).astype(x[:, 0] > 0, c.dtype)),
}


@pytest.mark.parametrize("name", SKLEARN)
def test_sklearn_array_api_dispatch(name: str) -> None:
    fn = SKLEARN[name]
    extra = {"Ridge": Y_REG, "r2_score": Y_REG, "mean_squared_error": Y_REG}.get(name)
    classes = name in ("LinearDiscriminantAnalysis", "accuracy_score")
    args = (X, Y_CLASS) if classes else (X,) if extra is None else (X, extra)
    with config_context(array_api_dispatch=True):
        both(fn, *args)


SCIPY: dict[str, Callable[[Any], Any]] = {
    "special.logsumexp": lambda x: special.logsumexp(x, axis=0),
    "special.softmax": lambda x: special.softmax(x, axis=1),
    "special.erf": special.erf,
    "stats.zscore": stats.zscore,
    "stats.moment": lambda x: stats.moment(x, order=3, axis=0),
    "stats.skew": lambda x: stats.skew(x, axis=0),
    "cluster.vq.whiten": vq.whiten,
}


@pytest.mark.parametrize("name", SCIPY)
def test_scipy_array_api(name: str) -> None:
    both(SCIPY[name], X)


XPX: dict[str, Callable[..., Any]] = {
    "atleast_nd": lambda x: xpx.atleast_nd(x[0], ndim=3),
    "cov": lambda x: xpx.cov(x.T),
    "kron": lambda x: xpx.kron(x[:3, :2], x[:2, :3]),
    "pad": lambda x: xpx.pad(x, 2),
    "sinc": xpx.sinc,
    "create_diagonal": lambda x: xpx.create_diagonal(x[0]),
    "isclose": lambda x: xpx.isclose(x, x + 1e-12),
    "at.set": lambda x: xpx.at(x)[1:3, 0].set(7.0),
    "at.add": lambda x: xpx.at(x)[0].add(1.0),
}


@pytest.mark.parametrize("name", XPX)
def test_array_api_extra(name: str) -> None:
    both(XPX[name], X)


def test_array_api_extra_at_copy_leaves_input_and_views_unchanged() -> None:
    x = ab.asarray(X)
    view = x[0]
    out = xpx.at(x)[0, 0].set(100.0, copy=True)
    assert float(out[0, 0]) == 100.0
    np.testing.assert_array_equal(np.asarray(x), X)
    # copy=None may write in place (xpx's documented contract): only x changes, not views
    xpx.at(x)[0, 0].set(100.0)
    np.testing.assert_array_equal(np.asarray(view), X[0])


def test_array_api_extra_set_functions() -> None:
    a, b = np.array([1, 2, 2, 3, 5]), np.array([2, 5])
    same(xpx.setdiff1d(ab.asarray(a), ab.asarray(b)), np.setdiff1d(a, b))
    assert int(xpx.nunique(ab.asarray(a))) == 4
