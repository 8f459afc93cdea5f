"""Dumps of every public record under daten/: JSON Lines, CSV, SQLite, datapackage.json, and the
"Offene Daten" page that explains them (docs/opendata.md)."""

from pelican import signals

from plugins import background
from plugins.opendata.generator import OpenDataGenerator


def get_generators(pelican):
    return OpenDataGenerator


def register():
    # Listed after plugins.oparlapi in PLUGINS: it takes the API's objects when there are some.
    signals.get_generators.connect(get_generators)
    # The dumps are written in a child process beside the rest of the build (plugins/background.py): started
    # when every generator has its context, before the pages are rendered; waited for at the end of the
    # build, after Pagefind, before build_site writes the manifest. One receiver each, whichever plugin connects it.
    signals.initialized.connect(background.forget)  # what an earlier build in this process left
    signals.all_generators_finalized.connect(background.launch)  # it connects background.finish
