"""Coupling signals: imports, calls, strings, co-change, fused into one weighted graph."""
