"""Write published records into content/: the one contract with the plugins.

One file per object, `content/<kind folder>/<id>.md`, YAML front matter only
(docs/content-format.md). The writer works in two phases: everything is
prepared first (ids, YAML, attachments downloaded and document texts written
into a staging folder, so that no archive's texts are held in memory), and
only then applied, writing just the files whose bytes changed. An error in the
first phase leaves content/ exactly as it was; unchanged objects keep their
bytes and mtimes, so the build's caches stay warm.

With the takedown ledger's texts (`redaction`, importers/publication.apply_takedowns),
the writer redacts document texts, their earlier versions' texts and the change
records, and does not mirror a document whose text held one of them, nor link
its source's copy; a document the clerk's copy replaces (`replaced_files`) is
kept without copy, text or versions (the build publishes the clerk's copy).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import yaml

import boundedyaml
from importers import changes
from importers import files as attachments
from importers.errors import ImportFailed
from importers.hosts import HostRefused
from importers.ids import IdMap
from importers.publication import RECORD_KEYS
from importers.records import KINDS, Record, Ref
from importers.report import Report
from importers.spool import Spool, SpooledFiles, read_spooled
from importers.state import state_dir
from ratsinfo.contracts import CONTENT_STATE_DIR, IMPORT_LOCK, IMPORT_STATE
from ratsinfo.files import fsync_file, write_atomic
from ratsinfo.killpoints import kill_point
from ratsinfo.locking import Busy, exclusive
from ratsinfo.takedown import REDACTED, redact_value

STATE_DIR = CONTENT_STATE_DIR
STATE_FILE = IMPORT_STATE
LOCK_FILE = IMPORT_LOCK
# In STATE_DIR: a run's staging folder, and the temporary names of state files being replaced.
# A run killed before it cleans up leaves them; the next run deletes them (remove_stale_staging).
STAGING_PREFIX = "staging-"
TEMP_PREFIX = ".tmp-"
# The source fields of a File that decide whether the attachment must be fetched again.
FILE_SOURCE_FIELDS = ("access_url", "download_url", "size", "sha512", "sha1", "modified", "mime_type")
# What a File says of our copy (docs/content-format.md): kept with the copy while it is unchanged.
MEDIA_FIELDS = ("media", "media_type", "media_size", "media_sha512")

class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml when there
    """Never an alias, even for an object a record holds twice: readers refuse more than a
    few (boundedyaml), and content/ is meant to be read and edited by people."""

    def ignore_aliases(self, data):
        return True


def render_front_matter(data: dict, body: str = "") -> bytes:
    dumped = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{dumped}---\n{body}".encode("utf-8")


def read_front_matter(path: Path) -> dict:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        return {}
    end = raw.find("\n---\n", 3)
    if end < 0:
        return {}
    try:
        # The previous run's file, unless someone edited it: no more than a few aliases.
        data = boundedyaml.load(raw[4:end + 1], str(path), first_line=2)
    except boundedyaml.TooManyAliases as exc:
        raise ImportFailed(str(exc)) from None
    except yaml.YAMLError as exc:
        raise ImportFailed(f"{path}: ungültiges YAML ({exc}). Die Datei löschen und erneut importieren.") from None
    return data if isinstance(data, dict) else {}


# (url, max size, validators) -> (bytes, or None when unchanged; content type; new validators)
FetchFile = Callable[[str, int, dict | None], tuple[bytes | None, str, dict]]


# The extracted texts by the sha256 of their file (files.read_text), in the private state folder.
TEXT_CACHE = "texts"


class ContentWriter:
    def __init__(
        self,
        root: Path,
        source_key: str,
        report: Report,
        fetch_file: FetchFile | None = None,
        *,
        max_file_size: int = attachments.MAX_SIZE,
        max_delete_share: float = 0.5,
        force: bool = False,
        on_file: Callable[[], None] | None = None,
        check_url: Callable[[str], None] | None = None,
        seen: str | None = None,
        redaction: re.Pattern | None = None,
        replaced_files: set[str] = frozenset(),
        keep_ids: set[tuple[str, str]] = frozenset(),
        on_ocr: Callable[[int], None] | None = None,
    ):
        self.root = Path(root)
        self.source_key = source_key
        self.report = report
        self.fetch_file = fetch_file
        self.max_file_size = max_file_size
        self.max_delete_share = max_delete_share
        self.force = force
        self.on_file = on_file or (lambda: None)
        self.scratch: Path | None = None
        # The host rule (importers/hosts.py) for copies kept from earlier runs: raises HostRefused.
        self.check_url = check_url
        # The day changes are noted with (importers/changes.py): the day of the import.
        self.seen = seen or datetime.now(timezone.utc).astimezone().date().isoformat()
        self.redaction = redaction
        self.replaced_files = replaced_files
        # (kind, source) of objects the ledger withholds: their ids stay, so the ledger finds them again.
        self.keep_ids = keep_ids
        self.text_cache: Path | None = None
        self.on_ocr = on_ocr  # pages recognised by OCR, told as each file's text is read (progress)

    # -- state ---------------------------------------------------------------

    @property
    def state_path(self) -> Path:
        return self.root / STATE_DIR / STATE_FILE

    def _load_state(self) -> dict:
        if not self.state_path.is_file():
            return {"version": 1, "ids": {}, "owned": {}}
        try:
            return json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ImportFailed(f"Importzustand {self.state_path} ist beschädigt: {exc}") from exc

    def known_ids(self) -> dict[str, dict[str, str]]:
        return self._load_state().get("ids", {})

    # -- main ----------------------------------------------------------------

    def write(self, records: list[Record]):
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / STATE_DIR).mkdir(exist_ok=True)
        lock = self.root / STATE_DIR / LOCK_FILE
        try:
            with exclusive(lock):
                remove_stale_staging(self.root / STATE_DIR)
                self._write(records)
        except Busy:
            raise ImportFailed(f"In {self.root} schreibt gerade ein anderer Import (Sperrdatei {lock}). "
                               "Warten, bis er fertig ist, dann erneut importieren.") from None

    def _write(self, records: list[Record]):
        """Under the lock: no other run's staging folder is in use, and the state is ours to change."""
        state = self._load_state()
        # Texts of PDFs by the sha256 of their bytes (files.read_text), in the private state.
        # Not while the ledger redacts texts: the cache would keep the unredacted text of a file the
        # source still serves (ratsinfo/scrub.py deletes it when an entry is added).
        self.text_cache = state_dir(self.root) / TEXT_CACHE if self.redaction is None else None
        self.validators: dict[str, dict] = dict(state.get("validators", {}))
        # Each PDF copy's [sha512, sha256] (the text cache's key): the texts of old versions are forgotten.
        self.text_digests: dict[str, str] = dict(state.get("text_digests", {}))
        ids = IdMap(state.get("ids"))
        for record in sorted(records, key=lambda r: (r.kind, r.source)):
            ids.assign(record.kind, record.source)
            for kind, source in record.nested:
                ids.assign(kind, source)
        published = {(r.kind, r.source) for r in records}
        published |= {pair for r in records for pair in r.nested}

        # The first import of a content folder is the baseline of the change record.
        baseline = not state.get("owned", {}).get(self.source_key)
        kill_point("import:before-staging")
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.root / STATE_DIR))
        self.scratch = staging  # new files are written here first, then renamed into content/
        self.readers = attachments.TextReaders()
        rendered = Spool(staging)
        try:
            # The object files, rendered, wait in the staging folder (issue 19).
            desired = SpooledFiles(rendered)
            staged: dict[str, Path] = {}
            versioned: dict[str, int] = {}  # file id -> its new version, for its meetings' and papers' record
            reading: list[tuple[str, dict, Callable[[], None]]] = []  # files whose text is still being read
            for record in sorted(records, key=lambda r: r.kind != "file"):
                if record.kind != "file" and reading:
                    # Every file's text (and so its version) before the meetings and papers note them.
                    self._take_texts(reading, desired)
                object_id = ids.get(record.kind, record.source)
                data = {"id": object_id, "source": record.source}
                data.update(self._resolve(record.data, ids, published))
                # The document's text goes to the staging folder (_stage_text): not held in memory twice.
                record.data.pop("source_text", None)
                folder = KINDS[record.kind]
                path = f"{folder}/{object_id}.md"
                if record.kind == "file":
                    finish = self._prepare_file(folder, object_id, data, desired, staged, staging, versioned)
                    if finish is not None:  # its text is being read beside the next downloads
                        reading.append((path, data, finish))
                        continue
                if record.kind in ("meeting", "paper") and not baseline:
                    desired[path] = self._with_changes(record.kind, path, data, versioned)
                else:
                    desired[path] = render_front_matter(data)
            self._take_texts(reading, desired)
            self._apply(state, ids, desired, staged)
        finally:
            self.readers.close()
            rendered.close()
            shutil.rmtree(staging, ignore_errors=True)

    def _resolve(self, value, ids: IdMap, published: set):
        """Refs become our ids; links to unpublished objects disappear."""
        if isinstance(value, Ref):
            if (value.kind, value.source) not in published:
                return None
            return ids.get(value.kind, value.source)
        if isinstance(value, dict):
            resolved = {k: self._resolve(v, ids, published) for k, v in value.items()}
            return {k: v for k, v in resolved.items() if v is not None and v != []}
        if isinstance(value, list):
            return [v for v in (self._resolve(item, ids, published) for item in value) if v is not None]
        return value

    # -- change record -------------------------------------------------------

    def _with_changes(self, kind: str, relpath: str, data: dict, versioned: dict[str, int]) -> bytes:
        """The object's file with its change record (importers/changes.py): the last run's file
        as it is when nothing but its record is there (no YAML read for the unchanged majority)."""
        target = self.root / relpath
        plain = render_front_matter(data)
        try:
            existing = target.read_bytes()
        except FileNotFoundError:
            existing = None
        own_files = {data.get(k) for k in changes.MEETING_DOCUMENTS + changes.PAPER_DOCUMENTS}
        own_files.update(data.get("auxiliary_files") or [])
        if existing is not None and not own_files & versioned.keys() and (
                existing == plain or existing.startswith(plain[:-4] + b"changes:\n")) and not (
                self.redaction and self.redaction.search(existing.decode("utf-8", errors="replace"))):
            return existing
        before = read_front_matter(target) if existing is not None else None
        if before is not None and self.redaction is not None:
            # As if the last run had redacted too: no change noted for a redaction, none keeps the text.
            before = redact_value(before, self.redaction, keep=RECORD_KEYS)
        noted = (changes.meeting_changes if kind == "meeting" else changes.paper_changes)(
            before, data, self.seen, versioned)
        return render_front_matter({**data, "changes": noted}) if noted else plain

    # -- attachments ---------------------------------------------------------

    def _prepare_file(self, folder, object_id, data, desired, staged, staging: Path, versioned=None):
        source_text = data.pop("source_text", None)
        if callable(source_text):  # records.SourceText: cleaned now, one text at a time
            source_text = source_text()
        source_text = read_spooled(source_text)  # a SQL row's text from the store (importers/spool.py)
        if data["source"] in self.replaced_files:
            self.on_file()
            return  # the clerk's copy is published instead (the build): nothing of the original is kept
        previous_path = self.root / folder / f"{object_id}.md"
        previous = read_front_matter(previous_path) if previous_path.is_file() else {}
        unchanged_source = all(previous.get(k) == data.get(k) for k in FILE_SOURCE_FIELDS)
        media_ok = previous.get("media") and (self.root / folder / previous["media"]).is_file()
        if media_ok and unchanged_source and not self._host_still_allowed(data):
            unchanged_source = False  # fetch again: the host rule withholds it (_download)
        if unchanged_source and (media_ok or self.fetch_file is None):
            # Same file as last time: keep the copy and text we already have.
            for key in MEDIA_FIELDS + ("text", "text_ocr_pages"):
                if key in previous:
                    data[key] = previous[key]
            if media_ok:
                _describe_copy(data, self.root / folder / previous["media"])
                self._note_digest(object_id, self.root / folder / previous["media"], data)
            held = False
            if previous.get("text") and (self.root / folder / previous["text"]).is_file():
                held = self._keep_text(f"{folder}/{previous['text']}", staged)
            if media_ok and not held:
                staged[f"{folder}/{previous['media']}"] = self.root / folder / previous["media"]
            if held:
                _without_copy(data)
            self._keep_versions(folder, data, changes.kept_versions(previous), {}, staged)
            self.on_file()
            return
        text = source_text
        if self.fetch_file is not None and data.get("access_url"):
            # Ask conditionally when we hold a copy: an unchanged file answers 304.
            validators = self.validators.get(object_id) if media_ok else None
            fetched = self._download(data, object_id, staging, validators, want_text=not text)
            if fetched == "unchanged":
                for key in MEDIA_FIELDS:
                    if key in previous:
                        data[key] = previous[key]
                _describe_copy(data, self.root / folder / previous["media"])
                self._note_digest(object_id, self.root / folder / previous["media"], data)
                staged[f"{folder}/{previous['media']}"] = self.root / folder / previous["media"]
                text_path = self.root / folder / previous.get("text", "-")
                text = text or (text_path.read_text(encoding="utf-8") if previous.get("text") and text_path.is_file() else None)
                if text and not source_text and previous.get("text_ocr_pages"):
                    data["text_ocr_pages"] = previous["text_ocr_pages"]
            elif fetched is not None:
                path, mime, ext, reading, digest = fetched
                data["media"] = f"{object_id}.{ext}"
                data["media_type"] = mime
                _describe_copy(data, path)
                self._note_digest(object_id, path, data, digest)
                staged[f"{folder}/{object_id}.{ext}"] = path
                kill_point("import:staged-file")
                if reading is not None:
                    self.on_file()
                    return lambda: self._take_text(folder, object_id, data, desired, staged, previous, versioned, reading)
        self.on_file()
        if text:
            data["text"] = f"{object_id}.txt"  # the text itself is staged (redacted) in _settle_text
        self._settle_text(folder, object_id, data, desired, staged, previous, text, versioned)
        return None

    def _take_texts(self, reading: list, desired: dict):
        """The files whose text was read beside the downloads, in the records' order (the report stays the same)."""
        for relpath, data, finish in reading:
            finish()
            desired[relpath] = render_front_matter(data)
        reading.clear()

    def _take_text(self, folder: str, object_id: str, data: dict, desired: dict, staged: dict, previous: dict,
                   versioned, reading):
        """The text read from a downloaded file (files.TextReaders), once it is there."""
        text = None
        try:
            extracted = reading.result()
        except attachments.ExtractionStopped as exc:  # the file is published, without text
            self.report.problem(f"Text der Datei nicht ausgelesen: {exc}", data["access_url"])
            extracted = None
        if extracted is not None:
            self.report.count_text(extracted)
            text = extracted.text or None
            if text:  # `text` before `text_ocr_pages`, as a re-import keeps them: the file stays byte for byte
                data["text"] = f"{object_id}.txt"
            if text and extracted.ocr_pages:  # the reading view says which pages a machine read
                data["text_ocr_pages"] = extracted.ocr_pages
        self._settle_text(folder, object_id, data, desired, staged, previous, text, versioned)

    def _settle_text(self, folder, object_id, data, desired, staged, previous: dict, text: str | None, versioned):
        """The ledger's redaction of a new text (a copy that held a redacted text is not kept), and the
        document's versions when its text changed (importers/changes.py)."""
        held, new_text = False, None
        if text:
            new_text, held = self._redacted(text.encode("utf-8"))
            self._stage_text(f"{folder}/{object_id}.txt", new_text, staged)
        if held:  # the copy still holds what the ledger redacts, and so does the source's
            staged.pop(f"{folder}/{data.get('media')}", None)
            _without_copy(data)
        old_path = self.root / folder / str(previous.get("text"))
        old_text = old_path.read_bytes() if previous.get("text") and old_path.is_file() else None
        if old_text is not None:
            old_text = self._redacted(old_text)[0]
        versions, texts = changes.kept_versions(previous), {}
        if previous and changes.new_version(previous, data, old_text, new_text):
            versions, texts = changes.versions_after(previous, object_id, self.seen, old_text)
            if versioned is not None:
                versioned[object_id] = versions[-1]["version"] + 1
        self._keep_versions(folder, data, versions, texts, staged)

    def _keep_versions(self, folder: str, data: dict, versions: list[dict], texts: dict[str, bytes], staged):
        """Note the document's earlier versions, and keep their texts (new ones from `texts`)."""
        if not versions:
            return
        data["versions"] = versions
        for version in versions:
            name = version.get("text")
            if not isinstance(name, str) or "/" in name or name.startswith("."):
                continue
            if name in texts:
                self._stage_text(f"{folder}/{name}", self._redacted(texts[name])[0], staged)
            elif (self.root / folder / name).is_file():
                self._keep_text(f"{folder}/{name}", staged)

    def _stage_text(self, relpath: str, payload: bytes, staged: dict[str, Path]):
        """A text to write, into the staging folder at once (moved into content/ by _apply when it
        differs): the import holds no archive's texts in memory, whatever the archive's size."""
        path = self.scratch / "texts" / relpath.rsplit("/", 1)[1]
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(payload)
        staged[relpath] = path

    def _keep_text(self, relpath: str, staged: dict[str, Path]) -> bool:
        """A text of the last run kept as it is, or redacted (staged) when it holds one of the
        ledger's texts; whether it did."""
        target = self.root / relpath
        if self.redaction is None:
            staged[relpath] = target
            return False
        kept, held = self._redacted(target.read_bytes())
        if held:
            self._stage_text(relpath, kept, staged)
        else:
            staged[relpath] = target
        return held

    def _redacted(self, text: bytes) -> tuple[bytes, bool]:
        """A document text with the ledger's texts replaced, and whether it held one."""
        if self.redaction is None:
            return text, False
        decoded = text.decode("utf-8", errors="replace")
        if not self.redaction.search(decoded):
            return text, False
        return self.redaction.sub(REDACTED, decoded).encode("utf-8"), True

    def _host_still_allowed(self, data: dict) -> bool:
        """A copy made under an earlier rule (another --allow-host, an older ratsinfo) is kept
        only while the rule still allows its address."""
        if self.check_url is None or not data.get("access_url"):
            return True
        try:
            self.check_url(data["access_url"])
        except HostRefused:
            return False
        return True

    def _download(self, data: dict, object_id: str, staging: Path, validators: dict | None, want_text: bool = True):
        url = data["access_url"]
        try:
            payload, content_type, fresh = self.fetch_file(url, self.max_file_size, validators)
        except HostRefused as exc:
            # An address the host rule refuses (intranet, another host, https → http):
            # neither a copy nor a link to it is published.
            self.report.withheld["Dateien von nicht erlaubten Adressen"] += 1
            self.report.problem(f"Datei von nicht erlaubter Adresse zurückgehalten ({exc.reason})", url)
            data.pop("access_url", None)
            data.pop("download_url", None)
            return None
        except Exception as exc:  # network, 404, size: the file stays a link to the original
            self.report.files_failed += 1
            self.report.problem(f"Datei nicht geladen: {type(exc).__name__}", url)
            return None
        if fresh:
            self.validators[object_id] = fresh
        if payload is None:
            return "unchanged"
        declared = data.get("mime_type") or content_type.split(";")[0].strip() or None
        sniffed = attachments.sniff(payload, declared)
        if sniffed is None:
            self.report.files_failed += 1
            self.report.problem("Datei mit nicht erlaubtem oder unbekanntem Typ nicht übernommen", url)
            return None
        mime, ext = sniffed
        if data.get("sha512") and hashlib.sha512(payload).hexdigest() != data["sha512"].lower():
            self.report.problem("sha512Checksum passt nicht zur geladenen Datei", url)
        if data.get("sha1") and hashlib.sha1(payload).hexdigest() != data["sha1"].lower():
            self.report.problem("sha1Checksum passt nicht zur geladenen Datei", url)
        path = staging / f"{object_id}.{ext}"
        path.write_bytes(payload)
        self.report.files_downloaded += 1
        # The sha256 once: the text cache's key (files.read_text) and the state's (_note_digest).
        digest = hashlib.sha256(payload).hexdigest() if mime == "application/pdf" else None
        reading = self.readers.read(payload, mime, self.text_cache, digest) if want_text and digest else None
        if reading is not None and self.on_ocr is not None:
            reading.add_done_callback(self._tell_ocr)
        return path, mime, ext, reading, digest

    def _note_digest(self, object_id: str, copy: Path, data: dict, sha256: str | None = None):
        """[sha512, sha256] of a PDF copy: the sha256 is the text cache's key (files.read_text), the
        sha512 (noted in the front matter, _describe_copy) tells whether the copy is still the one
        hashed, without reading it again; a copy a killed run left in place is hashed anew."""
        known = self.text_digests.get(object_id)
        if copy.suffix == ".pdf" and not (isinstance(known, list) and known[:1] == [data.get("media_sha512")]):
            sha256 = sha256 or hashlib.sha256(copy.read_bytes()).hexdigest()
            self.text_digests[object_id] = [data.get("media_sha512"), sha256]

    def _tell_ocr(self, reading):
        found = None if reading.cancelled() or reading.exception() else reading.result()
        if found is not None and found.ocr_pages:
            self.on_ocr(len(found.ocr_pages))

    # -- apply ---------------------------------------------------------------

    def _apply(self, state: dict, ids: IdMap, desired: dict[str, bytes], staged: dict[str, Path]):
        owned_before = set(state.get("owned", {}).get(self.source_key, []))
        owned_now = set(desired) | set(staged)
        removed = sorted(owned_before - owned_now)
        if not self.force:
            check_deletions(owned_before, removed, self.max_delete_share)

        # Own before writing: a run killed from here on leaves only files that the state names,
        # and the next run updates or deletes them. Ids and validators stay the last run's.
        self._put_state({**state, "owned": {**state.get("owned", {}),
                                            self.source_key: sorted(owned_before | owned_now)}})
        # An object's .md comes last, after its attachment and text: a run killed in between
        # leaves the old .md, whose source fields no longer match, so the next run fetches again.
        # Texts of old versions first: a run killed before the document's new text keeps the old one.
        for relpath, path in sorted(staged.items(), key=lambda item: (not _version_text(item[0]), item[0])):
            target = self.root / relpath
            if path == target:
                continue
            if target.is_file() and _same_file_content(target, path):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fsync_file(path)  # after a power cut, never a torn attachment that a later run keeps
            os.replace(path, target)
            kill_point("import:applied-file")
        for relpath in sorted(desired, key=lambda p: (p.endswith(".md"), p)):
            self._put(relpath, desired[relpath])
        for relpath in removed:
            (self.root / relpath).unlink(missing_ok=True)
            kill_point("import:applied-file")
            if relpath.endswith(".md"):
                self.report.deleted[_kind_of(relpath)] += 1

        owned = dict(state.get("owned", {}))
        owned[self.source_key] = sorted(owned_now)
        live: dict[str, set[str]] = {}
        for kind, mapping in ids.by_kind.items():
            folder = KINDS.get(kind)
            all_owned = {p for paths in owned.values() for p in paths}
            live[kind] = {
                source for source, object_id in mapping.items()
                if folder is None or f"{folder}/{object_id}.md" in all_owned
            }
        for kind, source in self.keep_ids:
            live.setdefault(kind, set()).add(source)
        # Agenda items live inside their meeting; keep their ids while any meeting is there.
        ids.retain({**live, "agenda_item": set(ids.by_kind.get("agenda_item", {}))})
        files_now = {
            p.rsplit("/", 1)[1][:-3] for paths in owned.values() for p in paths
            if p.startswith(f"{KINDS['file']}/") and p.endswith(".md")
        }
        validators = {k: v for k, v in sorted(self.validators.items()) if k in files_now}
        digests = {k: v for k, v in sorted(self.text_digests.items()) if k in files_now}
        new_state = {"version": 1, "ids": ids.as_dict(), "owned": dict(sorted(owned.items()))}
        if validators:
            new_state["validators"] = validators
        if digests:
            new_state["text_digests"] = digests
        kill_point("import:before-state")
        self._put_state(new_state)
        # Texts of versions replaced and of files gone: once the state no longer names them (a run
        # killed before this point finds them again). Entries from before digests were kept stay.
        attachments.forget_texts(state_dir(self.root) / TEXT_CACHE, _text_keys(state.get("text_digests", {})) - _text_keys(digests))

    def _put(self, relpath: str, payload: bytes):
        target = self.root / relpath
        kind = _kind_of(relpath)
        counts = relpath.endswith(".md")
        if target.is_file():
            if target.read_bytes() == payload:
                if counts:
                    self.report.unchanged[kind] += 1
                return
            if counts:
                self.report.updated[kind] += 1
        elif counts:
            self.report.created[kind] += 1
        write_atomic(target, payload, prefix=TEMP_PREFIX, temp_dir=self.scratch)
        kill_point("import:applied-file")

    def _put_state(self, state: dict):
        payload = (json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
        if self.state_path.is_file() and self.state_path.read_bytes() == payload:
            return
        write_atomic(self.state_path, payload, prefix=TEMP_PREFIX, durable=True)


def _text_keys(digests: dict) -> set[str]:
    return {pair[1] for pair in digests.values() if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str)}


def _version_text(relpath: str) -> bool:
    return relpath.endswith(".txt") and ".v" in relpath.rsplit("/", 1)[-1]


def _without_copy(data: dict):
    """A document whose text held a redacted text: neither our copy nor the source's is linked."""
    for key in MEDIA_FIELDS + ("access_url", "download_url"):
        data.pop(key, None)


def _describe_copy(data: dict, path: Path):
    """Size and SHA-512 of our copy, for the OParl API's `size` and `sha512Checksum`: hashed while
    the file is new or from an older ratsinfo that did not note them; else taken as noted."""
    if "media_size" in data and "media_sha512" in data:
        return
    digest = hashlib.sha512()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    data["media_size"] = path.stat().st_size
    data["media_sha512"] = digest.hexdigest()


def remove_stale_staging(state_dir: Path):
    """What runs killed before their cleanup left in STATE_DIR (up to the size of all attachments).
    Only with the import lock held: then no live run uses any of it."""
    for entry in list(os.scandir(state_dir)):
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif entry.name.startswith(TEMP_PREFIX):
            Path(entry.path).unlink(missing_ok=True)


# Below this many objects (of one kind, or in all) deleting most of them can be an
# ordinary change (two of three legislative terms end); above it, it is a lost source.
GUARD_MIN_OBJECTS = 20
KIND_PLURALS = {
    "body": "Körperschaften", "term": "Wahlperioden", "organization": "Gremien", "person": "Personen",
    "meeting": "Sitzungen", "paper": "Vorlagen", "file": "Dateien",
}


def check_deletions(owned_before: set[str], removed: list[str], max_share: float):
    """Refuse a run that would delete more than `max_share` of all objects, or of one
    kind: a source that lost its papers must not pass because its files outnumber them."""
    before = [p for p in owned_before if p.endswith(".md")]
    gone = [p for p in removed if p.endswith(".md")]
    groups = [("Objekten", before, gone)]
    for kind, plural in KIND_PLURALS.items():
        folder = KINDS[kind] + "/"
        groups.append((plural, [p for p in before if p.startswith(folder)],
                       [p for p in gone if p.startswith(folder)]))
    for label, had, lost in groups:
        if len(had) >= GUARD_MIN_OBJECTS and len(lost) > max_share * len(had):
            raise ImportFailed(
                f"Der Import würde {len(lost)} von {len(had)} {label} löschen (mehr als "
                f"{max_share:.0%}). Nichts wurde geändert. Meist hat die Quelle Daten verloren oder "
                "verweigert den Zugriff; wenn das Löschen so gewollt ist, mit --force wiederholen."
            )


def _kind_of(relpath: str) -> str:
    folder = relpath.split("/", 1)[0]
    return next((kind for kind, name in KINDS.items() if name == folder), folder)


def _same_file_content(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()
