"""Attachments come only from trusted hosts, within a deadline, and their text within limits (issue 13).

No test here sends anything beyond loopback: `loopback_only` refuses every
connection and name lookup that would leave 127.0.0.0/8 or ::1 and records the
attempt, so a regression shows up as a recorded attempt, never as traffic.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
import time
from pathlib import Path

import pytest

from importers.content import read_front_matter
from importers.oparl import import_oparl
from tests.conftest import MINI_SOURCE, base_of
from tests.support.loopback import LoopbackServer, QuietHandler
from tests.support.oparl_server import DumpServer

DEMO_BASE = "https://oparl.muldenau.example/oparl/v1.1/"
INTRANET = "http://10.20.30.40/personal/gehaelter.pdf"


# -- no traffic beyond loopback ------------------------------------------------

def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def loopback_only(monkeypatch) -> list[str]:
    """Every connection or lookup that would leave this machine: refused here, and listed."""
    attempts: list[str] = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            attempts.append(f"connect {address[0]}")
            raise ConnectionRefusedError("Test: keine Verbindung außerhalb von Loopback")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name != "localhost" and not _is_loopback(name):
            try:
                ipaddress.ip_address(name.split("%", 1)[0])  # a literal address needs no lookup
            except ValueError:
                attempts.append(f"lookup {name}")
                raise socket.gaierror(socket.EAI_NONAME, "Test: keine Namensauflösung")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


# -- a file server beside the OParl server, both on 127.0.0.1 ---------------------

class FileServer(LoopbackServer):
    """Answers each path from `routes`: (status, headers, body), or a callable for trickling."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.requests: list[str] = []
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                server.requests.append(self.path)
                route = server.routes.get(self.path)
                if callable(route):
                    route(self)
                    return
                status, headers, body = route or (404, {}, b"")
                self.reply(status, body, headers=headers)

        self.serve(Handler)


def point_file_at(dump: Path, number: int, url: str):
    """File `number` (its own answer, its list page and every paper embedding it) names `url`."""
    old = f'"{DEMO_BASE}documents/{number}.pdf"'.encode()
    for path in dump.rglob("*.json"):
        raw = path.read_bytes()
        if old in raw:
            path.write_bytes(raw.replace(old, f'"{url}"'.encode()))


@pytest.fixture
def own_dump(demo_dump, tmp_path) -> Path:
    copy = tmp_path / "dump"
    shutil.copytree(demo_dump, copy)
    return copy


def file_100(content: Path) -> dict:
    return next(f for f in map(read_front_matter, (content / "files").glob("*.md"))
                if f["source"].endswith("/files/100"))


def problems(report) -> dict[str, list[str]]:
    return {p["problem"]: p["examples"] for p in report.as_dict()["problems"]}


# -- the host rule over HTTP -------------------------------------------------------

def test_attachment_pointing_at_an_intranet_address_is_withheld_without_any_connection(
        own_dump, tmp_path, loopback_only, texts_read):
    point_file_at(own_dump, 100, INTRANET)
    content = texts_read(tmp_path / "content")
    with DumpServer(own_dump, base_of(own_dump)) as server:
        report = import_oparl(server.url + "system", content, show_progress=False)
    assert loopback_only == [], "Verbindung außerhalb von Loopback versucht"
    withheld = file_100(content)
    assert "media" not in withheld and "text" not in withheld
    assert "access_url" not in withheld and "download_url" not in withheld
    assert INTRANET not in "".join(p.read_text(encoding="utf-8") for p in content.rglob("*.md"))
    assert any(INTRANET in examples for problem, examples in problems(report).items()
               if problem.startswith("Datei von nicht erlaubter Adresse zurückgehalten"))
    assert report.withheld["Dateien von nicht erlaubten Adressen"] == 1
    # Every other document is mirrored as before: the run succeeds.
    others = [f for f in map(read_front_matter, (content / "files").glob("*.md")) if f["id"] != withheld["id"]]
    assert others and all(f.get("media") for f in others)


def file_source(files: FileServer, *allowed: str):
    """The OParl source as the importer opens it, its API on the file server's host."""
    from importers.oparl.source import open_source

    return open_source(files.url + "oparl/v1.1/system", rate=0, allow_hosts=allowed)[0]


# Any small PDF will do; this one needs no demo council written first.
PDF = MINI_SOURCE / "files" / "3.pdf"


@pytest.fixture
def files():
    with FileServer() as server:
        server.routes["/doc.pdf"] = (200, {"Content-Type": "application/pdf"}, PDF.read_bytes())
        yield server


@pytest.mark.parametrize("target", [
    "http://localhost:{port}/doc.pdf",     # another host name, even on this machine
    "http://10.20.30.40/doc.pdf",          # private
    "http://169.254.169.254/latest/meta-data/",  # link-local (cloud metadata)
    "http://[::1]:{port}/doc.pdf",         # loopback under another name than the source's
])
def test_redirect_from_the_source_host_to_another_host_is_refused(files, loopback_only, target):
    from importers.hosts import HostRefused

    files.routes["/weiter"] = (302, {"Location": target.format(port=files.port)}, b"")
    source = file_source(files)
    with pytest.raises(HostRefused):
        source.get_bytes(files.url + "weiter")
    source.close()
    assert loopback_only == [] and files.requests == ["/weiter"]


def test_redirect_within_the_source_host_is_followed(files, loopback_only):
    files.routes["/weiter"] = (302, {"Location": "/doc.pdf"}, b"")
    source = file_source(files)
    payload, _, _ = source.get_bytes(files.url + "weiter")
    source.close()
    assert payload == PDF.read_bytes()
    assert files.requests == ["/weiter", "/doc.pdf"]


def test_another_host_is_fetched_from_only_when_allowed(files, loopback_only):
    from importers.hosts import HostRefused

    elsewhere = f"http://localhost:{files.port}/doc.pdf"
    with pytest.raises(HostRefused, match="--allow-host"):
        file_source(files).get_bytes(elsewhere)
    assert files.requests == []
    payload, _, _ = file_source(files, "LOCALHOST").get_bytes(elsewhere)
    assert payload.startswith(b"%PDF-") and files.requests == ["/doc.pdf"]


def test_allow_host_is_offered_on_the_command_line():
    from ratsinfo.cli import parser

    args = parser().parse_args(["import", "oparl", "https://ris.example/oparl", "--allow-host", "a.example",
                                "--allow-host", "b.example"])
    assert args.allow_host == ["a.example", "b.example"]


# -- the host rule itself: decided before any traffic --------------------------------

class Resolver:
    """A name table instead of DNS; lists every name it was asked for."""

    def __init__(self, table: dict[str, list[str]]):
        self.table, self.asked = table, []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return self.table[host]


def policy(source: str, *allowed: str, table: dict | None = None):
    from importers.hosts import HostPolicy

    return HostPolicy(source, frozenset(allowed), Resolver(table or {"ris.stadt.example": ["93.184.216.34"]}))


def test_another_host_name_is_refused_before_it_is_even_looked_up():
    from importers.hosts import HostRefused

    rule = policy("https://ris.stadt.example/oparl/v1/system")
    with pytest.raises(HostRefused, match="--allow-host"):
        rule.check_url("https://intranet.stadt.example/akte.pdf")
    assert rule.resolver.asked == []
    rule.check_url("https://RIS.stadt.example./dokumente/1.pdf")  # the same host, however spelt


@pytest.mark.parametrize("address", ["10.0.0.5", "172.16.3.4", "192.168.1.10", "100.64.0.1", "fd12::1",
                                     "169.254.169.254", "fe80::1", "127.0.0.1", "::1", "::ffff:10.0.0.5",
                                     "0.0.0.0", "224.0.0.1"])
def test_public_source_never_reaches_an_internal_address(address):
    from importers.hosts import HostRefused

    rule = policy("https://ris.stadt.example/oparl", "dokumente.stadt.example",
                  table={"ris.stadt.example": ["93.184.216.34"], "dokumente.stadt.example": ["93.184.216.35", address]})
    with pytest.raises(HostRefused, match="Adresse ist"):
        rule.addresses("dokumente.stadt.example", 443)
    assert rule.addresses("ris.stadt.example", 443) == ["93.184.216.34"]


def test_source_in_the_intranet_may_fetch_from_the_intranet_but_not_from_loopback():
    from importers.hosts import HostRefused

    rule = policy("http://ris.intern/oparl", "dms.intern",
                  table={"ris.intern": ["10.1.1.1"], "dms.intern": ["10.2.2.2"], "lo.intern": ["127.0.0.1"]})
    assert rule.addresses("dms.intern", 80) == ["10.2.2.2"]
    with pytest.raises(HostRefused):
        rule.addresses("lo.intern", 80)


def test_https_source_refuses_http_and_a_redirect_never_downgrades():
    from importers.hosts import HostRefused

    rule = policy("https://ris.stadt.example/oparl")
    with pytest.raises(HostRefused, match="herabgestuft"):
        rule.check_url("http://ris.stadt.example/dokumente/1.pdf")
    http_source = policy("http://ris.stadt.example/oparl")
    http_source.check_url("https://ris.stadt.example/dokumente/1.pdf")
    with pytest.raises(HostRefused, match="herabgestuft"):
        http_source.check_url("http://ris.stadt.example/1.pdf", came_from="https://ris.stadt.example/dokumente/1.pdf")
    with pytest.raises(HostRefused):
        http_source.check_url("file:///etc/passwd")


def test_refused_address_is_never_connected_to(loopback_only):
    """The check sits in the connection itself: the client never opens a socket to a refused address."""
    from importers.hosts import HostRefused, guarded_client

    rule = policy("http://ris.stadt.example/oparl", "dms.stadt.example",
                  table={"ris.stadt.example": ["93.184.216.34"], "dms.stadt.example": ["93.184.216.35", "10.9.9.9"]})
    with guarded_client(rule, 5, "test") as client, pytest.raises(HostRefused, match="10.9.9.9"):
        client.get("http://dms.stadt.example/1.pdf")
    assert loopback_only == []


# -- deadlines and limits -------------------------------------------------------------

def text_bomb(repeats: int) -> bytes:
    """A PDF of a few KB whose one page draws `repeats` lines: a compressed content stream
    expands ~1000-fold, and pypdf spends CPU time and memory on every line."""
    import io
    import zlib

    body = zlib.compress(b"BT /F1 12 Tf 72 720 Td " + b"(Hahaha) Tj T* " * repeats + b"ET", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
    ]
    out, offsets = io.BytesIO(b"%PDF-1.4\n"), []
    out.seek(0, 2)
    for number, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


@pytest.fixture(params=["pdftotext", "pypdf"])
def backend(request, monkeypatch):
    """Each limit holds for both backends (importers/pdftext.py): poppler's pdftotext, and pypdf
    where poppler is not installed."""
    from importers import pdftext

    if request.param == "pdftotext":
        if pdftext.poppler() is None:
            if os.environ.get("CI") == "true":
                pytest.fail("pdftotext fehlt in der CI (poppler-utils, .ci/run)")
            pytest.skip("pdftotext ist nicht installiert (apt-get install poppler-utils)")
    else:
        monkeypatch.setattr(pdftext, "poppler", lambda: None)
    return request.param


def test_pdftotext_is_the_backend_when_poppler_is_installed_else_pypdf(monkeypatch):
    from importers import pdftext

    monkeypatch.setattr(pdftext.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert pdftext.backend() == "pdftotext"
    monkeypatch.setattr(pdftext.shutil, "which", lambda name: None)
    assert pdftext.backend() == "pypdf"


def test_pdf_whose_text_explodes_is_published_without_text_when_a_limit_stops_it(
        own_dump, tmp_path, monkeypatch, backend):
    from importers import files

    bomb = text_bomb(300_000)  # ~9 KB; unlimited, pypdf needs seconds of CPU and gives 1.8 MB of text,
    assert len(bomb) < 12_000  # pdftotext a second of CPU and 450 MB of memory
    (own_dump / "documents/100.pdf").write_bytes(bomb)
    limits = files.Limits(cpu_seconds=1, wall_seconds=600)
    if backend == "pdftotext":
        limits = files.Limits(cpu_seconds=1, memory_bytes=200 << 20, wall_seconds=600)
    monkeypatch.setattr(files, "TEXT_LIMITS", limits)
    content = tmp_path / "content"
    with DumpServer(own_dump, base_of(own_dump)) as server:
        report = import_oparl(server.url + "system", content, show_progress=False)
    bombed = file_100(content)
    assert (content / "files" / bombed["media"]).read_bytes() == bomb
    assert "text" not in bombed and not (content / "files" / f"{bombed['id']}.txt").exists()
    stopped = [(problem, examples) for problem, examples in problems(report).items()
               if re.match(r"Text der Datei nicht ausgelesen: (CPU-Zeit \(1 s\)|Speicher \(200 MB\)) erschöpft", problem)]
    assert len(stopped) == 1 and stopped[0][1][0].endswith("/documents/100.pdf")
    # The files after it are read under the same limits.
    others = [f for f in map(read_front_matter, (content / "files").glob("*.md")) if f["id"] != bombed["id"]]
    assert others and all(f.get("text") for f in others)


def test_text_is_cut_at_the_character_limit(monkeypatch, backend):
    from importers import files

    monkeypatch.setattr(files, "TEXT_LIMITS", files.Limits(max_chars=1_000))
    text = files.extract_text(pages_pdf(*["Hahaha " * 12] * 20), "application/pdf")
    assert text.startswith("Hahaha") and len(text) == 1_000


def test_small_pdf_gives_no_more_than_twenty_characters_per_byte(monkeypatch):
    """pypdf only: pdftotext merges the bomb's lines, which are all drawn at one place, into one."""
    from importers import files, pdftext

    monkeypatch.setattr(pdftext, "poppler", lambda: None)
    monkeypatch.setattr(files, "TEXT_LIMITS", files.Limits(min_chars=1_000))
    bomb = text_bomb(30_000)  # ~1.2 KB that pypdf turns into 180,000 characters
    text = files.extract_text(bomb, "application/pdf")
    assert text.startswith("Hahaha") and len(text) == 20 * len(bomb)


def test_pdf_needing_more_memory_than_allowed_gives_no_text_and_the_next_one_is_read(monkeypatch, backend):
    from importers import files

    # The pypdf child itself needs ~45 MB; this PDF of 30 KB needs well over 100 MB to be read
    # (pdftotext: 1.4 GB).
    monkeypatch.setattr(files, "TEXT_LIMITS", files.Limits(memory_bytes=100 << 20))
    with pytest.raises(files.ExtractionStopped, match=r"Speicher \(100 MB\) erschöpft"):
        files.extract_text(text_bomb(1_000_000), "application/pdf")
    assert files.extract_text(pages_pdf("Hahaha Hahaha"), "application/pdf") == "Hahaha Hahaha"


def trickle(handler):
    """Promises 10,000 bytes and sends one every 50 ms: every read arrives well within the
    read timeout, the whole would take eight minutes."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/pdf")
    handler.send_header("Content-Length", "10000")
    handler.end_headers()
    try:
        for _ in range(10_000):
            handler.wfile.write(b"%")
            handler.wfile.flush()
            time.sleep(0.05)
    except OSError:  # the importer gave up: that is what the test wants
        pass


def test_a_server_trickling_bytes_is_cut_off_at_the_file_deadline(files, loopback_only):
    from importers.oparl.source import TooSlow, open_source

    files.routes["/langsam.pdf"] = trickle
    source = open_source(files.url + "oparl/v1.1/system", rate=0, timeout=5, file_deadline=1)[0]
    with pytest.raises(TooSlow, match="nicht innerhalb von 1 s"):
        source.get_bytes(files.url + "langsam.pdf")
    source.close()
    assert files.requests == ["/langsam.pdf"]  # no retry: the file's time is up


def test_copy_from_a_host_no_longer_allowed_is_withdrawn(own_dump, tmp_path, loopback_only, texts_read):
    with FileServer() as files:
        files.routes["/doc.pdf"] = (200, {"Content-Type": "application/pdf"},
                                    (own_dump / "documents/100.pdf").read_bytes())
        point_file_at(own_dump, 100, f"http://localhost:{files.port}/doc.pdf")
        content = texts_read(tmp_path / "content")
        with DumpServer(own_dump, base_of(own_dump)) as server:
            import_oparl(server.url + "system", content, show_progress=False, allow_hosts=("localhost",))
            mirrored = file_100(content)["media"]
            report = import_oparl(server.url + "system", content, show_progress=False, full=True)
    assert not (content / "files" / mirrored).exists()
    assert "media" not in file_100(content) and "access_url" not in file_100(content)
    assert report.withheld["Dateien von nicht erlaubten Adressen"] == 1
    assert files.requests == ["/doc.pdf"]  # withdrawn without asking the host again


def pages_pdf(*pages: str) -> bytes:
    """A PDF with one line of text per page ("" for an empty page, as a scanned one reads)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.text(20, 30, text)
    return bytes(pdf.output())


def test_extracted_text_keeps_page_breaks_so_the_reading_view_can_link_each_pdf_page(backend):
    """Pages are separated by a form feed, as pdftotext does; an empty page keeps its place,
    so that the n-th part is the PDF's page n (the reading view links `…pdf#page=n`)."""
    from importers import files

    text = files.extract_text(pages_pdf("Erste Seite", "", "Dritte Seite"), "application/pdf")
    assert [page.strip() for page in text.split("\f")] == ["Erste Seite", "", "Dritte Seite"]
    assert files.extract_text(pages_pdf("", ""), "application/pdf") is None


def test_a_file_is_read_once_its_text_is_kept_by_the_hash_of_its_bytes(tmp_path, monkeypatch, backend):
    from importers import files, pdftext

    reads = []
    real = pdftext.extract_document
    monkeypatch.setattr(pdftext, "extract_document", lambda *a, **k: reads.append(1) or real(*a, **k))
    pdf = pages_pdf("Erste Seite", "", "Dritte Seite")
    first = files.read_text(pdf, "application/pdf", cache=tmp_path / "texts", ocr=False)
    again = files.read_text(pdf, "application/pdf", cache=tmp_path / "texts", ocr=False)
    assert len(reads) == 1
    assert again.text == first.text and again.text.split("\f")[2].strip() == "Dritte Seite"
    files.read_text(pages_pdf("Eine andere Datei"), "application/pdf", cache=tmp_path / "texts", ocr=False)
    assert len(reads) == 2


def scanned_pdf(*texts: str) -> bytes:
    """A page with a text layer, then pages that are only images of printed text (as a scanner makes them)."""
    from fpdf import FPDF

    from ratsinfo.demo.archive import FONT, scanned_page

    if not FONT.is_file():
        pytest.skip(f"Schrift für die gescannte Seite fehlt: {FONT} (apt-get install fonts-liberation)")
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.text(20, 30, "Anlage 3 zur Vorlage")
    for text in texts:
        pdf.add_page()
        pdf.image(scanned_page(text), x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


@pytest.mark.slow
def test_scanned_page_is_recognised_in_german_and_marked_as_recognised(tmp_path):
    from importers import files, pdftext

    if not pdftext.ocr_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Tesseract fehlt in der CI (tesseract-ocr, tesseract-ocr-deu, poppler-utils: .ci/run)")
        pytest.skip("Tesseract mit deutschem Modell oder pdftotext/pdftoppm nicht installiert")
    pdf = scanned_pdf("Stellungnahme des Ortschaftsrates\n\nDie Bürgerinnen und Bürger wünschen eine "
                      "Straßenbeleuchtung am Mühlgraben. Die Gebühren für Grünflächen bleiben unverändert.")
    found = files.read_text(pdf, "application/pdf", cache=tmp_path, ocr=True)
    assert found.ocr_pages == [2]
    first, second = found.text.split("\f")
    assert first.strip() == "Anlage 3 zur Vorlage"
    # OCR may misread a letter here and there: a few distinctive words with umlauts and ß suffice.
    recognised = set(second.replace(".", " ").split())
    assert {"Ortschaftsrates", "Straßenbeleuchtung", "Mühlgraben", "Grünflächen"} <= recognised
    # Without OCR the page stays empty, and keeps its place.
    plain = files.read_text(pdf, "application/pdf", ocr=False)
    assert plain.ocr_pages == [] and plain.text.split("\f")[1].strip() == ""


def test_demo_scanned_statement_is_recognised_and_its_page_says_so(demo_content, demo_site):
    """The demo's one scanned page (ratsinfo/demo/documents.py): its text comes from OCR, the
    file notes which page, and the reading view marks it; without Tesseract the page stays empty."""
    from importers import pdftext

    statement = next(f for f in map(read_front_matter, (demo_content / "files").glob("*.md"))
                     if f["name"].endswith("Stellungnahme des Ortschaftsrates"))
    pages = (demo_content / "files" / statement["text"]).read_text(encoding="utf-8").split("\f")
    assert len(pages) == 2 and "Scan auf der folgenden Seite" in pages[0]
    if not pdftext.ocr_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Tesseract fehlt in der CI (.ci/run)")
        assert "text_ocr_pages" not in statement and not pages[1].strip()
        pytest.skip("Tesseract mit deutschem Modell nicht installiert: Seite 2 ohne Texterkennung")
    assert statement["text_ocr_pages"] == [2]
    assert {"Straßenbeleuchtung", "Mühlgraben", "Grünflächen"} <= set(pages[1].replace(".", " ").split())
    shown = [p.read_text(encoding="utf-8") for p in (demo_site / "dateien").glob("*.html")]
    page = next(text for text in shown if "Scan auf der folgenden Seite" in text)
    assert "Texterkennung (OCR)" in page and "Straßenbeleuchtung" in page


def test_the_text_cache_forgets_a_file_once_its_version_is_replaced_or_the_file_is_gone(tmp_path):
    """The cache keeps texts by the hash of a file's bytes (in the private state). When the source
    replaces a file or drops it, the old text must not stay there for years: a document taken off
    the portal should not live on in a cache nobody looks at."""
    import hashlib
    import sqlite3
    from datetime import datetime

    from importers.content import TEXT_CACHE
    from importers.state import state_path
    from ratsinfo.cli import main
    from tests.test_import_sql import pdf
    from tests.test_takedown_import import _export

    database, content = _export(tmp_path / "export.sqlite"), tmp_path / "content"

    def cached() -> set[str]:
        return {p.name.split("-")[0] for p in (state_path(content) / TEXT_CACHE).rglob("*.json")}

    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    with sqlite3.connect(database) as db:
        motion, invitation = (bytes(db.execute("SELECT content FROM files WHERE id = ?", (n,)).fetchone()[0])
                              for n in ("10", "11"))
    assert main(["import", "sql", str(database), "--content", str(content)]) == 0
    assert cached() == {digest(motion), digest(invitation)}

    revised = pdf("Der Spielplatz bekommt eine Rutsche")
    later = datetime(2026, 4, 1, 10, 0).isoformat(sep=" ")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE files SET content = ?, modified = ? WHERE id = '10'", (revised, later))
    assert main(["import", "sql", str(database), "--content", str(content)]) == 0
    assert cached() == {digest(revised), digest(invitation)}

    with sqlite3.connect(database) as db:
        db.execute("UPDATE meetings SET invitation_file_id = NULL, modified = ? WHERE id = '1'", (later,))
        db.execute("DELETE FROM files WHERE id = '11'")
    assert main(["import", "sql", str(database), "--content", str(content)]) == 0
    assert cached() == {digest(revised)}
