"""The golden mini-site: a small hand-written council, published as a town would, is exactly what we expect.

tests/fixtures/minisite/ holds one or a few objects of every kind (a meeting whose agenda has a
non-public item, papers with consultations, one of them in that non-public item, persons,
committees, a file with its PDF and text, a term, hand-written pages), with markup and template
syntax in names. It is built once per session (conftest.py: `mini_site`) with a public address
and a base path, and compared byte for byte with tests/fixtures/minisite-expected/, so any
change to what a build writes shows up here as a diff of one small site.

When a change of the output is meant, write the expected output anew and read its diff in git:

    RATSINFO_GOLDEN=write PYTHONPATH=$PWD python -m pytest tests/test_golden_site.py

Left out of the comparison: pagefind/ (Pagefind's own bytes, which differ from run to run),
theme/ (copied unchanged from theme/static/), the incremental build's fingerprints in
_ratsinfo/*-state.json (they depend on where the content folder lies), and with them the
manifest: SHA256SUMS names the hashes of all these, and _ratsinfo/checksums.json the inodes.
What SHA256SUMS says of the compared files is compared with the expected files' own hashes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

from ratsinfo.check import check_site
from ratsinfo.contracts import CHECKSUMS
from ratsinfo.manifest import MANIFEST, read_manifest
from tests.conftest import MINI_OVERRIDES, MINI_SOURCE, PROJECT
from tests.support.site import pagefind_fragments, subscription_links

EXPECTED = PROJECT / "tests" / "fixtures" / "minisite-expected"
NOT_COMPARED = ("pagefind/", "theme/", "_ratsinfo/build-state.json", "_ratsinfo/search-state.json", MANIFEST,
                CHECKSUMS)
# Stands in the non-public agenda item and the consultation in it, against the content rules.
SECRET = "GEHEIM-KLEINSTADT-4711"


def files_of(site: Path) -> dict[str, bytes]:
    files = {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}
    return {name: path.read_bytes() for name, path in files.items() if not name.startswith(NOT_COMPARED)}


def test_mini_site_is_the_expected_output_byte_for_byte(mini_site):
    built = files_of(mini_site)
    if os.environ.get("RATSINFO_GOLDEN") == "write":
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for name, data in built.items():
            (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / name).write_bytes(data)
    expected = files_of(EXPECTED)
    assert sorted(built) == sorted(expected), "Andere Dateien als erwartet; gewollt? Siehe Docstring."
    assert [name for name in built if built[name] != expected[name]] == [], \
        "Andere Bytes als erwartet; gewollt? Dann neu schreiben (Docstring) und den Diff prüfen."


def test_the_manifest_holds_the_expected_files_hashes(mini_site):
    sums, unreadable = read_manifest((mini_site / MANIFEST).read_bytes())
    expected = files_of(EXPECTED)
    assert unreadable == [] and set(expected) <= set(sums)
    assert {name: sums[name] for name in expected} == {n: hashlib.sha256(d).hexdigest() for n, d in expected.items()}


def test_every_page_kind_is_built(mini_site):
    for page in ("index.html", "sitzungen/1.html", "sitzungen/index.html", "vorlagen/bv-2026-0001.html",
                 "vorlagen/index.html", "personen/1.html", "gremien/1.html", "dateien/3.html", "dateien/3.pdf",
                 "wahlperioden/1.html", "kalender/index.html", "seiten/impressum.html", "suche.html", "404.html"):
        assert (mini_site / page).is_file(), page


def test_mini_site_has_no_broken_links_and_nothing_to_warn_about(mini_site):
    result = check_site(mini_site)
    assert result.pages > 30 and result.links > 500
    assert result.broken == [] and result.collisions == [] and result.warnings == []


def test_every_feed_and_calendar_a_page_links_was_written(mini_site):
    links = subscription_links(mini_site, "/ratsinfo/")
    targets = set().union(*links.values())
    assert {"feeds/vorlagen.atom", "kalender/alle.ics", "feeds/gremium-1.atom", "kalender/gremium-1.ics"} <= targets
    assert sorted(t for t in targets if not (mini_site / t).is_file()) == []


def test_non_public_item_and_consultation_reach_no_file_and_no_search_entry(mini_site):
    # The fixture really tries: the hidden text stands in the item and in the paper's consultation.
    for source in ("meetings/1.md", "papers/2.md"):
        assert SECRET in (MINI_SOURCE / source).read_text(encoding="utf-8")
    assert (mini_site / "pagefind").is_dir()
    for path in mini_site.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    index = "\n".join(f["content"] + " " + str(f.get("meta")) for f in pagefind_fragments(mini_site))
    assert "Feuerwehrhaus" in index and SECRET not in index
    # What may be shown: the item's number, and that the paper was discussed in it.
    assert "N 1" in (mini_site / "sitzungen/1.html").read_text(encoding="utf-8")
    assert "nichtöffentlich" in (mini_site / "vorlagen/af-2026-0002.html").read_text(encoding="utf-8")


def test_markup_in_names_is_shown_as_text_on_pages_and_in_feeds(mini_site):
    for page in mini_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Bau</b>" not in html, page
        assert "<strong>Neubau</strong>" not in html, page
        assert "WENN" not in html.replace("{% if true %}WENN{% endif %}", ""), page
    meeting = (mini_site / "sitzungen/1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;sitzung&#34;)&lt;/script&gt;" in meeting
    assert "{% if true %}WENN{% endif %}" in meeting
    for feed in mini_site.rglob("*.atom"):
        assert not [e.tag for e in ET.parse(feed).iter() if e.tag.rsplit("}", 1)[-1] in ("script", "img", "b")]


def test_a_portal_without_search_offers_no_search_and_links_nothing_missing(mini_content, tmp_path):
    """PAGEFIND = False ("Portal ohne Suche"): no index, so no search page, no search box and no
    link to either; what remains has no broken link."""
    from ratsinfo.build import build_site

    site = tmp_path / "ohne-suche"
    build_site(mini_content, site, overrides={**MINI_OVERRIDES, "PAGEFIND": False})
    assert not (site / "pagefind").exists() and not (site / "suche.html").exists()
    result = check_site(site)
    assert result.broken == [] and result.warnings == []
    for page in ("index.html", "404.html", "sitzungen/1.html", "seiten/impressum.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "suche.html" not in html and "search-box" not in html, page
