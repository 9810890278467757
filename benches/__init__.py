"""Benchmarks: run with ``make bench``; results land in docs/performance.md."""
