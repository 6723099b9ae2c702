"""Benchmarks. Each bench_*.py measures one target and writes its section of docs/performance.md.

Run all with `make bench` (python -m bench) or one with `python -m bench.bench_NAME`.
Numbers come from this shared, noisy machine: compare ratios measured in one run.
"""
