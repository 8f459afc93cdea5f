"""The reading view's guesses on plain extracted text (plugins/council/document_text.py)."""

from __future__ import annotations

from markupsafe import Markup

from plugins.council.document_text import Page, reading_view

PROSE = ("Der Stadtrat beschließt die Sanierung der Turnhalle Auenhain mit einem Kostenrahmen von 1,2 Mio. Euro "
         "und")


def blocks(text: str) -> list:
    return [block for page in reading_view(text) for block in page.blocks]


def test_section_words_numbered_and_title_case_lines_become_headings():
    text = "\n".join([
        "Große Kreisstadt Muldenau", "Datum: 02.12.2024",
        "Begründung:", "Die Halle ist alt.",
        "1. Sachverhalt", "Das Dach ist undicht.",
        "Finanzielle Folgen im Haushalt", "Die Mittel stehen bereit.",
        "03.02.2025 Ortschaftsrat Auenhain (Vorberatung)", "Stadtrat",
    ])
    assert blocks(text) == [
        ("paragraph", ["Große Kreisstadt Muldenau", "Datum: 02.12.2024"]),
        ("heading", "Begründung:"), ("paragraph", ["Die Halle ist alt."]),
        ("heading", "1. Sachverhalt"), ("paragraph", ["Das Dach ist undicht."]),
        ("heading", "Finanzielle Folgen im Haushalt"), ("paragraph", ["Die Mittel stehen bereit."]),
        # A date is no number of a heading; a last line is no heading.
        ("paragraph", ["03.02.2025 Ortschaftsrat Auenhain (Vorberatung)", "Stadtrat"]),
    ]


def test_the_line_under_a_heading_is_its_text_even_in_title_case():
    assert blocks("Betreff\nSanierung der Turnhalle Auenhain\nSachverhalt\nDas Dach ist undicht.") == [
        ("heading", "Betreff"), ("paragraph", ["Sanierung der Turnhalle Auenhain"]),
        ("heading", "Sachverhalt"), ("paragraph", ["Das Dach ist undicht."]),
    ]


def test_wrapped_lines_join_into_one_paragraph_and_a_hyphen_at_the_break_goes():
    text = f"{PROSE}\nbeauftragt die Verwaltung mit der Vergabe der Bauleis-\ntungen. Die Arbeiten beginnen im Mai.\nErd- und Tiefbau"
    assert blocks(text) == [
        ("paragraph", [f"{PROSE} beauftragt die Verwaltung mit der Vergabe der Bauleistungen. Die Arbeiten beginnen im Mai."]),
        ("paragraph", ["Erd- und Tiefbau"]),
    ]


def test_agenda_items_of_minutes_are_headings_a_list_of_them_is_not():
    minutes = "Ö 3 Sanierung der Turnhalle\nDer Ausschuss stimmt zu.\nÖ 4 Anfragen"
    assert blocks(minutes)[0] == ("heading", "Ö 3 Sanierung der Turnhalle")
    invitation = "Tagesordnung\nÖ 1 Eröffnung\nÖ 2 Sanierung der Turnhalle\nÖ 3 Anfragen\ngez. Torsten Voigt"
    assert [kind for kind, _ in blocks(invitation)] == ["heading", "paragraph"]


def test_pages_keep_their_pdf_numbers_and_empty_pages_are_left_out():
    pages = reading_view("Erste Seite.\n\f\n\n\f\nDritte Seite.")
    assert [(page.number, page.blocks) for page in pages] == [
        (1, [("paragraph", ["Erste Seite."])]), (3, [("paragraph", ["Dritte Seite."])])]
    assert reading_view("") == [] and reading_view("\f\n\f") == []


def test_markup_in_the_text_stays_text():
    # The template escapes it (autoescape); the guesses must not drop or split it.
    assert blocks("<script>alert(1)</script>") == [("paragraph", ["<script>alert(1)</script>"])]


def test_a_wrapped_agenda_line_before_a_blank_line_is_read_without_error():
    """An agenda item ending in a small word ("und") looks wrapped; the blank line after it has no
    last word (content/files/630.txt of the demo stopped `make html` with IndexError)."""
    pages = reading_view("Ö 1 Eröffnung und\n\nDer Rat tagt.")
    assert "Der Rat tagt." in repr(pages)


def test_every_text_of_the_demo_gives_a_reading_view(demo_content):
    texts = sorted((demo_content / "files").glob("*.txt"))
    assert texts
    for path in texts:
        assert reading_view(path.read_text(encoding="utf-8")) is not None, path


def test_pages_recognised_by_ocr_are_marked_and_a_bad_note_marks_none():
    from plugins.council.values import _page_numbers

    pages = reading_view("Anlage 3 zur Vorlage\fStellungnahme des Ortschaftsrates", ocr_pages=(2,))
    assert [(page.number, page.ocr) for page in pages] == [(1, False), (2, True)]
    assert _page_numbers([2, 3]) == (2, 3)
    assert _page_numbers("2") == () and _page_numbers([True, -1, "3", 2]) == (2,)


def test_page_markup_escapes_headings_and_lines_and_breaks_between_lines():
    page = Page(1, [("heading", "<b>Sachverhalt</b> & mehr"),
                    ("paragraph", ['Zeile <script>alert("x")</script>', "zweite & letzte"]),
                    ("paragraph", ["allein"])])
    assert page.html == ('<h3>&lt;b&gt;Sachverhalt&lt;/b&gt; &amp; mehr</h3>\n'
                         '<p>Zeile &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;<br>\nzweite &amp; letzte</p>\n'
                         '<p>allein</p>\n')
    assert isinstance(page.html, Markup)
