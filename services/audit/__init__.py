"""The per-tenant audit chain: every change appends an event linked to the one before by SHA-256."""
