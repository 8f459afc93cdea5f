# ratsinfo: the two commands on a fresh machine are `make html` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := build/demo-oparl
PORT   ?= 8000
SCALE  ?= 2000

.PHONY: html serve test test-fast check screenshots bench bench-city clean help

help:
	@echo "make html   – Umgebung einrichten, Demo-Rat importieren, Portal nach output/ bauen"
	@echo "make serve  – output/ auf http://127.0.0.1:$(PORT) ausliefern"
	@echo "make test   – alle Tests (wie die CI)"
	@echo "make check  – schnelle Tests nach jeder Änderung (< 1 min; ohne Browser, Apache, Datenbankserver"
	@echo "              und Läufe mit dem ganzen Demo-Rat); auch: make test-fast"
	@echo "make screenshots – Bildschirmfotos jeder Seitenart nach docs/screenshots/"
	@echo "make bench  – Benchmark mit synthetischer Stadt (SCALE=$(SCALE) Vorlagen; Großstadt: make bench SCALE=60000) nach benchmarks/RESULTS.md"
	@echo "make bench-city – vollständiger Build mit Suche einer Stadt mit echtem Dokumenttext (CITY_SCALE=$(CITY_SCALE) Vorlagen)"
	@echo "make clean  – output/, build/ und importierte Inhalte löschen"

# The venv is rebuilt when the pinned dependencies change.
$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

html: $(BIN)/.installed
	$(BIN)/ratsinfo demo --out $(DEMO)
	$(BIN)/ratsinfo import oparl $(DEMO) --content content
	$(BIN)/ratsinfo build --content content --output output
	@echo
	@echo "Fertig. Das Portal liegt in output/ – ansehen mit:  make serve  (http://127.0.0.1:$(PORT)/)"

serve:
	@test -d output || { echo "output/ fehlt – erst: make html"; exit 1; }
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory output $(PORT)

# axe-core for the accessibility tests, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

test: $(BIN)/.installed node_modules/.installed
	$(BIN)/python -m pytest --durations=25

# The tier for every change, under a minute: markers are set in tests/conftest.py from what a test uses.
test-fast check: $(BIN)/.installed
	$(BIN)/python -m pytest -q -m "not browser and not apache and not database and not slow"

# Pictures of each page kind at phone and desktop width, for reviewers (needs Debian's chromium).
screenshots: html
	$(BIN)/python -m tests.support.screenshots output docs/screenshots

# Import, builds, anchors (plain Pelican, Debian's hugo) and search bytes (Debian's chromium),
# all from one run; see benchmarks/README.md. SEARCH_SCALE=0 leaves out the big search city,
# BENCH_ARGS passes more switches (e.g. --no-anchors for SCALE=60000).
SEARCH_SCALE ?= 10000
BENCH_ARGS   ?=
bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks.run --papers $(SCALE) $(if $(filter 0,$(SEARCH_SCALE)),--no-search-scale,--search-scale $(SEARCH_SCALE)) $(BENCH_ARGS)

# The full build with search of a city with real-size document text (issue 19): 14,000 papers,
# ~300 million characters; CITY_ARGS e.g. "--flat 1000 --levers after" (benchmarks/README.md).
CITY_SCALE ?= 14000
CITY_ARGS  ?= --flat 1000
bench-city: $(BIN)/.installed
	$(BIN)/python -m benchmarks.city_build --papers $(CITY_SCALE) $(CITY_ARGS)

clean:
	rm -rf output build node_modules
	find content -mindepth 1 -maxdepth 1 ! -name pages -exec rm -rf {} +
