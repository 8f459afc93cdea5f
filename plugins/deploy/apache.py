"""The .htaccess for Apache 2.4 (mod_mime, mod_headers, mod_dir, mod_rewrite, mod_include; AllowOverride All)."""

from __future__ import annotations

import re

from plugins.deploy.headers import (
    API_HEADERS,
    DOCUMENTS_CONTENT_SECURITY_POLICY,
    IMMUTABLE,
    INLINE_DOCUMENTS,
    MIME_TYPES,
    SECURITY_HEADERS,
    SHORT,
    THEME,
)
from ratsinfo.contracts import NOT_FOUND_SSI


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def htaccess(base_path: str, redirects: dict[str, str], gone: list[str] = ()) -> str:
    lines = [
        "# Geschrieben von ratsinfo build – Änderungen gehen beim nächsten Build verloren.",
        "# Braucht: AllowOverride All (oder FileInfo Indexes Options) und mod_mime, mod_headers, mod_dir;",
        "# mod_rewrite und mod_include für die 404-Seite unter jedem Pfad, mod_rewrite auch für",
        "# Weiterleitungen geänderter Adressen.",
        "DirectoryIndex index.html",
        "Options -Indexes",
        "AddDefaultCharset utf-8",
        "AddCharset utf-8 .html .css .js .txt .json .ics .atom .xml",
    ]
    for extension, mime in MIME_TYPES.items():
        lines.append(f"AddType {mime.split(';')[0]} {extension}")
    lines += [
        "",
        "# The portal's own path, whatever folder it is served from (intranet mirrors):",
        "# this directory's URL is the request URL minus the part below this directory.",
        "<IfModule mod_rewrite.c>",
        "  RewriteEngine On",
        "  # (RATSINFO_BASE has no leading slash: ErrorDocument must start with a literal one.)",
        "  RewriteCond $0#%{REQUEST_URI} ^([^#]*)#/(.*)\\1$",
        "  RewriteRule ^.*$ - [E=RATSINFO_BASE:%2]",
        "  # A 404 answers at any depth under the requested address, so the page's links cannot be",
        "  # relative: mod_include writes this base into them (_ratsinfo/.htaccess). Without it the",
        "  # page built for BASE_PATH.",
        "  <IfModule mod_include.c>",
        f"    ErrorDocument 404 /%{{ENV:RATSINFO_BASE}}{NOT_FOUND_SSI}",
        "  </IfModule>",
        "  <IfModule !mod_include.c>",
        "    ErrorDocument 404 /%{ENV:RATSINFO_BASE}404.html",
        "  </IfModule>",
        "</IfModule>",
        "<IfModule !mod_rewrite.c>",
        f"  ErrorDocument 404 {base_path}404.html",
        "</IfModule>",
        "",
        "<IfModule mod_headers.c>",
    ]
    for name, value in SECURITY_HEADERS.items():
        lines.append(f"  Header always set {name} {_quote(value)}")
    lines += [
        f"  Header set Cache-Control {_quote(SHORT)}",
        '  <FilesMatch "\\.(css|js|svg|png|jpg|woff2)$">',
        f"    Header set Cache-Control {_quote(THEME)}",
        "  </FilesMatch>",
        "  # Pagefind's entry files keep their names across builds; its index files carry a hash.",
        '  <FilesMatch "^pagefind[^/]*\\.(js|css|json)$|\\.pagefind$">',
        f"    Header set Cache-Control {_quote(SHORT)}",
        "  </FilesMatch>",
        '  <FilesMatch "\\.(pf_meta|pf_index|pf_fragment|pf_filter)$">',
        f"    Header set Cache-Control {_quote(IMMUTABLE)}",
        "  </FilesMatch>",
        "</IfModule>",
    ]
    if gone:
        # Before the redirects: a withheld page answers 410 under every path the portal is served from,
        # so that caches and search engines drop their copies (docs/takedown.md).
        lines += ["", "# Auf Antrag entfernt (Löschliste, Aufbewahrungsfristen): 410 Gone.", "<IfModule mod_rewrite.c>",
                  "  RewriteEngine On"]
        lines += [f"  RewriteRule ^{re.escape(path)}$ - [G,L]" for path in gone]
        lines += ["</IfModule>", "<IfModule !mod_rewrite.c>"]
        lines += [f"  Redirect gone {_quote(base_path + path)}" for path in gone]
        lines.append("</IfModule>")
    if redirects:
        lines += [
            "",
            "# Weiterleitungen für Adressen, die sich geändert haben (bleiben über Builds erhalten).",
            "<IfModule mod_rewrite.c>",
        ]
        for old, new in sorted(redirects.items()):
            lines.append(f"  RewriteRule ^{re.escape(old)}$ /%{{ENV:RATSINFO_BASE}}{new} [R=301,L]")
        lines.append("</IfModule>")
    return "\n".join(lines) + "\n"


def api_htaccess() -> str:
    """The .htaccess of oparl/ (plugins/oparlapi): its files have no extension, so that ids read
    back as they are; every one is JSON, and any web page may read it (OParl 2-06)."""
    return "\n".join([
        "# Geschrieben von ratsinfo build – Änderungen gehen beim nächsten Build verloren.",
        "# Die OParl-Schnittstelle: alles hier ist JSON, für jede Webseite lesbar (CORS). Braucht mod_headers.",
        'ForceType "application/json; charset=utf-8"',
        "<IfModule mod_headers.c>",
        *(f"  Header set {name} {_quote(value)}" for name, value in API_HEADERS.items()),
        "</IfModule>",
    ]) + "\n"


def not_found_htaccess() -> str:
    """The .htaccess of _ratsinfo/: server-side includes for the 404 page there and nothing else,
    without exec. Not in the site's .htaccess: a <Files> there would also match a document of that
    name in dateien/, and a source's document must never run as an include."""
    name = NOT_FOUND_SSI.rsplit("/", 1)[1]
    return "\n".join([
        "# Geschrieben von ratsinfo build – Änderungen gehen beim nächsten Build verloren.",
        "# Die 404-Seite mit dem Pfad, unter dem das Portal ausgeliefert wird (mod_include).",
        "<IfModule mod_include.c>",
        f'  <Files "{name}">',
        "    Options +IncludesNOEXEC",
        "    ForceType text/html",
        "    SetOutputFilter INCLUDES",
        "  </Files>",
        "</IfModule>",
    ]) + "\n"


def documents_htaccess() -> str:
    """The .htaccess of dateien/ (headers.DOCUMENTS_FOLDER): Apache merges it after the site's,
    so its headers replace the site's there. Only mod_headers; no path to know."""
    inline = "|".join(INLINE_DOCUMENTS)
    return "\n".join([
        "# Geschrieben von ratsinfo build – Änderungen gehen beim nächsten Build verloren.",
        "# Dokumente aus der Quelle: in einer Sandbox (kein Skript, eigener Ursprung). PDF und Bilder",
        "# zeigt der Browser selbst, alles andere wird heruntergeladen. Braucht mod_headers.",
        "<IfModule mod_headers.c>",
        f"  Header always set Content-Security-Policy {_quote(DOCUMENTS_CONTENT_SECURITY_POLICY)}",
        "  Header set Content-Disposition attachment",
        f'  <FilesMatch "(?i)\\.({inline})$">',
        "    Header set Content-Disposition inline",
        "  </FilesMatch>",
        "  # Die Lesesichten (<id>.html) sind Seiten des Portals.",
        '  <FilesMatch "\\.html$">',
        "    Header unset Content-Disposition",
        "  </FilesMatch>",
        "</IfModule>",
    ]) + "\n"
