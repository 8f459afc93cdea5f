"""The object graph: the council's typed objects (meetings, papers, persons, …), their addresses
and the order lists show them in.

This is the model every other room works on: loading makes it from content/ (loading.py,
reading.py), the page plan reads it (plan.py), templates print it. It reads no files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from plugins import urls
from plugins.common import FOLDERS
from plugins.council.format import N_


@dataclass(eq=False)
class Base:
    id: str
    source: str | None
    name: str
    web: str | None = None
    modified: datetime | None = None
    # The last part of the permalink; the id unless a better stable key exists.
    slug: str = ""
    kind = ""

    def __post_init__(self):
        # (kind, id): how pages name what they depend on (plugins/council/depends.py), made once.
        self.key = (self.kind, self.id)

    @property
    def url(self) -> str:
        return urls.page(self.kind, self.slug or self.id)


@dataclass(eq=False)
class Body(Base):
    kind = "body"
    short_name: str | None = None
    website: str | None = None
    ags: str | None = None  # Amtlicher Gemeindeschlüssel, 8 digits
    rgs: str | None = None  # Regionalschlüssel, 12 digits


@dataclass(eq=False)
class Term(Base):
    kind = "term"
    start_date: date | None = None
    end_date: date | None = None


@dataclass(eq=False)
class Organization(Base):
    kind = "organization"
    short_name: str | None = None
    organization_type: str | None = None
    classification: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    website: str | None = None
    location: dict = field(default_factory=dict)
    parent: "Organization | None" = None  # OParl subOrganizationOf
    memberships: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    papers: list = field(default_factory=list)
    # Papers this organization brought in (OParl originatorOrganization): a faction's motions and questions.
    originated_papers: list = field(default_factory=list)
    # Organizations whose parent this is, filled in by loading.
    children: list = field(default_factory=list)

    @property
    def is_council(self) -> bool:
        """The elected council: classification "Parlament" (OParl 1.1), or its kind ("Gemeinderat")."""
        kind = (self.classification or "").strip().lower()
        return "parlament" in kind or kind in COUNCIL_NAMES or (not kind and self.name.strip().lower() in COUNCIL_NAMES)

    @property
    def category(self) -> str:
        """Gremium, Fraktion, Ortschaftsrat, Verwaltung: for grouping on lists (German; the
        templates show it in the page's language with the `ui_text` filter)."""
        label = " ".join(filter(None, [self.organization_type, self.classification])).lower()
        if "fraktion" in label:
            return N_("Fraktionen")
        if "ortschaft" in label or "ortsbeirat" in label or "bezirk" in label:
            return N_("Ortschaftsräte")
        if "verwaltung" in label:
            return N_("Verwaltung")
        if "partei" in label:
            return N_("Parteien")
        return N_("Gremien")


@dataclass(eq=False)
class Person(Base):
    kind = "person"
    family_name: str | None = None
    given_name: str | None = None
    form_of_address: str | None = None
    title: list = field(default_factory=list)
    affix: str | None = None
    # Personal data like contact data: only with PUBLISH_CONTACT_DATA (reading.py).
    gender: str | None = None
    email: list = field(default_factory=list)
    phone: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    # (first day, last day) in office, when retention shows only name and period (plugins/council/withhold.py).
    period: tuple | None = None

    @property
    def sort_key(self):
        return ((self.family_name or self.name).lower(), (self.given_name or "").lower())

    def is_without_faction(self, today: date) -> bool:
        """"fraktionslos": in the council today for no Fraktion, and not ex officio (as a mayor)."""
        return self.current_faction(today) is None and any(
            m.organization.is_council and m.is_current(today) and not m.is_ex_officio for m in self.memberships)

    def current_faction(self, today: date) -> "Organization | None":
        """The Fraktion the person sits for today, from the membership or its on_behalf_of."""
        for membership in self.memberships:
            if not membership.is_current(today):
                continue
            if membership.organization.category == "Fraktionen":
                return membership.organization
            if membership.on_behalf_of is not None:
                return membership.on_behalf_of
        return None


@dataclass(eq=False)
class Membership:
    person: Person
    organization: Organization
    role: str | None = None
    voting_right: bool | None = None
    start_date: date | None = None
    end_date: date | None = None
    on_behalf_of: Organization | None = None

    def is_current(self, today: date) -> bool:
        return (self.start_date is None or self.start_date <= today) and (self.end_date is None or self.end_date >= today)

    @property
    def is_ex_officio(self) -> bool:
        """A seat by office, not by election: the (Ober-)Bürgermeister or Landrat chairing the council."""
        return "stellv" not in (role := (self.role or "").lower()) and ("bürgermeister" in role or "landr" in role)


@dataclass(eq=False)
class File(Base):
    kind = "file"
    mime_type: str | None = None
    date: date | None = None
    file_name: str | None = None  # the source's name, for display only: never a path
    # Size and checksums the source gives for its original (access_url) …
    size: int | None = None
    sha512: str | None = None
    sha1: str | None = None
    access_url: str | None = None
    # … and what our copy is, when we have one (media_size, media_sha512: noted by the importer).
    media: str | None = None
    media_type: str | None = None
    media_size: int | None = None
    media_sha512: str | None = None
    text_path: str | None = None  # a string: Path objects for 100,000 files cost a second per build
    ocr_pages: tuple = ()  # pages of the text that OCR recognised (scans without a text layer)
    meetings: list = field(default_factory=list)
    papers: list = field(default_factory=list)
    # Set by a takedown (plugins/council/withhold.py): the text shown instead of text_path's, and
    # the clerk's redacted copy mirrored instead of files/<media>.
    redacted_text: str | None = None
    media_source: str | None = None
    versions: list = field(default_factory=list)  # earlier versions (history.Version), oldest first

    @property
    def media_url(self) -> str | None:
        return urls.media(self.media) if self.media else None

    @property
    def is_original(self) -> bool:
        """Whether our copy is byte for byte the source's file, as far as checksums tell."""
        return bool(self.media_sha512 and self.sha512 and self.media_sha512 == self.sha512)

    @property
    def shown_size(self) -> int | None:
        """The size of what the page links: our copy, else the original as the source says (also
        for a copy whose size the importer did not note: it is the original's bytes)."""
        return self.media_size if self.media and self.media_size is not None else self.size

    @property
    def shown_sha512(self) -> str | None:
        return self.media_sha512 if self.media else self.sha512

    @property
    def shown_sha1(self) -> str | None:
        """The source's SHA-1 (deprecated in OParl 1.1) only where it describes what is linked."""
        return self.sha1 if not self.media or self.is_original else None

    def read_text(self) -> str:
        if self.redacted_text is not None:
            return self.redacted_text
        if self.text_path is None or not os.path.isfile(self.text_path):
            return ""
        return Path(self.text_path).read_text(encoding="utf-8")


@dataclass(eq=False)
class AgendaItem:
    id: str
    meeting: "Meeting"
    public: bool
    number: str | None = None
    name: str | None = None
    paper: "Paper | None" = None
    result: str | None = None
    resolution_text: str | None = None
    resolution_file: File | None = None
    auxiliary_files: list = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None

    @property
    def url(self) -> str:
        return f"{self.meeting.url}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return urls.agenda_anchor(self.id)


@dataclass(eq=False)
class Meeting(Base):
    kind = "meeting"
    start: datetime | None = None
    end: datetime | None = None
    cancelled: bool = False
    state: str | None = None
    location: dict = field(default_factory=dict)
    organizations: list = field(default_factory=list)
    invitation: File | None = None
    results_protocol: File | None = None
    verbatim_protocol: File | None = None
    auxiliary_files: list = field(default_factory=list)
    agenda: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # the change record (history.Change), oldest first

    @property
    def title(self) -> str:
        if self.name:
            return self.name
        if self.organizations:
            return f"Sitzung {self.organizations[0].name}"
        return "Sitzung"

    @property
    def documents(self) -> list[tuple[str, File]]:
        named = [
            (N_("Einladung"), self.invitation),
            (N_("Niederschrift"), self.results_protocol),
            (N_("Wortprotokoll"), self.verbatim_protocol),
        ]
        return [(label, f) for label, f in named if f] + [(N_("Anlage"), f) for f in self.auxiliary_files]


@dataclass(eq=False)
class Consultation:
    paper: "Paper"
    meeting: Meeting | None = None
    agenda_item: AgendaItem | None = None
    organizations: list = field(default_factory=list)
    role: str | None = None
    authoritative: bool | None = None
    # False: dealt with in a non-public agenda item. Pages say only that, with no
    # link into the closed part and no role (importers/publication.py decides the same).
    public: bool = True

    @property
    def result(self) -> str | None:
        return self.agenda_item.result if self.agenda_item and self.agenda_item.public else None


@dataclass(eq=False)
class Paper(Base):
    kind = "paper"
    reference: str | None = None
    date: date | None = None
    paper_type: str | None = None
    main_file: File | None = None
    auxiliary_files: list = field(default_factory=list)
    originator_persons: list = field(default_factory=list)
    originator_organizations: list = field(default_factory=list)
    under_direction_of: list = field(default_factory=list)
    related_papers: list = field(default_factory=list)
    superordinated_papers: list = field(default_factory=list)
    subordinated_papers: list = field(default_factory=list)
    consultations: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # the change record (history.Change), oldest first

    @property
    def title(self) -> str:
        return self.name

    @property
    def reference_tokens(self) -> list[str]:
        """The reference as single search words: VO/2025/0012 → VO2025Z12X and 2025Z12X.

        Pagefind splits "VO/2025/0012" into three words; search.js turns a typed reference
        into the same word, in any common spelling (vo/2025/12, 2025/0012, Drucksache
        VO/2025/0012): the prefix in capitals, each number without leading zeros, joined by Z.
        The closing X keeps VO/2025/0012 from matching VO/2025/0012-1 too (Pagefind matches
        prefixes). The search page keeps these words out of excerpts (meta "suchwoerter").
        """
        if not self.reference or not _REFERENCE_LIKE.match(self.reference):
            return []
        prefix = re.match(r"\s*([A-Za-zÄÖÜäöü]*)", self.reference).group(1).upper()
        numbers = "Z".join(str(int(n)) for n in re.findall(r"[0-9]+", self.reference))
        return list(dict.fromkeys(f"{t}X" for t in (prefix + numbers, numbers) if len(t) >= 3))

    @property
    def committees(self) -> list:
        """Organizations that dealt with the paper, in consultation order."""
        seen = []
        for consultation in self.consultations:
            orgs = consultation.organizations or (consultation.meeting.organizations[:1] if consultation.meeting else [])
            for org in orgs:
                if org not in seen:
                    seen.append(org)
        return seen

    @property
    def latest_result(self) -> str | None:
        results = [c.result for c in self.consultations if c.result]
        return results[-1] if results else None


# What a paper number looks like: an optional short prefix, digits and separators
# (VO/2025/0012, 1234/89, DS 17/0815, AF/2024/0001-1).
_REFERENCE_LIKE = re.compile(r"^\s*[A-Za-zÄÖÜäöü]{0,6}[\s/.\-]*\d[\d\s/.\-]{0,20}$")

# What councils call themselves where the classification is not OParl's "Parlament" (tests/fixtures/oparl).
COUNCIL_NAMES = frozenset({"stadtrat", "gemeinderat", "kreistag", "stadtverordnetenversammlung", "gemeindevertretung",
                           "rat der stadt", "rat", "bürgerschaft", "ortsgemeinderat", "verbandsgemeinderat"})


@dataclass
class Graph:
    bodies: dict[str, Body] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    papers: dict[str, Paper] = field(default_factory=dict)
    files: dict[str, File] = field(default_factory=dict)
    # (kind, id) -> stat stamp of its content file(s): what page fingerprints are made of.
    stamps: dict[tuple[str, str], tuple] = field(default_factory=dict)
    # (kind, id) -> what a page shows of it, as a number (plugins/council/reuse/fingerprints.key_tokens).
    tokens: dict = field(default_factory=dict)
    # The snapshot this graph was written to or loaded from (plugins/council/reuse/snapshot.py).
    snapshot_id: str | None = None
    # (kind, id) -> what loading stepped over in its file, with line (plugins/council/problems.py).
    problems: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def published_files(self) -> list[File]:
        return [f for f in self.files.values() if f.meetings or f.papers]


_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(value: str) -> str:
    return _SLUG_UNSAFE.sub("-", value.lower().translate(_UMLAUTS)).strip("-")[:80]


FAR_FUTURE = datetime.max.replace(tzinfo=None)


def meeting_sort_key(meeting: Meeting):
    start = meeting.start.replace(tzinfo=None) if meeting.start else FAR_FUTURE
    return (start, meeting.id)


def paper_sort_key(paper: Paper):
    return (paper.date or date.min, paper.reference or "", paper.id)
