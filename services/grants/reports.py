"""The pure rules of a tilsegn's reports: the effects achieved, how they move the programme's KPI
actuals, and when the reporting deadline is near enough for a reminder."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum


class ReportKind(StrEnum):
    STATUS = "status"
    FINAL = "final"


# A reminder goes out this many days before the reporting deadline.
REMINDER_DAYS = (60, 7)


def reminder_due(deadline: date | None, today: date) -> int | None:
    """The reminder (days before) that falls on `today`, or None."""
    if deadline is None:
        return None
    left = (deadline - today).days
    return left if left in REMINDER_DAYS else None


def effect_changes(
    reported: Mapping[str, Decimal], counted_before: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """What a report adds to each KPI's actual.

    Each report says what the tilsegn has achieved so far (the final one: in all), so it
    replaces the tilsegn's last counted report rather than adding to it: the change is the
    difference. A KPI the new report leaves out keeps what was counted.
    """
    changes = {}
    for code, value in reported.items():
        change = Decimal(value) - Decimal(counted_before.get(code, 0))
        if change:
            changes[code] = change
    return changes


def moved_actual(latest: Decimal | None, baseline: Decimal, change: Decimal) -> Decimal:
    """The KPI's new actual: its latest measured value (or its baseline) moved by the change."""
    return (latest if latest is not None else baseline) + change
