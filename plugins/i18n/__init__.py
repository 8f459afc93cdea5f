"""The portal's own texts in the town's language: gettext catalogues in theme/translations/.

The German texts are the msgids, so without a catalogue every page is German, byte for byte.
`register()` installs the catalogue on Pelican's own generators too (page.html extends base.html);
CouncilGenerator and DeployGenerator install it themselves. docs/i18n.md tells a town how to add
a language.
"""

from pelican import signals

from plugins.i18n.catalogue import (UNTRANSLATED, Extension, install_translations, load_translations, page_language,
                                    translations_of)

__all__ = ["UNTRANSLATED", "Extension", "translations_of", "install_translations", "load_translations", "page_language", "register"]


def install_on_generator(generator):
    install_translations(generator.env, generator.settings)


def register():
    signals.generator_init.connect(install_on_generator)
