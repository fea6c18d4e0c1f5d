"""arraybridge's conformance suite (installed as ``arraybridge_conformance``).

``arraybridge conformance [--backend NAME]... [--quick] [--json PATH] [-- pytest args]`` runs it
and prints a table of areas by backend; ``pytest --pyargs arraybridge_conformance.suite
--ab-backend NAME`` runs it inside a pytest session (the ``pytest11`` plugin in ``plugin.py``).
The areas are listed in ``_report.AREAS``; the cases every function is called with, in
``_cases``. See docs/writing-a-backend.md.
"""

from ._report import AREAS

__all__ = ["AREAS"]
