"""Data: ORM models, tables, the code reading and writing them, and who owns each table."""
