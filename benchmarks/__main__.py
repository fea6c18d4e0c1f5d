"""Entry point for ``python -m benchmarks [SECTION] [--quick] [--json PATH]``.

Without a section name every section runs in turn: :mod:`benchmarks.dispatch`, then
:mod:`benchmarks.variables` (its ``--json`` file named after the dispatch one, with
``dispatch`` replaced by ``variables``). ``autodiff`` (:mod:`benchmarks.autodiff`) and
``memory`` (:mod:`benchmarks.memory`) run only when named.
"""

import os
import sys

from benchmarks import dispatch, variables


def _autodiff(argv: list[str]) -> int:
    """``python -m benchmarks autodiff``: see :mod:`benchmarks.autodiff` (run on request only)."""
    from benchmarks import autodiff

    return autodiff.main(argv)


def _memory(argv: list[str]) -> int:
    """``python -m benchmarks memory``: see :mod:`benchmarks.memory` (run on request only)."""
    from benchmarks import memory

    return memory.main(argv)


SECTIONS = {
    "dispatch": dispatch.main,
    "variables": variables.main,
    "autodiff": _autodiff,
    "memory": _memory,
}


def _main(argv: list[str]) -> int:
    if argv and argv[0] in SECTIONS:
        return SECTIONS[argv[0]](argv[1:])
    status = dispatch.main(argv)
    if status or any(a in ("-h", "--help") for a in argv):
        return status
    if "--json" in argv[:-1]:  # the variables results go next to the dispatch ones
        at = argv.index("--json") + 1
        head, name = os.path.split(argv[at])
        root, ext = os.path.splitext(name)
        new = (
            name.replace("dispatch", "variables")
            if "dispatch" in name
            else f"{root}-variables{ext}"
        )
        argv = [*argv[:at], os.path.join(head, new), *argv[at + 1 :]]
    print(flush=True)
    return variables.main(argv)


raise SystemExit(_main(sys.argv[1:]))
