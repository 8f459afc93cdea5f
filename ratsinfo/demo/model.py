"""The demo town as plain objects, before it becomes OParl JSON.

Building (council.py, papers.py, meetings.py, agenda.py, documents.py, or
city.py at city scale) and writing (oparl.py, dump.py, sqlite.py) meet only
here. Each object carries its own number (the last segment of its OParl id)
and the facts from which its timestamps
follow. Objects compare by identity (eq=False), so they can key dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ratsinfo.demo.council import Council
    from ratsinfo.demo.prose import Prose


@dataclass(eq=False)
class LegislativeTerm:
    number: int
    name: str
    start_date: date
    end_date: date


@dataclass(eq=False)
class Location:
    number: int
    description: str
    street_address: str
    room: str | None = None
    sub_locality: str | None = None
    latitude: float = 0.0
    longitude: float = 0.0


@dataclass(eq=False)
class Organization:
    number: int
    key: str
    name: str
    short_name: str
    organization_type: str
    classification: str
    start_date: date | None = None
    location: Location | None = None
    sub_organization_of: "Organization | None" = None
    post: tuple[str, ...] = ()
    memberships: list["Membership"] = field(default_factory=list)
    meetings: list["Meeting"] = field(default_factory=list)


@dataclass(eq=False)
class Person:
    number: int
    given_name: str
    family_name: str
    gender: str  # "female" or "male", as OParl examples spell it
    title: str | None = None
    affix: str | None = None  # OParl's affix: "MdL", a seat elsewhere
    status: str | None = None
    email: str | None = None
    phone: str | None = None
    memberships: list["Membership"] = field(default_factory=list)

    @property
    def form_of_address(self) -> str:
        return "Frau" if self.gender == "female" else "Herr"

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.title, self.given_name, self.family_name) if p)


@dataclass(eq=False)
class Membership:
    number: int
    person: Person
    organization: Organization
    role: str
    start_date: date
    end_date: date | None = None
    voting_right: bool | None = None
    on_behalf_of: Organization | None = None


@dataclass(eq=False)
class File:
    number: int
    name: str
    file_name: str
    day: date
    content: bytes  # the PDF; empty in a town at city scale, whose files carry text instead
    meetings: list["Meeting"] = field(default_factory=list)
    papers: list["Paper"] = field(default_factory=list)
    agenda_items: list["AgendaItem"] = field(default_factory=list)
    words: int = 0  # at city scale: how long its text is (prose.py draws it when written)
    keywords: tuple[str, ...] = ()
    # The realistic archive (archive.py): a scan, and the size and sha512 of the PDF written to disk.
    scanned: bool = False
    document: tuple[int, str] | None = None
    archive_text: bool = False  # the realistic archive's text in File.text instead of a PDF (archive.attach_texts)


@dataclass(eq=False)
class Consultation:
    number: int
    paper: "Paper"
    organization: Organization
    role: str  # "Vorberatung", "Entscheidung" or "Kenntnisnahme"
    authoritative: bool
    meeting: "Meeting"
    agenda_item: "AgendaItem | None" = None
    postponed: bool = False  # vertagt in this meeting, heard again in the next


@dataclass(eq=False)
class AgendaItem:
    number: int
    meeting: "Meeting"
    label: str  # "Ö 3", "N 1": what the agenda prints, OParl's `number`
    order: int
    name: str
    public: bool
    category: str | None = None  # the short title a public invitation shows
    consultation: Consultation | None = None
    result: str | None = None
    votes: tuple[int, int, int] | None = None  # yes, no, abstentions
    resolution_text: str | None = None
    resolution_file: File | None = None

    @property
    def times(self) -> tuple[datetime | None, datetime | None]:
        """When the item was dealt with (OParl's start and end), for a held meeting only: its time
        shared out evenly, in steps of five minutes; nothing random, so the demo stays the same."""
        meeting = self.meeting
        if meeting.end is None or meeting.cancelled:
            return None, None
        items = meeting.agenda_items
        position, share = items.index(self), (meeting.end - meeting.start) / len(items)

        def at(n: int) -> datetime:
            moment = meeting.start + share * n
            return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)
        return at(position), at(position + 1) if position + 1 < len(items) else meeting.end


@dataclass(eq=False)
class Meeting:
    number: int
    organization: Organization
    sequence: int  # "12. Sitzung des Stadtrates"
    start: datetime
    location: Location
    cancelled: bool = False
    end: datetime | None = None
    agenda_items: list[AgendaItem] = field(default_factory=list)
    participants: list[Person] = field(default_factory=list)
    invitation: File | None = None
    results_protocol: File | None = None
    created: datetime | None = None

    @property
    def held(self) -> bool:
        return self.end is not None


@dataclass(eq=False)
class Topic:
    """What a paper is about, with the sentences its documents will say."""

    subject: str  # committee key: "bau", "finanzen", ...
    title: str
    decision: str  # the Beschlussvorschlag, after "Der Stadtrat beschließt"
    facts: list[str]
    costs: str
    ortsteil: str | None = None
    attachments: tuple[str, ...] = ()
    decided_by_committee: bool = False


@dataclass(eq=False)
class Paper:
    number: int
    reference: str
    paper_type: str
    day: date
    topic: Topic
    name: str
    under_direction_of: Organization
    originator_person: Person | None = None
    originator_organization: Organization | None = None
    path: list[tuple[Organization, str, bool]] = field(default_factory=list)
    consultations: list[Consultation] = field(default_factory=list)
    related: list["Paper"] = field(default_factory=list)
    superordinated: "Paper | None" = None
    subordinated: list["Paper"] = field(default_factory=list)
    main_file: File | None = None
    auxiliary_files: list[File] = field(default_factory=list)
    extra_sentence: str | None = None


@dataclass
class Town:
    """Everything the writers (oparl.py, dump.py, sqlite.py) need, as town.py or city.py built it."""

    council: "Council"
    papers: list[Paper]
    meetings: list[Meeting]
    agenda_items: list[AgendaItem]
    consultations: list[Consultation]
    files: list[File]
    prose: "Prose | None" = None  # draws File.text for files that carry words instead of a PDF
