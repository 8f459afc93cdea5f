"""An incremental build gives byte-identical output to a full build, and renders only what changed."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from importers.content import read_front_matter, render_front_matter
from ratsinfo.build import BuildFailed, build_site
from ratsinfo.contracts import OPARL_STATE
from ratsinfo.manifest import verify_manifest
from tests.conftest import DEMO_TODAY, MINI_OVERRIDES
from tests.support.site import searched_fragments
from tests.support.sqlite_content import sqlite_content

OVERRIDES = {"RATSINFO_TODAY": DEMO_TODAY}


# The search plugin's record of what each bundle was indexed from (page fingerprints, or a file's
# inode and mtime where a page has none): bookkeeping, not site. What the index holds is
# compared by `indexed`.
SEARCH_STATE = "_ratsinfo/search-state.json"


# Each file's hash with its inode and mtime (ratsinfo/manifest.py): bookkeeping, too.
CHECKSUMS = "_ratsinfo/checksums.json"


# The dumps' database: an incremental build patches the last one row by row (plugins/opendata),
# so its bytes differ from a database made whole; what it holds is compared (sqlite_content).
SQLITE = "daten/ratsinfo.sqlite"


def tree(folder: Path) -> dict:
    """Every file but Pagefind's bundle, which Pagefind itself does not write byte-stably
    (two fresh builds of the same pages differ in a few index files). Of SHA256SUMS, the
    lines of the files compared; of the SQLite dump, its content. Checks that SHA256SUMS
    holds for the folder, too."""
    files = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and "pagefind" not in p.relative_to(folder).parts
        and p.relative_to(folder).as_posix() not in (SEARCH_STATE, CHECKSUMS)
    }
    if SQLITE in files:
        files[SQLITE] = sqlite_content(folder / SQLITE)
    if "SHA256SUMS" in files:
        assert verify_manifest(folder)[1] == []
        files["SHA256SUMS"] = manifest_of(files["SHA256SUMS"], set(files) - {SQLITE})
    return files


def manifest_of(manifest: bytes, names: set[str]) -> bytes:
    """The lines of SHA256SUMS for `names` (the mini and demo sites need no escaped names)."""
    return b"\n".join(line for line in manifest.splitlines() if line.split(b"  ", 1)[1].decode() in names)


def indexed(folder: Path) -> list[tuple[str, str]]:
    """What a search finds: with a delta index (plugins/search/delta.py), its entries and not the stale ones."""
    return sorted((f["url"], f["content"]) for f in searched_fragments(folder))


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.html")}


def test_incremental_build_equals_full_build_and_renders_only_dependent_pages(demo_content, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(demo_content, content)
    site = tmp_path / "site"
    build_site(content, site, overrides=OVERRIDES)
    before = mtimes(site)

    # One meeting changes its name; a new paper arrives.
    meeting_file = sorted((content / "meetings").glob("*.md"))[3]
    meeting = read_front_matter(meeting_file)
    meeting["name"] = "Geänderte Sitzung"
    meeting_file.write_bytes(render_front_matter(meeting))
    (content / "papers" / "neu-1.md").write_bytes(render_front_matter({
        "id": "neu-1", "source": "https://example.org/papers/neu-1", "name": "Neue Vorlage zum Hochwasserschutz",
        "reference": "VO/2026/9999", "date": "2026-11-19", "paper_type": "Beschlussvorlage"}))
    build_site(content, site, overrides=OVERRIDES)

    full = tmp_path / "full"
    build_site(content, full, overrides={**OVERRIDES, "RATSINFO_CACHE": False})
    assert tree(site) == tree(full)
    assert indexed(site) == indexed(full)

    after = mtimes(site)
    changed = {path for path in after if before.get(path) != after[path]}
    detail_pages = [p for p in after if p.split("/")[0] in ("sitzungen", "vorlagen", "personen", "gremien", "dateien")]
    assert f"sitzungen/{meeting['id']}.html" in changed and "vorlagen/vo-2026-9999.html" in changed
    assert len(changed) < len(after) / 4, f"{len(changed)} von {len(after)} Seiten neu geschrieben"
    assert len([p for p in changed if p in detail_pages]) < 60


def test_a_changed_file_is_always_picked_up_even_with_the_same_size_and_mtime(demo_content, tmp_path):
    import os

    content = tmp_path / "content"
    shutil.copytree(demo_content, content)
    site = tmp_path / "site"
    build_site(content, site, overrides={**OVERRIDES, "PAGEFIND": False})
    person_file = sorted((content / "persons").glob("*.md"))[0]
    person = read_front_matter(person_file)
    old = person_file.stat()
    renamed = person["name"][::-1]  # same length, same bytes count
    person["name"] = renamed
    person_file.write_bytes(render_front_matter(person))
    os.utime(person_file, ns=(old.st_atime_ns, old.st_mtime_ns))
    build_site(content, site, overrides={**OVERRIDES, "PAGEFIND": False})
    assert renamed in (site / "personen" / f"{person['id']}.html").read_text(encoding="utf-8")


def _edit(path: Path, **changes):
    data = read_front_matter(path)
    data.update(changes)
    path.write_bytes(render_front_matter(data))
    return data


def _meeting_of_a_committee_with_papers(content: Path) -> Path:
    for path in sorted((content / "meetings").glob("*.md")):
        data = read_front_matter(path)
        if data.get("organizations") and any(i.get("paper") for i in data.get("agenda") or []):
            return path
    raise AssertionError("keine Sitzung mit Gremium und Vorlage im Demo-Rat")


def _next_import_day(content: Path):
    note = content / "site.yaml"
    data = yaml.safe_load(note.read_text(encoding="utf-8"))
    data["data_as_of"] = (datetime.fromisoformat(data["data_as_of"]) + timedelta(days=1)).isoformat()
    note.write_text(yaml.safe_dump(data), encoding="utf-8")


def _differs_from_a_build_without_cache(content: Path, site: Path, full: Path, overrides: dict) -> list[str]:
    """The files in which `site` differs from a build of `content` from nothing (into `full`)."""
    shutil.rmtree(full, ignore_errors=True)
    # The OParl API's history (tombstones of deleted objects, plugins/oparlapi/stamps.py) is carried
    # from build to build by design, as redirects are: the build from nothing starts with the same.
    history = site / OPARL_STATE
    if history.is_file():
        (full / OPARL_STATE).parent.mkdir(parents=True)
        shutil.copy2(history, full / OPARL_STATE)
    build_site(content, full, overrides={**overrides, "RATSINFO_CACHE": False})
    incremental, expected = tree(site), tree(full)
    return sorted(p for p in expected.keys() | incremental.keys() if incremental.get(p) != expected.get(p))


def test_lists_calendars_and_feeds_follow_every_kind_of_change(small_city_content, tmp_path):
    """Lists, month calendars and .ics files are reused when unchanged: each kind of
    change below must still reach every page it shows on, as a full build has it."""
    content = tmp_path / "content"
    shutil.copytree(small_city_content, content)
    site = tmp_path / "site"
    overrides = {**OVERRIDES, "PAGEFIND": False, "PUBLIC_URL": "https://rat.example/"}
    build_site(content, site, overrides=overrides)

    meeting_file = _meeting_of_a_committee_with_papers(content)
    meeting = read_front_matter(meeting_file)
    organization_file = content / "organizations" / f"{meeting['organizations'][0]}.md"
    papers = sorted((content / "papers").glob("*.md"))
    # A committee with no feed yet: its page offers none (plugins/feeds/subscriptions.py).
    unfed = next(p.stem for p in sorted((content / "organizations").glob("*.md"))
                 if not (site / "feeds" / f"gremium-{p.stem}.atom").exists())
    first_paper = content / "papers" / "erste-beratung.md"
    changes = {
        # A committee's new name: untitled meetings, calendar filter, committee calendars.
        "Gremium umbenannt": lambda: _edit(organization_file, name="Ausschuss für Umbenennungen"),
        # A meeting moves to another month and year: month pages, year lists, home page.
        "Sitzung verlegt": lambda: _edit(meeting_file, start="2019-02-14T17:00:00+01:00",
                                         end="2019-02-14T19:00:00+01:00"),
        # A paper vanishes: every later page of its lists shifts.
        "Vorlage gelöscht": lambda: papers[len(papers) // 2].unlink(),
        "Person umbenannt": lambda: _edit(sorted((content / "persons").glob("*.md"))[1], name="Zora Zyxwv",
                                          family_name="Zyxwv"),
        "Sitzung gelöscht": lambda: meeting_file.unlink(),
        # A committee's first paper, which it consults: its feed is written and its page links it,
        # though the page shows nothing of the paper. Then the paper goes, and feed and link with it.
        "erste Vorlage eines Gremiums": lambda: first_paper.write_bytes(render_front_matter({
            "id": "erste-beratung", "source": "https://example.org/papers/erste-beratung",
            "name": "Erste Vorlage zur Beratung", "reference": "VO/2026/9998", "date": "2026-11-18",
            "consultations": [{"source": "https://example.org/consultations/erste-beratung",
                               "organizations": [unfed], "role": "Vorberatung"}]})),
        "einzige Vorlage des Gremiums gelöscht": lambda: first_paper.unlink(),
        # A new day, in a new month: upcoming meetings, current members, the marked day,
        # the window of the subscription calendars.
        "zwei Wochen später": lambda: overrides.update(RATSINFO_TODAY="2026-12-04"),
        # The next night's import: every footer shows the new "Stand der Daten" (re-dated, not rendered).
        "Import am nächsten Tag": lambda: _next_import_day(content),
        # Without the importer's note no footer has a date: nothing to re-date, all rendered.
        "ohne Importnotiz": lambda: (content / "site.yaml").unlink(),
    }
    offered = {
        "erste Vorlage eines Gremiums": True,
        "einzige Vorlage des Gremiums gelöscht": False,
    }
    for name, change in changes.items():
        change()
        build_site(content, site, overrides=overrides)
        differing = _differs_from_a_build_without_cache(content, site, tmp_path / "full", overrides)
        assert not differing, f"{name}: {differing[:10]}"
        if name in offered:
            page = (site / "gremien" / f"{unfed}.html").read_text(encoding="utf-8")
            feed = f"feeds/gremium-{unfed}.atom"
            assert ((site / feed).is_file(), feed in page) == (offered[name],) * 2, name


def test_a_new_day_of_data_re_dates_pages_without_rendering_them(demo_content, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(demo_content, content)
    site = tmp_path / "site"
    build_site(content, site, overrides={**OVERRIDES, "PAGEFIND": False})
    _next_import_day(content)
    report = build_site(content, site, overrides={**OVERRIDES, "PAGEFIND": False}).report
    pages = sum(1 for _ in site.rglob("*.html"))
    assert report.overlay and report.redated > pages * 0.9 and report.rendered < 10, report


def _with_text(content: Path) -> Path:
    """A document with its text beside it (foo.md, foo.txt)."""
    return next(p for p in sorted((content / "files").glob("*.md")) if p.with_suffix(".txt").is_file())


def test_edits_copied_onto_the_graph_snapshot_give_the_full_build(small_city_content, tmp_path):
    """A rebuild after edits that leave the graph's links and orders alone copies them onto the
    snapshot of the last load (plugins/council/reuse/snapshot.py) instead of reading every file; if
    templates alone show what was edited, it also keeps the last full planning's plan
    (plugins/council/reuse/plan_index.py). Other edits load the graph in full. Every way must give
    what a build from nothing gives."""
    content = tmp_path / "content"
    shutil.copytree(small_city_content, content)
    site = tmp_path / "site"
    overrides = {**OVERRIDES, "PAGEFIND": False, "PUBLIC_URL": "https://rat.example/"}
    build_site(content, site, overrides=overrides)

    meeting_file = _meeting_of_a_committee_with_papers(content)
    meeting = read_front_matter(meeting_file)
    agenda = [dict(item, result="abgelehnt", name=f"{item.get('name')} (neu)") if item.get("public") is not False
              else item for item in meeting["agenda"]]
    paper_file = sorted((content / "papers").glob("*.md"))[2]
    person_file = next(p for p in sorted((content / "persons").glob("*.md")) if read_front_matter(p).get("memberships"))
    person = read_front_matter(person_file)
    memberships = [dict(m, voting_right=not m.get("voting_right")) for m in person["memberships"]]
    organization_file = content / "organizations" / f"{meeting['organizations'][0]}.md"
    text_file = _with_text(content).with_suffix(".txt")
    # (how the graph was loaded, where the plan came from): BuildResult.report
    plan_kept, plan_anew, loaded_in_full = ("snapshot", "index"), ("snapshot", "planned"), ("loaded", "planned")
    changes = [
        # Only templates show these: the plan of the last full planning holds.
        ("Sitzung umbenannt, Ergebnisse", plan_kept, lambda: _edit(meeting_file, name="Sondersitzung", agenda=agenda)),
        ("Vorlage umbenannt", plan_kept, lambda: _edit(paper_file, name="Umbenannte Vorlage")),
        ("Person: Anrede, Stimmrecht", plan_kept, lambda: _edit(person_file, form_of_address="Frau Dr.",
                                                               memberships=memberships)),
        ("Dokumenttext geändert", plan_kept, lambda: text_file.write_text("Ganz neuer Text.\n\nZweiter Absatz.",
                                                                          encoding="utf-8")),
        # The plan reads these (upcoming meetings, lists by type, groups): planned anew.
        ("Sitzung abgesagt", plan_anew, lambda: _edit(meeting_file, cancelled=True)),
        ("Vorlage mit neuer Art", plan_anew, lambda: _edit(paper_file, paper_type="Anfrage")),
        ("Gremium wird Fraktion", plan_anew, lambda: _edit(organization_file, short_name="UA",
                                                          organization_type="Fraktion")),
        # The start orders a committee's meetings: loaded in full.
        ("Sitzung verlegt", loaded_in_full, lambda: _edit(meeting_file, start="2019-02-14T17:00:00+01:00")),
        ("neue Person", loaded_in_full, lambda: (content / "persons" / "neu-1.md").write_bytes(
            render_front_matter({"id": "neu-1", "name": "Neue Person", "family_name": "Person"}))),
        # After a full load, a new snapshot and plan.
        ("Sitzung noch einmal umbenannt", plan_kept, lambda: _edit(meeting_file, name="Letzte Sitzung")),
    ]
    for name, way, change in changes:
        change()
        report = build_site(content, site, overrides=overrides).report
        assert (report.graph, report.plan) == way, f"{name}: {report}"
        differing = _differs_from_a_build_without_cache(content, site, tmp_path / "full", overrides)
        assert not differing, f"{name}: {differing[:10]}"


def test_an_agenda_item_made_non_public_after_the_snapshot_vanishes_everywhere(small_city_content, tmp_path):
    """The publication rule holds on every way a rebuild can take: an item made non-public loads
    the graph in full (the flag is no field to copy onto the snapshot), and text put into a
    non-public item by hand is dropped when the edit is copied onto the snapshot."""
    content = tmp_path / "content"
    shutil.copytree(small_city_content, content)
    site = tmp_path / "site"
    overrides = {**OVERRIDES, "PAGEFIND": False, "PUBLIC_URL": "https://rat.example/"}
    build_site(content, site, overrides=overrides)
    meeting_file = _meeting_of_a_committee_with_papers(content)
    meeting = read_front_matter(meeting_file)
    secret = "Grundstücksverkauf Geheimweg 7"
    agenda = [dict(meeting["agenda"][0], name=secret, public=True), *meeting["agenda"][1:]]
    _edit(meeting_file, agenda=agenda)
    build_site(content, site, overrides=overrides)
    assert any(secret in page.decode("utf-8", "replace") for page in tree(site).values())

    steps = [
        # Loaded in full: whether an item is public is no field to copy.
        ("nichtöffentlich gemacht", dict(agenda[0], public=False), False),
        # Then its result is written in by hand: from the snapshot, with the plan kept.
        ("Ergebnis ergänzt", dict(agenda[0], public=False, result=secret), True),
    ]
    for name, item, from_snapshot in steps:
        _edit(meeting_file, agenda=[item, *agenda[1:]])
        report = build_site(content, site, overrides=overrides).report
        assert (report.graph == "snapshot", report.plan == "index") == (from_snapshot,) * 2, f"{name}: {report}"
        leaking = [path for path, page in tree(site).items() if secret.encode() in page]
        assert not leaking, f"{name}: {leaking}"
        assert not _differs_from_a_build_without_cache(content, site, tmp_path / "full", overrides), name


def test_a_broken_edit_is_reported_as_without_snapshot(demo_content, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(demo_content, content)
    site = tmp_path / "site"
    build_site(content, site, overrides={**OVERRIDES, "PAGEFIND": False})
    before = tree(site)
    meeting_file = sorted((content / "meetings").glob("*.md"))[0]
    meeting_file.write_text("---\nid: [kaputt\n---\n", encoding="utf-8")
    try:
        build_site(content, site, overrides={**OVERRIDES, "PAGEFIND": False})
    except BuildFailed as exc:
        assert meeting_file.name in str(exc) and "ungültiges YAML" in str(exc)
    else:
        raise AssertionError("ein kaputter Inhalt wurde gebaut")
    assert tree(site) == before


def test_a_build_reports_which_path_it_took(mini_content, tmp_path):
    """BuildResult.report: what tests ask instead of reading the log."""
    content = tmp_path / "content"
    shutil.copytree(mini_content, content)
    site = tmp_path / "site"
    first = build_site(content, site, overrides=MINI_OVERRIDES).report
    assert (first.overlay, first.graph, first.plan, first.reused) == (False, "loaded", "planned", 0)
    assert first.rendered > 30 and first.written == first.rendered
    assert (first.bundles_indexed, first.bundles_kept) == (1, 0)
    again = build_site(content, site, overrides=MINI_OVERRIDES).report
    assert (again.overlay, again.graph, again.plan, again.written, again.redated) == (True, "snapshot", "index", 0, 0)
    assert again.reused > 30 and (again.bundles_indexed, again.bundles_kept) == (0, 1)
