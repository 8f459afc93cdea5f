"""What Muldenau's papers are about: subject templates filled with local names.

A template names the matter (title), the resolution it proposes (with
"{gremium}" standing for whoever decides), a few sentences for the Sachverhalt
and the Anlagen a real Vorlage of that kind would carry. Templates marked
`ortsteil` concern one village, whose Ortschaftsrat is then heard first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ratsinfo.demo import names
from ratsinfo.demo.model import Topic


@dataclass(frozen=True)
class _Template:
    title: str
    decision: str
    facts: tuple[str, ...]
    costs: str = "cost"  # "cost", "none" or "funded"
    attachments: tuple[str, ...] = ()
    ortsteil: bool = False
    committee_decides: bool = False  # a Vergabe within the committee's own powers


T = _Template
BESCHLUSS = {
    "bau": (
        T("Bebauungsplan Nr. {bplan} „{area}“ – Aufstellungsbeschluss",
          "{gremium} beschließt die Aufstellung des Bebauungsplans Nr. {bplan} „{area}“ "
          "gemäß § 2 Abs. 1 BauGB. Der Beschluss ist ortsüblich bekannt zu machen.",
          ("Für den Bereich „{area}“ besteht bislang kein Bebauungsplan.",
           "Ziel der Planung ist eine geordnete städtebauliche Entwicklung, die Rücksicht "
           "auf die angrenzende Wohnbebauung nimmt.",
           "Der Geltungsbereich umfasst eine Fläche von etwa {hectares} Hektar."),
          costs="none", attachments=("Lageplan Geltungsbereich",)),
        T("Grundhafter Ausbau der {street} im Ortsteil {ortsteil} – Baubeschluss",
          "{gremium} beschließt den grundhaften Ausbau der {street} im Ortsteil {ortsteil} "
          "auf der Grundlage der vorliegenden Entwurfsplanung.",
          ("Fahrbahn und Gehwege der {street} weisen erhebliche Schäden auf.",
           "Im Zuge der Baumaßnahme werden die Straßenbeleuchtung erneuert und die "
           "Trinkwasserleitung durch den Versorger ausgetauscht.",
           "Die Bauzeit wird mit etwa {months} Monaten veranschlagt."),
          costs="funded", attachments=("Lageplan", "Kostenberechnung"), ortsteil=True),
        T("Ersatzneubau der Brücke in der {street} über den {brook} – Vergabe der Bauleistungen",
          "{gremium} beschließt, den Zuschlag für die Bauleistungen dem wirtschaftlichsten "
          "Bieter der öffentlichen Ausschreibung zu erteilen.",
          ("Die Brücke über den {brook} ist nach der letzten Bauwerksprüfung in die "
           "Zustandsnote 3,5 eingestuft worden.",
           "Die Ausschreibung erfolgte öffentlich; es gingen {bids} Angebote ein.",
           "Während der Bauzeit wird eine Umleitung über die {street2} eingerichtet."),
          attachments=("Vergabevermerk",), committee_decides=True),
        T("Sanierung des Spielplatzes in der {street} im Ortsteil {ortsteil}",
          "{gremium} beschließt die Sanierung des Spielplatzes in der {street} im Ortsteil "
          "{ortsteil} mit einem Kostenrahmen von {amount} Euro.",
          ("Mehrere Spielgeräte mussten nach der jährlichen Hauptinspektion gesperrt werden.",
           "Kinder und Eltern aus dem Ortsteil wurden in einer Werkstatt an der Planung "
           "beteiligt."),
          attachments=("Gestaltungsplan",), ortsteil=True),
        T("Änderung des Flächennutzungsplans im Bereich „{area}“ – Entwurfs- und "
          "Auslegungsbeschluss",
          "{gremium} billigt den Entwurf der Änderung des Flächennutzungsplans im Bereich "
          "„{area}“ und beschließt dessen öffentliche Auslegung.",
          ("Die bisherige Darstellung als gewerbliche Baufläche entspricht nicht mehr der "
           "tatsächlichen Nutzung.",
           "Die Träger öffentlicher Belange werden parallel beteiligt."),
          costs="none", attachments=("Planzeichnung", "Begründung")),
    ),
    "finanzen": (
        T("Überplanmäßige Aufwendungen für {purpose}",
          "{gremium} stimmt überplanmäßigen Aufwendungen in Höhe von {amount} Euro für "
          "{purpose} zu. Die Deckung erfolgt aus Minderaufwendungen bei den Zinsen.",
          ("Die im Haushaltsplan {year} veranschlagten Mittel reichen nicht aus.",
           "Die Mehraufwendungen waren bei der Planaufstellung nicht absehbar.")),
        T("Änderung der Satzung über die Erhebung der {tax}",
          "{gremium} beschließt die Satzung zur Änderung der Satzung über die Erhebung der "
          "{tax} in der Fassung der Anlage.",
          ("Die Steuersätze wurden seit dem Jahr 2015 nicht angepasst.",
           "Ein Vergleich mit Städten gleicher Größe zeigt, dass Muldenau unter dem Durchschnitt "
           "liegt."),
          costs="none", attachments=("Satzungstext",)),
        T("Feststellung des Jahresabschlusses {prev} der Großen Kreisstadt Muldenau",
          "{gremium} stellt den Jahresabschluss {prev} mit einem ordentlichen Ergebnis von "
          "{amount} Euro fest.",
          ("Das Rechnungsprüfungsamt hat den Jahresabschluss geprüft und einen "
           "uneingeschränkten Prüfvermerk erteilt.",),
          costs="none", attachments=("Schlussbericht",)),
        T("Bestellung eines Mitglieds des Aufsichtsrats der {company}",
          "{gremium} bestellt das in der Anlage genannte Mitglied in den Aufsichtsrat der "
          "{company}.",
          ("Ein bisheriges Mitglied des Aufsichtsrats ist aus persönlichen Gründen "
           "ausgeschieden.",),
          costs="none"),
        T("Neufassung der Gebührensatzung für {fee}",
          "{gremium} beschließt die Gebührensatzung für {fee} in der Fassung der Anlage.",
          ("Die Gebühren sind nach dem Sächsischen Kommunalabgabengesetz regelmäßig neu zu "
           "kalkulieren.",
           "Die Kalkulation umfasst den Zeitraum {year} bis {year2}."),
          costs="none", attachments=("Gebührenkalkulation",)),
    ),
    "soziales": (
        T("Fortschreibung der Bedarfsplanung für Kindertageseinrichtungen {year}/{year1}",
          "{gremium} beschließt die Fortschreibung der Bedarfsplanung für "
          "Kindertageseinrichtungen für das Kita-Jahr {year}/{year1}.",
          ("Die Geburtenzahlen sind seit drei Jahren rückläufig.",
           "In einzelnen Ortsteilen übersteigt die Nachfrage nach Krippenplätzen weiterhin "
           "das Angebot."),
          costs="none", attachments=("Bedarfsplan",)),
        T("Sanierung der Grundschule {ortsteil} – Planungsbeschluss",
          "{gremium} beschließt die Planung der Sanierung der Grundschule {ortsteil} bis "
          "zur Leistungsphase 3.",
          ("Das Schulgebäude stammt aus dem Jahr 1912 und wurde zuletzt 1994 teilsaniert.",
           "Brandschutz und Barrierefreiheit entsprechen nicht mehr den Anforderungen."),
          costs="funded", attachments=("Raumprogramm",), ortsteil=True),
        T("Neufassung der Richtlinie zur Förderung von Sportvereinen",
          "{gremium} beschließt die Richtlinie zur Förderung von Sportvereinen in der "
          "Fassung der Anlage.",
          ("In Muldenau sind {clubs} Sportvereine mit zusammen mehr als 9.000 Mitgliedern "
           "aktiv.",
           "Die Neufassung vereinfacht die Antragstellung und fördert Übungsleiter gezielter."),
          attachments=("Richtlinie",)),
        T("Erweiterung der Kindertagesstätte „{kita}“ im Ortsteil {ortsteil} – Baubeschluss",
          "{gremium} beschließt die Erweiterung der Kindertagesstätte „{kita}“ im Ortsteil "
          "{ortsteil} um eine Krippengruppe.",
          ("Die Einrichtung ist seit zwei Jahren voll ausgelastet; auf der Warteliste stehen "
           "{waiting} Kinder.",
           "Der Anbau erfolgt in Holzmodulbauweise auf dem vorhandenen Grundstück."),
          costs="funded", attachments=("Grundriss",), ortsteil=True),
        T("Zuschuss an den Heimatverein {ortsteil} e. V. für die Festwoche {year}",
          "{gremium} gewährt dem Heimatverein {ortsteil} e. V. einen Zuschuss in Höhe von "
          "{small_amount} Euro für die Festwoche {year}.",
          ("Der Ortsteil feiert im Jahr {year} ein Ortsjubiläum.",
           "Der Verein trägt den überwiegenden Teil der Kosten aus Eigenmitteln und Spenden."),
          ortsteil=True, committee_decides=True),
        T("Zuschüsse an freie Träger der Jugendhilfe für das Jahr {year1}",
          "{gremium} beschließt die Zuschüsse an freie Träger der Jugendhilfe für das "
          "Jahr {year1} gemäß Anlage.",
          ("Die Träger haben ihre Anträge fristgerecht eingereicht.",
           "Der Jugendhilfeausschuss des Landkreises wurde beteiligt."),
          attachments=("Übersicht Zuschüsse",)),
    ),
    "ordnung": (
        T("Fortschreibung des Brandschutzbedarfsplans",
          "{gremium} beschließt die Fortschreibung des Brandschutzbedarfsplans der Großen "
          "Kreisstadt Muldenau.",
          ("Die Hilfsfrist wird in den äußeren Ortsteilen nicht in allen Fällen eingehalten.",
           "Der Plan sieht den Neubau eines Gerätehauses vor."),
          costs="none", attachments=("Brandschutzbedarfsplan",)),
        T("Beschaffung eines Hilfeleistungslöschgruppenfahrzeugs für die Freiwillige "
          "Feuerwehr {ortsteil}",
          "{gremium} beschließt die Beschaffung eines Hilfeleistungslöschgruppenfahrzeugs "
          "für die Freiwillige Feuerwehr {ortsteil} und die Vergabe an den wirtschaftlichsten "
          "Bieter.",
          ("Das vorhandene Fahrzeug ist {age} Jahre alt; Ersatzteile sind kaum noch "
           "erhältlich.",
           "Der Freistaat fördert die Beschaffung mit einer Festbetragsförderung."),
          costs="funded", ortsteil=True, committee_decides=True),
        T("Beschaffung eines Mannschaftstransportwagens für die Freiwillige Feuerwehr "
          "{ortsteil}",
          "{gremium} beschließt die Beschaffung eines Mannschaftstransportwagens für die "
          "Freiwillige Feuerwehr {ortsteil}.",
          ("Die Ortsfeuerwehr hat {members} aktive Mitglieder und eine Jugendfeuerwehr.",),
          ortsteil=True, committee_decides=True),
        T("Anordnung einer Tempo-30-Zone in der {street} im Ortsteil {ortsteil}",
          "{gremium} stimmt der Anordnung einer Tempo-30-Zone in der {street} im Ortsteil "
          "{ortsteil} zu.",
          ("An der {street} liegen eine Grundschule und eine Kindertagesstätte.",
           "Eine Verkehrszählung ergab täglich rund {traffic} Fahrzeuge."),
          costs="none", attachments=("Lageplan Beschilderung",), ortsteil=True),
        T("Verordnung über verkaufsoffene Sonntage im Jahr {year1}",
          "{gremium} beschließt die Verordnung über das Offenhalten von Verkaufsstellen an "
          "Sonntagen im Jahr {year1}.",
          ("Der Handelsverband und die Kirchen wurden angehört.",
           "Vorgesehen sind vier Sonntage aus Anlass von Märkten und Stadtfesten."),
          costs="none", attachments=("Verordnung",)),
        T("Lärmaktionsplan der Großen Kreisstadt Muldenau – Stufe 4",
          "{gremium} beschließt den Lärmaktionsplan der Stufe 4.",
          ("Die Lärmkartierung weist an der {street} Belastungen über den Auslösewerten aus.",
           "Die Öffentlichkeit konnte sich vier Wochen lang online beteiligen."),
          costs="none", attachments=("Lärmaktionsplan",)),
        T("Neufassung der Satzung über Sondernutzungen an öffentlichen Straßen",
          "{gremium} beschließt die Sondernutzungssatzung in der Fassung der Anlage.",
          ("Die Gebühren für Freisitze der Gastronomie werden in der Innenstadt vereinheitlicht.",),
          costs="none", attachments=("Satzungstext", "Gebührenverzeichnis")),
        T("Richtlinie Innenstadtfonds zur Belebung leerstehender Ladenlokale",
          "{gremium} beschließt die Richtlinie Innenstadtfonds in der Fassung der Anlage.",
          ("In der Innenstadt stehen derzeit {vacant} Ladenlokale leer.",
           "Gefördert werden Mietzuschüsse für Gründerinnen und Gründer im ersten Jahr."),
          attachments=("Richtlinie",)),
    ),
    "betrieb": (
        T("Entgeltordnung für die {facility} – Änderung",
          "{gremium} beschließt die Änderung der Entgeltordnung für die {facility}.",
          ("Die Betriebskosten sind insbesondere durch höhere Energiepreise gestiegen.",),
          costs="none", attachments=("Entgeltordnung",)),
        T("Erneuerung der Umkleiden in der {facility} – Vergabe",
          "{gremium} beschließt die Vergabe der Erneuerung der Umkleiden in der {facility} "
          "an den wirtschaftlichsten Bieter.",
          ("Die Umkleiden entsprechen nicht mehr den hygienischen Anforderungen.",
           "Die Arbeiten sollen in den Sommerferien {year} ausgeführt werden."),
          attachments=("Vergabevermerk",), committee_decides=True),
        T("Sanierung der Lüftungsanlage in der {facility} – Vergabe",
          "{gremium} beschließt die Vergabe der Sanierung der Lüftungsanlage in der "
          "{facility} an den wirtschaftlichsten Bieter.",
          ("Die Anlage ist über 30 Jahre alt und fällt regelmäßig aus.",
           "Es gingen {bids} wertbare Angebote ein."),
          attachments=("Vergabevermerk",), committee_decides=True),
    ),
}

INFORMATION = {
    "bau": ("Sachstandsbericht zum Ausbau der {street}",
            "Ergebnisse der Verkehrsuntersuchung Innenstadt"),
    "finanzen": ("Bericht zur Haushaltsdurchführung im {quarter}. Quartal {qyear}",
                 "Beteiligungsbericht {prev}"),
    "soziales": ("Bericht zur Auslastung der Kindertageseinrichtungen im {quarter}. Quartal "
                 "{qyear}",
                 "Sachstand Schulsozialarbeit an den Oberschulen im Schuljahr {school_year}"),
    "ordnung": ("Jahresbericht der Feuerwehr {prev}",
                "Sachstand Breitbandausbau im Ortsteil {ortsteil}",
                "Ergebnisse der Verkehrsüberwachung im {quarter}. Quartal {qyear}"),
    "betrieb": ("Besucherstatistik der {facility} {prev}",),
}
MITTEILUNG = {
    "bau": ("Verkehrsführung während der Bauarbeiten in der {street}",),
    "finanzen": ("Information über Eilentscheidungen der Oberbürgermeisterin im {quarter}. "
                 "Quartal {qyear}",),
    "soziales": ("Information zur Schulanmeldung für das Schuljahr {year1}/{year2}",),
    "ordnung": ("Information zum Winterdienst {year}/{year1}",),
    "betrieb": ("Veranstaltungsprogramm der {facility} im ersten Halbjahr {year1}",),
}
# Anträge of the Fraktionen: subject, matter, what the administration is asked to do.
ANTRAG = (
    ("ordnung", "Prüfung einer Fahrradstraße in der {street}",
     "die Einrichtung einer Fahrradstraße in der {street} zu prüfen"),
    ("ordnung", "Kostenfreies Parken an Samstagen in der Innenstadt",
     "ein Konzept für kostenfreies Parken an Samstagen vorzulegen"),
    ("bau", "Mehr Sitzbänke entlang des Muldeufers",
     "bis zum Frühjahr zusätzliche Sitzbänke entlang des Muldeufers aufzustellen"),
    ("soziales", "Einrichtung eines Jugendbeirats",
     "eine Satzung für einen Jugendbeirat zu erarbeiten"),
    ("betrieb", "Erhalt des Freibads Auenhain",
     "den Betrieb des Freibads Auenhain bis mindestens 2030 zu sichern"),
    ("betrieb", "Photovoltaik auf dem Dach der {facility}",
     "die Errichtung einer Photovoltaikanlage auf dem Dach der {facility} zu prüfen"),
    ("ordnung", "Verkehrsberuhigung in der {street} im Ortsteil {ortsteil}",
     "Maßnahmen zur Verkehrsberuhigung in der {street} im Ortsteil {ortsteil} vorzuschlagen"),
    ("finanzen", "Live-Übertragung der Sitzungen des Stadtrates",
     "die öffentlichen Sitzungen des Stadtrates ab dem kommenden Jahr im Internet zu "
     "übertragen"),
    ("soziales", "Kostenloses Schulobst an Grundschulen",
     "die Teilnahme aller Grundschulen am Schulobstprogramm zu organisieren"),
)
ANFRAGE = (
    ("soziales", "Sachstand der Sanierung der Grundschule {ortsteil}"),
    ("bau", "Zustand der Straßenbeleuchtung in der {street}"),
    ("finanzen", "Wartezeiten im Bürgerbüro"),
    ("finanzen", "Leerstand städtischer Gebäude"),
    ("bau", "Nutzung der Fördermittel für den Radverkehr"),
    ("soziales", "Zustand der Spielplätze im Ortsteil {ortsteil}"),
    ("ordnung", "Parksituation am Bahnhof"),
    ("ordnung", "Personalstärke der Freiwilligen Feuerwehr {ortsteil}"),
    ("bau", "Baumfällungen in der {street}"),
)
# The questions of an Anfrage and what the administration answers to each.
QUESTIONS = (
    ("Wie ist der aktuelle Sachstand?",
     "Die Verwaltung hat den Sachverhalt geprüft. Die Arbeiten liegen im Zeitplan."),
    ("Welche Kosten sind bisher entstanden und welche werden noch erwartet?",
     "Die bisherigen Kosten liegen im Rahmen der veranschlagten Mittel. Weitere Kosten "
     "werden mit der Ausschreibung ermittelt."),
    ("Bis wann ist mit einem Abschluss zu rechnen?",
     "Nach derzeitiger Planung ist ein Abschluss bis zum Ende des kommenden Jahres "
     "vorgesehen."),
    ("Wurden Fördermittel beantragt, und in welcher Höhe?",
     "Fördermittel wurden beantragt; ein Bescheid liegt noch nicht vor."),
    ("Wie werden die Anwohnerinnen und Anwohner informiert?",
     "Die Anwohnerinnen und Anwohner werden durch Aushänge, die Tagespresse und die "
     "Internetseite der Stadt informiert."),
)
PURPOSES = ("den Winterdienst", "die Unterbringung von Geflüchteten",
            "gestiegene Energiekosten städtischer Gebäude", "die Schülerbeförderung")


def _slots(rng: random.Random, day: date) -> dict[str, str]:
    street, street2 = rng.sample(names.STREETS, 2)
    year = day.year if day.month < 9 else day.year + 1
    # Reports look back on the quarter before the one they are written in.
    quarter = (day.month - 1) // 3 or 4
    school_year = day.year if day.month >= 8 else day.year - 1
    return {
        "quarter": str(quarter), "qyear": str(day.year if quarter != 4 else day.year - 1),
        "school_year": f"{school_year}/{str(school_year + 1)[2:]}",
        "tax": rng.choice(("Hundesteuer", "Zweitwohnungsteuer", "Vergnügungsteuer")),
        "company": rng.choice(("Stadtwerke Muldenau GmbH", "Wohnungsbaugesellschaft Muldenau mbH",
                               "Verkehrsbetriebe Muldenau GmbH")),
        "fee": rng.choice(("die Benutzung der Friedhöfe", "die Benutzung der Stadtbibliothek",
                           "Leistungen der Feuerwehr", "die Straßenreinigung")),
        "street": street, "street2": street2, "ortsteil": rng.choice(names.ORTSTEILE),
        "area": rng.choice(names.AREAS), "brook": rng.choice(names.BROOKS),
        "facility": rng.choice(names.FACILITIES), "purpose": rng.choice(PURPOSES),
        "year": str(year), "year1": str(year + 1), "year2": str(year + 2),
        "prev": str(day.year - 1), "bplan": f"{rng.randint(40, 140):03d}",
        "hectares": f"{rng.randint(12, 95) / 10:.1f}".replace(".", ","),
        "months": str(rng.randint(5, 14)), "bids": str(rng.randint(2, 7)),
        "clubs": str(rng.randint(60, 90)), "age": str(rng.randint(24, 33)),
        "vacant": str(rng.randint(14, 40)), "amount": money(rng.randint(8, 260) * 5000),
        "small_amount": money(rng.randint(5, 40) * 250), "waiting": str(rng.randint(12, 45)),
        "members": str(rng.randint(18, 42)), "traffic": money(rng.randint(18, 60) * 100),
        "kita": rng.choice(("Sonnenschein", "Pusteblume", "Muldenzwerge", "Regenbogen")),
    }


def money(euros: int) -> str:
    return f"{euros:,}".replace(",", ".")


def _costs(kind: str, slots: dict[str, str], rng: random.Random) -> str:
    if kind == "none":
        return "Die Vorlage hat keine unmittelbaren finanziellen Auswirkungen."
    text = (f"Die Gesamtkosten betragen voraussichtlich {slots['amount']} Euro. Die Mittel sind "
            f"im Haushaltsplan {slots['year']} veranschlagt.")
    if kind == "funded":
        text += (f" Es werden Fördermittel des Freistaates Sachsen in Höhe von "
                 f"{rng.choice((50, 60, 75, 90))} Prozent erwartet.")
    return text


def beschlussvorlage(rng: random.Random, day: date, subject: str) -> Topic:
    template = rng.choice(BESCHLUSS[subject])
    return _fill(template, rng, day, subject)


def recurring(template_title: str, decision: str, day: date, subject: str,
              rng: random.Random, facts: tuple[str, ...] = (), attachments=()) -> Topic:
    """A paper the calendar brings every year (Haushalt, Wirtschaftsplan, Spenden)."""
    template = _Template(template_title, decision, facts, costs="none",
                         attachments=tuple(attachments))
    return _fill(template, rng, day, subject)


def _fill(template: _Template, rng: random.Random, day: date, subject: str) -> Topic:
    slots = _slots(rng, day)
    return Topic(
        subject=subject,
        title=template.title.format(**slots),
        decision=template.decision.format(gremium="{gremium}", **slots),
        facts=[fact.format(**slots) for fact in template.facts],
        costs=_costs(template.costs, slots, rng),
        ortsteil=slots["ortsteil"] if template.ortsteil or "{ortsteil}" in template.title
        else None,
        attachments=template.attachments,
        decided_by_committee=template.committee_decides,
    )


def report(rng: random.Random, day: date, subject: str, pool: dict) -> Topic:
    """An Informationsvorlage or Mitteilung: nothing to decide, only to note."""
    slots = _slots(rng, day)
    title = rng.choice(pool[subject]).format(**slots)
    facts = [
        "Die Verwaltung informiert über den aktuellen Stand.",
        rng.choice(("Die Angaben beruhen auf den Daten der Fachämter zum Quartalsende.",
                    "Die Entwicklung liegt im Rahmen der Planung.",
                    "Gegenüber dem Vorjahr ergeben sich nur geringe Veränderungen.")),
    ]
    return Topic(subject, title, "{gremium} nimmt die Information zur Kenntnis.", facts,
                 _costs("none", slots, rng),
                 ortsteil=slots["ortsteil"] if "{ortsteil}" in title else None)


def antrag(rng: random.Random, day: date) -> Topic:
    subject, matter, task = rng.choice(ANTRAG)
    slots = _slots(rng, day)
    return Topic(
        subject, matter.format(**slots),
        "{gremium} beauftragt die Oberbürgermeisterin, " + task.format(**slots) + ".",
        ["Bürgerinnen und Bürger haben die Fraktion wiederholt auf das Anliegen angesprochen.",
         "Andere Städte in Sachsen haben mit vergleichbaren Maßnahmen gute Erfahrungen "
         "gemacht."],
        "Die finanziellen Auswirkungen sind durch die Verwaltung zu ermitteln.",
    )


def anfrage(rng: random.Random, day: date) -> Topic:
    subject, matter = rng.choice(ANFRAGE)
    slots = _slots(rng, day)
    questions = [question for question, _answer in rng.sample(QUESTIONS, 3)]
    return Topic(subject, matter.format(**slots), "", questions, "",
                 ortsteil=slots["ortsteil"] if "{ortsteil}" in matter else None)


def answer_to(question: str) -> str:
    return dict(QUESTIONS)[question]
