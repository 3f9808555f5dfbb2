"""Benchmarks: scripts that print tables (see each script's docstring)."""
