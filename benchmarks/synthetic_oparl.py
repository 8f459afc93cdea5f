"""The synthetic city as OParl 1.1 JSON, written as a dump folder.

Objects are embedded where the spec embeds them (agenda items and documents in
the meeting, consultations and documents in the paper, memberships in the
person) and listed again in the body's external lists, as real servers do.
File text is drawn from a random generator seeded by the file's number, so it
is the same in every place and never held in memory for all files at once.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.words import TextModel

BASE_URL = "https://oparl.grossstadt.example/oparl/v1.1/"
WEB_URL = "https://ratsinfo.grossstadt.example/"
SCHEMA = "https://schema.oparl.org/1.1/"
BODY = "bodies/1"
PAGE_SIZE = 50
BERLIN = ZoneInfo("Europe/Berlin")
LISTS = {  # OParl type -> (Body field, path under the body)
    "LegislativeTerm": ("legislativeTermList", "legislativeterms"),
    "Organization": ("organization", "organizations"),
    "Person": ("person", "persons"),
    "Membership": ("membership", "memberships"),
    "Meeting": ("meeting", "meetings"),
    "AgendaItem": ("agendaItem", "agendaitems"),
    "Paper": ("paper", "papers"),
    "Consultation": ("consultation", "consultations"),
    "File": ("file", "files"),
    "Location": ("locationList", "locations"),
}


def url(kind: str, number: int) -> str:
    return f"{BASE_URL}{BODY}/{LISTS[kind][1]}/{number}"


def stamp(moment: date | datetime) -> str:
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(9), BERLIN)
    return moment.isoformat()


def compact(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if v not in (None, "", [], {})}


class Serializer:
    def __init__(self, city):
        self.city = city
        self.text = TextModel(random.Random(city.seed))

    def _object(self, kind: str, number: int, fields: dict, created: date | datetime, modified=None) -> dict:
        return compact({
            "id": url(kind, number), "type": SCHEMA + kind, **fields,
            "web": f"{WEB_URL}{LISTS[kind][1]}/{number}",
            "created": stamp(created), "modified": stamp(modified or created),
        })

    def system(self) -> dict:
        return {"id": BASE_URL + "system", "type": SCHEMA + "System", "oparlVersion": SCHEMA,
                "body": BASE_URL + "bodies", "name": "Ratsinformationssystem der Synthetischen Großstadt",
                "created": "2007-01-01T09:00:00+01:00", "modified": "2026-11-01T09:00:00+01:00"}

    def body(self) -> dict:
        lists = {field: f"{BASE_URL}{BODY}/{path}" for field, path in LISTS.values()}
        return {"id": BASE_URL + BODY, "type": SCHEMA + "Body", "system": BASE_URL + "system",
                "name": "Synthetische Großstadt", "shortName": "Großstadt", "ags": "14612999", **lists,
                "legislativeTerm": [self.term(t, embedded=True) for t in self.city.terms],
                "created": "2007-01-01T09:00:00+01:00", "modified": "2026-11-01T09:00:00+01:00"}

    def term(self, term, embedded: bool = False) -> dict:
        return self._object("LegislativeTerm", term.number, {
            "body": None if embedded else BASE_URL + BODY, "name": f"Wahlperiode {term.start.year}–{term.end.year}",
            "startDate": term.start.isoformat(), "endDate": term.end.isoformat(),
        }, term.start)

    def location(self, index: int) -> dict:
        return self._object("Location", index + 1, {
            "description": f"Rathaus, {self.city.rooms[index]}", "streetAddress": "Marktplatz 1",
            "postalCode": "01067", "locality": "Großstadt",
        }, date(2007, 1, 1))

    def organization(self, org) -> dict:
        return self._object("Organization", org.number, {
            "body": BASE_URL + BODY, "name": org.name, "shortName": org.short_name,
            "organizationType": org.organization_type, "classification": org.classification,
            "startDate": "1990-06-01",
        }, date(2007, 1, 1))

    def person(self, person) -> dict:
        return self._object("Person", person.number, {
            "body": BASE_URL + BODY, "name": f"{person.given_name} {person.family_name}",
            "familyName": person.family_name, "givenName": person.given_name,
            "formOfAddress": "Frau" if person.gender == "female" else "Herr", "gender": person.gender,
            "email": [f"person{person.number}@grossstadt.example"],
            "membership": [self.membership(m, embedded=True) for m in person.memberships],
        }, date(2007, 1, 1))

    def membership(self, m, embedded: bool = False) -> dict:
        return self._object("Membership", m.number, {
            "person": None if embedded else url("Person", m.person.number),
            "organization": url("Organization", m.organization.number), "role": m.role,
            "votingRight": m.voting_right, "startDate": m.start.isoformat(),
            "endDate": m.end.isoformat() if m.end else None,
            "onBehalfOf": url("Organization", m.on_behalf_of.number) if m.on_behalf_of else None,
        }, m.start)

    def meeting(self, meeting) -> dict:
        return self._object("Meeting", meeting.number, {
            "name": meeting.name, "meetingState": "durchgeführt" if meeting.held else "eingeladen",
            "start": stamp(meeting.start), "end": stamp(meeting.start + timedelta(hours=3)),
            "location": self.location(meeting.room),
            "organization": [url("Organization", meeting.organization.number)],
            "invitation": self.file(meeting.invitation, embedded=True),
            "resultsProtocol": self.file(meeting.protocol, embedded=True) if meeting.protocol else None,
            "agendaItem": [self.agenda_item(i, embedded=True) for i in meeting.agenda_items],
        }, meeting.start - timedelta(days=10), meeting.start + timedelta(days=14))

    def agenda_item(self, item, embedded: bool = False) -> dict:
        return self._object("AgendaItem", item.number, {
            "meeting": None if embedded else url("Meeting", item.meeting.number),
            "number": item.label, "order": item.order, "name": item.name, "public": item.public,
            "consultation": url("Consultation", item.consultation.number) if item.consultation else None,
            "result": item.result, "resolutionText": item.resolution_text,
        }, item.meeting.start - timedelta(days=10), item.meeting.start + timedelta(days=14))

    def paper(self, paper) -> dict:
        return self._object("Paper", paper.number, {
            "body": BASE_URL + BODY, "name": paper.name, "reference": paper.reference,
            "date": paper.day.isoformat(), "paperType": paper.paper_type,
            "mainFile": self.file(paper.main_file, embedded=True),
            "auxiliaryFile": [self.file(f, embedded=True) for f in paper.auxiliary_files],
            "originatorPerson": [url("Person", paper.originator_person.number)] if paper.originator_person else None,
            "originatorOrganization": ([url("Organization", paper.originator_organization.number)]
                                       if paper.originator_organization else None),
            "underDirectionOf": [url("Organization", paper.under_direction_of.number)],
            "superordinatedPaper": [url("Paper", paper.superordinated.number)] if paper.superordinated else None,
            "subordinatedPaper": [url("Paper", p.number) for p in paper.subordinated],
            "relatedPaper": [url("Paper", p.number) for p in paper.related],
            "consultation": [self.consultation(c, embedded=True) for c in paper.consultations],
        }, paper.day)

    def consultation(self, c, embedded: bool = False) -> dict:
        return self._object("Consultation", c.number, {
            "paper": None if embedded else url("Paper", c.paper.number),
            "agendaItem": url("AgendaItem", c.agenda_item.number), "meeting": url("Meeting", c.meeting.number),
            "organization": [url("Organization", c.organization.number)],
            "role": c.role, "authoritative": c.authoritative,
        }, c.paper.day)

    def file(self, f, embedded: bool = False) -> dict:
        text = self.text.document(random.Random(f"{self.city.seed}:file:{f.number}"), f.name, f.words, f.keywords)
        access = f"{BASE_URL}documents/{f.number}.pdf"
        fields = {
            "name": f.name, "fileName": f.file_name, "mimeType": "application/pdf", "date": f.day.isoformat(),
            "size": len(text) * 4, "accessUrl": access, "downloadUrl": access, "text": text,
        }
        if not embedded:
            fields["meeting"] = [url("Meeting", m.number) for m in f.meetings]
            fields["paper"] = [url("Paper", p.number) for p in f.papers]
        return self._object("File", f.number, fields, f.day)


def write_dump(city, out_dir: Path):
    out_dir.mkdir(parents=True, exist_ok=True)
    s = Serializer(city)
    _write(out_dir, "system", s.system())
    _write_list(out_dir, "bodies", [city], lambda _: s.body())
    lists: dict[str, tuple[list, Callable]] = {
        "LegislativeTerm": (city.terms, s.term), "Organization": (city.organizations, s.organization),
        "Person": (city.persons, s.person), "Membership": (city.memberships, s.membership),
        "Meeting": (city.meetings, s.meeting), "AgendaItem": (city.agenda_items, s.agenda_item),
        "Paper": (city.papers, s.paper), "Consultation": (city.consultations, s.consultation),
        "File": (city.files, s.file), "Location": (list(range(len(city.rooms))), s.location),
    }
    for kind, (objects, serialize) in lists.items():
        _write_list(out_dir, f"{BODY}/{LISTS[kind][1]}", objects, serialize)


def _write(out_dir: Path, path: str, obj: dict):
    target = out_dir / (path + ".json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


def _page_url(path: str, page: int) -> str:
    return BASE_URL + path + ("" if page == 1 else f"?page={page}")


def _write_list(out_dir: Path, path: str, objects: list, serialize: Callable[[object], dict]):
    total_pages = max(1, -(-len(objects) // PAGE_SIZE))
    for page in range(1, total_pages + 1):
        links = {"first": _page_url(path, 1), "self": _page_url(path, page), "last": _page_url(path, total_pages)}
        if page > 1:
            links["prev"] = _page_url(path, page - 1)
        if page < total_pages:
            links["next"] = _page_url(path, page + 1)
        chunk: Iterable = objects[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        _write(out_dir, path if page == 1 else f"{path}?page={page}", {
            "data": [serialize(o) for o in chunk],
            "pagination": {"totalElements": len(objects), "elementsPerPage": PAGE_SIZE,
                           "currentPage": page, "totalPages": total_pages},
            "links": links,
        })
