# Jiuzhu: `make run` starts the whole system with a demo county; `make test` runs every test.
# Both create .venv and install the pinned dependencies themselves.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)

.PHONY: run test lint bench install browser fonts echarts clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c "import sys; assert sys.version_info[:2] == (3, 11)" 2>/dev/null || { echo "Python 3.11 is required (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

install: $(STAMP) fonts echarts

run: $(STAMP) fonts echarts
	$(PY) -m libs.devstack.run

# The browser tests need Debian's Chromium; it is installed when missing (as root), or the run stops saying so.
browser:
	@tools/ensure-browser.sh

# Printed documents need Debian's CJK fonts (libs.documents.fonts); installed when missing, as the browser is.
fonts:
	@tools/ensure-fonts.sh

# The console's charts (统计分析) are Apache ECharts, installed with npm at a pinned version and served by the console.
echarts:
	@tools/ensure-echarts.sh

test: $(STAMP) browser fonts echarts
	$(PY) -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy libs services gateway console tests bench
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
