# Fixdesk: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: run test venv lint check-migrations serve bench loadtest clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt constraints-build.txt
	@$(PYTHON_BOOT) -c 'import sys; sys.exit("Fixdesk needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	# setuptools<81 as a build constraint: xstatic-bootstrap does not build with newer ones.
	PIP_CONSTRAINT=$(CURDIR)/constraints-build.txt $(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: venv
	$(PY) manage.py migrate --noinput
	FIXDESK_DEMO=1 $(PY) manage.py seed_demo
	@echo "Fixdesk on http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the job cluster)"
	@FIXDESK_DEMO=1 sh -c 'trap "trap - INT TERM EXIT; kill 0" INT TERM EXIT; \
		$(PY) manage.py qcluster & \
		$(PY) manage.py runserver $(HOST):$(PORT); wait'

test: venv
	$(VENV)/bin/pytest $(PYTEST_ARGS) $(ARGS)

lint: venv
	$(VENV)/bin/ruff check .

check-migrations: venv
	$(PY) manage.py makemigrations --check --dry-run

# Production profile (docs/deploy.md): gunicorn (helpdesk/gunicorn.conf.py, WEB_CONCURRENCY workers)
# plus the job cluster, against DATABASE_URL / REDIS_URL from the environment.
serve: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "gunicorn on http://$(HOST):$(PORT)/ plus qcluster (Ctrl-C stops both)"
	@HOST=$(HOST) PORT=$(PORT) sh -c 'trap "trap - INT TERM EXIT; kill 0" INT TERM EXIT; \
		$(PY) manage.py qcluster & \
		$(VENV)/bin/gunicorn -c helpdesk/gunicorn.conf.py & wait'

# Benchmark (docs/bench.md): N tickets (seeded once), each page under wrk beside the healthz floor.
N ?= 100000
bench: venv
	$(PY) bench/run.py --tickets $(N) $(BENCH_ARGS)

# Load test: locust (own virtualenv, bench/requirements.txt), 50 users for 5 minutes.
loadtest: venv bench/.venv/.installed
	$(PY) bench/loadtest.py --tickets $(N) $(LOADTEST_ARGS)

bench/.venv/.installed: bench/requirements.txt
	test -x bench/.venv/bin/python || $(PYTHON_BOOT) -m venv bench/.venv
	bench/.venv/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

clean:
	rm -rf $(VENV) .test-media staticfiles
