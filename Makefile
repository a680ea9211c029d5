# `make demo` chats with PAL in the terminal; `make test` runs the linter and the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS ?= test,train

.PHONY: install demo test lint clean

$(BIN)/pal-chat: setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	touch $@

install: $(BIN)/pal-chat

demo: install
	HF_HUB_OFFLINE=1 $(BIN)/pal-chat --tiny-random

lint: install
	$(BIN)/ruff check .

test: lint
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info
