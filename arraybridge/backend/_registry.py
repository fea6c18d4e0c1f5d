"""Discovery of backend plugins through entry points, and the choice of the current backend.

Entry points are listed cheaply; a plugin is imported the first time it is asked for.
The choice is process-wide (``set_backend``, ``ARRAYBRIDGE_BACKEND``) and can be
overridden per thread or async task (``use_backend``).
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from ._contract import Plugin
from ._runtime import Backend, Device

__all__ = [
    "BackendStatus",
    "backends",
    "current",
    "device_from_string",
    "get_backend",
    "load",
    "set_backend",
    "use_backend",
]

GROUP = "arraybridge.backends"
DEFAULT = "numpy"

_lock = threading.RLock()
_entry_points: dict[str, metadata.EntryPoint] | None = None
_plugins: dict[str, Plugin] = {}
_broken: dict[str, str] = {}
_loaded: dict[str, Backend] = {}
_global: str | None = None  # None: ARRAYBRIDGE_BACKEND or the default
_local: ContextVar[Backend | None] = ContextVar("arraybridge_backend", default=None)
_current: Backend | None = None  # the resolved process-wide backend


@dataclass(frozen=True)
class BackendStatus:
    """One discovered backend: whether it can be used here, and why not when it cannot."""

    name: str
    available: bool
    reason: str | None = None


def _discover() -> dict[str, metadata.EntryPoint]:
    global _entry_points
    if _entry_points is None:
        found: dict[str, metadata.EntryPoint] = {}
        for ep in metadata.entry_points(group=GROUP):
            found.setdefault(ep.name, ep)
        _entry_points = found
    return _entry_points


def _extras() -> list[str]:
    try:
        return list(metadata.metadata("arraybridge").get_all("Provides-Extra") or [])
    except metadata.PackageNotFoundError:
        return []


def _unknown(name: str) -> ValueError:
    known = ", ".join(sorted(_discover())) or "none"
    if name in _extras():
        hint = f"install it with pip install 'arraybridge[{name}]'"
    else:
        hint = "install a plugin package that registers it in the 'arraybridge.backends' group"
    return ValueError(f"unknown backend {name!r} (known: {known}); {hint}")


def _plugin(name: str) -> Plugin:
    """The plugin object for ``name``, importing its module on first use."""
    if name in _plugins:
        return _plugins[name]
    if name in _broken:
        raise ValueError(f"backend {name!r} failed to load: {_broken[name]}")
    eps = _discover()
    if name not in eps:
        raise _unknown(name)
    try:
        obj: Any = eps[name].load()
        plugin: Plugin = obj() if isinstance(obj, type) else obj
        if not isinstance(getattr(plugin, "name", None), str):
            raise TypeError(f"entry point {eps[name].value!r} is not a backend plugin")
    except Exception as exc:  # a broken third-party plugin must not take arraybridge down
        _broken[name] = f"{type(exc).__name__}: {exc}"
        warnings.warn(
            f"arraybridge backend plugin {name!r} failed to import: {_broken[name]}",
            RuntimeWarning,
            stacklevel=3,
        )
        raise ValueError(f"backend {name!r} failed to load: {_broken[name]}") from exc
    _plugins[name] = plugin
    return plugin


def load(name: str) -> Backend:
    """The loaded backend ``name``; ValueError if unknown, broken or unavailable."""
    be = _loaded.get(name) if isinstance(name, str) else None
    if be is not None:
        return be
    if not isinstance(name, str):
        raise TypeError(f"backend name must be a str, got {type(name).__name__}")
    with _lock:
        be = _loaded.get(name)
        if be is None:
            plugin = _plugin(name)
            reason = plugin.unavailable_reason()
            if reason is not None:
                raise ValueError(f"backend {name!r} is not available here: {reason}")
            be = _loaded[name] = Backend(plugin)
    return be


def backends() -> list[BackendStatus]:
    """Every discovered backend, with its availability (and why not, when unavailable)."""
    out = []
    for name in sorted(_discover()):
        try:
            reason = _plugin(name).unavailable_reason()
        except ValueError:
            reason = f"plugin failed to load: {_broken[name]}"
        out.append(BackendStatus(name, reason is None, reason))
    return out


def current() -> Backend:
    """The backend creation functions use here."""
    be = _local.get()
    if be is not None:
        return be
    be = _current
    if be is None:
        be = _resolve_global()
    return be


def _resolve_global() -> Backend:
    global _current
    name = _global
    if name is None:
        name = os.environ.get("ARRAYBRIDGE_BACKEND", "").strip() or DEFAULT
        try:
            be = load(name)
        except ValueError as exc:
            raise ValueError(f"ARRAYBRIDGE_BACKEND={name!r}: {exc}") from None
    else:
        be = load(name)
    _current = be
    return be


def get_backend() -> str:
    """The name of the backend in force here."""
    return current().name


def set_backend(name: str) -> None:
    """Make ``name`` the process-wide backend (``with use_backend(...)`` still wins inside)."""
    global _global, _current
    be = _load_for("set_backend", name)  # fails before changing anything
    _global, _current = name, be


@contextmanager
def use_backend(name: str) -> Iterator[Backend]:
    """Use backend ``name`` inside the block, in this thread or async task only."""
    token = _local.set(_load_for("use_backend", name))
    try:
        yield _local.get()  # type: ignore[misc]
    finally:
        _local.reset(token)


def _load_for(where: str, name: str) -> Backend:
    """``load(name)``, its errors naming the function ``where``."""
    try:
        return load(name)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{where}: {exc}") from None


def device_from_string(spec: str) -> Device:
    """The Device named ``'backend'`` or ``'backend:id'``."""
    name, _, ident = spec.partition(":")
    be = load(name)
    if not ident:
        return be.default
    dev = be.devices.get(ident)
    if dev is None:
        raise ValueError(
            f"backend {name!r} has no device {ident!r} (devices: {', '.join(be.devices)})"
        )
    return dev
