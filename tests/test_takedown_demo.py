"""Acceptance of issue 18 on the demo council: withhold one person, one paper and one text that a
PDF holds; build, publish; nothing of them in the output, the releases or the search index; their
addresses answer 410 on a real Apache; re-import and build incrementally: still nothing, and
nothing in content/, the importer's state or the build caches either.
One import and one build, shared by the module (slow tier)."""

from __future__ import annotations

import shutil

import httpx
import pytest

from importers.oparl import import_oparl
from ratsinfo import scrub, takedown
from ratsinfo.build import build_site
from ratsinfo.cli import main
from tests.conftest import DEMO_TODAY, PROJECT
from tests.support.apache import apache_serving
from tests.support.takedown import ledger_text, occurrences

PERSON, PAPER = "7", "12"
TEXT = "Straßenbeleuchtung in der Gartenstraße"
OVERRIDES = {"RATSINFO_TODAY": DEMO_TODAY, "BASE_PATH": "/ratsinfo/"}


@pytest.fixture(scope="module")
def town(demo_dump, tmp_path_factory, texts_read):
    """A site folder with the demo imported (its texts as demo_content's import read them: the
    re-imports under the ledger below read without that cache), the ledger, one build and one publish."""
    folder = tmp_path_factory.mktemp("takedown-demo")
    content = texts_read(folder / "content")
    shutil.copytree(PROJECT / "content" / "pages", content / "pages")
    import_oparl(str(demo_dump), content, show_progress=False)
    canaries = [_name(content / "persons" / f"{PERSON}.md"), _name(content / "papers" / f"{PAPER}.md"),
                _field(content / "papers" / f"{PAPER}.md", "reference"), TEXT]
    (folder / takedown.DEFAULT_FILE).write_text(
        ledger_text(("zurueckhalten", f"person {PERSON}"), ("zurueckhalten", f"vorlage {PAPER}"), ("schwaerzen", TEXT)),
        encoding="utf-8")
    build_site(content, folder / "output", overrides=OVERRIDES)
    (folder / "ratsinfo.toml").touch()  # a site folder: publish and check find content/ and the ledger
    assert main(["publish", "--site", str(folder), "--to", str(folder / "www" / "ratsinfo")]) == 0
    return folder, content, canaries


def _field(path, name) -> str:
    line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(f"{name}:"))
    return line.split(":", 1)[1].strip().strip("'\"")


def _name(path) -> str:
    return _field(path, "name")


def test_the_demo_publishes_the_canaries_without_the_ledger(town):
    folder, content, canaries = town
    held = occurrences(content, canaries)
    assert set(held) == set(canaries)
    assert any(place.startswith("files/") and place.endswith(".txt") for place in held[TEXT])  # a PDF's text


def test_nothing_withheld_is_in_the_output_the_releases_or_the_search_index(town, capsys):
    folder, content, canaries = town
    assert occurrences(folder / "output", canaries) == {}
    assert occurrences(folder / "www", canaries) == {}
    capsys.readouterr()
    # The ledger was written after the import: content/ still holds it, the output does not.
    assert main(["takedown", "check", "--site", str(folder)]) == 1
    findings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Eintrag")]
    assert findings and all(" (in " in line for line in findings)
    # No mirrored PDF holds them: each document whose text does is not copied.
    for text_file in (content / "files").glob("*.txt"):
        text = text_file.read_text(encoding="utf-8").casefold()
        if any(c.casefold() in text for c in canaries):
            copies = [p for p in (folder / "output" / "dateien").glob(f"{text_file.stem}.*") if p.suffix != ".html"]
            assert copies == [], text_file


def test_withheld_addresses_answer_410_on_apache(town):
    folder, _, _ = town
    with apache_serving(folder / "output") as base:
        assert httpx.get(base + f"personen/{PERSON}.html").status_code == 410
        paper = [line for line in (folder / "output" / ".htaccess").read_text(encoding="utf-8").splitlines()
                 if "vorlagen/" in line and "[G,L]" in line]
        assert paper
        path = paper[0].split("^", 1)[1].split("$", 1)[0].replace("\\", "")
        assert httpx.get(base + path).status_code == 410
        assert httpx.get(base + "personen/1.html").status_code == 200


def test_a_reimport_and_an_incremental_build_still_show_nothing_nor_the_private_copies(town, demo_dump):
    folder, content, canaries = town
    ledger = folder / takedown.DEFAULT_FILE
    scrub.after_add(content)  # what `takedown add` does: build caches deleted, the store emptied
    assert [p for p in scrub.places(content)[1:] if p.exists() and occurrences(p, canaries)] == []
    import_oparl(str(demo_dump), content, show_progress=False, takedowns=scrub.takedowns_of(ledger))
    result = build_site(content, folder / "output", overrides=OVERRIDES)
    assert occurrences(folder / "output", canaries) == {}
    import_oparl(str(demo_dump), content, show_progress=False, takedowns=scrub.takedowns_of(ledger))
    result = build_site(content, folder / "output", overrides=OVERRIDES)
    assert result.report.overlay
    assert occurrences(folder / "output", canaries) == {}
    private = scrub.places(content)
    assert all(p.is_dir() for p in private[:3])  # content/, the store, the build cache
    assert {str(p): occurrences(p, canaries) for p in private if p.exists()} == {str(p): {} for p in private
                                                                                 if p.exists()}
    assert main(["takedown", "check", "--site", str(folder)]) == 0
