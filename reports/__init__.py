"""Renderers: decomposition.json, summary.md, report.html, and the CI formats of check.

Renderers read the decomposition document (plain JSON data) and the analyzer's model only.
"""
