"""The RESULTS.md section of benchmarks/city_build.py: a city-size archive's full build with search."""

from __future__ import annotations

from pathlib import Path

from benchmarks import report
from benchmarks.report import ARCHIVE_COLUMNS, ARCHIVE_HEAD, TARGET_CHANGE_SECONDS, TARGET_PAGES, archive_row, mb, s, \
    steps_table, table, verdict

TARGET_SECONDS = 80.0
TARGET_RSS = 1e9
TARGET_FLAT = 1.2
TARGET_PAPERS = 14_000   # ~290 million characters of document text
NOT_MEASURED = "not measured in this run"


def write(results: Path, run) -> None:
    report.write_section(results, run, render)


def render(run) -> str:
    key = run.section
    m = run.machine
    out = [f"<!-- bench:papers={key} -->",
           f"## {run.papers:,} papers, realistic document text: full build with search (issue 19)",
           f"Run {m['date']} on {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; Python {m['python']}, "
           f"Pelican {m['pelican']}, {m['pagefind']}; load average at start {m['load']}. "
           f"`python -m benchmarks.city_build` (benchmarks/README.md) took **{run.total_seconds / 60:.1f} min**."]
    if run.imported:
        out += _city(run) + _phases(run) + _bundles(run) + _levers(run) + _changes(run) + _anchors(run)
    out += _pdf(run) + _flat(run) + _targets(run)
    if run.notes:
        out += ["### Notes", "\n".join(f"- {n}" for n in run.notes)]
    out.append(f"<!-- /bench:papers={key} -->")
    return "\n\n".join(out) + "\n"


def _cpu(measured) -> str:
    return s(measured.user + measured.system)


def _city(run) -> list[str]:
    v = run.volume
    counts = ", ".join(f"{k} {n:,}" for k, n in run.counts.items())
    return ["### The archive",
            f"{counts}. Document text: {v.get('chars', 0) / 1e6:,.0f} million characters in {v.get('files', 0):,} "
            f"files ({v.get('chars', 0) / max(1, v.get('files', 1)):,.0f} per file), {v.get('scanned_pages', 0):,} "
            f"pages as OCR would read them; written as `File.text` (`archive=\"realistic-text\"`) in "
            f"{s(run.generate_seconds)}."]


def _phases(run) -> list[str]:
    i = run.imported
    full = run.full.get("after") or next(iter(run.full.values()))
    bundles_wall = sum(b.measured.wall for b in run.bundles)
    bundles_cpu = sum(b.measured.user + b.measured.system for b in run.bundles)
    rows = [["import over loopback HTTP (child process, dump server outside it)", s(i.wall), _cpu(i), mb(i.max_rss)],
            ["full build with search (`build_site`, defaults)", s(full.measured.wall), _cpu(full.measured),
             mb(full.measured.max_rss)]]
    rows += [[f"… at {s(at)}: {message[:150]}", "", "", ""] for at, name, message in full.events
             if "ratsinfo:" in message]
    rows.append([f"Pagefind alone on each of the {len(run.bundles)} bundle(s), one after the other (sum)",
                 s(bundles_wall), s(bundles_cpu), mb(max((b.measured.max_rss for b in run.bundles), default=0))
                 + " (largest)"])
    return ["### Where the time goes",
            "Each step a child process of its own (GNU time: wall, CPU, peak RSS); the lines with “…” are what the "
            "plugins logged during the full build, with the seconds since build_site started (rendering ends with "
            "the council's line, the index with the search plugin's). "
            f"Output: {run.site.html:,} HTML pages, {run.site.files:,} files, {mb(run.site.bytes)} without index.",
            table(["step", "wall", "CPU (user+sys)", "peak RSS"], rows)]


def _bundles(run) -> list[str]:
    rows = [[b.name, f"{b.pages:,}", mb(b.html_bytes), s(b.measured.wall), _cpu(b.measured), mb(b.measured.max_rss),
             f"{b.measured.max_rss / max(1, b.html_bytes):.1f}"]
            for b in sorted(run.bundles, key=lambda b: -b.measured.max_rss)[:12]]
    more = len(run.bundles) - len(rows)
    return ["### Pagefind per bundle (largest 12 by memory)",
            table(["bundle", "pages", "HTML", "wall", "CPU", "peak RSS", "RSS per HTML byte"], rows)
            + (f"\n\n…and {more} smaller bundles." if more > 0 else "")]


def _levers(run) -> list[str]:
    from benchmarks.city_build import LEVERS

    base = run.full.get("before")
    rows = []
    for name, built in run.full.items():
        m = built.measured
        index = run.index.get(name, {})
        ratio = f"{m.wall / base.measured.wall:.2f}×" if base else ""
        rows.append([f"{name}: `{LEVERS.get(name) or 'defaults'}`", s(m.wall), ratio, _cpu(m), mb(m.max_rss),
                     _together(m), f"{index.get('bundles', 0)}", mb(index.get("bytes", 0))])
    return ["### Full build with search, before and after the levers",
            "`build_site` with Pagefind into an empty output/, parse cache cold, as `ratsinfo build` does; the "
            "sets of settings interleaved in one run (the faster of each when there were several rounds). "
            "*peak RSS* is the largest single process (GNU time); *processes together* the peak of the build's "
            "process tree (build, render workers, background writers, Pagefind runs side by side), sampled from "
            "/proc every 0.2 s: PSS summed (a page shared by n processes counted 1/n in each: what they occupy "
            "together), and RSS summed (shared pages counted in each) in brackets (benchmarks/measure.py).",
            table(["settings", "wall", "vs. before", "CPU", "peak RSS", "processes together", "bundles", "index"],
                  rows)] + _sampling_cost(run.full.values())


def _sampling_cost(builds) -> list[str]:
    cpu = sum(getattr(b.measured, "tree_cpu", 0.0) for b in builds)
    return [f"The sampling took {s(cpu)} of CPU in the measuring process (beside the builds, not in their CPU)."] \
        if cpu else []


def _together(m) -> str:
    if not getattr(m, "tree_pss", 0):
        return "–"
    return f"{mb(m.tree_pss)} ({mb(m.tree_rss)})"


def _changes(run) -> list[str]:
    if not run.changes:
        return []
    ways = "; ".join(f"{st.name}: {_index_way(st.build)}" for st in run.changes)
    return ["### One change re-published with search",
            f"On the city just built ({run.site.html:,} HTML pages; the target is ≤ {TARGET_CHANGE_SECONDS:.0f} s "
            f"at {TARGET_PAGES:,} pages): one meeting renamed in its content file (portal.change_meeting), then one "
            "paper added (portal.add_paper), each followed by `build_site` with Pagefind into the same output/, as "
            "`ratsinfo build` runs it; the parse cache is warm, as after the full build. "
            f"The search index: {ways}."] + steps_table(run.changes)


def _index_way(build) -> str:
    """Whether a build's changed pages went to the delta index (plugins/search/delta.py), from its log."""
    delta = [message for _, name, message in build.events if "Suchindex-Nachtrag mit" in message]
    indexed = (build.report or {}).get("bundles_indexed")
    again = f"{indexed} bundle(s) indexed again" if indexed is not None else "bundles indexed again: not reported"
    if delta:
        return f"to the delta ({delta[-1].removeprefix('ratsinfo: ')}), {again}"
    return f"**no delta**, {again}"


def _pdf(run) -> list[str]:
    pdf = run.pdf
    if pdf is None:
        return []
    rows = [[name, s(m.wall), _cpu(m), mb(m.max_rss), _together(m), f"{r.requests:,}", r.report.get("mode", ""),
             f"{r.report.get('files_downloaded', 0):,}"]
            for name, m, r in (("first import, cold text cache", pdf.first, pdf.first_run),
                               ("second import, nothing changed at the source", pdf.again, pdf.again_run))]
    counts = ", ".join(f"{k} {n:,}" for k, n in pdf.counts.items())
    v = pdf.volume
    return [f"### The realistic archive's import with its PDFs, at {pdf.papers:,} papers",
            f"At {pdf.papers:,} papers, not the city's {run.papers:,}: the first import OCRs every scanned page "
            "with Tesseract, and a whole city's scans take hours (benchmarks/README.md); the rates below carry "
            f"over, the totals scale with the archive. The archive (`archive=\"realistic\"`, made in "
            f"{s(pdf.generate_seconds)}, PDFs kept in build/archive-cache/): {counts}; {v.get('chars', 0) / 1e6:,.1f} "
            f"M characters. Each import is a child process with the dump server on 127.0.0.1 "
            "(`import_oparl(..., mirror_files=True)`): every PDF is fetched, its text read by "
            f"importers/pdftext.py ({pdf.backend or '?'}), scanned pages OCR'd "
            f"({'Tesseract' if pdf.ocr else 'OCR off: no Tesseract with German'}), with a text cache of this run "
            "only; the second import finds nothing changed.",
            table(["import", "wall", "CPU (user+sys)", "peak RSS", "processes together", "HTTP requests", "mode",
                   "files fetched"], rows),
            ARCHIVE_COLUMNS,
            table(ARCHIVE_HEAD, [archive_row(v, pdf.first_run)])]


def _anchors(run) -> list[str]:
    if not run.anchors:
        return []
    ours = run.full.get("after")
    rows = []
    if ours:
        rows.append([f"ratsinfo, full build with search ({run.site.html:,} pages)", s(ours.measured.wall),
                     _cpu(ours.measured), mb(ours.measured.max_rss), "", ""])
    for a in run.anchors:
        if a.measured is None:
            rows.append([a.name, "skipped", "", "", "", a.note])
            continue
        pf = a.pagefind
        wall = a.measured.wall + (pf.wall if pf else 0)
        cpu = a.measured.user + a.measured.system + (pf.user + pf.system if pf else 0)
        rss = max(a.measured.max_rss, pf.max_rss if pf else 0)
        per_page = ours.measured.wall / run.site.html * a.articles if ours else 0
        ratio = f"{per_page / wall:.2f}× (ours at {a.articles:,} pages, proportional: *extrapolated*)" \
            if ours and a.articles != run.site.html else (f"{ours.measured.wall / wall:.2f}×" if ours else "")
        rows.append([f"{a.name}, {a.articles:,} articles ({a.html_pages:,} HTML files)", s(wall), s(cpu), mb(rss),
                     ratio, f"build {s(a.measured.wall)} + Pagefind {s(pf.wall) if pf else '–'}; {a.note}"])
    return ["### Anchors with Pagefind",
            "Plain Pelican and Hugo (benchmarks/anchors.py) build as many ~300-word articles, then Pagefind indexes "
            "their whole output (every page). Pelican grows about quadratically with the page count, so it may be "
            "measured at fewer pages (then the ratio compares with our time scaled to that count, marked).",
            table(["site", "wall", "CPU", "peak RSS", "ours / it", "note"], rows)]


def _flat(run) -> list[str]:
    if len(run.flat) < 2:
        return []
    a, b = run.flat[0], run.flat[1]
    rows = [[f"{p.papers:,} papers ({p.chars / 1e6:,.0f} M characters)", mb(p.imported.max_rss), s(p.imported.wall),
             mb(p.built.measured.max_rss), s(p.built.measured.wall)] for p in run.flat]
    rows.append(["2× / 1×", f"{b.imported.max_rss / a.imported.max_rss:.2f}×", "",
                 f"{b.built.measured.max_rss / a.built.measured.max_rss:.2f}×", ""])
    return ["### Memory as the archive grows",
            "Import and full build with search (defaults) of the realistic-text city at two sizes, each in a "
            "child process.", table(["archive", "import peak RSS", "import wall", "build peak RSS", "build wall"],
                                    rows)]


def _targets(run) -> list[str]:
    rows = _build_targets(run) + [_change_target(run)] + _flat_targets(run) + _import_targets(run)
    return ["### Against the targets of issue 19",
            f"Each target with what this run measured; *what remains* says how far a target is, or what this "
            f"run did not measure (the targets are for {TARGET_PAPERS:,} papers, ~290 million characters, "
            "on two cores).",
            table(["target", "measured", "status", "what remains"], rows)]


def _at_scale(run, status: str) -> str:
    return status if run.papers == TARGET_PAPERS else f"{status} at {run.papers:,} papers"


def _build_targets(run) -> list[list[str]]:
    ours = run.full.get("after")
    labels = [f"full build with search ≤ {TARGET_SECONDS:.0f} s at {TARGET_PAPERS:,} papers",
              "… peak RSS ≤ 1 GB, of one process (GNU time: the build, or one Pagefind run)",
              "… peak memory ≤ 1 GB, the processes together"]
    if not ours:
        return [[label, NOT_MEASURED, "–", "the city with the defaults (`--levers after`)"] for label in labels]
    m = ours.measured
    rendered = next((at for at, name, _ in ours.events if name.endswith("council.generator")), None)
    indexed = next((at for at, _, message in ours.events if "Suchindex in" in message), None)
    where = (f"pages written at {s(rendered)}, index done at {s(indexed)} of build_site"
             if rendered is not None and indexed is not None else "")
    rows = [[labels[0], f"{s(m.wall)} ({run.volume.get('chars', 0) / 1e6:,.0f} M characters)",
             _at_scale(run, verdict(m.wall, TARGET_SECONDS)),
             "–" if m.wall <= TARGET_SECONDS else f"{s(m.wall - TARGET_SECONDS)} to cut ({m.wall / TARGET_SECONDS:.1f}× "
             f"as fast); {where}"],
            [labels[1], mb(m.max_rss), _at_scale(run, verdict(m.max_rss, TARGET_RSS)), _over(m.max_rss)]]
    if getattr(m, "tree_pss", 0):
        rows.append([labels[2] + " (sampled: PSS summed over the build's processes)",
                     f"{mb(m.tree_pss)} (RSS summed: {mb(m.tree_rss)})", _at_scale(run, verdict(m.tree_pss, TARGET_RSS)),
                     _over(m.tree_pss)])
    elif run.bundles:
        # Runs saved before the sampling: the build process lives on while Pagefind runs, and
        # SEARCH_JOBS runs side by side: their sum is at most this (*estimated*).
        from plugins.search.jobs import MAX_DEFAULT_JOBS

        largest = sorted((b.measured.max_rss for b in run.bundles), reverse=True)[:MAX_DEFAULT_JOBS]
        total = m.max_rss + sum(largest)
        rows.append([labels[2] + f": build + {MAX_DEFAULT_JOBS} largest bundles side by side (*estimated* upper "
                     "bound, not measured)", mb(total), _at_scale(run, verdict(total, TARGET_RSS)),
                     "measure it: a run of this version samples the process tree"])
    return rows


def _over(value: float) -> str:
    return "–" if value <= TARGET_RSS else f"{mb(value - TARGET_RSS)} over"


def _change_target(run) -> list[str]:
    label = f"one changed meeting re-published with search ≤ {TARGET_CHANGE_SECONDS:.0f} s at {TARGET_PAGES:,} pages"
    step = next((st for st in run.changes or [] if "meeting" in st.name), None)
    if step is None:
        return [label, NOT_MEASURED, "–", "the city with the defaults (`--levers after`)"]
    wall, pages = step.build.measured.wall, run.site.html
    report_ = step.build.report or {}
    measured = (f"{s(wall)} at {pages:,} pages ({report_.get('rendered', '?')} pages rendered, "
                f"{report_.get('written', '?')} written; index {_index_way(step.build)})")
    status = f"{verdict(wall, TARGET_CHANGE_SECONDS)} at {pages:,} pages"
    remains = [] if wall <= TARGET_CHANGE_SECONDS else [f"{s(wall - TARGET_CHANGE_SECONDS)} to cut at this size"]
    if pages < TARGET_PAGES:
        scaled = wall * TARGET_PAGES / pages
        status += f"; *extrapolated* in proportion to {TARGET_PAGES:,} pages: {verdict(scaled, TARGET_CHANGE_SECONDS)}"
        remains.append(f"not measured at {TARGET_PAGES:,} pages: *{s(scaled)}* in proportion (an upper bound for "
                       "what grows no faster than the site)")
    return [label, measured, status, "; ".join(remains) or "–"]


def _flat_targets(run) -> list[list[str]]:
    if len(run.flat) < 2:
        return [[f"peak RSS of {label} at 2× the archive ≤ {TARGET_FLAT}× that at 1×", NOT_MEASURED, "–",
                 "`--flat N` measures N and 2N papers"] for label in ("import", "build with search")]
    a, b = run.flat[0], run.flat[1]
    rows = []
    for label, x, y in (("import", a.imported.max_rss, b.imported.max_rss),
                        ("build with search", a.built.measured.max_rss, b.built.measured.max_rss)):
        rows.append([f"peak RSS of {label} at 2× ≤ {TARGET_FLAT}× that at 1× ({a.papers:,} → {b.papers:,} papers)",
                     f"{y / x:.2f}× ({mb(x)} → {mb(y)})", verdict(y / x, TARGET_FLAT),
                     "–" if y / x <= TARGET_FLAT else f"{mb(y - TARGET_FLAT * x)} more than the target allows at "
                     f"{b.papers:,} papers"])
    return rows


def _import_targets(run) -> list[list[str]]:
    labels = ["the realistic archive's import: files/s, pages/s extracted, OCR pages/s",
              "text extraction measured (pypdf, pypdfium2, pdftotext: benchmarks/EXTRACTION.md)"]
    pdf = run.pdf
    if pdf is None:
        return [[label, NOT_MEASURED, "–", "`--pdf-papers N`"] for label in labels]
    r, seconds = pdf.first_run, pdf.first_run.seconds
    ocr_pages, ocr_seconds = r.report.get("ocr_pages", 0), r.report.get("ocr_seconds", 0.0)
    rates = (f"{r.report.get('files_downloaded', 0) / seconds:,.1f} files/s, {r.text_pages / seconds:,.1f} pages/s, "
             f"{ocr_pages / ocr_seconds:,.2f} OCR pages/s" if ocr_seconds else "OCR: none")
    return [[labels[0], f"{rates} at {pdf.papers:,} papers; peak RSS {mb(pdf.first.max_rss)}",
             "**measured** (no number set)", f"at {pdf.papers:,} papers, not {TARGET_PAPERS:,} (OCR takes hours)"],
            [labels[1], f"chosen: {pdf.backend} (EXTRACTION.md); in this import {r.text_pages:,} pages in {s(seconds)}",
             "**met** (measured)", "–" if pdf.ocr else "OCR was off: no Tesseract with German on this machine"]]
