"""The ``arraybridge`` command.

``arraybridge info`` describes the installation; ``arraybridge conformance [--backend NAME]...
[--quick] [--json PATH] [--jobs N] [-- pytest args]`` runs the conformance suite on the installed
backends and prints a table of areas by backend (exit status non-zero on any failure).
"""

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


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of processes, got {text!r}")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``arraybridge`` console script."""
    parser = argparse.ArgumentParser(prog="arraybridge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="library and Array API versions, and every discovered backend")
    conf = sub.add_parser(
        "conformance",
        help="run the conformance suite: a table of areas by backend",
        description="Run arraybridge's conformance suite (pytest) on the chosen backends. "
        "Arguments after -- go to pytest.",
    )
    conf.add_argument(
        "--backend",
        action="append",
        default=[],
        metavar="NAME",
        help="a backend to check (repeatable; default: every available backend)",
    )
    conf.add_argument(
        "--quick",
        action="store_true",
        help="fewer examples, one dtype of each kind per case (minutes, not more)",
    )
    conf.add_argument("--json", metavar="PATH", help="also write the report as JSON")
    conf.add_argument(
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help="processes to run the suite in (pytest-xdist; default: one per usable CPU)",
    )
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    args = parser.parse_args(argv)
    if extra and args.command != "conformance":
        parser.error("arguments after -- are passed to pytest by 'conformance' only")
    if args.command == "info":
        return _info()
    if args.command == "conformance":
        from arraybridge_conformance._cli import run  # type: ignore[import-not-found,unused-ignore]

        status: int = run(args.backend, args.quick, args.json, extra, jobs=args.jobs)
        return status
    parser.error(f"unknown command {args.command}")  # pragma: no cover - argparse exits first
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
