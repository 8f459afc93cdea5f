"""A broken content file is reported with the line an editor shows, in German, with what to do."""

from __future__ import annotations

import pytest

from plugins.council.reading import ContentError, read_front_matter

# Each file breaks on the line marked with "# hier" (counted from 1, the opening --- included).
BROKEN = {
    "Anführungszeichen nicht geschlossen": ('---\nid: "7"\ntype: meeting\nname: "Ratssitzung  # hier\n'
                                           'start: 2025-01-01\nend: 2025-01-01\n---\n', 4),
    "falsche Einrückung": '---\nid: "7"\ntype: meeting\nname: Ratssitzung\n  ort: Rathaus  # hier\n---\n',
    "Tabulator": '---\nid: "7"\ntype: meeting\n\tname: Ratssitzung  # hier\n---\n',
    "Liste nicht geschlossen": '---\nid: "7"\ntype: meeting\nitems: [a, b  # hier\nname: x\n---\nText\n',
}


def line_marked(text: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if "# hier" in line)


@pytest.mark.parametrize("name", BROKEN)
def test_yaml_error_names_the_line_of_the_file(tmp_path, name):
    text = BROKEN[name][0] if isinstance(BROKEN[name], tuple) else BROKEN[name]
    path = tmp_path / "sitzung-7.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as failure:
        read_front_matter(path)
    message = str(failure.value)
    assert f"{path}, Zeile {line_marked(text)}:" in message
    # German through and through, and the next step.
    for english in ("line", "column", "while", "found", "expected", "mapping"):
        assert english not in message.replace(str(path), "")
    assert "korrigieren" in message or "neu importieren" in message
