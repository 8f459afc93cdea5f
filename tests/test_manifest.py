"""SHA256SUMS: a mirror verifies with coreutils' own `sha256sum -c` (or `ratsinfo check`) that it
serves exactly what was built; a rebuild hashes only the files that changed (ratsinfo/manifest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from importers.content import read_front_matter, render_front_matter
from ratsinfo.build import build_site
from ratsinfo.contracts import CHECKSUMS
from ratsinfo.manifest import MANIFEST, read_manifest, verify_manifest, write_manifest
from tests.conftest import MINI_OVERRIDES

SHA256SUM = shutil.which("sha256sum")
needs_sha256sum = pytest.mark.skipif(SHA256SUM is None, reason="sha256sum (GNU coreutils) fehlt")


def sha256sum_check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SHA256SUM, "-c", "--strict", MANIFEST], cwd=folder, capture_output=True, text=True)


def copy_of(site: Path, folder: Path) -> Path:
    shutil.copytree(site, folder)
    return folder


def flip_one_byte(path: Path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def stamps(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_ino)
            for p in folder.rglob("*") if p.is_file()}


def run_check(folder: Path, capsys) -> tuple[int, str]:
    from ratsinfo.cli import main

    code = main(["check", "--output", str(folder)])
    return code, capsys.readouterr().out


@needs_sha256sum
def test_sha256sum_passes_on_the_built_site_and_fails_after_one_byte_of_one_page(mini_site, tmp_path):
    site = copy_of(mini_site, tmp_path / "spiegel")
    assert sha256sum_check(site).returncode == 0
    flip_one_byte(site / "sitzungen" / "1.html")
    checked = sha256sum_check(site)
    assert checked.returncode == 1
    assert [line for line in checked.stdout.splitlines() if not line.endswith(": OK")] == ["sitzungen/1.html: FAILED"]


def test_the_manifest_lists_every_file_of_the_output_but_itself(mini_site):
    sums, unreadable = read_manifest((mini_site / MANIFEST).read_bytes())
    every = {p.relative_to(mini_site).as_posix() for p in mini_site.rglob("*") if p.is_file()}
    assert unreadable == []
    assert set(sums) == every - {MANIFEST}
    # What a web server reads and what the next build reads is served too, so it is listed.
    assert {".htaccess", "web.config", "dateien/.htaccess", "_ratsinfo/permalinks.json", CHECKSUMS} <= set(sums)


def test_check_names_each_changed_missing_and_extra_file_and_exits_1(mini_site, tmp_path, capsys):
    site = copy_of(mini_site, tmp_path / "spiegel")
    assert run_check(site, capsys)[0] == 0
    flip_one_byte(site / "sitzungen" / "1.html")
    (site / "web.config").unlink()
    (site / "dateien" / "untergeschoben.pdf").write_bytes(b"%PDF-1.4 nicht gebaut")

    code, out = run_check(site, capsys)
    assert code == 1
    assert "sitzungen/1.html: anders als gebaut (Prüfsumme stimmt nicht)" in out
    assert "web.config: fehlt (steht in SHA256SUMS)" in out
    assert "dateien/untergeschoben.pdf: nicht gebaut (steht nicht in SHA256SUMS)" in out
    assert "3 abweichend" in out and "erneut vollständig kopieren" in out


def test_an_output_without_manifest_passes_check_with_a_warning(mini_site, tmp_path, capsys):
    site = copy_of(mini_site, tmp_path / "alter-build")
    (site / MANIFEST).unlink()
    code, out = run_check(site, capsys)
    assert code == 0
    assert any(line.startswith("Warnung: Keine Prüfsummenliste SHA256SUMS") and "ratsinfo build" in line
               for line in out.splitlines())


@needs_sha256sum
def test_names_with_a_backslash_or_a_line_break_are_escaped_as_sha256sum_reads_them(tmp_path):
    site = tmp_path / "site"
    (site / "a b").mkdir(parents=True)
    for name in ("a b/c\\d.html", "zeile\numbruch.txt", "ä.html"):
        (site / name).write_text(name, encoding="utf-8")
    write_manifest(site, {})
    assert sha256sum_check(site).returncode == 0
    assert verify_manifest(site)[1] == []


def test_an_overlay_rebuild_hashes_and_rewrites_only_what_changed(mini_content, tmp_path):
    content = copy_of(mini_content, tmp_path / "content")
    output = tmp_path / "output"
    first = build_site(content, output, overrides=MINI_OVERRIDES)
    # The API's files and the dumps are hashed as they are written (ratsinfo/manifest.vouch), not read again.
    api = {p for p in stamps(output) if p.startswith(("oparl/", "daten/"))
           and p not in ("oparl/.htaccess", "daten/index.html", "daten/datapackage.json")}
    assert api and first.checksummed == len(stamps(output)) - 2 - len(api)  # nor SHA256SUMS, checksums.json
    before, lines_before = stamps(output), (output / MANIFEST).read_bytes().splitlines()
    bytes_before = {p: (output / p).read_bytes() for p in before}

    meeting_file = content / "meetings" / "1.md"
    meeting = read_front_matter(meeting_file)
    meeting["name"] = "Umbenannte Sitzung"
    meeting_file.write_bytes(render_front_matter(meeting))
    second = build_site(content, output, overrides=MINI_OVERRIDES)

    after = stamps(output)
    touched = {p for p in after if before.get(p) != after[p]} - {MANIFEST, CHECKSUMS}
    assert "sitzungen/1.html" in touched
    assert "oparl/meeting/1" in touched and "oparl/paper/1" not in touched
    assert second.checksummed == len(touched - api) < len(after) / 2
    changed = {p for p in after if bytes_before.get(p) != (output / p).read_bytes()} - {MANIFEST}
    lines_after = (output / MANIFEST).read_bytes().splitlines()
    new_lines = {line.split(b"  ", 1)[1].decode() for line in set(lines_after) - set(lines_before)}
    assert new_lines == changed
    assert verify_manifest(output)[1] == []


def test_a_full_build_keeps_the_hashes_of_attachments_it_links_from_content(mini_content, tmp_path):
    """Attachments are hard links into content/files: their inode and mtime survive a build
    from nothing, so gigabytes of documents are not read again."""
    content = copy_of(mini_content, tmp_path / "content")
    output = tmp_path / "output"
    build_site(content, output, overrides=MINI_OVERRIDES)
    before = stamps(output)
    again = build_site(content, output, overrides={**MINI_OVERRIDES, "RATSINFO_OVERLAY": False})
    after = stamps(output)
    kept = [p for p in after if p.startswith("dateien/") and p.endswith(".pdf") and before.get(p) == after[p]]
    assert kept, "kein Dokument behielt Inode und Zeit"
    assert again.checksummed == len({p for p in after if before.get(p) != after[p]} - {MANIFEST, CHECKSUMS})
    assert verify_manifest(output)[1] == []


@needs_sha256sum
def test_a_published_release_verifies_with_the_manifest(mini_site, tmp_path):
    from ratsinfo.publish import publish

    release = publish(mini_site, tmp_path / "www" / "ratsinfo")
    assert sha256sum_check(release).returncode == 0
    assert sha256sum_check(tmp_path / "www" / "ratsinfo").returncode == 0  # through the link, as served
    assert verify_manifest(release)[1] == []


def test_a_mode_the_web_server_can_read(mini_site):
    if os.name != "posix":
        pytest.skip("Dateirechte nur auf POSIX")
    for rel in (MANIFEST, CHECKSUMS):
        assert (mini_site / rel).stat().st_mode & 0o044 == (mini_site / "index.html").stat().st_mode & 0o044
