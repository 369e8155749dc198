# Two commands on a fresh machine: `make run` (demo city on SQLite, tasks in-process) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DEBUG ?= true

.PHONY: run test setup lint migrate demo clean messages browser

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# A development checkout gets a .env with DEBUG=true, so plain `manage.py` commands work here (never in images).
.env:
	printf 'DEBUG=true\n' > .env

setup: $(VENV)/.installed .env
	$(VENV)/bin/pybabel -q compile -d locale -D django

# After changing user-facing strings: extract them and fill the zh_Hans catalogue (fails on a missing one).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=bench --ignore=tests --ignore=locale -v 0
	$(PY) locale/translate_zh_hans.py

migrate: setup
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py load_demo_city

run: demo
	@echo "Serving http://127.0.0.1:8000  (sign in as demo_official, demo_unitadmin or demo_orgstaff, password demo-password; API docs at /api/docs/)"
	$(PY) manage.py runserver 127.0.0.1:8000

# The browser test (tests/e2e) drives Debian's chromium + chromedriver (and a CJK font, so screenshots show Chinese).
# Installed when missing and root; otherwise the test is skipped naming the missing binary (fails under .ci/run).
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium chromium-driver fonts-wqy-microhei) || echo "could not install chromium: the browser test will not run"; \
	else echo "chromium or chromedriver missing (installing needs root and apt-get): tests/e2e will be skipped"; fi

test: setup browser
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
