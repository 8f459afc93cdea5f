"""One content file read: its front matter parsed (bounded YAML), its values cleaned, its
references resolved into a typed object of the graph, and the publication rule checked again.

Loading the whole graph (loading.py) and copying edits onto its snapshot (reuse/snapshot.py)
both read files through here, so that both make the same objects.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import yaml

import boundedyaml
from plugins.council.graph import (FOLDERS, AgendaItem, Body, Consultation, File, Graph, Meeting, Membership,
                                   Organization, Paper, Person, Term)
from plugins.council.history import CHANGE_KINDS, Change, Version
from plugins.urls import RESERVED_PREFIX, is_list_page_name
from plugins.council.problems import KIND_NAMES, NEXT_STEP, line_of
from plugins.council.values import (GENDERS, _date, _datetime, _digits, _hex, _list, _location, _page_numbers,
                                    _safe_name, _shown_file_name, _size, _str)
from ratsinfo import portable

# Content files are read through boundedyaml, never yaml.load directly: content/ may be
# edited by hand, and a file with nested aliases expands to gigabytes once the graph walks
# its values (issue 13). The message names the file and line instead.


class ContentError(Exception):
    """A content file is broken; the message names it."""


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



class Maker:
    """Typed objects from front matter, links resolved against `graph`. It does not add them to
    the graph nor back-link them (load_graph does), so that the snapshot can compare an edited
    object with the one it holds (plugins/council/reuse/snapshot.py)."""

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
                    website=_str(data.get("website")), ags=_digits(data.get("ags"), 8),
                    rgs=_digits(data.get("rgs"), 12))

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
                    file_name=_shown_file_name(data.get("file_name")),
                    size=_size(data.get("size")), sha512=_hex(data.get("sha512"), 128),
                    sha1=_hex(data.get("sha1"), 40),
                    access_url=_str(data.get("access_url")),
                    media=media if media in self.present else None,
                    media_type=_str(data.get("media_type")),
                    media_size=_size(data.get("media_size")), media_sha512=_hex(data.get("media_sha512"), 128),
                    text_path=f"{self.files_folder}{os.sep}{text_name}" if text_name in self.present else None,
                    versions=self._versions(data),
                    ocr_pages=_page_numbers(data.get("text_ocr_pages")))

    def _versions(self, data: dict) -> list[Version]:
        versions = []
        for v in _list(data.get("versions")):
            if not isinstance(v, dict) or _size(v.get("version")) is None:
                continue
            name = _safe_name(v.get("text"))
            versions.append(Version(v["version"], until=_date(v.get("until")),
                                    text_path=f"{self.files_folder}{os.sep}{name}" if name in self.present else None))
        return sorted(versions, key=lambda v: v.number)

    def _changes(self, data: dict, agenda: list | None = None) -> list[Change]:
        """The change record; again only of public agenda items: an entry about an item that is
        on the agenda but not public goes, whatever the file says."""
        closed = {item.id for item in agenda or [] if not item.public}
        out = []
        for c in _list(data.get("changes")):
            if not isinstance(c, dict) or c.get("change") not in CHANGE_KINDS:
                continue
            if (item_id := _str(c.get("item"))) in closed:
                continue
            out.append(Change(
                c["change"], seen=_date(c.get("seen")), item_id=item_id, number=_str(c.get("number")),
                name=_str(c.get("name")), from_number=_str(c.get("from")) if c["change"] == "item_moved" else None,
                result=_str(c.get("result")),
                moved_from=_datetime(c.get("from")) if c["change"] == "meeting_moved" else None,
                moved_to=_datetime(c.get("to")) if c["change"] == "meeting_moved" else None,
                file=self.graph.files.get(_str(c.get("file")) or ""), role=_str(c.get("role")),
                version=_size(c.get("version"))))
        return [c for c in out if c.file is not None or not c.change.startswith("document_")]

    def _organization(self, data: dict) -> Organization:
        return Organization(
            **self._base(data, "Gremium"),
            short_name=_str(data.get("short_name")), organization_type=_str(data.get("organization_type")),
            classification=_str(data.get("classification")), start_date=self._date(data, "start_date"),
            end_date=self._date(data, "end_date"), website=_str(data.get("website")),
            location=_location(data.get("location")),
        )

    def link_organization(self, org: Organization, data: dict):
        """Its parent (OParl subOrganizationOf), once all organizations are there; never itself
        nor one of its own descendants, so that no page walks a circle."""
        self._about("organization", org.id)
        parent = self._one("organization", data, "parent")
        ancestor = parent
        while ancestor is not None and ancestor is not org:
            ancestor = ancestor.parent
        org.parent = parent if ancestor is None else None

    def _person(self, data: dict) -> Person:
        """With its memberships; the organizations learn of them in load_graph."""
        contact = self.publish_contact_data
        person = Person(
            **self._base(data, "Unbekannt"),
            family_name=_str(data.get("family_name")), given_name=_str(data.get("given_name")),
            form_of_address=_str(data.get("form_of_address")),
            title=[_str(t) for t in _list(data.get("title")) if _str(t)],
            affix=_str(data.get("affix")),
            # Gender is personal data like contact data (docs/security.md).
            gender=_str(data.get("gender")) if contact and _str(data.get("gender")) in GENDERS else None,
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
            changes=self._changes(data),
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
                start=self._date(item, "start", moment=True), end=self._date(item, "end", moment=True),
            ))
        meeting.changes = self._changes(data, meeting.agenda)
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
