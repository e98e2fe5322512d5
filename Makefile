# twinvipers — `make demo` and `make test` are all a new user needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# The web app's map data (Natural Earth land, world-atlas from npm), copied into the package.
WEBDATA := src/twinvipers/web/static/vendor/world-atlas/.installed-stamp
DEMO   ?= out/demo
RUNS   ?= 300
# The long war: the Twin Vipers to September 1945 (make long-war).
LONG      ?= out/long_war
LONG_RUNS ?= 200

.PHONY: demo long-war test test-fast lint format bench schema clean web-assets

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,cluster]'
	touch $(STAMP)

$(WEBDATA): tools/web/package.json tools/web/package-lock.json
	npm ci --prefix tools/web --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $(WEBDATA))
	cp tools/web/node_modules/world-atlas/land-50m.json tools/web/node_modules/world-atlas/land-110m.json \
		tools/web/node_modules/world-atlas/LICENSE $(dir $(WEBDATA))
	touch $(WEBDATA)

web-assets: $(WEBDATA)

demo: $(STAMP) $(WEBDATA)
	$(BIN)/twinvipers run twin_vipers_1939 --canon --runs $(RUNS) --seed 1 --until 1940-04-30 \
		--out $(DEMO) --force
	$(BIN)/twinvipers report $(DEMO) --dates 1939-10-03,1940-01-02,1940-04-30
	@echo "Report: $(DEMO)/report.html"
	@echo "Web app: $(BIN)/twinvipers serve --results-root $(dir $(DEMO)) --port 8019"
	@echo "         then open http://127.0.0.1:8019/ and pick '$(notdir $(DEMO))' (Ctrl-C stops it)"

# The Twin Vipers to 2 September 1945: canon to the seed's last decision (April 1940), free
# after it; the report's "What happens next" answers France, Italy, Britain, the USA, Japan and
# the Berlin-Moscow alliance, with maps on the first of January of 1942-1945.
long-war: $(STAMP) $(WEBDATA)
	$(BIN)/twinvipers run twin_vipers_1945 --canon --runs $(LONG_RUNS) --seed 1 --out $(LONG) --force
	$(BIN)/twinvipers report $(LONG) --dates 1941-12-30,1942-12-29,1943-12-28,1944-12-26
	@echo "Report: $(LONG)/report.html (section 'What happens next')"

# Two workers (pytest-xdist): the suite runs on a 2-core CI machine in about half the time.
test: $(STAMP) $(WEBDATA)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m pytest -q -n 2

# The fast lane: lint, format check and every test not marked slow (no ensembles, subprocesses
# or long runs of the big scenarios).
test-fast: $(STAMP) $(WEBDATA)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_compile.py
	$(BIN)/python benchmarks/bench_rules.py --scenario benchmarks/scenarios/world_at_war
	$(BIN)/python benchmarks/bench_rules.py --scenario historical_1939
	$(BIN)/python benchmarks/bench_versus.py --scenario benchmarks/scenarios/world_at_war
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_engine.py --scenario benchmarks/scenarios/world_at_war \
		--skip-cold --sizes 1,100 --engine-runs 20
	$(BIN)/python benchmarks/bench_engine.py --scenario tests/scenarios/sea_war \
		--skip-cold --sizes 1000
	$(BIN)/python benchmarks/bench_combat.py
	$(BIN)/python benchmarks/bench_supply.py
	$(BIN)/python benchmarks/bench_naval.py
	$(BIN)/python benchmarks/bench_plausibility.py

schema: $(STAMP)
	$(BIN)/twinvipers schema --out docs/scenario.schema.json

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache tools/web/node_modules $(dir $(WEBDATA))
