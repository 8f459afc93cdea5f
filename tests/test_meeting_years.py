"""Past meetings by year and committee: every meeting on its year's page, once, under its committee,
and incremental builds keep the year pages as a build from nothing makes them (mini-site: fast tier)."""

from __future__ import annotations

import shutil
from datetime import date

from plugins.council.loading import load_graph
from plugins.council.plan import plan
from ratsinfo.build import build_site
from tests.conftest import DEMO_TODAY, MINI_OVERRIDES
from tests.test_incremental import _differs_from_a_build_without_cache, _edit


def test_each_meeting_is_on_its_years_page_once_under_its_committee(mini_content):
    graph = load_graph(mini_content)
    pages = {spec.path: spec for spec in plan(graph, date.fromisoformat(DEMO_TODAY))}
    years = [spec for spec in pages.values() if spec.template == "meetings_year"]
    assert years
    for spec in years:
        shown = [m for _, held in spec.context["by_committee"] for m in held]
        assert sorted(m.id for m in shown) == sorted(m.id for m in spec.context["meetings"])
        assert all(m.start.year == spec.context["year"] for m in shown)
        assert all(org is None or all(m.organizations[0] is org for m in held) for org, held in spec.context["by_committee"])
        # The page shows each meeting and names its committee: a change to either renders it again.
        assert {m.key for m in shown} | {m.organizations[0].key for m in shown if m.organizations} <= spec.depends_on
    on_years = sorted(m.id for spec in years for m in spec.context["meetings"])
    assert on_years == sorted(m.id for m in graph.meetings.values() if m.start)
    overview = pages["sitzungen/index.html"]
    assert {org.key for org, _ in overview.context["committees"]} <= overview.depends_on


def test_year_pages_follow_a_moved_meeting_and_a_renamed_committee_as_a_full_build(mini_content, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(mini_content, content)
    site = tmp_path / "site"
    build_site(content, site, overrides=MINI_OVERRIDES)
    assert not (site / "sitzungen" / "jahr-2027.html").exists()
    _edit(content / "meetings" / "3.md", start="2027-01-14T18:00:00+01:00")  # into a year of its own
    _edit(content / "organizations" / "2.md", name="Ausschuss für Bau und Verkehr")
    _edit(content / "meetings" / "2.md", invitation="1")  # its row now says: Einladung
    build_site(content, site, overrides=MINI_OVERRIDES)
    assert _differs_from_a_build_without_cache(content, site, tmp_path / "full", MINI_OVERRIDES) == []
    year_2027 = (site / "sitzungen" / "jahr-2027.html").read_text(encoding="utf-8")
    assert "6. Sitzung des Gemeinderates" in year_2027
    year_2026 = (site / "sitzungen" / "jahr-2026.html").read_text(encoding="utf-8")
    assert "6. Sitzung des Gemeinderates" not in year_2026 and "Ausschuss für Bau und Verkehr" in year_2026
    assert '<span class="flag">Einladung</span>' in year_2026.split("3. Sitzung des Bauausschusses")[1].split("</li>")[0]


def test_a_committee_s_section_of_a_year_page_has_the_same_anchor_in_every_year(mini_site):
    """`jahr-2025.html#gremium-2` and `jahr-2026.html#gremium-2` are the same committee: the anchor
    is the committee's own id, not its place in the year's list (which changes with the meetings)."""
    import re

    html = (mini_site / "sitzungen" / "jahr-2026.html").read_text(encoding="utf-8")
    sections = re.findall(r'<h2 id="gremium-([^"]+)"><a href="\.\./gremien/([^"]+)\.html"', html)
    assert sections and all(anchor == committee for anchor, committee in sections)
    assert all(f'href="#gremium-{anchor}"' in html for anchor, _ in sections)


def test_planning_a_few_pages_again_gives_them_as_the_whole_plan_does(mini_content):
    """A build that keeps its last plan plans again only the pages showing an edited object
    (plugins/council/reuse/rebuild.py, plan(only=…)); of the meetings' own pages it makes only
    those asked for, and each must come out as in the whole plan."""
    graph = load_graph(mini_content)
    today = date.fromisoformat(DEMO_TODAY)
    whole = {spec.path: spec for spec in plan(graph, today)}
    meetings = sorted(path for path, spec in whole.items() if spec.template == "meeting")
    wanted = [meetings[0], meetings[-1], "sitzungen/index.html", "kalender/index.html"]
    again = plan(graph, today, only={path: whole[path].section for path in wanted})
    assert sorted(spec.path for spec in again) == sorted(wanted)
    for spec in again:
        expected = whole[spec.path]
        assert (spec.template, spec.depends_on, spec.salt, spec.section, spec.context) == (
            expected.template, expected.depends_on, expected.salt, expected.section, expected.context), spec.path
