# The two commands a newcomer needs: `make run` and `make test`. Both do all set-up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := web/static/vendor
INTER_WEIGHTS := 400 500 600 700

# `make test` talks to this machine's PostgreSQL and Redis unless told otherwise.
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/samspel_test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: setup browser fonts run test bench faults lint translations clean screenshots

setup: $(VENV)/.installed $(VENDOR)/.built translations-compiled static-compressed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end packages come from npm at set-up and are copied here; never committed.
$(VENDOR)/.built: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/@digdir/designsystemet-css/dist/src/index.css $(VENDOR)/designsystemet.css
	cp node_modules/@digdir/designsystemet-css/dist/theme/designsystemet.css $(VENDOR)/designsystemet-theme.css
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	@# Inter, the typeface Designsystemet is drawn in, self-hosted from Fontsource's package:
	@# the weights the theme uses, each split by script so a page loads only what it shows.
	mkdir -p $(VENDOR)/inter/files
	cat $(foreach w,$(INTER_WEIGHTS),node_modules/@fontsource/inter/$(w).css) > $(VENDOR)/inter/inter.css
	cp $(foreach w,$(INTER_WEIGHTS),node_modules/@fontsource/inter/files/inter-*-$(w)-normal.woff2) $(VENDOR)/inter/files/
	touch $@

# Every static text file compressed once (file.gz, file.br beside it); web/assets.py serves them.
.PHONY: static-compressed
static-compressed: $(VENV)/.installed $(VENDOR)/.built
	$(PY) -m web.assets

.PHONY: translations-compiled
translations-compiled: $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d services/locale -D messages

# After changing user-visible text: extract it and merge into the nb, nn and en catalogues.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -k N_ \
		--no-location -o services/locale/messages.pot .
	$(VENV)/bin/pybabel -q update -i services/locale/messages.pot -d services/locale -D messages --no-fuzzy-matching
	@# English is the source language: a new English entry starts as its msgid (reword it there).
	$(PY) -c 'from babel.messages.pofile import read_po, write_po; \
		path = "services/locale/en/LC_MESSAGES/messages.po"; \
		catalogue = read_po(open(path, "rb"), locale="en"); \
		new = [m for m in catalogue if m.id and not any(m.string if isinstance(m.string, tuple) else [m.string])]; \
		[setattr(m, "string", m.id) for m in new]; \
		write_po(open(path, "wb"), catalogue, width=76)'

# The tender protocol's PDF embeds DejaVu Sans from Debian's package; never a font in the repo.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
		echo "installing Debian's fonts-dejavu-core for the protocol PDF"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core; }

run: setup fonts
	SAMSPEL_SMTP_URL="$${SAMSPEL_SMTP_URL:-smtp://127.0.0.1:$${SAMSPEL_MAILBOX_SMTP_PORT:-1025}}" \
	SAMSPEL_IDP_PERSONS_FILE="$${SAMSPEL_IDP_PERSONS_FILE:-$(CURDIR)/.samspel/idp-persons.json}" \
	$(PY) -m infra.launcher \
		--prepare "python -m services.cli migrate" \
		--prepare "python -m services.cli demo"

# Browser tests drive Debian's Chromium through Playwright; never a browser download.
browser:
	@test -x /usr/bin/chromium || { \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: setup browser fonts
	SAMSPEL_DATABASE_URL="$${SAMSPEL_DATABASE_URL:-$(TEST_DATABASE_URL)}" \
	SAMSPEL_REDIS_URL="$${SAMSPEL_REDIS_URL:-$(TEST_REDIS_URL)}" \
	$(PY) -m pytest

# The key pages of each audience at 1280 and 390 px, as PNG in docs/screenshots/ (committed).
screenshots: setup browser fonts
	SAMSPEL_DATABASE_URL="$${SAMSPEL_DATABASE_URL:-$(TEST_DATABASE_URL)}" \
	SAMSPEL_REDIS_URL="$${SAMSPEL_REDIS_URL:-$(TEST_REDIS_URL)}" \
	$(PY) -m tests.e2e.screenshots

# Samspel at national scale: loads `python -m services.cli generate --scale national` into a
# database of its own (samspel_bench on the server of SAMSPEL_DATABASE_URL) with a throw-away
# redis-server, measures each page beside its framework ceiling, the region dashboard at a fixed
# rate, change-to-dashboard time, a full recompute, a deadline rush and memory, and writes
# bench/results.md. Under 20 minutes on 2 cores. BENCH_SCALE=small and BENCH_SECONDS=2 try it fast.
bench: setup
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }
	SAMSPEL_DATABASE_URL="$${SAMSPEL_DATABASE_URL:-$(TEST_DATABASE_URL)}" \
	SAMSPEL_SECRET_KEY="$${SAMSPEL_SECRET_KEY:-bench-secret-bench-secret-bench-secret-00}" \
	$(PY) -m tests.load.bench

# Break the running product on purpose (a worker killed mid-rollup, Redis down across a minute,
# PostgreSQL restarted, a bid sent twice) and
# report pass/fail in bench/faults.md. Loopback only; a few minutes; light load.
faults: setup
	SAMSPEL_DATABASE_URL="$${SAMSPEL_DATABASE_URL:-$(TEST_DATABASE_URL)}" \
	$(PY) -m tests.faults.drills

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .samspel
