# Bianmin — one command to set up and test, one to see it run.
#   make test   install what is needed (system packages, .venv) and run the whole suite
#   make demo   install what is needed and start the central server and the kiosk with demo data
# Both are idempotent: the second run only checks stamps and starts at once.

SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := fonts-noto-cjk espeak-ng sox libgl1 libegl1 libgles2 libmtdev1 xvfb xauth chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: setup system venv test lint demo screenshots bench clean

setup: system venv

# System packages: installed only when one is missing, so a second run costs a dpkg query.
system:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

venv: $(VENV)/.installed

lint: setup
	$(BIN)/ruff check .

test: setup
	$(BIN)/ruff check .
	# The whole suite in ONE process, in random order (pytest-randomly prints the seed;
	# repeat an order with PYTEST_ARGS=--randomly-seed=N). The kiosk UI tests share one
	# Kivy window, so state one test leaves behind would show up here: that is the point.
	SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 $(BIN)/python -m pytest -p randomly $(PYTEST_ARGS)

demo: setup
	$(BIN)/bianmin demo

screenshots: setup
	SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 $(BIN)/bianmin kiosk --screenshot-tour docs/screenshots

bench: setup
	SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 $(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
