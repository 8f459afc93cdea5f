"""The month calendar narrowed to one committee, in a real browser; the choice travels in the URL."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from importers.content import read_front_matter
from tests.support.browser import serve_site

WIDTHS = {"Telefon": 375, "Desktop": 1280}


@pytest.fixture(scope="module")
def demo(demo_site, tmp_path_factory):
    """The demo site, served once for the module."""
    with serve_site(demo_site, tmp_path_factory.mktemp("calendar-web")) as base:
        yield base


def open_page(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url)
    return page


def busy_month_and_committee(content):
    """A month with meetings of several committees, and one committee that meets in it."""
    months = Counter()
    by_month = {}
    for path in (content / "meetings").glob("*.md"):
        meeting = read_front_matter(path)
        if meeting.get("start") and meeting.get("organizations"):
            month = meeting["start"][:7]
            months[month] += 1
            by_month.setdefault(month, set()).add(meeting["organizations"][0])
    month = max(months, key=lambda m: (len(by_month[m]), m))
    return month, sorted(by_month[month])[0], len(by_month[month])


def test_committee_filter_narrows_the_month_and_follows_the_month_links(demo_site, demo_content, browser, tmp_path):
    month, committee, committees_that_month = busy_month_and_committee(demo_content)
    assert committees_that_month > 1
    with serve_site(demo_site, tmp_path) as base:
        page = browser.new_page()
        page.goto(f"{base}kalender/{month}.html")
        everything = page.locator("table.calendar a:visible").count()
        page.select_option("#gremium", committee)
        shown = page.locator("table.calendar a:visible")
        assert 0 < shown.count() < everything
        for index in range(shown.count()):
            assert committee in shown.nth(index).get_attribute("data-gremien").split()
        assert f"gremium={committee}" in page.url
        page.click("a[rel=next]")
        page.wait_for_load_state()
        assert f"gremium={committee}" in page.url
        assert page.input_value("#gremium") == committee
        page.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_calendar_explains_abbreviations_and_keeps_the_weekday(demo, browser, device):
    page = open_page(browser, demo + "kalender/2026-11.html", WIDTHS[device])
    abbreviations = page.evaluate("""() => [...document.querySelectorAll('table.calendar abbr')].map(a =>
        [a.textContent, a.title])""")
    assert abbreviations and all(title and title != short for short, title in abbreviations)
    legend = dict(page.evaluate("""() => [...document.querySelectorAll('dl.legend > div')].map(d =>
        [d.querySelector('dt').textContent, d.querySelector('dd').textContent])"""))
    assert {short: title for short, title in abbreviations} == {k: v for k, v in legend.items() if k in dict(abbreviations)}
    # The day with a meeting says which weekday it is, on a phone too (where the table's head is gone).
    day = page.locator("table.calendar td:has(a) .day").first
    if device == "Telefon":
        assert not page.locator("table.calendar thead").is_visible()
        assert re.fullmatch(r"(Mo|Di|Mi|Do|Fr|Sa|So), \d+\.", day.inner_text())
    else:  # the column's head says it
        assert page.locator("table.calendar thead").is_visible() and re.fullmatch(r"\d+\.", day.inner_text())
    page.close()


def test_subscribe_link_follows_the_committee_filter(demo, browser):
    page = open_page(browser, demo + "kalender/2026-11.html", 1280)
    link = page.locator("#abonnieren a.ics")
    assert link.get_attribute("href").endswith("kalender/alle.ics")
    option = page.locator("#gremium option[data-kalender]").first
    committee, name = option.get_attribute("value"), option.inner_text()
    page.select_option("#gremium", committee)
    assert link.get_attribute("href").endswith(f"kalender/gremium-{committee}.ics")
    assert name in link.inner_text()
    assert page.request.get(link.evaluate("a => a.href")).ok
    page.select_option("#gremium", "")
    assert link.get_attribute("href").endswith("kalender/alle.ics")
    # Opened with the committee in the address (a shared link), it offers that committee's calendar.
    page.goto(demo + f"kalender/2026-11.html?gremium={committee}")
    assert page.locator("#abonnieren a.ics").get_attribute("href").endswith(f"gremium-{committee}.ics")
    page.close()
