"""Reliability figures served from the shared cache: a ticket change only marks them stale, the
next request gets the stored figures at once with their time and queues ONE background recompute,
whose result the following requests get. The queued task is taken from django-q2's broker and
run as the worker runs it (its function looked up by name); test_reliability_qcluster.py runs a
real cluster."""

import pydoc
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.signing import SignedPackage

from knowledge import reliability
from knowledge.reliability import rows_to_csv
from tickets.services import ticket_create


@pytest.fixture
def history(plant, customer, failure_factory):
    now = timezone.now()
    for days in (120, 110, 60):
        failure_factory(requester=customer, equipment=plant["ac1"], at=now - timedelta(days=days))
    failure_factory(requester=customer, equipment=plant["vrv"], at=now - timedelta(days=5))
    return plant


@pytest.fixture
def refresh_at_once(settings):
    settings.RELIABILITY_REFRESH_SECONDS = 0


def _vrv(rows):
    return next(r.failures for r in rows if r.label == "Daikin VRV IV")


def _report_vrv_failure(customer, plant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket_create(actor=customer, title="VRV dead", description="No air.", equipment=plant["vrv"])


def queued() -> int:
    """Tasks waiting in the broker (the ORM broker by default; Redis with REDIS_URL)."""
    return get_broker().queue_size()


def run_queued_tasks() -> int:
    """Take every queued task from the ORM broker and run it as the django-q2 worker does."""
    broker, ran = get_broker(), 0
    while batch := broker.dequeue():
        for task_id, payload in batch:
            task = SignedPackage.loads(payload)
            pydoc.locate(task["func"])(*task["args"], **task["kwargs"])
            broker.acknowledge(task_id)
            ran += 1
    return ran


def test_a_change_marks_the_figures_stale_and_one_recompute_is_queued(
        history, customer, refresh_at_once, django_capture_on_commit_callbacks):
    first = reliability.figures()  # nothing stored: computed in the request
    assert not first.stale and _vrv(first.rows) == 1
    _report_vrv_failure(customer, history, django_capture_on_commit_callbacks)
    assert not queued()  # the change itself queued and computed nothing

    served = [reliability.figures() for _ in range(3)]
    assert all(f.stale and f.refreshing and _vrv(f.rows) == 1 for f in served)  # the stored figures, at once
    assert {f.computed_at for f in served} == {first.computed_at}
    assert queued() == 1  # three requests, one recompute

    assert run_queued_tasks() == 1
    fresh = reliability.figures()
    assert not fresh.stale and _vrv(fresh.rows) == 2 and fresh.computed_at > first.computed_at

    _report_vrv_failure(customer, history, django_capture_on_commit_callbacks)
    assert reliability.figures().stale and queued() == 1  # the lock was freed: queued again
    run_queued_tasks()
    assert _vrv(reliability.figures().rows) == 3


def test_each_filter_set_is_stored_and_refreshed_on_its_own(
        history, customer, refresh_at_once, django_capture_on_commit_callbacks):
    hvac = reliability.figures(grouping="site", category="HVAC")
    whole = reliability.figures()
    assert sum(r.failures for r in hvac.rows) == sum(r.failures for r in whole.rows) == 4
    _report_vrv_failure(customer, history, django_capture_on_commit_callbacks)
    assert reliability.figures(grouping="site", category="hvac").stale  # the category is matched as lower case
    assert reliability.figures().stale
    assert queued() == 2
    assert run_queued_tasks() == 2
    assert sum(r.failures for r in reliability.figures(grouping="site", category="HVAC").rows) == 5


def test_a_recompute_is_not_queued_again_before_the_refresh_interval(
        history, customer, settings, django_capture_on_commit_callbacks):
    settings.RELIABILITY_REFRESH_SECONDS = 3600
    reliability.figures()
    _report_vrv_failure(customer, history, django_capture_on_commit_callbacks)
    stale = reliability.figures()
    assert stale.stale and not stale.refreshing and not queued()


def test_a_change_during_a_recompute_leaves_the_new_figures_stale(
        history, customer, refresh_at_once, django_capture_on_commit_callbacks):
    """The figures are stored with the token read BEFORE computing (what ``figures()`` passes):
    a change committed while they are computed leaves them stale, so it is not lost."""
    reliability.figures()
    token_when_started = caches["shared"].get(reliability.CHANGES_KEY)
    _report_vrv_failure(customer, history, django_capture_on_commit_callbacks)  # commits during the compute
    reliability.refresh(token=token_when_started)
    after = reliability.figures()
    assert after.stale and after.refreshing and queued() == 1


def test_emptied_cache_computes_in_the_request(history, refresh_at_once):
    reliability.figures()
    caches["shared"].clear()
    again = reliability.figures()
    assert not again.stale and _vrv(again.rows) == 1 and not queued()


def test_a_transition_does_not_compute_the_figures(history, customer, django_capture_on_commit_callbacks,
                                                    django_assert_max_num_queries):
    """Reporting a failure costs the ticket's own queries plus one cache write: no figure query."""
    reliability.figures()
    stored = caches["shared"].get(reliability._entry_key("model", None, None, None, ""))
    with django_assert_max_num_queries(40) as captured:
        _report_vrv_failure(customer, history, django_capture_on_commit_callbacks)
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "LAG(" not in sql and "ROW_NUMBER" not in sql
    assert caches["shared"].get(reliability._entry_key("model", None, None, None, "")) == stored


def test_page_says_when_the_figures_were_computed_and_polls_while_stale(
        history, client_for, engineer, customer, refresh_at_once, django_capture_on_commit_callbacks):
    c = client_for(engineer)
    html = c.get(reverse("knowledge:reliability")).content.decode()
    assert "Computed " in html and "hx-trigger" not in html.split('id="reliability-figures"')[1][:200]
    _report_vrv_failure(customer, history, django_capture_on_commit_callbacks)
    html = c.get(reverse("knowledge:reliability")).content.decode()
    assert "newer figures are being computed" in html and 'hx-trigger="load delay:10s"' in html
    run_queued_tasks()
    html = c.get(reverse("knowledge:reliability")).content.decode()
    assert "newer figures are being computed" not in html


def test_csv_serves_the_same_figures_as_the_page_with_their_time(
        history, client_for, engineer, customer, refresh_at_once, django_capture_on_commit_callbacks):
    c = client_for(engineer)
    stored = reliability.figures()
    _report_vrv_failure(customer, history, django_capture_on_commit_callbacks)
    response = c.get(reverse("knowledge:reliability_csv"))
    assert response.content.decode() == rows_to_csv(stored.rows)  # stale, as the page shows them
    assert response["Last-Modified"]
    assert queued() == 1


@pytest.mark.parametrize("grouping", ["model", "equipment"])
def test_page_query_count_does_not_grow_with_the_history(
        grouping, plant, customer, client_for, engineer, failure_factory):
    """Stored figures: the page reads them (one query) whatever the number of failures behind them."""
    c = client_for(engineer)
    url = reverse("knowledge:reliability") + f"?group={grouping}"
    now = timezone.now()

    def counted() -> int:
        reliability.figures(grouping=grouping)  # stored
        with CaptureQueriesContext(connection) as captured:
            assert c.get(url).status_code == 200
        return len(captured.captured_queries)

    failure_factory(requester=customer, equipment=plant["ac1"], at=now - timedelta(days=3))
    small = counted()
    caches["shared"].clear()
    for days in range(10, 60):
        unit = plant["lift" if days % 2 else "ac2"]
        failure_factory(requester=customer, equipment=unit, at=now - timedelta(days=days))
    assert counted() == small
