"""The mails of grants: who gets them and what they say, in the recipient's language."""

from __future__ import annotations

from services.grants.reminders import TEMPLATES as REMINDERS

TEMPLATES = {**REMINDERS}
