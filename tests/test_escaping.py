"""Every source string is data: markup, Markdown and template syntax arrive as visible text."""

from __future__ import annotations

from pathlib import Path

from importers.content import render_front_matter
from ratsinfo.build import build_site

EVIL = '<script>alert("x")</script> {{ 7*7 }} {% if true %}WENN{% endif %} **fett** <img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {{ 7*7 }} {% if true %}WENN{% endif %} **fett** &lt;img src=x onerror=alert(1)&gt;"


def write(content: Path, folder: str, data: dict, extra: dict | None = None):
    (content / folder).mkdir(parents=True, exist_ok=True)
    (content / folder / f"{data['id']}.md").write_bytes(render_front_matter(data))
    for name, text in (extra or {}).items():
        (content / folder / name).write_text(text, encoding="utf-8")


def evil_content(content: Path):
    common = {"source": f"https://example.org/{EVIL}", "web": "javascript:alert(1)"}
    write(content, "bodies", {"id": "b", "name": EVIL, **common})
    write(content, "organizations", {"id": "o", "name": EVIL, "classification": EVIL, **common,
                                     "location": {"description": EVIL}})
    write(content, "persons", {"id": "p", "name": EVIL, **common, "memberships": [
        {"organization": "o", "role": EVIL}]})
    write(content, "files", {"id": "f", "name": EVIL, "access_url": "javascript:alert(2)", "text": "f.txt", **common},
          {"f.txt": EVIL})
    write(content, "papers", {"id": "v", "name": EVIL, "reference": EVIL, "paper_type": EVIL, "main_file": "f",
                              **common, "consultations": [{"meeting": "m", "role": EVIL, "organizations": ["o"]}]})
    write(content, "meetings", {"id": "m", "name": EVIL, "start": "2025-05-05T17:00:00+02:00", "state": EVIL,
                                "organizations": ["o"], **common, "location": {"room": EVIL},
                                "agenda": [{"id": "1", "number": EVIL, "name": EVIL, "public": True, "paper": "v",
                                            "result": EVIL, "resolution_text": EVIL}]})


def test_markup_in_every_field_is_shown_as_text(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    evil_content(content)
    build_site(content, output, overrides={"PAGEFIND": False})
    pages = sorted(output.rglob("*.html"))
    for name in ("sitzungen/m.html", "personen/p.html", "gremien/o.html", "dateien/f.html", "index.html"):
        assert output / name in pages
    # The paper's permalink comes from its reference, which is markup here: it becomes a plain slug.
    assert [p.name for p in (output / "vorlagen").glob("script-*.html")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert "javascript:" not in html, page
        assert "WENN" not in html.replace("{% if true %}WENN{% endif %}", ""), page
        assert "<strong>fett</strong>" not in html, page
    meeting = (output / "sitzungen/m.html").read_text(encoding="utf-8")
    assert meeting.count(ESCAPED) >= 5  # name, number, title, result, resolution text
    assert ESCAPED in (output / "dateien/f.html").read_text(encoding="utf-8")
