"""One benchmark run: synthetic city → import over HTTP → builds → anchors → search bytes → RESULTS.md.

    python -m benchmarks.run --papers 2000            (make bench)
    python -m benchmarks.run --papers 60000           (make bench SCALE=60000, the big city)

Every number in the written section comes from this one run on this machine;
ratios are computed from numbers of the same run. The section for a scale
replaces the previous section for the same scale in RESULTS.md, sections for
other scales stay.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import anchors, portal, search_bytes
from benchmarks.measure import Changes, Measured, compare, machine_info, mtimes
from benchmarks.report import write_open_data_part, write_section
from ratsinfo import PROJECT_ROOT
from ratsinfo.demo import BASE_URL, write_demo
from ratsinfo.demo.city import scaled_counts

DEFAULT_QUERY = "Spielplatz"
# The realistic archive's PDFs, kept by the hash of what they show (ratsinfo/demo/archive.py).
ARCHIVE_CACHE = PROJECT_ROOT / "build" / "archive-cache"
DEFAULT_PAPERS = 2000
DEFAULT_SEARCH_SCALE = 10_000
BUDGET_MINUTES = 15
# One Pagefind index needs about 150 KB per page; above this, the comparison would crowd the machine.
SINGLE_INDEX_MAX_PAGES = 60_000


@dataclass
class Step:
    name: str
    build: portal.BuildRun
    changes: Changes
    import_run: portal.ImportRun | None = None


@dataclass
class SearchSite:
    name: str
    papers: int | None
    pages: int
    render: portal.BuildRun | None
    pagefind: Measured | None        # the search plugin run on the finished output
    index: dict
    download: search_bytes.SearchDownload | None = None
    meeting_step: Step | None = None  # one renamed meeting, built with its index: a second size for the targets
    single_index: SearchSite | None = None  # the same city with one unsplit index, when it was split
    note: str = ""
    seconds: float = 0.0


@dataclass
class OpenDataCost:
    """The same full build (no Pagefind, PUBLIC_URL set) without the API and the dumps, with the
    dumps only, with both, in ROUNDS interleaved rounds (the fastest of each is reported); the
    bytes of oparl/ and daten/; then one renamed meeting built into each output."""
    plain: portal.BuildRun
    dumps: portal.BuildRun
    both: portal.BuildRun
    api_bytes: int
    dump_bytes: dict[str, int]
    api_files: int = 0
    rounds: int = 1
    changed: dict[str, portal.BuildRun] = field(default_factory=dict)  # after one renamed meeting
    changed_files: dict[str, int] = field(default_factory=dict)        # files written in oparl/, daten/
    meeting: str = ""
    # The build a webmaster runs (`ratsinfo build`: Pagefind on), without and with API and dumps:
    # "plain", "both" from nothing, "plain-changed", "both-changed" after one renamed meeting.
    webmaster: dict[str, portal.BuildRun] = field(default_factory=dict)
    webmaster_rounds: int = 0
    machine: dict = field(default_factory=dict)  # when measured apart from the rest (--only opendata)


@dataclass
class BenchRun:
    papers: int
    machine: dict
    counts: dict = field(default_factory=dict)
    generate_seconds: float = 0.0
    dump_bytes: int = 0
    first_import: portal.ImportRun | None = None
    full: portal.BuildRun | None = None
    site: portal.SiteSize | None = None
    pagefind: Measured | None = None
    index: dict = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    profiles: dict[str, tuple[str, str]] = field(default_factory=dict)
    anchors: list[anchors.AnchorRun] = field(default_factory=list)
    search: list[SearchSite] = field(default_factory=list)
    open_data: OpenDataCost | None = None
    archive: str = "text"  # "realistic": PDFs shaped like a council's (ratsinfo/demo/archive.py)
    archive_volume: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    total_seconds: float = 0.0


def forget_build_cache(content: Path):
    """Drop the build's parse cache for this content/ (kept in ~/.cache by plugins/council), so
    that a full build is cold even when an earlier run used the same work folder."""
    try:
        from plugins.council.reuse.cache import cache_folder
    except ImportError:  # a build without such a cache
        return
    shutil.rmtree(cache_folder(content), ignore_errors=True)


def log(message: str):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure_city(run: BenchRun, work: Path, profile: bool):
    from tests.support.oparl_server import DumpServer

    dump, content, output = work / "dump", work / "content", work / "output"
    forget_build_cache(content)
    log(f"Synthetische Stadt mit {run.papers} Vorlagen erzeugen")
    started = time.monotonic()
    realistic = run.archive == "realistic"
    run.counts = write_demo(dump, papers=run.papers, archive=run.archive, cache=ARCHIVE_CACHE)
    run.archive_volume = run.counts.pop("archive", {})
    run.generate_seconds = time.monotonic() - started
    run.dump_bytes = sum(p.stat().st_size for p in dump.rglob("*.json"))
    objects = sum(run.counts.values())
    if realistic:  # a cold text cache: every PDF is read (and OCR'd) in the first import
        os.environ["RATSINFO_STATE_DIR"] = str(work / "state")
    with DumpServer(dump, BASE_URL) as server:
        log("Import über HTTP (Loopback)" + (" mit Dokumenten und Textauslesen" if realistic else ""))
        run.first_import = portal.import_over_http(server, content, objects, mirror_files=realistic)
        log("Vollständiger Build (Rendern + Schreiben, ohne Pagefind)")
        run.full = portal.build(content, output)
        run.site = portal.site_size(output)
        log("Offene Daten: Build ohne API und Dumps, mit Dumps, mit beiden")
        run.open_data = measure_open_data(content, work)
        log("Offene Daten: ratsinfo build mit Pagefind, ohne und mit API und Dumps")
        measure_open_data_webmaster(run.open_data, content, work)
        log("Pagefind")
        run.pagefind = portal.pagefind(output)
        run.index = portal.index_size(output)

        log("Inkrementell: Import ohne Änderungen, dann Build")
        before = mtimes(output)
        noop = portal.import_over_http(server, content, objects, mirror_files=realistic)
        run.steps.append(build_step("no-op import (nothing changed at the source), then build", content, output, before,
                                    noop))
    run.steps += change_steps(content, output)
    if profile:
        log("Profil eines kalten Builds (cProfile)")
        run.profiles["cold build: empty output/, no parse cache"] = portal.profile_build(
            content, work / "output-profile", portal.COLD_PROFILE)
        shutil.rmtree(work / "output-profile", ignore_errors=True)
        log("Profil eines Builds nach einer geänderten Sitzung (cProfile)")
        meeting = portal.change_meeting(content, nth=3)
        run.profiles[f"incremental build after one renamed meeting (meetings/{meeting}.md), pages only"] = \
            portal.profile_build(content, output, portal.INCREMENTAL_PROFILE)


OPEN_DATA_ROUNDS = 2


def measure_open_data(content: Path, work: Path, rounds: int = OPEN_DATA_ROUNDS) -> OpenDataCost:
    """All three with the same PUBLIC_URL, so that feeds and sitemap are in each (without it there
    would be no API, but no feeds either); the dumps alone are the build without plugins.oparlapi."""
    from pelicanconf import PLUGINS
    from ratsinfo.demo.oparl import WEB_URL

    configs = {"plain": [p for p in PLUGINS if p not in ("plugins.oparlapi", "plugins.opendata")],
               "dumps": [p for p in PLUGINS if p != "plugins.oparlapi"], "both": list(PLUGINS)}
    runs: dict[str, portal.BuildRun] = {}
    for _ in range(rounds):  # interleaved: a machine that gets busier slows all three alike
        for name, plugins in configs.items():
            output = work / f"output-{name}"
            shutil.rmtree(output, ignore_errors=True)
            built = portal.build(content, output, settings={"PUBLIC_URL": WEB_URL, "PLUGINS": plugins})
            if name not in runs or built.measured.wall < runs[name].measured.wall:
                runs[name] = built
    output = work / "output-both"
    api_files = [p for p in (output / "oparl").rglob("*") if p.is_file()]
    cost = OpenDataCost(runs["plain"], runs["dumps"], runs["both"], sum(p.stat().st_size for p in api_files),
                        {p.name: p.stat().st_size for p in sorted((output / "daten").iterdir())},
                        api_files=len(api_files), rounds=rounds)
    # One renamed meeting, built into each of the three outputs (the content file is put back after).
    meeting_file = sorted((content / "meetings").glob("*.md"))[len(list((content / "meetings").glob("*.md"))) // 3]
    original = meeting_file.read_bytes()
    cost.meeting = portal.change_meeting_file(meeting_file)
    try:
        for name, plugins in configs.items():
            output = work / f"output-{name}"
            before = mtimes(output)
            cost.changed[name] = portal.build(content, output, settings={"PUBLIC_URL": WEB_URL, "PLUGINS": plugins})
            after = mtimes(output)
            if name == "both":
                for folder in ("oparl", "daten"):
                    cost.changed_files[folder] = sum(1 for path, mtime in after.items()
                                                     if path.startswith(folder + os.sep) and before.get(path) != mtime)
    finally:
        meeting_file.write_bytes(original)
    for name in configs:
        shutil.rmtree(work / f"output-{name}", ignore_errors=True)
    return cost


OPEN_DATA_WEBMASTER_ROUNDS = 1


def measure_open_data_webmaster(cost: OpenDataCost, content: Path, work: Path,
                                rounds: int = OPEN_DATA_WEBMASTER_ROUNDS):
    """What the API and the dumps add to the build a webmaster runs (`ratsinfo build`: pages and
    Pagefind, PUBLIC_URL set): without and with both, from nothing, then after one renamed meeting."""
    from pelicanconf import PLUGINS
    from ratsinfo.demo.oparl import WEB_URL

    configs = {"plain": [p for p in PLUGINS if p not in ("plugins.oparlapi", "plugins.opendata")],
               "both": list(PLUGINS)}
    for _ in range(rounds):  # interleaved, the fastest of each counts
        for name, plugins in configs.items():
            output = work / f"output-web-{name}"
            shutil.rmtree(output, ignore_errors=True)
            built = portal.build(content, output, pagefind=True, settings={"PUBLIC_URL": WEB_URL, "PLUGINS": plugins})
            if name not in cost.webmaster or built.measured.wall < cost.webmaster[name].measured.wall:
                cost.webmaster[name] = built
    meetings = sorted((content / "meetings").glob("*.md"))
    meeting_file = meetings[len(meetings) // 3]
    original = meeting_file.read_bytes()
    portal.change_meeting_file(meeting_file)
    try:
        for name, plugins in configs.items():
            cost.webmaster[f"{name}-changed"] = portal.build(
                content, work / f"output-web-{name}", pagefind=True, settings={"PUBLIC_URL": WEB_URL, "PLUGINS": plugins})
    finally:
        meeting_file.write_bytes(original)
    cost.webmaster_rounds = rounds
    for name in configs:
        shutil.rmtree(work / f"output-web-{name}", ignore_errors=True)


def measure_open_data_only(papers: int, work: Path) -> OpenDataCost:
    """`--only opendata`: the synthetic city, imported over HTTP, and nothing but the open-data
    measurements (for RESULTS.md's open-data part of the section of this scale)."""
    from tests.support.oparl_server import DumpServer

    dump, content = work / "dump", work / "content"
    forget_build_cache(content)
    log(f"Synthetische Stadt mit {papers} Vorlagen erzeugen")
    write_demo(dump, papers=papers)
    with DumpServer(dump, BASE_URL) as server:
        log("Import über HTTP (Loopback)")
        portal.import_over_http(server, content, 0)
    machine = machine_info()
    log("Offene Daten: Build ohne API und Dumps, mit Dumps, mit beiden")
    cost = measure_open_data(content, work)
    log("Offene Daten: ratsinfo build mit Pagefind, ohne und mit API und Dumps")
    measure_open_data_webmaster(cost, content, work)
    machine["load_end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    cost.machine = machine
    return cost


def change_steps(content: Path, output: Path) -> list[Step]:
    """One meeting renamed, then one paper added, each followed by `ratsinfo build` into output/."""
    log("Inkrementell: eine Sitzung geändert")
    meeting = portal.change_meeting(content)
    steps = [build_step(f"one meeting renamed (meetings/{meeting}.md)", content, output, mtimes(output))]
    log("Inkrementell: eine Vorlage hinzugefügt")
    paper = portal.add_paper(content)
    steps.append(build_step(f"one paper added (papers/{paper}.md)", content, output, mtimes(output)))
    return steps


def build_step(name: str, content: Path, output: Path, before: dict, import_run=None) -> Step:
    """What a webmaster runs after a change: `ratsinfo build`, with the search index."""
    built = portal.build(content, output, pagefind=True)
    return Step(name, built, compare(before, mtimes(output)), import_run)


def measure_anchors(run: BenchRun, work: Path):
    n = run.site.html
    log(f"Anker: Pelican mit {n} Markdown-Artikeln")
    run.anchors.append(anchors.pelican(n, work / "anchors"))
    log(f"Anker: Hugo mit {n} Markdown-Artikeln")
    run.anchors.append(anchors.hugo(n, work / "anchors"))
    shutil.rmtree(work / "anchors", ignore_errors=True)


def measure_search(run: BenchRun, work: Path, search_scale: int | None, query: str):
    unavailable = search_bytes.available()
    log("Suche: Demo-Rat")
    run.search.append(_demo_site(work / "demo", None if unavailable else query))
    if search_scale:
        log(f"Suche: synthetische Stadt mit {search_scale} Vorlagen")
        run.search.append(_synthetic_search_site(work / f"search-{search_scale}", search_scale,
                                                 None if unavailable else query))
    if unavailable:
        run.notes.append(f"Browsermessung übersprungen: {unavailable}")


def _demo_site(folder: Path, query: str | None) -> SearchSite:
    from importers.oparl import import_oparl

    shutil.rmtree(folder, ignore_errors=True)
    forget_build_cache(folder / "content")
    write_demo(folder / "dump")
    import_oparl(str(folder / "dump"), folder / "content", show_progress=False)
    return _index_and_search("demo council Muldenau", None, folder, query)


def _synthetic_search_site(folder: Path, papers: int, query: str | None) -> SearchSite:
    from importers.oparl import import_oparl

    started = time.monotonic()
    shutil.rmtree(folder, ignore_errors=True)
    forget_build_cache(folder / "content")
    write_demo(folder / "dump", papers=papers)
    import_oparl(str(folder / "dump"), folder / "content", show_progress=False, mirror_files=False)
    site = _index_and_search(f"synthetic city, {papers:,} papers", papers, folder, query)
    if site.index["bundles"] > 1 and site.pages > SINGLE_INDEX_MAX_PAGES:
        site.note = (f"no one-index comparison above {SINGLE_INDEX_MAX_PAGES:,} pages: Pagefind would need about "
                     f"{site.pages * 150e3 / 1e9:.0f} GB (research/pelican.md §3.3.4)")
    elif site.index["bundles"] > 1:
        # The plugin split the index; what would one index cost, and what would a search download?
        log("Suche: dieselbe Stadt mit einem ungeteilten Index")
        site.single_index = _index_and_search(f"synthetic city, {papers:,} papers, one index", papers, folder, query,
                                              output_name="output-one-index", settings={"SEARCH_SHARD_PAGES": 10**9})
        shutil.rmtree(folder / "output-one-index", ignore_errors=True)
    log(f"Suche: eine Sitzung der Stadt mit {papers} Vorlagen geändert")
    meeting = portal.change_meeting(folder / "content")
    output = folder / "output"
    site.meeting_step = build_step(f"one meeting renamed (meetings/{meeting}.md), search city of {site.pages:,} pages",
                                   folder / "content", output, mtimes(output))
    site.seconds = time.monotonic() - started
    return site


def _index_and_search(name: str, papers: int | None, folder: Path, query: str | None,
                      output_name: str = "output", settings: dict | None = None) -> SearchSite:
    output = folder / output_name
    render = portal.build(folder / "content", output, settings=settings, search_page=True)
    pagefind = portal.pagefind(output)
    site = SearchSite(name, papers, render.pages, render, pagefind, portal.index_size(output))
    if query:
        site.download = search_bytes.first_search(output, query)
    return site


def main(argv=None):
    parser = argparse.ArgumentParser(description="ratsinfo-Benchmark: ein Lauf, Ergebnisse nach RESULTS.md")
    parser.add_argument("--papers", type=int, default=DEFAULT_PAPERS, help="Größe der synthetischen Stadt (Vorlagen)")
    parser.add_argument("--search-scale", type=int, default=DEFAULT_SEARCH_SCALE,
                        help="Vorlagen der Stadt für die Messung der Suche im Browser (Standard 10000)")
    parser.add_argument("--no-search-scale", action="store_true", help="die große Such-Stadt auslassen")
    parser.add_argument("--no-profile", action="store_true", help="kein cProfile-Lauf")
    parser.add_argument("--no-anchors", action="store_true",
                        help="Pelican und Hugo auslassen (bei SCALE=60000 bräuchte Pelican Stunden)")
    parser.add_argument("--archive", choices=("text", "realistic", "realistic-text"), default="text",
                        help="Dokumente der Stadt: kurzer Text im OParl-File (Standard), echte PDF-Dateien "
                        "wie im Ratsarchiv, mit Scans, oder deren Text im OParl-File (benchmarks/README.md)")
    parser.add_argument("--query", default=DEFAULT_QUERY, help="Suchwort für die Browsermessung")
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "build" / "bench", help="Arbeitsordner")
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="Arbeitsordner danach behalten")
    parser.add_argument("--only", choices=("opendata",),
                        help="nur die Messung der Offenen Daten (API und Dumps, ohne und mit Pagefind); ersetzt "
                        "nur ihren Teil im Abschnitt dieser Größe in RESULTS.md")
    parser.add_argument("--write-only", type=Path, metavar="PICKLE",
                        help="nur den Abschnitt aus einem gespeicherten Lauf (build/bench/run-N.pickle) neu schreiben, "
                        "oder seinen Teil Offene Daten (build/bench/opendata-N.pickle)")
    args = parser.parse_args(argv)
    if args.write_only:
        saved = pickle.loads(args.write_only.read_bytes())
        if isinstance(saved, OpenDataCost):  # from --only opendata (build/bench/opendata-N.pickle)
            write_open_data_part(args.results, args.papers, saved)
        else:
            write_section(args.results, saved)
        return

    if args.only == "opendata":
        work = args.work / f"opendata-{args.papers}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        try:
            cost = measure_open_data_only(args.papers, work)
        finally:
            if not args.keep:
                forget_build_cache(work / "content")
                shutil.rmtree(work, ignore_errors=True)
        (args.work / f"opendata-{args.papers}.pickle").write_bytes(pickle.dumps(cost))
        write_open_data_part(args.results, args.papers, cost)
        log(f"Fertig, geschrieben: {args.results}")
        return

    started = time.monotonic()
    run = BenchRun(args.papers, machine_info(), archive=args.archive)
    work = args.work / f"scale-{args.papers}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        measure_city(run, work, profile=not args.no_profile)
        if args.no_anchors:
            run.notes.append("Anchors left out (--no-anchors): no ratios to Pelican and Hugo in this section.")
        else:
            measure_anchors(run, work)
        try:
            measure_search(run, work, None if args.no_search_scale else args.search_scale, args.query)
        except Exception as exc:  # a browser step that fails (timeouts under load) keeps the other numbers
            log(f"Suche fehlgeschlagen: {type(exc).__name__}: {exc}")
            run.notes.append(f"Search measurement failed, left out of this section: {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:200]}")
    finally:
        if not args.keep:
            for content in [*work.glob("content"), *work.glob("*/content")]:
                forget_build_cache(content)
            shutil.rmtree(work, ignore_errors=True)
    run.total_seconds = time.monotonic() - started
    run.notes.append("Load average (1/5/15 min) at the end: " + " / ".join(f"{x:.2f}" for x in os.getloadavg())
                     + ". Other work on the machine during the run makes wall times longer; CPU times are steadier.")
    run.notes.append(f"Counts derived from {args.papers:,} papers: {scaled_counts(args.papers)}; files and agenda "
                     "items follow from the model.")
    search_city = next((site for site in run.search if site.papers), None)
    if search_city:
        run.notes.append(f"The search city of {search_city.papers:,} papers took {search_city.seconds / 60:.1f} of "
                         f"the {run.total_seconds / 60:.1f} minutes.")
    if args.papers == DEFAULT_PAPERS and args.search_scale == DEFAULT_SEARCH_SCALE and search_city:
        run.notes.append(f"Decision: `make bench` runs the search city by default, because the whole run stays under "
                         f"about {BUDGET_MINUTES} minutes on this 2-core machine; `SEARCH_SCALE=0` leaves it out.")
    # Kept beside the work folder, so that a section can be written again without measuring again.
    saved = args.work / f"run-{args.papers}.pickle"
    saved.write_bytes(pickle.dumps(run))
    write_section(args.results, run)
    log(f"Fertig in {run.total_seconds / 60:.1f} min, geschrieben: {args.results}")


if __name__ == "__main__":
    main()
