"""Council pages: meetings, papers, persons, organizations and files from content/."""

from pelican import signals

from plugins.council.generator import CouncilGenerator
from plugins.council.links import drop_linked_static_files, keep_pelican_from_links


def get_generators(pelican):
    return CouncilGenerator


def register():
    signals.get_generators.connect(get_generators)
    # Symbolic links in content/ never reach output/ (plugins/council/links.py).
    signals.initialized.connect(keep_pelican_from_links)
    signals.static_generator_finalized.connect(drop_linked_static_files)
