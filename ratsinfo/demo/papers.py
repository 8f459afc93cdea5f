"""The Drucksachen of Muldenau and the path each one takes through the Gremien.

A Beschlussvorlage is heard first by the Ortschaftsrat of the village it
concerns and by the committee of its subject, then decided by the Stadtrat
(or, for a Vergabe, by the committee itself). Anträge go to the Stadtrat,
reports are only noted. Anfragen are answered in writing by an Antwort, which
hangs below the Anfrage as its subordinated paper.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ratsinfo.demo import markers, topics
from ratsinfo.demo.council import Council
from ratsinfo.demo.model import Organization, Paper, Person, Topic
from ratsinfo.demo.names import UNITS_FOR_SUBJECT
from ratsinfo.demo.timeline import FIRST_PAPER_DAY, REFERENCE_DATE, next_workday, workdays

# How many papers of each kind arrive at random days, besides the recurring ones.
RANDOM_PAPERS = {
    "Beschlussvorlage": 125, "Antrag": 34, "Anfrage": 58, "Informationsvorlage": 42,
    "Mitteilung": 30,
}
SUBJECT_WEIGHTS = {"bau": 35, "finanzen": 15, "soziales": 20, "ordnung": 20, "betrieb": 10}
REFERENCE_PREFIX = {
    "Beschlussvorlage": "VO", "Informationsvorlage": "VO", "Mitteilung": "VO",
    "Antrag": "AN", "Anfrage": "AF",
}
# Earliest first hearing after a paper is dated: the Ladungsfrist plus a little.
FIRST_HEARING_DAYS = 8


@dataclass
class _Draft:
    day: date
    paper_type: str
    topic: Topic
    originator: Person | Organization | None = None
    answers: "_Draft | None" = None
    paper: Paper | None = None


def build_papers(council: Council, rng: random.Random) -> list[Paper]:
    drafts = _recurring_drafts(rng) + _random_drafts(council, rng)
    drafts += _answer_drafts(drafts, rng)
    drafts.sort(key=lambda d: (d.day, d.paper_type, d.topic.title))
    papers: list[Paper] = []
    counters: dict[tuple[str, int], int] = {}
    for draft in drafts:
        draft.paper = _paper_from(draft, len(papers) + 1, council, rng, counters)
        papers.append(draft.paper)
    _relate_antraege(papers, rng)
    _plant_pdf_only_sentence(papers)
    return papers


def _recurring_drafts(rng: random.Random) -> list[_Draft]:
    drafts = []
    for day in (date(2024, 12, 2), date(2025, 9, 1), date(2026, 8, 31)):
        year = day.year + 1
        drafts.append(_Draft(day, "Beschlussvorlage", topics.recurring(
            f"Haushaltssatzung der Großen Kreisstadt Muldenau für das Haushaltsjahr {year}",
            f"{{gremium}} beschließt die Haushaltssatzung für das Haushaltsjahr {year} mit dem "
            f"Haushaltsplan und seinen Anlagen.", day, "finanzen", rng,
            ("Der Entwurf wurde nach § 76 SächsGemO öffentlich ausgelegt; Einwendungen sind "
             "nicht eingegangen.", "Der Ergebnishaushalt ist ausgeglichen."),
            ("Haushaltsplan (Auszug)",))))
    for year in (2025, 2026):
        drafts.append(_Draft(date(year, 10, 6), "Beschlussvorlage", topics.recurring(
            f"Wirtschaftsplan {year + 1} des Eigenbetriebs Kultur- und Sportstätten Muldenau",
            f"{{gremium}} beschließt den Wirtschaftsplan {year + 1} des Eigenbetriebs.",
            date(year, 10, 6), "betrieb", rng)))
    quarter_ends = [date(2024, 12, 31)] + [date(y, m, 30 if m in (6, 9) else 31)
                                          for y in (2025, 2026) for m in (3, 6, 9, 12)]
    for end in quarter_ends:
        day = next_workday(end + timedelta(days=20))
        if day > REFERENCE_DATE:
            break
        quarter = (end.month - 1) // 3 + 1
        drafts.append(_Draft(day, "Beschlussvorlage", topics.recurring(
            f"Annahme von Spenden, Schenkungen und ähnlichen Zuwendungen im {quarter}. "
            f"Quartal {end.year}",
            "{gremium} beschließt die Annahme der in der Anlage aufgeführten Zuwendungen "
            "gemäß § 73 Abs. 5 SächsGemO.", day, "finanzen", rng,
            ("Vereine, Unternehmen und Privatpersonen haben der Stadt Zuwendungen angeboten.",),
            ("Übersicht der Zuwendungen",))))
    return drafts


def _random_drafts(council: Council, rng: random.Random) -> list[_Draft]:
    days = workdays(FIRST_PAPER_DAY, REFERENCE_DATE)
    subjects = sorted(SUBJECT_WEIGHTS)
    weights = [SUBJECT_WEIGHTS[s] for s in subjects]
    askers = [m.person for m in council.stadtrat.memberships
              if m.end_date is None and m.role == "Mitglied"]
    drafts = []
    titles_seen: set[str] = set()
    for paper_type, count in RANDOM_PAPERS.items():
        for _ in range(count):
            day = rng.choice(days)
            # A town rarely deals with the same matter twice; draw again if so.
            subject = rng.choices(subjects, weights)[0]
            for attempt in range(1, 13):
                topic = _topic(paper_type, subject, day, rng)
                if attempt % 4 == 0:
                    subject = rng.choices(subjects, weights)[0]
                if topic.title not in titles_seen:
                    break
            titles_seen.add(topic.title)
            originator = None
            if paper_type == "Antrag":
                originator = rng.choice(council.fraktionen)
            elif paper_type == "Anfrage":
                originator = rng.choice(askers)
            drafts.append(_Draft(day, paper_type, topic, originator))
    return drafts


def _topic(paper_type: str, subject: str, day: date, rng: random.Random) -> Topic:
    if paper_type == "Beschlussvorlage":
        return topics.beschlussvorlage(rng, day, subject)
    if paper_type == "Informationsvorlage":
        return topics.report(rng, day, subject, topics.INFORMATION)
    if paper_type == "Mitteilung":
        return topics.report(rng, day, subject, topics.MITTEILUNG)
    if paper_type == "Antrag":
        return topics.antrag(rng, day)
    return topics.anfrage(rng, day)


def _answer_drafts(drafts: list[_Draft], rng: random.Random) -> list[_Draft]:
    answers = []
    for draft in drafts:
        if draft.paper_type != "Anfrage":
            continue
        day = next_workday(draft.day + timedelta(days=rng.randint(14, 35)))
        # Anfragen of the last weeks are still being answered.
        if day <= REFERENCE_DATE:
            answers.append(_Draft(day, "Antwort", draft.topic, answers=draft))
    return answers


def _paper_from(draft: _Draft, number: int, council: Council, rng: random.Random,
                counters: dict[tuple[str, int], int]) -> Paper:
    topic = draft.topic
    unit = council.units[rng.choice(UNITS_FOR_SUBJECT[topic.subject])]
    if draft.answers is not None:
        question = draft.answers.paper
        paper = Paper(number, question.reference + "-1", "Antwort", draft.day, topic,
                      f"Antwort auf die Anfrage {question.reference}: {topic.title}",
                      question.under_direction_of, superordinated=question)
        question.subordinated.append(paper)
        return paper
    prefix = REFERENCE_PREFIX[draft.paper_type]
    key = (prefix, draft.day.year)
    counters[key] = counters.get(key, 0) + 1
    reference = f"{prefix}/{draft.day.year}/{counters[key]:04d}"
    paper = Paper(number, reference, draft.paper_type, draft.day, topic, topic.title, unit)
    if draft.paper_type == "Antrag":
        paper.originator_organization = draft.originator
        paper.name = f"Antrag der {draft.originator.name}: {topic.title}"
    elif draft.paper_type == "Anfrage":
        paper.originator_person = draft.originator
        paper.name = f"Anfrage: {topic.title}"
    paper.path = _consultation_path(paper, council, rng)
    return paper


def _consultation_path(paper: Paper, council: Council,
                       rng: random.Random) -> list[tuple[Organization, str, bool]]:
    """(Gremium, role, authoritative) in the order the paper is heard."""
    topic = paper.topic
    committee = council.committees[topic.subject]
    village = council.ortschaftsraete[topic.ortsteil] if topic.ortsteil else None
    if paper.paper_type in ("Informationsvorlage", "Mitteilung"):
        gremien = [g for g in (village, committee) if g]
        if paper.paper_type == "Mitteilung" and rng.random() < 0.3:
            gremien = [council.stadtrat]
        return [(g, "Kenntnisnahme", False) for g in gremien]
    if paper.paper_type == "Antrag":
        steps = [(committee, "Vorberatung", False)] if rng.random() < 0.5 else []
        return steps + [(council.stadtrat, "Entscheidung", True)]
    if paper.paper_type != "Beschlussvorlage":
        return []
    if paper.name.startswith("Haushaltssatzung"):
        # Every Ortschaftsrat is heard on the budget, since it concerns every village.
        hearing = [*council.ortschaftsraete.values(), council.committees["finanzen"]]
    else:
        hearing = [g for g in (village, committee) if g]
        # A quarter of the costlier matters also pass the Finanzausschuss.
        spends_money = topic.subject != "finanzen" and not topic.decided_by_committee
        if spends_money and rng.random() < 0.25:
            hearing.append(council.committees["finanzen"])
    if topic.decided_by_committee:
        hearing, decider = hearing[:-1], committee
    else:
        decider = council.stadtrat
    return [(g, "Vorberatung", False) for g in hearing] + [(decider, "Entscheidung", True)]


def _relate_antraege(papers: list[Paper], rng: random.Random):
    """Some Anträge lead the administration to a Vorlage on the same subject later."""
    for antrag in (p for p in papers if p.paper_type == "Antrag"):
        if rng.random() >= 0.35:
            continue
        later = next((p for p in papers if p.day > antrag.day + timedelta(days=60)
                      and p.paper_type in ("Beschlussvorlage", "Informationsvorlage")
                      and p.topic.subject == antrag.topic.subject), None)
        if later is not None:
            antrag.related.append(later)
            later.related.append(antrag)


def _plant_pdf_only_sentence(papers: list[Paper]):
    target = next((p for p in papers if p.reference == markers.PDF_ONLY_PAPER_REFERENCE), None)
    if target is None or target.paper_type != "Beschlussvorlage":
        raise RuntimeError(
            f"markers.PDF_ONLY_PAPER_REFERENCE {markers.PDF_ONLY_PAPER_REFERENCE} names no "
            "Beschlussvorlage of the demo; pick the reference of one that exists."
        )
    target.extra_sentence = markers.PDF_ONLY_SENTENCE
