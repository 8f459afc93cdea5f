"""Document text for the town at city scale, where PDFs would cost too much.

A scaled town (city.py) gives each File a word count and a few keywords
instead of a PDF; the OParl writer draws the text from here into `File.text`.
The text follows the shape research/pelican.md §3.3 used: most words are
drawn Zipf-style from a large set of invented German-looking words (so a
search index grows as it would with real prose), the rest are real council
words, so that a query like "Spielplatz" finds documents. A file's text comes
from a generator seeded with the file's number, so it is the same in every
place it is embedded and never held in memory for all files at once.
"""

from __future__ import annotations

import itertools
import random

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
_ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "st", "sch", "pf",
           "kr", "gr")
_VOWELS = ("a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "ie")
_CODAS = ("", "n", "r", "l", "t", "ng", "ch", "st", "nd", "rk")
_ENDINGS = ("", "en", "ung", "keit", "heit", "er", "lich", "isch", "e")
PSEUDO_WORD_COUNT = 20_000
COUNCIL_WORD_SHARE = 0.08


class Prose:
    """Invented vocabulary with Zipf frequencies plus real council words."""

    def __init__(self, seed: str):
        self.seed = seed
        rng = random.Random(seed)
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

    def text(self, number: int, heading: str, words: int, extra: tuple[str, ...] = ()) -> str:
        """Document `number`'s text: about `words` words in paragraphs, after its heading."""
        rng = random.Random(f"{self.seed}:file:{number}")
        paragraphs, count = [heading], 0
        while count < words:
            sentences = [self.sentence(rng, extra) for _ in range(rng.randint(3, 6))]
            count += sum(s.count(" ") + 1 for s in sentences)
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs)
