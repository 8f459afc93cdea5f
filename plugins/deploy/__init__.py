"""Files for the web server: .htaccess (Apache 2.4), web.config (IIS 10), 404 page, permalink redirects."""

from pelican import signals

from plugins.deploy.generator import DeployGenerator


def get_generators(pelican):
    return DeployGenerator


def register():
    signals.get_generators.connect(get_generators)
