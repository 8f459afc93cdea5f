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
5. Hugo+Pagefind and Pelican+Pagefind on the same number of pages (anchors.py);
6. memory as the archive grows: import and full build with search at `--flat N` and 2N papers.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import anchors, portal
from benchmarks.measure import PYTHON, Measured, machine_info, run_measured
from benchmarks.run import forget_build_cache, log
from ratsinfo import PROJECT_ROOT
from ratsinfo.demo import BASE_URL, write_demo

ARCHIVE = "realistic-text"
# The full build with search, once per set of levers; "before" is the search plugin as it was
# (bundles of up to 12,000 pages, by pages only, one Pagefind run at a time).
LEVERS = {
    "before": {"SEARCH_BUNDLE_CHARS": 0, "SEARCH_JOBS": 1},
    "after": {},
}

# The import alone in the measured child: the loopback dump server runs in the bench's own process
# (import_measured), as a council's server is no part of the import's memory (issue 19).
IMPORT_CHILD = """
import json, sys, time
from pathlib import Path
from importers.oparl import import_oparl
started = time.monotonic()
report = import_oparl(sys.argv[1], Path(sys.argv[2]), show_progress=False, mirror_files=False)
print(json.dumps({"seconds": time.monotonic() - started}), flush=True)
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


def import_measured(dump: Path, content: Path) -> Measured:
    from tests.support.oparl_server import DumpServer

    forget_build_cache(content)
    with DumpServer(dump, BASE_URL) as server:
        return run_measured([PYTHON, "-c", IMPORT_CHILD, server.url + "system", str(content)], cwd=PROJECT_ROOT)


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
    return portal.build(content, output, pagefind=True, settings=settings)


def measure_city(run: CityRun, work: Path, rounds: int, levers: list[str]):
    dump, content, output = work / "dump", work / "content", work / "output"
    log(f"Stadt mit {run.papers} Vorlagen und realistischem Dokumenttext erzeugen")
    run.counts, run.volume, run.generate_seconds = generate(dump, run.papers)
    log("Import über HTTP (Loopback)")
    run.imported = import_measured(dump, content)
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


def measure_anchors(run: CityRun, work: Path, most_pages: int):
    """Pagefind on one anchor site is one index: ~180 KB per page (research/pelican.md §3.3.4), so
    above `most_pages` the anchors are measured at that many pages."""
    n = min(run.site.html, most_pages)
    log(f"Anker: Hugo + Pagefind mit {n} Seiten")
    run.anchors.append(anchors.with_pagefind(anchors.hugo, n, work / "anchors"))
    log(f"Anker: Pelican + Pagefind mit {n} Seiten")
    run.anchors.append(anchors.with_pagefind(anchors.pelican, n, work / "anchors"))
    shutil.rmtree(work / "anchors", ignore_errors=True)


def measure_flat(run: CityRun, work: Path, papers: int):
    """Import and full build with search at `papers` and 2 × `papers`: peak RSS must stay flat."""
    for size in (papers, 2 * papers):
        folder = work / f"flat-{size}"
        log(f"Speicher: Stadt mit {size} Vorlagen")
        _, volume, _ = generate(folder / "dump", size)
        imported = import_measured(folder / "dump", folder / "content")
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
    parser.add_argument("--no-city", action="store_true", help="nur die Speichermessung (--flat)")
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "build" / "bench")
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--write-only", type=Path, metavar="PICKLE")
    args = parser.parse_args(argv)
    if args.write_only:
        import __main__  # a run saved by an earlier version holds its classes as __main__'s
        for name in ("CityRun", "BundleRun", "FlatPoint"):
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
