"""Database values → the clean values content/ holds.

Drivers hand over what their database stores: PostgreSQL a `datetime` with
offset, MariaDB one without, SQLite a string; Oracle numbers as `Decimal`,
flags as 'J'/'N' or 0/1. Each field type has one function here that accepts
all of them. Times without an offset are local time of the town (the
mapping's `timezone`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from importers import values
from importers.sql.fields import (
    BOOL, DATE, DATETIME, INT, LONG_TEXT, STRINGS, TEXT, URL, FieldType, Link,
)

_TRUE = {"1", "true", "t", "j", "ja", "y", "yes", "x", "wahr"}
_FALSE = {"0", "false", "f", "n", "nein", "no", "falsch"}
# Control characters are never text; tab, line feed and carriage return are.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(value):
    """Large objects (Oracle LOBs) and buffers as their content."""
    if hasattr(value, "read") and callable(value.read):
        value = value.read()
    if isinstance(value, memoryview):
        value = value.tobytes()
    return value


def key_text(value) -> str | None:
    """A key as text: 17, Decimal('17') and '17' are the same key."""
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, Decimal, float)):
        number = Decimal(str(value))
        return str(int(number)) if number == number.to_integral_value() else str(number)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    text = str(value).strip()
    return text or None


def _string(value) -> str | None:
    value = plain(value)
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        return key_text(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return _CONTROL.sub("", value) if isinstance(value, str) else None


def moment(value, zone: tzinfo) -> datetime | None:
    """An aware datetime in the town's zone; None when the value is no point in time."""
    value = plain(value)
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=zone)
    return parsed.astimezone(zone)


def to_datetime(value, zone: tzinfo) -> str | None:
    parsed = moment(value, zone)
    return parsed.replace(microsecond=0).isoformat() if parsed else None


def to_date(value) -> str | None:
    value = plain(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return values.date_value(value)


def to_bool(value) -> bool | None:
    value = plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal, float)):
        return {0: False, 1: True}.get(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else None
    return None


def to_int(value) -> int | None:
    value = plain(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (Decimal, float)):
        return int(value) if value == int(value) else None
    return values.int_value(value)


def field_value(value, field_type: FieldType | Link, zone: tzinfo):
    """One column's value for a field of content/, or None when absent or unusable."""
    if value is None:
        return None
    if isinstance(field_type, Link):
        return key_text(value)
    if field_type is DATETIME:
        return to_datetime(value, zone)
    if field_type is DATE:
        return to_date(value)
    if field_type is BOOL:
        return to_bool(value)
    if field_type is INT:
        return to_int(value)
    if field_type is LONG_TEXT:
        return values.long_text(_string(value))
    if field_type is URL:
        return values.url_value(_string(value))
    if field_type in (TEXT, STRINGS):
        return values.text(_string(value))
    return value


def order_value(value):
    """A value to sort by, as JSON keeps it (the store remembers it between runs)."""
    value = plain(value)
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return key_text(value)


def sort_key(items) -> tuple:
    """Numbers (also '17' as text) before text, in their natural order; empty values last."""
    result = []
    for item in items:
        if item is None:
            result.append((2, 0, ""))
        elif isinstance(item, (int, float)):
            result.append((0, item, ""))
        elif isinstance(item, str) and item.isdigit():
            result.append((0, int(item), ""))
        else:
            result.append((1, 0, str(item)))
    return tuple(result)


# -- the newest value of an `incremental` column, kept between runs -----------

def tag(value) -> dict | None:
    value = plain(value)
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, (Decimal, float)):
        return {"decimal": str(value)}
    if isinstance(value, str):
        return {"str": value}
    return None


def untag(data: dict | None, overlap: timedelta = timedelta(0)):
    """The value to ask `column >= value` with; times a little earlier, for late commits."""
    if not isinstance(data, dict) or len(data) != 1:
        return None
    (kind, raw), = data.items()
    if kind == "datetime":
        return datetime.fromisoformat(raw) - overlap
    if kind == "date":
        return date.fromisoformat(raw)
    if kind == "int":
        return int(raw)
    if kind == "decimal":
        return Decimal(raw)
    if kind == "str":
        return raw
    return None


def newest(current, candidate):
    """The larger of two values of an incremental column; None never wins."""
    if candidate is None or isinstance(candidate, bool):
        return current
    if current is None:
        return candidate
    try:
        return candidate if candidate > current else current
    except TypeError:  # naive and aware datetimes, or mixed types: keep what we had
        return current
