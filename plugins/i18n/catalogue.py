"""Which catalogue a build uses (RATSINFO_LANGUAGE), and installing it into a Jinja environment."""

from __future__ import annotations

import gettext
import logging
from functools import lru_cache
from pathlib import Path

from jinja2.ext import InternationalizationExtension
from markupsafe import Markup

log = logging.getLogger(__name__)

# The portal's primary language: its texts are the msgids, so it needs no catalogue.
SOURCE_LANGUAGE = "de"
DOMAIN = "messages"
UNTRANSLATED = gettext.NullTranslations()


class Extension(InternationalizationExtension):
    """jinja2.ext.i18n that renders the German msgids until a catalogue is installed.

    Pelican builds every generator's environment from JINJA_ENVIRONMENT alone. With the plain
    extension, `_()` in base.html would fail in an environment nobody installed translations
    into (Pelican's page.html while plugins.i18n is not in PLUGINS); with this one it is German.
    """

    def __init__(self, environment):
        super().__init__(environment)
        _install(environment, UNTRANSLATED, SOURCE_LANGUAGE)


def translations_folder(settings) -> Path:
    """RATSINFO_TRANSLATIONS, by default the theme's translations/ folder."""
    configured = settings.get("RATSINFO_TRANSLATIONS")
    return Path(configured) if configured else Path(settings["THEME"]) / "translations"


def load_translations(settings) -> tuple[gettext.NullTranslations, str]:
    """The catalogue for RATSINFO_LANGUAGE and the language it is for (for <html lang>).

    Without a compiled catalogue the pages stay German: (UNTRANSLATED, "de").
    """
    language = settings.get("RATSINFO_LANGUAGE") or SOURCE_LANGUAGE
    folder = translations_folder(settings)
    # gettext.find also tries the bare language: "de_AT" falls back to de/LC_MESSAGES/messages.mo.
    found = gettext.find(DOMAIN, str(folder), languages=[language])
    if found is None:
        if language != SOURCE_LANGUAGE:
            _warn_missing(language, str(folder))
        return UNTRANSLATED, SOURCE_LANGUAGE
    path = Path(found)
    return _read(path, path.stat().st_mtime_ns), path.parent.parent.name.replace("_", "-")


def page_language(settings) -> str:
    """The language the pages are written in, as their <html lang> says: RATSINFO_LANGUAGE if it
    has a catalogue, else German. The search index is built for it (plugins/search)."""
    return load_translations(settings)[1]


def install_translations(env, settings) -> None:
    """Give `env` the i18n extension (if JINJA_ENVIRONMENT lacks it) and the build's catalogue."""
    translations, language = load_translations(settings)
    if not any(isinstance(ext, InternationalizationExtension) for ext in env.extensions.values()):
        env.add_extension(Extension)
    _install(env, translations, language)


def translations_of(env) -> gettext.NullTranslations:
    """The catalogue installed in `env`, for filters written in Python (plugins/council/format.py)."""
    return getattr(env, "ratsinfo_translations", UNTRANSLATED)


def _install(env, translations, language: str) -> None:
    if translations is UNTRANSLATED:
        env.install_null_translations(newstyle=True)
    else:
        env.install_gettext_translations(translations, newstyle=True)
    env.ratsinfo_translations = translations
    env.globals["ui_language"] = language
    if env.autoescape is True:
        env.globals["_"] = env.globals["gettext"] = _constant_gettext(translations)


def _constant_gettext(translations) -> callable:
    """Jinja's newstyle gettext, without the context: a page calls `_()` about 30 times, and
    the context lookups of the stock version were a sixth of a full build. Same result:
    the message as Markup, always %-formatted (so "%%" is "%"), variables escaped; a message
    without variables is looked up once per build."""
    constants: dict[str, Markup] = {}
    lookup = translations.gettext

    def gettext(message: str, **variables) -> Markup:
        if variables:
            return Markup(lookup(message)) % variables
        found = constants.get(message)
        if found is None:
            found = constants[message] = Markup(lookup(message)) % {}
        return found

    return gettext


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> gettext.GNUTranslations:
    # Keyed by mtime: a catalogue compiled again is read again, even in the same process.
    try:
        with open(path, "rb") as fp:
            return gettext.GNUTranslations(fp)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise RuntimeError(f"Übersetzungskatalog {path} ist nicht lesbar ({exc}). Neu kompilieren mit "
                           f"`pybabel compile -i {path.with_suffix('.po')} -o {path}` (docs/i18n.md).") from exc


@lru_cache(maxsize=None)
def _warn_missing(language: str, folder: str) -> None:
    log.warning("RATSINFO_LANGUAGE = %r, aber %s/%s/LC_MESSAGES/%s.mo fehlt: die Seiten bleiben deutsch. "
                "Katalog anlegen und kompilieren, wie docs/i18n.md es beschreibt.",
                language, folder, language, DOMAIN)
