"""The RESULTS.md section of benchmarks/city_build.py: a city-size archive's full build with search."""

from __future__ import annotations

from pathlib import Path

from benchmarks import report
from benchmarks.report import mb, s, table, verdict

TARGET_SECONDS = 80.0
TARGET_RSS = 1e9
TARGET_FLAT = 1.2


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
        out += _city(run) + _phases(run) + _bundles(run) + _levers(run) + _anchors(run)
    out += _flat(run) + _targets(run)
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
                     f"{index.get('bundles', 0)}", mb(index.get("bytes", 0))])
    return ["### Full build with search, before and after the levers",
            "`build_site` with Pagefind into an empty output/, parse cache cold, as `ratsinfo build` does; the "
            "sets of settings interleaved in one run (the faster of each when there were several rounds).",
            table(["settings", "wall", "vs. before", "CPU", "peak RSS", "bundles", "index"], rows)]


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
    rows = []
    ours = run.full.get("after")
    if ours:
        m = ours.measured
        rows.append([f"full build with search ≤ {TARGET_SECONDS:.0f} s at {run.papers:,} papers", s(m.wall),
                     verdict(m.wall, TARGET_SECONDS)])
        rows.append(["… peak RSS ≤ 1 GB, of one process (GNU time: the build, or one Pagefind run)", mb(m.max_rss),
                     verdict(m.max_rss, TARGET_RSS)])
        if run.bundles:
            # GNU time gives the largest single process; the build process lives on while Pagefind
            # runs, and SEARCH_JOBS runs side by side: their sum is at most this (*estimated*).
            from plugins.search.jobs import MAX_DEFAULT_JOBS

            jobs = MAX_DEFAULT_JOBS
            largest = sorted((b.measured.max_rss for b in run.bundles), reverse=True)[:jobs]
            total = m.max_rss + sum(largest)
            rows.append([f"… the processes together: build + {jobs} largest bundles side by side (*estimated* upper "
                         "bound, not measured)", mb(total), verdict(total, TARGET_RSS)])
    if len(run.flat) >= 2:
        a, b = run.flat[0], run.flat[1]
        for label, x, y in (("import", a.imported.max_rss, b.imported.max_rss),
                            ("build with search", a.built.measured.max_rss, b.built.measured.max_rss)):
            rows.append([f"peak RSS of {label} at 2× ≤ {TARGET_FLAT}× that at 1× ({a.papers:,} → {b.papers:,} papers)",
                         f"{y / x:.2f}×", verdict(y / x, TARGET_FLAT)])
    return ["### Against the targets of issue 19", table(["target", "measured", "status"], rows)] if rows else []
