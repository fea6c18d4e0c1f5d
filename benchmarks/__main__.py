"""Entry point for ``python -m benchmarks``; see :mod:`benchmarks.dispatch`."""

from benchmarks.dispatch import main

raise SystemExit(main())
