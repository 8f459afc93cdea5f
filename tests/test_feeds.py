"""Calendars, Atom feeds, sitemap.xml and robots.txt (plugins/feeds), built from small hand-written content."""

from __future__ import annotations

import logging
import posixpath
import re
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from icalendar import Calendar

from importers.content import render_front_matter
from pelican.log import LimitFilter

from plugins.council.graph import Meeting
from plugins.council.loading import load_graph
from plugins.feeds import ical
from plugins.feeds.sitemap import html_pages
from ratsinfo.build import BuildFailed, build_site

PUBLIC_URL = "https://ratsinfo.testhausen.example/portal"
BASE = PUBLIC_URL + "/"
DOMAIN = "ratsinfo.testhausen.example"
# Calendar UIDs name the host the meetings' ids come from (the council's OParl server), not the
# portal's public address, which a town may set or change later.
UID_DOMAIN = "oparl.testhausen.example"
MARKER = "GEHEIMSACHE-GRUNDSTUECK-7731"
EVIL = '<script>alert("x")</script> & Co'
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MEETINGS = {"10", "11", "12"}


def write(content: Path, folder: str, data: dict):
    (content / folder).mkdir(parents=True, exist_ok=True)
    (content / folder / f"{data['id']}.md").write_bytes(render_front_matter(data))


def council(content: Path):
    write(content, "bodies", {"id": "1", "name": "Stadt Testhausen",
                             "source": "https://oparl.testhausen.example/oparl/v1/bodies/1"})
    write(content, "organizations", {"id": "1", "name": "Stadtrat", "organization_type": "Gremium"})
    write(content, "organizations", {"id": "2", "name": "Bauausschuss", "organization_type": "Gremium"})
    write(content, "organizations", {"id": "3", "name": "Bauamt", "organization_type": "Verwaltung"})
    # Neither meets nor handles papers: no calendar, no feed.
    write(content, "organizations", {"id": "4", "name": "Fraktion Zukunft", "organization_type": "Fraktion"})
    write(content, "meetings", {
        "id": "10", "name": "3. Sitzung des Stadtrates", "organizations": ["1"],
        "start": "2026-02-26T16:00:00+01:00", "end": "2026-02-26T19:30:00+01:00",
        "modified": "2026-02-20T10:00:00+01:00",
        "location": {"description": "Rathaus, Ratssaal", "street_address": "Markt 1",
                     "postal_code": "01234", "locality": "Testhausen"},
        "agenda": [
            {"id": "1", "number": "Ö 1", "name": "Haushaltssatzung 2026", "public": True, "paper": "100"},
            # Hand-written content that breaks the rule: the graph must drop the name.
            {"id": "2", "number": "N 1", "name": f"Verkauf {MARKER}", "public": False,
             "resolution_text": MARKER},
        ],
    })
    write(content, "meetings", {
        "id": "11", "name": f"Bauausschuss {EVIL}", "organizations": ["2"], "cancelled": True,
        "start": "2026-03-05T17:00:00+01:00",  # no end: two hours by default
        "agenda": [{"id": "3", "number": "Ö 1", "name": "Bebauungsplan Nord", "public": True, "paper": "101"}],
    })
    write(content, "meetings", {
        "id": "12", "name": "4. Sitzung des Stadtrates", "organizations": ["1"],
        "start": "2026-07-02T16:00:00+02:00", "end": "2026-07-02T18:00:00+02:00",
    })
    # Not yet scheduled: no calendar event, no .ics.
    write(content, "meetings", {"id": "13", "name": "Sondersitzung (Termin folgt)", "organizations": ["1"]})
    write(content, "papers", {
        "id": "100", "name": "Haushaltssatzung 2026", "reference": "BV/2026/001", "date": "2026-01-10",
        "paper_type": "Beschlussvorlage", "under_direction_of": ["3"],
        "consultations": [{"meeting": "10", "agenda_item": "1", "organizations": ["1"], "role": "Entscheidung"}],
    })
    write(content, "papers", {
        "id": "101", "name": f"Bebauungsplan Nord {EVIL}", "reference": "BV/2026/014", "date": "2026-02-20",
        "paper_type": "Beschlussvorlage",
        "consultations": [{"meeting": "11", "agenda_item": "3", "organizations": ["2"], "role": "Vorberatung"}],
    })
    write(content, "papers", {
        "id": "102", "name": "Anfrage Straßenbeleuchtung", "reference": "AF/2025/009", "date": "2025-11-03",
        "paper_type": "Anfrage",
    })


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("feeds-content")
    council(folder)
    return folder


def build(content: Path, output: Path, **overrides) -> Path:
    # A day within a year of the test council's meetings (subscription calendars reach back a year).
    build_site(content, output, overrides={"PAGEFIND": False, "RATSINFO_TODAY": "2026-06-01", **overrides})
    return output


@pytest.fixture(scope="module")
def graph(content):
    """For page addresses: the council plugin decides them (papers by reference), not this test."""
    return load_graph(content)


@pytest.fixture(scope="module")
def site(content, tmp_path_factory) -> Path:
    return build(content, tmp_path_factory.mktemp("feeds-site") / "output", PUBLIC_URL=PUBLIC_URL)


@pytest.fixture(scope="module")
def site_without_public_url(content, tmp_path_factory) -> Path:
    return build(content, tmp_path_factory.mktemp("feeds-site-plain") / "output")


def feed_files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.suffix in (".ics", ".atom", ".xml") or p.name == "robots.txt")


def events(path: Path) -> dict:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_has_one_event_per_meeting_in_berlin_time(site):
    calendar = Calendar.from_ical((site / "kalender/alle.ics").read_bytes())
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(found) == {f"sitzung-{m}@{UID_DOMAIN}" for m in MEETINGS}
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    for event in found.values():
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert event["DTEND"].params["TZID"] == "Europe/Berlin"
    council_meeting = found[f"sitzung-10@{UID_DOMAIN}"]
    assert council_meeting.start == datetime.fromisoformat("2026-02-26T16:00:00+01:00")
    assert council_meeting.end == datetime.fromisoformat("2026-02-26T19:30:00+01:00")
    assert str(council_meeting["SUMMARY"]) == "3. Sitzung des Stadtrates"
    assert str(council_meeting["LOCATION"]) == "Rathaus, Ratssaal, Markt 1, 01234 Testhausen"
    assert str(council_meeting["STATUS"]) == "CONFIRMED"
    assert "Stadtrat" in str(council_meeting["DESCRIPTION"])
    assert "Ö 1 Haushaltssatzung 2026" in str(council_meeting["DESCRIPTION"])
    summer = found[f"sitzung-12@{UID_DOMAIN}"]
    assert summer.start.utcoffset() == timedelta(hours=2)


def test_sequence_and_stamp_come_from_content_not_the_clock(site):
    found = events(site / "kalender/alle.ics")
    modified = found[f"sitzung-10@{UID_DOMAIN}"]
    assert modified.DTSTAMP == datetime.fromisoformat("2026-02-20T09:00:00+00:00")
    assert modified["SEQUENCE"] == (modified.DTSTAMP - ical.SEQUENCE_EPOCH).total_seconds() // 60
    unmodified = found[f"sitzung-12@{UID_DOMAIN}"]
    assert unmodified["SEQUENCE"] == 0 and unmodified.DTSTAMP == unmodified.start


def test_meeting_without_end_lasts_two_hours(site):
    event = events(site / "kalender/alle.ics")[f"sitzung-11@{UID_DOMAIN}"]
    assert event.end - event.start == timedelta(hours=2)


def test_cancelled_meeting_is_cancelled_in_calendar(site):
    event = events(site / "sitzungen/11.ics")[f"sitzung-11@{UID_DOMAIN}"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "abgesagt" in str(event["DESCRIPTION"])


def test_event_links_to_its_meeting_page(site, graph):
    for meeting in MEETINGS:
        event = events(site / f"sitzungen/{meeting}.ics")[f"sitzung-{meeting}@{UID_DOMAIN}"]
        page = graph.meetings[meeting].url
        assert str(event["URL"]) == BASE + page
        assert (site / page).is_file()


def test_each_committee_with_meetings_has_a_calendar(site):
    assert set(events(site / "kalender/gremium-1.ics")) == {f"sitzung-10@{UID_DOMAIN}", f"sitzung-12@{UID_DOMAIN}"}
    assert set(events(site / "kalender/gremium-2.ics")) == {f"sitzung-11@{UID_DOMAIN}"}
    assert not (site / "kalender/gremium-3.ics").exists()  # the Bauamt holds no meetings


def test_non_public_agenda_item_never_reaches_feeds(site, site_without_public_url):
    for output in (site, site_without_public_url):
        files = feed_files(output)
        assert any(p.suffix == ".ics" for p in files)
        for path in files:
            assert MARKER not in path.read_text(encoding="utf-8"), path
    description = str(events(site / "sitzungen/10.ics")[f"sitzung-10@{UID_DOMAIN}"]["DESCRIPTION"])
    assert "N 1" not in description


def test_markup_in_titles_arrives_as_text(site):
    for path in [*sorted((site / "feeds").glob("*.atom")), site / "sitemap.xml"]:
        assert "<script>" not in path.read_text(encoding="utf-8"), path
    entries = ET.parse(site / "feeds/vorlagen.atom").getroot().findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title") for e in entries]
    assert f"BV/2026/014 Bebauungsplan Nord {EVIL}" in [t.text for t in titles]
    assert {t.get("type") for t in titles} == {"text"}
    event = events(site / "kalender/alle.ics")[f"sitzung-11@{UID_DOMAIN}"]
    assert str(event["SUMMARY"]) == f"Bauausschuss {EVIL}"


def test_two_builds_give_identical_feeds(content, site, tmp_path):
    again = build(content, tmp_path / "again", PUBLIC_URL=PUBLIC_URL)
    first = {p.relative_to(site): p.read_bytes() for p in feed_files(site)}
    second = {p.relative_to(again): p.read_bytes() for p in feed_files(again)}
    assert len(first) >= 10
    assert first == second


def test_atom_feed_lists_newest_paper_first(site, graph):
    feed = ET.parse(site / "feeds/vorlagen.atom").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        f"tag:{DOMAIN},2000:vorlage-101", f"tag:{DOMAIN},2000:vorlage-100", f"tag:{DOMAIN},2000:vorlage-102"]
    assert feed.find(f"{ATOM}updated").text == entries[0].find(f"{ATOM}updated").text == "2026-02-20T00:00:00+01:00"
    first = entries[1]
    assert first.find(f"{ATOM}title").text == "BV/2026/001 Haushaltssatzung 2026"
    assert first.find(f"{ATOM}link").get("href") == BASE + graph.papers["100"].url
    summary = first.find(f"{ATOM}summary").text
    assert "Beschlussvorlage" in summary and "Stadtrat" in summary and "Bauamt" in summary


def test_committee_feed_holds_papers_it_consults_or_directs(site):
    def ids(name):
        feed = ET.parse(site / f"feeds/{name}.atom").getroot()
        return [e.find(f"{ATOM}id").text.rsplit("-", 1)[1] for e in feed.findall(f"{ATOM}entry")]

    assert ids("gremium-1") == ["100"]   # consulted by the Stadtrat
    assert ids("gremium-2") == ["101"]   # consulted by the Bauausschuss
    assert ids("gremium-3") == ["100"]   # directed by the Bauamt


def test_sitemap_lists_every_page_with_an_absolute_url(site, graph):
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert all(url.startswith(BASE) for url in urls)
    for meeting in graph.meetings.values():
        assert BASE + meeting.url in urls
    assert BASE + graph.papers["100"].url in urls and f"{BASE}index.html" in urls
    assert f"{BASE}suche.html" not in urls
    assert len(urls) == len(set(urls)) == len(html_pages(site))


def test_sitemap_leaves_out_search_and_error_page_and_pagefind(tmp_path):
    for name in ("index.html", "suche.html", "404.html", "pagefind/fragment.html", "sitzungen/1.html", ".tmp.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert html_pages(tmp_path) == ["index.html", "sitzungen/1.html"]


def test_robots_txt_names_the_sitemap_only_with_public_url(site, site_without_public_url):
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Allow: /" in robots
    assert f"Sitemap: {BASE}sitemap.xml" in robots
    assert "Sitemap" not in (site_without_public_url / "robots.txt").read_text(encoding="utf-8")


def test_without_public_url_calendars_have_no_links_and_feeds_are_skipped(content, tmp_path, caplog, monkeypatch):
    # Pelican's loggers drop a message already logged in this process (pelican.log.LimitFilter);
    # other builds in the test session warned the same already.
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())
    with caplog.at_level(logging.WARNING, logger="plugins.feeds"):
        output = build(content, tmp_path / "output")
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("plugins.feeds")]
    assert len(warnings) == 1 and warnings[0].startswith("PUBLIC_URL fehlt:")
    assert not (output / "sitemap.xml").exists() and not (output / "feeds").exists()
    found = events(output / "kalender/alle.ics")
    assert set(found) == {f"sitzung-{m}@{UID_DOMAIN}" for m in MEETINGS}
    assert all("URL" not in e for e in found.values())
    assert "https://" not in (output / "kalender/alle.ics").read_text(encoding="utf-8")


def test_invalid_public_url_stops_the_build_with_a_message(content, tmp_path):
    with pytest.raises(BuildFailed, match="PUBLIC_URL"):
        build(content, tmp_path / "output", PUBLIC_URL="ratsinfo.testhausen.example")


def test_sequence_grows_when_a_meeting_is_modified():
    meeting = Meeting("1", None, "Sitzung", start=datetime.fromisoformat("2026-02-26T16:00:00+01:00"))
    assert ical.sequence(meeting) == 0  # content without `modified`
    meeting.modified = datetime.fromisoformat("2026-02-01T10:00:00+01:00")
    earlier = ical.sequence(meeting)
    meeting.modified = datetime.fromisoformat("2026-02-20T10:00:00+01:00")
    later = ical.sequence(meeting)
    assert 0 < earlier < later
    event = ical.meeting_event(meeting, DOMAIN, None)
    assert event["SEQUENCE"] == later
    assert event.DTSTAMP == datetime.fromisoformat("2026-02-20T09:00:00+00:00")


def uids(path: Path) -> set[str]:
    """The calendar's own UID (RFC 7986) and those of its events."""
    calendar = Calendar.from_ical(path.read_bytes())
    return {f"kalender {calendar['UID']}"} | {str(e["UID"]) for e in calendar.walk("VEVENT")}


def test_calendar_uids_stay_when_the_public_address_is_set_later(site, site_without_public_url):
    before = {p.relative_to(site_without_public_url): uids(p) for p in sorted(site_without_public_url.rglob("*.ics"))}
    after = {p.relative_to(site): uids(p) for p in sorted(site.rglob("*.ics"))}
    assert len(before) == 1 + 2 + len(MEETINGS)  # everything, two committees, each meeting
    assert after == before
    assert {f"sitzung-{m}@{UID_DOMAIN}" for m in MEETINGS} <= set().union(*before.values())


def test_calendar_uids_without_a_source_address_use_a_fixed_name():
    from plugins.council.graph import Body
    from plugins.feeds.generator import FALLBACK_DOMAIN, uid_domain

    def body(source):
        return Body("1", source, "Stadt Testhausen")

    assert uid_domain(body("https://oparl.testhausen.example/oparl/v1/bodies/1")) == UID_DOMAIN
    # An SQL export names its rows, hand-written content may name nothing, and there may be no body.
    assert uid_domain(body("sql:bodies/1")) == uid_domain(body(None)) == uid_domain(None) == FALLBACK_DOMAIN


def offered(output: Path, page: str) -> set[str]:
    """The calendars and feeds `page` links (also as webcal:// under PUBLIC_URL, and those the
    calendar's committee filter switches to), as paths relative to the site."""
    text = (output / page).read_text(encoding="utf-8")
    links = re.findall(r'(?:href|data-kalender|data-webcal|data-alle)="([^"]+\.(?:ics|atom))"', text)
    webcal = "webcal://" + PUBLIC_URL.split("://", 1)[1] + "/"
    paths = set()
    for link in links:
        if link.startswith("webcal:"):
            assert link.startswith(webcal), f"{page}: {link} liegt nicht unter PUBLIC_URL"
            paths.add(link[len(webcal):])
        else:
            paths.add(posixpath.normpath(posixpath.join(posixpath.dirname(page), link)))
    return paths


def test_pages_offer_only_the_calendars_and_feeds_that_were_written(site, site_without_public_url):
    for output in (site, site_without_public_url):
        for page in html_pages(output):
            for target in offered(output, page):
                assert (output / target).is_file(), f"{page} verlinkt {target}"
    # The feeds of all papers, changes, agendas and minutes are in every page's head, with the public address only.
    everywhere = {"feeds/vorlagen.atom", "feeds/aenderungen.atom", "feeds/tagesordnungen.atom", "feeds/niederschriften.atom"}
    assert all(everywhere <= offered(site, page) for page in html_pages(site))
    assert not any(everywhere & offered(site_without_public_url, page) for page in html_pages(site_without_public_url))

    def own(output, page):
        return offered(output, page) - everywhere

    assert own(site, "gremien/1.html") == {"kalender/gremium-1.ics", "feeds/gremium-1.atom",
                                           "feeds/gremium-1-aenderungen.atom", "feeds/gremium-1-tagesordnungen.atom",
                                           "feeds/gremium-1-niederschriften.atom"}
    # Directs a paper, never meets.
    assert own(site, "gremien/3.html") == {"feeds/gremium-3.atom", "feeds/gremium-3-aenderungen.atom",
                                           "feeds/gremium-3-tagesordnungen.atom", "feeds/gremium-3-niederschriften.atom"}
    assert own(site_without_public_url, "gremien/3.html") == set()  # a feed needs the public address
    assert own(site, "gremien/4.html") == own(site_without_public_url, "gremien/4.html") == set()
    assert own(site, "sitzungen/10.html") == {"sitzungen/10.ics"}
    assert own(site, "sitzungen/13.html") == set()
    assert own(site_without_public_url, "sitzungen/index.html") == {"kalender/alle.ics"}


def test_calendar_offers_webcal_under_the_public_address_for_all_and_each_committee(site, site_without_public_url):
    page = (site / "kalender/index.html").read_text(encoding="utf-8")
    webcal = "webcal://" + PUBLIC_URL.split("://", 1)[1] + "/"
    assert f'<a class="webcal" href="{webcal}kalender/alle.ics">' in page
    # The committee filter's choices carry their calendar for "abonnieren" (theme/static/js/calendar.js).
    choices = re.findall(r'data-kalender="\.\./(kalender/gremium-[^"]+\.ics)" data-webcal="([^"]+)"', page)
    assert choices and all(link == webcal + path for path, link in choices)
    # Without a public address no host can be named: the .ics link stays, webcal goes.
    bare = (site_without_public_url / "kalender/index.html").read_text(encoding="utf-8")
    assert "webcal:" not in bare and 'href="../kalender/alle.ics"' in bare
