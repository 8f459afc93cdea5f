"""The import's memory does not grow with the archive's text (issue 19).

Traced Python allocations (tracemalloc: a count of bytes, not a timing) while the content writer
and the store take an archive of large document texts: each text is in memory once at a time,
never all of them together. A city of 14,000 papers has ~311 M characters of text.
"""

from __future__ import annotations

import tracemalloc

from importers import store
from importers.content import ContentWriter
from importers.records import Record
from importers.report import Report
from importers.store import Memory

FILES = 24
TEXT_CHARS = 400_000  # 24 texts of 400 KB: 9.6 MB in all
ALL_TEXT = FILES * TEXT_CHARS


def _texts():
    return [(f"Seite {n}: " + "Bebauungsplan Nord " * (TEXT_CHARS // 19))[:TEXT_CHARS] for n in range(FILES)]


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
