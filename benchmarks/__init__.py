"""Reproducible performance measurements; run with ``python -m benchmarks``."""
