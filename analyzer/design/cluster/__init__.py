"""Clustering: the proposed services, the shared library, and their names."""
