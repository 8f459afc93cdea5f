"""A realistic document archive for the city: PDFs shaped like a council's, for the benchmarks.

A real city's files hold ~7,500 characters on average, ~2.7 per paper, with a long tail
(budgets and expert reports of hundreds of pages, multi-page scans of several MB), and a
part of them are scans without a text layer (issue 19). `realise(town, folder)` gives every
File of a scaled town (city.py) such a PDF, written to `folder/<number>.pdf`:

- born-digital: German prose (prose.py) set in Liberation Sans, embedded as a subset, lines with words hyphenated at the line end as council offices print them;
- mixed: born-digital pages with one or two scanned pages at the end (a signed page, a map);
- scanned: every page an image of printed text (grayscale JPEG, 150 dpi), no text layer.

`attach_texts(town)` gives the same files the same texts without PDFs (`archive="realistic-text"`):
each File carries in `File.text` what `pdftotext` and OCR would read from its PDF, laid out as
they give it (lines of a page's width, pages apart by form feeds), so a city of 14,000 papers
has its ~290 million characters in content/ after an import of minutes instead of hours of OCR.

Deterministic: each file's shape and text come from a generator seeded with its number.
Rendering costs ~40 ms per file, so PDFs are cached under build/ by the hash of what they
show (`cache`), and made by a pool of processes, one per core.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import random
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ratsinfo.demo.model import File, Town
from ratsinfo.demo.prose import Prose

SEED = "muldenau-city/archive"
VERSION = "1"  # part of the cache key: raise it when the rendering changes
# Debian's fonts-liberation: Arial's metrics, the face of most council papers; small, so quick to embed.
FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
# Characters per file: log-normal with a mean of ~7,500 (e^(mu + sigma²/2)).
MU, SIGMA = 8.2, 1.2
MAX_CHARS = 600_000
REPORT_RATE = 0.002          # a budget or expert report: 150,000 to 600,000 characters
MIXED_RATE = 0.06            # born-digital with scanned pages at the end
EXTRA_SCAN_RATE = 0.2        # papers with one more Anlage, a scan (2.5 → 2.7 files per paper)
CHARS_PER_WORD = 7.4         # prose.py's words with their space
SCAN_DPI = 150
SCAN_CHARS_PER_PAGE = 1_800
MARGIN, PAGE_BOTTOM, LEADING = 20, 277, 4.8
# The text as pdftotext gives it from such a page: ~95 characters a line, ~52 lines a page.
LINE_CHARS, PAGE_LINES = 95, 52


@dataclass(frozen=True)
class Spec:
    """What one PDF shows: enough to make it again, and its cache key."""
    number: int
    title: str
    chars: int           # of the born-digital part
    scanned_pages: int   # pages of scans (at the end; all pages when chars == 0)

    def key(self) -> str:
        return hashlib.sha256(f"{VERSION}|{self.number}|{self.title}|{self.chars}|{self.scanned_pages}".encode()).hexdigest()


def add_scanned_attachments(town: Town):
    """One more Anlage for a fifth of the papers: a scan (Stellungnahme, Lageplan), as offices attach them."""
    rng = random.Random(f"{SEED}/extra")
    for paper in town.papers:
        if rng.random() >= EXTRA_SCAN_RATE:
            continue
        index = len(paper.auxiliary_files) + 1
        base = paper.reference.replace("/", "-")
        kind = rng.choice(("Stellungnahme (Scan)", "Lageplan (Scan)", "Unterschriftenliste (Scan)"))
        file = File(len(town.files) + 1, f"Anlage {index} – {kind}", f"{base}_Anlage_{index}.pdf", paper.day, b"",
                    scanned=True)
        file.papers.append(paper)
        paper.auxiliary_files.append(file)
        town.files.append(file)


def spec_for(file: File) -> Spec:
    rng = random.Random(f"{SEED}/file:{file.number}")
    if file.scanned:
        return Spec(file.number, file.name, 0, rng.choice((1, 1, 1, 2, 2, 3, 4, 6)))
    if rng.random() < REPORT_RATE:
        chars = rng.randint(150_000, MAX_CHARS)
    else:
        chars = min(MAX_CHARS, max(600, int(rng.lognormvariate(MU, SIGMA))))
    scanned = rng.choice((1, 2)) if rng.random() < MIXED_RATE else 0
    return Spec(file.number, file.name, chars, scanned)


def attach_texts(town: Town) -> dict:
    """The realistic archive without PDFs: each file is marked to carry its text (full_text) in
    File.text; the volume is the same as realise() would give (the born-digital characters plus
    SCAN_CHARS_PER_PAGE per scanned page)."""
    add_scanned_attachments(town)
    totals = {"files": 0, "bytes": 0, "chars": 0, "scanned_pages": 0, "files_with_scans": 0}
    for file in town.files:
        spec = spec_for(file)
        file.archive_text = True
        totals["files"] += 1
        totals["chars"] += spec.chars + spec.scanned_pages * SCAN_CHARS_PER_PAGE
        totals["scanned_pages"] += spec.scanned_pages
        totals["files_with_scans"] += bool(spec.scanned_pages)
    return totals


def full_text(file: File) -> str:
    """What text extraction and OCR read from the file's PDF: pages apart by form feeds. Cut to the
    spec's characters (prose.py's words are longer than CHARS_PER_WORD, ~1.6× the text otherwise),
    so the archive holds the volume attach_texts() counts."""
    spec = spec_for(file)
    digital, scans = source_text(spec)
    pages = _pages(_cut(digital, spec.chars)) if digital else []
    pages += [_lines(_cut(text, SCAN_CHARS_PER_PAGE)) for text in scans]
    return "\f".join("\n".join(page) for page in pages)


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0]


def _pages(text: str) -> list[list[str]]:
    pages, page = [], []
    for paragraph in text.split("\n\n"):
        for line in _lines(paragraph) + [""]:
            page.append(line)
            if len(page) >= PAGE_LINES:
                pages.append(page)
                page = []
    return pages + [page] if page else pages


def _lines(paragraph: str) -> list[str]:
    lines, line, width = [], [], 0
    for word in paragraph.split():
        if width + len(word) > LINE_CHARS and line:
            lines.append(" ".join(line))
            line, width = [], 0
        line.append(word)
        width += len(word) + 1
    return lines + [" ".join(line)] if line else lines


def realise(town: Town, folder: Path, cache: Path | None = None, workers: int | None = None) -> dict:
    """Write a PDF for every file of `town` into `folder` and note its size and checksum on the File."""
    folder.mkdir(parents=True, exist_ok=True)
    add_scanned_attachments(town)
    specs = [spec_for(file) for file in town.files]
    by_number = {file.number: file for file in town.files}
    workers = workers or os.cpu_count() or 1
    totals = {"files": 0, "bytes": 0, "chars": 0, "scanned_pages": 0, "files_with_scans": 0}
    with ProcessPoolExecutor(workers) as pool:
        for spec, (size, sha512) in zip(specs, pool.map(_make, specs, [folder] * len(specs), [cache] * len(specs),
                                                          chunksize=16)):
            by_number[spec.number].document = (size, sha512)
            totals["files"] += 1
            totals["bytes"] += size
            totals["chars"] += spec.chars + spec.scanned_pages * SCAN_CHARS_PER_PAGE
            totals["scanned_pages"] += spec.scanned_pages
            totals["files_with_scans"] += bool(spec.scanned_pages)
    return totals


def _make(spec: Spec, folder: Path, cache: Path | None) -> tuple[int, str]:
    cached = cache / f"{spec.key()}.pdf" if cache else None
    if cached and cached.is_file():
        data = cached.read_bytes()
    else:
        data = render(spec)
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, cached)
    (folder / f"{spec.number}.pdf").write_bytes(data)
    return len(data), hashlib.sha512(data).hexdigest()


_PROSE: Prose | None = None


def source_text(spec: Spec) -> tuple[str, list[str]]:
    """The born-digital text and the text of each scanned page, as generated (before layout)."""
    global _PROSE
    if _PROSE is None:
        _PROSE = Prose("muldenau-city/prose")
    words = max(1, round(spec.chars / CHARS_PER_WORD))
    digital = _PROSE.text(spec.number, spec.title, words) if spec.chars else ""
    scans = [_PROSE.text(spec.number * 1000 + page, f"Seite {page + 1}", round(SCAN_CHARS_PER_PAGE / CHARS_PER_WORD))
             for page in range(spec.scanned_pages)]
    return digital, scans


def render(spec: Spec) -> bytes:
    from fpdf import FPDF

    digital, scans = source_text(spec)
    pdf = FPDF(format="A4")
    pdf.set_creation_date(_created(spec))
    pdf.set_title(spec.title)
    pdf.set_author("Stadtverwaltung Muldenau")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("Liberation", "", str(FONT))
    if digital:
        pdf.set_font("Liberation", size=10)
        pdf.add_page()
        y = MARGIN
        for paragraph in digital.split("\n\n"):
            for line in hyphenated_lines(pdf, paragraph, pdf.w - 2 * MARGIN):
                if y + LEADING > PAGE_BOTTOM:
                    pdf.add_page()
                    y = MARGIN
                y += LEADING
                pdf.text(MARGIN, y, line)
            y += LEADING / 2
    for text in scans:
        pdf.add_page()
        pdf.image(scanned_page(text), x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


def _created(spec: Spec):
    from datetime import datetime, timezone

    day = date(2007, 1, 1).toordinal() + spec.number % 7000
    return datetime.combine(date.fromordinal(day), datetime.min.time(), tzinfo=timezone.utc).replace(hour=9)


# A break inside a word goes after a vowel that a consonant follows ("Stra-ßen", "Verwal-tung").
_SYLLABLE_END = re.compile(r"[aeiouäöüy](?=[^aeiouäöüy\W])", re.IGNORECASE)


_WIDTHS: dict[str, float] = {}  # a word's width at the one font size; fpdf2's measuring is most of the time


def _width(pdf, word: str) -> float:
    if word not in _WIDTHS:
        _WIDTHS[word] = pdf.get_string_width(word)
    return _WIDTHS[word]


def hyphenated_lines(pdf, paragraph: str, width: float) -> list[str]:
    """Lines of at most `width`; a long word that does not fit is split with a hyphen."""
    lines, current, used, space = [], "", 0.0, _width(pdf, " ")
    for word in paragraph.split():
        wide = _width(pdf, word)
        if not current or used + space + wide <= width:
            current, used = (f"{current} {word}", used + space + wide) if current else (word, wide)
            continue
        head, tail = _split(pdf, used + space, word, width)
        lines.append(f"{current} {head}-" if head else current)
        current, used = tail, _width(pdf, tail)
    return lines + [current] if current else lines


def _split(pdf, used: float, word: str, width: float) -> tuple[str, str]:
    if len(word) < 8 or not word.isalpha():
        return "", word
    best = ""
    for match in _SYLLABLE_END.finditer(word, 3, len(word) - 3):
        head = word[:match.end()]
        if used + _width(pdf, head + "-") > width:
            break
        best = head
    return (best, word[len(best):]) if best else ("", word)


def scanned_page(text: str, dpi: int = SCAN_DPI, font_path: Path | None = FONT, bilevel: bool = False):
    """An A4 page of `text` as a scanner sees it: a grayscale image, slightly off-white (JPEG);
    `bilevel`: black and white and only as high as the text, as a few KB of PNG (the demo's scan)."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    size = round(11 / 72 * dpi)
    font = (ImageFont.truetype(str(font_path), size) if font_path and font_path.is_file()
            else ImageFont.load_default(size))
    image = Image.new("L", (width, height), 246)
    draw = ImageDraw.Draw(image)
    margin, y, leading = round(dpi * 0.8), round(dpi * 0.8), math.ceil(size * 1.45)
    for paragraph in text.split("\n\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and draw.textlength(candidate, font=font) > width - 2 * margin:
                draw.text((margin, y), line, fill=20, font=font)
                y += leading
                line = word
            else:
                line = candidate
        if line:
            draw.text((margin, y), line, fill=20, font=font)
        y += round(leading * 1.5)
        if y > height - margin:
            break
    buffer = io.BytesIO()
    if bilevel:
        image = image.crop((0, 0, width, min(height, y + margin))).point(lambda v: 0 if v < 128 else 255).convert("1")
        image.save(buffer, format="PNG", optimize=True)
        buffer.seek(0)
        return buffer
    image.save(buffer, format="JPEG", quality=60)
    buffer.seek(0)
    return buffer  # fpdf2 embeds JPEG bytes as they are
