# Two commands do all of it on a fresh machine: `make demo` and `make test`.
# Both create .venv when absent and install the package into it.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck pytest bench soak clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Re-install when the project metadata changes; the stamps keep repeated runs fast.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@$(PY) -m diligence.syscheck
	$(BIN)/diligence demo

test: $(VENV)/.installed-test
	@$(PY) -m diligence.syscheck
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(VENV)/.installed-test
	$(PY) bench/run.py

# The long profile of the fuzz and failure tests (make test runs a quick, bounded one).
soak: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=soak DILIGENCE_SOAK=1 $(BIN)/pytest tests/test_fuzz_loader.py tests/test_failures.py

clean:
	rm -rf $(VENV) reports/*.pdf reports/*.html reports/*.md reports/*.json
