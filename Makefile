# The two commands of the README: `make demo` and `make test`. Everything installs here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_OUT := out/demo
DEMO_PASSPHRASE ?= demo-passphrase-not-secret
# the message catalogues: compiled to .mo by the package build (setup.py), so a change reinstalls
CATALOGUES := $(wildcard anonymiser/locale/*/LC_MESSAGES/*.po)

.PHONY: install office browser demo test test-fast bench lint golden wordlist messages clean

$(STAMP): pyproject.toml setup.py $(CATALOGUES)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# LibreOffice, for the test on a .docx that LibreOffice wrote (skipped when it cannot be had)
office:
	@bash scripts/install_office.sh

# Chromium, for the review report's browser test (Playwright drives Debian's chromium)
browser:
	@bash scripts/install_browser.sh

demo: install
	rm -rf $(DEMO_OUT)
	mkdir -p $(DEMO_OUT)
	ANONYMISER_PASSPHRASE=$(DEMO_PASSPHRASE) $(VENV)/bin/anonymiser key init $(DEMO_OUT)/demo.key
	ANONYMISER_PASSPHRASE=$(DEMO_PASSPHRASE) $(VENV)/bin/anonymiser run fixtures/demo \
		--key $(DEMO_OUT)/demo.key --out $(DEMO_OUT)/anonymised
	$(VENV)/bin/anonymiser audit $(DEMO_OUT)/anonymised/audit.jsonl
	ANONYMISER_PASSPHRASE=$(DEMO_PASSPHRASE) $(VENV)/bin/anonymiser review fixtures/demo \
		--key $(DEMO_OUT)/demo.key --out $(DEMO_OUT)/review
	@echo
	@echo "Demo outputs:"
	@echo "  pseudonymised interview: $(DEMO_OUT)/anonymised/"
	@echo "  audit log:               $(DEMO_OUT)/anonymised/audit.jsonl"
	@echo "  review report (private): $(DEMO_OUT)/review/index.html"
	@echo "  key file (encrypted):    $(DEMO_OUT)/demo.key  (passphrase: $(DEMO_PASSPHRASE))"

# pytest-xdist: one process per core (each loads the model once); a test file stays in one process,
# so a module's fixtures are built once
TEST_WORKERS ?= 2

test: install office browser lint
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

test-fast: install
	$(PY) -m pytest -q -m "not slow"

# ruff and mypy, configured in pyproject.toml
lint: install
	$(VENV)/bin/ruff check anonymiser
	$(VENV)/bin/mypy

bench: install
	$(PY) scripts/bench.py

# after a deliberate change of behaviour: record the outputs that tests/regression/test_golden.py compares
golden: install
	$(PY) scripts/record_golden.py

wordlist:
	$(PY) scripts/build_wordlist.py

# after changing a message in the code: update the .po, translate what it lists, then make install
messages: install
	$(PY) scripts/messages.py

clean:
	rm -rf out .pytest_cache

include scripts/gazetteers.mk
