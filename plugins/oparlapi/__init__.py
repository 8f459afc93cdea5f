"""A static OParl 1.1 API of every public record, under oparl/ (docs/opendata.md)."""

from pelican import signals

from plugins import background
from plugins.oparlapi.generator import OParlGenerator


def get_generators(pelican):
    return OParlGenerator


def register():
    # Listed after plugins.council in PLUGINS: our generator finds the graph in the context.
    signals.get_generators.connect(get_generators)
    # The API is written in a child process beside the rest of the build (plugins/background.py): started
    # when every generator has its context, before the pages are rendered; waited for at the end of
    # the build, after Pagefind, before build_site writes the manifest.
    signals.initialized.connect(background.forget)  # what an earlier build in this process left
    signals.all_generators_finalized.connect(background.launch)  # it connects background.finish
