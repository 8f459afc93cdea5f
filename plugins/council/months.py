"""Calendar arithmetic for the month pages of the meeting calendar (plan.py): months and weeks."""

from __future__ import annotations

from collections import defaultdict
from datetime import date


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: date, last: date) -> list[date]:
    months, current = [], date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def weeks(month: date, meetings) -> list[list[tuple[date | None, list]]]:
    """The month as weeks Monday–Sunday, each day with its meetings (None outside the month)."""
    by_day = defaultdict(list)
    for meeting in meetings:
        by_day[meeting.start.date()].append(meeting)
    days = [None] * month.weekday()
    current = month
    while current.month == month.month:
        days.append(current)
        current = date.fromordinal(current.toordinal() + 1)
    days += [None] * (-len(days) % 7)
    return [[(d, by_day.get(d, []) if d else []) for d in days[i:i + 7]] for i in range(0, len(days), 7)]
