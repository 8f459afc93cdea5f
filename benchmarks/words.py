"""Words for the synthetic city: titles a citizen would search for, and document text.

Document text follows the shape research/pelican.md §3.3 used: most words are
drawn Zipf-style from a large set of invented German-looking words (so the
search index grows like it would with real prose), the rest are real council
words, so that a query like "Spielplatz" finds documents. Everything is drawn
from a `random.Random` the caller seeds, so the same seed gives the same city.
"""

from __future__ import annotations

import itertools
import random

STREETS = (
    "Bahnhofstraße", "Lindenstraße", "Schulstraße", "Uferstraße", "Birkenstraße", "Hauptstraße",
    "Gartenstraße", "Bergstraße", "Weberstraße", "Kirchgasse", "Wiesenstraße", "Marktgasse",
    "Goethestraße", "Schillerstraße", "Mozartstraße", "Rosenstraße", "Ahornweg", "Eichendorffstraße",
    "Kastanienallee", "Am Stadtpark", "Friedhofstraße", "Mühlenweg", "Parkstraße", "Ringstraße",
)
DISTRICTS = (
    "Altstadt", "Nordvorstadt", "Südvorstadt", "Oststadt", "Weststadt", "Hafenviertel",
    "Neustadt", "Lindenau", "Grünau", "Heiligenbrunn", "Mockritz", "Plauen", "Striesen",
    "Gohlis", "Connewitz", "Reudnitz", "Stötteritz", "Schönefeld",
)
FACILITIES = (
    "Grundschule", "Oberschule", "Kindertagesstätte", "Sporthalle", "Stadtbibliothek",
    "Feuerwache", "Schwimmhalle", "Jugendhaus", "Seniorenbegegnungsstätte", "Musikschule",
)
TOPICS = (
    "Sanierung des Spielplatzes in der {street}",
    "Neubau der {facility} im Stadtbezirk {district}",
    "Bebauungsplan Nr. {number} „{street} Nord“ – Aufstellungsbeschluss",
    "Grundhafter Ausbau der {street}",
    "Erneuerung der Straßenbeleuchtung in der {street}",
    "Haushaltssatzung und Haushaltsplan {year}",
    "Überplanmäßige Aufwendungen für die {facility} {district}",
    "Radverkehrskonzept für den Stadtbezirk {district}",
    "Ersatzneubau der Brücke in der {street}",
    "Schulnetzplanung: Erweiterung der {facility} {district}",
    "Vergabe der Bauleistungen für die {facility} {district}",
    "Satzung über die Erhebung von Parkgebühren",
    "Jahresabschluss {year} der Stadtwerke",
    "Baumpflanzungen in der {street}",
    "Verkehrsberuhigung im Wohngebiet {district}",
    "Benennung einer Straße im Stadtbezirk {district}",
    "Zuschuss für den Sportverein {district} e. V.",
    "Lärmaktionsplan – Maßnahmen an der {street}",
    "Sanierung der Toilettenanlage der {facility} {district}",
    "Kita-Bedarfsplanung {year}",
)
PAPER_TYPES = (
    ("Beschlussvorlage", "BV", 55), ("Informationsvorlage", "IV", 15), ("Antrag", "A", 15),
    ("Anfrage", "AF", 10), ("Stellungnahme", "ST", 5),
)
COUNCIL_WORDS = (
    "Stadtrat", "Ausschuss", "Beschluss", "Haushalt", "Haushaltsplan", "Vorlage", "Antrag",
    "Spielplatz", "Straßenbeleuchtung", "Bebauungsplan", "Verwaltung", "Oberbürgermeister",
    "Förderung", "Fördermittel", "Kosten", "Euro", "Vergabe", "Sanierung", "Baumaßnahme",
    "Schule", "Kindertagesstätte", "Radweg", "Gehweg", "Verkehr", "Bürgerinnen", "Bürger",
    "Einwohner", "Stellungnahme", "Anhörung", "Satzung", "Gebühren", "Grundstück",
    "Ausschreibung", "Angebot", "Zuschuss", "Investition", "Planung", "Gutachten", "Lärmschutz",
    "Klimaschutz", "Baum", "Grünfläche", "Parkplatz", "Feuerwehr", "Sporthalle", "Bibliothek",
    "Jugendhilfe", "Senioren", "Integration", "Wohnungsbau", "Stadtbezirk", "Ortsteil",
)
NON_PUBLIC_TOPICS = (
    "Grundstücksangelegenheit {street}", "Personalangelegenheit", "Vergabeangelegenheit {facility}",
    "Vertragsangelegenheit Stadtwerke", "Stundung einer Forderung",
)
RESULTS = ("einstimmig beschlossen", "mehrheitlich beschlossen", "mehrheitlich beschlossen",
           "mit Änderungen beschlossen", "abgelehnt", "vertagt")
GIVEN_NAMES = (
    "Anja", "Antje", "Birgit", "Claudia", "Doreen", "Franziska", "Heike", "Ines", "Kathrin",
    "Katja", "Nicole", "Petra", "Sabine", "Susanne", "Andreas", "Christian", "Daniel", "Frank",
    "Jens", "Jörg", "Lars", "Martin", "Matthias", "Michael", "Stefan", "Thomas", "Uwe", "Volker",
)
FAMILY_NAMES = (
    "Bachmann", "Böhm", "Dietrich", "Ebert", "Fiedler", "Franke", "Friedrich", "Fuchs", "Günther",
    "Haase", "Hartmann", "Hofmann", "Kaiser", "Köhler", "Krause", "Kühn", "Lange", "Lehmann",
    "Lorenz", "Meier", "Neubert", "Pohl", "Richter", "Schubert", "Schulze", "Seidel", "Vogel",
    "Walther", "Werner", "Winkler", "Wolf", "Zimmermann", "Naumann", "Voigt", "Lindner", "Engel",
)

_ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "st", "sch", "pf", "kr", "gr")
_VOWELS = ("a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "ie")
_CODAS = ("", "n", "r", "l", "t", "ng", "ch", "st", "nd", "rk")
_ENDINGS = ("", "en", "ung", "keit", "heit", "er", "lich", "isch", "e")
PSEUDO_WORD_COUNT = 20_000
COUNCIL_WORD_SHARE = 0.08


class TextModel:
    """Invented vocabulary with Zipf frequencies plus real council words."""

    def __init__(self, rng: random.Random):
        words: list[str] = []
        seen: set[str] = set()
        while len(words) < PSEUDO_WORD_COUNT:
            syllables = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                                for _ in range(rng.choice((1, 2, 2, 3))))
            word = syllables + rng.choice(_ENDINGS)
            if len(word) > 3 and word not in seen:
                seen.add(word)
                words.append(word.capitalize() if rng.random() < 0.3 else word)
        self.words = words
        self.cum_weights = list(itertools.accumulate(1.0 / rank for rank in range(1, len(words) + 1)))

    def sentence(self, rng: random.Random, extra: tuple[str, ...] = ()) -> str:
        length = rng.randint(8, 16)
        drawn = rng.choices(self.words, cum_weights=self.cum_weights, k=length)
        for position in range(length):
            if rng.random() < COUNCIL_WORD_SHARE:
                drawn[position] = rng.choice(extra) if extra and rng.random() < 0.5 else rng.choice(COUNCIL_WORDS)
        drawn[0] = drawn[0].capitalize()
        return " ".join(drawn) + "."

    def document(self, rng: random.Random, heading: str, words: int, extra: tuple[str, ...] = ()) -> str:
        """A plain-text document of about `words` words in paragraphs, starting with its heading."""
        paragraphs, count = [heading], 0
        while count < words:
            sentences = [self.sentence(rng, extra) for _ in range(rng.randint(3, 6))]
            count += sum(s.count(" ") + 1 for s in sentences)
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)
