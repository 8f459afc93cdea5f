"""Scratch databases on the local PostgreSQL and MariaDB servers, one per test.

Each `scratch_database` creates a uniquely named database and drops it
afterwards, so parallel runs never meet. A server that cannot be reached
skips the test on a developer's machine and fails it in CI (CI=true), where
.ci/run has started the servers.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

SERVERS = {
    # PostgreSQL: trust auth for postgres on 127.0.0.1, maintenance database `test`.
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    # MariaDB: root without password on 127.0.0.1, database `test`.
    "mariadb": "mariadb+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4",
}
START_HINTS = {
    "postgresql": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "mariadb": "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
}


def _unreachable(system: str, exc: Exception):
    message = (f"{system}-Server unter {sa.make_url(SERVERS[system]).render_as_string()} nicht erreichbar "
               f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}). "
               f"Starten mit: {START_HINTS[system]}")
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@contextmanager
def scratch_database(system: str):
    """The URL of a new, empty database on the local server of `system`; dropped afterwards."""
    name = f"ratsinfo_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(SERVERS[system], isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as connection:
            if system == "postgresql":
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
            else:
                connection.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 "
                                           "COLLATE utf8mb4_unicode_ci"))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        _unreachable(system, exc)
    url = sa.make_url(SERVERS[system]).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            if system == "postgresql":
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                connection.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()
