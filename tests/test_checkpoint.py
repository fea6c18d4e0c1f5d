"""Checkpoints: ab.save / ab.load / ab.restore (format, integrity, atomicity, backends)."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import arraybridge as ab
from arraybridge import _dtypes

DTYPES = [d.name for d in _dtypes.ALL]  # the 13 dtypes of the standard


def vals(t: Any) -> np.ndarray:
    return np.asarray(t)


def sample(dtype: str, shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype.startswith("complex"):
        return (rng.normal(size=shape) + 1j * rng.normal(size=shape)).astype(dtype)
    if dtype.startswith("float"):
        return rng.normal(size=shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)


def small_file(path: Path) -> dict[str, ab.Variable]:
    """A checkpoint of three variables; returns fresh variables of the same names."""
    ab.save(
        path,
        {
            "w": ab.Variable([[1.0, 2.0], [3.0, 4.0]]),
            "b": ab.Variable([5, 6], dtype=ab.int32),
            "s": ab.asarray(True),
        },
    )
    return {
        "w": ab.Variable(np.zeros((2, 2), np.float32)),
        "b": ab.Variable(np.zeros(2, np.int32)),
    }


def snapshot(variables: dict[str, ab.Variable]) -> dict[str, tuple[np.ndarray, Any]]:
    return {k: (vals(v).copy(), id(v._buf)) for k, v in variables.items()}


def assert_unchanged(variables: dict[str, ab.Variable], before: dict[str, Any]) -> None:
    for k, v in variables.items():
        np.testing.assert_array_equal(vals(v), before[k][0])
        assert id(v._buf) == before[k][1]


# -- round trips ----------------------------------------------------------------------------------


def test_every_dtype_round_trips(tmp_path: Path) -> None:
    mapping: dict[str, Any] = {}
    expected: dict[str, np.ndarray] = {}
    for i, dt in enumerate(DTYPES):
        for shape in [(), (0,), (3,), (2, 0, 3), (2, 3)]:
            a = sample(dt, shape, seed=i)
            name = f"{dt}{shape}"
            kind = i % 3
            mapping[name] = ab.Variable(a) if kind == 0 else ab.asarray(a) if kind == 1 else a
            expected[name] = a
    path = tmp_path / "all.abck"
    ab.save(path, mapping)
    loaded = ab.load(path)
    assert list(loaded) == list(expected)
    here = ab.asarray(0).device
    for name, a in expected.items():
        t = loaded[name]
        assert type(t) is ab.Tensor and t.device == here
        assert t.dtype.name == a.dtype.name and t.shape == a.shape
        np.testing.assert_array_equal(vals(t), a)


def test_save_takes_a_snapshot_and_restore_assigns(tmp_path: Path) -> None:
    w = ab.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
    step = ab.Variable(7)
    path = tmp_path / "ck"
    ab.save(str(path), {"w": w, "step": step})
    w.assign(0.0)
    step.assign_add(1)
    s = w.value()
    assert ab.restore(path, {"w": w, "step": step}) is None
    np.testing.assert_array_equal(vals(w), [[1.0, 2.0], [3.0, 4.0]])
    assert int(step) == 7 and w.dtype is ab.float32
    np.testing.assert_array_equal(vals(s), np.zeros((2, 2)))  # snapshots keep their values


def test_restore_ignores_names_it_is_not_given(tmp_path: Path) -> None:
    path = tmp_path / "ck"
    small_file(path)
    only = ab.Variable(np.zeros(2, np.int32))
    ab.restore(path, {"b": only})
    np.testing.assert_array_equal(vals(only), [5, 6])
    ab.restore(path, {})


def test_names_and_paths(tmp_path: Path) -> None:
    path = tmp_path / "names"
    ab.save(path, {"ünï/côdé name": ab.asarray([1.0]), "": np.arange(3), "\ud800": np.ones(1)})
    loaded = ab.load(os.fspath(path))
    assert set(loaded) == {"ünï/côdé name", "", "\ud800"}
    ab.save(path, {})
    assert ab.load(path) == {}


def test_big_endian_arrays_are_stored_little_endian(tmp_path: Path) -> None:
    a = np.arange(5, dtype=">i4")
    path = tmp_path / "be"
    ab.save(path, {"a": a, "c": np.array([1 + 2j], dtype=">c16")})
    raw = path.read_bytes()
    assert np.arange(5, dtype="<i4").tobytes() in raw
    loaded = ab.load(path)
    np.testing.assert_array_equal(vals(loaded["a"]), np.arange(5))
    assert loaded["a"].dtype is ab.int32 and complex(loaded["c"][0]) == 1 + 2j


# -- the format ---------------------------------------------------------------------------------


def test_the_format_is_documented_bytes_and_no_pickle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "fmt"
    ab.save(path, {"x": np.array([1.5, 2.5], dtype=np.float64)})
    raw = path.read_bytes()
    magic, version, n = struct.unpack("<8sIQ", raw[:20])
    assert magic == b"\x89ABCKPT\n" and version == 1
    index = json.loads(raw[20 : 20 + n])
    assert index["format"] == "arraybridge-checkpoint" and index["version"] == 1
    (entry,) = index["tensors"]
    assert entry["name"] == "x" and entry["dtype"] == "float64" and entry["shape"] == [2]
    assert raw[20 + n : 20 + n + 32] == hashlib.sha256(raw[: 20 + n]).digest()
    data = raw[20 + n + 32 :]
    assert data == np.array([1.5, 2.5], "<f8").tobytes() and entry["nbytes"] == 16
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()

    def no_pickle(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a checkpoint must never be unpickled")

    monkeypatch.setattr(pickle, "loads", no_pickle)
    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "Unpickler", no_pickle)
    np.testing.assert_array_equal(vals(ab.load(path)["x"]), [1.5, 2.5])


def _rewrite(path: Path, mutate: Any) -> None:
    """Rewrite the index through ``mutate`` and fix the header checksum (a 'valid' file)."""
    raw = path.read_bytes()
    magic, version, n = struct.unpack("<8sIQ", raw[:20])
    index = json.loads(raw[20 : 20 + n])
    version = mutate(index) or version
    new = json.dumps(index).encode()
    head = struct.pack("<8sIQ", magic, version, len(new)) + new
    path.write_bytes(head + hashlib.sha256(head).digest() + raw[20 + n + 32 :])


def test_unsupported_version_and_inconsistent_index(tmp_path: Path) -> None:
    path = tmp_path / "v"
    targets = small_file(path)
    before = snapshot(targets)
    _rewrite(path, lambda index: 2)
    with pytest.raises(ValueError, match="version 2"):
        ab.load(path)
    for mutate, message in [
        (lambda i: i["tensors"][0].__setitem__("dtype", "float16"), "unknown dtype"),
        (lambda i: i["tensors"][0].__setitem__("shape", [3, 2]), "inconsistent"),
        (lambda i: i["tensors"][1].__setitem__("offset", 0), "inconsistent"),
        (lambda i: i["tensors"][1].__setitem__("name", "w"), "repeated name"),
        (lambda i: i["tensors"][0].__setitem__("extra", 1), "malformed"),
        (lambda i: i.__setitem__("format", "pickle"), "not a checkpoint index"),
    ]:
        small_file(path)
        _rewrite(path, mutate)
        with pytest.raises(ValueError, match=message):
            ab.restore(path, targets)
        assert_unchanged(targets, before)


# -- damage ----------------------------------------------------------------------------------------


def test_truncation_anywhere_raises_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t"
    targets = small_file(path)
    raw = path.read_bytes()
    before = snapshot(targets)
    n = struct.unpack("<Q", raw[12:20])[0]
    cuts = {0, 3, 8, 11, 12, 19, 20, 20 + n // 2, 20 + n, 20 + n + 16, 20 + n + 32}
    cuts |= {20 + n + 33, len(raw) - 9, len(raw) - 1}
    for cut in sorted(cuts):
        path.write_bytes(raw[:cut])
        with pytest.raises(ValueError, match="not a valid arraybridge checkpoint"):
            ab.load(path)
        with pytest.raises(ValueError, match="not a valid arraybridge checkpoint"):
            ab.restore(path, targets)
        assert_unchanged(targets, before)
    path.write_bytes(raw + b"\x00")
    with pytest.raises(ValueError, match="holds 26 bytes but the index describes 25"):
        ab.load(path)
    path.write_bytes(raw)
    ab.restore(path, targets)
    np.testing.assert_array_equal(vals(targets["b"]), [5, 6])


@pytest.mark.parametrize("flip", [0x01, 0x80])
def test_a_flipped_byte_anywhere_raises_and_changes_nothing(tmp_path: Path, flip: int) -> None:
    path = tmp_path / "f"
    targets = small_file(path)
    raw = path.read_bytes()
    before = snapshot(targets)
    n = struct.unpack("<Q", raw[12:20])[0]
    edges = [(8, "magic"), (12, "version"), (20, "length"), (20 + n, "index"), (52 + n, "digest")]
    seen = set()
    for i in range(len(raw)):
        damaged = bytearray(raw)
        damaged[i] ^= flip
        path.write_bytes(bytes(damaged))
        region = next((r for end, r in edges if i < end), "data")
        seen.add(region)
        with pytest.raises(ValueError) as err:
            ab.restore(path, targets)
        assert "not a valid arraybridge checkpoint" in str(err.value), (i, region)
        assert_unchanged(targets, before)
    assert seen == {"magic", "version", "length", "index", "digest", "data"}


def test_not_a_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "x.npy"
    np.save(path, np.arange(3))
    with pytest.raises(ValueError, match="magic"):
        ab.load(path)
    with pytest.raises(FileNotFoundError):
        ab.load(tmp_path / "missing")


# -- restore's checks ----------------------------------------------------------------------------


def test_restore_is_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r"
    small_file(path)
    good = ab.Variable(np.zeros((2, 2), np.float32))
    cases: list[tuple[dict[str, Any], type[BaseException], str]] = [
        ({"w": good, "b": ab.Variable(np.zeros(3, np.int32))}, ValueError, r"shape \(2,\).*\(3,\)"),
        ({"w": good, "b": ab.Variable(np.zeros(2, np.int64))}, ValueError, "int32.*int64"),
        ({"w": good, "missing": ab.Variable(0.0)}, ValueError, r"no value for \['missing'\]"),
        ({"w": good, "b": ab.asarray([0, 0], dtype=ab.int32)}, TypeError, "ab.Variable"),
        ({"w": good, 3: ab.Variable(0.0)}, TypeError, "names must be str"),
    ]
    before = snapshot({"w": good})
    for mapping, error, message in cases:
        with pytest.raises(error, match=message):
            ab.restore(path, mapping)
        assert_unchanged({"w": good}, before)
    with pytest.raises(TypeError):
        ab.restore(path, [good])  # type: ignore[arg-type]


# -- save's checks and atomic writing ------------------------------------------------------------


def test_save_argument_errors(tmp_path: Path) -> None:
    path = tmp_path / "e"
    with pytest.raises(TypeError, match="names must be str"):
        ab.save(path, {1: ab.asarray(1.0)})
    with pytest.raises(TypeError, match="list"):
        ab.save(path, {"x": [1.0, 2.0]})
    with pytest.raises(ab.DTypeError, match="float16"):
        ab.save(path, {"x": np.zeros(2, np.float16)})
    with pytest.raises(TypeError, match="path"):
        ab.save(3, {})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="mapping"):
        ab.save(path, [("x", ab.asarray(1.0))])  # type: ignore[arg-type]
    assert not path.exists()


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "atomic"
    ab.save(path, {"x": ab.asarray([1.0, 2.0])})
    old = path.read_bytes()

    def crash(*args: Any) -> None:
        raise OSError("disk on fire")

    for target in ("replace", "fsync"):
        with monkeypatch.context() as m:
            m.setattr(os, target, crash)
            with pytest.raises(OSError, match="disk on fire"):
                ab.save(path, {"x": ab.asarray([3.0, 4.0]), "y": ab.zeros(1000)})
        assert path.read_bytes() == old
        assert sorted(p.name for p in tmp_path.iterdir()) == ["atomic"]  # no temporary left
    ab.save(path, {"x": ab.asarray([3.0, 4.0])})
    np.testing.assert_array_equal(vals(ab.load(path)["x"]), [3.0, 4.0])


# -- across backends ------------------------------------------------------------------------------


def test_files_load_on_every_backend(tmp_path: Path) -> None:
    names = [s.name for s in ab.backends() if s.available]
    here = ab.get_backend()
    path = tmp_path / "cross"
    w = ab.Variable(sample("float32", (3, 2)))
    i = ab.Variable(sample("int64", (4,)))
    c = ab.Variable(sample("complex128", (2,)))
    ab.save(path, {"w": w, "i": i, "c": c})
    for name in names:
        with ab.use_backend(name):
            loaded = ab.load(path)
            assert all(str(t.device).startswith(name) for t in loaded.values())
            targets = {
                "w": ab.Variable(np.zeros((3, 2), np.float32)),
                "i": ab.Variable(np.zeros(4, np.int64)),
            }
            ab.restore(path, targets)
        for k, v in [("w", w), ("i", i), ("c", c)]:
            np.testing.assert_array_equal(vals(loaded[k]), vals(v))
        for k, t in targets.items():
            assert str(t.device).startswith(name)
            np.testing.assert_array_equal(vals(t), vals({"w": w, "i": i}[k]))
    assert ab.get_backend() == here
