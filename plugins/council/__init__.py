"""Council pages: meetings, papers, persons, organizations and files from content/."""

from pelican import signals

from plugins.council.generator import CouncilGenerator


def get_generators(pelican):
    return CouncilGenerator


def register():
    signals.get_generators.connect(get_generators)
