"""The PDFs of Muldenau: Vorlagen, Anlagen, Einladungen, Niederschriften, Beschlüsse.

Documents are written last, once every consultation and result is known,
because a Vorlage prints its Beratungsfolge and a Niederschrift its results.
Invitations and Niederschriften are public, so they name non-public items
only by their category ("Grundstücksangelegenheit"), never by their title.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ratsinfo.demo import topics
from ratsinfo.demo.council import Council, active_members
from ratsinfo.demo.meetings import invitation_day, meeting_name, protocol_day, state_of
from ratsinfo.demo.model import AgendaItem, File, Meeting, Organization, Paper, Person
from ratsinfo.demo.pdf import Document, render
from ratsinfo.demo.timeline import REFERENCE_DATE, german_date

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
RESOLUTION_FILE_RATE = 0.4


class _Registry:
    def __init__(self):
        self.files: list[File] = []

    def add(self, document: Document, name: str, file_name: str) -> File:
        file = File(len(self.files) + 1, name, file_name, document.day, render(document))
        self.files.append(file)
        return file


def attach_documents(council: Council, papers: list[Paper], meetings: list[Meeting],
                     rng: random.Random) -> list[File]:
    registry = _Registry()
    mayor = council.oberbuergermeisterin
    for paper in papers:
        _attach_paper_files(paper, registry, mayor)
    for meeting in meetings:
        _attach_meeting_files(meeting, registry, rng)
    _attach_scanned_statement(papers, registry)
    return registry.files


# The scanned page of the demo (issue 19): a letter attached to the first paper with a Lageplan.
SCANNED_STATEMENT = (
    "Stellungnahme des Ortschaftsrates\n\n"
    "Der Ortschaftsrat begrüßt die Planung. Die Bürgerinnen und Bürger wünschen eine "
    "Straßenbeleuchtung am Mühlgraben und mehr Grünflächen an der Schule.\n\n"
    "Einstimmig beschlossen in der Sitzung des Ortschaftsrates."
)


def _attach_scanned_statement(papers: list[Paper], registry: _Registry):
    """Last, so that every other file keeps its number."""
    paper = next(p for p in papers if any(a.startswith("Lageplan") for a in p.topic.attachments))
    index = len(paper.auxiliary_files) + 1
    title = f"Anlage {index} – Stellungnahme des Ortschaftsrates"
    document = Document(f"{title} zu {paper.reference}", paper.day)
    document.line(f"Bestandteil der Vorlage {paper.reference}")
    document.text("Die Stellungnahme des Ortschaftsrates liegt als Scan auf der folgenden Seite bei.")
    document.scans.append(SCANNED_STATEMENT)
    file = registry.add(document, title, f"{_slug(paper.reference)}_Anlage_{index}.pdf")
    file.papers.append(paper)
    paper.auxiliary_files.append(file)


def _slug(text: str) -> str:
    return text.replace("/", "-").replace(" ", "-")


def _attach_paper_files(paper: Paper, registry: _Registry, mayor: Person):
    slug = _slug(paper.reference)
    document = Document(f"{paper.paper_type} {paper.reference}", paper.day)
    if paper.paper_type == "Antrag":
        _antrag(document, paper)
    elif paper.paper_type == "Anfrage":
        _anfrage(document, paper)
    elif paper.paper_type == "Antwort":
        _antwort(document, paper, mayor)
    else:
        _vorlage(document, paper, mayor)
    paper.main_file = registry.add(document, paper.paper_type, f"{slug}.pdf")
    paper.main_file.papers.append(paper)
    for index, attachment in enumerate(paper.topic.attachments, start=1):
        title = f"Anlage {index} – {attachment}"
        document = Document(f"{title} zu {paper.reference}", paper.day)
        _anlage(document, paper, attachment)
        file = registry.add(document, title, f"{slug}_Anlage_{index}.pdf")
        file.papers.append(paper)
        paper.auxiliary_files.append(file)


def _header(document: Document, paper: Paper, *lines: str):
    document.line(f"Datum: {german_date(paper.day)}")
    for line in lines:
        document.line(line)
    document.heading("Betreff")
    document.text(paper.name)


def _consultation_lines(paper: Paper) -> list[str]:
    lines = [f"{german_date(c.meeting.start.date())}  {c.organization.name}  ({c.role})"
             for c in paper.consultations if not c.postponed]
    for organization, role, _authoritative in paper.path[len(lines):]:
        lines.append(f"Termin offen  {organization.name}  ({role})")
    return lines


def _vorlage(document: Document, paper: Paper, mayor: Person):
    _header(document, paper, "Einreicherin: Oberbürgermeisterin",
            f"Federführung: {paper.under_direction_of.name}")
    if paper.path:
        document.heading("Beratungsfolge")
        for line in _consultation_lines(paper):
            document.line(line)
    if paper.paper_type == "Beschlussvorlage":
        document.heading("Beschlussvorschlag")
        document.text(paper.topic.decision.format(gremium="Der " + paper.path[-1][0].name))
    document.heading("Sachverhalt")
    document.text(" ".join(paper.topic.facts + ([paper.extra_sentence]
                                                 if paper.extra_sentence else [])))
    document.heading("Finanzielle Auswirkungen")
    document.text(paper.topic.costs)
    if paper.topic.attachments:
        document.heading("Anlagen")
        for index, attachment in enumerate(paper.topic.attachments, start=1):
            document.line(f"Anlage {index} – {attachment}")
    _signature(document, mayor.name, "Oberbürgermeisterin")


def _antrag(document: Document, paper: Paper):
    fraktion = paper.originator_organization
    _header(document, paper, f"Antragstellerin: {fraktion.name}")
    document.heading("Beschlussvorschlag")
    document.text(paper.topic.decision.format(gremium="Der Stadtrat"))
    document.heading("Begründung")
    document.text(" ".join(paper.topic.facts))
    chair = _chair(fraktion, paper.day)
    if chair is not None:
        _signature(document, chair[0].name, chair[1])


def _anfrage(document: Document, paper: Paper):
    asker = paper.originator_person
    asking = "Fragestellerin" if asker.gender == "female" else "Fragesteller"
    _header(document, paper, f"{asking}: {asker.status} {asker.name}")
    document.heading("Fragen")
    for index, question in enumerate(paper.topic.facts, start=1):
        document.line(f"{index}. {question}")
    _signature(document, asker.name, asker.status)


def _antwort(document: Document, paper: Paper, mayor: Person):
    question = paper.superordinated
    _header(document, paper, f"Anfrage {question.reference} vom {german_date(question.day)}",
            f"Federführung: {paper.under_direction_of.name}")
    for index, text in enumerate(paper.topic.facts, start=1):
        document.heading(f"Frage {index}: {text}")
        document.text(topics.answer_to(text))
    _signature(document, mayor.name, "Oberbürgermeisterin")


def _anlage(document: Document, paper: Paper, attachment: str):
    document.line(f"Bestandteil der Vorlage {paper.reference}")
    document.text(paper.name)
    if attachment.startswith("Lageplan"):
        document.text("Der Lageplan stellt den räumlichen Umfang der Maßnahme dar "
                      "(Maßstab 1:1.000, Kartengrundlage: Liegenschaftskataster der Stadt).")
    elif attachment.startswith("Kosten"):
        for line in ("Pos. 1  Baustelleneinrichtung", "Pos. 2  Erd- und Tiefbauarbeiten",
                     "Pos. 3  Oberbau und Pflasterarbeiten", "Pos. 4  Ausstattung",
                     "Pos. 5  Baunebenkosten"):
            document.line(line)
        document.text(paper.topic.costs)
    else:
        document.text(f"Diese Anlage enthält die {attachment} in der Fassung vom "
                      f"{german_date(paper.day)}.")


def _signature(document: Document, name: str, role: str):
    document.heading("gez. " + name)
    document.line(role)


def _chair(organization: Organization, day: date) -> tuple[Person, str] | None:
    for membership in active_members(organization, day):
        if membership.role not in ("Mitglied", "stellvertretendes Mitglied"):
            return membership.person, membership.role
    return None


def _attach_meeting_files(meeting: Meeting, registry: _Registry, rng: random.Random):
    stem = f"{_slug(meeting.organization.short_name)}_{meeting.start.date().isoformat()}"
    # Far-off meetings already show the agenda known so far, as Ratsinfo systems do.
    preliminary = state_of(meeting) == "terminiert"
    title = "Vorläufige Tagesordnung der" if preliminary else "Einladung zur"
    document = Document(f"{title} {meeting_name(meeting)}", invitation_day(meeting))
    _invitation(document, meeting)
    meeting.invitation = registry.add(
        document, "Vorläufige Tagesordnung" if preliminary else "Einladung",
        f"Einladung_{stem}.pdf")
    meeting.invitation.meetings.append(meeting)
    if meeting.held:
        _attach_protocol(meeting, registry, stem)
        for item in meeting.agenda_items:
            if _wants_resolution_file(item) and rng.random() < RESOLUTION_FILE_RATE:
                _attach_resolution(item, registry, stem)


def _attach_protocol(meeting: Meeting, registry: _Registry, stem: str):
    document = Document(f"Niederschrift über den öffentlichen Teil der {meeting_name(meeting)}",
                        protocol_day(meeting))
    _protocol(document, meeting)
    meeting.results_protocol = registry.add(document, "Niederschrift (öffentlicher Teil)",
                                            f"Niederschrift_{stem}.pdf")
    meeting.results_protocol.meetings.append(meeting)


def _attach_resolution(item: AgendaItem, registry: _Registry, stem: str):
    day = min(item.meeting.start.date() + timedelta(days=3), REFERENCE_DATE)
    title = "Beschlussausfertigung" if item.public else "Beschlussausfertigung (nichtöffentlich)"
    document = Document(title, day)
    _resolution(document, item, meeting_name(item.meeting))
    # The file's name stays neutral: only the PDF itself tells what was decided.
    item.resolution_file = registry.add(
        document, f"Beschlussausfertigung {item.label}",
        f"Beschluss_{stem}_{item.label.replace(' ', '')}.pdf")
    item.resolution_file.agenda_items.append(item)


def _wants_resolution_file(item: AgendaItem) -> bool:
    if not item.public:
        return item.resolution_text is not None
    return (item.consultation is not None and item.consultation.role == "Entscheidung"
            and item.result in ("einstimmig beschlossen", "mehrheitlich beschlossen"))


def _when_and_where(document: Document, meeting: Meeting):
    start = meeting.start
    document.line(f"Termin: {WEEKDAYS[start.weekday()]}, {german_date(start.date())}, "
                  f"{start:%H:%M} Uhr")
    location = meeting.location
    document.line(f"Ort: {location.description}, {location.street_address}")


def _invitation(document: Document, meeting: Meeting):
    _when_and_where(document, meeting)
    document.heading("Tagesordnung – öffentlicher Teil")
    for item in meeting.agenda_items:
        if item.public:
            reference = f"{item.consultation.paper.reference}  " if item.consultation else ""
            document.line(f"{item.label}  {reference}{item.name}")
    document.heading("Tagesordnung – nichtöffentlicher Teil")
    for item in meeting.agenda_items:
        if not item.public:
            document.line(f"{item.label}  {item.category}")
    chair = _chair(meeting.organization, meeting.start.date())
    if chair is not None:
        _signature(document, chair[0].name, chair[1])


def _protocol(document: Document, meeting: Meeting):
    _when_and_where(document, meeting)
    document.line(f"Beginn: {meeting.start:%H:%M} Uhr, Ende: {meeting.end:%H:%M} Uhr")
    document.line(f"Teilnehmende: {len(meeting.participants)} Personen")
    for item in meeting.agenda_items:
        if not item.public:
            continue
        document.heading(f"{item.label}  {item.name}")
        if item.resolution_text:
            document.text(item.resolution_text)
        if item.result:
            document.line(f"Ergebnis: {item.result}")
    document.text("Es folgt der nichtöffentliche Teil der Sitzung.")
    chair = _chair(meeting.organization, meeting.start.date())
    if chair is not None:
        _signature(document, chair[0].name, chair[1])


def _resolution(document: Document, item: AgendaItem, meeting_title: str):
    document.line(f"{meeting_title} am {german_date(item.meeting.start.date())}")
    document.line(f"Tagesordnungspunkt {item.label}")
    if item.consultation is not None:
        document.line(f"Vorlage {item.consultation.paper.reference}")
    document.heading(item.name)
    document.text(item.resolution_text)
