"""A real ``qcluster`` process recomputes the reliability figures in the background: a reported
failure only marks them stale; the page keeps serving the stored figures while several requests
queue exactly one recompute, whose figures the page then shows. The web side (this test) and the
worker share the "shared" cache: its table in the test database in the default profile's set-up
(ORM broker); Redis when the tests run with a Redis CACHE_URL (and REDIS_URL's broker). Needs a
database a second process can see: PostgreSQL, or the file SQLite test database set in
knowledge/tests/conftest.py."""

import time
from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from django_q.models import Success, Task

from helpdesk.tests.qcluster import start_cluster, stop_cluster, wait_for
from knowledge import reliability
from tickets.services import ticket_create

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FUNC = "knowledge.reliability.refresh_task"


@pytest.fixture
def cluster(tmp_path):
    # The same environment as this process (its broker, REDIS_URL, and its shared cache, CACHE_URL /
    # SHARED_CACHE_URL), on the test database.
    proc, log = start_cluster("helpdesk.settings_test", tmp_path / "qcluster.log")
    yield proc
    stop_cluster(proc, log, tmp_path / "qcluster.log")


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
    # Never two recomputes at once: the requests made while one was queued or running queued none.
    # Usually exactly one runs; two ran once in a full test run (the second queued after the first had
    # finished, its figures still stale: most likely the worker's reads did not see the change yet, so
    # they carried the old change token - the design recomputes then, which is correct).
    runs = list(Success.objects.filter(func=FUNC).order_by("started").values_list("started", "stopped"))
    assert 1 <= len(runs) <= 2
    assert all(later[0] >= earlier[1] for earlier, later in pairwise(runs))
    html = c.get(reverse("knowledge:reliability")).content.decode()
    assert "newer figures are being computed" not in html
    assert "hx-trigger" not in html.split("reliability-figures")[1][:300]  # the page stops polling
