"""The town as OParl 1.1 objects (https://oparl.org/spezifikation/).

Every object comes in two forms: complete, as served at its own id and in
the external lists, and embedded in its parent, where the spec (§ 2.2.3)
leaves out the back-reference to that parent (AgendaItem.meeting,
Consultation.paper, Membership.person, the File's and Location's lists).
Fields without a value are left out entirely: no null, no "", no [].
"""

from __future__ import annotations

import hashlib
from datetime import date

from ratsinfo.demo import names, timestamps
from ratsinfo.demo.archive import full_text
from ratsinfo.demo.meetings import meeting_name, state_of
from ratsinfo.demo.model import (
    AgendaItem, Consultation, File, LegislativeTerm, Location, Meeting, Membership,
    Organization, Paper, Person, Town,
)
from ratsinfo.demo.timeline import stamp

BASE_URL = "https://oparl.muldenau.example/oparl/v1.1/"
WEB_URL = "https://ratsinfo.muldenau.example/"
SCHEMA = "https://schema.oparl.org/1.1/"
LICENSE = "https://www.govdata.de/dl-de/by-2-0"
BODY = "bodies/1"

# Where each kind lives: (id path under the body, external list, web page folder).
PATHS = {
    "LegislativeTerm": ("legislativeterms", "wahlperioden"),
    "Organization": ("organizations", "gremien"),
    "Person": ("persons", "personen"),
    "Membership": ("memberships", "mitgliedschaften"),
    "Meeting": ("meetings", "sitzungen"),
    "AgendaItem": ("agendaitems", "tagesordnungspunkte"),
    "Paper": ("papers", "vorlagen"),
    "Consultation": ("consultations", "beratungen"),
    "File": ("files", "dokumente"),
    "Location": ("locations", "orte"),
}


def list_path(kind: str) -> str:
    return f"{BODY}/{PATHS[kind][0]}"


def object_path(kind: str, number: int) -> str:
    return f"{list_path(kind)}/{number}"


def url(kind: str, number: int) -> str:
    return BASE_URL + object_path(kind, number)


def document_url(file: File) -> str:
    return f"{BASE_URL}documents/{file.number}.pdf"


def compact(value):
    """Drop None, "" and empty lists or objects, at every depth."""
    if isinstance(value, dict):
        cleaned = {key: compact(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [compact(item) for item in value]
    return value


def _object(kind: str, number: int, fields: dict, times: tuple) -> dict:
    created, modified = times
    return {
        "id": url(kind, number),
        "type": SCHEMA + kind,
        **fields,
        "web": f"{WEB_URL}{PATHS[kind][1]}/{number}",
        "created": stamp(created),
        "modified": stamp(modified),
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _urls(kind: str, objects) -> list[str]:
    return [url(kind, o.number) for o in objects]


class Serializer:
    """Turns the town into OParl dicts; knows the back-references the spec wants."""

    def __init__(self, town: Town):
        self.council = town.council
        self.prose = town.prose
        self.meetings_at: dict[int, list[Meeting]] = {}
        for meeting in town.meetings:
            self.meetings_at.setdefault(meeting.location.number, []).append(meeting)

    def system(self) -> dict:
        created, modified = timestamps.system()
        return compact({
            "id": BASE_URL + "system",
            "type": SCHEMA + "System",
            "oparlVersion": SCHEMA,
            "body": BASE_URL + "bodies",
            "name": "Ratsinformationssystem der Großen Kreisstadt Muldenau",
            "contactEmail": "ratsinfo@muldenau.example",
            "contactName": "Büro des Stadtrates",
            "website": WEB_URL,
            "vendor": "https://www.example.org/",
            "product": "https://www.example.org/ratsinfo-demo",
            "license": LICENSE,
            "web": WEB_URL,
            "created": stamp(created),
            "modified": stamp(modified),
        })

    def body(self) -> dict:
        created, modified = timestamps.system()
        lists = {field: BASE_URL + list_path(kind) for field, kind in (
            ("organization", "Organization"), ("person", "Person"), ("meeting", "Meeting"),
            ("paper", "Paper"), ("agendaItem", "AgendaItem"), ("consultation", "Consultation"),
            ("file", "File"), ("locationList", "Location"),
            ("legislativeTermList", "LegislativeTerm"), ("membership", "Membership"),
        )}
        return compact({
            "id": BASE_URL + BODY,
            "type": SCHEMA + "Body",
            "system": BASE_URL + "system",
            "shortName": names.TOWN,
            "name": names.TOWN_FULL,
            "website": "https://www.muldenau.example/",
            "license": LICENSE,
            "licenseValidSince": timestamps.INTERFACE_LAUNCH.date().isoformat(),
            "oparlSince": timestamps.INTERFACE_LAUNCH.date().isoformat(),
            "ags": names.AGS,
            "contactEmail": "stadtrat@muldenau.example",
            "contactName": "Büro des Stadtrates",
            "classification": "Große Kreisstadt",
            **lists,
            "legislativeTerm": [self.legislative_term(t, embedded=True)
                                for t in self.council.terms],
            "location": self.location(self.council.rathaus, embedded=True),
            "web": WEB_URL,
            "created": stamp(created),
            "modified": stamp(modified),
        })

    def legislative_term(self, term: LegislativeTerm, embedded: bool = False) -> dict:
        return compact(_object("LegislativeTerm", term.number, {
            "body": None if embedded else BASE_URL + BODY,
            "name": term.name,
            "startDate": _day(term.start_date),
            "endDate": _day(term.end_date),
        }, timestamps.legislative_term(term)))

    def location(self, location: Location, embedded: bool = False) -> dict:
        fields = {
            "description": location.description,
            "geojson": {
                "type": "Feature",
                "geometry": {"type": "Point",
                             "coordinates": [location.longitude, location.latitude]},
                "properties": {"name": location.description},
            },
            "streetAddress": location.street_address,
            "room": location.room,
            "postalCode": names.POSTAL_CODE,
            "subLocality": location.sub_locality,
            "locality": names.TOWN,
        }
        if not embedded:
            fields["bodies"] = [BASE_URL + BODY] if location is self.council.rathaus else None
            fields["organizations"] = _urls("Organization", [
                o for o in self.council.organizations if o.location is location])
            fields["meetings"] = _urls("Meeting", self.meetings_at.get(location.number, []))
        return compact(_object("Location", location.number, fields, timestamps.location()))

    def organization(self, organization: Organization) -> dict:
        return compact(_object("Organization", organization.number, {
            "body": BASE_URL + BODY,
            "name": organization.name,
            "shortName": organization.short_name,
            "membership": _urls("Membership", organization.memberships),
            "post": list(organization.post),
            "subOrganizationOf": (url("Organization", organization.sub_organization_of.number)
                                  if organization.sub_organization_of else None),
            "organizationType": organization.organization_type,
            "classification": organization.classification,
            "startDate": _day(organization.start_date),
            "location": (self.location(organization.location, embedded=True)
                         if organization.location else None),
        }, timestamps.organization(organization)))

    def person(self, person: Person) -> dict:
        return compact(_object("Person", person.number, {
            "body": BASE_URL + BODY,
            "name": person.name,
            "familyName": person.family_name,
            "givenName": person.given_name,
            "formOfAddress": person.form_of_address,
            "title": [person.title] if person.title else None,
            "affix": person.affix,
            "gender": person.gender,
            "email": [person.email] if person.email else None,
            "phone": [person.phone] if person.phone else None,
            "status": [person.status] if person.status else None,
            "membership": [self.membership(m, embedded=True) for m in
                           sorted(person.memberships, key=lambda m: (m.start_date, m.number))],
        }, timestamps.person(person)))

    def membership(self, membership: Membership, embedded: bool = False) -> dict:
        return compact(_object("Membership", membership.number, {
            "person": None if embedded else url("Person", membership.person.number),
            "organization": url("Organization", membership.organization.number),
            "role": membership.role,
            "votingRight": membership.voting_right,
            "startDate": _day(membership.start_date),
            "endDate": _day(membership.end_date),
            "onBehalfOf": (url("Organization", membership.on_behalf_of.number)
                           if membership.on_behalf_of else None),
        }, timestamps.membership(membership)))

    def meeting(self, meeting: Meeting) -> dict:
        return compact(_object("Meeting", meeting.number, {
            "name": meeting_name(meeting),
            "meetingState": state_of(meeting),
            "cancelled": True if meeting.cancelled else None,
            "start": stamp(meeting.start),
            "end": stamp(meeting.end) if meeting.end else None,
            "location": self.location(meeting.location, embedded=True),
            "organization": [url("Organization", meeting.organization.number)],
            "participant": _urls("Person", meeting.participants),
            "invitation": self.file(meeting.invitation, embedded=True),
            "resultsProtocol": (self.file(meeting.results_protocol, embedded=True)
                                if meeting.results_protocol else None),
            "agendaItem": [self.agenda_item(i, embedded=True) for i in meeting.agenda_items],
        }, timestamps.meeting(meeting)))

    def agenda_item(self, item: AgendaItem, embedded: bool = False) -> dict:
        return compact(_object("AgendaItem", item.number, {
            "meeting": None if embedded else url("Meeting", item.meeting.number),
            "number": item.label,
            "order": item.order,
            "name": item.name,
            "public": item.public,
            "consultation": (url("Consultation", item.consultation.number)
                             if item.consultation else None),
            "result": item.result,
            "resolutionText": item.resolution_text,
            "resolutionFile": (self.file(item.resolution_file, embedded=True)
                               if item.resolution_file else None),
            "start": stamp(item.times[0]) if item.times[0] else None,
            "end": stamp(item.times[1]) if item.times[1] else None,
        }, timestamps.agenda_item(item)))

    def paper(self, paper: Paper) -> dict:
        return compact(_object("Paper", paper.number, {
            "body": BASE_URL + BODY,
            "name": paper.name,
            "reference": paper.reference,
            "date": _day(paper.day),
            "paperType": paper.paper_type,
            "relatedPaper": _urls("Paper", paper.related),
            "superordinatedPaper": _urls("Paper", [paper.superordinated]
                                         if paper.superordinated else []),
            "subordinatedPaper": _urls("Paper", paper.subordinated),
            "mainFile": self.file(paper.main_file, embedded=True),
            "auxiliaryFile": [self.file(f, embedded=True) for f in paper.auxiliary_files],
            "originatorPerson": _urls("Person", [paper.originator_person]
                                      if paper.originator_person else []),
            "underDirectionOf": [url("Organization", paper.under_direction_of.number)],
            "originatorOrganization": _urls("Organization", [paper.originator_organization]
                                            if paper.originator_organization else []),
            "consultation": [self.consultation(c, embedded=True) for c in paper.consultations],
        }, timestamps.paper(paper)))

    def consultation(self, consultation: Consultation, embedded: bool = False) -> dict:
        return compact(_object("Consultation", consultation.number, {
            "paper": None if embedded else url("Paper", consultation.paper.number),
            "agendaItem": url("AgendaItem", consultation.agenda_item.number),
            "meeting": url("Meeting", consultation.meeting.number),
            "organization": [url("Organization", consultation.organization.number)],
            "authoritative": consultation.authoritative,
            "role": consultation.role,
        }, timestamps.consultation(consultation)))

    def file(self, file: File, embedded: bool = False) -> dict:
        fields = {
            "name": file.name,
            "fileName": file.file_name,
            "mimeType": "application/pdf",
            "date": _day(file.day),
            **self._document(file),
            "accessUrl": document_url(file),
            "downloadUrl": document_url(file),
            "fileLicense": LICENSE,
        }
        if not embedded:
            fields["meeting"] = _urls("Meeting", file.meetings)
            fields["agendaItem"] = _urls("AgendaItem", file.agenda_items)
            fields["paper"] = _urls("Paper", file.papers)
        return compact(_object("File", file.number, fields, timestamps.file(file)))

    def _document(self, file: File) -> dict:
        """The PDF's size and checksum, or at city scale the text instead of a PDF."""
        if file.document:  # the realistic archive: a PDF on disk
            return {"size": file.document[0], "sha512Checksum": file.document[1]}
        if file.archive_text:
            text = full_text(file)
            return {"size": len(text.encode()), "text": text}
        if file.words:
            text = self.prose.text(file.number, file.name, file.words, file.keywords)
            return {"size": len(text.encode()), "text": text}
        return {"size": len(file.content),
                "sha512Checksum": hashlib.sha512(file.content).hexdigest()}
