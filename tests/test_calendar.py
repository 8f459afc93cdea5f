"""The month calendar narrowed to one committee, in a real browser; the choice travels in the URL."""

from __future__ import annotations

from collections import Counter

from importers.content import read_front_matter
from tests.support.browser import serve_site


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
