# Two commands a newcomer needs (see README): `make run` and `make test`.
PY := .venv/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test setup setup-test migrate messages lock

run: setup migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST)

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

migrate:
	$(PY) manage.py migrate --noinput

# Refresh the translation catalogs from the source (Traditional is converted from Simplified).
messages:
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(PY) tools/make_hant.py
	$(PY) tools/hand_terms.py
	$(PY) manage.py makemessages -l zh_Hans -l zh_Hant --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench

# Re-pin every dependency after editing pyproject.toml.
lock:
	$(PY) -m pip install -q ".[dev]" && $(PY) -m pip freeze --exclude negotiator > requirements.lock && $(PY) -m pip uninstall -y -q negotiator && rm -rf build *.egg-info
