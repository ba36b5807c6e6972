"""Code roles: test support, development, demo and fake-data code, found by what it contains
and imports, and peripheral code, whose writes do not decide who owns a table."""
