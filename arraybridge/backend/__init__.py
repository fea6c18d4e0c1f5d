"""Backend plugins: the contract, the registry and the choice of the current backend."""

from ._contract import Plugin
from ._registry import (
    BackendStatus,
    backends,
    device_from_string,
    get_backend,
    load,
    set_backend,
    use_backend,
)
from ._runtime import Backend, Device

__all__ = [
    "Backend",
    "BackendStatus",
    "Device",
    "Plugin",
    "backends",
    "device_from_string",
    "get_backend",
    "load",
    "set_backend",
    "use_backend",
]
