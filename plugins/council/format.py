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


def period_de(value, translations=UNTRANSLATED) -> str:
    """(first day, last day) as "01.08.2019 – 31.07.2024", "seit 01.08.2019" or "bis 31.07.2024"."""
    start, end = (date_de(day, translations) for day in value)
    if start and end:
        return translations.gettext("%(start)s – %(end)s") % {"start": start, "end": end}
    if start:
        return translations.gettext("seit %(start)s") % {"start": start}
    return translations.gettext("bis %(end)s") % {"end": end} if end else ""


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


# A body's name begins with what it is (OParl Body.name: "Große Kreisstadt Muldenau", "Landkreis
# Leipzig"); in German that kind decides the article of "… der Stadt Muldenau". Longest first.
_BODY_GENITIVE = sorted({
    **{kind: "der " + kind for kind in (
        "Stadt", "Gemeinde", "Kreisstadt", "Hansestadt", "Landeshauptstadt", "Bundesstadt", "Universitätsstadt",
        "Freie Hansestadt", "Verbandsgemeinde", "Samtgemeinde", "Ortsgemeinde", "Marktgemeinde",
        "Verbandsgemeindeverwaltung", "Verwaltungsgemeinschaft", "Region", "Städteregion", "Hauptstadt")},
    "Große Kreisstadt": "der Großen Kreisstadt", "Kreisfreie Stadt": "der Kreisfreien Stadt",
    "Große kreisangehörige Stadt": "der Großen kreisangehörigen Stadt",
    "Landkreis": "des Landkreises", "Kreis": "des Kreises", "Markt": "des Marktes", "Bezirk": "des Bezirks",
    "Amt": "des Amtes", "Zweckverband": "des Zweckverbands", "Regionalverband": "des Regionalverbands",
}.items(), key=lambda item: -len(item[0]))


def of_body_de(name) -> str | None:
    """The body's name as a German genitive ("der Großen Kreisstadt Muldenau"), when its first
    words say what kind of body it is; None otherwise (the footer then names it without grammar)."""
    if not isinstance(name, str):
        return None
    stripped = " ".join(name.split())
    for kind, genitive in _BODY_GENITIVE:
        if stripped.startswith(kind + " ") and len(stripped) > len(kind) + 1:
            return genitive + stripped[len(kind):]
    return None


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
    "period_de": _in_page_language(period_de),
    "filesize_de": _in_page_language(filesize_de),
    "safe_url": safe_url,
    "ui_text": _in_page_language(ui_text),
}
