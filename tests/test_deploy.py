"""Ready for Apache and IIS: a real Apache honours the generated .htaccess; web.config is valid IIS XML."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

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
        assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("style-src")[0]
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


def test_unknown_address_gets_our_404_page(apache):
    response = httpx.get(apache + "sitzungen/gibt-es-nicht.html")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text
    assert 'href="/ratsinfo/theme/css/style.css"' in response.text
    assert "content-security-policy" in response.headers


def test_search_runs_in_chromium_through_apache_under_its_csp(apache, browser):
    page = browser.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{apache}suche.html?q={PDF_ONLY_WORD}")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
    assert len(page.query_selector_all(".pagefind-ui__result-link")) == 1
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
