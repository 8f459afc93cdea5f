"""The two commonest wrong sources get an answer that says what to do: a web address typed without
its scheme, and the address of the council's web pages instead of its OParl interface."""

from __future__ import annotations

import subprocess
import sys

import pytest

from importers.errors import ImportFailed
from importers.oparl import import_oparl
from importers.oparl.source import parse_json
from tests.support.loopback import LoopbackServer, QuietHandler


class FixedAnswer(LoopbackServer):
    """Answers every GET with the same body and content type."""

    def __init__(self, body: bytes, content_type: str):
        answer = self

        class Handler(QuietHandler):
            def do_GET(self):
                answer.requests += 1
                self.reply(200, body, content_type)

        self.requests = 0
        self.serve(Handler)


HOMEPAGE = b"""<!DOCTYPE html>\n<html lang="de"><head><title>Ratsinformationssystem der Stadt</title></head>
<body><h1>Sitzungskalender</h1></body></html>"""


@pytest.mark.parametrize("typed", ["ris.stadt.de/oparl/system", "ris.stadt.de:8443/oparl/v1/system",
                                   "www.stadt.de", "localhost:8080/oparl/system", "127.0.0.1:8080/oparl"])
def test_url_without_scheme_asks_whether_https_was_meant(tmp_path, typed, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ImportFailed) as failure:
        import_oparl(typed, tmp_path / "content", show_progress=False, mirror_files=False)
    assert f"meinten Sie https://{typed}?" in str(failure.value)
    assert not (tmp_path / "content").exists()


def test_existing_dump_folder_with_a_dot_in_its_name_is_still_a_dump(demo_dump, tmp_path, monkeypatch):
    # The hint is only for what does not exist here: a folder named like a host stays a folder.
    (tmp_path / "ris.stadt.de").symlink_to(demo_dump, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    import_oparl("ris.stadt.de", tmp_path / "content", show_progress=False, mirror_files=False)
    assert any((tmp_path / "content").rglob("*.md"))


def test_command_line_answers_a_url_without_scheme_with_exit_2_and_the_hint(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ratsinfo.cli", "import", "oparl", "ris.stadt.de/oparl/system",
                             "--content", str(tmp_path / "content")], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert "meinten Sie https://ris.stadt.de/oparl/system?" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/json"])
def test_html_page_given_as_oparl_url_is_named_a_web_page(tmp_path, content_type):
    with FixedAnswer(HOMEPAGE, content_type) as server:
        with pytest.raises(ImportFailed) as failure:
            import_oparl(server.url + "ratsinfo/", tmp_path / "content", show_progress=False, mirror_files=False)
    message = str(failure.value)
    assert "das ist eine Webseite, keine OParl-Schnittstelle" in message
    assert server.url + "ratsinfo/" in message and "System-URL" in message
    assert not (tmp_path / "content").exists()


def test_json_sent_as_text_html_is_still_json():
    # SD.NET labels its JSON error answers text/html (research/oparl.md S3): the body decides.
    assert parse_json(b'{"error": "nicht gefunden", "code": 802}', "https://sdnet/x",
                      content_type="text/html") == {"error": "nicht gefunden", "code": 802}


def test_web_page_in_a_dump_folder_is_named_a_web_page(tmp_path):
    # A page saved from the browser into a dump ("system.json") is the same mistake offline.
    with pytest.raises(ImportFailed, match="das ist eine Webseite, keine OParl-Schnittstelle"):
        parse_json(b"\xef\xbb\xbf  \n" + HOMEPAGE, str(tmp_path / "system.json"))
