"""The city benchmark's report (benchmarks/city_report.py) and its memory sampling (benchmarks/measure.py).

The report is rendered from a small made-up run: every target of issue 19 gets a row with met or
not met and what remains, whether or not this run measured it. The sampler is tried on a real
process tree. No timing is asserted (benchmarks/README.md: timings live in RESULTS.md).
"""

from __future__ import annotations

import subprocess
import sys

from benchmarks import city_report, portal
from benchmarks.city_build import CityRun, FlatPoint, PdfImport
from benchmarks.measure import Changes, Measured, TreeSampler, tree_memory
from benchmarks.run import Step

MACHINE = {"date": "2026-12-02 10:00 UTC", "cpu": "test", "cores": "2", "ram": "4 GiB", "python": "3.11",
           "pelican": "4.12", "pagefind": "pagefind 1.5", "load": "0 / 0 / 0"}
MB = 1_000_000


def measured(wall: float, rss_mb: float, tree_pss_mb: float = 0) -> Measured:
    return Measured(wall, wall * 0.8, wall * 0.1, int(rss_mb * MB), "", "",
                    int(tree_pss_mb * 1.5 * MB), int(tree_pss_mb * MB), 0.1)


def build(wall: float, rss_mb: float, tree_pss_mb: float = 0, events=(), report=None) -> portal.BuildRun:
    return portal.BuildRun(measured(wall, rss_mb, tree_pss_mb), wall - 1, 800, list(events), report)


FULL_EVENTS = [[50.0, "plugins.council.generator", "ratsinfo: 800 Seiten gerendert (800 neu geschrieben)"],
               [95.0, "plugins.search", "ratsinfo: Suchindex in 3 Teilen, 3 neu indexiert, 0 übernommen"]]
DELTA_EVENTS = [[0.8, "plugins.council.generator", "ratsinfo: 20 Seiten gerendert (7 neu geschrieben)"],
                [1.9, "plugins.search.delta", "ratsinfo: Suchindex-Nachtrag mit 9 Seiten, 4 veraltete Einträge ausgeblendet"],
                [2.0, "plugins.search", "ratsinfo: Suchindex in 3 Teilen, 0 neu indexiert, 3 übernommen"]]


def city(**extra) -> CityRun:
    run = CityRun(14_000, MACHINE, counts={"Paper": 14_000}, volume={"chars": 290e6, "files": 37_000})
    run.imported = measured(150, 900)
    run.site = portal.SiteSize(1_500 * MB, 60_000, 56_000)
    run.full["after"] = build(100.0, 600, tree_pss_mb=1_300, events=FULL_EVENTS)
    changes = Changes(7, 0, 59_000, 12, 0, 3_000, {".html": 7})
    run.changes = [Step("one meeting renamed (meetings/12.md)", build(2.5, 400, events=DELTA_EVENTS, report={
                            "rendered": 20, "written": 7, "bundles_indexed": 0}), changes),
                   Step("one paper added (papers/14001.md)", build(4.0, 400, report={"bundles_indexed": 1}), changes)]
    for key, value in extra.items():
        setattr(run, key, value)
    return run


def pdf_import() -> PdfImport:
    volume = {"files": 108, "bytes": 12 * MB, "chars": 900_000, "scanned_pages": 30, "files_with_scans": 14}
    first = portal.ImportRun(60.0, 700, 900, {"mode": "full", "files_downloaded": 108, "ocr_pages": 30,
                                              "ocr_seconds": 45.0}, text_files=100, text_pages=420)
    again = portal.ImportRun(3.0, 700, 120, {"mode": "incremental", "files_downloaded": 0}, 100, 420)
    return PdfImport(40, {"Paper": 40, "File": 108}, volume, 4.0, measured(61, 250, 400), first,
                     measured(4, 150), again, "pdftotext", True)


def targets(text: str) -> dict[str, str]:
    """The targets table's rows, by the start of their first cell."""
    part = text.split("### Against the targets of issue 19", 1)[1]
    rows = [line.split(" | ") for line in part.splitlines() if line.startswith("| ") and "---" not in line]
    return {row[0].lstrip("| "): " | ".join(row[1:]) for row in rows[1:]}


def row(rows: dict[str, str], start: str) -> str:
    found = [value for name, value in rows.items() if name.startswith(start)]
    assert len(found) == 1, (start, list(rows))
    return found[0]


def test_every_target_of_issue_19_has_a_row_with_a_status_and_what_remains():
    run = city(pdf=pdf_import(), flat=[FlatPoint(1_000, 22e6, measured(17, 400), build(21, 90)),
                                       FlatPoint(2_000, 44e6, measured(17, 440), build(50, 130))])
    rows = targets(city_report.render(run))
    full = row(rows, "full build with search ≤ 80 s")
    assert "**not met**" in full and "20.0 s to cut" in full and "index done at 95.0 s" in full
    assert "**met**" in row(rows, "… peak RSS ≤ 1 GB, of one process")
    together = row(rows, "… peak memory ≤ 1 GB, the processes together (sampled")
    assert "1,300.0 MB" in together and "**not met**" in together and "300.0 MB over" in together
    change = row(rows, "one changed meeting re-published with search ≤ 3 s at 100,000 pages")
    assert "at 56,000 pages" in change and "20 pages rendered, 7 written" in change and "to the delta" in change
    assert "*extrapolated*" in change
    assert "**met**" in row(rows, "peak RSS of import at 2×")
    assert "**not met**" in row(rows, "peak RSS of build with search at 2×")
    assert "OCR pages/s" in row(rows, "the realistic archive's import")
    assert "chosen: pdftotext" in row(rows, "text extraction measured")


def test_targets_not_measured_in_a_run_say_so_instead_of_vanishing():
    run = CityRun(300, MACHINE)
    rows = targets(city_report.render(run))
    assert len(rows) == 8
    assert all("not measured in this run" in value for value in rows.values())


def test_a_run_saved_before_the_new_parts_still_renders():
    """--write-only of a pickle from the earlier version: no changes, no PDF import, no sampled memory."""
    run = city()
    del run.changes, run.pdf  # as unpickled from the earlier version: the class attribute None stands in
    run.full["after"] = portal.BuildRun(Measured(100.0, 80, 10, 600 * MB, "", ""), 99, 800, FULL_EVENTS)
    text = city_report.render(run)
    assert "### One change re-published with search" not in text
    assert "the processes together (sampled" not in text
    assert "not measured in this run" in row(targets(text), "one changed meeting")


def test_the_sections_of_the_pdf_import_and_of_the_change_say_at_which_scale_and_how_the_index_went():
    text = city_report.render(city(pdf=pdf_import()))
    pdf = text.split("### The realistic archive's import with its PDFs, at 40 papers", 1)[1].split("###")[0]
    assert "not the city's 14,000" in pdf and "OCR" in pdf
    assert "| second import, nothing changed at the source |" in pdf and "incremental" in pdf
    change = text.split("### One change re-published with search", 1)[1].split("###")[0]
    assert "56,000 HTML pages" in change and "100,000 pages" in change
    assert "one paper added (papers/14001.md): **no delta**, 1 bundle(s) indexed again" in change
    assert "The sampling took 0.10 s of CPU in the measuring process" in text


def test_the_sampler_sums_a_process_tree_and_counts_shared_pages_once_in_pss():
    allocate = 80 * MB
    child = f"""
import os, sys
block = bytearray({allocate})
for i in range(0, len(block), 4096):
    block[i] = 1
if os.fork() == 0:  # shares the parent's block (copy on write) and reads it only
    sys.stdin.read()
    os._exit(0)
print("ready", flush=True)
sys.stdin.read()
"""
    process = subprocess.Popen([sys.executable, "-c", child], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "ready\n"
        rss, pss = tree_memory(process.pid)
        sampler = TreeSampler(process.pid)  # samples once at its start, so finish() at once has a value
        sampler.finish()
    finally:
        process.communicate("")
    assert rss >= 2 * allocate          # the block in both processes
    assert allocate <= pss < 1.5 * allocate  # the block once, split between them
    assert sampler.rss >= 2 * allocate and sampler.pss >= allocate


def test_a_run_replaces_its_own_section_and_keeps_what_was_written_by_hand(tmp_path):
    """RESULTS.md holds notes measured by hand between and after the sections: a run rewrites only
    its own section (the city bench once dropped two hand-written sections after its own)."""
    from types import SimpleNamespace

    from benchmarks import report

    results = tmp_path / "RESULTS.md"

    def section(key: str, body: str) -> str:
        return f"<!-- bench:papers={key} -->\n## {body}\n<!-- /bench:papers={key} -->\n"

    def written(key: str, body: str):
        report.write_section(results, SimpleNamespace(section=key), lambda run: section(key, body))

    written("2000", "first")
    results.write_text(results.read_text(encoding="utf-8") + "\n## By hand, after\n", encoding="utf-8")
    written("14000-city-build", "city")
    written("500-realistic", "small")
    text = results.read_text(encoding="utf-8")
    written("2000", "again")
    again = results.read_text(encoding="utf-8")
    assert again == text.replace("## first", "## again")
    assert again.startswith(report.HEADER)
    # A new section joins the others by scale, before what follows them.
    order = [again.index(x) for x in ("## small", "## again", "## city", "## By hand, after")]
    assert order == sorted(order), again
