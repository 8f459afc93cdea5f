"""A build of the demo council: every page kind, linked to the others, relative, with provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from ratsinfo.build import BuildFailed, build_site
from tests.support.site import internal_target, links_of

KIND_FOLDERS = ("sitzungen", "vorlagen", "personen", "gremien", "dateien")


def detail_pages(site: Path, folder: str) -> list[Path]:
    return sorted(p for p in (site / folder).glob("*.html") if p.name != "index.html")


def test_every_page_kind_is_built(demo_site):
    for name in ("index.html", "suche.html", "seiten/impressum.html", "pagefind/pagefind.js",
                 "theme/css/style.css"):
        assert (demo_site / name).is_file(), name
    for folder in KIND_FOLDERS:
        assert detail_pages(demo_site, folder), f"keine Seiten in {folder}/"
        if folder != "dateien":
            assert (demo_site / folder / "index.html").is_file()
    assert list((demo_site / "dateien").glob("*.pdf"))


@pytest.mark.parametrize("folder, must_link_to", [
    ("sitzungen", {"gremien", "vorlagen", "dateien"}),
    ("vorlagen", {"sitzungen", "gremien", "dateien"}),
    ("personen", {"gremien"}),
    ("gremien", {"personen", "sitzungen"}),
    ("dateien", {"vorlagen"}),
])
def test_page_kinds_link_to_each_other(demo_site, folder, must_link_to):
    reached = set()
    for page in detail_pages(demo_site, folder):
        for _, url in links_of(page):
            target = internal_target(demo_site, page, url)
            if target is not None and target.parent.name in KIND_FOLDERS:
                reached.add(target.parent.name)
    assert must_link_to <= reached


def test_all_internal_links_resolve_and_are_relative(demo_site):
    # 404.html is served at any address, so it links absolutely (BASE_PATH); see test_deploy.
    pages = sorted(p for p in demo_site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 500
    for page in pages:
        for tag, url in links_of(page):
            assert not url.startswith("/"), f"{page}: absoluter Pfad {url}"
            if tag in ("script", "link", "img"):
                assert not url.startswith(("http:", "https:", "//")), f"{page}: fremder Host {url}"
            target = internal_target(demo_site, page, url)
            if target is not None:
                assert target.is_file(), f"{page.relative_to(demo_site)}: toter Link {url}"


def test_every_object_page_names_its_source(demo_site, demo_server):
    for folder in KIND_FOLDERS:
        for page in detail_pages(demo_site, folder)[:20]:
            html = page.read_text(encoding="utf-8")
            assert "Quelle:" in html and demo_server.url in html, page


def test_pages_are_german_and_accessible_basics(demo_site):
    page = detail_pages(demo_site, "sitzungen")[0]
    html = page.read_text(encoding="utf-8")
    assert '<html lang="de">' in html
    assert 'href="#inhalt"' in html and '<main id="inhalt"' in html
    assert "<nav" in html and "<footer" in html


def test_failed_build_leaves_output_unchanged(tmp_path):
    output = tmp_path / "output"
    (output / "sitzungen").mkdir(parents=True)
    (output / "index.html").write_text("letzter guter Stand", encoding="utf-8")
    broken = tmp_path / "content"
    (broken / "meetings").mkdir(parents=True)
    (broken / "meetings" / "kaputt.md").write_text("---\nid: [kaputt\n---\n", encoding="utf-8")
    with pytest.raises(BuildFailed, match="kaputt"):
        build_site(broken, output)
    assert (output / "index.html").read_text(encoding="utf-8") == "letzter guter Stand"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_failed_overlay_build_leaves_the_previous_output_as_it_was(mini_content, tmp_path):
    """From the second build on, only changes are staged (ratsinfo/build.py): a failure
    while rendering must still leave every file of the last good build untouched."""
    import shutil

    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(mini_content, content)
    build_site(content, output, overrides={"PAGEFIND": False})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output.rglob("*") if p.is_file()}
    meeting = sorted((content / "meetings").glob("*.md"))[0]
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("name:", "name: [kaputt", 1), encoding="utf-8")
    with pytest.raises(BuildFailed, match="bleibt unverändert"):
        build_site(content, output, overrides={"PAGEFIND": False})
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_a_40_item_agenda_page_stays_under_100_kb(tmp_path):
    from importers.content import render_front_matter

    content = tmp_path / "content"
    (content / "meetings").mkdir(parents=True)
    (content / "organizations").mkdir()
    (content / "organizations" / "sr.md").write_bytes(render_front_matter({"id": "sr", "name": "Stadtrat"}))
    agenda = [
        {"id": str(n), "number": f"Ö {n}", "public": n <= 32,
         "name": "Bebauungsplan Nr. 123 „Wohnen an der Aue“ – Abwägung und Satzungsbeschluss " * 2,
         "result": "mehrheitlich beschlossen", "resolution_text": "Der Stadtrat beschließt … " * 20}
        for n in range(1, 41)
    ]
    (content / "meetings" / "m.md").write_bytes(render_front_matter({
        "id": "m", "name": "12. Sitzung des Stadtrates", "start": "2026-03-12T17:00:00+01:00",
        "organizations": ["sr"], "agenda": agenda}))
    build_site(content, tmp_path / "output", overrides={"PAGEFIND": False})
    size = (tmp_path / "output" / "sitzungen" / "m.html").stat().st_size
    assert size < 100 * 1024, f"{size} Bytes"


def test_content_parsed_on_every_core_reads_like_one_core_and_names_a_broken_file(demo_content, monkeypatch):
    """A first build of a big city parses its files in worker processes (reading.parse_files)."""
    from plugins.council import reading

    paths = sorted(str(p) for p in (demo_content / "papers").glob("*.md"))
    serial = [reading.read_front_matter(Path(p)) for p in paths]
    monkeypatch.setattr(reading, "PARALLEL_PARSE_FROM", 2)
    assert reading.parse_files(paths) == serial

    broken = Path(paths[0]).parent.parent.parent / "kaputt.md"
    broken.write_text("---\nid: [kaputt\n---\n", encoding="utf-8")
    try:
        with pytest.raises(reading.ContentError, match="kaputt.md"):
            reading.parse_files(paths[:5] + [str(broken)])
    finally:
        broken.unlink()


def test_a_second_build_into_the_same_output_stops_with_a_message(mini_content, tmp_path, monkeypatch):
    """Overlapping builds (a cron job and a webmaster) would apply their overlays over each other."""
    import fcntl

    from ratsinfo import build
    from ratsinfo.build import lock_file

    # A build waits a few seconds for a lock a killed build's children may still hold for a moment;
    # this one is held for good, so a short wait says the same.
    monkeypatch.setattr(build, "LOCK_WAIT", 0.5)

    output = tmp_path / "output"
    with open(lock_file(output), "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        with pytest.raises(BuildFailed, match="baut gerade ein anderer Build"):
            build_site(mini_content, output, overrides={"PAGEFIND": False})
        fcntl.flock(held, fcntl.LOCK_UN)
    assert not output.exists()
    build_site(mini_content, output, overrides={"PAGEFIND": False})
    assert (output / "index.html").is_file()


def test_an_overlay_compares_a_big_unchanged_dump_without_holding_it_in_memory(tmp_path):
    """At city scale daten/files.jsonl holds some hundred million characters of document text:
    reading it and its old copy whole to compare them took twice its size at the end of every build."""
    import json
    import os
    import tracemalloc

    from ratsinfo.build import apply_overlay
    from ratsinfo.contracts import BUILD_STATE

    staging, output = tmp_path / "staging", tmp_path / "output"
    payload = os.urandom(1 << 20) * 16
    for folder in (staging, output):
        (folder / "daten").mkdir(parents=True)
        (folder / "daten" / "files.jsonl").write_bytes(payload)
        (folder / BUILD_STATE).parent.mkdir(parents=True, exist_ok=True)
    (staging / BUILD_STATE).write_text(json.dumps({"pages": {}}), encoding="utf-8")
    before = (output / "daten" / "files.jsonl").stat().st_mtime_ns
    tracemalloc.start()
    try:
        apply_overlay(staging, output)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (output / "daten" / "files.jsonl").stat().st_mtime_ns == before
    assert peak < len(payload) // 4, f"{peak / 1e6:.1f} MB beim Vergleich von {len(payload) / 1e6:.1f} MB"


def test_a_document_is_under_the_section_its_breadcrumbs_name(mini_site):
    """A meeting's invitation sits under "Sitzungen" in the main navigation, as its breadcrumbs say;
    a paper's document under "Vorlagen"."""
    import re

    def marked(page: str) -> str:
        html = (mini_site / page).read_text(encoding="utf-8")
        header = html.split('class="breadcrumbs"')[0]
        return re.findall(r'aria-current="true">([^<]+)</a>', header)

    assert marked("dateien/1.html") == ["Sitzungen"]
    assert marked("dateien/3.html") == ["Vorlagen"]


def test_the_demo_builds_with_the_real_today_as_make_html_builds_it(demo_content, tmp_path):
    """`make html` builds the demo on the day it runs, the other tests on a pinned day (DEMO_TODAY):
    what today's date shows (upcoming meetings, calendar months, the "today" of each page) must
    build too. A demo text once broke `make html` only."""
    from ratsinfo.build import build_site

    built = build_site(demo_content, tmp_path / "output", overrides={"PAGEFIND": False})
    assert built.report.rendered > 1000 and (tmp_path / "output" / "index.html").is_file()
