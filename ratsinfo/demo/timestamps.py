"""`created` and `modified` of every object, derived from the town's own dates.

An importer that fetches incrementally (OParl's modified_since) must see the
same timestamps on every run, and never one after the moment the dump was
taken. So each stamp follows from a fact: a paper was created on its date and
last modified when a Gremium last dealt with it, a meeting when its
invitation or its Niederschrift went out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ratsinfo.demo.meetings import invitation_day, protocol_day, state_of
from ratsinfo.demo.model import (
    AgendaItem, Consultation, File, LegislativeTerm, Meeting, Membership, Organization,
    Paper, Person,
)
from ratsinfo.demo.timeline import CURRENT_TERM, PREVIOUS_TERM, REFERENCE_DATE, at, not_after_dump

# The day Muldenau switched its OParl interface on.
INTERFACE_LAUNCH = at(date(2019, 6, 3), 8)

Span = tuple[datetime, datetime]


def _day_span(first: date, last: date) -> Span:
    return at(first, 8), not_after_dump(at(max(first, last), 8))


def _settled(days: list[date | None]) -> list[date]:
    return [d for d in days if d is not None and d <= REFERENCE_DATE]


def system() -> Span:
    return INTERFACE_LAUNCH, at(CURRENT_TERM[0], 8)


def legislative_term(term: LegislativeTerm) -> Span:
    ended = term.end_date + timedelta(days=1)
    return _day_span(term.start_date, ended if ended <= REFERENCE_DATE else term.start_date)


def location() -> Span:
    return INTERFACE_LAUNCH, INTERFACE_LAUNCH


def membership(m: Membership) -> Span:
    return _day_span(m.start_date, max(_settled([m.start_date, m.end_date])))


def person(p: Person) -> Span:
    days = [m.start_date for m in p.memberships] + [m.end_date for m in p.memberships]
    return _day_span(min(m.start_date for m in p.memberships), max(_settled(days)))


def organization(o: Organization) -> Span:
    first = o.start_date or PREVIOUS_TERM[0]
    days = [first] + [m.start_date for m in o.memberships] + [m.end_date for m in o.memberships]
    return _day_span(first, max(_settled(days)))


def meeting(m: Meeting) -> Span:
    if state_of(m) == "durchgeführt":
        modified = at(protocol_day(m), 10)
    elif m.cancelled:
        modified = at(m.start.date() - timedelta(days=3), 9)
    else:
        # Until it is held, a meeting changes whenever an item joins its agenda.
        modified = max(agenda_item(item)[0] for item in m.agenda_items)
    return m.created, not_after_dump(max(m.created, modified))


def agenda_item(item: AgendaItem) -> Span:
    """Created with the invitation, or later when its paper came in as a Nachtrag."""
    created = max(item.meeting.created, at(invitation_day(item.meeting), 9))
    if item.consultation is not None:
        created = max(created, paper(item.consultation.paper)[0])
    created = not_after_dump(created)
    if item.meeting.held:
        # Its result arrives with the Niederschrift.
        return created, max(created, meeting(item.meeting)[1])
    return created, created


def paper(p: Paper) -> Span:
    created = at(p.day, 8)
    heard = [meeting(c.meeting)[1] for c in p.consultations if c.meeting.held]
    heard += [paper(sub)[0] for sub in p.subordinated]
    return created, not_after_dump(max([created] + heard))


def consultation(c: Consultation) -> Span:
    created = paper(c.paper)[0]
    modified = meeting(c.meeting)[1] if c.meeting.held else created
    return created, max(created, modified)


def file(f: File) -> Span:
    created = not_after_dump(at(f.day, 9))
    return created, created
