"""PDF text extraction on the realistic archive: pypdf, pypdfium2 and poppler's pdftotext compared.

    python -m benchmarks.extraction --papers 200      (writes benchmarks/EXTRACTION.md)

Each backend reads every PDF of the archive (ratsinfo/demo/archive.py) in a child process of its
own, one file after the other on one core, as importers/pdftext.py's children do: pages per
second, peak memory of the child (and of pdftotext's processes), and how faithful the text is
to the text the PDFs were made from: the share of the generating words found again, of the words
with umlauts or ß, and of the words split by a hyphen at a line end once the line ends are joined
again. Scanned pages have no text layer; they count as pages but not for fidelity.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.measure import PYTHON
from ratsinfo import PROJECT_ROOT

BACKENDS = ("pypdf", "pypdfium2", "pdftotext")
DECISION = """
Decision (2026-12-01, issue 19): importers/pdftext.py uses `pdftotext` where poppler-utils is installed,
pypdf otherwise. pdftotext gives back the words hyphenated at a line end as they were ("Verwal-" / "tung"
becomes "Verwaltung"; pypdf leaves them split, ~3 % of all words, which search then misses) and keeps
every umlaut (all three keep umlauts and ß: what pypdf and pdfium lose in the *words* and *umlauts*
columns are the hyphenated words). pdfium joins them too but marks each such place with U+FFFE, which has to be taken out;
then its fidelity equals pdftotext's, at about 1.8 times the pages per CPU second. We still took
pdftotext: reading the text layer is about 1 % of the realistic import once scanned pages are
recognised (benchmarks/RESULTS.md: ~13 s of text layer against ~1,000 s of OCR at 500 papers), it needs
no new Python dependency (Debian's poppler, which also brings `pdftoppm` to draw pages for OCR), and
one process per file gives each file its own kernel limits (CPU, address space, size of the text it
writes) and lets files be read side by side without a protocol. Should text extraction without OCR
ever dominate, pypdfium2 in the existing child (`_pages_text`) is the faster option.
"""

CHILD = r"""
import json, resource, subprocess, sys, time
from pathlib import Path
backend, files, out = sys.argv[1], [Path(p) for p in json.loads(sys.argv[2])], Path(sys.argv[3])

def pypdf_pages(path):
    import logging
    from pypdf import PdfReader
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    return [page.extract_text() or "" for page in PdfReader(path).pages]

def pdfium_pages(path):
    import pypdfium2
    document = pypdfium2.PdfDocument(path)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()

def poppler_pages(path):
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8").split("\f")[:-1]

read = {"pypdf": pypdf_pages, "pypdfium2": pdfium_pages, "pdftotext": poppler_pages}[backend]
read(files[0])  # imports and first-call set-up outside the clock
texts, pages = {}, 0
started = time.perf_counter()
cpu = time.process_time()
for path in files:
    got = read(path)
    pages += len(got)
    texts[path.stem] = got
seconds = time.perf_counter() - started
children = resource.getrusage(resource.RUSAGE_CHILDREN)
own = resource.getrusage(resource.RUSAGE_SELF)
out.write_text(json.dumps(texts, ensure_ascii=False))
print(json.dumps({"seconds": seconds, "pages": pages, "cpu": time.process_time() - cpu + children.ru_utime + children.ru_stime,
                  "rss_kb": own.ru_maxrss, "children_rss_kb": children.ru_maxrss}))
"""

_WORD = re.compile(r"[\wäöüÄÖÜß]+", re.UNICODE)
_HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*(?=[a-zäöüß])")


def words(text: str) -> Counter:
    return Counter(_WORD.findall(text))


def fidelity(source: str, extracted: str, hyphenated: set[str]) -> dict:
    # pdfium marks a hyphen it took out at a line end with U+FFFE and joins the lines itself.
    joined_text = _HYPHEN_BREAK.sub(r"\1", extracted).replace("\ufffe", "")
    want, raw, joined = words(source), words(extracted), words(joined_text)

    def share(counter: Counter, keep) -> tuple[int, int]:
        total = sum(n for w, n in want.items() if keep(w))
        found = sum(min(n, counter[w]) for w, n in want.items() if keep(w))
        return found, total

    return {
        "words": share(raw, lambda w: True),
        "umlauts": share(raw, lambda w: any(c in "äöüÄÖÜß" for c in w)),
        "hyphenated_joined": share(joined, lambda w: w in hyphenated),
        "hyphenated_raw": share(raw, lambda w: w in hyphenated),
    }


def corpus(papers: int, folder: Path, cache: Path):
    """The archive of a city of `papers` papers: its PDFs in `folder`, and each file's spec."""
    from ratsinfo.demo import archive
    from ratsinfo.demo.town import build_town

    town = build_town(papers)
    volume = archive.realise(town, folder, cache)
    return [archive.spec_for(f) for f in town.files], volume


def hyphenated_words(spec) -> set[str]:
    """The words the layout split at a line end: laid out again, with fpdf2's measure."""
    from fpdf import FPDF

    from ratsinfo.demo import archive

    pdf = FPDF(format="A4")
    pdf.add_font("Liberation", "", str(archive.FONT))
    pdf.set_font("Liberation", size=10)
    digital, _scans = archive.source_text(spec)
    split = set()
    for paragraph in digital.split("\n\n"):
        lines = archive.hyphenated_lines(pdf, paragraph, pdf.w - 2 * archive.MARGIN)
        for line, following in zip(lines, lines[1:]):
            if line.endswith("-"):
                split.add(line.rsplit(" ", 1)[-1][:-1] + following.split(" ", 1)[0])
    return split


def measure(backend: str, files: list[Path], work: Path) -> dict:
    out = work / f"{backend}.json"
    done = subprocess.run([PYTHON, "-c", CHILD, backend, json.dumps([str(p) for p in files]), str(out)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
    result = json.loads(done.stdout)
    result["texts"] = json.loads(out.read_text())
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description="Textauslesen von PDFs: pypdf, pypdfium2 und pdftotext im Vergleich")
    parser.add_argument("--papers", type=int, default=200, help="Vorlagen der Stadt, deren Archiv gelesen wird")
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "build" / "extraction")
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "benchmarks" / "EXTRACTION.md")
    args = parser.parse_args(argv)
    work = args.work / f"papers-{args.papers}"
    work.mkdir(parents=True, exist_ok=True)
    specs, volume = corpus(args.papers, work / "documents", args.work / "cache")
    files = [work / "documents" / f"{spec.number}.pdf" for spec in specs]
    by_number = {str(spec.number): spec for spec in specs}
    results = {}
    for backend in BACKENDS:
        if not _available(backend):
            print(f"[extraction] {backend} nicht installiert, übersprungen", file=sys.stderr)
            continue
        print(f"[extraction] {backend}", file=sys.stderr, flush=True)
        results[backend] = measure(backend, files, work)
    split = {spec.number: hyphenated_words(spec) for spec in specs if spec.chars}
    for backend, result in results.items():
        totals: dict[str, list[int]] = {}
        for stem, pages in result.pop("texts").items():
            spec = by_number[stem]
            if not spec.chars:
                continue
            from ratsinfo.demo.archive import source_text
            digital, _ = source_text(spec)
            text = "\n".join(pages[:len(pages) - spec.scanned_pages])
            for key, (found, total) in fidelity(digital, text, split[spec.number]).items():
                sums = totals.setdefault(key, [0, 0])
                sums[0] += found
                sums[1] += total
        result["fidelity"] = {key: found / total if total else 1.0 for key, (found, total) in totals.items()}
    args.results.write_text(report(args.papers, volume, results), encoding="utf-8")
    print(f"[extraction] geschrieben: {args.results}", file=sys.stderr)


def report(papers: int, volume: dict, results: dict) -> str:
    versions = _versions()
    lines = [
        "# PDF text extraction on the realistic archive",
        "",
        "Written by `python -m benchmarks.extraction --papers "
        f"{papers}` (benchmarks/extraction.py), run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
        f"{platform.processor() or platform.machine()}, {platform.platform()}; {versions}.",
        "",
        f"Corpus: the realistic archive of a city of {papers:,} papers (ratsinfo/demo/archive.py, benchmarks/README.md): "
        f"{volume['files']:,} PDFs, {volume['bytes'] / 1e6:.1f} MB, {volume['chars']:,} characters generated, "
        f"{volume['scanned_pages']:,} scanned pages in {volume['files_with_scans']:,} files.",
        "",
        "Each backend reads every file one after the other in one child process on one core "
        "(pdftotext: one process per file, started from that child). *pages/s* = pages per wall second; "
        "*peak RSS* of the child, for pdftotext the largest of its processes. Fidelity compares the words of "
        "the born-digital pages with the words the PDFs were made from: *words* all words, *umlauts* the words "
        "with ä, ö, ü or ß, *hyphenated* the words split at a line end (\"Verwal-\" / \"tung\"), once as "
        "extracted and once after joining a line that ends in a hyphen with a next line that begins in lower case "
        "(and taking out pdfium's U+FFFE marks).",
        "",
        "| backend | pages | wall | pages/s | CPU | peak RSS | words | umlauts | hyphenated (as extracted) | hyphenated (joined) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for backend, r in results.items():
        rss = max(r["rss_kb"], r["children_rss_kb"]) if backend == "pdftotext" else r["rss_kb"]
        f = r["fidelity"]
        lines.append(
            f"| {backend} | {r['pages']:,} | {r['seconds']:.1f} s | **{r['pages'] / r['seconds']:,.0f}** | "
            f"{r['cpu']:.1f} s | {rss / 1024:.0f} MB | {f['words']:.2%} | {f['umlauts']:.2%} | "
            f"{f['hyphenated_raw']:.2%} | {f['hyphenated_joined']:.2%} |")
    return "\n".join(lines) + "\n" + DECISION


def _available(backend: str) -> bool:
    import importlib.util
    import shutil

    return bool(shutil.which("pdftotext")) if backend == "pdftotext" else importlib.util.find_spec(backend) is not None


def _versions() -> str:
    parts = [f"Python {platform.python_version()}"]
    from importlib.metadata import PackageNotFoundError, version

    for module in ("pypdf", "pypdfium2"):
        try:
            parts.append(f"{module} {version(module)}")
        except PackageNotFoundError:
            parts.append(f"{module} not installed")
    try:
        done = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
        parts.append(done.stderr.splitlines()[0])
    except OSError:
        pass
    return ", ".join(parts)


if __name__ == "__main__":
    main()
