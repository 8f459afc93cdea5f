"""argparse in German: the webmaster reads one language, argparse's own texts included.

argparse takes every text it prints through `gettext` (`_` and `ngettext` in its module), looked
up at the moment it prints. While our parser parses or prints help, those two names answer from
the catalogue below; afterwards they are put back, so other parsers in the same process (pytest's)
stay as they were. A text missing from the catalogue comes out unchanged, and
tests/test_cli_language.py shows that no English phrase reaches the webmaster.
"""

from __future__ import annotations

import argparse
import contextlib
import sys

# argparse's message ids (Python 3.11–3.13) → German, with the same %-placeholders.
GERMAN = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe anzeigen und beenden",
    "show program's version number and exit": "Versionsnummer anzeigen und beenden",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "es fehlt: %s",
    "one of the arguments %s is required": "eines davon ist nötig: %s",
    "unrecognized arguments: %s": "unbekannt: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r gibt es nicht (möglich: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "%(parser_name)r gibt es nicht (möglich: %(choices)s)",
    "invalid %(type)s value: %(value)r": "%(value)r ist kein gültiger Wert (%(type)s)",
    "expected one argument": "nach dieser Option fehlt ihr Wert",
    "expected at most one argument": "höchstens ein Wert erlaubt",
    "expected at least one argument": "mindestens ein Wert nötig",
    "expected %s argument": "%s Wert erwartet",
    "expected %s arguments": "%s Werte erwartet",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s ist mehrdeutig, gemeint ist eine von: %(matches)s",
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "ignored explicit argument %r": "Wert %r ist hier nicht erlaubt",
    "unexpected option string: %s": "unerwartete Option: %s",
    "%r is not callable": "%r ist nicht aufrufbar",
    "can't open '%(filename)s': %(error)s": "'%(filename)s' lässt sich nicht öffnen: %(error)s",
    "argument \"-\" with mode %r": "„-“ mit Modus %r",
    "cannot have multiple subparser arguments": "nur eine Gruppe von Befehlen erlaubt",
    "subcommands": "Befehle",
}
# argparse names the type in "invalid %(type)s value" by its function's name.
TYPE_NAMES = {"int": "ganze Zahl", "float": "Zahl"}


def _german(message):
    return GERMAN.get(message, message)


def _german_plural(singular, plural, n):
    return _german(singular if n == 1 else plural)


@contextlib.contextmanager
def german_argparse():
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _german, _german_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class GermanHelp(argparse.RawDescriptionHelpFormatter):
    """Help keeps our own line breaks (description, epilog)."""


class GermanParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks German and answers a mistake with the help that fits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", GermanHelp)
        with german_argparse():
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with german_argparse():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with german_argparse():
            return super().parse_known_args(args, namespace)

    def format_help(self):
        with german_argparse():
            return super().format_help()

    def format_usage(self):
        with german_argparse():
            return super().format_usage()

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            name = getattr(action.type, "__name__", "")
            exc.message = exc.message.replace(f"({name})", f"({TYPE_NAMES.get(name, name)})")
            raise

    def error(self, message):
        self.print_usage(sys.stderr)
        with german_argparse():
            text = _german("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message}
        self.exit(2, f"{text}Hilfe: {self.prog} --help\n")
