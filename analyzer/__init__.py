"""Seams: find where a Python monolith can be cut into services, and keep the cuts honest."""

__version__ = "0.1.0"
