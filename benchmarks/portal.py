"""The portal's own steps, each measured: import over HTTP, build, Pagefind, small edits, a profile.

Builds run in a child process (`python -c` calling ratsinfo.build.build_site),
so that each one has its own peak RSS and starts cold, as `ratsinfo build` does.
The child records the plugins' log lines with their time since the start, so a
build that also indexes shows when rendering ended and what the plugins did
(pages rendered, pages taken over, index bundles re-indexed).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import PYTHON, Measured, folder_size, run_measured
from ratsinfo import PROJECT_ROOT

BUILD_CHILD = """
import dataclasses, json, logging, os, sys, time
from pathlib import Path
from ratsinfo.build import build_site
events = []
class Recorder(logging.Handler):
    def emit(self, record):
        events.append([round(time.monotonic() - started, 3), record.name, record.getMessage()])
plugins = logging.getLogger("plugins")
plugins.setLevel(logging.INFO)
plugins.addHandler(Recorder())
overrides = json.loads(sys.argv[3])
if sys.argv[4] == "search-page":
    # The search page and every page's search box, as a site with search has them; Pagefind's
    # run is left to pagefind() below, measured on its own.
    import plugins.search
    plugins.search.run_pagefind = lambda pelican: None
    overrides["PAGEFIND"] = True
started = time.monotonic()
result = build_site(Path(sys.argv[1]), Path(sys.argv[2]), overrides=overrides)
print(json.dumps({"seconds": result.seconds, "pages": result.pages, "events": events,
                  "report": dataclasses.asdict(result.report)}), flush=True)
os._exit(0)  # as the ratsinfo command ends (ratsinfo/cli.command)
"""

# The search plugin's own code, on a finished output/, as its `finalized` handler runs it.
PAGEFIND_CHILD = """
import sys
from plugins.search.pagefind import run_pagefind
class Finished:
    # THEME: the search index is built in the pages' language (plugins/i18n reads the theme's catalogues).
    settings = {"OUTPUT_PATH": sys.argv[1], "PAGEFIND": True, "RATSINFO_PREVIOUS_OUTPUT": sys.argv[1],
                "THEME": "theme"}
run_pagefind(Finished())
"""

PROFILE_CHILD = """
import cProfile, io, json, pstats, sys
from pathlib import Path
from ratsinfo.build import build_site
profile = cProfile.Profile()
profile.enable()
build_site(Path(sys.argv[1]), Path(sys.argv[2]), overrides=json.loads(sys.argv[4]))
profile.disable()
for order in ("cumulative", "tottime"):
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(int(sys.argv[3]))
    print(out.getvalue())
    print("=====")
"""


@dataclass
class ImportRun:
    seconds: float
    objects: int
    requests: int
    report: dict
    text_files: int = 0  # with the realistic archive: files with text, and their pages
    text_pages: int = 0

    @property
    def per_second(self) -> float:
        return self.objects / self.seconds


@dataclass
class BuildRun:
    measured: Measured
    build_seconds: float   # as build_site reports it, without interpreter start and imports
    pages: int
    events: list           # [seconds since start, logger, message] of the plugins' log lines
    report: dict | None = None  # the build's BuildReport (ratsinfo/contracts.py): rendered, written, bundles indexed

    def said(self, logger_part: str) -> list[str]:
        return [f"{message} (at {at:.1f} s)" for at, name, message in self.events if logger_part in name]


@dataclass
class SiteSize:
    bytes: int
    files: int
    html: int


def import_over_http(server, content: Path, objects: int, mirror_files: bool = False) -> ImportRun:
    """One import; with `mirror_files` (the realistic archive) the PDFs are fetched and their text
    read (and OCR'd), with a text cache of this run only (importers/state.py: RATSINFO_STATE_DIR)."""
    from importers.oparl import import_oparl

    requests_before = len(server.requests)
    started = time.monotonic()
    report = import_oparl(server.url + "system", content, show_progress=False, mirror_files=mirror_files)
    seconds = time.monotonic() - started
    run = ImportRun(seconds, objects, len(server.requests) - requests_before, json.loads(report.to_json()))
    if mirror_files:
        texts = list((content / "files").glob("*.txt"))
        run.text_pages = sum(t.read_text(encoding="utf-8").count("\f") + 1 for t in texts)
        run.text_files = len(texts)
    return run


def build(content: Path, output: Path, pagefind: bool = False, settings: dict | None = None,
          search_page: bool = False, tree: bool = False) -> BuildRun:
    """search_page: with the search page (suche.html) though without Pagefind, for a browser to
    search once pagefind() has indexed the output (with PAGEFIND off there is no page). tree: the
    memory of all the build's processes together is sampled (measure.run_measured)."""
    overrides = {"PAGEFIND": pagefind, **(settings or {})}
    measured = run_measured([PYTHON, "-c", BUILD_CHILD, str(content), str(output), json.dumps(overrides),
                             "search-page" if search_page else "-"], cwd=PROJECT_ROOT, tree=tree)
    result = json.loads(measured.stdout.strip().splitlines()[-1])
    return BuildRun(measured, result["seconds"], result["pages"], result["events"], result["report"])


def pagefind(output: Path) -> Measured:
    """Index a built output/ the way plugins/search does after a build (one index, or bundles)."""
    return run_measured([PYTHON, "-c", PAGEFIND_CHILD, str(output)], cwd=PROJECT_ROOT)


def site_size(output: Path) -> SiteSize:
    size, files = folder_size(output, skip="pagefind")
    return SiteSize(size, files, sum(1 for _ in output.rglob("*.html")))


def index_size(output: Path) -> dict[str, int]:
    folder = output / "pagefind"
    size, files = folder_size(folder)
    fragments = sum(1 for _ in folder.rglob("*.pf_fragment"))
    index_files = list(folder.rglob("*.pf_index"))
    return {"bytes": size, "files": files, "fragments": fragments, "index_chunks": len(index_files),
            "index_chunk_bytes": sum(p.stat().st_size for p in index_files),
            "bundles": sum(1 for _ in folder.rglob("pagefind-entry.json"))}


def change_meeting(content: Path, nth: int = 2) -> str:
    """Rename one meeting (the one at 1/nth of the list) in its content file, as a hand edit would."""
    files = sorted((content / "meetings").glob("*.md"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0)
    return change_meeting_file(files[len(files) // nth])


def change_meeting_file(target: Path) -> str:
    from importers.content import read_front_matter, render_front_matter
    from ratsinfo.files import write_atomic

    data = read_front_matter(target)
    data["name"] = f"{data.get('name', 'Sitzung')} (geändert)"
    # Renamed over the old file, not written in place: a copy made with `cp -al` shares its inode.
    write_atomic(target, render_front_matter(data))
    return target.stem


def add_paper(content: Path) -> str:
    from importers.content import render_front_matter

    papers = content / "papers"
    new_id = str(max(int(p.stem) for p in papers.glob("*.md") if p.stem.isdigit()) + 1)
    (papers / f"{new_id}.md").write_bytes(render_front_matter({
        "id": new_id, "source": f"https://bench.example/papers/{new_id}",
        "name": "Neue Vorlage: Sanierung des Spielplatzes am Stadtpark", "reference": "BV/2026/9999",
        "date": "2026-11-20", "paper_type": "Beschlussvorlage",
    }))
    return new_id


# One worker, so the rendering happens inside the profiled process. The cold profile also
# turns the parse cache off, so reading content/ is profiled too: a cold build on one core.
COLD_PROFILE = {"PAGEFIND": False, "RATSINFO_WORKERS": 1, "RATSINFO_CACHE": False}
INCREMENTAL_PROFILE = {"PAGEFIND": False, "RATSINFO_WORKERS": 1}


def profile_build(content: Path, output: Path, settings: dict, top: int = 15) -> tuple[str, str]:
    """cProfile of one render+write build: (top entries by cumulative time, by own time)."""
    measured = run_measured([PYTHON, "-c", PROFILE_CHILD, str(content), str(output), str(top),
                             json.dumps(settings)], cwd=PROJECT_ROOT)
    cumulative, own, _ = measured.stdout.split("=====")
    return _table_only(cumulative), _table_only(own)


def _table_only(stats: str) -> str:
    lines = stats.strip().splitlines()
    start = next((i for i, line in enumerate(lines) if "function calls" in line), 0)
    return "\n".join(line.rstrip() for line in lines[start:] if line.strip())
