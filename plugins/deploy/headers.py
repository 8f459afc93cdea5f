"""What both web servers send: types, caching and security headers, in one place."""

from __future__ import annotations

from plugins.urls import URL_FOLDERS

# Pagefind's files (IIS refuses unknown extensions: Pagefind #354, #527), calendars, feeds.
MIME_TYPES = {
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
    ".pagefind": "application/octet-stream",
    ".wasm": "application/wasm",
    ".ics": "text/calendar; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}

# No inline script anywhere, so no 'unsafe-inline' for scripts. Pagefind needs
# 'wasm-unsafe-eval' for its WebAssembly and blob: workers (Pagefind hosting docs).
# No style attributes either (the search page is our own list, not Pagefind's UI).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])

# dateien/ holds the documents a source supplies (PDF, images, office files; beside them our
# reading views, <id>.html). They are served in a sandbox: no script in them runs, and the browser
# gives each an origin of its own, so even a document that is HTML after all cannot reach the
# portal. Reading views need no script and no form, so one policy fits the whole folder.
DOCUMENTS_FOLDER = URL_FOLDERS["file"]
DOCUMENTS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY + "; sandbox"

# What the browser shows itself, without script: PDF in its viewer (Chromium shows a sandboxed
# PDF; Safari downloads it instead), images as images. Every other document is a download
# (Content-Disposition: attachment), whatever its name: a source may slip in .svg, .htm, .xml.
INLINE_DOCUMENTS = ("pdf", "png", "jpg", "jpeg", "gif")

# The types the importers mirror (importers/files.py recognises them by content) and the reading
# views: on IIS, which refuses any extension it has no type for, dateien/ serves only these.
DOCUMENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}

# The 404 page for Apache with mod_include (ratsinfo/contracts.NOT_FOUND_SSI): its links carry
# the path the portal is served under, found at run time (apache.py), so the same output works
# under any path. 404.html beside the pages has the links built for BASE_PATH, for IIS and
# servers without server-side includes. What the page writes where a link needs the portal's absolute path: RATSINFO_BASE has no
# leading slash (ErrorDocument needs a literal one); entity-encoded, as every echo should be.
NOT_FOUND_SSI_ROOT = '/<!--#echo var="RATSINFO_BASE" encoding="entity" -->'

# Pagefind's index files carry a content hash in their names: cache them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Pages change with every import: browsers ask again after five minutes.
SHORT = "public, max-age=300"
# Theme files are not fingerprinted; a day is a compromise.
THEME = "public, max-age=86400"

# The OParl API (plugins/oparlapi): readable from any web page, for GET (OParl 2-06).
API_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS"}
