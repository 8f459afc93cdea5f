"""Small, real PDFs with a text layer, the same bytes on every run.

fpdf2's core font Helvetica needs no font file and keeps each PDF at one or
two kilobytes. Its encoding covers Latin-1 only, so umlauts and ß pass while
dashes and German quotation marks are replaced. Lines are placed one by one
(`FPDF.text`) rather than with `multi_cell`, which is twenty times slower and
would make the demo take minutes. A document may end in scanned pages (`scans`):
black-and-white images of printed text without a text layer (archive.scanned_page), which
only OCR makes searchable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta, timezone

from fpdf import FPDF

from ratsinfo.demo.timeline import at, berlin_offset

MARGIN = 20
PAGE_BOTTOM = 277
_OUTSIDE_LATIN_1 = str.maketrans({"–": "-", "—": "-", "„": '"', "“": '"', "”": '"',
                                  "‚": "'", "‘": "'", "’": "'", "…": "...", "€": "EUR"})


@dataclass
class Document:
    """What a PDF says: a title and blocks of ("heading" | "text" | "line", text)."""

    title: str
    day: date
    author: str = "Große Kreisstadt Muldenau"
    blocks: list[tuple[str, str]] = field(default_factory=list)
    scans: list[str] = field(default_factory=list)  # pages after the text: images of this text, no text layer

    def heading(self, text: str):
        self.blocks.append(("heading", text))

    def text(self, text: str):
        self.blocks.append(("text", text))

    def line(self, text: str):
        self.blocks.append(("line", text))


def latin_1(text: str) -> str:
    return text.translate(_OUTSIDE_LATIN_1).encode("latin-1", "replace").decode("latin-1")


def render(document: Document) -> bytes:
    pdf = FPDF(format="A4")
    # A fixed creation date: fpdf2 would otherwise stamp the clock into the file
    # and into the document /ID derived from it.
    created = at(document.day, 9)
    hours = int(berlin_offset(created)[1:3])
    pdf.set_creation_date(created.replace(tzinfo=timezone(timedelta(hours=hours))))
    pdf.set_title(latin_1(document.title))
    pdf.set_author(latin_1(document.author))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_page()
    y = _write(pdf, MARGIN + 2, [latin_1(document.author)], ("Helvetica", "B", 9), 4.5)
    y = _write(pdf, y + 4, _wrap(pdf, latin_1(document.title), ("Helvetica", "B", 13)),
               ("Helvetica", "B", 13), 6.5)
    for kind, text in document.blocks:
        style = ("Helvetica", "B", 10.5) if kind == "heading" else ("Helvetica", "", 10)
        y += 4 if kind == "heading" else (1 if kind == "line" else 2)
        for paragraph in latin_1(text).split("\n"):
            y = _write(pdf, y, _wrap(pdf, paragraph, style), style, 5)
    for text in document.scans:
        # A scanned page, as offices attach signed letters: searchable only through OCR (importers/pdftext.py).
        from ratsinfo.demo.archive import scanned_page

        pdf.add_page()
        pdf.image(scanned_page(text, bilevel=True), x=0, y=0, w=pdf.w)
    return bytes(pdf.output())


def _wrap(pdf: FPDF, text: str, style: tuple) -> list[str]:
    pdf.set_font(*style)
    width = pdf.w - 2 * MARGIN
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and pdf.get_string_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + [current] if current else lines


def _write(pdf: FPDF, y: float, lines: list[str], style: tuple, leading: float) -> float:
    pdf.set_font(*style)
    for line in lines:
        if y + leading > PAGE_BOTTOM:
            pdf.add_page()
            pdf.set_font(*style)
            y = MARGIN
        y += leading
        pdf.text(MARGIN, y, line)
    return y
