"""A real ``qcluster`` process recomputes the reliability figures in the background: a reported
failure only marks them stale; the page keeps serving the stored figures while several requests
queue exactly one recompute, whose figures the page then shows. The web side (this test) and the
worker share the "shared" cache: its table in the test database in the default profile's set-up
(ORM broker); Redis when the tests run with a Redis CACHE_URL (and REDIS_URL's broker). Needs a
database a second process can see: PostgreSQL, or the file SQLite test database set in
knowledge/tests/conftest.py."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_q.models import Success, Task

from knowledge import reliability
from tickets.services import ticket_create

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WAIT = 90  # seconds: an upper bound for a slow shared machine, not a performance assertion
FUNC = "knowledge.reliability.refresh_task"


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if "memory" in name:
            pytest.skip("the test database is in memory: a second process cannot see it")
        return f"sqlite:///{Path(name).resolve()}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    pytest.fail(f"gave up waiting for: {what}")


@pytest.fixture
def cluster(tmp_path):
    # The same environment as this process (its broker, REDIS_URL, and its shared cache, CACHE_URL /
    # SHARED_CACHE_URL), on the test database.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "helpdesk.settings_test", "DATABASE_URL": _database_url(),
           "Q_SYNC": "0"}
    log = open(tmp_path / "qcluster.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "qcluster"], env=env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR, start_new_session=True)
    yield proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    log.close()
    if proc.returncode not in (0, -signal.SIGTERM):
        print((tmp_path / "qcluster.log").read_text()[-3000:])


def _vrv(figures):
    return next(r.failures for r in figures.rows if r.label == "Daikin VRV IV")


def test_qcluster_recomputes_stale_figures_once_in_the_background(
        plant, customer, engineer, client_for, failure_factory, settings, cluster):
    caches["shared"].clear()  # its table is not emptied between transactional tests
    settings.RELIABILITY_REFRESH_SECONDS = 0  # the web side decides when to queue
    now = timezone.now()
    for days in (40, 20, 5):
        failure_factory(requester=customer, equipment=plant["vrv"], at=now - timedelta(days=days))
    first = reliability.figures()  # nothing stored: computed in the request
    assert _vrv(first) == 3 and not first.stale

    ticket_create(actor=customer, title="VRV dead", description="No air.", equipment=plant["vrv"])  # commits
    assert not Task.objects.filter(func=FUNC).exists()  # the change computed and queued nothing
    c = client_for(engineer)
    for _ in range(4):  # several requests while the recompute is queued or running
        html = c.get(reverse("knowledge:reliability")).content.decode()
        assert "newer figures are being computed" in html or not reliability.figures().stale

    wait_for(lambda: not reliability.figures().stale, "the worker stored the recomputed figures")
    fresh = reliability.figures()
    assert _vrv(fresh) == 4 and fresh.computed_at > first.computed_at
    wait_for(lambda: Task.objects.filter(func=FUNC).exists(), "the task's result saved")
    time.sleep(2)  # a duplicate task still queued would have run by now
    assert Success.objects.filter(func=FUNC).count() == 1
    html = c.get(reverse("knowledge:reliability")).content.decode()
    assert "newer figures are being computed" not in html
    assert "hx-trigger" not in html.split("reliability-figures")[1][:300]  # the page stops polling
