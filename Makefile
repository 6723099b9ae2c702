# Bianmin — one command to set up and test, one to see it run.
#   make test   install what is needed (system packages, .venv) and run the whole suite
#   make demo   install what running needs (no test tools) and start the central server and the kiosk
# Both are idempotent: the second run only checks stamps and starts at once.
#   make setup-run  what running needs: fonts, speech, GL libraries; the project in .venv
#   make setup      that plus the test tools (browser, X server, the [test] extras)

SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages, split so a kiosk or `make demo` never pulls a browser it does not use.
APT_RUN := fonts-noto-cjk espeak-ng sox libgl1 libegl1 libgles2 libmtdev1
APT_TEST := xvfb xauth chromium redis-server
PYTEST_ARGS ?=

.PHONY: setup setup-run system-run system-test venv-run venv test lint demo screenshots bench clean

setup-run: system-run venv-run
setup: setup-run system-test venv

# System packages: installed only when one is missing (waits for another apt instead of failing).
system-run:
	@$(SHELL) tools/apt-install.sh $(APT_RUN)

system-test:
	@$(SHELL) tools/apt-install.sh $(APT_TEST)

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-install only when pyproject.toml changes: the project alone for running, then the test extras.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-run
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

venv-run: $(VENV)/.installed-run
venv: $(VENV)/.installed-test

lint: setup
	$(BIN)/ruff check .

test: setup
	$(BIN)/ruff check .
	# The whole suite in ONE process, in random order (pytest-randomly prints the seed;
	# repeat an order with PYTEST_ARGS=--randomly-seed=N). The kiosk UI tests share one
	# Kivy window, so state one test leaves behind would show up here: that is the point.
	SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 $(BIN)/python -m pytest -p randomly $(PYTEST_ARGS)

demo: setup-run
	$(BIN)/bianmin demo

# Every screen into build/screenshots/; the few README shows are refreshed in docs/screenshots/.
screenshots: setup-run
	SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 $(BIN)/bianmin kiosk --screenshot-tour build/screenshots
	$(BIN)/python tools/readme_screenshots.py build/screenshots

bench: setup
	SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 $(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
