#!/usr/bin/env bash
# Meine Stadt Transparent (MST), a third-party OParl client, for tests/test_oparl_mst.py: its
# importer in a venv of its own (its pins clash with ours), with an empty, migrated SQLite database
# to copy (migrating takes half a minute). The venv lies in a cache folder that survives CI runs; a
# marker written after a good install makes reruns instant. .ci/run calls this before the tests,
# the test's fixture calls it again (so `make test` installs it too). Prints the venv's folder.
set -euo pipefail

MST_VERSION=0.2.14
venv="${RATSINFO_MST_ENV:-${XDG_CACHE_HOME:-$HOME/.cache}/ratsinfo-ci/mst-$MST_VERSION}"
marker="$venv/.installed"

if [ -f "$marker" ] && [ -x "$venv/bin/mst-manage" ] && [ -f "$venv/template.sqlite3" ]; then
  echo "$venv"
  exit 0
fi

# To build mysqlclient and psycopg2 (MST requires both, even on SQLite), and ImageMagick, which
# MST's importer loads through Wand.
need=()
for pkg in libmariadb-dev libpq-dev pkg-config build-essential libmagickwand-6.q16-6; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Für Meine Stadt Transparent fehlen Debian-Pakete: apt-get install ${need[*]}" >&2
    exit 3
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"${MST_PYTHON:-python3}" -m venv "$venv" >&2
# pip before 24.1: the django-elasticsearch-dsl releases MST needs carry metadata that newer pip rejects.
"$venv/bin/python" -m pip install --quiet "pip<24.1" >&2
# numpy 2 breaks the geo packages this release pulls in.
"$venv/bin/python" -m pip install --quiet "meine-stadt-transparent==$MST_VERSION" "numpy<2" >&2
(
  cd "$venv"
  REAL_HOST=localhost SECRET_KEY=ratsinfo-test ENV_PATH="$venv/keine.env" NO_LOG_FILES=True \
    ELASTICSEARCH_ENABLED=False DATABASE_URL="sqlite:///$venv/template.sqlite3" \
    "$venv/bin/mst-manage" migrate --verbosity 0 >&2
)
touch "$marker"
echo "$venv"
