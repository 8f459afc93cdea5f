"""The portal's own texts are translatable: German without a catalogue, another language with one."""

from __future__ import annotations

import gettext
import json
import logging
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

from importers.content import render_front_matter
from plugins.i18n.catalogue import UNTRANSLATED, Extension, load_translations
from ratsinfo.build import SETTINGS_FILE, build_site

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "theme" / "templates"
BODY = "Stadt Musterhausen <Test>"

# A town's English catalogue for a handful of texts. "Vorlagen" is fuzzy: gettext must ignore it.
ENGLISH_PO = r'''
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Sitzungen"
msgstr "Meetings"

msgid "Nichtöffentlicher Tagesordnungspunkt"
msgstr "Non-public agenda item"

msgid "Tagesordnung"
msgstr "Agenda"

msgid "Seite nicht gefunden"
msgstr "Page not found"

msgid "Zum Inhalt springen"
msgstr "Skip to "
"content"

msgid "Öffentliche Ratsinformationen: %(body)s."
msgstr "Public council information of %(body)s."

msgid "Stand der Daten: %(date)s."
msgstr "Data as of %(date)s."

msgid "Montag"
msgstr "Monday"

msgid "Gremien"
msgstr "Committees"

msgid "Tagesordnung (öffentlicher Teil):"
msgstr "Agenda (public part):"

msgid "Sitzungen – %(site)s"
msgstr "Meetings – %(site)s"

msgid "Mai"
msgstr "May"

msgid "%(time)s Uhr"
msgstr "%(time)s"

msgid "%(day)s.%(month)s.%(year)s"
msgstr "%(year)s-%(month)s-%(day)s"

msgctxt "Wochentag, kurz"
msgid "Mo"
msgstr "Mon"

#, fuzzy
msgid "Vorlagen"
msgstr "Papers"

msgid "Vorlagen %(year)s"
msgstr "Papers of %(year)s"

msgid "Ohne Art"
msgstr "Without a type"
'''


def write(content: Path, folder: str, data: dict):
    (content / folder).mkdir(parents=True, exist_ok=True)
    (content / folder / f"{data['id']}.md").write_bytes(render_front_matter(data))


def small_council(content: Path) -> Path:
    """One committee, one meeting with a public and a non-public item, a paper, a person, a page."""
    write(content, "bodies", {"id": "b", "name": BODY})
    write(content, "organizations", {"id": "o", "name": "Hauptausschuss", "classification": "Ausschuss"})
    write(content, "persons", {"id": "p", "name": "Erika Muster",
                               "memberships": [{"organization": "o", "start_date": "2024-01-01"}]})
    write(content, "papers", {"id": "v", "name": "Spielplatz Mühlenweg", "reference": "VO/2025/0012",
                              "date": "2025-04-01", "consultations": [{"meeting": "m", "organizations": ["o"]}]})
    write(content, "meetings", {"id": "m", "name": "Sitzung des Hauptausschusses", "organizations": ["o"],
                                "source": "https://oparl.musterhausen.example/meetings/m",
                                "start": "2025-05-05T17:00:00+02:00", "agenda": [
                                    {"id": "1", "number": "1", "name": "Spielplatz", "public": True, "paper": "v"},
                                    {"id": "2", "number": "2", "name": "Grundstücksgeschäft", "public": False}]})
    (content / "site.yaml").write_text("data_as_of: '2025-05-06T08:00:00+02:00'\n", encoding="utf-8")
    (content / "pages").mkdir(parents=True, exist_ok=True)
    (content / "pages" / "impressum.md").write_text("Title: Impressum\nSlug: impressum\n\nHerausgeber: die Stadt.\n",
                                                    encoding="utf-8")
    return content


def build(content: Path, output: Path, **settings) -> Path:
    build_site(content, output, overrides={"PAGEFIND": False, "RATSINFO_CACHE": False,
                                           "RATSINFO_TODAY": "2025-05-01", **settings})
    return output


def catalogue(folder: Path, language: str, po_text: str) -> Path:
    """A compiled catalogue as a town would have it: <folder>/<lang>/LC_MESSAGES/messages.mo."""
    po = folder / language / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(po_text, encoding="utf-8")
    pybabel("compile", "-i", str(po), "-o", str(po.with_suffix(".mo")))
    return folder


def pybabel(*args: str) -> str:
    """Babel's command line as docs/i18n.md uses it, in the project folder (pyproject.toml's [tool.babel])."""
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=PROJECT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def council(tmp_path_factory) -> Path:
    return small_council(tmp_path_factory.mktemp("i18n-content"))


@pytest.fixture(scope="module")
def german_site(council, tmp_path_factory) -> Path:
    return build(council, tmp_path_factory.mktemp("i18n-de") / "output")


@pytest.fixture(scope="module")
def english_translations(tmp_path_factory) -> Path:
    return catalogue(tmp_path_factory.mktemp("translations"), "en", ENGLISH_PO)


def test_without_a_catalogue_every_page_is_german(german_site):
    meeting = page(german_site, "sitzungen/m.html")
    assert '<html lang="de">' in meeting
    assert '<li><a href="../sitzungen/index.html">Sitzungen</a></li>' in meeting
    assert "<h2>Tagesordnung</h2>" in meeting
    assert ">Nichtöffentlicher Tagesordnungspunkt</td>" in meeting
    assert "Grundstücksgeschäft" not in meeting
    assert "<dd>Montag, 05.05.2025, 17:00 Uhr</dd>" in meeting
    assert "Öffentliche Ratsinformationen der Stadt Musterhausen &lt;Test&gt;." in meeting
    assert "Stand der Daten: 06.05.2025." in meeting
    assert '<th scope="col">Mo</th>' in page(german_site, "kalender/2025-05.html")
    assert "Sitzungskalender Mai 2025" in page(german_site, "kalender/2025-05.html")
    assert "<h1>Vorlagen 2025</h1>" in page(german_site, "vorlagen/jahr-2025.html")
    assert "<h1>Ohne Art</h1>" in page(german_site, "vorlagen/art-ohne.html")
    assert "<h1>Seite nicht gefunden</h1>" in page(german_site, "404.html")
    assert '<a class="skip" href="#inhalt">Zum Inhalt springen</a>' in page(german_site, "seiten/impressum.html")


def test_a_catalogue_of_nothing_but_msgids_changes_only_the_language_attribute(council, german_site, tmp_path):
    # What a town has right after `pybabel init` from messages.pot: every msgstr empty, so German
    # stays, byte for byte.
    folder = tmp_path / "translations"
    pybabel("init", "-d", str(folder), "-l", "nl")  # from theme/translations/messages.pot (pyproject.toml)
    pybabel("compile", "-d", str(folder))
    site = build(council, tmp_path / "output", RATSINFO_LANGUAGE="nl", RATSINFO_TRANSLATIONS=str(folder))
    german = {p.relative_to(german_site) for p in german_site.rglob("*") if p.is_file()}
    assert german == {p.relative_to(site) for p in site.rglob("*") if p.is_file()}
    for name in sorted(german):
        if name.parts[0] == "_ratsinfo" or name.as_posix() == "SHA256SUMS":  # the pages' hashes: they differ
            continue
        expected = (german_site / name).read_bytes()
        if name.suffix == ".html":
            expected = expected.replace(b'<html lang="de">', b'<html lang="nl">')
        assert (site / name).read_bytes() == expected, name


def test_a_catalogue_translates_meeting_pages_navigation_calendar_and_404(council, english_translations, tmp_path):
    site = build(council, tmp_path / "output", RATSINFO_LANGUAGE="en", RATSINFO_TRANSLATIONS=str(english_translations))
    meeting = page(site, "sitzungen/m.html")
    assert '<html lang="en">' in meeting
    assert '<li><a href="../sitzungen/index.html">Meetings</a></li>' in meeting
    assert "<h2>Agenda</h2>" in meeting
    assert ">Non-public agenda item</td>" in meeting
    assert "Nichtöffentlicher Tagesordnungspunkt" not in meeting
    assert "<dd>Monday, 2025-05-05, 17:00</dd>" in meeting
    assert '<a class="skip" href="#inhalt">Skip to content</a>' in meeting
    # A translated text with a placeholder still escapes the data put into it.
    assert "Public council information of Stadt Musterhausen &lt;Test&gt;." in meeting
    assert "Data as of 2025-05-06." in meeting
    # Untranslated (and fuzzy) texts fall back to German.
    assert '<li><a href="../vorlagen/index.html">Vorlagen</a></li>' in meeting
    assert "<dt>Termin</dt>" in meeting
    # Group names are our texts, chosen in Python (graph.Organization.category): translated too;
    # the committee's own name and classification come from the source and stay as they are.
    assert '<h2 id="g-1">Committees</h2>' in page(site, "gremien/index.html")
    assert "Hauptausschuss" in page(site, "gremien/index.html")
    # So are the headings of paper lists; a paper's own type would stay as the source has it.
    assert "<h1>Papers of 2025</h1>" in page(site, "vorlagen/jahr-2025.html")
    assert "<h1>Without a type</h1>" in page(site, "vorlagen/art-ohne.html")
    assert ">Without a type</a>" in page(site, "vorlagen/index.html")
    # Calendars speak the portal's language too; the data in them stays as it is.
    calendar_file = page(site, "sitzungen/m.ics").replace("\n ", "")
    assert "Agenda (public part):" in calendar_file and "Spielplatz" in calendar_file
    assert "Meetings – Stadt Musterhausen <Test>" in page(site, "kalender/alle.ics").replace("\n ", "")
    calendar = page(site, "kalender/2025-05.html")
    assert '<th scope="col">Mon</th>' in calendar and "Sitzungskalender May 2025" in calendar
    not_found = page(site, "404.html")
    assert "<h1>Page not found</h1>" in not_found and '<html lang="en">' in not_found
    assert '<li><a href="/sitzungen/index.html">Meetings</a></li>' in not_found
    # Pelican's own pages (Impressum) render through Pelican's environment; plugins.i18n
    # (registered in pelicanconf.py) translates that one too.
    assert "Skip to content" in page(site, "seiten/impressum.html")


def test_hand_written_pages_are_translated_once_the_plugin_is_registered(council, english_translations, tmp_path):
    from pelican.settings import read_settings

    plugins = read_settings(str(SETTINGS_FILE))["PLUGINS"]
    plugins = plugins if "plugins.i18n" in plugins else [*plugins, "plugins.i18n"]
    site = build(council, tmp_path / "output", RATSINFO_LANGUAGE="en",
                 RATSINFO_TRANSLATIONS=str(english_translations), PLUGINS=plugins)
    impressum = page(site, "seiten/impressum.html")
    assert '<html lang="en">' in impressum
    assert '<li><a href="../sitzungen/index.html">Meetings</a></li>' in impressum
    assert "<h1>Impressum</h1>" in impressum  # the webmaster's own text stays as written
    assert ">Non-public agenda item</td>" in page(site, "sitzungen/m.html")


@pytest.mark.parametrize("language, catalogue_for, used", [("en", "en", "en"), ("fr", None, "de")])
def test_the_search_index_is_in_the_language_of_the_pages(council, tmp_path, language, catalogue_for, used):
    # Pagefind stems words by language: an English portal indexed as German finds "meeting"
    # only as typed. A language without catalogue falls back to German, pages and index alike.
    folder = catalogue(tmp_path / "translations", catalogue_for, ENGLISH_PO) if catalogue_for else tmp_path
    site = build(council, tmp_path / "output", PAGEFIND=True, RATSINFO_LANGUAGE=language,
                 RATSINFO_TRANSLATIONS=str(folder))
    assert f'<html lang="{used}">' in page(site, "sitzungen/m.html")
    entry = json.loads(page(site, "pagefind/pagefind-entry.json"))
    assert list(entry["languages"]) == [used]
    assert (site / "pagefind" / f"wasm.{used}.pagefind").is_file()


def test_a_missing_catalogue_leaves_the_portal_german_and_says_so(tmp_path, caplog):
    settings = {"RATSINFO_LANGUAGE": "fr", "RATSINFO_TRANSLATIONS": str(tmp_path)}
    with caplog.at_level(logging.WARNING):
        assert load_translations(settings) == (UNTRANSLATED, "de")
    assert "RATSINFO_LANGUAGE = 'fr'" in caplog.text and "messages.mo fehlt" in caplog.text
    # A regional variant uses the language's catalogue.
    catalogue(tmp_path, "de", 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                              'msgid "Vorlagen"\nmsgstr "Drucksachen"\n')
    translations, language = load_translations({"RATSINFO_LANGUAGE": "de_AT", "RATSINFO_TRANSLATIONS": str(tmp_path)})
    assert (translations.gettext("Vorlagen"), language) == ("Drucksachen", "de")


def test_shipped_catalogue_template_is_current(tmp_path):
    pybabel("extract", "-o", str(tmp_path / "messages.pot"))

    def without_date(pot: Path) -> list[str]:
        return [line for line in pot.read_text(encoding="utf-8").splitlines() if "POT-Creation-Date" not in line]

    shipped = TEMPLATES.parent / "translations" / "messages.pot"
    assert without_date(shipped) == without_date(tmp_path / "messages.pot"), \
        "Texte geändert: im Projektordner `pybabel extract` ausführen (docs/i18n.md)"


# --- Every visible text in a template goes through gettext -------------------------------------
#
# A reasonable check, not a proof. It reads each template twice:
# 1. As HTML, with every Jinja comment, {% trans %} block, {{ expression }} and {% tag %} blanked:
#    what remains in text nodes and in attributes a person perceives (VISIBLE_ATTRIBUTES) must
#    have no letter at all ("·", "–", "→", ":", "(" are fine).
# 2. As a Jinja syntax tree: a string literal with a letter must be a msgid (argument of `_`,
#    `gettext`, `pgettext`, …), a filter/test argument (`map('trim')`), or technical (a file name,
#    path or URL prefix such as 'base.html', 'pagefind/', 'mailto:'); and every msgid is a literal.
# Limits: it does not know which attributes a browser shows beyond the list, nor whether a literal
# compared in an `{% if %}` is ever printed (it would be flagged; rename or whitelist it then);
# texts coming from Python (plugins/council/plan.py, graph.py) are not templates and not checked;
# `_` re-bound as a loop or `set` variable is caught, a macro parameter named `_` is not.

# gettext function → how many of its first arguments are texts (context, msgid, plural)
GETTEXT = {"_": 1, "gettext": 1, "pgettext": 2, "ngettext": 2, "npgettext": 3}
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription",
                      "aria-valuetext", "label", "value", "data-pagefind-filter"}
LETTER = re.compile(r"[^\W\d_]")
TECHNICAL = re.compile(r"^[\w-]*[./:#][\w./:#-]*$")


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.texts += [value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value]

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self.lasttag not in ("script", "style"):
            self.texts.append(data)


def untranslated_html_text(source: str) -> list[str]:
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", " ", source, flags=re.S)
    source = re.sub(r"{{.*?}}|{%.*?%}", " ", source, flags=re.S)
    # Attributes a macro prints for its caller's tag (_search.html) are checked as a tag's.
    source = re.sub(r'((?:\s(?:data|aria)-[\w-]+(?:="[^"<>]*")?)+)(?=[^<>]*(?:<|$))', r"<x\1>", source)
    parser = _VisibleText()
    parser.feed(source)
    parser.close()
    return [" ".join(text.split()) for text in parser.texts if LETTER.search(text)]


def untranslated_literals(source: str) -> list[str]:
    env = Environment(extensions=[Extension], trim_blocks=True, lstrip_blocks=True)
    found: list[str] = []

    def visit(node):
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in GETTEXT:
            texts, values = node.args[:GETTEXT[node.node.name]], node.args[GETTEXT[node.node.name]:]
            # Babel extracts literal msgids only: `_(paper.name)` is not in messages.pot, and would
            # make source data a msgid.
            if len(texts) < GETTEXT[node.node.name] or not all(
                    isinstance(text, nodes.Const) and isinstance(text.value, str) for text in texts):
                found.append(f"{node.node.name}() ohne festen Text (Zeile {node.lineno})")
            for value in [*values, *(keyword.value for keyword in node.kwargs)]:  # the values put in
                visit(value)
            return
        if isinstance(node, (nodes.Filter, nodes.Test)):
            if node.node is not None:
                visit(node.node)
            return
        if isinstance(node, nodes.Name) and node.ctx in ("store", "param") and node.name in GETTEXT:
            found.append(f"{node.name} neu gebunden (Zeile {node.lineno})")
        if isinstance(node, nodes.Const) and isinstance(node.value, str):
            if LETTER.search(node.value) and not TECHNICAL.match(node.value):
                found.append(node.value)
        for child in node.iter_child_nodes():
            visit(child)

    visit(env.parse(source))
    return found


def test_the_visible_text_check_finds_untranslated_text():
    source = ('{% extends "base.html" %}<p title="Titel">Hallo {{ name }}</p><p>{{ _("Gut") }} · 2</p>'
              "{{ x or 'unbekannt' }}{{ _('bis %(end)s', end=y or 'heute') }}{% for a, _ in z %}{% endfor %}"
              '<a href="{{ root }}index.html" class="x">{{ _("Start") }}</a>{{ items|join(", ")|map("trim") }}')
    assert untranslated_html_text(source) == ["Titel", "Hallo"]
    assert untranslated_literals(source) == ["unbekannt", "heute", "_ neu gebunden (Zeile 1)"]


def test_a_template_msgid_is_a_literal_never_data():
    source = ('<h1>{{ _(paper.name) }}</h1>\n{{ pgettext("Kontext", "Mo" ~ x) }}'
              '{{ ngettext("%(n)s Sitzung", "%(n)s Sitzungen", n) }}')
    assert untranslated_literals(source) == ["_() ohne festen Text (Zeile 1)", "pgettext() ohne festen Text (Zeile 2)"]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_every_visible_template_text_is_translatable(template):
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    assert untranslated_html_text(source) == [], f"{template}: Text außerhalb von _()"
    assert untranslated_literals(source) == [], f"{template}: Literal außerhalb von _()"

