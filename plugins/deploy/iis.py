"""The web.config for IIS 10 (static content; redirects need the URL Rewrite module)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from plugins.deploy.headers import (
    DOCUMENT_TYPES,
    DOCUMENTS_CONTENT_SECURITY_POLICY,
    DOCUMENTS_FOLDER,
    IMMUTABLE,
    MIME_TYPES,
    SECURITY_HEADERS,
    API_HEADERS,
)


def web_config(base_path: str, redirects: dict[str, str], api_folder: str | None = None, gone: list[str] = ()) -> str:
    configuration = ET.Element("configuration")
    server = ET.SubElement(configuration, "system.webServer")

    default_document = ET.SubElement(server, "defaultDocument", enabled="true")
    files = ET.SubElement(default_document, "files")
    ET.SubElement(files, "clear")
    ET.SubElement(files, "add", value="index.html")
    ET.SubElement(server, "directoryBrowse", enabled="false")

    static = ET.SubElement(server, "staticContent")
    for extension, mime in MIME_TYPES.items():
        # IIS already knows some of these; remove first so the site works either way.
        ET.SubElement(static, "remove", fileExtension=extension)
        ET.SubElement(static, "mimeMap", fileExtension=extension, mimeType=mime)
    ET.SubElement(static, "clientCache", cacheControlMode="UseMaxAge", cacheControlMaxAge="00:05:00")

    protocol = ET.SubElement(server, "httpProtocol")
    headers = ET.SubElement(protocol, "customHeaders")
    for name, value in SECURITY_HEADERS.items():
        ET.SubElement(headers, "remove", name=name)
        ET.SubElement(headers, "add", name=name, value=value)

    errors = ET.SubElement(server, "httpErrors", errorMode="Custom", existingResponse="Replace")
    ET.SubElement(errors, "remove", statusCode="404")
    ET.SubElement(errors, "error", statusCode="404", path=f"{base_path}404.html", responseMode="ExecuteURL")

    if redirects or gone:
        rewrite = ET.SubElement(server, "rewrite")
        rules = ET.SubElement(rewrite, "rules")
        # Withheld on request (takedown ledger, retention): 410 Gone, before any redirect.
        for index, path in enumerate(gone, start=1):
            rule = ET.SubElement(rules, "rule", name=f"ratsinfo-entfernt-{index}", stopProcessing="true")
            ET.SubElement(rule, "match", url=f"^{re.escape(path)}$")
            ET.SubElement(rule, "action", type="CustomResponse", statusCode="410", statusReason="Gone",
                          statusDescription="Auf Antrag entfernt")
        for index, (old, new) in enumerate(sorted(redirects.items()), start=1):
            rule = ET.SubElement(rules, "rule", name=f"ratsinfo-weiterleitung-{index}", stopProcessing="true")
            ET.SubElement(rule, "match", url=f"^{re.escape(old)}$")
            ET.SubElement(rule, "action", type="Redirect", url=f"{base_path}{new}", redirectType="Permanent")

    # Pagefind's hashed index files never change under the same name.
    max_age = IMMUTABLE.split("max-age=")[1].split(",")[0]
    for folder in ("pagefind/fragment", "pagefind/index", "pagefind/filter"):
        location = ET.SubElement(configuration, "location", path=folder)
        cache = ET.SubElement(ET.SubElement(location, "system.webServer"), "staticContent")
        ET.SubElement(cache, "clientCache", cacheControlMode="UseMaxAge",
                      cacheControlMaxAge=_timespan(int(max_age)), cacheControlCustom="immutable")

    _documents(configuration)
    if api_folder:
        _api(configuration, api_folder)

    ET.indent(configuration)
    comment = "<!-- Geschrieben von ratsinfo build. Weiterleitungen brauchen das IIS-Modul URL Rewrite. -->\n"
    return '<?xml version="1.0" encoding="utf-8"?>\n' + comment + ET.tostring(configuration, encoding="unicode") + "\n"


def _documents(configuration: ET.Element):
    """dateien/ in a sandbox (headers.DOCUMENTS_CONTENT_SECURITY_POLICY). IIS cannot set a header
    by file type without the URL Rewrite module, so instead of Content-Disposition by type (as
    Apache does) the folder knows only the types a build puts there: anything else answers 404.3."""
    location = ET.SubElement(configuration, "location", path=DOCUMENTS_FOLDER)
    server = ET.SubElement(location, "system.webServer")
    headers = ET.SubElement(ET.SubElement(server, "httpProtocol"), "customHeaders")
    ET.SubElement(headers, "remove", name="Content-Security-Policy")
    ET.SubElement(headers, "add", name="Content-Security-Policy", value=DOCUMENTS_CONTENT_SECURITY_POLICY)
    static = ET.SubElement(server, "staticContent")
    ET.SubElement(static, "clear")
    for extension, mime in DOCUMENT_TYPES.items():
        ET.SubElement(static, "mimeMap", fileExtension=extension, mimeType=mime)


def _api(configuration: ET.Element, folder: str):
    """The OParl API (plugins/oparlapi): files without extension ("." in IIS), all JSON, readable
    by any web page (CORS, OParl 2-06)."""
    location = ET.SubElement(configuration, "location", path=folder)
    server = ET.SubElement(location, "system.webServer")
    static = ET.SubElement(server, "staticContent")
    ET.SubElement(static, "remove", fileExtension=".")
    ET.SubElement(static, "mimeMap", fileExtension=".", mimeType="application/json; charset=utf-8")
    headers = ET.SubElement(ET.SubElement(server, "httpProtocol"), "customHeaders")
    for name, value in API_HEADERS.items():
        ET.SubElement(headers, "remove", name=name)
        ET.SubElement(headers, "add", name=name, value=value)


def _timespan(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{days}.{hours:02d}:{minutes:02d}:{seconds:02d}"
