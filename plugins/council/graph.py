"""Read content/ into an object graph: typed objects, links resolved, back-links built.

This is the plugins' side of the content contract (docs/content-format.md). It
re-checks the publication rule on the way in, so that a hand-edited or stale
content file cannot put non-public text on a page.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

import boundedyaml
from plugins.common import FOLDERS, URL_FOLDERS
from plugins.council.format import N_
from plugins.council.links import warn_skipped
from plugins.council.problems import KIND_NAMES, NEXT_STEP, line_of
from ratsinfo import portable

# Content files are read through boundedyaml, never yaml.load directly: content/ may be
# edited by hand, and a file with nested aliases expands to gigabytes once the graph walks
# its values (issue 13). The message names the file and line instead.


class ContentError(Exception):
    """A content file is broken; the message names it."""


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
        # (kind, id): how pages name what they depend on (plugins/council/pages.py), made once.
        self.key = (self.kind, self.id)

    @property
    def url(self) -> str:
        return f"{URL_FOLDERS[self.kind]}/{self.slug or self.id}.html"


@dataclass(eq=False)
class Body(Base):
    kind = "body"
    short_name: str | None = None
    website: str | None = None


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
    memberships: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    papers: list = field(default_factory=list)

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
    email: list = field(default_factory=list)
    phone: list = field(default_factory=list)
    memberships: list = field(default_factory=list)

    @property
    def sort_key(self):
        return ((self.family_name or self.name).lower(), (self.given_name or "").lower())

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
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date >= today
        )


@dataclass(eq=False)
class File(Base):
    kind = "file"
    mime_type: str | None = None
    date: date | None = None
    size: int | None = None
    access_url: str | None = None
    media: str | None = None
    media_type: str | None = None
    text_path: str | None = None  # a string: Path objects for 100,000 files cost a second per build
    meetings: list = field(default_factory=list)
    papers: list = field(default_factory=list)

    @property
    def media_url(self) -> str | None:
        return f"{URL_FOLDERS['file']}/{self.media}" if self.media else None

    def read_text(self) -> str:
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

    @property
    def url(self) -> str:
        return f"{self.meeting.url}#top-{self.id}"


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

    @property
    def title(self) -> str:
        return self.name

    @property
    def reference_tokens(self) -> list[str]:
        """The reference as single search words: VO/2025/0012 → VO20250012X and 20250012X.

        Pagefind splits "VO/2025/0012" into three words; search.js joins a typed
        reference the same way, so the paper is found exactly. The closing X keeps
        VO/2025/0012 from matching VO/2025/0012-1 too (Pagefind matches prefixes).
        """
        if not self.reference or not _REFERENCE_LIKE.match(self.reference):
            return []
        joined = re.sub(r"[^0-9A-Za-z]", "", self.reference).upper()
        digits = re.sub(r"[^0-9]", "", self.reference)
        return list(dict.fromkeys(f"{t}X" for t in (joined, digits) if len(t) >= 3))

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

# The names of the list pages in each folder (plugins/council/pages.py). An object whose id or
# reference is one of them would be written to the list's file (a paper "Index" replaced
# vorlagen/index.html), so it takes another address. Compared ignoring case: IIS and Windows
# shares serve INDEX.html and index.html as one file.
LIST_PAGE_NAMES = {
    "sitzungen": re.compile(r"index|jahr-\d+", re.IGNORECASE),
    "vorlagen": re.compile(r"index|jahr-\d+(-seite-\d+)?|art-.*", re.IGNORECASE),
}
_ONLY_INDEX = re.compile(r"index", re.IGNORECASE)
# The address of such an object: its kind before its id (gremien/gremium-index.html).
RESERVED_PREFIX = {
    "meeting": "sitzung", "paper": "vorlage", "person": "person", "organization": "gremium",
    "file": "dokument", "term": "wahlperiode", "body": "koerperschaft",
}


def is_list_page_name(kind: str, name: str) -> bool:
    return bool(LIST_PAGE_NAMES.get(URL_FOLDERS[kind], _ONLY_INDEX).fullmatch(name))


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
    # (kind, id) -> what a page shows of it, as a number (plugins/council/incremental.key_tokens).
    tokens: dict = field(default_factory=dict)
    # The snapshot this graph was written to or loaded from (plugins/council/snapshot.py).
    snapshot_id: str | None = None
    # (kind, id) -> what loading stepped over in its file, with line (plugins/council/problems.py).
    problems: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def published_files(self) -> list[File]:
        return [f for f in self.files.values() if f.meetings or f.papers]


def read_front_matter(path: Path) -> dict:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise ContentError(f"{path}: beginnt nicht mit YAML-Front-Matter (---)")
    end = raw.find("\n---\n", 3)
    if end < 0 and raw.endswith("\n---"):
        end = len(raw) - 4
    if end < 0:
        raise ContentError(f"{path}: Front-Matter wird nicht mit --- abgeschlossen")
    try:
        # Content we did not write may be hostile: no more than a few aliases.
        data = boundedyaml.load(raw[4:end + 1], str(path), first_line=2)
    except (boundedyaml.TooManyAliases, boundedyaml.InvalidYaml) as exc:
        raise ContentError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: ungültiges YAML: {exc}") from exc
    if not isinstance(data, dict) or not _str(data.get("id")):
        raise ContentError(f"{path}: Front-Matter ohne id")
    return data


def list_folder(folder: str) -> tuple[dict[str, tuple], frozenset[str]]:
    """The stamp of each .md and .txt file in a content folder (mtime, ctime, size, inode: what
    changes when a file changes), and the names of the other files (documents' media: whether
    one is there decides whether it is published)."""
    stamps, others = {}, []
    if os.path.islink(folder):
        raise ContentError(f"{folder} ist eine symbolische Verknüpfung (auf {os.readlink(folder)}). ratsinfo liest "
                           f"Ratsdaten nur aus echten Ordnern im Inhaltsordner: den Ordner dorthin verschieben.")
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():  # never read nor published (plugins/council/links.py)
                    warn_skipped(entry.path)
                elif entry.name.endswith((".md", ".txt")):
                    if entry.is_file():
                        st = entry.stat()
                        stamps[entry.name] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
                elif entry.is_file():
                    others.append(entry.name)
    except (FileNotFoundError, NotADirectoryError):
        pass
    return stamps, frozenset(others)


def list_content(content: Path) -> dict[str, tuple[dict[str, tuple], frozenset[str]]]:
    """Every content file by kind: one scandir per folder, done once per build."""
    return {kind: list_folder(os.path.join(content, folder)) for kind, folder in FOLDERS.items()}


def content_stamps(listing: dict) -> dict[tuple[str, str], tuple]:
    """(kind, id) -> stamp of its file(s), as load_graph records them in Graph.stamps."""
    stamps = {}
    for kind, (files, _) in listing.items():
        for name, stamp in files.items():
            if name.endswith(".md"):
                text = files.get(f"{name[:-3]}.txt")
                stamps[(kind, name[:-3])] = stamp if text is None else stamp + text
    return stamps


def _stamp(files: dict[str, tuple], name: str) -> tuple:
    """A file's stamp; for a document also its text's beside it (foo.md, foo.txt), which shows
    on its reading view."""
    text = files.get(f"{name[:-3]}.txt")
    return files[name] if text is None else files[name] + text


def _scan(content: Path, kind: str, cache, stats: dict[str, tuple]):
    """(stamp, front matter) of every content file of `kind`, parsed or from the cache.
    Plain strings: this runs for every object on every build that loads the whole graph."""
    if not stats:
        return
    folder = os.path.join(content, FOLDERS[kind])
    found, misses = [], []
    for name in sorted(stats):
        if not name.endswith(".md"):
            continue
        stamp = stats[name]
        data = cache.get(kind, name, stamp) if cache else None
        if data is None:
            misses.append(len(found))
        found.append([name, stamp, data])
    for index, data in zip(misses, parse_files([os.path.join(folder, found[i][0]) for i in misses])):
        found[index][2] = data
        if cache:
            cache.put(kind, found[index][0], found[index][1], data)
    for name, _, data in found:
        check_file_name(folder, name, data)
        yield _stamp(stats, name), data


def check_file_name(folder: str, name: str, data: dict):
    if f"{data['id']}.md" != name:
        raise ContentError(f"{Path(folder, name)}: id {data['id']!r} passt nicht zum Dateinamen")


# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_PARSE_FROM = 2_000


def parse_files(paths: list[str]) -> list[dict]:
    """Front matter of each file, on every core when there are many (a first build of a big
    city parses 100,000 files: YAML is most of its reading time)."""
    workers = os.cpu_count() or 1
    if len(paths) < PARALLEL_PARSE_FROM or workers < 2 or not portable.can_fork():
        return [read_front_matter(Path(p)) for p in paths]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(_parse_path, paths, chunksize=200)


def _parse_path(path: str) -> dict:
    return read_front_matter(Path(path))


def load_graph(content: Path, publish_contact_data: bool = False, cache=None, listing=None) -> Graph:
    """The whole graph from content/ (`listing`: list_content(content), if the caller has it)."""
    content = Path(content)
    listing = listing if listing is not None else list_content(content)
    graph = Graph()
    raw: dict[str, list[dict]] = defaultdict(list)
    for kind in FOLDERS:
        for stamp, data in _scan(content, kind, cache, listing[kind][0]):
            graph.stamps[(kind, str(data["id"]))] = stamp
            raw[kind].append(data)
    maker = Maker(graph, content, listing, publish_contact_data)
    for kind in ("body", "term", "file", "organization", "person"):
        objects = getattr(graph, FOLDERS[kind])
        for data in raw[kind]:
            obj = maker.make(kind, data)
            objects[obj.id] = obj
            if kind == "person":
                for membership in obj.memberships:
                    membership.organization.memberships.append(membership)
    papers = [maker.make("paper", data) for data in raw["paper"]]
    for paper in papers:
        graph.papers[paper.id] = paper
        _register_paper(paper)
    for data in raw["meeting"]:
        meeting = maker.make("meeting", data)
        graph.meetings[meeting.id] = meeting
        _register_meeting(meeting)
    # Consultations point at agenda items: only now are all meetings there.
    for paper, data in zip(papers, raw["paper"]):
        maker.link_paper(paper, data)
    _paper_slugs(graph)
    _sort(graph)
    return graph


class Maker:
    """Typed objects from front matter, links resolved against `graph`. It does not add them to
    the graph nor back-link them (load_graph does), so that the snapshot can compare an edited
    object with the one it holds (plugins/council/snapshot.py)."""

    def __init__(self, graph: Graph, content: Path, listing: dict, publish_contact_data: bool):
        self.graph = graph
        self.content = content
        self.files_folder = os.path.join(content, FOLDERS["file"])
        self.present = set(listing["file"][0]) | listing["file"][1]
        self.publish_contact_data = publish_contact_data
        self._at = ("", "")

    def make(self, kind: str, data: dict):
        self._about(kind, str(data["id"]))
        self.graph.problems.pop(self._at, None)  # an edited file brings its own problems (snapshot)
        obj = getattr(self, f"_{kind}")(data)
        if is_list_page_name(kind, obj.id):
            obj.slug = f"{RESERVED_PREFIX[kind]}-{obj.id}"
        return obj

    def _about(self, kind: str, object_id: str):
        """Problems found from now on are of this object's file."""
        self._at = (kind, object_id)

    def _problem(self, key: str, value, what: str):
        kind, object_id = self._at
        path = os.path.join(self.content, FOLDERS[kind], f"{object_id}.md")
        line = line_of(path, key, _str(value))
        self.graph.problems.setdefault(self._at, []).append(f"{path}, Zeile {line}: {what}. {NEXT_STEP}")

    def _date(self, data: dict, key: str, moment: bool = False):
        """A date (or with `moment` a date and time); one that cannot be is left out and reported."""
        value = data.get(key)
        parsed = (_datetime if moment else _date)(value)
        if parsed is None and _str(value):
            self._problem(key, value, f"{key} {_str(value)!r} ist kein mögliches Datum; die Angabe wird weggelassen")
        return parsed

    def _one(self, kind: str, data: dict, key: str):
        """The object a reference names; a reference to none is left out and reported."""
        ref = _str(data.get(key))
        if not ref:
            return None
        found = getattr(self.graph, FOLDERS[kind]).get(ref)
        if found is None:
            self._missing(kind, key, ref)
        return found

    def _many(self, kind: str, data: dict, key: str, but: str | None = None) -> list:
        objects = getattr(self.graph, FOLDERS[kind])
        found = []
        for ref in filter(None, map(_str, _list(data.get(key)))):
            if ref in objects:
                if ref != but:
                    found.append(objects[ref])
            else:
                self._missing(kind, key, ref)
        return found

    def _missing(self, kind: str, key: str, ref: str):
        self._problem(key, ref, f"{key} verweist auf {KIND_NAMES[kind]} {ref!r}; dieses Objekt fehlt im "
                      "Inhaltsordner, der Verweis wird weggelassen")

    def _base(self, data: dict, default_name: str | None) -> dict:
        return {
            "id": str(data["id"]), "source": _str(data.get("source")),
            "name": _str(data.get("name")) or default_name, "web": _str(data.get("web")),
            "modified": self._date(data, "modified", moment=True),
        }

    def _body(self, data: dict) -> Body:
        return Body(**self._base(data, "Körperschaft"), short_name=_str(data.get("short_name")),
                    website=_str(data.get("website")))

    def _term(self, data: dict) -> Term:
        return Term(**self._base(data, "Wahlperiode"), start_date=self._date(data, "start_date"),
                    end_date=self._date(data, "end_date"))

    def _file(self, data: dict) -> File:
        text_name = _safe_name(data.get("text"))
        media = _safe_name(data.get("media"))
        if text_name and text_name not in self.present:
            self._problem("text", text_name, f"text nennt {text_name}, die Datei fehlt im Ordner "
                          f"{FOLDERS['file']}; das Dokument erscheint ohne Lesesicht und Suchtext")
        return File(**self._base(data, "Dokument"), mime_type=_str(data.get("mime_type")), date=self._date(data, "date"),
                    size=data.get("size") if isinstance(data.get("size"), int) else None,
                    access_url=_str(data.get("access_url")),
                    media=media if media in self.present else None,
                    media_type=_str(data.get("media_type")),
                    text_path=f"{self.files_folder}{os.sep}{text_name}" if text_name in self.present else None)

    def _organization(self, data: dict) -> Organization:
        return Organization(
            **self._base(data, "Gremium"),
            short_name=_str(data.get("short_name")), organization_type=_str(data.get("organization_type")),
            classification=_str(data.get("classification")), start_date=self._date(data, "start_date"),
            end_date=self._date(data, "end_date"), website=_str(data.get("website")),
            location=_location(data.get("location")),
        )

    def _person(self, data: dict) -> Person:
        """With its memberships; the organizations learn of them in load_graph."""
        contact = self.publish_contact_data
        person = Person(
            **self._base(data, "Unbekannt"),
            family_name=_str(data.get("family_name")), given_name=_str(data.get("given_name")),
            form_of_address=_str(data.get("form_of_address")),
            title=[_str(t) for t in _list(data.get("title")) if _str(t)],
            email=[_str(e) for e in _list(data.get("email")) if _str(e)] if contact else [],
            phone=[_str(p) for p in _list(data.get("phone")) if _str(p)] if contact else [],
        )
        for m in _list(data.get("memberships")):
            if not isinstance(m, dict):
                continue
            org = self._one("organization", m, "organization")
            if org is None:
                continue
            person.memberships.append(Membership(
                person, org, role=_str(m.get("role")),
                voting_right=m.get("voting_right") if isinstance(m.get("voting_right"), bool) else None,
                start_date=self._date(m, "start_date"), end_date=self._date(m, "end_date"),
                on_behalf_of=self._one("organization", m, "on_behalf_of"),
            ))
        return person

    def _paper(self, data: dict) -> Paper:
        """Without related papers and consultations: link_paper adds them once all papers and
        meetings are there."""
        return Paper(
            **self._base(data, "Vorlage"),
            reference=_str(data.get("reference")), date=self._date(data, "date"),
            paper_type=_str(data.get("paper_type")),
            main_file=self._one("file", data, "main_file"),
            auxiliary_files=self._many("file", data, "auxiliary_files"),
            originator_persons=self._many("person", data, "originator_persons"),
            originator_organizations=self._many("organization", data, "originator_organizations"),
            under_direction_of=self._many("organization", data, "under_direction_of"),
        )

    def _meeting(self, data: dict) -> Meeting:
        meeting = Meeting(
            **self._base(data, None),
            start=self._date(data, "start", moment=True), end=self._date(data, "end", moment=True),
            cancelled=data.get("cancelled") is True, state=_str(data.get("state")),
            location=_location(data.get("location")),
            organizations=self._many("organization", data, "organizations"),
            invitation=self._one("file", data, "invitation"),
            results_protocol=self._one("file", data, "results_protocol"),
            verbatim_protocol=self._one("file", data, "verbatim_protocol"),
            auxiliary_files=self._many("file", data, "auxiliary_files"),
        )
        for position, item in enumerate(_list(data.get("agenda"))):
            if not isinstance(item, dict):
                continue
            item_id = _str(item.get("id")) or str(position + 1)
            if item.get("public") is not True:
                # Re-check of the publication rule: only an explicit true is public; of
                # anything else only the place in the agenda survives.
                meeting.agenda.append(AgendaItem(item_id, meeting, False, number=_str(item.get("number"))))
                continue
            meeting.agenda.append(AgendaItem(
                item_id, meeting, True, number=_str(item.get("number")), name=_str(item.get("name")),
                paper=self._one("paper", item, "paper"), result=_str(item.get("result")),
                resolution_text=_str(item.get("resolution_text")),
                resolution_file=self._one("file", item, "resolution_file"),
                auxiliary_files=self._many("file", item, "auxiliary_files"),
            ))
        return meeting

    def link_paper(self, paper: Paper, data: dict):
        self._about("paper", paper.id)
        for name in ("related_papers", "superordinated_papers", "subordinated_papers"):
            setattr(paper, name, self._many("paper", data, name, but=paper.id))
        for c in _list(data.get("consultations")):
            if not isinstance(c, dict):
                continue
            meeting = self._one("meeting", c, "meeting")
            item_id = _str(c.get("agenda_item"))
            agenda_item = next((i for i in meeting.agenda if i.id == item_id), None) if meeting and item_id else None
            if meeting and item_id and agenda_item is None:
                self._missing("agenda_item", "agenda_item", item_id)
            organizations = self._many("organization", c, "organizations")
            # Re-check of the publication rule: an item that is not public, or that
            # cannot be found to be public, closes the consultation.
            if c.get("public", True) is not True or (item_id and not (agenda_item and agenda_item.public)):
                paper.consultations.append(Consultation(paper, meeting, None, organizations, public=False))
                continue
            paper.consultations.append(Consultation(
                paper, meeting, agenda_item, organizations,
                role=_str(c.get("role")),
                authoritative=c.get("authoritative") if isinstance(c.get("authoritative"), bool) else None,
            ))


def _register_paper(paper: Paper):
    for f in ([paper.main_file] if paper.main_file else []) + paper.auxiliary_files:
        f.papers.append(paper)
    for org in paper.under_direction_of:
        org.papers.append(paper)


def _register_meeting(meeting: Meeting):
    for org in meeting.organizations:
        org.meetings.append(meeting)
    items = [i for i in meeting.agenda if i.public]
    linked = [f for _, f in meeting.documents]
    linked += [f for i in items for f in ([i.resolution_file] if i.resolution_file else []) + i.auxiliary_files]
    for f in linked:
        if meeting not in f.meetings:
            f.meetings.append(meeting)


_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(value: str) -> str:
    return _SLUG_UNSAFE.sub("-", value.lower().translate(_UMLAUTS)).strip("-")[:80]


def _paper_slugs(graph: Graph):
    """Papers are known by their reference (VO/2025/0012 → vo-2025-0012), where it is unique and
    not the name of a list (`Index`, `Jahr 2030`, `Art …`): such a paper keeps its id."""
    candidates = defaultdict(list)
    for paper in graph.papers.values():
        slug = slugify(paper.reference) if paper.reference else ""
        if slug and not is_list_page_name("paper", slug):
            candidates[slug].append(paper)
    taken = {(paper.slug or paper.id).lower() for paper in graph.papers.values()}
    for slug, papers in sorted(candidates.items()):
        if len(papers) == 1 and slug not in taken:
            papers[0].slug = slug
            taken.add(slug)


def _safe_name(value) -> str | None:
    """A file name inside its folder, nothing else (no paths, no dot files)."""
    name = _str(value)
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return None
    return name


def _location(value) -> dict:
    if not isinstance(value, dict):
        return {}
    keys = ("description", "street_address", "room", "postal_code", "locality")
    return {k: _str(value.get(k)) for k in keys if _str(value.get(k))}


_FAR_FUTURE = datetime.max.replace(tzinfo=None)


def meeting_sort_key(meeting: Meeting):
    start = meeting.start.replace(tzinfo=None) if meeting.start else _FAR_FUTURE
    return (start, meeting.id)


def paper_sort_key(paper: Paper):
    return (paper.date or date.min, paper.reference or "", paper.id)


def role_rank(role: str | None) -> int:
    """Chairs first, then members, then deputies and everyone else (for member lists)."""
    label = (role or "Mitglied").lower()
    if "stellv" in label and "vorsitz" in label:
        return 1
    if "vorsitz" in label or "bürgermeister" in label or "sprecher" in label:
        return 0
    if "stellv" in label or "vertret" in label:
        return 3
    if label.startswith("mitglied"):
        return 2
    return 4


def _sort(graph: Graph):
    for org in graph.organizations.values():
        org.meetings.sort(key=meeting_sort_key)
        org.papers.sort(key=paper_sort_key, reverse=True)
        org.memberships.sort(key=lambda m: (m.end_date is not None, role_rank(m.role), m.person.sort_key))
    for person in graph.persons.values():
        sort_own_lists(person)
    for paper in graph.papers.values():
        sort_own_lists(paper)
    for f in graph.files.values():
        f.meetings.sort(key=meeting_sort_key)
        f.papers.sort(key=paper_sort_key)


def sort_own_lists(obj):
    """A person's memberships and a paper's consultations, in the order pages show them."""
    if isinstance(obj, Person):
        obj.memberships.sort(key=lambda m: (m.end_date is not None, m.organization.name.lower()))
    elif isinstance(obj, Paper):
        obj.consultations.sort(key=lambda c: meeting_sort_key(c.meeting) if c.meeting else (_FAR_FUTURE, ""))
