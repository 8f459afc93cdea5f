"""The webmaster's update path: check, atomic publish, rollback, and update in one command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from plugins.council.reuse.fingerprints import STATE_FILE
from ratsinfo.check import check_site
from ratsinfo.publish import PublishFailed, current_release, publish, releases_of, rollback


def site(folder: Path, text: str) -> Path:
    (folder / "sitzungen").mkdir(parents=True)
    (folder / "index.html").write_text(f'<p id="oben">{text}</p><a href="sitzungen/1.html#top-2">TOP</a>', encoding="utf-8")
    (folder / "sitzungen" / "1.html").write_text('<tr id="top-2"></tr><a href="../index.html#oben">hoch</a>', encoding="utf-8")
    return folder


def test_demo_site_has_no_broken_links_or_anchors(demo_site):
    result = check_site(demo_site)
    assert result.pages > 500 and result.links > 10_000
    assert result.broken == []


def test_check_names_missing_pages_anchors_and_absolute_paths(tmp_path):
    root = site(tmp_path / "site", "Start")
    (root / "sitzungen" / "2.html").write_text(
        '<a href="3.html">fehlt</a><a href="1.html#top-9">Anker fehlt</a><a href="/index.html">absolut</a>'
        '<a href="https://example.org/x">extern</a>', encoding="utf-8")
    broken = {(page, link): why for page, link, why in check_site(root).broken}
    assert broken == {
        ("sitzungen/2.html", "3.html"): "Ziel fehlt",
        ("sitzungen/2.html", "1.html#top-9"): "Anker fehlt",
        ("sitzungen/2.html", "/index.html"): "absoluter Pfad (bricht unter Unterpfaden)",
    }


def run_check(folder: Path, capsys) -> tuple[int, str, str]:
    from ratsinfo.cli import main

    code = main(["check", "--output", str(folder)])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_of_a_folder_that_does_not_exist_fails_with_exit_2(tmp_path, capsys):
    code, out, err = run_check(tmp_path / "ausgabe", capsys)
    assert code == 2
    assert str(tmp_path / "ausgabe") in err and "gibt es nicht" in err and "Traceback" not in err


def test_check_of_a_folder_without_a_portal_fails_with_exit_2(tmp_path, capsys):
    # The content folder given by mistake: Markdown, no built pages.
    (tmp_path / "content" / "meetings").mkdir(parents=True)
    (tmp_path / "content" / "meetings" / "1.md").write_text("---\nid: '1'\n---\n", encoding="utf-8")
    code, out, err = run_check(tmp_path / "content", capsys)
    assert code == 2
    assert "kein gebautes Portal" in err and "ratsinfo build" in err


def test_check_warns_about_missing_legal_pages_and_public_address_and_still_passes(tmp_path, capsys):
    code, out, err = run_check(site(tmp_path / "site", "Start"), capsys)
    assert code == 0
    warnings = [line for line in out.splitlines() if line.startswith("Warnung:")]
    assert len(warnings) == 4, out
    assert any("Impressum" in w and "content/pages/impressum.md" in w for w in warnings)
    assert any("Datenschutz" in w and "content/pages/datenschutz.md" in w for w in warnings)
    assert any("PUBLIC_URL" in w and "sitemap.xml" in w for w in warnings)
    assert any("SHA256SUMS" in w for w in warnings)  # a hand-made folder, as the output of an old build


def test_check_of_the_demo_warns_only_that_the_public_address_is_missing(demo_site):
    assert [w.split(":")[0] for w in check_site(demo_site).warnings] == ["Keine öffentliche Adresse (PUBLIC_URL)"]


def test_check_warns_about_the_public_address_exactly_while_the_build_has_none(tmp_path):
    from ratsinfo.build import build_site
    from tests.test_escaping import evil_content

    content, output = tmp_path / "content", tmp_path / "output"
    evil_content(content)
    (content / "pages").mkdir()
    for slug in ("impressum", "datenschutz"):
        (content / "pages" / f"{slug}.md").write_text(f"Title: {slug.title()}\nSlug: {slug}\n\nText.\n", encoding="utf-8")
    build_site(content, output, overrides={"PAGEFIND": False, "PUBLIC_URL": "https://ratsinfo.stadt.example/"})
    assert check_site(output).warnings == []
    # The setting removed again: the next build (an overlay onto output/) takes sitemap.xml away.
    build_site(content, output, overrides={"PAGEFIND": False})
    assert [w.split(":")[0] for w in check_site(output).warnings] == ["Keine öffentliche Adresse (PUBLIC_URL)"]


def test_check_reports_colliding_pages_as_a_problem(tmp_path, capsys):
    root = site(tmp_path / "site", "Start")
    (root / "sitzungen" / "1.HTML").write_text("<p>doppelt</p>", encoding="utf-8")
    code, out, err = run_check(root, capsys)
    assert code == 1
    assert "sitzungen/1.HTML und sitzungen/1.html" in out


def test_publish_switches_atomically_and_rollback_goes_back(tmp_path):
    target = tmp_path / "www" / "ratsinfo"
    target.parent.mkdir()
    first = publish(site(tmp_path / "build1", "eins"), target)
    assert target.is_symlink() and "eins" in (target / "index.html").read_text(encoding="utf-8")
    second = publish(site(tmp_path / "build2", "zwei"), target)
    assert "zwei" in (target / "index.html").read_text(encoding="utf-8")
    assert current_release(target) == second and first.is_dir()
    assert rollback(target) == first
    assert "eins" in (target / "index.html").read_text(encoding="utf-8")
    with pytest.raises(PublishFailed):
        rollback(target)


def files_under(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_publish_onto_a_folder_ratsinfo_did_not_create_refuses_and_touches_nothing(tmp_path):
    target = site(tmp_path / "ratsinfo", "handgemacht")
    (target / "bilder").mkdir()
    (target / "bilder" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    before = files_under(target)
    with pytest.raises(PublishFailed, match="nicht ratsinfo gebaut.*nichts verändert"):
        publish(site(tmp_path / "build", "neu"), target)
    assert target.is_dir() and not target.is_symlink()
    assert files_under(target) == before
    assert not releases_of(target).exists()


def test_publish_onto_a_link_or_versions_folder_of_someone_else_refuses_and_touches_nothing(tmp_path):
    elsewhere = site(tmp_path / "anderes-portal", "fremd")
    target = tmp_path / "ratsinfo"
    target.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(PublishFailed, match="symbolische Verknüpfung.*nichts verändert"):
        publish(site(tmp_path / "build", "neu"), target)
    assert os.readlink(target) == str(elsewhere) and files_under(elsewhere)["index.html"].count("fremd")
    with pytest.raises(PublishFailed, match="nicht mit ratsinfo publish"):
        rollback(target)

    other = tmp_path / "zweites"
    site(releases_of(other) / "sicherung", "aufheben")
    with pytest.raises(PublishFailed, match="nicht von ratsinfo publish.*nichts verändert"):
        publish(tmp_path / "build", other)
    assert not other.exists() and [p.name for p in releases_of(other).iterdir()] == ["sicherung"]


def test_first_publish_onto_an_empty_folder_or_an_earlier_build_keeps_the_build_as_oldest_version(tmp_path):
    empty = tmp_path / "leer"
    empty.mkdir()
    publish(site(tmp_path / "build", "neu"), empty)
    assert empty.is_symlink() and "neu" in shown(empty)

    target = site(tmp_path / "ratsinfo", "frueher gebaut")
    (target / STATE_FILE).parent.mkdir()
    (target / STATE_FILE).write_text("{}", encoding="utf-8")
    publish(tmp_path / "build", target)
    assert "neu" in shown(target)
    rollback(target)
    assert "frueher gebaut" in shown(target)


def test_publish_refuses_something_that_is_not_a_built_site(tmp_path):
    (tmp_path / "leer").mkdir()
    with pytest.raises(PublishFailed, match="index.html"):
        publish(tmp_path / "leer", tmp_path / "ziel")
    assert not (tmp_path / "ziel").exists()


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "ratsinfo.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_update_imports_builds_checks_and_publishes_and_a_failed_one_changes_nothing(demo_dump, tmp_path, texts_read):
    www = tmp_path / "www" / "ratsinfo"
    texts_read(tmp_path / "inhalt")
    result = run_cli("update", str(demo_dump), "--content", "inhalt", "--output", "bau", "--to", str(www),
                     "--log", "update.log", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for step in ("Import", "Build", "Prüfung", "Veröffentlichung"):
        assert step in result.stdout
    assert (www / "index.html").is_file() and www.is_symlink()
    log = (tmp_path / "update.log").read_text(encoding="utf-8")
    assert "Update beginnt" in log and "Veröffentlichung fertig" in log
    published = os.readlink(www)

    failed = run_cli("update", str(tmp_path / "gibt-es-nicht"), "--content", "inhalt", "--output", "bau",
                     "--to", str(www), "--log", "update.log", cwd=tmp_path)
    assert failed.returncode != 0
    assert "Update fehlgeschlagen" in failed.stderr and "unverändert" in failed.stderr
    assert os.readlink(www) == published
    assert "Import fehlgeschlagen" in (tmp_path / "update.log").read_text(encoding="utf-8")


def shown(target: Path) -> str:
    return (target / "index.html").read_text(encoding="utf-8")


def test_publish_rollback_rollback_publish_rollback_returns_to_the_good_release(tmp_path):
    target = tmp_path / "www" / "ratsinfo"
    target.parent.mkdir()
    for number, text in enumerate(["eins", "zwei", "drei", "kaputt-1"]):
        publish(site(tmp_path / f"build{number}", text), target)
    rollback(target)
    rollback(target)  # drei was not right either: zwei is the good release
    assert "zwei" in shown(target)
    publish(site(tmp_path / "build4", "kaputt-2"), target)
    rollback(target)
    assert "zwei" in shown(target)
    # Three releases kept: eins, the oldest, and drei, rolled away from, were pruned.
    kept = sorted(shown(v) for v in releases_of(target).iterdir() if not v.name.startswith("."))
    assert [text[text.index(">") + 1:text.index("</p>")] for text in kept] == ["kaputt-1", "kaputt-2", "zwei"]


def test_update_holds_a_source_to_the_same_limits_as_an_import(demo_dump, tmp_path):
    """cron runs `update`, not `import`: a source too big for the limit must stop it too."""
    www = tmp_path / "www" / "ratsinfo"
    result = run_cli("update", str(demo_dump), "--content", "inhalt", "--output", "bau", "--to", str(www),
                     "--log", "update.log", "--max-json-size", "0.0001", cwd=tmp_path)
    assert result.returncode == 2
    assert "Update fehlgeschlagen" in result.stderr
    assert "--max-json-size" in (tmp_path / "update.log").read_text(encoding="utf-8")
    assert not www.exists() and not (tmp_path / "bau").exists()
    assert not any((tmp_path / "inhalt").glob("*/*.md"))
