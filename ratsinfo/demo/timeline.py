"""The demo's calendar: a fixed "today", Berlin offsets and the meeting rhythms.

Nothing here reads the clock. The dump shows Muldenau as it stands on
REFERENCE_DATE, so meeting states and timestamps are the same on every run and
on every machine.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

REFERENCE_DATE = date(2026, 11, 20)
# The moment the dump was taken; no object may be created or modified later.
DUMP_TAKEN = datetime(2026, 11, 20, 6, 0)
FIRST_MEETING_DAY = date(2025, 1, 1)
LAST_MEETING_DAY = date(2027, 3, 31)
# Papers start a month before the first meeting so that January has business.
FIRST_PAPER_DAY = date(2024, 12, 2)

PREVIOUS_TERM = (date(2019, 8, 1), date(2024, 7, 31))
CURRENT_TERM = (date(2024, 8, 1), date(2029, 7, 31))

# Days a Ladung goes out before the meeting (SächsGemO demands at least a few).
INVITATION_DAYS = 10
PROTOCOL_DAYS = 12


def _last_weekday(year: int, month: int, weekday: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def berlin_offset(local: datetime) -> str:
    """UTC offset of a wall-clock time in Europe/Berlin.

    The EU rule (last Sunday of March to last Sunday of October, switching at
    01:00 UTC) is spelled out instead of using zoneinfo, so the dump does not
    depend on the tz database installed on the machine that builds it.
    """
    summer_from = datetime.combine(_last_weekday(local.year, 3, 6), time(3, 0))
    summer_until = datetime.combine(_last_weekday(local.year, 10, 6), time(3, 0))
    return "+02:00" if summer_from <= local < summer_until else "+01:00"


def stamp(local: datetime) -> str:
    return local.strftime("%Y-%m-%dT%H:%M:%S") + berlin_offset(local)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def german_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _in_break(day: date) -> bool:
    # Summer holidays in Saxony and the weeks around Christmas: no committees meet.
    summer = date(day.year, 7, 14) <= day <= date(day.year, 8, 20)
    christmas = day >= date(day.year, 12, 18) or day <= date(day.year, 1, 8)
    return summer or christmas


def stadtrat_days() -> list[date]:
    """Monthly on the last Thursday; in December before Christmas; no August session."""
    days = []
    year, month = FIRST_MEETING_DAY.year, FIRST_MEETING_DAY.month
    while date(year, month, 1) <= LAST_MEETING_DAY:
        if month == 12:
            days.append(_nth_weekday(year, 12, 3, 2))
        elif month != 8:
            days.append(_last_weekday(year, month, 3))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def committee_days(weekday: int, rng: random.Random) -> list[date]:
    """Every four to six weeks on the committee's weekday, pausing in the holidays."""
    day = _nth_weekday(FIRST_MEETING_DAY.year, 1, weekday, 2) + timedelta(weeks=rng.randint(0, 1))
    days = []
    while day <= LAST_MEETING_DAY:
        while _in_break(day):
            day += timedelta(weeks=1)
        if day <= LAST_MEETING_DAY:
            days.append(day)
        day += timedelta(weeks=rng.choice((4, 5, 5, 6)))
    return days


def ortschaftsrat_days(index: int) -> list[date]:
    """Quarterly, in February, May, September and November, on a Monday or Tuesday."""
    days = []
    for year in range(FIRST_MEETING_DAY.year, LAST_MEETING_DAY.year + 1):
        for month in (2, 5, 9, 11):
            day = _nth_weekday(year, month, index % 2, 1 + index // 2)
            if FIRST_MEETING_DAY <= day <= LAST_MEETING_DAY:
                days.append(day)
    return days


def workdays(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def next_workday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def not_after_dump(moment: datetime) -> datetime:
    return min(moment, DUMP_TAKEN)
