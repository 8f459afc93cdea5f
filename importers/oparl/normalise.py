"""OParl objects of a `Crawl` → normalised `Record`s (the content/ contract).

Only field mapping lives here. Which records are published is decided later,
in importers/publication.py, for every importer alike.
"""

from __future__ import annotations

from importers.oparl import quirks
from importers.oparl.walker import Crawl
from importers.records import Record, Ref, SourceText
from importers.report import Report
from importers.spool import SpooledText
from importers.values import (
    bool_value, checksum_value, compact, date_value, datetime_value, file_name_value, gender_value, int_value,
    key_number, long_text, strings, text, url_value,
)

_KIND_OF_TYPE = {
    "Body": "body", "LegislativeTerm": "term", "Organization": "organization",
    "Person": "person", "Meeting": "meeting", "Paper": "paper", "File": "file",
}


class Normaliser:
    def __init__(self, crawl: Crawl, report: Report, withheld_before: set[str] = frozenset()):
        self.crawl = crawl
        self.report = report
        # Agenda items an earlier run withheld (importers/publication.still_withheld): they stay
        # withheld until the source explicitly says they are public.
        self.withheld_before = withheld_before

    # -- helpers -------------------------------------------------------------

    def _obj(self, value) -> dict | None:
        object_id = quirks.link(value)
        if object_id is not None and object_id not in self.crawl.deleted:
            return self.crawl.objects.get(object_id)
        return None

    def _ref(self, kind: str, value) -> Ref | None:
        """A link, only when the target exists in the crawl as that kind."""
        object_id = quirks.link(value)
        if object_id is None:
            return None
        type_name = self.crawl.types.get(object_id)
        if type_name is None or object_id in self.crawl.deleted or _KIND_OF_TYPE.get(type_name) != kind:
            return None
        return Ref(kind, object_id)

    def _refs(self, kind: str, values) -> list[Ref]:
        refs = []
        for value in quirks.as_list(values):
            ref = self._ref(kind, value)
            if ref is not None and ref not in refs:
                refs.append(ref)
        return refs

    def _location(self, value) -> dict | None:
        location = self._obj(value)
        if location is None:
            return None
        return compact({
            "description": text(location.get("description")),
            "street_address": text(location.get("streetAddress") or location.get("street_address")),
            "room": text(location.get("room")),
            "postal_code": text(location.get("postalCode") or location.get("postal_code")),
            "locality": text(location.get("locality")),
        }) or None

    @staticmethod
    def _common(obj: dict) -> dict:
        return {"web": url_value(obj.get("web")), "modified": datetime_value(obj.get("modified"))}

    # -- records -------------------------------------------------------------

    def records(self) -> list[Record]:
        out: list[Record] = []
        builders = {
            "Body": self.body, "LegislativeTerm": self.term, "Organization": self.organization,
            "Person": self.person, "Meeting": self.meeting, "Paper": self.paper, "File": self.file,
        }
        for object_id in sorted(self.crawl.types):
            if object_id in self.crawl.deleted:
                continue
            for problem in quirks.shape_problems(self.crawl.objects[object_id], self.crawl.types[object_id]):
                self.report.problem(problem, object_id)
            builder = builders.get(self.crawl.types[object_id])
            if builder is None:
                continue
            record = builder(self.crawl.objects[object_id])
            if record is not None:
                out.append(record)
        return out

    def body(self, obj: dict) -> Record:
        return Record("body", obj["id"], compact({
            "name": text(obj.get("name")) or "Körperschaft",
            "short_name": text(obj.get("shortName")),
            "website": url_value(obj.get("website")),
            "ags": key_number(obj.get("ags"), 8),
            "rgs": key_number(obj.get("rgs"), 12),
            "terms": self._refs("term", obj.get("legislativeTerm")),
            **self._common(obj),
        }))

    def term(self, obj: dict) -> Record:
        return Record("term", obj["id"], compact({
            "name": text(obj.get("name")) or "Wahlperiode",
            "start_date": date_value(obj.get("startDate")),
            "end_date": date_value(obj.get("endDate")),
            **self._common(obj),
        }))

    def organization(self, obj: dict) -> Record:
        return Record("organization", obj["id"], compact({
            "name": text(obj.get("name")) or text(obj.get("shortName")) or "Gremium",
            "short_name": text(obj.get("shortName")),
            "organization_type": text(obj.get("organizationType")),
            "classification": text(obj.get("classification")),
            "start_date": date_value(obj.get("startDate")),
            "end_date": date_value(obj.get("endDate")),
            "parent": self._ref("organization", obj.get("subOrganizationOf")),
            "website": url_value(obj.get("website")),
            "location": self._location(obj.get("location")),
            **self._common(obj),
        }))

    def person(self, obj: dict) -> Record:
        memberships = []
        for membership_id in quirks.as_list(obj.get("membership")):
            membership = self._obj(membership_id)
            if membership is None:
                continue
            organization = self._ref("organization", membership.get("organization"))
            if organization is None:
                continue
            memberships.append(compact({
                "source": membership["id"],
                "organization": organization,
                "role": text(membership.get("role")),
                "voting_right": bool_value(membership.get("votingRight")),
                "start_date": date_value(membership.get("startDate")),
                "end_date": date_value(membership.get("endDate")),
                "on_behalf_of": self._ref("organization", membership.get("onBehalfOf")),
            }))
        return Record("person", obj["id"], compact({
            "name": text(obj.get("name")) or " ".join(
                filter(None, [text(obj.get("givenName")), text(obj.get("familyName"))])
            ) or "Unbekannt",
            "family_name": text(obj.get("familyName")),
            "given_name": text(obj.get("givenName")),
            # SessionNet Wuppertal misspells the key (research/oparl.md M5).
            "form_of_address": text(obj.get("formOfAddress")) or text(obj.get("formOfAdress")),
            "title": strings(obj.get("title")),
            "affix": text(obj.get("affix")),
            # Personal data like contact data; importers/publication.py removes it unless allowed.
            "gender": gender_value(obj.get("gender")),
            "memberships": memberships,
            # Contact data; importers/publication.py removes it unless allowed.
            "email": strings(obj.get("email")),
            "phone": strings(obj.get("phone")),
            **self._common(obj),
        }))

    def meeting(self, obj: dict) -> Record:
        start = datetime_value(obj.get("start"))
        end = datetime_value(obj.get("end"))
        if start and end and end < start:
            # SessionNet and ALLRIS put midnight of the start day as an unknown end (M8, C7).
            self.report.problem("Meeting.end liegt vor start (als unbekannt behandelt)", obj["id"])
            end = None
        items = [self._obj(i) for i in quirks.as_list(obj.get("agendaItem"))]
        items = [i for i in items if i is not None]
        if all(isinstance(int_value(i.get("order")), int) for i in items):
            items.sort(key=lambda i: int_value(i.get("order")))
        publicity = quirks.agenda_publicity(items, self.report, self.withheld_before)
        record = Record("meeting", obj["id"])
        agenda = []
        for item, public in zip(items, publicity):
            agenda.append(self._agenda_item(item, public))
            record.nested.append(("agenda_item", item["id"]))
        record.data = compact({
            "name": text(obj.get("name")),
            "start": start,
            "end": end,
            "cancelled": bool_value(obj.get("cancelled")) or None,
            "state": text(obj.get("meetingState")),
            "location": self._location(obj.get("location")),
            "organizations": self._refs("organization", obj.get("organization")),
            "invitation": self._ref("file", obj.get("invitation")),
            "results_protocol": self._ref("file", obj.get("resultsProtocol")),
            "verbatim_protocol": self._ref("file", obj.get("verbatimProtocol")),
            "auxiliary_files": self._refs("file", obj.get("auxiliaryFile")),
            "agenda": agenda,
            **self._common(obj),
        })
        return record

    def _agenda_item(self, item: dict, public: bool) -> dict:
        consultation = self._obj(item.get("consultation"))
        paper = self._ref("paper", consultation.get("paper")) if consultation else None
        return compact({
            "id": Ref("agenda_item", item["id"]),
            "source": item["id"],
            "number": text(item.get("number")),
            "name": text(item.get("name")),
            "public": public,
            "paper": paper,
            "result": text(item.get("result")),
            "resolution_text": long_text(item.get("resolutionText")),
            "resolution_file": self._ref("file", item.get("resolutionFile")),
            "auxiliary_files": self._refs("file", item.get("auxiliaryFile")),
            "start": datetime_value(item.get("start")),
            "end": datetime_value(item.get("end")),
        })

    def paper(self, obj: dict) -> Record:
        consultations = []
        for consultation_id in quirks.as_list(obj.get("consultation")):
            consultation = self._obj(consultation_id)
            if consultation is None:
                continue
            consultations.append(compact({
                "source": consultation["id"],
                "meeting": self._ref("meeting", consultation.get("meeting")),
                "agenda_item": (
                    Ref("agenda_item", consultation["agendaItem"])
                    if isinstance(consultation.get("agendaItem"), str)
                    and consultation["agendaItem"] in self.crawl.objects else None
                ),
                "organizations": self._refs("organization", consultation.get("organization")),
                "role": text(consultation.get("role")),
                "authoritative": bool_value(consultation.get("authoritative")),
            }))
        return Record("paper", obj["id"], compact({
            "name": text(obj.get("name")) or text(obj.get("reference")) or "Vorlage",
            "reference": text(obj.get("reference")),
            "date": date_value(obj.get("date")),
            "paper_type": text(obj.get("paperType")),
            "main_file": self._ref("file", obj.get("mainFile")),
            "auxiliary_files": self._refs("file", obj.get("auxiliaryFile")),
            "originator_persons": self._refs("person", obj.get("originatorPerson")),
            "originator_organizations": self._refs("organization", obj.get("originatorOrganization")),
            "under_direction_of": self._refs("organization", obj.get("underDirectionOf")),
            "related_papers": self._refs("paper", obj.get("relatedPaper")),
            "superordinated_papers": self._refs("paper", obj.get("superordinatedPaper")),
            "subordinated_papers": self._refs("paper", obj.get("subordinatedPaper")),
            "consultations": consultations,
            **self._common(obj),
        }))

    def file(self, obj: dict) -> Record | None:
        access_url = url_value(obj.get("accessUrl")) or url_value(obj.get("downloadUrl"))
        if not access_url:
            self.report.problem("File ohne accessUrl", obj["id"])
        return Record("file", obj["id"], compact({
            "name": text(obj.get("name")) or file_name_value(obj.get("fileName")) or "Dokument",
            "file_name": file_name_value(obj.get("fileName")),
            "mime_type": text(obj.get("mimeType")),
            "date": date_value(obj.get("date")),
            "size": int_value(obj.get("size")),
            "sha512": checksum_value(obj.get("sha512Checksum"), 128),
            "sha1": checksum_value(obj.get("sha1Checksum"), 40),
            "access_url": access_url,
            "download_url": url_value(obj.get("downloadUrl")),
            "source_text": (SourceText(obj["text"], long_text)
                            if isinstance(obj.get("text"), (str, SpooledText)) else None),
            **self._common(obj),
        }))
