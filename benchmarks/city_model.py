"""The synthetic city's objects: plain records that synthetic_city.py fills and synthetic_oparl.py writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

MODEL_TODAY = date(2026, 11, 1)   # meetings before this day have been held


@dataclass(eq=False)
class Term:
    number: int
    start: date
    end: date


@dataclass(eq=False)
class Organization:
    number: int
    name: str
    short_name: str
    organization_type: str
    classification: str
    meetings: list = field(default_factory=list)
    meeting_days: list = field(default_factory=list)


@dataclass(eq=False)
class Person:
    number: int
    given_name: str
    family_name: str
    gender: str
    memberships: list = field(default_factory=list)


@dataclass(eq=False)
class Membership:
    number: int
    person: Person
    organization: Organization
    role: str
    voting_right: bool
    start: date
    end: date | None
    on_behalf_of: Organization | None = None


@dataclass(eq=False)
class File:
    number: int
    name: str
    file_name: str
    day: date
    words: int
    keywords: tuple[str, ...]
    meetings: list = field(default_factory=list)
    papers: list = field(default_factory=list)


@dataclass(eq=False)
class Meeting:
    number: int
    name: str
    organization: Organization
    start: datetime
    room: int
    consultations: list = field(default_factory=list)
    agenda_items: list = field(default_factory=list)
    invitation: File | None = None
    protocol: File | None = None

    @property
    def held(self) -> bool:
        return self.start.date() < MODEL_TODAY


@dataclass(eq=False)
class Consultation:
    number: int
    paper: Paper
    meeting: Meeting
    organization: Organization
    role: str
    authoritative: bool
    agenda_item: AgendaItem | None = None


@dataclass(eq=False)
class AgendaItem:
    number: int
    meeting: Meeting
    order: int
    label: str
    name: str
    public: bool
    consultation: Consultation | None = None
    result: str | None = None
    resolution_text: str | None = None


@dataclass(eq=False)
class Paper:
    number: int
    name: str
    reference: str
    day: date
    paper_type: str
    under_direction_of: Organization
    originator_person: Person | None = None
    originator_organization: Organization | None = None
    main_file: File | None = None
    auxiliary_files: list = field(default_factory=list)
    consultations: list = field(default_factory=list)
    superordinated: Paper | None = None
    subordinated: list = field(default_factory=list)
    related: list = field(default_factory=list)


@dataclass
class City:
    seed: int
    terms: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    persons: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    agenda_items: list = field(default_factory=list)
    papers: list = field(default_factory=list)
    consultations: list = field(default_factory=list)
    files: list = field(default_factory=list)
    rooms: tuple = ()

    def counts(self) -> dict[str, int]:
        return {
            "LegislativeTerm": len(self.terms), "Organization": len(self.organizations),
            "Person": len(self.persons), "Membership": len(self.memberships),
            "Meeting": len(self.meetings), "AgendaItem": len(self.agenda_items),
            "Paper": len(self.papers), "Consultation": len(self.consultations), "File": len(self.files),
            "Location": len(self.rooms),
        }
