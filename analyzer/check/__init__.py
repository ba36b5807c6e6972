"""check: map code to declared services and find what breaks the declared boundaries."""
