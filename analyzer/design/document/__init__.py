"""The decomposition document (seams/decomposition@2) and the explanations it carries."""
