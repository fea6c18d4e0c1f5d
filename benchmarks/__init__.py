"""Dispatch-overhead benchmarks for arraybridge.

Run from the repository root::

    python -m benchmarks              # full run (a few minutes)
    python -m benchmarks --quick      # shorter timing windows (well under 2 minutes)
    python -m benchmarks --json PATH  # also save the results as JSON

It measures the median per-call time (microseconds) of a few cheap operations (``t + t``,
``exp``, ``add``, ``sum``, ``t[0]``, ``t @ t``) on float32 inputs of 1, 1,000 and 1,000,000
elements, for plain NumPy, arraybridge (NumPy plugin) and, where installed, the
``array_api_strict`` and ``array_api_compat.numpy`` peers. See ``benchmarks/dispatch.py``.
"""
