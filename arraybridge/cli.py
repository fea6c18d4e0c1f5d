"""The ``arraybridge`` command: ``arraybridge info`` describes the installation."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _info() -> int:
    import arraybridge as ab
    from arraybridge.backend import load

    print(f"arraybridge {ab.__version__} (Array API {ab.__array_api_version__})")
    print(f"semantics: {ab.get_semantics()}")
    statuses = ab.backends()
    if not statuses:
        print("backends: none discovered (is arraybridge installed, not just on sys.path?)")
        return 1
    try:
        current = ab.get_backend()
    except ValueError as exc:
        current = f"(unusable: {exc})"
    print(f"current backend: {current}")
    print("backends:")
    for st in statuses:
        if not st.available:
            print(f"  {st.name}: unavailable ({st.reason})")
            continue
        be = load(st.name)
        devices = ", ".join(str(d) for d in be.devices.values())
        dtypes = ", ".join(d.name for d in be.to_native)
        print(f"  {st.name}: available, {be.plugin.library} {be.version}")
        print(f"    devices: {devices}")
        print(f"    dtypes: {dtypes}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``arraybridge`` console script."""
    parser = argparse.ArgumentParser(prog="arraybridge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="library and Array API versions, and every discovered backend")
    args = parser.parse_args(argv)
    if args.command == "info":
        return _info()
    parser.error(f"unknown command {args.command}")  # pragma: no cover - argparse exits first
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
