"""People, factions and wayfinding in a real browser, at desktop and phone width (the calendar:
tests/test_calendar.py).

What a citizen sees of issue 17's "Documents and pages": who sits for which Fraktion (or none),
the council's seats, where a page is in the site, and a focus outline that can be seen on every
background.
"""

from __future__ import annotations

import re

import pytest

from importers.content import read_front_matter
from tests.conftest import DEMO_TODAY
from tests.support.browser import serve_site

WIDTHS = {"Telefon": 375, "Desktop": 1280}
# One page of each kind whose focus outline lands on another background: header (blue), the
# day in the calendar (yellow), tables and chips (grey), plain white.
FOCUS_PAGES = ["index.html", "kalender/index.html", "gremien/1.html", "personen/index.html", "wahlperioden/1.html",
               "suche.html#q=Spielplatz"]


@pytest.fixture(scope="module")
def demo(demo_site, tmp_path_factory):
    """The demo site, served once for the module."""
    with serve_site(demo_site, tmp_path_factory.mktemp("people-web")) as base:
        yield base


def open_page(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url)
    return page


def luminance(color: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"[\d.]+", color)[:3])
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The focused element's outline, and the background drawn where the outline is: what lies just
# outside its top and bottom edge (the outline sits 2–5 px outside), walked up to the first
# element with a background.
FOCUS_JS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const rect = element.getBoundingClientRect();
  const behind = y => {
    const x = Math.min(Math.max(rect.left + rect.width / 2, 1), innerWidth - 1);
    const stack = document.elementsFromPoint(x, Math.min(Math.max(y, 0), innerHeight - 1));
    let node = stack.find(n => n !== element && !element.contains(n));
    while (node) {
      const color = getComputedStyle(node).backgroundColor;
      if (color && color !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(color)) { return color; }
      node = node.parentElement;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  };
  return {tag: element.tagName + '.' + element.className + ' ' + (element.textContent || '').trim().slice(0, 30),
          color: style.outlineColor, style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          backgrounds: [behind(rect.top - 3.5), behind(rect.bottom + 3.5)]};
}"""


@pytest.mark.parametrize("device", WIDTHS)
def test_focus_outline_has_3_to_1_contrast_on_every_background(demo, browser, device):
    weak, seen = [], 0
    for path in FOCUS_PAGES:
        page = open_page(browser, demo + path, WIDTHS[device])
        if path.startswith("suche.html"):
            page.wait_for_selector(".search-results[aria-busy=false] #suchstatus:not(:empty)", timeout=20_000)
        for _ in range(25):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement === document.body"):
                break
            focus = page.evaluate(FOCUS_JS)
            seen += 1
            assert focus["style"] != "none" and focus["width"] >= 2, f"{path}: {focus['tag']} ohne Fokusrahmen"
            for background in focus["backgrounds"]:
                if contrast(focus["color"], background) < 3:
                    weak.append(f"{path}: {focus['tag']} {focus['color']} auf {background}")
        page.close()
    assert seen > 50
    assert not weak, "\n".join(weak)


@pytest.mark.parametrize("device", WIDTHS)
def test_the_current_section_is_marked_in_the_navigation(demo, browser, device):
    for path, entry, current in [("kalender/index.html", "Kalender", "page"), ("gremien/1.html", "Gremien", "true"),
                                 ("personen/index.html", "Personen", "page"), ("wahlperioden/1.html", "Gremien", "true")]:
        page = open_page(browser, demo + path, WIDTHS[device])
        marked = page.locator(".site-header nav a[aria-current]")
        assert marked.count() == 1 and marked.inner_text() == entry and marked.get_attribute("aria-current") == current
        # Seen, not only announced: bolder and underlined unlike the other entries.
        styles = page.evaluate("""() => [...document.querySelectorAll('.site-header nav a')].map(a => {
            const s = getComputedStyle(a);
            return [a.hasAttribute('aria-current'), s.fontWeight, s.borderBottomStyle + ' ' + s.borderBottomColor];
        })""")
        for is_current, weight, border in styles:
            if is_current:
                assert int(weight) >= 700 and border.startswith("solid") and "rgb(255, 255, 255)" in border
            else:
                assert int(weight) < 700 and "rgb(255, 255, 255)" not in border
        page.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_every_detail_page_names_the_way_up(demo, demo_site, browser, device):
    paper = next(p for p in sorted((demo_site / "vorlagen").glob("*.html"))
                 if not re.match(r"(index|jahr-|art-)", p.name))
    document = sorted((demo_site / "dateien").glob("*.html"))[0]
    meeting = next(p for p in sorted((demo_site / "sitzungen").glob("*.html")) if p.name[0].isdigit())
    expected = {
        f"sitzungen/{meeting.name}": ["Startseite", "Sitzungen", re.compile(r"^\d{4}$")],
        f"vorlagen/{paper.name}": ["Startseite", "Vorlagen"],
        f"dateien/{document.name}": ["Startseite", re.compile("Vorlagen|Sitzungen"), re.compile(".")],
        "personen/1.html": ["Startseite", "Personen"],
        "gremien/22.html": ["Startseite", "Gremien", "Dezernat 2 – Stadtentwicklung und Bau"],
        "wahlperioden/1.html": ["Startseite", "Wahlperioden"],
    }
    for path, trail in expected.items():
        page = open_page(browser, demo + path, WIDTHS[device])
        crumbs = page.locator("nav.breadcrumbs[aria-label=Brotkrumen]")
        assert crumbs.count() == 1 and crumbs.is_visible(), path
        links = crumbs.locator("a")
        assert links.count() == len(trail), path
        for index, want in enumerate(trail):
            text = links.nth(index).inner_text()
            assert want.search(text) if isinstance(want, re.Pattern) else text == want, (path, text)
            assert links.nth(index).get_attribute("itemprop") is None  # plain links, no schema
        # The page itself comes last, as text, and is its heading.
        assert crumbs.locator("[aria-current=page]").inner_text().strip() in page.title()
        # Each link leads somewhere that exists.
        for index in range(links.count()):
            assert page.request.get(links.nth(index).evaluate("a => a.href")).ok
        page.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_council_page_shows_seats_per_faction_and_who_is_without_one(demo, demo_content, browser, device):
    page = open_page(browser, demo + "gremien/1.html", WIDTHS[device])
    rows = page.evaluate("""() => [...document.querySelectorAll('table.seats tbody tr')].map(r =>
        [r.querySelector('th').textContent.trim(), Number(r.querySelector('td').textContent),
         r.querySelectorAll('.seat').length])""")
    total = int(page.locator("table.seats tfoot td").first.inner_text())
    # As many seats as current members who are not there ex officio (the Oberbürgermeisterin).
    current = page.locator("h2:text-is('Mitglieder') + table tbody tr").count()
    assert page.locator(".seats + p.meta").inner_text().startswith("Dazu kraft Amtes:")
    assert total == sum(count for _, count, _ in rows) == current - 1
    assert all(count == dots for _, count, dots in rows)
    assert [name for name, _, _ in rows][-1] == "fraktionslos"
    assert [count for _, count, _ in rows[:-1]] == sorted((count for _, count, _ in rows[:-1]), reverse=True)
    assert page.locator("table.seats .seat-row").first.is_visible()
    page.close()
    # The member without a Fraktion says so on the person's page and in the persons list.
    page = open_page(browser, demo + "personen/index.html", WIDTHS[device])
    without = page.locator("li:has(.meta:text-is('fraktionslos')) a")
    assert without.count() == 1
    without.click()
    page.wait_for_load_state()
    assert page.locator("p.lead").first.inner_text() == "Fraktion: fraktionslos"
    page.close()


def test_person_shows_past_memberships_apart_with_dates_as_a_range(demo, demo_content, browser):
    def both(path):
        ends = [m.get("end_date") for m in read_front_matter(path).get("memberships") or []]
        return None in ends and any(end and end < DEMO_TODAY for end in ends)

    person = next(p.stem for p in sorted((demo_content / "persons").glob("*.md")) if both(p))
    page = open_page(browser, demo + f"personen/{person}.html", 375)
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:2] == ["Mitgliedschaften", "Frühere Mitgliedschaften"]
    past = page.locator("h2:text-is('Frühere Mitgliedschaften') + table tbody td:nth-child(3)").all_inner_texts()
    assert past and all(re.fullmatch(r"\d\d\.\d\d\.\d{4} – \d\d\.\d\d\.\d{4}", p) for p in past)
    current = page.locator("h2:text-is('Mitgliedschaften') + table tbody td:nth-child(3)").all_inner_texts()
    assert current and all(re.fullmatch(r"seit \d\d\.\d\d\.\d{4}", c) for c in current)
    page.close()


def test_faction_page_lists_its_motions_and_questions(demo, demo_content, browser):
    originated = {}
    for path in (demo_content / "papers").glob("*.md"):
        paper = read_front_matter(path)
        for org in paper.get("originator_organizations") or []:
            originated.setdefault(org, set()).add(paper["name"])
    faction, names = max(originated.items(), key=lambda item: len(item[1]))
    page = open_page(browser, demo + f"gremien/{faction}.html", 1280)
    listed = page.locator("h2:text-is('Anträge und Anfragen') + ul li > a").all_inner_texts()
    assert set(listed) == names
    page.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_term_page_shows_its_committees_although_no_meeting_is_published(demo, browser, device):
    page = open_page(browser, demo + "wahlperioden/1.html", WIDTHS[device])
    assert page.locator("dl.facts dd").all_inner_texts() == ["01.08.2019 – 31.07.2024", "keine veröffentlicht"]
    committees = page.locator("table.term-organizations tbody th a").all_inner_texts()
    assert "Stadtrat" in committees and any(name.startswith("Fraktion") for name in committees)
    page.close()
    page = open_page(browser, demo + "wahlperioden/2.html", WIDTHS[device])
    years = page.locator("main ul.chips a")
    assert years.count() >= 2 and page.locator("table.term-organizations tbody tr").count() > 5
    years.first.click()
    page.wait_for_load_state()
    assert "/sitzungen/jahr-" in page.url
    page.close()


def test_footer_names_the_body_in_a_sentence(demo, browser):
    page = open_page(browser, demo + "index.html", 375)
    footer = page.locator(".site-footer").inner_text()
    assert "Öffentliche Ratsinformationen der Großen Kreisstadt Muldenau." in footer
    assert re.search(r"Muldenau\.\s+Stand der Daten", footer)
    page.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_sort_and_filter_selects_look_like_the_search_field(demo, browser, device):
    look = "e => { const s = getComputedStyle(e); return [s.paddingTop, s.fontSize, s.borderTopWidth, s.borderTopStyle, " \
           "s.borderTopColor, s.borderTopLeftRadius, s.backgroundColor]; }"
    page = open_page(browser, demo + "suche.html", WIDTHS[device])
    field = page.locator("main input[type=search]").first.evaluate(look)
    sort = page.locator("#sortierung").evaluate(look)
    page.close()
    page = open_page(browser, demo + "kalender/index.html", WIDTHS[device])
    committee = page.locator("#gremium").evaluate(look)
    page.close()
    assert sort == field == committee
