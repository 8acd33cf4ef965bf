"""Benchmarks of the matcher (filled in with the matcher itself)."""
