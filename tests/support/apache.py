"""A real Apache httpd (Debian's apache2) on 127.0.0.1, serving a site under /ratsinfo/ with .htaccess honoured."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
NEEDED = ("mpm_event", "authz_core", "mime", "headers", "dir", "rewrite", "alias", "autoindex", "include")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def apache_available() -> bool:
    return Path(APACHE).is_file() and all((MODULES / f"mod_{m}.so").is_file() for m in NEEDED)


def require_apache():
    if not apache_available():
        if os.environ.get("CI"):
            pytest.fail("Apache fehlt (apt-get install apache2); .ci/run sollte es installieren")
        pytest.skip("Apache fehlt (apt-get install apache2)")


@contextmanager
def apache_serving(site: Path, subpath: str = "ratsinfo", left_out: tuple[str, ...] = (), port: int | None = None):
    """Yield the base URL (http://127.0.0.1:PORT/ratsinfo/) of `site` behind a real Apache,
    without the modules in `left_out` (as a host that has not enabled them); at `port` for a site
    built for that address (its PUBLIC_URL), else at a free one."""
    require_apache()
    # Apache drops root for www-data, which cannot enter pytest's private tmp folders.
    root = Path(tempfile.mkdtemp(prefix="ratsinfo-apache-"))
    try:
        os.chmod(root, 0o755)
        docroot = root / "htdocs"
        docroot.mkdir()
        published = root / subpath
        shutil.copytree(site, published, symlinks=True)
        subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
        port = port or _free_port()
        modules = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in NEEDED if m not in left_out)
        (root / "httpd.conf").write_text(f"""
ServerRoot {root}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {root}/httpd.pid
ErrorLog {root}/error.log
LogLevel warn
{modules}
User www-data
Group www-data
TypesConfig /etc/mime.types
DocumentRoot {docroot}
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory {docroot}>
  Require all granted
</Directory>
Alias /{subpath}/ {published}/
<Directory {published}>
  AllowOverride All
  Require all granted
</Directory>
""", encoding="utf-8")
        process = subprocess.Popen([APACHE, "-f", str(root / "httpd.conf"), "-DFOREGROUND"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}/{subpath}/"
        for _ in range(100):
            try:
                httpx.get(base, timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise RuntimeError(f"Apache startet nicht: {process.stderr.read().decode()}")
                time.sleep(0.1)
        try:
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            errors = (root / "error.log").read_text(encoding="utf-8", errors="replace")
            if "alert" in errors or "crit" in errors:
                raise AssertionError(f"Apache meldet Fehler:\n{errors}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
