"""SHA256SUMS: the checksum of every file of a built site, so that a mirror can verify it serves
exactly what was built (`sha256sum -c SHA256SUMS` in the folder, or `ratsinfo check`).

The format is GNU coreutils' (`<hex>  <path>`, paths relative with "/", sorted; a path with a
backslash or a line break is escaped as sha256sum escapes it). It lists every file a web server
could serve, its own configuration (.htaccess, web.config) and _ratsinfo/ included, all but
itself: a mirror holds the build when every line checks and no file is left over.

Written last by every successful build (ratsinfo/build.py), after the search index and after
the new build is in place; before an overlay moves the first file, the build deletes the old
one, so a killed build leaves no manifest rather than a wrong one.

Hashing a city's output (65,000 pages, gigabytes of attachments) takes minutes. So each file's
hash is kept in _ratsinfo/checksums.json with its size, mtime and inode, and a file whose three
are unchanged keeps its hash: an overlay moves only changed files into output/, and attachments
are hard links into content/files that keep their inode from build to build. Only a file
rewritten in place, with the same size, within the same tick of the clock would keep an old
hash; no build writes in place (pages are moved in: a new inode), and a mirror's check would
then report that file, never pass a wrong one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ratsinfo.contracts import CHECKSUMS
from ratsinfo.files import replaced
from ratsinfo.killpoints import kill_point

MANIFEST = "SHA256SUMS"
_LINE = re.compile(rb"(\\?)([0-9a-fA-F]{64}) [ *](.+)")


# Files this build wrote and hashed as it wrote them: path -> [size, mtime_ns, inode, sha256].
_vouched: dict[str, list] = {}


def vouch(rel: str, entry: list):
    """A writer that hashed its bytes anyway (plugins/oparlapi: 20,000 files at 2,000 papers) hands
    the hash on with its file's size, mtime and inode: write_manifest reads the file again only if
    what lies there then is not that file (a rename keeps all three)."""
    _vouched[rel] = entry


def take_vouched() -> dict[str, list]:
    taken = {rel: entry for rel, entry in _vouched.items() if _valid(entry)}
    _vouched.clear()
    return taken


def known_checksums(output: Path) -> dict[str, list]:
    """Path -> [size, mtime_ns, inode, sha256] of the last build; {} when there is none or it is unreadable."""
    try:
        files = json.loads((Path(output) / CHECKSUMS).read_text(encoding="utf-8"))["files"]
        return {rel: entry for rel, entry in files.items() if _valid(entry)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _valid(entry) -> bool:
    # Spelt out, no generator: called for each of a city's 240,000 entries.
    return (type(entry) is list and len(entry) == 4 and type(entry[0]) is int and type(entry[1]) is int
            and type(entry[2]) is int and type(entry[3]) is str and len(entry[3]) == 64)


def write_manifest(output: Path, known: dict[str, list]) -> int:
    """Write _ratsinfo/checksums.json, then SHA256SUMS (listing it). Returns how many files were
    hashed; the others kept the hash `known` has for their size, mtime and inode."""
    output = Path(output)
    entries, todo = {}, []
    for rel, st in _files(output, skip=(MANIFEST, CHECKSUMS)):
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]  # taken before hashing: a later change shows next time
        old = known.get(rel)
        if old is not None and old[:3] == stamp:
            entries[rel] = old
        else:
            entries[rel] = stamp
            todo.append(rel)
    for rel, digest in zip(todo, _hash_all(output, todo)):
        entries[rel] = entries[rel] + [digest]
    state = json.dumps({"files": entries}, separators=(",", ":"), sort_keys=True).encode("utf-8")
    sums = {rel: entry[3] for rel, entry in entries.items()}
    sums[CHECKSUMS] = hashlib.sha256(state).hexdigest()
    kill_point("build:before-manifest")
    _write(output, CHECKSUMS, state)
    _write(output, MANIFEST, b"".join(manifest_line(rel, sums[rel]) for rel in sorted(sums, key=os.fsencode)))
    return len(todo)


def _write(output: Path, rel: str, payload: bytes):
    # A fixed temporary name gets the umask's mode, as every file of the output (a unique one would
    # be 0600, unreadable for the web server); in output/ and named so that clear_leftovers finds
    # what a killed build left.
    with replaced(output / rel, temp_name=f".{Path(rel).name}.alt-{os.getpid()}", temp_dir=output) as tmp:
        tmp.write_bytes(payload)


def manifest_line(rel: str, digest: str) -> bytes:
    name = os.fsencode(rel)
    if b"\\" in name or b"\n" in name:  # coreutils: a leading backslash says the name is escaped
        return b"\\" + digest.encode("ascii") + b"  " + name.replace(b"\\", b"\\\\").replace(b"\n", b"\\n") + b"\n"
    return digest.encode("ascii") + b"  " + name + b"\n"


def read_manifest(data: bytes) -> tuple[dict[str, str], list[int]]:
    """Path -> sha256 of each line, and the numbers of lines that are no manifest line."""
    sums, unreadable = {}, []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if not match:
            unreadable.append(number)
            continue
        escaped, digest, name = match.groups()
        if escaped:
            name = re.sub(rb"\\(.)", lambda m: {b"n": b"\n", b"r": b"\r"}.get(m.group(1), m.group(1)), name)
        sums[os.fsdecode(name)] = digest.decode("ascii").lower()
    return sums, unreadable


def verify_manifest(output: Path) -> tuple[int, list[tuple[str, str]]] | None:
    """How many files were checked, and each file that differs from SHA256SUMS with why;
    None when the folder has no SHA256SUMS (the output of a build before it existed)."""
    output = Path(output)
    try:
        sums, unreadable = read_manifest((output / MANIFEST).read_bytes())
    except FileNotFoundError:
        return None
    problems = [(MANIFEST, f"Zeile {number} ist keine Zeile einer Prüfsummenliste") for number in unreadable]
    present = sorted(rel for rel, _ in _files(output, skip=(MANIFEST,)))
    listed = [rel for rel in present if rel in sums]
    for rel, digest in zip(listed, _hash_all(output, listed)):
        if digest != sums[rel]:
            problems.append((rel, "anders als gebaut (Prüfsumme stimmt nicht)"))
    problems += [(rel, "nicht gebaut (steht nicht in SHA256SUMS)") for rel in present if rel not in sums]
    problems += [(rel, "fehlt (steht in SHA256SUMS)") for rel in sorted(sums.keys() - set(present))]
    return len(present), problems


def _files(output: Path, skip: tuple[str, ...]):
    """(path relative with "/", stat) of every file under `output` but those in `skip`, as os.walk
    finds them (a link to a folder is not followed, a link to a file is). By os.scandir, the path
    joined in C: a fifth less CPU than os.walk and os.stat at 118,000 files (RESULTS-delta.md, run 4)."""
    folders = [("", os.fspath(output))]
    while folders:
        relative, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        folders.append((relative + entry.name + "/", entry.path))
                    continue
                rel = relative + entry.name
                if rel not in skip:
                    yield rel, entry.stat()


def _hash_all(output: Path, paths: list[str]):
    """The sha256 of each path, in order; hashlib lets go of the GIL, so threads hash side by side."""
    if not paths:
        return []
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda rel: file_sha256(output / rel), paths))


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
