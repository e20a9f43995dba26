# Two commands on a fresh machine: `make paper` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN    := PATH="$(CURDIR)/$(BIN):$$PATH"
# Snakemake alone (requirements-runner.lock), without pandas: `make paper` starts faster from it.
# Its jobs run with $(BIN)/python, which the file jobs-python names (analysis/workflow/jobenv.py).
RUNNER := $(VENV)/runner
SNAKEMAKE := $(RUNNER)/bin/snakemake

.PHONY: install paper archive unlock report lint test test-quarto test-cluster test-deps cluster-deps bench clean

$(STAMP): pyproject.toml requirements.lock requirements-runner.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -c "import pathlib, site; pathlib.Path(site.getsitepackages()[0], 'microstore_risk.pth').write_text('$(CURDIR)\n')"
	$(PYTHON) -m venv $(RUNNER)
	$(RUNNER)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-runner.lock
	printf '%s\n' "$(CURDIR)/$(BIN)/python" > $(RUNNER)/jobs-python
	touch $(STAMP)

install: $(STAMP)

# A failed job's one-line message (its log's "error:" lines) is repeated after Snakemake's report.
paper: $(STAMP)
	@$(RUN) $(SNAKEMAKE) --cores all || { status=$$?; grep -rhs "^error: " results/logs | sort -u >&2; exit $$status; }

# The build as a citable Workflow Run RO-Crate: results/archive/microstore-risk-<version>.crate.zip.
archive: $(STAMP)
	@$(RUN) $(SNAKEMAKE) --cores all archive || { status=$$?; grep -rhs "^error: " results/logs | sort -u >&2; exit $$status; }

# After a killed build: release Snakemake's lock on the working directory.
unlock: $(STAMP)
	$(RUN) $(SNAKEMAKE) --unlock

# Snakemake's report: every figure and the key tables with captions, by wave and section.
report: paper
	$(RUN) $(SNAKEMAKE) --report results/snakemake-report.zip

# The reader-level tests need Debian's chromium (browser), poppler-utils (PDF to PNG) and a CJK
# font (fonts-wqy-microhei: the hostile-label test sets Chinese labels in the PDF).
# R with its survey package (r-base-core, r-cran-survey): the references of the weighted waves' tests.
test-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null \
	    || ! fc-list 2>/dev/null | grep -qi wqy || ! Rscript -e 'library(survey)' >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils \
	      fonts-wqy-microhei >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends r-base-core r-cran-survey >/dev/null; \
	  else echo "note: install chromium, poppler-utils, fonts-wqy-microhei, r-base-core and r-cran-survey to run the browser, PDF and R tests"; fi; \
	fi

# Lint and format, pinned in requirements.lock: ruff (rules and format in pyproject.toml), snakefmt for the workflow.
# snakefmt keeps each rule's directives in the order written (its docstring first) and leaves the
# shell commands, which are step(...) calls, to the Python formatting (tests/unit/test_lint.py uses the same flags).
LINTED := analysis tests rules bench
SNAKEFMT := $(BIN)/snakefmt --no-sort --no-format-shell --line-length 120
lint: $(STAMP)
	$(BIN)/ruff check --no-cache $(LINTED)
	$(BIN)/ruff format --check --no-cache $(LINTED)
	$(SNAKEFMT) --check Snakefile rules/

# tests/unit (pure functions, under a minute) and tests/build (steps, builds, long references) on
# two workers; the tests that read one build share a worker (tests/conftest.py).
test: $(STAMP) test-deps
	$(RUN) $(BIN)/python -m pytest -n 2 --dist loadgroup

# The paper built with the real Quarto CLI from a clean copy (make test runs it too when quarto is on PATH).
test-quarto: $(STAMP) test-deps
	@command -v quarto >/dev/null || { echo "test-quarto: no 'quarto' on PATH (install Quarto, or see docs/rendering.md: With Quarto installed)"; exit 2; }
	$(RUN) $(BIN)/python -m pytest tests/build/test_quarto.py

# The real single-node SLURM cluster of tests/cluster needs Debian's slurm-wlm, slurmdbd, munge and MariaDB.
cluster-deps:
	@if ! command -v slurmctld >/dev/null || ! command -v slurmdbd >/dev/null || ! command -v munged >/dev/null \
	    || ! command -v mariadbd >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm slurmdbd munge mariadb-server >/dev/null; \
	  else echo "note: install slurm-wlm, slurmdbd, munge and mariadb-server (as root) to run the SLURM test"; fi; \
	fi

# The whole paper on a real SLURM (started and stopped by tests/cluster/*.sh), equal to a local build.
test-cluster: $(STAMP) test-deps cluster-deps
	$(RUN) $(BIN)/python -m pytest -ra tests/cluster/cluster_slurm.py

bench: $(STAMP)
	$(RUN) $(BIN)/python bench/run.py

clean:
	rm -rf results report/_output .snakemake
