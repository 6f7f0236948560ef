"""Infrastructure: settings, database engines, migrations and process launching; knows no domain."""
