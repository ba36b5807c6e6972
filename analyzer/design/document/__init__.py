"""The decomposition document (seams/decomposition@1) and the explanations it carries."""
