"""Benchmarks at city scale; `make bench` runs them (benchmarks/README.md)."""
