"""The import's memory does not grow with the archive's text (issue 19).

Traced Python allocations (tracemalloc: a count of bytes, not a timing) while the content writer,
the store and a whole OParl import take an archive of large document texts: each text is in
memory once at a time, never all of them together. A city of 14,000 papers has ~311 M characters of text.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from importers import store
from importers.content import ContentWriter
from importers.oparl import import_oparl
from importers.publication import redact_memory
from importers.records import Record
from importers.report import Report
from importers.spool import Spool, SpooledText
from importers.store import Memory
from ratsinfo.takedown import REDACTED, redaction_pattern

FILES = 24
TEXT_CHARS = 400_000  # 24 texts of 400 KB: 9.6 MB in all
ALL_TEXT = FILES * TEXT_CHARS


def _texts(files: int = FILES, chars: int = TEXT_CHARS):
    return [(f"Seite {n}: " + "Bebauungsplan Nord " * (chars // 19))[:chars] for n in range(files)]


def _peak_above_start(action) -> int:
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        action()
        return tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()


def test_the_writer_holds_no_archive_of_texts(tmp_path, monkeypatch):
    monkeypatch.setenv("RATSINFO_STATE_DIR", str(tmp_path / "state"))
    records = [Record("file", f"https://example.org/file/{n}",
                      {"name": f"Anlage {n}", "access_url": f"https://example.org/f{n}.pdf", "source_text": text})
               for n, text in enumerate(_texts())]
    content = tmp_path / "content"

    peak = _peak_above_start(lambda: ContentWriter(content, "https://example.org/oparl", Report()).write(records))

    assert len(list((content / "files").glob("*.txt"))) == FILES
    assert peak < ALL_TEXT / 3, f"{peak} bytes traced while writing {ALL_TEXT} characters of text"


def test_the_store_is_saved_without_a_copy_of_all_it_holds(tmp_path):
    memory = Memory(meta={"last_full": "x"}, objects={
        ("File", f"https://example.org/file/{n}"): {"id": f"https://example.org/file/{n}", "text": text}
        for n, text in enumerate(_texts())})
    path = tmp_path / "oparl.sqlite"

    peak = _peak_above_start(lambda: store.save(path, memory))

    assert store.load(path).objects == memory.objects
    assert peak < ALL_TEXT / 3, f"{peak} bytes traced while saving {ALL_TEXT} characters of text"


# -- the OParl import: texts wait on disk, not in the crawl or the store (importers/spool.py) --------

BASE = "https://ris.example.org/oparl/"


def _write_dump(folder: Path, texts: list[str]):
    """An OParl dump of one paper per list page, each with its main file and that file's text embedded."""
    def put(relative: str, data: dict):
        path = folder / f"{relative}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    put("system", {"id": BASE + "system", "type": "https://schema.oparl.org/1.1/System",
                   "oparlVersion": "https://schema.oparl.org/1.1/", "body": BASE + "bodies"})
    put("bodies", {"data": [{"id": BASE + "bodies/1", "type": "https://schema.oparl.org/1.1/Body",
                             "name": "Teststadt", "legislativeTerm": [], "paper": BASE + "bodies/1/papers"}],
                   "links": {}})
    for n, text in enumerate(texts, start=1):
        paper = {"id": f"{BASE}papers/{n}", "type": "https://schema.oparl.org/1.1/Paper", "name": f"Vorlage {n}",
                 "reference": f"V/{n}", "mainFile": {
                     "id": f"{BASE}files/{n}", "type": "https://schema.oparl.org/1.1/File", "name": f"Anlage {n}",
                     "accessUrl": f"{BASE}files/{n}.pdf", "text": text}}
        following = {"next": f"{BASE}bodies/1/papers?page={n + 1}"} if n < len(texts) else {}
        put("bodies/1/papers" if n == 1 else f"bodies/1/papers?page={n}", {"data": [paper], "links": following})


@pytest.mark.slow  # a whole import twice, ~4 s: in the full suite, not the fast tier
def test_the_oparl_import_holds_no_archive_of_texts_neither_first_nor_again(tmp_path, monkeypatch):
    """Issue 19: the walk kept every File.text the server sent until the store was written, and a
    re-import's store.load brought every stored text back; both grew with the archive. Smaller
    texts than above, more of them: one text passes through a few copies (page, parse, spool)."""
    monkeypatch.setenv("RATSINFO_STATE_DIR", str(tmp_path / "state"))
    dump, content = tmp_path / "dump", tmp_path / "content"
    texts = _texts(FILES * 4, TEXT_CHARS // 4)
    _write_dump(dump, texts)

    def run():
        import_oparl(str(dump), content, show_progress=False, mirror_files=False)

    first = _peak_above_start(run)
    again = _peak_above_start(run)

    written = {p.read_text(encoding="utf-8") for p in content.glob("files/*.txt")}
    assert written == {t.strip() for t in texts}
    stored = store.load(store.store_path(content, "oparl", BASE + "system"))
    assert sorted(o["text"] for (kind, _), o in stored.objects.items() if kind == "File") == sorted(texts)
    assert first < ALL_TEXT / 4, f"{first} bytes traced while importing {ALL_TEXT} characters of text"
    assert again < ALL_TEXT / 4, f"{again} bytes traced while importing {ALL_TEXT} characters of text again"


@pytest.mark.parametrize("spooled", [False, True], ids=["im Speicher", "ausgelagert"])
def test_the_stores_document_texts_are_redacted_by_the_ledger(tmp_path, spooled):
    """The store's File.text is a document text, not the name of a text file (which the ledger's
    redaction keeps, RECORD_KEYS): it was kept unredacted in the private store."""
    secret = "Erika Mustermann, Lindenweg 4"
    text = ("Sachstand " * 500) + secret
    with Spool(tmp_path) as spool:
        value = spool.put(text) if spooled else text
        assert isinstance(value, SpooledText) == spooled and value == text
        memory = Memory(objects={("File", BASE + "files/1"): {"id": BASE + "files/1", "text": value}})

        redact_memory(memory.objects, memory.meta, redaction_pattern([secret]))
        store.save(tmp_path / "oparl.sqlite", memory)

    kept = store.load(tmp_path / "oparl.sqlite").objects[("File", BASE + "files/1")]["text"]
    assert kept == ("Sachstand " * 500) + REDACTED
