"""The webmaster reads one language: every text the command line prints is German, argparse's own
included, and every error says what to do next."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys

import pytest

from ratsinfo.cli import main

# What argparse prints in English when a text escapes translation (its message ids, in pieces).
ENGLISH = ("usage", "error:", "the following", "required:", "invalid", "choose from", "unrecognized",
           "expected", "ambiguous", "could match", "show this help", "positional arguments", "options:",
           "not allowed", "ignored explicit", "unknown parser", "program's version", "not callable",
           "value:")

COMMANDS = [[], ["import"], ["import", "oparl"], ["import", "sql"], ["build"], ["check"], ["publish"],
            ["rollback"], ["update"], ["demo"]]


def run_cli(capsys, *argv) -> tuple[int, str]:
    """main() as the shell calls it; argparse ends help and errors with SystemExit."""
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = stop.code
    out = capsys.readouterr()
    return code, out.out + out.err


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text.lower()]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ratsinfo")
def test_help_of_every_command_has_no_english_argparse_phrase(capsys, command):
    code, text = run_cli(capsys, *command, "--help")
    assert code == 0
    assert "Aufruf: ratsinfo" in text
    assert english_in(text) == []


MISTAKES = {
    "kein Befehl": [],
    "unbekannter Befehl": ["bild"],
    "unbekannte Quelle": ["import", "opral", "https://ris.example.de/oparl"],
    "Pflichtoption fehlt": ["publish"],
    "Pflichtargument fehlt": ["import", "oparl"],
    "unbekannte Option": ["build", "--schnell"],
    "überzähliges Argument": ["check", "output", "noch-eins"],
    "Option ohne Wert": ["build", "--content"],
    "keine Zahl": ["import", "oparl", "dump", "--rate", "schnell"],
    "keine ganze Zahl": ["publish", "--to", "ziel", "--keep", "drei"],
    "mehrdeutige Option": ["import", "oparl", "dump", "--max", "5"],
}


@pytest.mark.parametrize("argv", MISTAKES.values(), ids=MISTAKES.keys())
def test_typical_mistakes_are_answered_in_german_with_the_next_step(capsys, argv):
    code, text = run_cli(capsys, *argv)
    assert code == 2
    assert english_in(text) == []
    assert "Fehler:" in text
    # What to do next: the help of exactly the command that was mistyped.
    assert re.search(r"Hilfe: ratsinfo[ \w]* --help", text), text


def test_invalid_choice_names_the_choices_in_german(capsys):
    code, text = run_cli(capsys, "import", "opral", "x")
    assert "'opral' gibt es nicht" in text and "'oparl'" in text and "'sql'" in text


def test_version_prints_the_installed_package_version(capsys):
    code, text = run_cli(capsys, "--version")
    assert code == 0
    assert text.strip() == f"ratsinfo {importlib.metadata.version('ratsinfo')}"


def test_help_documents_the_exit_codes(capsys):
    code, text = run_cli(capsys, "--help")
    assert "Exit-Codes" in text
    assert re.search(r"0\s+alles in Ordnung", text)
    assert re.search(r"1\s+.*Probleme gefunden", text)
    assert re.search(r"2\s+Fehler", text)


def test_installed_command_speaks_german_in_a_separate_process():
    # The gettext swap must also work when argparse runs from the entry point, not only in-process.
    result = subprocess.run([sys.executable, "-m", "ratsinfo.cli", "build", "--content"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert english_in(result.stderr) == [] and "Fehler:" in result.stderr
