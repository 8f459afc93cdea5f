"""Values of a content file, cleaned as reading.py makes objects of them: text, lists, dates,
file names, sizes, checksums and page numbers; anything else is no value (None, empty)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime


def _str(value) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _date(value) -> date | None:
    if isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _datetime(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _safe_name(value) -> str | None:
    """A file name inside its folder, nothing else (no paths, no dot files)."""
    name = _str(value)
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return None
    return name


# OParl's values of Person.gender, as the importers write them (importers/values.gender_value).
GENDERS = ("female", "male", "other")


def _shown_file_name(value) -> str | None:
    """The source's file name, shown and advertised only; one that could be read as a path or
    hides characters (the importers never write such a one) is left out."""
    name = _str(value)
    if not name or len(name) > 255 or name.startswith(".") or any(
            c in "/\\" or unicodedata.category(c)[0] == "C" for c in name):
        return None
    return name


def _size(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _hex(value, length: int) -> str | None:
    value = _str(value)
    return value.lower() if value and len(value) == length and all(c in "0123456789abcdefABCDEF" for c in value) else None


def _digits(value, length: int) -> str | None:
    value = _str(value)
    return value if value and len(value) == length and value.isascii() and value.isdigit() else None


def _location(value) -> dict:
    if not isinstance(value, dict):
        return {}
    keys = ("description", "street_address", "room", "postal_code", "locality")
    return {k: _str(value.get(k)) for k in keys if _str(value.get(k))}


def _page_numbers(value) -> tuple:
    """Page numbers (from 1) as the importer notes them; anything else is no page."""
    if not isinstance(value, list):
        return ()
    return tuple(n for n in value if isinstance(n, int) and not isinstance(n, bool) and 0 < n < 100_000)
