"""Removal on request (issue 18): the takedown ledger reaches every copy, survives re-imports and
incremental builds, and `ratsinfo takedown` is checked and logged. On the mini-site (fast tier);
the demo acceptance run is tests/test_takedown_demo.py."""

from __future__ import annotations

import getpass
import json
import shutil
from datetime import date
from pathlib import Path

import httpx
import pytest

from plugins.council import withhold
from plugins.council.loading import load_graph
from ratsinfo import takedown
from ratsinfo.build import build_site
from ratsinfo.cli import main
from ratsinfo.publish import publish, purge_releases
from ratsinfo.takedown_scan import scanner
from tests.conftest import MINI_OVERRIDES, MINI_SOURCE
from tests.support.apache import apache_serving
from tests.support.site import pagefind_fragments
from tests.support.takedown import ledger_text, occurrences

# Planted through the ledger: a person, a paper (name and reference) and a text in a document.
LEDGER = ledger_text(("zurueckhalten", "person 2"), ("zurueckhalten", "vorlagen/af-2026-0002.html"),
                     ("schwaerzen", "drei Stellplätzen"))
CANARIES = ("Jonas Beispiel", "Grundstücksangelegenheit", "AF/2026/0002", "drei Stellplätzen")


def _site(folder: Path, ledger: str | None) -> Path:
    content = folder / "content"
    shutil.copytree(MINI_SOURCE, content)
    if ledger is not None:
        (folder / takedown.DEFAULT_FILE).write_text(ledger, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def taken_down(tmp_path_factory):
    """The mini-site built with the ledger (beside content/, as in a site folder)."""
    content = _site(tmp_path_factory.mktemp("takedown"), LEDGER)
    build_site(content, content.parent / "output", overrides=MINI_OVERRIDES)
    return content.parent / "output"


def test_the_canaries_are_published_without_the_ledger(mini_site):
    assert set(occurrences(mini_site, CANARIES)) == set(CANARIES)


def test_canaries_withheld_through_the_ledger_are_in_no_output_file(taken_down):
    assert occurrences(taken_down, CANARIES) == {}
    index = "\n".join(f["content"] + " " + json.dumps(f.get("meta"), ensure_ascii=False)
                      for f in pagefind_fragments(taken_down)).casefold()
    assert index and not [c for c in CANARIES if c.casefold() in index]


def test_a_redacted_document_is_not_mirrored_and_its_reading_view_shows_the_redaction(taken_down, mini_site):
    assert (mini_site / "dateien" / "3.pdf").is_file()
    assert not (taken_down / "dateien" / "3.pdf").exists()
    view = (taken_down / "dateien" / "3.html").read_text(encoding="utf-8")
    assert "ein Feuerwehrhaus mit" in view and takedown.REDACTED in view
    assert "dokumente/3.pdf" not in view  # nor linked at the source, whose copy is unredacted


def test_withheld_addresses_answer_gone_in_both_server_files(taken_down):
    htaccess = (taken_down / ".htaccess").read_text(encoding="utf-8")
    for path in ("personen/2\\.html", "vorlagen/af\\-2026\\-0002\\.html", "dateien/3\\.pdf"):
        assert f"RewriteRule ^{path}$ - [G,L]" in htaccess
    assert 'Redirect gone "/ratsinfo/personen/2.html"' in htaccess
    config = (taken_down / "web.config").read_text(encoding="utf-8")
    assert 'url="^personen/2\\.html$"' in config and 'statusCode="410"' in config
    assert not (taken_down / "personen" / "2.html").exists()
    assert (taken_down / "personen" / "1.html").is_file()


def test_withheld_pages_answer_410_on_apache(taken_down):
    with apache_serving(taken_down) as base:
        assert httpx.get(base + "personen/2.html").status_code == 410
        assert httpx.get(base + "vorlagen/af-2026-0002.html").status_code == 410
        assert httpx.get(base + "dateien/3.pdf").status_code == 410
        assert httpx.get(base + "personen/1.html").status_code == 200


def test_a_ledger_added_later_reaches_incremental_builds_as_a_full_build_and_survives_a_reimport(tmp_path, taken_down):
    content = _site(tmp_path, None)
    output = tmp_path / "output"
    build_site(content, output, overrides=MINI_OVERRIDES)
    assert occurrences(output, CANARIES)
    (tmp_path / takedown.DEFAULT_FILE).write_text(LEDGER, encoding="utf-8")
    result = build_site(content, output, overrides=MINI_OVERRIDES)
    assert result.report.overlay
    assert occurrences(output, CANARIES) == {}
    pages = sorted(p.relative_to(taken_down) for p in taken_down.rglob("*.html"))
    assert pages == sorted(p.relative_to(output) for p in output.rglob("*.html"))
    for page in pages:
        assert (output / page).read_bytes() == (taken_down / page).read_bytes(), page

    # A re-import writes the files again, newer, some changed: the next incremental build still withholds.
    for name in ("persons/2.md", "files/3.txt"):
        path = content / name
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    paper = content / "papers" / "2.md"
    paper.write_text(paper.read_text(encoding="utf-8").replace("Grundstücksangelegenheit",
                                                                "Grundstücksangelegenheit (neu)"), encoding="utf-8")
    assert build_site(content, output, overrides=MINI_OVERRIDES).report.overlay
    assert occurrences(output, CANARIES) == {}


def test_an_entry_that_ended_brings_the_object_back(tmp_path):
    path = tmp_path / takedown.DEFAULT_FILE
    path.write_text(LEDGER.replace("am: 2026-03-01\n", "am: 2026-03-01\n  bis: 2026-04-01\n", 1), encoding="utf-8")
    graph = load_graph(MINI_SOURCE)
    effect = withhold.apply(graph, takedown.load(path), withhold.Retention(), date(2026, 11, 20))
    assert "2" in graph.persons and ("person", "2") not in effect.withheld and ("paper", "2") in effect.withheld


def test_takedown_check_finds_a_canary_planted_by_hand(taken_down, tmp_path, capsys):
    output = tmp_path / "output"
    shutil.copytree(taken_down, output)
    content = _site(tmp_path, LEDGER)
    # The mini-site's content is written by hand, never imported: it still holds them, and check says so.
    assert main(["takedown", "check", "--content", str(content), "--output", str(output)]) == 1
    said = capsys.readouterr().out
    assert f"persons/2.md (in {content})" in said and "gremien/index.html" not in said
    page = output / "gremien" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>Jonas Beispiel</p></main>"),
                    encoding="utf-8")
    assert main(["takedown", "check", "--content", str(content), "--output", str(output)]) == 1
    said = capsys.readouterr().out
    assert "Eintrag 1: „Jonas Beispiel“ in gremien/index.html\n" in said


def test_takedown_check_opens_the_search_index(taken_down, tmp_path, capsys):
    output = tmp_path / "output"
    shutil.copytree(taken_down, output)
    content = _site(tmp_path, LEDGER + "- nr: 9\n  schwaerzen: Feuerwehrhaus\n  grund: x\n  entschieden_von: y\n"
                                       "  am: 2026-03-01\n")
    assert main(["takedown", "check", "--content", str(content), "--output", str(output)]) == 1
    assert "pagefind/fragment/" in capsys.readouterr().out


def test_add_checks_the_fields_and_add_and_remove_are_logged(tmp_path, capsys):
    content = _site(tmp_path, None)
    ledger = tmp_path / takedown.DEFAULT_FILE
    args = ["takedown", "add", "--content", str(content), "--grund", "Antrag vom 2026-03-02",
            "--entschieden-von", "Hauptamt"]
    assert main(args + ["--zurueckhalten", "persn 2"]) == 2
    assert "nennt kein Objekt" in capsys.readouterr().err
    assert not ledger.exists()
    assert main(args + ["--zurueckhalten", "person 2", "--bis", "2030-01-01"]) == 0
    assert main(args + ["--schwaerzen", "drei Stellplätzen"]) == 0
    assert [(e.nr, e.action, e.what) for e in takedown.load(ledger).entries] == [
        (1, "zurueckhalten", "person 2"), (2, "schwaerzen", "drei Stellplätzen")]
    assert main(["takedown", "remove", "1", "--content", str(content), "--grund", "Versehen"]) == 0
    assert [e.nr for e in takedown.load(ledger).entries] == [2]
    log = takedown.read_log(ledger)
    assert [(r["aktion"], r["eintrag"]["nr"]) for r in log] == [("add", 1), ("add", 2), ("remove", 1)]
    assert {r["benutzer"] for r in log} == {getpass.getuser()}
    assert log[2]["begruendung"] == "Versehen" and log[0]["zeit"]


def test_the_ledger_names_an_unknown_field_with_its_line(tmp_path):
    path = tmp_path / takedown.DEFAULT_FILE
    path.write_text(LEDGER.replace("  grund: Antrag", "  gruund: Antrag", 1), encoding="utf-8")
    with pytest.raises(takedown.LedgerError, match=r"Zeile 4: unbekanntes Feld 'gruund' – meinten Sie 'grund'"):
        takedown.load(path)


def test_a_lost_ledger_with_its_log_beside_it_stops_the_build(tmp_path):
    content = _site(tmp_path, None)
    takedown.log_path(tmp_path / takedown.DEFAULT_FILE).write_text("{}\n", encoding="utf-8")
    with pytest.raises(Exception, match="Löschliste"):
        build_site(content, tmp_path / "output", overrides=MINI_OVERRIDES)
    assert not (tmp_path / "output").exists()


def test_publish_refuses_a_stale_build_and_deletes_kept_releases_that_show_a_withheld_item(
        tmp_path, mini_site, taken_down):
    content = _site(tmp_path, LEDGER)
    scan = scanner(content, tmp_path / takedown.DEFAULT_FILE)
    target = tmp_path / "www" / "ratsinfo"
    old = publish(mini_site, target)
    with pytest.raises(Exception, match="Löschliste"):
        publish(mini_site, target, scan=scan)
    new = publish(taken_down, target, scan=scan)
    assert purge_releases(target, scan) == [old.name]
    assert not old.exists() and new.is_dir()
    assert occurrences(target.parent, CANARIES) == {}


def test_retention_reduces_and_withholds_persons_and_papers_by_age(tmp_path):
    content = _site(tmp_path, None)
    person = content / "persons" / "2.md"
    person.write_text(person.read_text(encoding="utf-8").replace(
        "start_date: '2024-07-01'", "start_date: '2004-07-01'\n  end_date: '2012-06-30'"), encoding="utf-8")
    today = date(2026, 11, 20)

    graph = load_graph(content)
    graph.persons["2"].affix, graph.persons["2"].gender = "MdL", "female"
    effect = withhold.apply(graph, None, withhold.Retention(person_reduce_years=10), today)
    reduced = graph.persons["2"]
    assert reduced.affix is None and reduced.gender is None
    assert effect.reduced == {"2"} and reduced.period == (date(2004, 7, 1), date(2012, 6, 30))
    assert reduced.memberships == [] and reduced.form_of_address is None
    assert all(m.person is not reduced for org in graph.organizations.values() for m in org.memberships)

    graph = load_graph(content)
    effect = withhold.apply(graph, None, withhold.Retention(10, 14, {"Anfrage": 1}), today)
    assert "2" not in graph.persons and ("person", "2") in effect.withheld and "personen/2.html" in effect.gone
    assert "2" in graph.papers  # an Anfrage of 2026 is not a year old
    graph = load_graph(content)
    withhold.apply(graph, None, withhold.Retention(paper_types={"Anfrage": 1}), date(2027, 3, 1))
    assert "2" not in graph.papers
    assert all(c.agenda_item is None or c.agenda_item.paper is not None
               for p in graph.papers.values() for c in p.consultations)


def test_a_withheld_meetings_calendar_answers_gone_too(tmp_path):
    content = _site(tmp_path, ledger_text(("zurueckhalten", "sitzung 1")))
    build_site(content, tmp_path / "output", overrides={**MINI_OVERRIDES})
    htaccess = (tmp_path / "output" / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteRule ^sitzungen/1\\.ics$ - [G,L]" in htaccess
    assert not (tmp_path / "output" / "sitzungen" / "1.ics").exists()


def test_gone_addresses_stay_gone_after_the_import_dropped_the_object(tmp_path):
    """The import applies the ledger too (importers/publication.py): the next build no longer sees
    the paper, so only the last build knows its page's address; it must keep answering 410."""
    content = _site(tmp_path, ledger_text(("zurueckhalten", "vorlage 2")))  # by id: its address is its reference's
    output = tmp_path / "output"
    build_site(content, output, overrides=MINI_OVERRIDES)
    rule = "RewriteRule ^vorlagen/af\\-2026\\-0002\\.html$ - [G,L]"
    assert rule in (output / ".htaccess").read_text(encoding="utf-8")
    paper = next(p for p in (content / "papers").glob("*.md") if "AF/2026/0002" in p.read_text(encoding="utf-8"))
    paper.unlink()  # what the next import does
    build_site(content, output, overrides=MINI_OVERRIDES)
    assert rule in (output / ".htaccess").read_text(encoding="utf-8")


def test_an_old_address_that_redirected_to_a_withheld_page_answers_gone_too(tmp_path):
    """A paper whose reference changed keeps its old address as a redirect (plugins/deploy/permalinks.py).
    Once the paper is withheld, the old address must answer 410 like the new one, not 404: a link
    to it in a newspaper article should say the page was removed on purpose."""
    content = _site(tmp_path, None)
    output = tmp_path / "output"
    paper = next(p for p in (content / "papers").glob("*.md") if "AF/2026/0002" in p.read_text(encoding="utf-8"))
    build_site(content, output, overrides=MINI_OVERRIDES)
    paper.write_text(paper.read_text(encoding="utf-8").replace("AF/2026/0002", "AF/2026/0102"), encoding="utf-8")
    build_site(content, output, overrides=MINI_OVERRIDES)
    htaccess = (output / ".htaccess").read_text(encoding="utf-8")
    assert "vorlagen/af-2026-0102.html" in htaccess  # the redirect from the old address
    (tmp_path / takedown.DEFAULT_FILE).write_text(ledger_text(("zurueckhalten", "vorlage 2")), encoding="utf-8")
    for _ in range(2):  # and it stays gone on the next build, which reads it back from .htaccess
        build_site(content, output, overrides=MINI_OVERRIDES)
        htaccess = (output / ".htaccess").read_text(encoding="utf-8")
        assert "RewriteRule ^vorlagen/af\\-2026\\-0102\\.html$ - [G,L]" in htaccess
        assert "RewriteRule ^vorlagen/af\\-2026\\-0002\\.html$ - [G,L]" in htaccess
        assert "R=301" not in htaccess  # no redirect left that leads to the withheld page
