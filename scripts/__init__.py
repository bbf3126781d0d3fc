"""Maintenance scripts (importable so tests can call their pure functions)."""
