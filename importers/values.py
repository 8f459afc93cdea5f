"""Turning loose source values into the clean, typed values content/ holds."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# Half of a UTF-16 pair without its other half (JSON "\\ud800", an NVARCHAR cut in
# two). No UTF-8 file can hold it: YAML, JSON state and SQLite would all refuse it,
# in this run and in every later one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
LONE_SURROGATE_PROBLEM = "Ungültiges Zeichen (einzelnes UTF-16-Surrogat) durch \ufffd ersetzt"


def without_lone_surrogates(value):
    """(value, how many were replaced): every string inside `value` (dict keys too)
    with each lone surrogate replaced by U+FFFD. Applied where source data enters."""
    if isinstance(value, str):
        cleaned, count = _LONE_SURROGATE.subn(REPLACEMENT, value)
        return cleaned, count
    if isinstance(value, dict):
        total, cleaned = 0, {}
        for key, item in value.items():
            key, a = without_lone_surrogates(key)
            item, b = without_lone_surrogates(item)
            cleaned[key] = item
            total += a + b
        return (cleaned, total) if total else (value, 0)
    if isinstance(value, (list, tuple)):
        total, items = 0, []
        for item in value:
            item, count = without_lone_surrogates(item)
            items.append(item)
            total += count
        return (type(value)(items), total) if total else (value, 0)
    return value, 0


def text(value) -> str | None:
    """A one-line string: whitespace (newlines, NBSP) collapsed, None when empty."""
    if not isinstance(value, str):
        return None
    cleaned = _SPACE.sub(" ", value).strip()
    return cleaned or None


def long_text(value) -> str | None:
    """A multi-line string (resolution texts): lines kept, trailing blanks removed."""
    if not isinstance(value, str):
        return None
    lines = [_SPACE.sub(" ", line).strip() for line in value.replace("\r\n", "\n").split("\n")]
    cleaned = "\n".join(lines).strip()
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return cleaned or None


def date_value(value) -> str | None:
    """`yyyy-mm-dd`; a date-time where a date belongs is cut (CC e-gov C5/C6)."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def datetime_value(value) -> str | None:
    """An ISO date-time with offset, seconds precision; None when unparseable."""
    if not isinstance(value, str):
        return None
    raw = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed.replace(microsecond=0).isoformat()


def bool_value(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def int_value(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def strings(values) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return []
    return [t for t in (text(v) for v in values) if t]


def compact(data: dict) -> dict:
    """Drop None, empty strings and empty lists/dicts so files stay small and stable."""
    return {k: v for k, v in data.items() if v is not None and v != "" and v != [] and v != {}}


def url_value(value) -> str | None:
    """An absolute http(s) URL, or None: no javascript:, data: or relative links."""
    cleaned = text(value)
    if cleaned and cleaned.lower().startswith(("http://", "https://")) and " " not in cleaned:
        return cleaned
    return None


# OParl's Person.gender: "female", "male", others lower-case English (spec 1.1). Servers send
# German words too (SessionNet Wuppertal: "männlich", research/oparl.md M5), exports "w"/"m"/"d".
_GENDERS = {
    "female": "female", "weiblich": "female", "w": "female", "f": "female",
    "male": "male", "männlich": "male", "maennlich": "male", "m": "male",
    "other": "other", "divers": "other", "diverse": "other", "d": "other", "x": "other",
}


def gender_value(value) -> str | None:
    """One of female, male, other; anything else is unknown, and OParl omits the unknown."""
    cleaned = text(value)
    return _GENDERS.get(cleaned.lower()) if cleaned else None


def key_number(value, digits: int) -> str | None:
    """An official key of `digits` digits (AGS 8, RGS 12). A number that lost its leading zero
    (SessionNet sends the AGS 05358016 as 5358016, research/oparl.md S11) gets it back; anything
    else that is not exactly that many digits is left out."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    cleaned = text(value)
    if not cleaned or not cleaned.isascii() or not cleaned.isdigit():
        return None
    if len(cleaned) == digits - 1:
        cleaned = "0" + cleaned
    return cleaned if len(cleaned) == digits else None


def checksum_value(value, hex_digits: int) -> str | None:
    """A hex digest of the given length (SHA-1 40, SHA-512 128), lower case; else None."""
    cleaned = text(value)
    if cleaned and len(cleaned) == hex_digits and re.fullmatch(r"[0-9a-fA-F]+", cleaned):
        return cleaned.lower()
    return None


def file_name_value(value) -> str | None:
    """A file's name as the source advertises it, for display only: never a path. Whatever
    stands before the last slash or backslash goes ("../../etc/passwd" is "passwd"), control,
    format and direction characters go (Unicode category C), leading dots and blanks go, at most
    255 characters."""
    if not isinstance(value, str):
        return None
    name = text(re.split(r"[/\\]", value)[-1]) or ""
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").lstrip(". ")
    return name[:255].rstrip() or None
