# Rehearse: the whole set-up is `make run` (launch the app) and `make test` (run the suite).
# Needs only Python 3 (>= 3.10) with venv and pip: uv is bootstrapped into .tools/ and
# installs the locked dependencies (uv.lock) into .venv/.
PYTHON ?= python3
UV_VERSION ?= 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: run test lint floors sync sync-dev bench eval train score clean lock

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

sync: $(UV)
	$(UV) sync --frozen --no-dev --python $(PYTHON) --quiet

sync-dev: $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet

run: sync
	$(VENV)/bin/rehearse $(ARGS)

test: lint
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# Lint, format check, types (strict on analysis/) and the layer contracts (pyproject.toml).
lint: sync-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pyright
	$(VENV)/bin/lint-imports

# The lowest dependency versions pyproject.toml allows, installed by uv in a temporary venv,
# run the command and the Pilot key tests (also part of `make test`: ~45 s with uv's cache).
floors: sync-dev
	$(VENV)/bin/python -m pytest -q tests/functional/test_dependency_floors.py

# Each benchmark prints its figures (ratios measured in one run) against its goal.
bench: sync-dev
	$(VENV)/bin/python benchmarks/analysis_speed.py
	$(VENV)/bin/python benchmarks/library_list.py
	$(VENV)/bin/python benchmarks/startup.py
	$(VENV)/bin/python benchmarks/feedback_latency.py
	$(VENV)/bin/python benchmarks/batch_speed.py
	$(VENV)/bin/python benchmarks/recorder_cpu.py

# Score STAR segmentation and fillers against the shared development corpus (needs ../shared).
eval: sync-dev
	$(VENV)/bin/python ../shared/corpus/star_eval.py ../shared/corpus/star --cmd '$(VENV)/bin/rehearse analyze --json {transcript}'

# Refit the learned STAR evidence (analysis/star/model.json) and the like/you know/I mean
# decisions on the labelled answers, choosing settings by grouped cross-validation; the
# filler model is written only where it beats the rules.
train: sync-dev
	$(VENV)/bin/python benchmarks/train_star.py
	$(VENV)/bin/python benchmarks/train_fillers.py

# Score the labelled answers in process (per batch, style, punct; against the naive reference).
score: sync-dev
	$(VENV)/bin/python benchmarks/corpus_score.py

lock: $(UV)
	$(UV) lock

clean:
	rm -rf $(VENV) .tools .pytest_cache
