"""A portal goes online with an Impressum and a Datenschutz page: a build without them says how to add them."""

from __future__ import annotations

import logging

from ratsinfo.build import build_site
from tests.test_escaping import evil_content


def legal_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno == logging.WARNING and ("Impressum" in r.getMessage() or "Datenschutz" in r.getMessage())]


def test_a_build_without_impressum_and_datenschutz_warns_and_names_the_files_to_create(tmp_path, caplog):
    content = tmp_path / "content"
    evil_content(content)
    with caplog.at_level(logging.WARNING):
        build_site(content, tmp_path / "output", overrides={"PAGEFIND": False})
    warnings = legal_warnings(caplog)
    assert len(warnings) == 2, warnings
    assert any(str(content / "pages" / "impressum.md") in w for w in warnings)
    assert any(str(content / "pages" / "datenschutz.md") in w for w in warnings)
    assert all("Title:" in w for w in warnings)  # how to write one


def test_a_build_with_both_legal_pages_does_not_warn(tmp_path, caplog):
    content = tmp_path / "content"
    evil_content(content)
    (content / "pages").mkdir()
    for slug, title in (("impressum", "Impressum"), ("datenschutz", "Datenschutz")):
        (content / "pages" / f"{slug}.md").write_text(f"Title: {title}\nSlug: {slug}\n\nText.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        build_site(content, tmp_path / "output", overrides={"PAGEFIND": False})
    assert legal_warnings(caplog) == []
    assert (tmp_path / "output" / "seiten" / "datenschutz.html").is_file()
