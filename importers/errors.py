"""Errors an importer reports to the webmaster instead of a traceback."""


class ImportFailed(Exception):
    """The import cannot go on; content/ has not been touched."""
