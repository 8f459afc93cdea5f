"""Where each object and list page of the API lies: plain files, no server-side code.

Objects lie at oparl/<type>/<id>, list pages at oparl/lists/<list>/<page>: no object's file is
ever a folder another URL needs (`/body/1` beside `/body/1/papers` cannot be two static files).
The names carry no extension, so that our own importer (importers/ids.py) reads the ids back
as they were; the server files (plugins/deploy) send everything under oparl/ as JSON.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

FOLDER = "oparl"
SYSTEM = f"{FOLDER}/system"
NAMESPACE = "https://schema.oparl.org/1.1/"
# Entries per list page. The spec recommends pages above 100 entries; a static page cannot
# honour `limit`, and clients must not expect that (2-05).
PAGE_SIZE = 100

# OParl type -> the folder of its objects and the name of its external list.
TYPES = {
    "Body": ("body", "body"), "LegislativeTerm": ("legislativeterm", "legislativeTerm"),
    "Organization": ("organization", "organization"), "Person": ("person", "person"),
    "Membership": ("membership", "membership"), "Meeting": ("meeting", "meeting"),
    "AgendaItem": ("agendaitem", "agendaItem"), "Paper": ("paper", "paper"),
    "Consultation": ("consultation", "consultation"), "File": ("file", "file"),
    "Location": ("location", "location"),
}


class Urls:
    """Absolute URLs under the public address, and the output path of each."""

    def __init__(self, base: str):
        self.base = base
        self._urls: dict[str, str] = {}  # each path quoted once: objects name each other many times

    def url(self, path: str) -> str:
        try:
            return self._urls[path]
        except KeyError:
            self._urls[path] = found = self.base + quote(path, safe="/#")
            return found

    def path(self, url: str) -> str | None:
        """The output path of one of our URLs; None for anything else."""
        if not url.startswith(self.base):
            return None
        return unquote(url[len(self.base):])

    def object(self, type_name: str, key: str) -> str:
        return self.url(f"{FOLDER}/{TYPES[type_name][0]}/{key}")

    def list_page(self, type_name: str, page: int) -> str:
        return self.url(f"{FOLDER}/lists/{TYPES[type_name][1]}/{page}")

    def type_of(self, type_name: str) -> str:
        return NAMESPACE + type_name
