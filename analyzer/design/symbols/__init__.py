"""Name resolution: what a dotted name used in a module refers to, through its imports."""
