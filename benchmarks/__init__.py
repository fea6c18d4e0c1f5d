"""arraybridge's benchmarks: ``python -m benchmarks [--quick]`` from the repository root.

See ``benchmarks/README.md``. Importing this package sets ``OPENBLAS_NUM_THREADS=1`` unless
it is set already (before NumPy loads, when run as ``python -m benchmarks``): on a small
machine shared with other work a multi-threaded BLAS stalls on a busy core, and the
single-threaded numbers are the ones that compare fairly across runs.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
