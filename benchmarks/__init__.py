"""Benchmarks: printed tables, not tests (a package, so tests can import a protocol)."""
