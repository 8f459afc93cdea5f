"""The full build with search of a city-size archive, and where its time and memory go (issue 19).

    python -m benchmarks.city_build --papers 14000      (make bench-city)

A city of 14,000 papers with the realistic archive's text (`archive="realistic-text"`,
ratsinfo/demo/archive.py: ~2.7 files per paper, ~9,000 characters per file with scans) is
imported over loopback HTTP and built as `ratsinfo build` builds it. Measured, each in a child
process of its own (wall, CPU, peak RSS by GNU time):

1. the import;
2. the full build with search as one `build_site` (what the targets of issue 19 are about), once
   with each set of levers (LEVERS), interleaved, in fresh outputs; the plugins' log lines with
   their times say when rendering, open data and the index were done;
3. Pagefind on each bundle of that output alone, as plugins/search runs it, one after the other;
4. one change re-published with search: a meeting renamed, then a paper added, each followed by
   `ratsinfo build` into the same output/ (the changed pages go to the delta index);
5. Hugo+Pagefind and Pelican+Pagefind on the same number of pages (anchors.py);
6. the realistic archive's import with its PDFs (`--pdf-papers N`): files fetched over loopback,
   text read by pdftotext, scans OCR'd by Tesseract, with a cold text cache, then an import that
   changes nothing. At N papers, not the city's: OCR of a city's scans takes hours;
7. memory as the archive grows: import and full build with search at `--flat N` and 2N papers.

The full builds also sample the memory of all their processes together (measure.TreeSampler).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import anchors, portal
from benchmarks.measure import PYTHON, Measured, machine_info, run_measured
from benchmarks.run import ARCHIVE_CACHE, Step, change_steps, forget_build_cache, log
from importers.state import ENV as STATE_DIR_ENV
from ratsinfo import PROJECT_ROOT
from ratsinfo.demo import BASE_URL, write_demo

ARCHIVE = "realistic-text"
# The full build with search, once per set of levers; "before" is the search plugin as it was
# (bundles of up to 12,000 pages, by pages only, one Pagefind run at a time).
LEVERS = {
    "before": {"SEARCH_BUNDLE_CHARS": 0, "SEARCH_JOBS": 1},
    "after": {},
}

DEFAULT_PDF_PAPERS = 300

# The import alone in the measured child: the loopback dump server runs in the bench's own process
# (import_measured), as a council's server is no part of the import's memory (issue 19).
IMPORT_CHILD = """
import dataclasses, json, sys
from pathlib import Path
from benchmarks import portal


class Server:  # the dump server runs in the measuring process, which counts its requests
    url, requests = sys.argv[1], ()


imported = portal.import_over_http(Server, Path(sys.argv[2]), int(sys.argv[3]), mirror_files=sys.argv[4] == "1")
print(json.dumps(dataclasses.asdict(imported)), flush=True)
"""


@dataclass
class BundleRun:
    name: str
    pages: int
    html_bytes: int
    measured: Measured


@dataclass
class FlatPoint:
    papers: int
    chars: int
    imported: Measured
    built: portal.BuildRun


@dataclass
class PdfImport:
    """The realistic archive with its PDFs (archive="realistic"), imported twice in child processes."""
    papers: int
    counts: dict
    volume: dict              # ratsinfo/demo/archive.py: files, bytes, chars, scanned pages
    generate_seconds: float
    first: Measured           # cold text cache: every PDF fetched and read, every scan OCR'd
    first_run: portal.ImportRun
    again: Measured           # nothing changed at the source
    again_run: portal.ImportRun
    backend: str = ""         # importers/pdftext.backend(): pdftotext where poppler-utils is installed
    ocr: bool = False         # Tesseract with German at hand (importers/files.ocr_on)


@dataclass
class CityRun:
    papers: int
    machine: dict
    counts: dict = field(default_factory=dict)
    volume: dict = field(default_factory=dict)
    generate_seconds: float = 0.0
    imported: Measured | None = None
    site: portal.SiteSize | None = None
    bundles: list[BundleRun] = field(default_factory=list)
    full: dict[str, portal.BuildRun] = field(default_factory=dict)   # by lever set
    index: dict[str, dict] = field(default_factory=dict)
    anchors: list[anchors.AnchorRun] = field(default_factory=list)
    flat: list[FlatPoint] = field(default_factory=list)
    # None in runs saved before they were measured (a default_factory has no class attribute to fall back on).
    changes: list[Step] | None = None   # one meeting renamed, one paper added: `ratsinfo build` after each
    pdf: PdfImport | None = None
    notes: list[str] = field(default_factory=list)
    total_seconds: float = 0.0

    @property
    def section(self) -> str:
        return f"{self.papers}-city-build"


def generate(dump: Path, papers: int) -> tuple[dict, dict, float]:
    started = time.monotonic()
    counts = write_demo(dump, papers=papers, archive=ARCHIVE)
    volume = counts.pop("archive", {})
    return counts, volume, time.monotonic() - started


def import_measured(dump: Path, content: Path, objects: int = 0, mirror_files: bool = False,
                    env: dict | None = None, tree: bool = False, port: int = 0) -> tuple[Measured, portal.ImportRun]:
    """An import over loopback HTTP in a child process (portal.import_over_http); its dump server runs
    here, at `port` (0: a free one), so that the child's memory is the import's alone."""
    from tests.support.oparl_server import DumpServer

    forget_build_cache(content)
    with DumpServer(dump, BASE_URL, port=port) as server:
        measured = run_measured([PYTHON, "-c", IMPORT_CHILD, server.url, str(content), str(objects),
                                 "1" if mirror_files else "0"], cwd=PROJECT_ROOT, env=env, tree=tree)
        requests = len(server.requests)
    imported = portal.ImportRun(**json.loads(measured.stdout.strip().splitlines()[-1]))
    imported.requests = requests
    return measured, imported


def bundles_measured(output: Path, language: str = "de") -> list[BundleRun]:
    """Pagefind on each bundle of a finished output/, one after the other, as plugins/search runs it."""
    from plugins.search.pagefind import pagefind_command
    from ratsinfo.contracts import SEARCH_SHARDS

    shards = json.loads((output / SEARCH_SHARDS).read_text(encoding="utf-8"))
    runs = []
    for name, shard in sorted(shards.items()):
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".bench-bundle-") as tmp:
            size = 0
            for path in shard["pages"]:
                link = Path(tmp) / path
                link.parent.mkdir(parents=True, exist_ok=True)
                os.link(output / path, link)
                size += link.stat().st_size
            target = Path(tmp) / "_index"
            measured = run_measured(pagefind_command(tmp, language, str(target)))
        runs.append(BundleRun(name or "(one index)", len(shard["pages"]), size, measured))
    return runs


def full_build(content: Path, output: Path, settings: dict) -> portal.BuildRun:
    """`ratsinfo build` into an empty output/, parse cache cold."""
    shutil.rmtree(output, ignore_errors=True)
    forget_build_cache(content)
    return portal.build(content, output, pagefind=True, settings=settings, tree=True)


def measure_city(run: CityRun, work: Path, rounds: int, levers: list[str]):
    dump, content, output = work / "dump", work / "content", work / "output"
    log(f"Stadt mit {run.papers} Vorlagen und realistischem Dokumenttext erzeugen")
    run.counts, run.volume, run.generate_seconds = generate(dump, run.papers)
    log("Import über HTTP (Loopback)")
    run.imported, _ = import_measured(dump, content)
    shutil.rmtree(dump, ignore_errors=True)
    for _ in range(rounds):  # interleaved: a machine that gets busier slows each set alike
        for name in levers:
            settings = LEVERS[name]
            log(f"Vollständiger Build mit Suche ({name})")
            built = full_build(content, output, settings)
            if name not in run.full or built.measured.wall < run.full[name].measured.wall:
                run.full[name] = built
                run.index[name] = portal.index_size(output)
    run.site = portal.site_size(output)
    log("Pagefind je Teilindex")
    run.bundles = bundles_measured(output)
    if levers[-1] == "after":  # a change after a full build with the defaults, as a webmaster's site has it
        run.changes = change_steps(content, output)


def measure_anchors(run: CityRun, work: Path, most_pages: int):
    """Pagefind on one anchor site is one index: ~180 KB per page (research/pelican.md §3.3.4), so
    above `most_pages` the anchors are measured at that many pages."""
    n = min(run.site.html, most_pages)
    log(f"Anker: Hugo + Pagefind mit {n} Seiten")
    run.anchors.append(anchors.with_pagefind(anchors.hugo, n, work / "anchors"))
    log(f"Anker: Pelican + Pagefind mit {n} Seiten")
    run.anchors.append(anchors.with_pagefind(anchors.pelican, n, work / "anchors"))
    shutil.rmtree(work / "anchors", ignore_errors=True)


def measure_pdf_import(work: Path, papers: int) -> PdfImport:
    """The realistic archive's import with its PDFs, as run.py measures it with --archive realistic,
    here in child processes for their peak memory, with a text cache of this run only
    (importers/state.py), so that every PDF is read and every scan OCR'd."""
    from importers import pdftext
    from importers.files import ocr_on

    folder = work / f"pdf-{papers}"
    dump, content = folder / "dump", folder / "content"
    log(f"Realistisches Archiv mit PDF-Dateien: {papers} Vorlagen erzeugen")
    started = time.monotonic()
    counts = write_demo(dump, papers=papers, archive="realistic", cache=ARCHIVE_CACHE)
    volume = counts.pop("archive", {})
    generated = time.monotonic() - started
    objects = sum(counts.values())
    env = {**os.environ, STATE_DIR_ENV: str(folder / "state")}
    # The same address both times: a source at another port is another source, imported in full.
    port = free_port()
    log("Import mit Dokumenten: Text auslesen, Scans mit OCR (kalter Textcache)")
    first, first_run = import_measured(dump, content, objects, mirror_files=True, env=env, tree=True, port=port)
    log("Import mit Dokumenten ohne Änderungen an der Quelle")
    again, again_run = import_measured(dump, content, objects, mirror_files=True, env=env, tree=True, port=port)
    forget_build_cache(content)
    shutil.rmtree(folder, ignore_errors=True)
    return PdfImport(papers, counts, volume, generated, first, first_run, again, again_run, pdftext.backend(),
                     ocr_on())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure_flat(run: CityRun, work: Path, papers: int):
    """Import and full build with search at `papers` and 2 × `papers`: peak RSS must stay flat."""
    for size in (papers, 2 * papers):
        folder = work / f"flat-{size}"
        log(f"Speicher: Stadt mit {size} Vorlagen")
        _, volume, _ = generate(folder / "dump", size)
        imported, _ = import_measured(folder / "dump", folder / "content")
        built = full_build(folder / "content", folder / "output", {})
        run.flat.append(FlatPoint(size, volume.get("chars", 0), imported, built))
        forget_build_cache(folder / "content")
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None):
    from benchmarks.city_report import write

    parser = argparse.ArgumentParser(description="Vollständiger Build mit Suche einer Stadt mit echtem Dokumenttext")
    parser.add_argument("--papers", type=int, default=14_000, help="Vorlagen der Stadt (Standard 14000)")
    parser.add_argument("--rounds", type=int, default=1, help="Runden je Hebel-Satz (abwechselnd)")
    parser.add_argument("--flat", type=int, default=0, metavar="N",
                        help="Speicher bei N und 2N Vorlagen messen (0: nicht)")
    parser.add_argument("--levers", nargs="+", choices=sorted(LEVERS), default=list(LEVERS),
                        help="welche Einstellungs-Sätze (Standard: alle, abwechselnd)")
    parser.add_argument("--anchor-pages", type=int, default=10_000,
                        help="Anker höchstens so viele Seiten (Pagefind braucht ohne Teilung ~180 KB je Seite, "
                        "Pelican wächst etwa quadratisch)")
    parser.add_argument("--no-anchors", action="store_true", help="Hugo und Pelican auslassen")
    parser.add_argument("--pdf-papers", type=int, default=DEFAULT_PDF_PAPERS, metavar="N",
                        help="Import des realistischen Archivs mit PDF-Dateien, Textauslesen und OCR bei N Vorlagen "
                        f"(Standard {DEFAULT_PDF_PAPERS}; OCR einer ganzen Stadt dauert Stunden; 0: nicht)")
    parser.add_argument("--no-city", action="store_true",
                        help="die Stadt selbst auslassen: nur --pdf-papers und die Speichermessung (--flat)")
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "build" / "bench")
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--write-only", type=Path, metavar="PICKLE")
    args = parser.parse_args(argv)
    if args.write_only:
        import __main__  # a run saved by an earlier version holds its classes as __main__'s
        for name in ("CityRun", "BundleRun", "FlatPoint", "PdfImport"):
            setattr(__main__, name, globals()[name])
        write(args.results, pickle.loads(args.write_only.read_bytes()))
        return
    started = time.monotonic()
    run = CityRun(args.papers, machine_info())
    work = args.work / f"city-{args.papers}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    saved = args.work / f"city-{args.papers}.pickle"
    try:
        if not args.no_city:
            measure_city(run, work, args.rounds, args.levers)
            saved.write_bytes(pickle.dumps(run))
            if not args.no_anchors:
                measure_anchors(run, work, args.anchor_pages)
        if args.pdf_papers:
            run.pdf = measure_pdf_import(work, args.pdf_papers)
        if args.flat:
            measure_flat(run, work, args.flat)
    finally:
        forget_build_cache(work / "content")
        shutil.rmtree(work, ignore_errors=True)
    run.total_seconds = time.monotonic() - started
    run.notes.append("Load average (1/5/15 min) at the end: " + " / ".join(f"{x:.2f}" for x in os.getloadavg()))
    saved.write_bytes(pickle.dumps(run))
    write(args.results, run)
    log(f"Fertig in {run.total_seconds / 60:.1f} min, geschrieben: {args.results}")


if __name__ == "__main__":
    # Through the module's own name, so the saved run's classes load in --write-only.
    from benchmarks import city_build

    city_build.main()
