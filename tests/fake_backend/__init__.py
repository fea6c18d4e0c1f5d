"""A tiny third-party-style backend plugin, registered only through entry-point metadata.

It reuses NumPy through array_api_compat but supports fewer dtypes and has two devices,
so the tests can see that arraybridge takes everything from the plugin.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from arraybridge import _dtypes
from arraybridge.backend import Plugin


class FakePlugin(Plugin):
    name = "fake"
    library = "numpy"
    extra = None

    def namespace(self) -> ModuleType:
        import array_api_compat.numpy as xp

        return xp

    def dtypes(self) -> dict[Any, Any]:
        keep = (_dtypes.bool, _dtypes.int64, _dtypes.float32)
        return {d: np.dtype(d.name) for d in keep}

    def devices(self) -> list[str]:
        return ["cpu", "cpu2"]

    def device_of(self, x: Any) -> str:
        return "cpu"


class MissingLibraryPlugin(Plugin):
    name = "missing"
    library = "arraybridge_no_such_library"
    extra = "missing"


plugin = FakePlugin()
missing = MissingLibraryPlugin()
