"""No two pages share an output path: each object and each list keeps its own address, also on
case-insensitive servers (IIS, Windows shares); what cannot be told apart stops the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.content import render_front_matter
from ratsinfo.build import BuildFailed, build_site
from ratsinfo.check import check_site

NO_SEARCH = {"PAGEFIND": False, "RATSINFO_TODAY": "2031-01-15"}


def write(content: Path, folder: str, data: dict):
    (content / folder).mkdir(parents=True, exist_ok=True)
    (content / folder / f"{data['id']}.md").write_bytes(render_front_matter(data))


def paper(content: Path, object_id: str, name: str, reference: str, paper_type: str = "Beschlussvorlage",
          day: str = "2030-03-01"):
    write(content, "papers", {"id": object_id, "name": name, "reference": reference, "paper_type": paper_type,
                              "date": day})


def text_of(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def test_papers_named_like_lists_and_types_differing_in_case_keep_their_own_pages(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    paper(content, "1", "Haushaltssatzung 2030", "VO/2030/0001")
    paper(content, "2", "Vorlage mit dem Aktenzeichen Index", "Index")
    paper(content, "3", "Vorlage mit dem Aktenzeichen Jahr 2030", "Jahr 2030")
    paper(content, "4", "Vorlage mit dem Aktenzeichen Art Anfrage", "Art Anfrage")
    paper(content, "5", "Anfrage der Fraktion A zur Kita", "A/2030/5", paper_type="Anfrage")
    paper(content, "6", "Anfrage der Fraktion B zum Radweg", "A/2030/6", paper_type="ANFRAGE", day="2030-04-01")
    build_site(content, output, overrides=NO_SEARCH)

    papers = output / "vorlagen"
    # The lists are where they were: the overview links to years and types, a year lists its papers.
    assert 'vorlagen/jahr-2030.html"' in text_of(papers / "index.html")
    assert 'vorlagen/art-anfrage.html"' in text_of(papers / "index.html")
    assert all(name in text_of(papers / "jahr-2030.html") for name in ("Haushaltssatzung 2030", "zum Radweg"))
    # An ordinary paper keeps its reference as address; the others take their id.
    assert "Haushaltssatzung 2030" in text_of(papers / "vo-2030-0001.html")
    for object_id, name in [("2", "Index"), ("3", "Jahr 2030"), ("4", "Art Anfrage")]:
        assert f"Vorlage mit dem Aktenzeichen {name}" in text_of(papers / f"{object_id}.html")
    type_pages = [p for p in papers.glob("art-*.html")]
    kita = [p for p in type_pages if "zur Kita" in text_of(p)]
    radweg = [p for p in type_pages if "zum Radweg" in text_of(p)]
    assert len(kita) == 1 and len(radweg) == 1 and kita != radweg
    assert kita[0].name == "art-anfrage.html"  # the type seen first keeps its address
    assert check_site(output).collisions == []


def test_objects_whose_id_is_a_list_name_get_their_own_address(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write(content, "organizations", {"id": "index", "name": "Gremium mit der Id index"})
    write(content, "meetings", {"id": "jahr-2030", "name": "Sitzung mit der Id jahr-2030",
                                "start": "2030-05-04T17:00:00+02:00", "organizations": ["index"]})
    paper(content, "art-anfrage", "Vorlage mit der Id art-anfrage", "", paper_type="Anfrage")
    build_site(content, output, overrides=NO_SEARCH)

    assert "Gremium mit der Id index" in text_of(output / "gremien" / "gremium-index.html")
    assert 'gremien/gremium-index.html"' in text_of(output / "gremien" / "index.html")  # the list links to it
    assert "Sitzung mit der Id jahr-2030" in text_of(output / "sitzungen" / "sitzung-jahr-2030.html")
    assert 'sitzungen/sitzung-jahr-2030.html"' in text_of(output / "sitzungen" / "jahr-2030.html")
    assert "Vorlage mit der Id art-anfrage" in text_of(output / "vorlagen" / "vorlage-art-anfrage.html")
    assert 'vorlagen/vorlage-art-anfrage.html"' in text_of(output / "vorlagen" / "art-anfrage.html")
    checked = check_site(output)  # every link to them resolves (the search index is not built here)
    assert checked.collisions == [] and [b for b in checked.broken if not b[1].startswith("pagefind/")] == []


def test_two_objects_one_address_on_a_case_insensitive_server_stops_the_build_naming_both(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write(content, "persons", {"id": "mueller", "name": "Anna Müller"})
    write(content, "persons", {"id": "MUELLER", "name": "Bernd Müller"})
    with pytest.raises(BuildFailed) as failed:
        build_site(content, output, overrides=NO_SEARCH)
    message = str(failed.value)
    assert "personen/mueller.html" in message and "personen/MUELLER.html" in message
    assert "Anna Müller" in message and "Bernd Müller" in message
    assert "persons/mueller.md" in message and "persons/MUELLER.md" in message
    assert not output.exists()


def test_check_reports_two_pages_that_share_an_address_on_a_case_insensitive_server(tmp_path):
    site = tmp_path / "site"
    (site / "vorlagen").mkdir(parents=True)
    (site / "index.html").write_text('<a href="vorlagen/art-anfrage.html">A</a><a href="vorlagen/ART-anfrage.html">B</a>',
                                     encoding="utf-8")
    (site / "vorlagen" / "art-anfrage.html").write_text("<p>A</p>", encoding="utf-8")
    (site / "vorlagen" / "ART-anfrage.html").write_text("<p>B</p>", encoding="utf-8")
    result = check_site(site)
    assert result.collisions == [("vorlagen/ART-anfrage.html", "vorlagen/art-anfrage.html")]
    assert not result.ok


def test_a_document_file_named_like_another_documents_page_stops_the_build_naming_both(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    write(content, "files", {"id": "a", "name": "Anlage A", "media": "b.html"})
    (content / "files" / "b.html").write_text("<p>Datei von A</p>", encoding="utf-8")
    write(content, "files", {"id": "b", "name": "Anlage B"})
    write(content, "papers", {"id": "1", "name": "Vorlage", "reference": "VO/1", "main_file": "a",
                              "auxiliary_files": ["b"]})
    with pytest.raises(BuildFailed, match="dateien/b.html.*Anlage B.*Anlage A|dateien/b.html.*Anlage A.*Anlage B"):
        build_site(content, output, overrides=NO_SEARCH)
    assert not output.exists()
