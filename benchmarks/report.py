"""RESULTS.md: one section per scale, each written whole by one run of benchmarks/run.py."""

from __future__ import annotations

import re
from pathlib import Path

TARGET_PAGES = 100_000
TARGET_PELICAN = 0.5
TARGET_HUGO = 1.5
TARGET_CHANGE_SECONDS = 3.0
TARGET_RSS = 1.5e9

HEADER = """# Benchmark results

Written by `make bench` (benchmarks/run.py); how to run and what each number means:
benchmarks/README.md. One section per scale; every number in a section comes from
one run on the machine it names, and every ratio from numbers of that same run.
Numbers marked *extrapolated* are not measured. The build is being optimised while these
runs are made: sections of different dates may measure different code (each names its date).
"""
# One section per scale, and per archive: "2000", "2000-realistic" (--archive realistic), and
# "14000-city-build" (benchmarks/city_build.py, written by city_report.py).
_SECTION = re.compile(r"<!-- bench:papers=(\d+(?:-[a-z-]+)?) -->\n.*?<!-- /bench:papers=\1 -->\n", re.DOTALL)


def write_section(results: Path, run, renderer=None) -> None:
    """The run's section replaces its old one where it stands, or joins the sections in the order
    of their scale; text outside the sections (notes measured by hand) stays as it is."""
    key, section = section_key(run), (renderer or render)(run)
    text = results.read_text(encoding="utf-8") if results.is_file() else HEADER
    found = {m.group(1): m for m in _SECTION.finditer(text)}
    if key in found:
        old = found[key]
        text = text[:old.start()] + section + text[old.end():]
    else:
        order = lambda k: (int(k.split("-")[0]), k)  # noqa: E731
        later = [m for k, m in found.items() if order(k) > order(key)]
        if later:
            at = min(m.start() for m in later)
            text = text[:at] + section + "\n" + text[at:]
        else:
            at = max((m.end() for m in found.values()), default=len(text))
            text = text[:at] + "\n" + section + text[at:]
    results.write_text(text, encoding="utf-8")


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def s(n: float) -> str:
    return f"{n:,.1f} s" if n >= 10 else f"{n:,.2f} s"


def table(head: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(value: float, target: float) -> str:
    return "**met**" if value <= target else f"**not met** ({value / target:.2f}× the target)"


def section_key(run) -> str:
    if hasattr(run, "section"):
        return run.section
    archive = getattr(run, "archive", "text")
    return str(run.papers) if archive == "text" else f"{run.papers}-{archive}"


def render(run) -> str:
    key = section_key(run)
    title = f"## {run.papers:,} papers" + {"realistic": ", realistic archive",
                                           "realistic-text": ", realistic archive's text in File.text"}.get(
        getattr(run, "archive", "text"), "")
    out = [f"<!-- bench:papers={key} -->", title]
    m = run.machine
    out.append(
        f"Run {m['date']} on {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, {m['os']}; Python {m['python']}, "
        f"Pelican {m['pelican']}, {m['pagefind']}; load average at start {m['load']}. "
        f"The whole run took **{run.total_seconds / 60:.1f} min**.")
    out += _city(run) + _import(run) + _full(run) + _open_data(run) + _incremental(run) + _anchors(run) + _targets(run)
    out += _search(run) + _profile(run)
    if run.notes:
        out += ["### Notes", "\n".join(f"- {n}" for n in run.notes)]
    out.append(f"<!-- /bench:papers={key} -->")
    return "\n\n".join(out) + "\n"


def _city(run) -> list[str]:
    counts = ", ".join(f"{k} {v:,}" for k, v in run.counts.items())
    return ["### Synthetic city", f"{counts}; OParl dump {mb(run.dump_bytes)} of JSON, written in {s(run.generate_seconds)}."]


def _import(run) -> list[str]:
    rows = []
    for name, r in [("first import (full walk)", run.first_import)] + [
            (step.name.split(",")[0] + " (second import)", step.import_run) for step in run.steps if step.import_run]:
        rows.append([name, f"{r.objects:,}", s(r.seconds), f"**{r.per_second:,.0f}**", f"{r.requests:,}",
                     r.report.get("mode", "")])
    lines = ["### OParl import over loopback HTTP",
             "`import_oparl(server.url + \"system\", content, mirror_files=False)` against "
             "tests/support/oparl_server.DumpServer; objects = OParl objects in the dump (embedded ones counted once).",
             table(["run", "objects", "wall", "objects/s", "HTTP requests", "mode"], rows)]
    return lines + _archive(run)


def _archive(run) -> list[str]:
    """The realistic archive (--archive realistic): files fetched, text read and OCR'd in the first import."""
    volume, first = getattr(run, "archive_volume", {}), run.first_import
    if getattr(run, "archive", "text") != "realistic" or not volume:
        return []
    return ["#### Realistic archive: documents fetched, text read",
            "With `--archive realistic` the city's files are PDFs (ratsinfo/demo/archive.py, benchmarks/README.md) "
            "and the first import above mirrors them (`mirror_files=True`): every PDF is fetched over loopback and "
            "its text read by importers/pdftext.py, scanned pages recognised by Tesseract when OCR is on, with a "
            f"cold text cache. {ARCHIVE_COLUMNS}",
            table(ARCHIVE_HEAD, [archive_row(volume, first)])]


ARCHIVE_HEAD = ["files", "PDF bytes", "chars per file", "scanned pages", "import wall", "files/s", "pages",
                "pages/s", "OCR pages", "OCR pages/s"]
ARCHIVE_COLUMNS = ("*pages* = pages of the text files written (form feeds + 1); *OCR pages/s* per second of OCR "
                   "time (summed over files).")


def archive_row(volume: dict, first) -> list[str]:
    """The realistic archive's volume and its first import (a portal.ImportRun with mirror_files)."""
    report = first.report
    ocr_pages, ocr_seconds = report.get("ocr_pages", 0), report.get("ocr_seconds", 0.0)
    return [f"{volume['files']:,}", mb(volume["bytes"]), f"{volume['chars'] / max(volume['files'], 1):,.0f}",
            f"{volume['scanned_pages']:,} in {volume['files_with_scans']:,} files", s(first.seconds),
            f"**{report.get('files_downloaded', 0) / first.seconds:,.1f}**", f"{first.text_pages:,}",
            f"**{first.text_pages / first.seconds:,.1f}**", f"{ocr_pages:,}",
            f"{ocr_pages / ocr_seconds:,.2f}" if ocr_seconds else "–"]


def _full(run) -> list[str]:
    f, p = run.full, run.pagefind
    pages = run.site.html
    both_wall = f.measured.wall + p.wall
    rows = [
        ["render + write (`build_site`, PAGEFIND off, child process)", s(f.measured.wall), s(f.build_seconds),
         s(f.measured.user + f.measured.system), mb(f.measured.max_rss), f"{pages / f.measured.wall:,.0f}"],
        ["Pagefind CLI on output/ (as plugins/search runs it)", s(p.wall), "–", s(p.user + p.system), mb(p.max_rss),
         f"{pages / p.wall:,.0f}"],
        ["**both**", f"**{s(both_wall)}**", "", s(f.measured.user + f.measured.system + p.user + p.system),
         "", f"{pages / both_wall:,.0f}"],
    ]
    i = run.index
    return ["### Full build",
            table(["step", "wall", "inside build_site", "CPU (user+sys)", "peak RSS", "pages/s"], rows),
            f"Output: {pages:,} HTML pages, {run.site.files:,} files, {mb(run.site.bytes)} (without the index). "
            f"Search index: {mb(i['bytes'])} in {i['files']:,} files, {i['bundles']} bundle(s) "
            f"({i['fragments']:,} fragments, {i['index_chunks']:,} index chunks of {mb(i['index_chunk_bytes'])} "
            f"together). The council generator said: {'; '.join(f.said('council.generator')) or '–'}."]


TARGET_OPEN_DATA = 0.15


OPEN_DATA_TITLE = "### Open data: what the API and the dumps add"


def write_open_data_part(results: Path, papers: int, cost) -> None:
    """`--only opendata`: the open-data part of the section for `papers` replaced, the rest kept."""
    text = results.read_text(encoding="utf-8")
    section = next((m for m in _SECTION.finditer(text) if m.group(1) == str(papers)), None)
    if section is None:
        raise SystemExit(f"RESULTS.md hat keinen Abschnitt für {papers} Vorlagen: erst einen ganzen Lauf machen")
    old = section.group(0)
    start = old.index(OPEN_DATA_TITLE)
    end = old.find("\n### ", start + 1)
    new = old[:start] + "\n\n".join(_open_data_cost(cost)) + "\n" + old[end:]
    results.write_text(text.replace(old, new), encoding="utf-8")


def _open_data(run) -> list[str]:
    """What the static API (oparl/) and the dumps (daten/) add to a full build (no Pagefind)."""
    cost = getattr(run, "open_data", None)
    if cost is None:
        return []
    return _open_data_cost(cost)


def _ratio_row(label: str, m, base) -> list:
    return [label, s(m.wall), f"{m.wall / base.wall:.2f}×", s(m.user + m.system),
            f"{(m.user + m.system) / (base.user + base.system):.2f}×", mb(m.max_rss), f"{m.max_rss / base.max_rss:.2f}×"]


def _open_data_cost(cost) -> list[str]:
    base = cost.plain.measured
    rows = []
    labels = (("without API and dumps", "plain"), ("with dumps, no API", "dumps"), ("with API and dumps", "both"))
    for label, name in labels:
        m = getattr(cost, name).measured
        rows.append([label, s(m.wall), f"{m.wall / base.wall:.2f}×", s(m.user + m.system),
                     f"{(m.user + m.system) / (base.user + base.system):.2f}×", mb(m.max_rss),
                     f"{m.max_rss / base.max_rss:.2f}×"])
    changed = getattr(cost, "changed", {})
    if changed:
        for label, name in labels:
            m = changed[name].measured
            rows.append([f"after one renamed meeting (meetings/{cost.meeting}.md), {label}", s(m.wall),
                         f"{m.wall / changed['plain'].measured.wall:.2f}×", s(m.user + m.system),
                         f"{(m.user + m.system) / (changed['plain'].measured.user + changed['plain'].measured.system):.2f}×",
                         mb(m.max_rss), f"{m.max_rss / changed['plain'].measured.max_rss:.2f}×"])
    sqlite = cost.dump_bytes.get("ratsinfo.sqlite", 0)
    text = sum(n for name, n in cost.dump_bytes.items() if name.endswith(".jsonl"))
    csv = sum(n for name, n in cost.dump_bytes.items() if name.endswith(".csv"))
    ratio = cost.both.measured.wall / base.wall
    rounds = getattr(cost, "rounds", 1)
    machine = getattr(cost, "machine", {})
    out = [OPEN_DATA_TITLE]
    if machine:
        out.append(f"Measured apart from the rest of this section (`python -m benchmarks.run --only opendata`) on "
                   f"{machine['date']}, {machine['cores']} cores, load average {machine['load']} at the start and "
                   f"{machine.get('load_end', '?')} at the end (other sessions' work on the machine: wall times are "
                   f"noisy, ratios within one round less so).")
    out += ["Full builds (render + write, no Pagefind), all three with PUBLIC_URL set (feeds and sitemap in each); "
           "*with dumps, no API* leaves out plugins.oparlapi. "
           + (f"Run in {rounds} interleaved rounds, the fastest of each reported. " if rounds > 1 else "")
           + "Ratios against the build without API and dumps of the same round of rows (full, or after the change).",
           table(["build", "wall", "vs. without", "CPU", "vs. without", "peak RSS", "vs. without"], rows),
           f"Bytes: oparl/ {mb(cost.api_bytes)} in {getattr(cost, 'api_files', 0):,} files, "
           f"daten/ {mb(sum(cost.dump_bytes.values()))} (SQLite {mb(sqlite)}, JSON Lines {mb(text)}, CSV {mb(csv)})."]
    if changed:
        out.append(f"After the renamed meeting the API wrote {cost.changed_files.get('oparl', 0):,} files "
                   f"(the others stayed as the last build wrote them), the dumps "
                   f"{cost.changed_files.get('daten', 0):,}.")
    waits = [(label, _open_data_wait(build)) for label, build in (
        ("full build", cost.both), ("after the renamed meeting", changed.get("both")),
        ("`ratsinfo build` from nothing", getattr(cost, "webmaster", {}).get("both")),
        ("`ratsinfo build` after the renamed meeting", getattr(cost, "webmaster", {}).get("both-changed")))]
    waits = [f"{label} {s(wait)}" for label, wait in waits if wait is not None]
    if waits:
        out.append("The API and dump writers run beside the rendering (plugins/background.py); what the build "
                   "waited for them once the rest was done: " + ", ".join(waits) + ".")
    out += _open_data_webmaster(cost)
    busy = _busy(machine)
    judge = (lambda r: f"**not judged**: {busy}") if busy else (lambda r: verdict(r - 1, TARGET_OPEN_DATA))
    cpu = (cost.both.measured.user + cost.both.measured.system) / (base.user + base.system)
    out.append(f"Target: API and dumps at most +{TARGET_OPEN_DATA:.0%} build time (full build, render + write, as "
               f"the issue measures it): {ratio:.2f}× wall ({cpu:.2f}× CPU) — {judge(ratio)}.")
    web = getattr(cost, "webmaster", {})
    if web.get("plain") and web.get("both"):
        web_ratio = web["both"].measured.wall / web["plain"].measured.wall
        out.append(f"The same for `ratsinfo build` with Pagefind, from nothing: {web_ratio:.2f}× wall — "
                   f"{judge(web_ratio)}.")
    return out


def _busy(machine: dict) -> str | None:
    """Why wall-time ratios of this run say nothing: a load average above 1.5 per core at its start
    or end (other work took the cores the writers are meant to share with the rendering)."""
    loads = [float(machine[key].split(" / ")[0]) for key in ("load", "load_end") if machine.get(key)]
    cores = int(machine.get("cores") or 1)
    if loads and max(loads) > 1.5 * cores:
        return (f"load average up to {max(loads):.1f} on {cores} cores during the run; wall times then measure "
                f"the other work (measure again on a quiet machine)")
    return None


def _open_data_wait(build) -> float | None:
    """Seconds the build waited for the open-data writers at its end, as plugins/background.py logs it."""
    if build is None:
        return None
    for _, name, message in build.events:
        found = re.search(r"fertig, ([0-9.]+) s nach dem Rest", message) if name.endswith("background") else None
        if found:
            return float(found.group(1))
    return None


def _open_data_webmaster(cost) -> list[str]:
    """The build a webmaster runs: `ratsinfo build`, Pagefind included."""
    web = getattr(cost, "webmaster", {})
    if not web.get("plain") or not web.get("both"):
        return []
    rows = [_ratio_row("from nothing, without API and dumps", web["plain"].measured, web["plain"].measured),
            _ratio_row("from nothing, with API and dumps", web["both"].measured, web["plain"].measured)]
    if web.get("plain-changed") and web.get("both-changed"):
        base = web["plain-changed"].measured
        rows += [_ratio_row("after one renamed meeting, without API and dumps", base, base),
                 _ratio_row("after one renamed meeting, with API and dumps", web["both-changed"].measured, base)]
    rounds = getattr(cost, "webmaster_rounds", 1)
    return ["#### The build a webmaster runs (`ratsinfo build`, with Pagefind)",
            "`build_site` with PAGEFIND on and PUBLIC_URL set, without plugins.oparlapi and plugins.opendata and "
            f"with both; {rounds} round(s), "
            "from an empty output/, then one renamed meeting built into each.",
            table(["build", "wall", "vs. without", "CPU", "vs. without", "peak RSS", "vs. without"], rows)]


def _pages_ready(build) -> float | None:
    """Seconds from the start of build_site until the council generator had written its pages."""
    times = [at for at, name, _ in build.events if name.endswith("council.generator")]
    return times[0] if times else None


def _incremental(run) -> list[str]:
    steps = run.steps + [site.meeting_step for site in run.search if site.meeting_step]
    return ["### Incremental builds"] + steps_table(steps)


def steps_table(steps) -> list[str]:
    """What each build after a change (run.Step) cost and wrote: its explanation and its table."""
    rows = []
    for st in steps:
        b, c = st.build, st.changes
        ready = _pages_ready(b)
        kinds = ", ".join(f"{n:,} {suffix}" for suffix, n in list(c.written_by_type.items())[:4])
        rows.append([st.name, f"**{s(b.measured.wall)}**", s(b.build_seconds), s(ready) if ready is not None else "–",
                     s(b.measured.user + b.measured.system), mb(b.measured.max_rss),
                     f"{c.written:,} / {c.unchanged:,} / {c.removed:,}", kinds or "–",
                     f"{c.index_written:,} / {c.index_unchanged:,} / {c.index_removed:,}",
                     "; ".join(b.said("council.generator") + b.said("search")) or "–"])
    return ["After each change, `build_site` as a webmaster runs it (`ratsinfo build`: pages and search index) "
            "into the same output/, with the code as it is at the time of the run. *wall* is the whole child "
            "process (interpreter start and imports included); *pages ready* is when the council generator logged "
            "that it was done. Files are counted by mtime in output/: written (new or new mtime) / unchanged / "
            "removed, site files and index files (pagefind/) apart. The last column is what the plugins logged.",
            table(["change", "wall", "inside build_site", "pages ready", "CPU (user+sys)", "peak RSS",
                   "site files w/u/r", "written by type", "index files w/u/r", "plugins said"], rows)]


def _anchors(run) -> list[str]:
    f, p = run.full, run.pagefind
    rows = [["ratsinfo, render + write", f"{run.site.html:,}", s(f.measured.wall),
             s(f.measured.user + f.measured.system), mb(f.measured.max_rss), f"{run.site.html / f.measured.wall:,.0f}"],
            ["ratsinfo, render + write + Pagefind", f"{run.site.html:,}", s(f.measured.wall + p.wall),
             s(f.measured.user + f.measured.system + p.user + p.system), mb(max(f.measured.max_rss, p.max_rss)),
             f"{run.site.html / (f.measured.wall + p.wall):,.0f}"]]
    notes = []
    for a in run.anchors:
        if a.measured is None:
            rows.append([a.name, f"{a.articles:,} articles", "skipped", "", "", ""])
            notes.append(a.note)
            continue
        rows.append([f"{a.name} ({a.note or 'plain'}), {a.articles:,} articles", f"{a.html_pages:,}", s(a.measured.wall),
                     s(a.measured.user + a.measured.system), mb(a.measured.max_rss),
                     f"{a.articles / a.measured.wall:,.0f}"])
    text = ["### Anchors: the same number of pages with plain Pelican and Hugo",
            "Anchors build as many Markdown articles (title, date, one of 20 categories, ~300 words) as our "
            "site has HTML pages. Pelican: default theme, default DIRECT_TEMPLATES, no feeds. Hugo: a tiny layout, "
            "no RSS or sitemap; Hugo uses all cores, the other two use one (compare wall and CPU). pages/s counts "
            "articles (ours: HTML pages) per wall second.",
            table(["site", "HTML files", "wall", "CPU (user+sys)", "peak RSS", "pages/s"], rows)]
    return text + ([" ".join(notes)] if notes else [])


def _second_size(run):
    """The search-scale city of the same run, when it differs from the main one: a second point to fit."""
    return next((site for site in run.search if site.papers and site.papers != run.papers and site.render), None)


def _at_target(points: list[tuple[int, float]]) -> float:
    """The value at TARGET_PAGES: a straight line through two (pages, value) points when they lie
    far enough apart for the noise of a shared machine not to tip the line, else proportional to
    the largest point (an upper bound for anything that grows no faster than the page count)."""
    points = sorted(points)
    if len(points) == 2:
        (p1, v1), (p2, v2) = points
        if p2 >= 2 * p1 and v2 > v1:
            return v1 + (v2 - v1) / (p2 - p1) * (TARGET_PAGES - p1)
    pages, value = points[-1]
    return value * TARGET_PAGES / pages


def _targets(run) -> list[str]:
    f, p, pages = run.full, run.pagefind, run.site.html
    other = _second_size(run)
    meeting = next((st for st in run.steps if "meeting" in st.name), None)

    def points(mine: float, theirs) -> list[tuple[int, float]]:
        return [(pages, mine)] + ([(other.pages, theirs)] if other is not None and theirs is not None else [])

    def ready(step):
        return _pages_ready(step.build) if step and _pages_ready(step.build) is not None else None

    other_meeting = other.meeting_step if other else None
    rows_100k = [
        ("render + write, full build", points(f.measured.wall, other and other.render.measured.wall), s),
        ("Pagefind, full index", points(p.wall, other and other.pagefind.wall), s),
        ("peak RSS, render + write", points(f.measured.max_rss, other and other.render.measured.max_rss), mb),
        ("peak RSS, Pagefind", points(p.max_rss, other and other.pagefind.max_rss), mb),
    ]
    if meeting:
        rows_100k += [
            ("one changed meeting: pages ready", points(ready(meeting) or 0, ready(other_meeting)), s),
            ("one changed meeting: whole build with index", points(
                meeting.build.measured.wall, other_meeting and other_meeting.build.measured.wall), s),
        ]
    basis = (f"a straight line through this run's two sizes ({pages:,} and {other.pages:,} pages) where they "
             "are at least 2× apart and the value grows, else the value at the larger size scaled in proportion"
             if other else f"the value at this run's one size ({pages:,} pages) scaled in proportion")
    extrapolated = {name: (pts, _at_target(pts), fmt) for name, pts, fmt in rows_100k}
    table_100k = table(["quantity", "measured", f"*extrapolated* to {TARGET_PAGES:,} pages"], [
        [name, " · ".join(f"{fmt(v)} at {n:,}" for n, v in pts), f"*{fmt(value)}*"]
        for name, (pts, value, fmt) in extrapolated.items()])

    rows = []
    anchors = {a.name: a for a in run.anchors if a.measured is not None}
    for name, target in (("Pelican", TARGET_PELICAN), ("Hugo", TARGET_HUGO)):
        a = anchors.get(name)
        if a is None:
            rows.append([f"full build ≤ {target} × {name}", "anchor skipped", "–"])
            continue
        render_ratio = f.measured.wall / a.measured.wall
        both_ratio = (f.measured.wall + p.wall) / a.measured.wall
        cpu = a.measured.user + a.measured.system
        cpu_render = (f.measured.user + f.measured.system) / cpu
        cpu_both = (f.measured.user + f.measured.system + p.user + p.system) / cpu
        rows.append([f"full build ≤ {target} × plain {name}",
                     f"wall: {render_ratio:.2f}× (render+write) · {both_ratio:.2f}× (with Pagefind); CPU time: "
                     f"{cpu_render:.2f}× · {cpu_both:.2f}×; at {pages:,} pages",
                     f"render+write {verdict(render_ratio, target)}; with Pagefind {verdict(both_ratio, target)}"])
    if meeting:
        pages_100k = extrapolated["one changed meeting: pages ready"][1]
        wall_100k = extrapolated["one changed meeting: whole build with index"][1]
        rows.append([f"one changed meeting re-renders only dependent pages, ≤ {TARGET_CHANGE_SECONDS:.0f} s "
                     f"on a {TARGET_PAGES:,}-page site",
                     f"{meeting.changes.written:,} of {meeting.changes.written + meeting.changes.unchanged:,} site "
                     f"files written; pages ready after {s(ready(meeting) or 0)}, whole build with index "
                     f"{s(meeting.build.measured.wall)} at {pages:,} pages; *extrapolated*: {s(pages_100k)} / "
                     f"{s(wall_100k)}",
                     f"pages {verdict(pages_100k, TARGET_CHANGE_SECONDS)}, with index "
                     f"{verdict(wall_100k, TARGET_CHANGE_SECONDS)} (extrapolated)"])
    build_rss = extrapolated["peak RSS, render + write"][1]
    index_rss = extrapolated["peak RSS, Pagefind"][1]
    single = other.single_index if other else None
    rows.append([f"peak RSS ≤ {TARGET_RSS / 1e9:.1f} GB",
                 f"build {mb(f.measured.max_rss)}, Pagefind {mb(p.max_rss)} at {pages:,} pages; *extrapolated*: "
                 f"{mb(build_rss)} / {mb(index_rss)}"
                 + (f" (Pagefind with the plugin's split index; one index took {mb(single.pagefind.max_rss)} at "
                    f"{single.pages:,} pages)" if single else ""),
                 f"build {verdict(build_rss, TARGET_RSS)}; Pagefind {verdict(index_rss, TARGET_RSS)} (extrapolated)"])
    return ["### Against the targets (issue “Fast at city scale”)",
            table(["target", "measured", "status"], rows),
            f"Extrapolation to {TARGET_PAGES:,} pages uses {basis}; it is an estimate, not a measurement.",
            table_100k]


def _search(run) -> list[str]:
    rows = []
    sites = [x for site in run.search for x in (site, site.single_index) if x is not None]
    for site in sites:
        i, d = site.index, site.download
        row = [site.name, f"{site.pages:,}", mb(i["bytes"]), f"{i['files']:,}", str(i["bundles"]),
               s(site.pagefind.wall) if site.pagefind else "–", mb(site.pagefind.max_rss) if site.pagefind else "–"]
        if d is None:
            row += ["not measured"] + [""] * 7
        else:
            b = d.bytes_by_part
            row += [f"`{d.query}`", d.results, f"{b['Seite'] / 1e3:,.0f} kB", f"{b['Pagefind-Code'] / 1e3:,.0f} kB",
                    f"{b['Index'] / 1e3:,.0f} kB", f"{b['Fragmente'] / 1e3:,.0f} kB", f"**{d.pagefind_total / 1e3:,.0f} kB**",
                    f"{d.total / 1e3:,.0f} kB ({d.requests} requests)"]
        rows.append(row)
    notes = [site.note for site in sites if site.note]
    builds = [f"{site.name}: render+write {s(site.render.measured.wall)} ({mb(site.render.measured.max_rss)} peak RSS)"
              for site in sites if site.render]
    return ["### Search (issue “Search that finds what a citizen types”)",
            "Index built by the search plugin's own code (plugins/search; above SEARCH_SHARD_PAGES detail pages "
            "it splits the index into bundles). When it split the search city's index, the same city is built "
            "once more with one index (SEARCH_SHARD_PAGES set very high) to compare. *First search*: headless Chromium "
            "(Debian's, Playwright) opens `suche.html#q=…` on a local static server with an empty cache; response "
            "bodies of all requests until the results show and the network is idle. The server does not compress; "
            "Pagefind's index and fragments are gzip files already, its JS and WebAssembly would shrink on a "
            "compressing server.",
            table(["site", "pages", "index size", "index files", "bundles", "Pagefind", "Pagefind RSS", "query", "results",
                   "page", "Pagefind code", "index", "fragments", "Pagefind total", "all"], rows),
            "Builds of these sites in the same run: " + "; ".join(builds) + "." + "".join(f" Note: {n}." for n in notes)]


def _profile(run) -> list[str]:
    out = []
    for name, (cumulative, own) in run.profiles.items():
        out += [f"### Where the time goes: cProfile, {name}",
                "One render worker (RATSINFO_WORKERS=1), so the rendering is inside the profiled process; "
                "the search index is left out. Top 15 by cumulative time:",
                f"```\n{cumulative}\n```", "Top 15 by own time:", f"```\n{own}\n```"]
    return out
