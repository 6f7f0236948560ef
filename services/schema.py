"""The migrations in the order they run, and every Piccolo table loaded: both derived from services/parts.py."""

from services.parts import load_tables, migration_sources

MIGRATIONS = migration_sources()
load_tables()
