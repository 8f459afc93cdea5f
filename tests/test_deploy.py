"""Ready for Apache and IIS: a real Apache honours the generated .htaccess; web.config is valid IIS XML."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx
import pytest

from importers.content import read_front_matter, render_front_matter
from ratsinfo.build import build_site
from ratsinfo.demo import PDF_ONLY_WORD
from tests.support.apache import apache_serving


def one_page_per_kind(site) -> list[str]:
    def first(folder, pattern="*.html"):
        return sorted(p for p in (site / folder).glob(pattern) if p.name != "index.html")[0].relative_to(site).as_posix()

    return ["", "index.html", "suche.html", "kalender/index.html", "sitzungen/index.html", first("sitzungen"),
            "vorlagen/index.html", first("vorlagen", "vo-*.html"), "personen/index.html", first("personen"),
            "gremien/index.html", first("gremien"), first("dateien"), "wahlperioden/index.html",
            "seiten/impressum.html"]


@pytest.fixture(scope="module")
def apache(demo_site):
    with apache_serving(demo_site) as base:
        yield base


def test_every_page_kind_answers_200_with_security_headers(apache, demo_site):
    for path in one_page_per_kind(demo_site):
        response = httpx.get(apache + path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/html; charset=utf-8", path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]  # no inline script or style
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert response.headers["cache-control"] == "public, max-age=300"


def test_search_files_have_their_types_and_hashed_ones_are_cached_long(apache, demo_site):
    bundle = demo_site / "pagefind"
    fragment = next((bundle / "fragment").iterdir()).relative_to(demo_site).as_posix()
    meta = next(bundle.glob("*.pf_meta")).relative_to(demo_site).as_posix()
    index = next((bundle / "index").iterdir()).relative_to(demo_site).as_posix()
    for path in (fragment, meta, index):
        response = httpx.get(apache + path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/octet-stream"
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    for path, kind in (("pagefind/pagefind.js", "text/javascript"), ("pagefind/pagefind-entry.json", "application/json"),
                       ("pagefind/wasm.de.pagefind", "application/octet-stream")):
        response = httpx.get(apache + path)
        assert response.headers["content-type"].startswith(kind), path
        assert response.headers["cache-control"] == "public, max-age=300", path


class _Links(HTMLParser):
    """The stylesheet and the links of a page, as written."""

    def __init__(self):
        super().__init__()
        self.stylesheets, self.links, self.forms = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form":
            self.forms.append(attrs["action"])


# One output, served under two paths (a town's site and an intranet mirror), built for neither in
# particular: a missing address at any depth, also inside dateien/ with its own .htaccess.
MISSING = ["gibt-es-nicht.html", "sitzungen/gibt-es-nicht.html", "a/b/c/gibt-es-nicht.html",
           "dateien/gibt-es-nicht.pdf"]


@pytest.fixture(scope="module", params=["ratsinfo", "intranet/rat"])
def apache_under_any_path(demo_site, request):
    with apache_serving(demo_site, subpath=request.param) as base:
        yield base


@pytest.mark.parametrize("missing", MISSING)
def test_missing_page_at_any_depth_gets_our_404_page_with_style_and_working_links(apache_under_any_path, missing):
    address = apache_under_any_path + missing
    response = httpx.get(address)
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Seite nicht gefunden" in response.text
    # A missing document is a page to read, not a download.
    assert "content-disposition" not in response.headers
    assert "sandbox" not in directives(response.headers["content-security-policy"])
    page = _Links()
    page.feed(response.text)
    assert page.stylesheets  # the screen one and print.css: each must load from any depth
    for stylesheet in page.stylesheets:
        css = httpx.get(urljoin(address, stylesheet))
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css"), stylesheet
    links = {urljoin(address, href) for href in page.links if not href.startswith("#")}
    for target in ("index.html", "suche.html", "kalender/index.html", "vorlagen/index.html"):
        assert apache_under_any_path + target in links, target
    for link in links:
        assert httpx.get(link).status_code == 200, link
    assert [urljoin(address, action) for action in page.forms] == [apache_under_any_path + "suche.html"]


def test_without_mod_include_a_missing_page_gets_the_404_page_built_for_base_path(demo_site):
    # A host that has not enabled mod_include (served here under another path than BASE_PATH, so
    # the two pages differ): 404.html as built, whose links are right only under BASE_PATH.
    with apache_serving(demo_site, subpath="intranet/rat", left_out=("include",)) as base:
        response = httpx.get(base + "a/b/c/gibt-es-nicht.html")
    assert response.status_code == 404
    assert response.content == (demo_site / "404.html").read_bytes()
    page = _Links()
    page.feed(response.text)
    assert page.stylesheets == ["/ratsinfo/theme/css/style.css", "/ratsinfo/theme/css/print.css"]


def test_search_runs_in_chromium_through_apache_under_its_csp(apache, browser):
    page = browser.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{apache}suche.html?q={PDF_ONLY_WORD}")
    page.wait_for_selector(".hit h3 a", timeout=20_000)
    assert len(page.query_selector_all(".hit h3 a")) == 1
    assert problems == [], problems
    page.close()


def test_web_config_is_iis_xml_with_types_headers_and_404(demo_site):
    root = ET.parse(demo_site / "web.config").getroot()
    assert root.tag == "configuration"
    server = root.find("system.webServer")
    types = {m.get("fileExtension"): m.get("mimeType") for m in server.find("staticContent").iter("mimeMap")}
    for extension in (".pf_meta", ".pf_index", ".pf_fragment", ".pagefind", ".wasm", ".ics"):
        assert extension in types
    headers = {h.get("name") for h in server.find("httpProtocol/customHeaders").iter("add")}
    assert {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} <= headers
    error = server.find("httpErrors/error")
    assert error.get("statusCode") == "404" and error.get("path") == "/ratsinfo/404.html"
    # IIS has no run-time path for the page's links: they are built for BASE_PATH, as its path is.
    assert 'href="/ratsinfo/theme/css/style.css"' in (demo_site / "404.html").read_text(encoding="utf-8")
    assert server.find("defaultDocument/files/add").get("value") == "index.html"


def test_changed_permalink_redirects_and_the_redirect_survives_later_builds(demo_content, tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(demo_content, content)
    build_site(content, output, overrides={"PAGEFIND": False})
    paper_file = sorted((content / "papers").glob("*.md"))[0]
    paper = read_front_matter(paper_file)
    old_url = f"vorlagen/{paper['reference'].lower().replace('/', '-')}.html"
    assert (output / old_url).is_file()
    paper["reference"] = paper["reference"] + "-neu"  # the council renumbered it
    paper_file.write_bytes(render_front_matter(paper))
    build_site(content, output, overrides={"PAGEFIND": False})
    new_url = old_url.replace(".html", "-neu.html")
    assert not (output / old_url).exists() and (output / new_url).is_file()
    build_site(content, output, overrides={"PAGEFIND": False})  # a later build keeps the redirect
    assert f"^{re.escape(old_url)}$" in (output / ".htaccess").read_text(encoding="utf-8")
    with apache_serving(output) as base:
        response = httpx.get(base + old_url)
    assert response.status_code == 301
    assert response.headers["location"].endswith(f"/ratsinfo/{new_url}")


def small_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Documents in dateien/, as a source (or a hand-written content/ folder) may bring them, and how a
# browser must be told to take each: the browser's own viewer for PDF and images, else a download.
ATTACHMENTS = {
    "dokument.pdf": (small_pdf(), "inline"),
    "plan.png": (b"\x89PNG\r\n\x1a\n", "inline"),
    "foto.jpg": (b"\xff\xd8\xff\xe0", "inline"),
    "grafik.gif": (b"GIF89a", "inline"),
    "tabelle.xlsx": (b"PK\x03\x04", "attachment"),
    "seite.htm": (b"<script>alert(document.domain)</script>", "attachment"),
    "bild.svg": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "attachment"),
    "daten.xml": (b'<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>', "attachment"),
    "ohne-endung": (b"<script>alert(1)</script>", "attachment"),
}


@pytest.fixture(scope="module")
def site_with_attachments(tmp_path_factory):
    from tests.test_escaping import evil_content, write

    content = tmp_path_factory.mktemp("attachments") / "content"
    evil_content(content)
    ids = []
    for number, (name, (payload, _)) in enumerate(sorted(ATTACHMENTS.items())):
        ids.append(f"anlage-{number}")
        write(content, "files", {"id": ids[-1], "name": name, "media": name})
        (content / "files" / name).write_bytes(payload)
    write(content, "papers", {"id": "anlagen", "name": "Anlagen", "reference": "VO/2025/0001", "auxiliary_files": ids})
    output = content.parent / "output"
    build_site(content, output, overrides={"PAGEFIND": False})
    assert all((output / "dateien" / name).is_file() for name in ATTACHMENTS)
    return output


def directives(policy: str) -> dict[str, str]:
    return {d.strip().split(" ")[0]: d.strip() for d in policy.split(";") if d.strip()}


def test_documents_are_sandboxed_and_only_pdf_and_images_open_in_the_browser(site_with_attachments):
    with apache_serving(site_with_attachments) as base:
        for name, (_, disposition) in ATTACHMENTS.items():
            response = httpx.get(base + "dateien/" + name)
            assert response.status_code == 200, name
            assert directives(response.headers["content-security-policy"])["sandbox"] == "sandbox", name
            assert response.headers["content-disposition"].split(";")[0] == disposition, name
            assert response.headers["x-content-type-options"] == "nosniff"
        # The reading views beside them are our pages: shown, under the same sandbox.
        reading_view = httpx.get(base + "dateien/f.html")
        assert reading_view.headers["content-type"] == "text/html; charset=utf-8"
        assert "content-disposition" not in reading_view.headers
        assert "sandbox" in directives(reading_view.headers["content-security-policy"])
        # Everywhere else the portal's own policy, without a sandbox (the search needs its scripts).
        for page in ("index.html", "suche.html", "vorlagen/index.html"):
            assert "sandbox" not in directives(httpx.get(base + page).headers["content-security-policy"]), page


def test_a_pdf_opens_in_chromium_and_a_reading_view_keeps_its_style_in_the_sandbox(site_with_attachments, browser):
    with apache_serving(site_with_attachments) as base:
        page = browser.new_page()
        # Chromium shows a sandboxed PDF in its viewer (an extension frame), not as a download.
        with page.expect_event("framenavigated", predicate=lambda f: f.url.startswith("chrome-extension://")):
            response = page.goto(base + "dateien/dokument.pdf")
        assert response.status == 200
        page.goto(base + "dateien/f.html")
        header = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        assert header not in ("rgba(0, 0, 0, 0)", "transparent")
        page.close()


def test_web_config_sandboxes_documents_and_serves_only_the_types_a_build_mirrors(demo_site):
    root = ET.parse(demo_site / "web.config").getroot()
    [location] = [loc for loc in root.iter("location") if loc.get("path") == "dateien"]
    server = location.find("system.webServer")
    headers = server.find("httpProtocol/customHeaders")
    assert [r.get("name") for r in headers.iter("remove")] == ["Content-Security-Policy"]
    [policy] = [a.get("value") for a in headers.iter("add") if a.get("name") == "Content-Security-Policy"]
    assert directives(policy)["sandbox"] == "sandbox"
    assert directives(policy)["default-src"] == "default-src 'self'"
    # IIS answers 404.3 for an extension it has no type for: after <clear/>, dateien/ serves the
    # reading views and what the importers mirror, nothing a source could slip in (.svg, .htm, .xml).
    static = server.find("staticContent")
    assert static[0].tag == "clear"
    types = {m.get("fileExtension"): m.get("mimeType") for m in static.iter("mimeMap")}
    assert types == {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".png": "image/png",
                     ".jpg": "image/jpeg", ".gif": "image/gif",
                     ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                     ".odt": "application/vnd.oasis.opendocument.text",
                     ".ods": "application/vnd.oasis.opendocument.spreadsheet"}
