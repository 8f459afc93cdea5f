"""Symbolic links inside content/ never reach output/ or a release: whoever may write to content/
(an editor of the hand-written pages, a shared folder) must not be able to publish
/etc/passwd or a neighbour's files by linking to them."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from importers.content import render_front_matter
from ratsinfo.build import BuildFailed, build_site
from ratsinfo.publish import PublishFailed, publish

NO_SEARCH = {"PAGEFIND": False, "RATSINFO_TODAY": "2031-01-15"}
SECRET = "GEHEIM-7f3a: nicht für das Portal"


def write(content: Path, folder: str, data: dict):
    (content / folder).mkdir(parents=True, exist_ok=True)
    (content / folder / f"{data['id']}.md").write_bytes(render_front_matter(data))


def secret_file(tmp_path: Path, name: str, folder: str = "ausserhalb") -> Path:
    path = tmp_path / folder / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"Title: Geheim {name}\n\n{SECRET}\n", encoding="utf-8")
    return path


def council_with_documents(content: Path):
    write(content, "files", {"id": "echt", "name": "Echte Anlage", "media": "echt.pdf", "text": "echt.txt"})
    (content / "files" / "echt.pdf").write_bytes(b"%PDF-1.4 echte Anlage")
    (content / "files" / "echt.txt").write_text("Text der echten Anlage", encoding="utf-8")
    write(content, "files", {"id": "verlinkt", "name": "Verlinkte Anlage", "media": "verlinkt.pdf",
                             "text": "verlinkt.txt"})
    write(content, "papers", {"id": "1", "name": "Haushaltssatzung", "reference": "VO/2030/1", "date": "2030-03-01",
                              "main_file": "echt", "auxiliary_files": ["verlinkt"]})


def links_and_texts(folder: Path) -> tuple[list[Path], list[Path]]:
    links = [p for p in folder.rglob("*") if p.is_symlink()]
    leaking = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink() and SECRET.encode() in p.read_bytes()]
    return links, leaking


def test_linked_document_and_text_in_content_are_withheld_with_a_warning_naming_them(tmp_path, caplog):
    content, output = tmp_path / "content", tmp_path / "output"
    council_with_documents(content)
    (content / "files" / "verlinkt.pdf").symlink_to(secret_file(tmp_path, "passwd"))
    (content / "files" / "verlinkt.txt").symlink_to(secret_file(tmp_path, "text"))
    with caplog.at_level(logging.WARNING):
        build_site(content, output, overrides=NO_SEARCH)
    assert links_and_texts(output) == ([], [])
    assert not (output / "dateien" / "verlinkt.pdf").exists()
    assert (output / "dateien" / "echt.pdf").read_bytes() == b"%PDF-1.4 echte Anlage"
    assert "Text der echten Anlage" in (output / "dateien" / "echt.html").read_text(encoding="utf-8")
    warned = caplog.text
    assert "verlinkt.pdf" in warned and "verlinkt.txt" in warned and "symbolische Verknüpfung" in warned


def test_a_linked_folder_of_council_data_stops_the_build_naming_it(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    council_with_documents(content)
    elsewhere = tmp_path / "anderswo"
    os.replace(content / "files", elsewhere)
    (content / "files").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BuildFailed, match="files.*symbolische Verknüpfung"):
        build_site(content, output, overrides=NO_SEARCH)
    assert not output.exists()


def test_linked_hand_written_pages_and_files_they_link_are_not_published(tmp_path, caplog):
    content, output = tmp_path / "content", tmp_path / "output"
    council_with_documents(content)
    (content / "pages").mkdir()
    (content / "pages" / "hilfe.md").write_text(
        "Title: Hilfe\nSlug: hilfe\n\n[Plan]({static}/anhang/plan.pdf) und [Bild]({static}/bilder/logo.svg)\n",
        encoding="utf-8")
    (content / "pages" / "geheim.md").symlink_to(secret_file(tmp_path, "seite.md"))
    (content / "pages" / "ordner").symlink_to(secret_file(tmp_path, "x.md", "seiten").parent, target_is_directory=True)
    (content / "anhang").mkdir()
    (content / "anhang" / "plan.pdf").symlink_to(secret_file(tmp_path, "plan.pdf"))
    (content / "bilder").symlink_to(secret_file(tmp_path, "logo.svg", "bilder").parent, target_is_directory=True)
    with caplog.at_level(logging.WARNING):
        build_site(content, output, overrides=NO_SEARCH)
    assert (output / "seiten" / "hilfe.html").is_file()
    assert links_and_texts(output) == ([], [])
    assert not (output / "seiten" / "geheim.html").exists()
    assert not (output / "anhang").exists() and not (output / "bilder").exists()
    for name in ("pages/geheim.md", "pages/ordner", "anhang/plan.pdf", "bilder"):
        assert name in caplog.text


def test_a_linked_folder_of_hand_written_pages_is_not_published(tmp_path, caplog):
    content, output = tmp_path / "content", tmp_path / "output"
    council_with_documents(content)
    (content / "pages").symlink_to(secret_file(tmp_path, "seite.md").parent, target_is_directory=True)
    with caplog.at_level(logging.WARNING):
        build_site(content, output, overrides=NO_SEARCH)
    assert (output / "vorlagen" / "vo-2030-1.html").is_file()
    assert links_and_texts(output) == ([], []) and not (output / "seiten").exists()
    assert "pages ist eine symbolische Verknüpfung" in caplog.text


def test_publish_refuses_an_output_with_a_symbolic_link_and_touches_nothing(tmp_path):
    output = tmp_path / "output"
    (output / "dateien").mkdir(parents=True)
    (output / "index.html").write_text("<p>Start</p>", encoding="utf-8")
    (output / "dateien" / "1.pdf").symlink_to(secret_file(tmp_path, "passwd"))
    target = tmp_path / "www" / "ratsinfo"
    with pytest.raises(PublishFailed, match="dateien/1.pdf.*symbolische Verknüpfung.*nichts veröffentlicht"):
        publish(output, target)
    assert not target.exists() and not (tmp_path / "www").exists()
