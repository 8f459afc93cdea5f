"""What both web servers send: types, caching and security headers, in one place."""

from __future__ import annotations

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
# Its UI sets a few style attributes, which is what 'unsafe-inline' in style-src allows.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}

# Pagefind's index files carry a content hash in their names: cache them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Pages change with every import: browsers ask again after five minutes.
SHORT = "public, max-age=300"
# Theme files are not fingerprinted; a day is a compromise.
THEME = "public, max-age=86400"
