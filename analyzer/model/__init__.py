"""Plain data shared by every stage: facts, discovered files, options, errors."""
