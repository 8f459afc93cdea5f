"""A town's site folder: `ratsinfo init`, its settings file, and every command run with --site."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ratsinfo import settings as declared
from ratsinfo.site import SETTINGS_FILE, SiteError, init, load, locate
from tests.conftest import DEMO_TODAY, PROJECT


def ratsinfo(*args, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "ratsinfo.cli", *map(str, args)], capture_output=True,
                            text=True, cwd=cwd)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def set_lines(site: Path, **values: str):
    """Uncomment a setting's line in ratsinfo.toml and give it a value, as a webmaster would."""
    path = site / SETTINGS_FILE
    text = path.read_text(encoding="utf-8")
    for name, value in values.items():
        text, found = re.subn(rf"^# {name} = .*$", f"{name} = {value}", text, flags=re.M)
        assert found == 1, name
    path.write_text(text, encoding="utf-8")


def test_init_writes_a_site_with_every_setting_commented(tmp_path):
    site = tmp_path / "stadt"
    written = init(site)
    names = sorted(p.relative_to(site).as_posix() for p in written)
    assert names == [".gitignore", "README.md", "content/pages/datenschutz.md", "content/pages/hilfe.md",
                     "content/pages/impressum.md", SETTINGS_FILE]
    text = (site / SETTINGS_FILE).read_text(encoding="utf-8")
    assert tomllib.loads(text) == {}  # everything commented: the defaults hold
    for setting in declared.SITE:
        assert re.search(rf"^# {setting.name} = ", text, flags=re.M), setting.name
    assert load(site).values == {}


def test_every_example_in_the_settings_file_is_a_valid_value(tmp_path):
    """Uncommenting any line as written gives a setting the program accepts."""
    site = tmp_path / "stadt"
    init(site)
    text = (site / SETTINGS_FILE).read_text(encoding="utf-8")
    (site / SETTINGS_FILE).write_text(re.sub(r"^# ([A-Z_]+ = )", r"\1", text, flags=re.M), encoding="utf-8")
    values = load(site).values
    assert set(values) == {s.name for s in declared.SITE}
    assert values["PUBLIC_URL"].endswith("/") and values["BASE_PATH"] == "/ratsinfo/"
    assert values["RATSINFO_TRANSLATIONS"] == str((site / "uebersetzungen").absolute())


def test_init_never_overwrites(tmp_path):
    site = tmp_path / "stadt"
    init(site)
    (site / SETTINGS_FILE).write_text('SITENAME = "Meine Stadt"\n', encoding="utf-8")
    with pytest.raises(SiteError, match="schon ein Site-Ordner"):
        init(site)
    assert load(site).values == {"SITENAME": "Meine Stadt"}
    other = tmp_path / "andere"
    (other / "content" / "pages").mkdir(parents=True)
    (other / "content" / "pages" / "impressum.md").write_text("Title: Impressum\n\nUnser Text", encoding="utf-8")
    with pytest.raises(SiteError, match="impressum.md"):
        init(other)
    assert not (other / SETTINGS_FILE).exists()
    assert (other / "content" / "pages" / "impressum.md").read_text(encoding="utf-8").endswith("Unser Text")


@pytest.mark.parametrize("line, expected", [
    ('PUBLIC_ULR = "https://x.example/"', "unbekannte Einstellung 'PUBLIC_ULR' – meinten Sie PUBLIC_URL?"),
    ('PUBLIC_URL = "ratsinfo.stadt.example"', 'meinten Sie "https://ratsinfo.stadt.example"?'),
    ('PUBLIC_URL = "ftp://x.example/"', "keine Web-Adresse"),
    ("PAGEFIND = \"nein\"", "erwartet ist true oder false"),
    ("SEARCH_SHARD_PAGES = 0", "ganze Zahl ab 1"),
    ('BASE_PATH = "/../etc/"', "kein Pfad auf dem Webserver"),
    ('TIMEZONE = "Europe/Muldenau"', "keine Zeitzone"),
])
def test_a_wrong_setting_is_named_with_its_line(tmp_path, line, expected):
    (tmp_path / SETTINGS_FILE).write_text(f'# Kommentar\nSITENAME = "Stadt"\n{line}\n', encoding="utf-8")
    with pytest.raises(SiteError) as failure:
        load(tmp_path)
    assert expected in str(failure.value)
    if "unbekannte" not in expected:
        assert "(Zeile 3)" in str(failure.value)


def test_a_toml_syntax_error_gets_its_line_in_german(tmp_path):
    (tmp_path / SETTINGS_FILE).write_text('SITENAME = "Stadt"\n\nPUBLIC_URL = https://x.example/\n', encoding="utf-8")
    with pytest.raises(SiteError, match="Zeile 3, Spalte 14: kein gültiges TOML"):
        load(tmp_path)


def test_the_site_is_the_option_else_the_current_folder_else_none(tmp_path):
    assert locate(None, cwd=tmp_path).folder is None
    assert locate(None, cwd=tmp_path).content == Path("content")
    init(tmp_path / "stadt")
    assert locate(None, cwd=tmp_path / "stadt").content == (tmp_path / "stadt" / "content").absolute()
    assert locate(str(tmp_path / "stadt"), cwd=tmp_path).output == (tmp_path / "stadt" / "output").absolute()
    with pytest.raises(SiteError, match="ratsinfo init"):
        locate(str(tmp_path), cwd=tmp_path)


def test_the_repository_is_no_site_folder():
    """`make html` builds the demo from the checkout's content/ with the program's defaults."""
    assert not (PROJECT / SETTINGS_FILE).exists()


def test_docs_list_every_setting_as_declared():
    text = (PROJECT / "docs" / "settings.md").read_text(encoding="utf-8")
    table = text.split("<!-- settings-table: start -->\n")[1].split("<!-- settings-table: end -->")[0]
    assert table == declared.markdown_table(), "docs/settings.md neu erzeugen: python -m ratsinfo.settings"


def test_every_setting_the_code_reads_is_declared():
    """A setting read by a plugin or the program but missing from ratsinfo/settings.py would be
    missing from the docs and from every town's settings file."""
    from pelican.settings import DEFAULT_CONFIG

    pattern = re.compile(r"""settings(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
    read = set()
    for folder in ("plugins", "ratsinfo"):
        for path in (PROJECT / folder).rglob("*.py"):
            read |= set(pattern.findall(path.read_text(encoding="utf-8")))
    ours = {s.name for s in declared.SITE + declared.PROGRAM}
    assert read - set(DEFAULT_CONFIG) - ours == set()
    # And the Pelican settings file takes every default from the declaration.
    from pelican.settings import read_settings

    conf = read_settings(str(PROJECT / "pelicanconf.py"))
    for name, value in declared.pelican_defaults().items():
        assert conf[name] == value, name


@pytest.fixture(scope="module")
def town(demo_dump, tmp_path_factory) -> Path:
    """A site folder set up as the README says: init, then two lines."""
    root = tmp_path_factory.mktemp("stadt")
    ratsinfo("init", "site", cwd=root)
    site = root / "site"
    set_lines(site, SITENAME='"Ratsinformation Muldenau"', PUBLIC_URL='"https://www.muldenau.example/ratsinfo/"')
    ratsinfo("import", "oparl", demo_dump, "--site", site, "--no-files", cwd=root)
    return site


def test_commands_use_the_site_folder(town):
    root = town.parent
    built = ratsinfo("build", "--site", town, cwd=root)
    output = town / "output"
    assert "Portal gebaut" in built.stdout
    assert (output / "sitemap.xml").read_text(encoding="utf-8").count("https://www.muldenau.example/ratsinfo/") > 10
    assert "<title>" in (output / "index.html").read_text(encoding="utf-8")
    # The templates of init are built, and both build and check say they are not filled in yet.
    assert "seiten/impressum.html ist noch eine Vorlage" in built.stderr
    checked = ratsinfo("check", cwd=town)  # in the site folder, no --site needed
    assert "0 kaputt" in checked.stdout
    assert "seiten/datenschutz.html ist noch eine Vorlage" in checked.stdout
    assert "Keine öffentliche Adresse" not in checked.stdout
    assert sorted(p.name for p in root.iterdir()) == ["site"]  # nothing beside the site folder


def test_options_go_before_the_settings_file(town, tmp_path):
    ratsinfo("build", "--site", town, "--output", tmp_path / "spiegel", "--public-url",
             "https://intranet.muldenau.example/rat/", cwd=tmp_path)
    sitemap = (tmp_path / "spiegel" / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://intranet.muldenau.example/rat/" in sitemap and "www.muldenau.example" not in sitemap
    assert "ErrorDocument 404 /rat/" in (tmp_path / "spiegel" / ".htaccess").read_text(encoding="utf-8")
    ratsinfo("build", "--site", town, "--output", tmp_path / "spiegel", "--base-path", "intern", cwd=tmp_path)
    assert "ErrorDocument 404 /intern/" in (tmp_path / "spiegel" / ".htaccess").read_text(encoding="utf-8")


def test_a_bad_option_or_site_stops_before_anything_is_written(town, tmp_path):
    before = sorted(p.relative_to(town) for p in town.rglob("*"))
    wrong = ratsinfo("build", "--site", town, "--public-url", "www.muldenau.example", cwd=tmp_path, check=False)
    assert wrong.returncode == 2
    assert 'meinten Sie "https://www.muldenau.example"?' in wrong.stderr
    missing = ratsinfo("build", "--site", tmp_path / "fehlt", cwd=tmp_path, check=False)
    assert missing.returncode == 2 and "ratsinfo init" in missing.stderr
    broken = tmp_path / "kaputt"
    shutil.copytree(town / "content" / "pages", broken / "content" / "pages")
    (broken / SETTINGS_FILE).write_text("PAGEFIND = ja\n", encoding="utf-8")
    failed = ratsinfo("build", "--site", broken, cwd=tmp_path, check=False)
    assert failed.returncode == 2 and "Zeile 1" in failed.stderr
    assert not (broken / "output").exists()
    assert sorted(p.relative_to(town) for p in town.rglob("*")) == before


def test_data_licence_is_named_on_every_page(demo_content, tmp_path):
    from ratsinfo.build import build_site

    build_site(demo_content, tmp_path / "out", overrides={"RATSINFO_TODAY": DEMO_TODAY, "PAGEFIND": False,
                                                          "DATA_LICENCE": "dl-de/by-2-0"})
    for page in ("index.html", "seiten/impressum.html", "404.html"):
        assert "unter der Lizenz dl-de/by-2-0" in (tmp_path / "out" / page).read_text(encoding="utf-8"), page


def test_import_settings_of_the_site_reach_the_importer(tmp_path):
    """ALLOW_HOSTS, MAX_FILE_SIZE_MB and PUBLISH_CONTACT_DATA from ratsinfo.toml; an option adds
    hosts and goes before the file's size."""
    from ratsinfo.cli import _guarded_source, parser

    init(tmp_path / "stadt")
    set_lines(tmp_path / "stadt", ALLOW_HOSTS='["dokumente.muldenau.example"]', MAX_FILE_SIZE_MB="2",
              PUBLISH_CONTACT_DATA="true")
    def guarded(*options):
        args = parser().parse_args(["import", "oparl", "https://ris.example/oparl", *options])
        args.site = locate(str(tmp_path / "stadt"))
        return _guarded_source(args)

    plain = guarded()
    assert plain["allow_hosts"] == ("dokumente.muldenau.example",)
    assert plain["max_file_size"] == 2 * 1024 * 1024
    assert plain["policy"].publish_contact_data is True
    given = guarded("--allow-host", "archiv.muldenau.example", "--max-file-size", "5")
    assert given["allow_hosts"] == ("dokumente.muldenau.example", "archiv.muldenau.example")
    assert given["max_file_size"] == 5 * 1024 * 1024
