"""A document's extracted text as the reading view shows it: pages, headings, paragraphs.

The text is what pypdf read from a PDF (importers/pdftext.py): one line per printed line, pages
apart by a form feed, no markup. Headings and paragraphs are guessed from the lines alone
(a known section word like "Sachverhalt" or "Begründung:", a numbered "1. Sachverhalt", a
short line in title case between paragraphs), so that a guess that fails leaves ordinary
lines, never lost text. The blocks stay plain strings; `Page.html` escapes each one as it joins
them into the reading view's markup (one pass in Python: a template loop over every line of a
city's 300 million characters was a fifth of the build's rendering).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

PAGE_BREAK = "\f"

# Section words of council papers, minutes and answers (compared without case and colon).
SECTION_WORDS = frozenset(w.casefold() for w in (
    "Betreff", "Sachverhalt", "Begründung", "Beschlussvorschlag", "Beschlussempfehlung", "Beschluss",
    "Beschlusstext", "Antrag", "Anfrage", "Antwort", "Fragen", "Beratungsfolge", "Finanzielle Auswirkungen",
    "Haushaltsrechtliche Auswirkungen", "Auswirkungen", "Anlagen", "Tagesordnung", "Abstimmungsergebnis",
    "Ergebnis", "Problembeschreibung", "Lösung", "Alternativen", "Stellungnahme", "Zusammenfassung",
    "Anwesend", "Abwesend", "Öffentlicher Teil", "Nichtöffentlicher Teil", "Sitzungsverlauf", "Empfehlung",
    "Vorbemerkung", "Ausgangslage", "Kosten", "Finanzierung", "Rechtsgrundlage", "Beratungsergebnis",
))
# "1. Sachverhalt", "2.1 Kosten", "IV. Ergebnis" (not "03.02.2025 Stadtrat": a date).
NUMBERED = re.compile(r"^(?:(?:\d{1,2}\.)+\d{0,2}|[IVX]{1,5}\.)\s+[A-ZÄÖÜ]")
# An agenda item as minutes number it: "Ö 4 Sanierung …", "N 2 …", "TOP 3.1 …".
TOP_LINE = re.compile(r"^(?:TOP\s*|[ÖN]\s+)\d{1,3}(?:\.\d{1,2})*\.?\s+\S")
# A field of a letterhead: "Termin: …", "Ort: …", "Federführung: …".
FIELD = re.compile(r"^[A-ZÄÖÜ][\w./ -]{0,30}:\s")
# Words that stay lower case in a German heading in title case ("Sanierung der Turnhalle").
SMALL_WORDS = frozenset("und oder der die das des dem den zur zum für von vom im in an am auf mit zu bei "
                        "nach über sowie gegen aus ab bis ohne".split())
SENTENCE_END = (".", "!", "?", ";", ",")
# A line at least this share of the widest one was wrapped: the paragraph goes on.
FULL_LINE = 0.8
NARROWEST_FULL_LINE = 95  # characters; a text of short lines (a list) is not prose wrapped


@dataclass
class Page:
    number: int
    # ("heading", text) or ("paragraph", [line, …]): a paragraph's lines are shown one below the other.
    blocks: list[tuple[str, object]] = field(default_factory=list)
    ocr: bool = False  # its text was recognised by OCR from a scan (importers/pdftext.py)

    @property
    def html(self) -> Markup:
        """Headings as <h3>, paragraphs as <p> with a <br> between their lines; every text escaped.
        A paragraph is escaped as one string: its lines hold no newline (they are split at them), so
        the newlines joined in are the only ones, and each becomes a <br> after escaping."""
        parts = []
        for kind, value in self.blocks:
            if kind == "heading":
                parts += ("<h3>", escape(value), "</h3>\n")
            else:
                parts += ("<p>", str.replace(escape("\n".join(value)), "\n", "<br>\n"), "</p>\n")
        return Markup("".join(parts))


def reading_view(text: str, ocr_pages=()) -> list[Page]:
    """The text's pages, each as headings and paragraphs; no page without text or with only blanks.
    `ocr_pages`: the numbers of the pages OCR recognised."""
    raw_pages = text.split(PAGE_BREAK)
    widest = max((len(line.strip()) for line in text.splitlines()), default=0)
    full = FULL_LINE * max(widest, NARROWEST_FULL_LINE)
    pages = [Page(number, _blocks([line.strip() for line in page.splitlines()], full), number in ocr_pages)
             for number, page in enumerate(raw_pages, start=1)]
    return [page for page in pages if page.blocks]


def _blocks(lines: list[str], full: float) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = []
    paragraph: list[str] = []
    continues = False  # the last line was wrapped: the next one goes on with it
    heading_continues = False  # … a heading's, which goes on in the next line ("… Vergabe der" / "Bauleistungen")

    def close():
        nonlocal paragraph
        if paragraph:
            blocks.append(("paragraph", paragraph))
        paragraph = []

    for index, line in enumerate(lines):
        if not line:
            close()
            continues = heading_continues = False
            continue
        if heading_continues:
            blocks[-1] = ("heading", _join(blocks[-1][1], line))
            heading_continues = _wrapped(line, _next(lines, index), full)
            continue
        if not continues and _is_heading(line, lines, index, full, after_heading=bool(blocks) and not paragraph
                                         and blocks[-1][0] == "heading"):
            close()
            blocks.append(("heading", line))
            heading_continues = TOP_LINE.match(line) is not None and _wrapped(line, _next(lines, index), full)
            continue
        if continues and paragraph:
            paragraph[-1] = _join(paragraph[-1], line)
        else:
            paragraph.append(line)
        continues = _wrapped(line, _next(lines, index), full)
        if not continues and line.endswith((".", "!", "?")):
            close()
    close()
    return blocks


def _next(lines: list[str], index: int) -> str:
    return lines[index + 1] if index + 1 < len(lines) else ""


def _wrapped(line: str, following: str, full: float) -> bool:
    """Whether the line goes on in the next: it is as wide as the text, or ends in "der", "und" …,
    and the next is no line of its own (an agenda item, a field like "Termin: …")."""
    hyphenated = line.endswith("-") and line[-2:-1].isalpha() and following[:1].islower()
    return (len(line) >= full or hyphenated or (line.split() or [""])[-1] in SMALL_WORDS) \
        and not line.endswith(SENTENCE_END + (":",)) and not TOP_LINE.match(following) and not FIELD.match(following)


def _is_heading(line: str, lines: list[str], index: int, full: float, after_heading: bool) -> bool:
    if TOP_LINE.match(line):  # an agenda item in minutes, with its text below; in a list of them (an invitation) not
        following = index + 1
        while following < len(lines) and _wrapped(lines[following - 1], lines[following], full):
            following += 1  # past the rest of its title
        after = lines[following] if following < len(lines) else ""
        before = lines[index - 1] if index else ""
        # In a list of items the neighbours are items too; the last of a list is followed by no sentence.
        return bool(after) and not TOP_LINE.match(after) and (
            not TOP_LINE.match(before) or after.endswith((".", "!", "?")) or _wrapped(after, _next(lines, following), full))
    if len(line) > 80 or line.endswith(SENTENCE_END):
        return False
    bare = line[:-1].rstrip() if line.endswith(":") else line
    if bare.casefold() in SECTION_WORDS:
        return True
    if after_heading:
        return False  # the line under a heading is its text ("Betreff" → the subject)
    # Between paragraphs: after a blank line or a finished sentence, before a new sentence.
    before, after = lines[index - 1] if index else "", lines[index + 1] if index + 1 < len(lines) else ""
    if index == 0 or (before and not before.endswith((".", "!", "?", ":"))) or not after[:1].isupper():
        return False
    numbered = NUMBERED.match(line)
    if numbered:  # "1. Sachverhalt", not "16. Sitzung des Stadtrates am 29.01.2026"
        return len(line) <= 60 and len(line.split()) <= 8 and not re.search(r"\d", line[numbered.end():])
    return _title_case(bare)


def _title_case(text: str) -> bool:
    """A short line of capitalised words (German nouns are), with no digits or list punctuation:
    "Finanzielle Auswirkungen", "Sanierung der Turnhalle"; not a letterhead's first line (the caller)."""
    words = text.split()
    if not 1 <= len(words) <= 6 or len(text) > 50 or re.search(r"[\d:;,()/=%€§]", text):
        return False
    if not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w in SMALL_WORDS for w in words)


def _join(line: str, following: str) -> str:
    """Two lines of one wrapped paragraph; "Sanie-" + "rung" → "Sanierung", "Erd-" + "und" stays."""
    first_word = following.split(maxsplit=1)[0]
    if line.endswith("-") and line[-2:-1].isalpha() and first_word[:1].islower() \
            and first_word.rstrip(".,") not in SMALL_WORDS | {"bzw"}:
        return line[:-1] + following
    return f"{line} {following}"
