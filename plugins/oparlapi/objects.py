"""The council graph as OParl 1.1 objects (research/oparl.md §1.4), public parts only.

Each object is made once, standalone (with its back-references); where the spec embeds it
(AgendaItem in Meeting, Consultation in Paper, Membership in Person, File and Location in
their owners) the embedded copy leaves those back-references out (spec 3-00). What our pages
do not show is not here either: a non-public agenda item is its number, `public: false` and the
page's label as name, a consultation in one names no item and no role, contact data and gender
only if the town allows it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from plugins.council.graph import meeting_sort_key, paper_sort_key
from plugins.oparlapi.layout import TYPES, Urls

# Free licence identifiers a town may write in DATA_LICENCE, and their URLs (OParl wants a URL).
LICENCES = {
    "dl-de/by-2-0": "https://www.govdata.de/dl-de/by-2-0",
    "dl-de/zero-2-0": "https://www.govdata.de/dl-de/zero-2-0",
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}


def licence_url(value: str | None) -> str | None:
    if not value:
        return None
    if value.startswith(("https://", "http://")):
        return value
    return LICENCES.get(value.strip().lower())


STAMPED_BY = "__stamped_by"
# What the meeting page writes in place of a non-public item's subject (theme/templates/meeting.html).
# Clients need a name: Meine Stadt Transparent stops its whole import at an item without one.
CLOSED_ITEM_NAME = "Nichtöffentlicher Tagesordnungspunkt"


def compact(obj: dict) -> dict:
    """Without empty values: the spec asks for no null, no "" and no empty arrays (2-04)."""
    return {k: v for k, v in obj.items() if v is not None and v != "" and v != []}


def embedded(obj: dict, *back: str) -> dict:
    """The copy its owner embeds: without the back-references to the owner."""
    return {k: v for k, v in obj.items() if k not in back}


class Objects:
    """Every OParl object of the graph, by type, in a stable order (ids are stable)."""

    def __init__(self, graph, urls: Urls, clock, *, tz, web_url, contact: bool, licence: str | None,
                 closed_item_name: str = CLOSED_ITEM_NAME, texts: bool = True):
        self.graph, self.urls, self.clock, self.tz, self.web_url = graph, urls, clock, tz, web_url
        self.contact, self.licence, self.closed_item_name = contact, licence, closed_item_name
        # texts=False: Files without `text`, for a reader that takes each from File.read_text() itself
        # (plugins/opendata: a city's texts are some hundred million characters).
        self.texts = texts
        self.by_type: dict[str, list[dict]] = {name: [] for name in TYPES}
        self.body_ids: list[str] = []
        self._item_keys = self._agenda_item_keys()

    # -- values -------------------------------------------------------------

    def moment(self, value) -> str | None:
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time())
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.tz)
        return value.isoformat(timespec="seconds")

    @staticmethod
    def day(value) -> str | None:
        return value.isoformat() if value else None

    @staticmethod
    def stamps(owner) -> dict:
        """created and modified: mandatory on every object (1.1), set by `made` from this owner."""
        return {STAMPED_BY: owner}

    def made(self, obj: dict) -> dict:
        """The object without empty values, with its created and modified (stamps.Stamps)."""
        owner = obj.pop(STAMPED_BY, None)
        obj = compact(obj)
        if owner is not None:
            created, modified = self.clock.stamp(obj, self.moment(getattr(owner, "modified", None)))
            obj["created"], obj["modified"] = created, modified
        return obj

    def ref(self, type_name: str, obj) -> str | None:
        return self.urls.object(type_name, obj.id) if obj is not None else None

    def refs(self, type_name: str, objects) -> list[str]:
        return [self.urls.object(type_name, o.id) for o in objects]

    def _agenda_item_keys(self) -> dict:
        """An agenda item's key: its id, or meeting and id where two meetings share an item id
        (hand-written content numbers items per meeting)."""
        seen: dict[str, int] = {}
        for meeting in self.graph.meetings.values():
            for item in meeting.agenda:
                seen[item.id] = seen.get(item.id, 0) + 1
        return {(m.id, i.id): i.id if seen[i.id] == 1 else f"{m.id}-{i.id}"
                for m in self.graph.meetings.values() for i in m.agenda}

    def item_url(self, item) -> str:
        return self.urls.object("AgendaItem", self._item_keys[(item.meeting.id, item.id)])

    # -- objects ------------------------------------------------------------

    def build(self) -> "Objects":
        graph = self.graph
        files = {f.id: self.file(f) for f in sorted(graph.published_files(), key=lambda f: f.id)}
        self.by_type["File"] = list(files.values())
        self.files = files
        for term in sorted(graph.terms.values(), key=lambda t: t.id):
            self.by_type["LegislativeTerm"].append(self.term(term))
        for org in sorted(graph.organizations.values(), key=lambda o: o.id):
            self.by_type["Organization"].append(self.organization(org))
        for person in sorted(graph.persons.values(), key=lambda p: p.id):
            self.by_type["Person"].append(self.person(person))
        for meeting in sorted(graph.meetings.values(), key=meeting_sort_key):
            self.by_type["Meeting"].append(self.meeting(meeting))
        for paper in sorted(graph.papers.values(), key=paper_sort_key):
            self.by_type["Paper"].append(self.paper(paper))
        self.add_lone_consultations()
        for body in sorted(graph.bodies.values(), key=lambda b: b.id):
            self.by_type["Body"].append(self.body(body))
        return self

    def body(self, body) -> dict:
        lists = {name: self.urls.list_page(type_name, 1) for type_name, name in (
            ("Organization", "organization"), ("Person", "person"), ("Meeting", "meeting"), ("Paper", "paper"),
            ("AgendaItem", "agendaItem"), ("Consultation", "consultation"), ("File", "file"),
            ("Location", "locationList"), ("LegislativeTerm", "legislativeTermList"),
            ("Membership", "membership"))}
        terms = [embedded(t, "body") for t in self.by_type["LegislativeTerm"]]
        return self.made({
            "id": self.ref("Body", body), "type": self.urls.type_of("Body"), "system": self.urls.url("oparl/system"),
            "name": body.name, "shortName": body.short_name, "website": body.website, "license": self.licence,
            "ags": body.ags, "rgs": body.rgs,
            **lists, "legislativeTerm": terms, "web": self.urls.url("index.html"), **self.stamps(body),
        }) | {"legislativeTerm": terms}  # mandatory: [] when there is none

    def term(self, term) -> dict:
        return self.made({
            "id": self.ref("LegislativeTerm", term), "type": self.urls.type_of("LegislativeTerm"),
            "body": self.body_url(), "name": term.name, "startDate": self.day(term.start_date),
            "endDate": self.day(term.end_date), "web": self.web_url(term), **self.stamps(term),
        })

    def body_url(self) -> str | None:
        first = min(self.graph.bodies, default=None)
        return self.urls.object("Body", first) if first is not None else None

    def location(self, owner_kind: str, owner, location: dict, back: str) -> dict | None:
        if not location:
            return None
        obj = self.made({
            "id": self.urls.object("Location", f"{owner_kind}-{owner.id}"), "type": self.urls.type_of("Location"),
            "description": location.get("description"), "streetAddress": location.get("street_address"),
            "room": location.get("room"), "postalCode": location.get("postal_code"),
            "locality": location.get("locality"), back: [self.ref(owner_kind.capitalize(), owner)],
            **self.stamps(owner),
        })
        self.by_type["Location"].append(obj)
        return embedded(obj, back)

    def organization(self, org) -> dict:
        memberships = [m for p in sorted(self.graph.persons.values(), key=lambda p: p.id)
                       for m in p.memberships if m.organization is org]
        return self.made({
            "id": self.ref("Organization", org), "type": self.urls.type_of("Organization"), "body": self.body_url(),
            "name": org.name, "shortName": org.short_name, "organizationType": org.organization_type,
            "classification": org.classification, "startDate": self.day(org.start_date),
            "endDate": self.day(org.end_date), "website": org.website,
            "subOrganizationOf": self.ref("Organization", org.parent),
            "location": self.location("organization", org, org.location, "organizations"),
            "membership": [self.membership_url(m) for m in memberships],
            "web": self.web_url(org), **self.stamps(org),
        })

    def membership_url(self, membership) -> str:
        person = membership.person
        return self.urls.object("Membership", f"{person.id}-{person.memberships.index(membership) + 1}")

    def person(self, person) -> dict:
        memberships = []
        for membership in person.memberships:
            obj = self.made({
                "id": self.membership_url(membership), "type": self.urls.type_of("Membership"),
                "person": self.ref("Person", person), "organization": self.ref("Organization", membership.organization),
                "role": membership.role, "votingRight": membership.voting_right,
                "startDate": self.day(membership.start_date), "endDate": self.day(membership.end_date),
                "onBehalfOf": self.ref("Organization", membership.on_behalf_of), **self.stamps(person),
            })
            self.by_type["Membership"].append(obj)
            memberships.append(embedded(obj, "person"))
        contact = self.contact
        return self.made({
            "id": self.ref("Person", person), "type": self.urls.type_of("Person"), "body": self.body_url(),
            "name": person.name, "familyName": person.family_name, "givenName": person.given_name,
            "formOfAddress": person.form_of_address, "title": list(person.title), "affix": person.affix,
            "gender": person.gender if contact else None,
            "email": list(person.email) if contact else None, "phone": list(person.phone) if contact else None,
            "membership": memberships, "web": self.web_url(person), **self.stamps(person),
        })

    def file(self, f) -> dict:
        """The mirrored copy when we have one; else the original, as our pages link it."""
        mirrored = self.urls.url(f.media_url) if f.media_url else None
        access = mirrored or f.access_url
        return self.made({
            "id": self.ref("File", f), "type": self.urls.type_of("File"), "name": f.name, "fileName": f.file_name,
            "mimeType": f.media_type or f.mime_type if mirrored else f.mime_type,
            # Size and checksums of what accessUrl serves: our copy's, or the original's as the source said.
            "date": self.day(f.date), "size": f.shown_size, "sha512Checksum": f.shown_sha512,
            "sha1Checksum": f.shown_sha1, "text": (f.read_text() or None) if self.texts else None,
            "accessUrl": access, "downloadUrl": mirrored,
            "meeting": self.refs("Meeting", f.meetings), "paper": self.refs("Paper", f.papers),
            "web": self.web_url(f), **self.stamps(f),
        })

    def embed_file(self, f) -> dict | None:
        """Without `text`: the File's own object and the file list carry it. Copied into every
        Paper, Meeting and AgendaItem and their list pages, it made the API several times the
        documents' text (docs/opendata.md)."""
        obj = self.files.get(f.id) if f is not None else None
        return embedded(obj, "meeting", "paper", "text") if obj else None

    def meeting(self, meeting) -> dict:
        items = []
        for order, item in enumerate(meeting.agenda):
            obj = self.agenda_item(meeting, item, order)
            self.by_type["AgendaItem"].append(obj)
            items.append(embedded(obj, "meeting"))
        return self.made({
            "id": self.ref("Meeting", meeting), "type": self.urls.type_of("Meeting"), "name": meeting.name,
            "meetingState": meeting.state, "cancelled": True if meeting.cancelled else None,
            "start": self.moment(meeting.start), "end": self.moment(meeting.end),
            "location": self.location("meeting", meeting, meeting.location, "meetings"),
            "organization": self.refs("Organization", meeting.organizations),
            "invitation": self.embed_file(meeting.invitation),
            "resultsProtocol": self.embed_file(meeting.results_protocol),
            "verbatimProtocol": self.embed_file(meeting.verbatim_protocol),
            "auxiliaryFile": [self.embed_file(f) for f in meeting.auxiliary_files if f.id in self.files],
            "agendaItem": items, "web": self.web_url(meeting), **self.stamps(meeting),
        })

    def agenda_item(self, meeting, item, order: int) -> dict:
        common = {"id": self.item_url(item), "type": self.urls.type_of("AgendaItem"),
                  "meeting": self.ref("Meeting", meeting), "number": item.number, "order": order,
                  "public": item.public, **self.stamps(meeting)}
        if not item.public:
            # As our pages show it: its place in the agenda and the page's label, nothing else.
            return self.made(common | {"name": self.closed_item_name})
        return self.made({
            **common, "name": item.name, "consultation": self.consultation_of(item),
            "result": item.result, "resolutionText": item.resolution_text,
            "resolutionFile": self.embed_file(item.resolution_file),
            "auxiliaryFile": [self.embed_file(f) for f in item.auxiliary_files if f.id in self.files],
            "start": self.moment(item.start), "end": self.moment(item.end), "web": self.urls.url(item.url),
        })

    def consultation_url(self, paper, position: int) -> str:
        return self.urls.object("Consultation", f"{paper.id}-{position + 1}")

    def consultation_of(self, item) -> str | None:
        if item.paper is None:
            return None
        for position, consultation in enumerate(item.paper.consultations):
            if consultation.agenda_item is item:
                return self.consultation_url(item.paper, position)
        # The item names a paper whose consultations do not name the item: one of its own, under
        # "top" (Tagesordnungspunkt) so that item "1" does not meet the paper's first consultation.
        return self.urls.object("Consultation", f"{item.paper.id}-top-{self._item_keys[(item.meeting.id, item.id)]}")

    def add_lone_consultations(self):
        """Consultations that only an agenda item knows of (see consultation_of)."""
        for meeting in self.graph.meetings.values():
            for item in meeting.agenda:
                if not item.public or item.paper is None:
                    continue
                if any(c.agenda_item is item for c in item.paper.consultations):
                    continue
                self.by_type["Consultation"].append(self.made({
                    "id": self.consultation_of(item), "type": self.urls.type_of("Consultation"),
                    "paper": self.ref("Paper", item.paper), "agendaItem": self.item_url(item),
                    "meeting": self.ref("Meeting", meeting), **self.stamps(meeting),
                }))

    def paper(self, paper) -> dict:
        consultations = []
        for position, c in enumerate(paper.consultations):
            obj = {"id": self.consultation_url(paper, position), "type": self.urls.type_of("Consultation"),
                   "paper": self.ref("Paper", paper), "meeting": self.ref("Meeting", c.meeting),
                   "organization": self.refs("Organization", c.organizations), **self.stamps(paper)}
            if c.public and c.agenda_item is not None and c.agenda_item.public:
                obj |= {"agendaItem": self.item_url(c.agenda_item), "role": c.role,
                        "authoritative": c.authoritative}
            obj = self.made(obj)
            self.by_type["Consultation"].append(obj)
            consultations.append(embedded(obj, "paper"))
        return self.made({
            "id": self.ref("Paper", paper), "type": self.urls.type_of("Paper"), "body": self.body_url(),
            "name": paper.name, "reference": paper.reference, "date": self.day(paper.date),
            "paperType": paper.paper_type, "mainFile": self.embed_file(paper.main_file),
            "auxiliaryFile": [self.embed_file(f) for f in paper.auxiliary_files if f.id in self.files],
            "originatorPerson": self.refs("Person", paper.originator_persons),
            "originatorOrganization": self.refs("Organization", paper.originator_organizations),
            "underDirectionOf": self.refs("Organization", paper.under_direction_of),
            "relatedPaper": self.refs("Paper", paper.related_papers),
            "superordinatedPaper": self.refs("Paper", paper.superordinated_papers),
            "subordinatedPaper": self.refs("Paper", paper.subordinated_papers),
            "consultation": consultations, "web": self.web_url(paper), **self.stamps(paper),
        })
