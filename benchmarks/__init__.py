"""arraybridge's benchmarks: ``python -m benchmarks [--quick]`` from the repository root.

See ``benchmarks/README.md``. ``python -m benchmarks`` sets ``OPENBLAS_NUM_THREADS=1`` unless
it is set already, before NumPy loads (``benchmarks/__main__.py``): on a small machine shared
with other work a multi-threaded BLAS stalls on a busy core, and the single-threaded numbers
are the ones that compare fairly across runs. Importing the package changes nothing.
"""
