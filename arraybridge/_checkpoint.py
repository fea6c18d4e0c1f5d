"""Checkpoints: ``save``, ``load`` and ``restore`` in a format that never runs code.

A file is, in order (integers little-endian):

=========  =========================================================================
bytes      contents
=========  =========================================================================
8          magic ``b"\\x89ABCKPT\\n"``
4          format version (uint32), 1
8          length H of the index (uint64)
H          the index: JSON in ASCII ``{"format": "arraybridge-checkpoint", "version": 1,
           "tensors": [{"name", "dtype", "shape", "offset", "nbytes", "sha256"}, ...]}``
32         SHA-256 of everything above (magic, version, length, index)
...        the arrays' bytes, C order, little-endian, one after the other (offsets
           relative to the start of this region, no padding); each entry's ``sha256``
           is that of its bytes
=========  =========================================================================

Every byte of a file is covered by a check (the magic, the version, the index checksum,
each array's checksum and the exact file size), so a truncated file or a flipped byte
raises ``ValueError``. Files are written atomically: into a temporary file in the same
directory, flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import struct
from collections.abc import Mapping
from typing import IO, Any

import numpy as np

from . import _dtypes
from ._convert import resolve_device
from ._errors import DTypeError
from ._tensor import Tensor
from ._variable import Variable

__all__ = ["load", "restore", "save"]

MAGIC = b"\x89ABCKPT\n"
VERSION = 1
FORMAT = "arraybridge-checkpoint"
_PREFIX = struct.Struct("<8sIQ")  # magic, version, index length
_DIGEST = 32
_MAX_INDEX = 1 << 31  # an index larger than this is not one we wrote
_NUMPY_OF = {d.name: np.dtype(d.name).newbyteorder("<") for d in _dtypes.ALL}


def _path(path: Any, where: str) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{where}: path must be a str or os.PathLike, got {type(path).__name__}")
    p = os.fspath(path)
    return p if isinstance(p, str) else os.fsdecode(p)


def _host(value: Any, name: str) -> np.ndarray[Any, Any]:
    """A C-contiguous little-endian NumPy array of ``value``'s values (a snapshot)."""
    if isinstance(value, Tensor):
        snap = value.value() if isinstance(value, Variable) else value
        arr = snap._dev.backend.to_numpy(snap._data)
    elif isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if arr.dtype.name not in _NUMPY_OF or arr.dtype.kind not in "biufc":
            raise DTypeError(
                f"save: {name!r} has dtype {arr.dtype}, which is not one of the Array API's "
                "13 dtypes"
            )
    else:
        raise TypeError(
            f"save: {name!r} must be an ab.Variable, an ab.Tensor or a NumPy array, got "
            f"{type(value).__name__}"
        )
    return np.ascontiguousarray(arr, dtype=_NUMPY_OF[arr.dtype.name]).reshape(arr.shape)


def save(path: str | os.PathLike[str], mapping: Mapping[str, Any]) -> None:
    """Write ``mapping`` (names to variables, tensors or NumPy arrays) to ``path``.

    The file is replaced atomically: a crash while writing leaves any old file intact.
    Variables are saved as a snapshot of their values at the call.
    """
    where = "save"
    target = _path(path, where)
    if not isinstance(mapping, Mapping):
        raise TypeError(f"{where}: expected a mapping of names to tensors, got {type(mapping)}")
    entries: list[dict[str, Any]] = []
    arrays: list[np.ndarray[Any, Any]] = []
    offset = 0
    for name, value in mapping.items():
        if not isinstance(name, str):
            raise TypeError(f"{where}: names must be str, got {type(name).__name__} {name!r}")
        arr = _host(value, name)
        data = arr.reshape(-1).data.cast("B") if arr.size else memoryview(b"")
        entries.append(
            {
                "name": name,
                "dtype": arr.dtype.name,
                "shape": list(arr.shape),
                "offset": offset,
                "nbytes": data.nbytes,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
        arrays.append(arr)
        offset += data.nbytes
    index = json.dumps(
        {"format": FORMAT, "version": VERSION, "tensors": entries}, separators=(",", ":")
    ).encode("ascii")  # non-ASCII names are escaped (any str, even lone surrogates, fits)
    head = _PREFIX.pack(MAGIC, VERSION, len(index)) + index
    _write_atomically(target, head, hashlib.sha256(head).digest(), arrays)


def _write_atomically(
    target: str, head: bytes, digest: bytes, arrays: list[np.ndarray[Any, Any]]
) -> None:
    directory = os.path.dirname(os.path.abspath(target))
    tmp = os.path.join(directory, f".{os.path.basename(target)}.{secrets.token_hex(8)}.tmp")
    # O_EXCL: never write into someone else's file; the mode respects the umask
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(head)
            f.write(digest)
            for arr in arrays:
                if arr.size:
                    f.write(arr.reshape(-1).data.cast("B"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _sync_directory(directory)


def _sync_directory(directory: str) -> None:
    """Flush the rename to disk (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _corrupt(path: str, why: str) -> ValueError:
    return ValueError(f"{path!r} is not a valid arraybridge checkpoint: {why}")


def _read_exact(f: IO[bytes], n: int, path: str, what: str) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise _corrupt(path, f"the file is truncated (in the {what})")
    return data


def _entries(
    index: Any, data_size: int, path: str
) -> list[tuple[str, np.dtype[Any], tuple[int, ...], int, int, str]]:
    """The validated index entries: (name, dtype, shape, offset, nbytes, sha256)."""
    if (
        not isinstance(index, dict)
        or index.get("format") != FORMAT
        or index.get("version") != VERSION
        or not isinstance(index.get("tensors"), list)
    ):
        raise _corrupt(path, "the index is not a checkpoint index")
    out = []
    names: set[str] = set()
    offset = 0
    for e in index["tensors"]:
        if not isinstance(e, dict) or set(e) != {
            "name",
            "dtype",
            "shape",
            "offset",
            "nbytes",
            "sha256",
        }:
            raise _corrupt(path, "an index entry is malformed")
        name, dtype, shape = e["name"], e["dtype"], e["shape"]
        if not isinstance(name, str) or name in names:
            raise _corrupt(path, f"bad or repeated name {name!r}")
        names.add(name)
        if dtype not in _NUMPY_OF:
            raise _corrupt(path, f"{name!r} has an unknown dtype {dtype!r}")
        if not isinstance(shape, list) or not all(type(s) is int and s >= 0 for s in shape):
            raise _corrupt(path, f"{name!r} has a bad shape {shape!r}")
        nt = _NUMPY_OF[dtype]
        nbytes = math.prod(shape) * nt.itemsize
        sha = e["sha256"]
        if e["offset"] != offset or e["nbytes"] != nbytes:
            raise _corrupt(path, f"{name!r} has inconsistent offset or size")
        if not isinstance(sha, str) or len(sha) != 64:
            raise _corrupt(path, f"{name!r} has a bad checksum field")
        out.append((name, nt, tuple(shape), offset, nbytes, sha))
        offset += nbytes
    if offset != data_size:
        raise _corrupt(
            path,
            f"the data region holds {data_size} bytes but the index describes {offset}"
            + (" (the file is truncated)" if data_size < offset else ""),
        )
    return out


def _read(path: Any, where: str) -> dict[str, np.ndarray[Any, Any]]:
    """Every array of the checkpoint at ``path``, verified, as NumPy arrays."""
    p = _path(path, where)
    with open(p, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        prefix = _read_exact(f, _PREFIX.size, p, "header")
        magic, version, n = _PREFIX.unpack(prefix)
        if magic != MAGIC:
            raise _corrupt(p, "the magic bytes are wrong (not a checkpoint, or damaged)")
        if version != VERSION:
            raise _corrupt(p, f"format version {version}; this arraybridge reads version {VERSION}")
        if n > _MAX_INDEX or _PREFIX.size + n + _DIGEST > size:
            raise _corrupt(p, "the index length is wrong or the file is truncated")
        raw = _read_exact(f, n, p, "index")
        digest = _read_exact(f, _DIGEST, p, "index checksum")
        if hashlib.sha256(prefix + raw).digest() != digest:
            raise _corrupt(p, "the header's checksum does not match (the header is damaged)")
        try:
            index = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise _corrupt(p, "the index is not valid JSON") from None
        data_size = size - _PREFIX.size - n - _DIGEST
        out: dict[str, np.ndarray[Any, Any]] = {}
        for name, nt, shape, _offset, nbytes, sha in _entries(index, data_size, p):
            arr = np.empty(shape, dtype=nt)
            if nbytes:
                view = arr.reshape(-1).data.cast("B")
                if f.readinto(view) != nbytes:
                    raise _corrupt(p, f"the file is truncated (in {name!r})")
                if hashlib.sha256(view).hexdigest() != sha:
                    raise _corrupt(p, f"the checksum of {name!r} does not match (data damaged)")
            elif hashlib.sha256(b"").hexdigest() != sha:
                raise _corrupt(p, f"the checksum of {name!r} does not match")
            out[name] = arr
        if f.read(1):
            raise _corrupt(p, "unexpected bytes after the last array")
    return out


def load(path: str | os.PathLike[str]) -> dict[str, Tensor]:
    """The tensors saved at ``path``, by name, on the current backend's default device.

    Raises ValueError for a file that is truncated, damaged or not a checkpoint.
    """
    from ._convert import asarray

    dev = resolve_device(None, "load")
    return {name: asarray(arr, device=dev) for name, arr in _read(path, "load").items()}


def restore(path: str | os.PathLike[str], variables: Mapping[str, Any]) -> None:
    """Assign the values saved at ``path`` into ``variables`` (names to ab.Variable).

    All or nothing: the whole file is verified and every name, dtype and shape checked
    before any variable changes. Every name in ``variables`` must be in the file (else
    ValueError); names in the file that ``variables`` does not mention are ignored.
    """
    from ._convert import asarray

    where = "restore"
    if not isinstance(variables, Mapping):
        raise TypeError(f"{where}: expected a mapping of names to variables, got {type(variables)}")
    for name, var in variables.items():
        if not isinstance(name, str):
            raise TypeError(f"{where}: names must be str, got {type(name).__name__} {name!r}")
        if not isinstance(var, Variable):
            raise TypeError(
                f"{where}: {name!r} must be an ab.Variable (values are assigned into it), got "
                f"{type(var).__name__}"
            )
    saved = _read(path, where)
    missing = sorted(set(variables) - set(saved))
    if missing:
        raise ValueError(
            f"{where}: {_path(path, where)!r} has no value for {missing}; it holds {sorted(saved)}"
        )
    values = []
    for name, var in variables.items():
        arr = saved[name]
        if arr.dtype.name != var.dtype.name:
            raise ValueError(
                f"{where}: {name!r} is saved as {arr.dtype.name} but the variable is {var.dtype}"
            )
        if arr.shape != var.shape:
            raise ValueError(
                f"{where}: {name!r} is saved with shape {arr.shape} but the variable has "
                f"shape {var.shape}"
            )
        values.append((var, asarray(arr, device=var.device)))
    for var, value in values:
        var.assign(value)
