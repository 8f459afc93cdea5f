"""Meetings as iCalendar (RFC 5545), built and escaped by the `icalendar` library.

The output is a pure function of the graph: no clock, no random UIDs, no state file,
so two builds of the same content give the same bytes and a mirror can compare them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from plugins.council.graph import Meeting, meeting_sort_key

TZID = "Europe/Berlin"
BERLIN = ZoneInfo(TZID)
PRODID = "-//ratsinfo//Ratsinformation//DE"
# Sources often give no end; calendars need one (RFC 5545 §3.6.1 would make it a zero-length event).
DEFAULT_DURATION = timedelta(hours=2)
# SEQUENCE counts minutes since this moment, so it only grows when a meeting's `modified` does.
SEQUENCE_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
# VTIMEZONE rules reach this far at least (the library's default end).
TIMEZONE_UNTIL = date(2038, 1, 1)


def in_berlin(moment: datetime) -> datetime:
    """Times in content carry an offset (+01:00); calendars want the zone, so DST moves with it."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BERLIN)
    return moment.astimezone(BERLIN)


def _utc(moment: datetime) -> datetime:
    return in_berlin(moment).astimezone(timezone.utc)


def modified_of(meeting: Meeting) -> datetime | None:
    # `modified` is optional in content (and newer in the graph than this plugin): without it SEQUENCE is 0.
    value = getattr(meeting, "modified", None)
    return value if isinstance(value, datetime) else None


def sequence(meeting: Meeting) -> int:
    """Outlook and Google apply a moved or cancelled meeting only if SEQUENCE grew (RFC 5545 §3.8.7.4)."""
    modified = modified_of(meeting)
    if modified is None:
        return 0
    return max(0, int((_utc(modified) - SEQUENCE_EPOCH).total_seconds()) // 60)


def uid(meeting: Meeting, domain: str) -> str:
    return f"sitzung-{meeting.id}@{domain}"


def location_text(location: dict) -> str | None:
    """Same order as the meeting page: place or room, street, postcode and town."""
    parts = [
        location.get("description") or location.get("room"),
        location.get("street_address"),
        " ".join(filter(None, [location.get("postal_code"), location.get("locality")])),
    ]
    unique = []
    for part in parts:
        if part and part not in unique:
            unique.append(part)
    return ", ".join(unique) or None


def german(message: str) -> str:
    """Our texts are German msgids: without a catalogue, gettext is this."""
    return message


def description(meeting: Meeting, page_url: str | None, gettext=german) -> str:
    lines = []
    if meeting.cancelled:
        lines += [gettext("Die Sitzung ist abgesagt."), ""]
    if meeting.organizations:
        lines.append(gettext("Gremium: %(names)s") % {"names": ", ".join(o.name for o in meeting.organizations)})
    # Non-public items keep only their number in the graph; they are left out here entirely.
    items = [i for i in meeting.agenda if i.public and (i.number or i.name)]
    if items:
        lines += ["", gettext("Tagesordnung (öffentlicher Teil):")]
        lines += [" ".join(filter(None, [i.number, i.name])) for i in items]
    if page_url:
        lines += ["", gettext("Mehr: %(url)s") % {"url": page_url}]
    return "\n".join(lines).strip()


def meeting_event(meeting: Meeting, domain: str, page_url: str | None, gettext=german) -> Event:
    start = in_berlin(meeting.start)
    end = in_berlin(meeting.end) if meeting.end else None
    if end is None or end <= start:
        end = start + DEFAULT_DURATION
    modified = modified_of(meeting)
    event = Event.new(
        uid=uid(meeting, domain),
        start=start,
        end=end,
        # DTSTAMP from content, never the clock, so unchanged meetings give unchanged bytes.
        stamp=_utc(modified or meeting.start),
        last_modified=_utc(modified) if modified else None,
        sequence=sequence(meeting),
        summary=meeting.title,
        location=location_text(meeting.location),
        description=description(meeting, page_url, gettext) or None,
        status="CANCELLED" if meeting.cancelled else "CONFIRMED",
        url=page_url,
    )
    return event


def calendar_meetings(meetings) -> list[Meeting]:
    """Meetings that can be a calendar event: those with a start, in date order."""
    return sorted((m for m in meetings if m.start), key=meeting_sort_key)


@lru_cache(maxsize=None)
def _vtimezone(first_year: int, last_year: int) -> Timezone:
    until = max(TIMEZONE_UNTIL, date(last_year + 2, 1, 1))
    return Timezone.from_tzinfo(BERLIN, tzid=TZID, first_date=date(first_year, 1, 1), last_date=until)


@lru_cache(maxsize=None)
def _vtimezone_bytes(first_year: int, last_year: int) -> bytes:
    return _vtimezone(first_year, last_year).to_ical()


def calendar(uid_: str, name: str, meetings, domain: str, page_url, gettext=german) -> bytes:
    """One VCALENDAR with a VEVENT per meeting; `page_url(meeting)` gives its absolute link or None,
    `gettext` the portal's language (plugins/i18n)."""
    meetings = calendar_meetings(meetings)
    cal = Calendar.new(uid=uid_, prodid=PRODID, name=name, calscale="GREGORIAN", method="PUBLISH")
    cal.add("X-WR-TIMEZONE", TZID)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, domain, page_url(meeting), gettext))
    if not meetings:
        return cal.to_ical()
    # The zone goes before the events, as add_component would put it; made into bytes once per
    # span of years, it was half the time of a meeting's own calendar (7,500 of them in a city).
    years = [in_berlin(m.start).year for m in meetings]
    head, events = cal.to_ical().split(b"\r\nBEGIN:VEVENT\r\n", 1)
    return head + b"\r\n" + _vtimezone_bytes(min(years), max(years)) + b"BEGIN:VEVENT\r\n" + events
