"""Jinja filters: German dates, sizes, and the only kinds of links we emit."""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
          "September", "Oktober", "November", "Dezember")


def date_de(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def datetime_de(value) -> str:
    if not isinstance(value, datetime):
        return date_de(value)
    return f"{WEEKDAYS[value.weekday()]}, {date_de(value)}, {value.hour:02d}:{value.minute:02d} Uhr"


def time_de(value) -> str:
    return f"{value.hour:02d}:{value.minute:02d} Uhr" if isinstance(value, datetime) else ""


def month_de(value) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}" if isinstance(value, (date, datetime)) else ""


def filesize_de(size) -> str:
    if not isinstance(size, int) or size < 0:
        return ""
    if size < 1024:
        return f"{size} Byte"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def safe_url(value) -> str | None:
    """Only http(s) and mailto links leave our pages; anything else is dropped."""
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    lowered = stripped.lower()
    if lowered.startswith(("http://", "https://", "mailto:")) and not any(c in stripped for c in " \n\r\t<>\"'"):
        return stripped
    return None


FILTERS = {
    "date_de": date_de,
    "datetime_de": datetime_de,
    "time_de": time_de,
    "month_de": month_de,
    "filesize_de": filesize_de,
    "safe_url": safe_url,
}
