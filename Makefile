# Two commands on a fresh machine: `make paper` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN    := PATH="$(CURDIR)/$(BIN):$$PATH"

.PHONY: install paper test bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -c "import pathlib, site; pathlib.Path(site.getsitepackages()[0], 'microstore_risk.pth').write_text('$(CURDIR)\n')"
	touch $(STAMP)

install: $(STAMP)

paper: $(STAMP)
	$(RUN) $(BIN)/snakemake --cores all

test: $(STAMP)
	$(RUN) $(BIN)/python -m pytest

clean:
	rm -rf results report/_output .snakemake
