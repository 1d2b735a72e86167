# Two commands do all of it on a fresh machine: `make demo` and `make test`.
# Each first checks the Debian packages it needs (src/diligence/syscheck.py holds the one
# list; run as root, it installs what is missing, else it prints the `sudo apt-get` line and
# stops), then creates .venv when absent and installs the package into it.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SYSCHECK := $(PYTHON) src/diligence/syscheck.py

.PHONY: demo test bench soak clean

$(PY):
	@echo "diligence: creating $(VENV) (first run only)"
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -qq --upgrade pip

# Re-install when the project metadata changes; the stamps keep repeated runs fast.
$(VENV)/.installed: pyproject.toml | $(PY)
	@echo "diligence: installing the package into $(VENV)"
	@$(PY) -m pip install -qq -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	@echo "diligence: installing the package and its test tools into $(VENV)"
	@$(PY) -m pip install -qq -e '.[test]'
	@touch $@ $(VENV)/.installed

demo:
	@$(SYSCHECK) demo --install
	@$(MAKE) -s --no-print-directory $(VENV)/.installed
	$(BIN)/diligence demo

test:
	@$(SYSCHECK) test --install
	@$(MAKE) -s --no-print-directory $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage report

bench: $(VENV)/.installed-test
	$(PY) bench/run.py

# The long profile of the fuzz and failure tests (make test runs a quick, bounded one).
soak: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=soak DILIGENCE_SOAK=1 $(BIN)/pytest tests/test_fuzz_loader.py tests/test_failures.py

clean:
	rm -rf $(VENV) reports/*.pdf reports/*.html reports/*.md reports/*.json
