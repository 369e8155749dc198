# Two commands on a fresh machine: `make run` (demo city on SQLite, tasks in-process) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DEBUG ?= true
PORT ?= 8000

.PHONY: run test setup lint migrate demo clean messages browser fonts

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# A development checkout gets a .env with DEBUG=true, so plain `manage.py` commands work here (never in images).
.env:
	printf 'DEBUG=true\n' > .env

# A random SECRET_KEY is added to .env once, so `DEBUG=false make run` starts without one set by hand.
setup: $(VENV)/.installed .env staticfiles/staticfiles.json fonts
	@grep -q '^SECRET_KEY=' .env || $(PY) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50))" >> .env
	$(VENV)/bin/pybabel -q compile -d locale -D django

# Static files collected as production serves them (whitenoise, hashed names + staticfiles.json), whatever DEBUG is:
# `DEBUG=false make run` and the image then serve CSS and scripts; with DEBUG=true runserver serves the sources.
staticfiles/staticfiles.json: $(VENV)/.installed $(shell find static -type f)
	DEBUG=false SECRET_KEY=collectstatic $(PY) manage.py collectstatic --noinput --clear -v 0

# The PDFs embed a TrueType CJK font (credits/pdf_fonts.py): Debian's WenQuanYi Micro Hei. Noto CJK is OpenType/CFF,
# which reportlab cannot embed. Installed when missing and root; otherwise the PDFs fall back to STSong-Light (not
# embedded) with a logged warning, and the embedding tests fail naming the missing font.
fonts:
	@if ls /usr/share/fonts/truetype/wqy/wqy-*.tt[cf] >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    fonts-wqy-microhei) || echo "could not install fonts-wqy-microhei: PDFs will use STSong-Light, not embedded"; \
	else echo "fonts-wqy-microhei missing (installing needs root and apt-get): PDFs will not embed their font"; fi

# After changing user-facing strings: extract them and fill the zh_Hans catalogue (fails on a missing one).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=bench --ignore=tests --ignore=locale -v 0
	$(PY) locale/translate_zh_hans.py

migrate: setup
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py load_demo_city

# `DEBUG=false make run`: the production settings on plain HTTP at 127.0.0.1 (no HTTPS redirect or secure-only
# cookies, which need TLS); static files from staticfiles/ through whitenoise, error pages as users see them.
run: demo
	@echo "Serving http://127.0.0.1:$(PORT)  (sign in as demo_official, demo_unitadmin or demo_orgstaff, password demo-password; API docs at /api/docs/)"
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The browser test (tests/e2e) drives Debian's chromium + chromedriver (and a CJK font, so screenshots show Chinese).
# Installed when missing and root; otherwise the test is skipped naming the missing binary (fails under .ci/run).
# It first needs axe-core from npm (below), installed when node_modules/axe-core is missing or older than the lock.
browser: node_modules/axe-core/axe.min.js
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium chromium-driver fonts-wqy-microhei) || echo "could not install chromium: the browser test will not run"; \
	else echo "chromium or chromedriver missing (installing needs root and apt-get): tests/e2e will be skipped"; fi

# axe-core (the accessibility test, tests/e2e/test_accessibility.py) comes from the npm registry at the version
# package-lock.json pins; it is only injected into pages by the test, never served. Without npm that test is skipped
# (fails under E2E_REQUIRED=1, as .ci/run sets).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm missing (apt-get install npm): axe-core cannot be installed, tests/e2e/test_accessibility.py will be skipped"; fi

test: setup browser
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
