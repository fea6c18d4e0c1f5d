"""Backend discovery through entry points, selection, and a third-party plugin end to end."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import arraybridge as ab
from arraybridge.backend import _registry

pytestmark = pytest.mark.single_backend

HERE = Path(__file__).parent


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=full_env,
        check=False,
    )


@pytest.fixture
def third_party(tmp_path: Path) -> Iterator[None]:
    """Install tests/fake_backend's entry points as a distribution would (metadata only)."""
    dist = tmp_path / "fake_backend-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-backend\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[arraybridge.backends]\n"
        "fake = fake_backend:plugin\n"
        "missing = fake_backend:missing\n"
        "broken = fake_backend.broken:plugin\n"
    )
    sys.path[:0] = [str(tmp_path), str(HERE)]
    saved = (_registry._entry_points, dict(_registry._plugins), dict(_registry._broken))
    _registry._entry_points = None
    try:
        yield
    finally:
        sys.path.remove(str(tmp_path))
        sys.path.remove(str(HERE))
        _registry._entry_points, plugins, broken = saved
        _registry._plugins.clear()
        _registry._plugins.update(plugins)
        _registry._broken.clear()
        _registry._broken.update(broken)
        _registry._loaded.pop("fake", None)


def test_numpy_is_discovered_through_entry_points() -> None:
    from importlib import metadata

    names = {ep.name: ep.value for ep in metadata.entry_points(group="arraybridge.backends")}
    assert names["numpy"] == "arraybridge_numpy:plugin"
    statuses = {s.name: s for s in ab.backends()}
    assert statuses["numpy"].available and statuses["numpy"].reason is None


def test_default_backend_is_numpy() -> None:
    assert ab.get_backend() == "numpy"
    assert str(ab.asarray([1.0]).device) == "numpy:cpu"


def test_unknown_backend_lists_known_and_extra() -> None:
    from importlib import metadata

    registered = {ep.name for ep in metadata.entry_points(group="arraybridge.backends")}
    extras = set(metadata.metadata("arraybridge").get_all("Provides-Extra") or [])
    missing = sorted(e for e in ("cupy", "jax") if e in extras and e not in registered)
    for name in missing:  # an extra of ours whose plugin is not registered here
        with pytest.raises(ValueError, match=rf"unknown backend '{name}'.*arraybridge\[{name}\]"):
            ab.set_backend(name)
    for st in ab.backends():  # a registered but unavailable backend names its extra
        if not st.available and st.name in extras:
            with pytest.raises(ValueError, match=rf"not available.*arraybridge\[{st.name}\]"):
                ab.set_backend(st.name)
    with pytest.raises(ValueError, match=r"unknown backend 'torchy'.*known: .*numpy"):
        ab.set_backend("torchy")
    assert ab.get_backend() == "numpy"  # a failed switch changes nothing


def test_import_does_not_import_backends() -> None:
    r = run_python(
        """
        import sys, arraybridge as ab
        ab.asarray([1.0]) + 1
        print(sorted(m for m in ("jax", "cupy", "torch") if m in sys.modules))
        """
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_environment_variable_selects_backend() -> None:
    r = run_python("import arraybridge as ab; print(ab.get_backend())", ARRAYBRIDGE_BACKEND="numpy")
    assert r.stdout.strip() == "numpy"
    r = run_python("import arraybridge as ab; ab.zeros(2)", ARRAYBRIDGE_BACKEND="nope")
    assert r.returncode != 0 and "ARRAYBRIDGE_BACKEND='nope'" in r.stderr
    assert "unknown backend" in r.stderr


def test_environment_variable_selects_semantics() -> None:
    code = """
    import arraybridge as ab
    print(ab.get_semantics(), (ab.asarray(1.0) + ab.asarray(1.0, dtype=ab.float64)).dtype)
    """
    r = run_python(code, ARRAYBRIDGE_SEMANTICS="standard")
    assert r.stdout.split() == ["standard", "float64"], r.stderr
    r = run_python("import arraybridge", ARRAYBRIDGE_SEMANTICS="loose")
    assert r.returncode != 0 and "ARRAYBRIDGE_SEMANTICS" in r.stderr


def test_third_party_plugin_end_to_end(third_party: None) -> None:
    with pytest.warns(RuntimeWarning, match="broken"):
        statuses = {s.name: s for s in ab.backends()}
    assert statuses["fake"].available
    assert not statuses["missing"].available
    assert "arraybridge_no_such_library is not installed" in str(statuses["missing"].reason)
    assert "arraybridge[missing]" in str(statuses["missing"].reason)

    with ab.use_backend("fake"):
        assert ab.get_backend() == "fake"
        x = ab.ones(3)
        assert str(x.device) == "fake:cpu"
        assert x.dtype is ab.float32
        with pytest.raises(ab.DTypeError, match="fake backend does not support float64"):
            ab.zeros(2, dtype=ab.float64)
        info = ab.__array_namespace_info__()
        assert set(info.dtypes()) == {"bool", "int64", "float32"}
        assert [str(d) for d in info.devices()] == ["fake:cpu", "fake:cpu2"]
    assert ab.get_backend() == "numpy"

    y = ab.ones(3)
    with pytest.raises(ValueError, match=r"different devices \(numpy:cpu and fake:cpu\)"):
        y + x
    moved = ab.asarray(x, device="numpy")
    assert str(moved.device) == "numpy:cpu"
    np.testing.assert_array_equal(np.asarray(moved + y), [2.0, 2.0, 2.0])
    assert str(y.to_device(x.device).device) == "fake:cpu"

    with pytest.raises(ValueError, match="not available here"):
        ab.set_backend("missing")


def test_broken_plugin_warns_and_is_listed(third_party: None) -> None:
    with pytest.warns(RuntimeWarning, match="'broken' failed to import"):
        statuses = {s.name: s for s in ab.backends()}
    assert not statuses["broken"].available
    assert "broken on purpose" in str(statuses["broken"].reason)
    with pytest.raises(ValueError, match="failed to load"):
        ab.set_backend("broken")
    assert ab.get_backend() == "numpy"


def test_use_backend_is_per_thread(third_party: None) -> None:
    seen: list[str] = []
    entered = threading.Event()
    release = threading.Event()

    def other() -> None:
        entered.wait()
        seen.append(ab.get_backend())
        release.set()

    th = threading.Thread(target=other)
    th.start()
    with ab.use_backend("fake"):
        entered.set()
        release.wait()
        assert ab.get_backend() == "fake"
    th.join()
    assert seen == ["numpy"]


def test_semantics_context_is_per_thread() -> None:
    seen: list[str] = []
    with ab.semantics("standard"):
        th = threading.Thread(target=lambda: seen.append(ab.get_semantics()))
        th.start()
        th.join()
        assert ab.get_semantics() == "standard"
    assert seen == ["strict"]
    assert ab.get_semantics() == "strict"


def test_set_semantics_validates() -> None:
    with pytest.raises(ValueError, match="'strict' or 'standard'"):
        ab.set_semantics("loose")  # type: ignore[arg-type]
    ab.set_semantics("standard")
    assert ab.get_semantics() == "standard"
    with ab.semantics("strict"):
        assert ab.get_semantics() == "strict"
    assert ab.get_semantics() == "standard"


def test_a_functions_real_inputs_variant_comes_from_the_function_itself() -> None:
    """``fn.real_inputs`` is what the fast path calls for real tensors; a subclass that
    overrides the function replaces it for every input (there is no key of its own)."""
    from arraybridge_numpy import NumPyPlugin

    from arraybridge.backend._runtime import REAL, Backend

    def general(x: object, /) -> str:
        return "general"

    def real(x: object, /) -> str:
        return "real"

    general.real_inputs = real  # type: ignore[attr-defined]

    class WithVariant(NumPyPlugin):
        name = "with_variant"

        def overrides(self) -> dict[str, object]:  # type: ignore[override]
            return {**super().overrides(), "exp": general}

    class Overridden(WithVariant):
        name = "overridden"

        def overrides(self) -> dict[str, object]:  # type: ignore[override]
            return {**super().overrides(), "exp": lambda x, /: "mine"}

    be = Backend(WithVariant())
    assert be.fns["exp" + REAL](0) == "real" and be.fns["exp"](0) == "general"
    assert be.hot["exp" + REAL](0) == "real"  # (run in the plugin's context)
    mine = Backend(Overridden())
    assert mine.fns["exp" + REAL](0) == "mine" and mine.hot["exp" + REAL](0) == "mine"
    plain = Backend(NumPyPlugin())
    assert plain.fns["sqrt" + REAL] is plain.fns["sqrt"]  # no variant: the function itself
