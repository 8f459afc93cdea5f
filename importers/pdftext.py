"""PDF text extraction in a child process with limits on CPU time, memory, wall time and output.

Two backends (benchmarks/EXTRACTION.md compares them on the realistic archive): poppler's
`pdftotext` (Debian `poppler-utils`) when it is installed, else pypdf in a Python child.
pdftotext keeps umlauts and joins words hyphenated at a line end ("Verwal-" / "tung"), which
pypdf and pdfium leave split, so search finds them; each file is one process of its own, so
files are read side by side (`extract` may be called from several threads) and the kernel
limits each one (CPU, memory, and the size of the text it writes). Pages that have no text
are recognised by Tesseract (ocr.py) when OCR is on.

A PDF is a program: nested form XObjects repeat their content, so a 9 KB file
took pypdf 55 s of CPU and gave 1.4 MB of text (issue 13). pypdf has no limits
of its own, so it runs in a child process: the kernel ends it when its CPU time
(RLIMIT_CPU) or memory (RLIMIT_AS) runs out, and the parent kills it after a
wall-clock time. Its text is cut at a number of characters, fewer for a
small file (a 9 KB PDF gave 1.4 MB of text). A stopped
extraction gives no text; the file itself is still published. Windows has no
RLIMIT (ratsinfo/portable.py): there only the wall-clock time and the text cap apply.

One child serves file after file (a demo import extracts ~900 PDFs; a process
per file would cost more than the extraction), and is started again after it
was stopped. It is spawned fresh, not forked: a fork of a large importer would
start with the importer's memory and fail its own memory limit.

Parent and child talk over the child's stdin/stdout: a request is a header
(CPU seconds, maximum characters, length) and the PDF's bytes; an answer is
a status byte, a length and UTF-8 text.
"""

from __future__ import annotations

import atexit
import io
import math
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ratsinfo import portable

_REQUEST = struct.Struct(">IQQ")  # CPU seconds, max characters, PDF length
_ANSWER = struct.Struct(">BQ")  # status (below), length of the text that follows
_NO_TEXT, _TEXT, _OUT_OF_MEMORY = 0, 1, 2
_PROJECT = str(Path(__file__).resolve().parent.parent)
PAGE_BREAK = "\n\f\n"  # between the pages of a text (an empty page keeps its place)


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 20          # CPU time per file; legible 300-page reports need ~3 s
    memory_bytes: int = 1 << 30    # address space of the child, interpreter and pypdf included
    wall_seconds: float = 60.0     # a child waiting on nothing (or swapping) is killed after this
    max_chars: int = 2_000_000     # text kept per file (~700 dense pages); the rest is cut
    # ... and no more than this many characters per byte of PDF (at least `min_chars`): deflated
    # text gives ~4 per byte, a few KB that expand to megabytes of text are a bomb.
    chars_per_byte: int = 20
    min_chars: int = 100_000
    # OCR (Tesseract) of pages without text: per page the CPU and wall time above, and at most
    # this many pages per file (a scanned 300-page file would take ten minutes).
    ocr_pages: int = 30
    ocr_dpi: int = 200

    def chars_for(self, size: int) -> int:
        return min(self.max_chars, max(self.min_chars, self.chars_per_byte * size))


class ExtractionStopped(Exception):
    """A limit stopped the extraction; the message says which."""


class Extractor:
    """The parent's side: one child at a time, restarted after it was stopped."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.memory = None
        self.lock = threading.Lock()

    def text(self, data: bytes, limits: Limits) -> str | None:
        with self.lock:
            if self.process is None or self.process.poll() is not None or self.memory != limits.memory_bytes:
                self._start(limits.memory_bytes)
            try:
                header = _REQUEST.pack(limits.cpu_seconds, limits.chars_for(len(data)), len(data))
                self.process.stdin.write(header + data)
                self.process.stdin.flush()
                deadline = time.monotonic() + limits.wall_seconds
                status, length = _ANSWER.unpack(self._read(_ANSWER.size, deadline))
                text = self._read(length, deadline).decode("utf-8")
            except TimeoutError:
                self.stop()
                raise ExtractionStopped(f"nach {limits.wall_seconds:.0f} s abgebrochen") from None
            except (EOFError, BrokenPipeError):
                # The kernel ended the child: CPU time (SIGXCPU), or memory outside Python's reach.
                code = self.process.wait()
                self.process = None
                if code == -getattr(signal, "SIGXCPU", 0):
                    raise ExtractionStopped(f"CPU-Zeit ({limits.cpu_seconds} s) erschöpft") from None
                raise ExtractionStopped(f"Auslesen abgestürzt (Exit {code}; Speichergrenze "
                                        f"{limits.memory_bytes >> 20} MB)") from None
        if status == _OUT_OF_MEMORY:
            raise ExtractionStopped(f"Speicher ({limits.memory_bytes >> 20} MB) erschöpft")
        return text if status == _TEXT else None

    def _start(self, memory: int):
        self.stop()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (_PROJECT, os.environ.get("PYTHONPATH")))))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "importers.pdftext", str(memory)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )
        self.memory = memory

    def _read(self, size: int, deadline: float) -> bytes:
        if not portable.select_takes_pipes():
            return self._read_in_thread(size, deadline)
        chunks, missing, fd = [], size, self.process.stdout.fileno()
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(missing, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _read_in_thread(self, size: int, deadline: float) -> bytes:
        result: list[bytes] = []
        reader = threading.Thread(target=lambda: result.append(self.process.stdout.read(size)), daemon=True)
        reader.start()
        reader.join(max(0.0, deadline - time.monotonic()))
        if reader.is_alive():
            raise TimeoutError
        if not result or len(result[0]) < size:
            raise EOFError
        return result[0]

    def stop(self):
        """End the child (ours, by its own handle) and wait for it."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()


_extractor = Extractor()
atexit.register(_extractor.stop)


def poppler() -> str | None:
    """pdftotext's path, when poppler-utils is installed."""
    return shutil.which("pdftotext")


def backend() -> str:
    return "pdftotext" if poppler() else "pypdf"


@dataclass
class Extracted:
    text: str | None
    ocr_pages: list[int] = field(default_factory=list)  # pages (from 1) whose text Tesseract recognised
    ocr_seconds: float = 0.0


def extract(data: bytes, limits: Limits) -> str | None:
    """Plain text of a PDF's text layer, or None; ExtractionStopped when a limit was hit."""
    return extract_document(data, limits, ocr=False).text


def extract_document(data: bytes, limits: Limits, ocr: bool) -> Extracted:
    """The PDF's text; with `ocr`, pages without a text layer are recognised by Tesseract
    (German) when poppler and Tesseract are installed. ExtractionStopped when a limit was hit."""
    if backend() != "pdftotext":
        return Extracted(_extractor.text(data, limits))
    with tempfile.TemporaryDirectory(prefix="ratsinfo-pdf-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        max_chars = limits.chars_for(len(data))
        text = poppler_text(source, max_chars, limits)
        if text is None or not ocr or not ocr_available():
            return Extracted(text)
        return _recognise(source, text, max_chars, limits)


def ocr_available() -> bool:
    """Tesseract with its German model, and poppler's pdftoppm to draw the pages."""
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        return False
    if _LANGUAGES.get("deu") is None:
        try:
            listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
            _LANGUAGES["deu"] = "deu" in listed.stdout.split()
        except (OSError, subprocess.SubprocessError):
            _LANGUAGES["deu"] = False
    return _LANGUAGES["deu"]


_LANGUAGES: dict[str, bool] = {}


def _recognise(source: Path, text: str, max_chars: int, limits: Limits) -> Extracted:
    """Draw each empty page (up to limits.ocr_pages) and let Tesseract read it."""
    pages = text.split(PAGE_BREAK)
    empty = [number for number, page in enumerate(pages, start=1) if not page.strip()][:limits.ocr_pages]
    done, started = [], time.monotonic()
    # One thread per Tesseract: the import runs several files side by side.
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    for number in empty:
        image = source.parent / f"page-{number}"
        run_limited(["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(limits.ocr_dpi), "-gray",
                     "-png", "-singlefile", str(source), str(image)], limits, file_bytes=64 << 20)
        if not image.with_suffix(".png").is_file():
            continue
        out = source.parent / f"ocr-{number}"
        run_limited(["tesseract", str(image.with_suffix(".png")), str(out), "-l", "deu", "quiet"], limits,
                    file_bytes=4 * max_chars + 16, env=env)
        recognised = out.with_suffix(".txt")
        if recognised.is_file():
            page = recognised.read_text(encoding="utf-8", errors="ignore").replace("\f", " ").strip()
            if page:
                pages[number - 1] = page
                done.append(number)
    return Extracted(PAGE_BREAK.join(pages)[:max_chars], done, time.monotonic() - started)


def poppler_text(source: Path, max_chars: int, limits: Limits) -> str | None:
    target = source.with_suffix(".txt")
    # UTF-8 takes up to 4 bytes a character: the kernel stops a text that outgrows the cap (SIGXFSZ).
    code = run_limited([poppler(), "-enc", "UTF-8", "-q", str(source), str(target)], limits,
                       file_bytes=4 * max_chars + 16)
    if code not in (0, -getattr(signal, "SIGXFSZ", 0)):
        return None  # a file pdftotext cannot open: no text, as with pypdf
    raw = target.read_bytes().decode("utf-8", errors="ignore") if target.is_file() else ""
    pages = raw.split("\f")
    if raw.endswith("\f"):
        pages.pop()  # pdftotext ends every page with a form feed, the last one too
    return PAGE_BREAK.join(page.strip() for page in pages)[:max_chars]


def run_limited(command: list[str], limits: Limits, file_bytes: int, env: dict | None = None) -> int:
    """Run a program with the limits of `limits` (CPU, memory, wall time) and a cap on the size of
    the files it writes; its exit code. Raises ExtractionStopped when a limit stopped it."""
    resource = portable.resource()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    if resource is not None and hasattr(resource, "prlimit"):
        # Set from outside (no preexec_fn: the importer has threads): the program is a few ms old.
        try:
            for which, value in ((resource.RLIMIT_CPU, limits.cpu_seconds), (resource.RLIMIT_AS, limits.memory_bytes),
                                 (resource.RLIMIT_FSIZE, file_bytes), (resource.RLIMIT_CORE, 0)):
                resource.prlimit(process.pid, which, (value, value + 1 if which == resource.RLIMIT_CPU else value))
        except (ProcessLookupError, OSError):
            pass  # already ended
    try:
        code = process.wait(limits.wall_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise ExtractionStopped(f"nach {limits.wall_seconds:.0f} s abgebrochen") from None
    if code in (-getattr(signal, "SIGXCPU", 0), -signal.SIGKILL):
        raise ExtractionStopped(f"CPU-Zeit ({limits.cpu_seconds} s) erschöpft")
    if code < 0 and code != -getattr(signal, "SIGXFSZ", 0):
        # poppler and Tesseract end with SIGABRT (std::bad_alloc) or SIGSEGV when memory runs out.
        raise ExtractionStopped(f"Speicher ({limits.memory_bytes >> 20} MB) erschöpft oder Absturz (Signal {-code})")
    return code


# -- the child ---------------------------------------------------------------------

def _pages_text(data: bytes, max_chars: int) -> str:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    pages, total = [], 0
    for page in PdfReader(io.BytesIO(data)).pages:
        # A form feed of its own would shift every later page: only the separator is one.
        text = (page.extract_text() or "").replace("\f", " ").strip()
        pages.append(text)
        total += len(text) + 3
        if total >= max_chars:
            break
    # Pages apart by a form feed, as pdftotext does: the reading view links each to its PDF page.
    return PAGE_BREAK.join(pages)[:max_chars]


def _lower(resource, which: int, soft: int):
    """Set a soft limit, never above the hard one (which only root could raise)."""
    hard = resource.getrlimit(which)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def _serve(memory: int):
    resource = portable.resource()  # None on Windows: only the wall-clock time and the text cap apply
    if resource:
        _lower(resource, resource.RLIMIT_AS, memory)
        _lower(resource, resource.RLIMIT_CORE, 0)
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints must not end up in the answers
    while True:
        header = requests.read(_REQUEST.size)
        if len(header) < _REQUEST.size:
            return  # the parent closed the pipe: done
        cpu, max_chars, size = _REQUEST.unpack(header)
        data = requests.read(size)
        if resource:
            # RLIMIT_CPU counts the whole life of the process: allow `cpu` more seconds from now.
            usage = resource.getrusage(resource.RUSAGE_SELF)
            _lower(resource, resource.RLIMIT_CPU, math.ceil(usage.ru_utime + usage.ru_stime) + cpu)
        try:
            payload = _pages_text(data, max_chars).encode("utf-8", errors="replace")
            answer = _ANSWER.pack(_TEXT, len(payload)) + payload
        except MemoryError:
            answer = _ANSWER.pack(_OUT_OF_MEMORY, 0)
        except Exception:  # pypdf raises many kinds on broken files: no text
            answer = _ANSWER.pack(_NO_TEXT, 0)
        answers.write(answer)
        answers.flush()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
