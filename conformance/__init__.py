"""arraybridge's conformance suite (installed as ``arraybridge_conformance``).

Only the package is laid out so far; the suite itself (areas, CLI, pytest plugin) is
tracked in its own issue and is not implemented yet.
"""
