"""Tagesordnungen: the items of every meeting, who attended, how they voted.

A Muldenau agenda opens with the formalities, takes the papers placed into
the meeting, ends its public part with Anfragen and Informationen and closes
with a non-public part (Grundstücks-, Personal-, Vertrags- and
Vergabeangelegenheiten). Only the non-public items carry the words of
markers.NON_PUBLIC_MARKERS; every one of them carries at least one.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ratsinfo.demo import names
from ratsinfo.demo.council import active_members
from ratsinfo.demo.meetings import state_of
from ratsinfo.demo.model import AgendaItem, Consultation, Meeting
from ratsinfo.demo.timeline import german_date
from ratsinfo.demo.topics import money

MAX_ITEMS = 15
TYPE_ORDER = ("Beschlussvorlage", "Antrag", "Informationsvorlage", "Mitteilung")

# category, name, resolution; "{gremium}" is who decides.
NON_PUBLIC = (
    ("Grundstücksangelegenheit",
     "Grundstücksangelegenheit – Vorkaufsrechtsverzicht für das Flurstück {parcel} der "
     "Gemarkung {ortsteil}",
     "{gremium} stimmt dem Vorkaufsrechtsverzicht für das Flurstück {parcel} der Gemarkung "
     "{ortsteil} zum notariellen Kaufvertrag vom {contract} zu."),
    ("Personalangelegenheit",
     "Personalangelegenheit – Abfindungsvereinbarung im {office}",
     "{gremium} stimmt der Abfindungsvereinbarung mit einer Beschäftigten im {office} in "
     "Höhe von {amount} Euro zu."),
    ("Vertragsangelegenheit",
     "Vertragsangelegenheit – Erbbauzinsstundung für den SV {ortsteil} e. V.",
     "{gremium} stimmt der Erbbauzinsstundung für den SV {ortsteil} e. V. bis zum "
     "{until} zu."),
    ("Vergabeangelegenheit",
     "Vergabeangelegenheit – Bieterrangfolge im Rahmenvertrag {service}",
     "{gremium} bestätigt die Bieterrangfolge im Rahmenvertrag {service} und ermächtigt "
     "die Oberbürgermeisterin, den Zuschlag zu erteilen."),
)
# Where the staff of a Personalangelegenheit works, by the committee that hears it.
OFFICES = {
    "stadtrat": ("Büro der Oberbürgermeisterin", "Ordnungsamt"),
    "finanzen": ("Bürgeramt", "Stadtkasse"),
    "bau": ("Amt für Tiefbau und Verkehr", "Amt für Stadtplanung"),
    "soziales": ("Amt für Schulen und Kindertagesstätten", "Sozialamt"),
    "ordnung": ("Ordnungsamt", "Amt für Brand- und Katastrophenschutz"),
    "betrieb": ("Eigenbetrieb Kultur- und Sportstätten",),
}
SERVICES = ("Grünflächenpflege", "Gebäudereinigung", "Straßenbeleuchtung", "Winterdienst")


def build_agendas(meetings: list[Meeting], consultations: list[Consultation],
                  rng: random.Random) -> list[AgendaItem]:
    heard: dict[int, list[Consultation]] = {}
    for consultation in consultations:
        heard.setdefault(consultation.meeting.number, []).append(consultation)
    items: list[AgendaItem] = []
    for meeting in meetings:
        _build_agenda(meeting, heard.get(meeting.number, []), items, rng)
        if state_of(meeting) == "durchgeführt":
            _hold(meeting, rng)
    return items


def _public_part(meeting: Meeting, heard: list[Consultation]
                 ) -> list[tuple[str, Consultation | None]]:
    """Names of the public items in their order, with the consultation each one hears."""
    kind = meeting.organization.classification
    public: list[tuple[str, Consultation | None]] = [
        ("Eröffnung und Begrüßung", None),
        ("Feststellung der ordnungsgemäßen Einberufung und der Beschlussfähigkeit", None),
    ]
    previous = _previous_meeting(meeting)
    if previous is not None:
        public.append((f"Bestätigung der Niederschrift der Sitzung vom "
                       f"{german_date(previous.start.date())}", None))
    if kind == "Parlament":
        public.append(("Einwohnerfragestunde", None))
    heard = sorted(heard, key=lambda c: (TYPE_ORDER.index(c.paper.paper_type), c.number))
    public += [(c.paper.name, c) for c in heard]
    public += {
        "Parlament": [("Informationen der Oberbürgermeisterin", None),
                      ("Anfragen der Stadträte", None)],
        "Ausschuss": [("Anfragen und Informationen", None)],
        "Ortschaftsrat": [("Informationen aus der Ortschaft", None),
                          ("Anfragen der Ortschaftsräte", None)],
    }[kind]
    return public


def _build_agenda(meeting: Meeting, heard: list[Consultation], items: list[AgendaItem],
                  rng: random.Random):
    kind = meeting.organization.classification
    public = _public_part(meeting, heard)
    wanted = {"Parlament": (1, 3), "Ausschuss": (1, 2), "Ortschaftsrat": (1, 1)}[kind]
    non_public = max(1, min(rng.randint(*wanted), MAX_ITEMS - len(public)))
    templates = NON_PUBLIC[:1] if kind == "Ortschaftsrat" else NON_PUBLIC
    held = state_of(meeting) == "durchgeführt"
    for index, (name, consultation) in enumerate(public):
        item = AgendaItem(len(items) + 1, meeting, f"Ö {index + 1}", index, name, True,
                          consultation=consultation)
        if consultation is not None:
            consultation.agenda_item = item
        items.append(item)
        meeting.agenda_items.append(item)
    for index in range(non_public):
        category, name, resolution = rng.choice(templates)
        slots = _non_public_slots(rng, meeting)
        item = AgendaItem(len(items) + 1, meeting, f"N {index + 1}", len(public) + index,
                          name.format(**slots), False, category=category)
        if held:
            item.resolution_text = resolution.format(
                gremium="Der " + meeting.organization.name, **slots)
        items.append(item)
        meeting.agenda_items.append(item)


def _non_public_slots(rng: random.Random, meeting: Meeting) -> dict[str, str]:
    start = meeting.start.date()
    organization = meeting.organization
    # An Ortschaftsrat deals only with land in its own village.
    village = organization.name.removeprefix("Ortschaftsrat ")
    return {
        "parcel": f"{rng.randint(100, 980)}/{rng.randint(1, 12)}",
        "ortsteil": village if village in names.ORTSTEILE else rng.choice(names.ORTSTEILE),
        "office": rng.choice(OFFICES.get(organization.key, OFFICES["stadtrat"])),
        "service": rng.choice(SERVICES), "amount": money(rng.randint(6, 60) * 1000),
        "contract": german_date(start - timedelta(days=rng.randint(20, 60))),
        "until": german_date(start + timedelta(days=rng.randint(180, 400))),
    }


def _previous_meeting(meeting: Meeting) -> Meeting | None:
    earlier = [m for m in meeting.organization.meetings
               if m.start < meeting.start and not m.cancelled]
    return earlier[-1] if earlier else None


def _hold(meeting: Meeting, rng: random.Random):
    """The meeting took place: attendance, votes, results, resolutions, its end."""
    members = active_members(meeting.organization, meeting.start.date())
    chairs = [m.person for m in members
              if m.role not in ("Mitglied", "stellvertretendes Mitglied")]
    voters = [m.person for m in members if m.role == "Mitglied" and m.voting_right]
    # Never so many absent that a tie or a lack of quorum could follow.
    absent = rng.sample(voters, min(len(voters) // 4, rng.randint(0, 3)))
    present = [p for p in voters if p not in absent]
    meeting.participants = sorted({p.number: p for p in chairs + present}.values(),
                                  key=lambda p: p.number)
    voting = len(present) + sum(1 for m in members if m.person in chairs and m.voting_right)
    for item in meeting.agenda_items:
        _decide(item, voting, rng)
    minutes = 30 + 12 * len(meeting.agenda_items)
    meeting.end = meeting.start + timedelta(minutes=minutes - minutes % 5)


def _decide(item: AgendaItem, voting: int, rng: random.Random):
    gremium = "Der " + item.meeting.organization.name
    if not item.public:
        item.result = _unanimous_or_majority(rng)
        item.votes = _votes(item.result, voting, rng)
        item.resolution_text = _with_votes(item.resolution_text, item)
        return
    if item.name.startswith("Bestätigung der Niederschrift"):
        item.result = "einstimmig beschlossen"
        item.resolution_text = f"{gremium} bestätigt die Niederschrift."
        return
    consultation = item.consultation
    if consultation is None:
        return
    paper = consultation.paper
    if consultation.role == "Kenntnisnahme":
        item.result = "zur Kenntnis genommen"
        return
    if consultation.postponed:
        item.result = "vertagt"
        return
    decider = paper.path[-1][0]
    proposal = paper.topic.decision.format(gremium="Der " + decider.name)
    if consultation.role == "Vorberatung":
        item.result = _unanimous_or_majority(rng)
        text = f"{gremium} empfiehlt dem {decider.name}, wie folgt zu beschließen: {proposal}"
    else:
        rejected = rng.random() < (0.4 if paper.paper_type == "Antrag" else 0.03)
        item.result = "abgelehnt" if rejected else _unanimous_or_majority(rng)
        text = proposal
    item.votes = _votes(item.result, voting, rng)
    item.resolution_text = _with_votes(text, item)


def _unanimous_or_majority(rng: random.Random) -> str:
    return "einstimmig beschlossen" if rng.random() < 0.6 else "mehrheitlich beschlossen"


def _votes(result: str, voting: int, rng: random.Random) -> tuple[int, int, int]:
    if result == "einstimmig beschlossen":
        return voting, 0, 0
    abstentions = rng.randint(0, min(3, voting // 4))
    if result == "abgelehnt":
        yes = rng.randint(0, (voting - abstentions - 1) // 2)
        return yes, voting - abstentions - yes, abstentions
    no = rng.randint(1, max(1, (voting - abstentions) // 3))
    return voting - abstentions - no, no, abstentions


def _with_votes(text: str, item: AgendaItem) -> str:
    yes, no, abstentions = item.votes
    text += (f"\n\nAbstimmungsergebnis: {_count(yes, 'Ja-Stimme', 'Ja-Stimmen')}, "
             f"{_count(no, 'Nein-Stimme', 'Nein-Stimmen')}, "
             f"{_count(abstentions, 'Enthaltung', 'Enthaltungen')}.")
    if item.result == "abgelehnt":
        text += " Der Beschlussvorschlag ist damit abgelehnt."
    return text


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
