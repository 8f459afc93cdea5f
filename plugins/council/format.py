"""Jinja filters: dates and sizes in the page's language (German msgids), and the only kinds of links we emit."""

from __future__ import annotations

from datetime import date, datetime

from jinja2 import pass_environment

from plugins.i18n import UNTRANSLATED, translations_of


def N_(message: str) -> str:
    """Marks a text for the catalogue (`pybabel extract`, docs/i18n.md); it is translated where it is shown."""
    return message


WEEKDAYS = (N_("Montag"), N_("Dienstag"), N_("Mittwoch"), N_("Donnerstag"), N_("Freitag"), N_("Samstag"),
            N_("Sonntag"))
MONTHS = (N_("Januar"), N_("Februar"), N_("März"), N_("April"), N_("Mai"), N_("Juni"), N_("Juli"), N_("August"),
          N_("September"), N_("Oktober"), N_("November"), N_("Dezember"))

# Each function takes the catalogue at call time (`translations`): the page's environment decides
# the language, not the moment this module was imported. Without one they write German.


def date_de(value, translations=UNTRANSLATED) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return ""
    return translations.gettext("%(day)s.%(month)s.%(year)s") % {
        "day": f"{value.day:02d}", "month": f"{value.month:02d}", "year": value.year}


def datetime_de(value, translations=UNTRANSLATED) -> str:
    if not isinstance(value, datetime):
        return date_de(value, translations)
    weekday = translations.gettext(WEEKDAYS[value.weekday()])
    return translations.gettext("%(weekday)s, %(date)s, %(time)s") % {
        "weekday": weekday, "date": date_de(value, translations), "time": time_de(value, translations)}


def time_de(value, translations=UNTRANSLATED) -> str:
    if not isinstance(value, datetime):
        return ""
    return translations.gettext("%(time)s Uhr") % {"time": f"{value.hour:02d}:{value.minute:02d}"}


def month_de(value, translations=UNTRANSLATED) -> str:
    if not isinstance(value, (date, datetime)):
        return ""
    month = translations.gettext(MONTHS[value.month - 1])
    return translations.gettext("%(month)s %(year)s") % {"month": month, "year": value.year}


def filesize_de(size, translations=UNTRANSLATED) -> str:
    if not isinstance(size, int) or size < 0:
        return ""
    if size < 1024:
        return translations.gettext("%(size)s Byte") % {"size": size}
    if size < 1024 * 1024:
        return translations.gettext("%(size)s KB") % {"size": f"{size / 1024:.0f}"}
    megabytes = f"{size / 1024 / 1024:.1f}".replace(".", translations.pgettext("Dezimaltrennzeichen", ","))
    return translations.gettext("%(size)s MB") % {"size": megabytes}


def safe_url(value) -> str | None:
    """Only http(s) and mailto links leave our pages; anything else is dropped."""
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    lowered = stripped.lower()
    if lowered.startswith(("http://", "https://", "mailto:")) and not any(c in stripped for c in " \n\r\t<>\"'"):
        return stripped
    return None


def ui_text(value, translations=UNTRANSLATED) -> str:
    """One of our own texts that Python chose (a group name, a document's role), marked with N_.
    Never for data from the source: a committee's name is not a msgid."""
    return translations.gettext(value) if value else ""


def _in_page_language(function):
    """The filter as Jinja calls it: with the catalogue installed in the page's environment."""
    @pass_environment
    def translated(environment, value):
        return function(value, translations_of(environment))
    translated.__name__ = function.__name__
    return translated


FILTERS = {
    "date_de": _in_page_language(date_de),
    "datetime_de": _in_page_language(datetime_de),
    "time_de": _in_page_language(time_de),
    "month_de": _in_page_language(month_de),
    "filesize_de": _in_page_language(filesize_de),
    "safe_url": safe_url,
    "ui_text": _in_page_language(ui_text),
}
