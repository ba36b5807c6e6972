"""Evaluation: published metrics of a partition, agreement with a reference, today's layout."""
