"""People and factions on the mini-site: an edit shows on every page that depends on it, and the
build that re-renders only those pages gives the same bytes as a build from nothing."""

from __future__ import annotations

import shutil
from datetime import date

from plugins.council.format import of_body_de, period_de
from ratsinfo.build import build_site
from tests.conftest import MINI_OVERRIDES
from tests.test_incremental import _differs_from_a_build_without_cache, _edit


def test_a_member_leaving_a_fraction_and_a_fraction_s_new_motion_show_as_in_a_full_build(mini_content, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(mini_content, content)
    site = tmp_path / "site"
    build_site(content, site, overrides=MINI_OVERRIDES)
    council, faction = (site / "gremien/1.html").read_text(), (site / "gremien/3.html").read_text()
    assert "fraktionslos" not in council and "Anträge und Anfragen" in faction and "BV/2026/0001" not in faction

    # A member leaves the Fraktion: the council's seats, the member's page and the persons list say so.
    person = content / "persons/2.md"
    memberships = _edit(person)["memberships"]
    memberships[0].pop("on_behalf_of")
    _edit(person, memberships=memberships)
    build_site(content, site, overrides=MINI_OVERRIDES)
    assert _differs_from_a_build_without_cache(content, site, tmp_path / "full", MINI_OVERRIDES) == []
    assert "<th scope=\"row\">fraktionslos</th>" in (site / "gremien/1.html").read_text()
    assert "Fraktion: <span data-pagefind-meta=\"fraktion\">fraktionslos</span>" in (site / "personen/2.html").read_text()
    assert "fraktionslos" in (site / "personen/index.html").read_text()

    # The Fraktion brings in a paper: its page lists it among its motions and questions.
    _edit(content / "papers/1.md", originator_organizations=["3"])
    build_site(content, site, overrides=MINI_OVERRIDES)
    assert _differs_from_a_build_without_cache(content, site, tmp_path / "full", MINI_OVERRIDES) == []
    assert "BV/2026/0001" in (site / "gremien/3.html").read_text().split("Anträge und Anfragen", 1)[1]


def test_the_body_s_name_reads_as_a_genitive_where_its_kind_says_which():
    assert of_body_de("Große Kreisstadt Muldenau") == "der Großen Kreisstadt Muldenau"
    assert of_body_de("Stadt  Köln") == "der Stadt Köln"
    assert of_body_de("Landkreis Leipzig") == "des Landkreises Leipzig"
    # A bare name (or only a kind) has no article we could know: the footer names it plainly.
    assert of_body_de("Muldenau") is None and of_body_de("Stadt") is None and of_body_de(None) is None


def test_periods_read_as_a_range():
    assert period_de((date(2019, 8, 1), date(2024, 7, 31))) == "01.08.2019 – 31.07.2024"
    assert period_de((date(2019, 8, 1), None)) == "seit 01.08.2019"
    assert period_de((None, date(2024, 7, 31))) == "bis 31.07.2024"
    assert period_de((None, None)) == ""
