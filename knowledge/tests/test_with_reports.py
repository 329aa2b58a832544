"""Once the tickets app has service reports (issue 5), knowledge reads them: draft prefill, MTTR,
interventions and top codes. Skipped while ``ticket.reports`` does not exist on this branch."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge import reliability
from knowledge.reports import report_model
from tickets.models import Status

pytestmark = pytest.mark.skipif(report_model() is None, reason="no service reports in tickets yet")


def _code(kind, code, label):
    # Test codes start with T: the tickets app seeds its own lists (LEAK, ...).
    Code = report_model()._meta.get_field("symptom").related_model
    return Code.objects.get_or_create(kind=kind, code=code, defaults={"label": label})[0]


def _report(ticket, author, visit, arrived, minutes, symptom, cause, action, status="signed"):
    return report_model().objects.create(
        ticket=ticket, visit=visit, author=author, status=status, arrived_at=arrived,
        departed_at=arrived + timedelta(minutes=minutes), labour_minutes=minutes,
        symptom=_code("symptom", *symptom), symptom_text="Water under the unit",
        cause=_code("cause", *cause), cause_text="Drain blocked by debris",
        action=_code("action", *action), action_text="Flushed the drain line",
    )


def test_prefill_uses_the_reports(client_for, engineer, customer, technician, plant, failure_factory):
    now = timezone.now()
    ticket = failure_factory(requester=customer, equipment=plant["ac1"], at=now - timedelta(days=2),
                             status=Status.RESOLVED, assignee=technician)
    _report(ticket, technician, 1, now - timedelta(days=1), 90, ("TLEAK", "Water leak"), ("TDRAIN", "Drain blocked"),
            ("TCLEAN", "Cleaned"))
    html = client_for(engineer).get(reverse("knowledge:from_ticket", args=[ticket.pk])).content.decode()
    assert "TLEAK · Water leak" in html and "TDRAIN · Drain blocked" in html and "Flushed the drain line" in html
    assert "Daikin FTXM35: Water leak" in html
    response = client_for(engineer).post(reverse("knowledge:from_ticket", args=[ticket.pk]), {
        "title": "Leak", "body": "Flush the drain.", "visibility": "staff"})
    assert response.status_code == 302
    from knowledge.models import Article

    assert Article.objects.get().source_report_id == ticket.reports.get().pk


def test_mttr_and_codes_from_reports(customer, technician, plant, failure_factory):
    now = timezone.now()
    t1 = failure_factory(requester=customer, equipment=plant["ac1"], at=now - timedelta(days=20))
    t2 = failure_factory(requester=customer, equipment=plant["ac1"], at=now - timedelta(days=10))
    _report(t1, technician, 1, now - timedelta(days=19), 60, ("TLEAK", "Leak"), ("TDRAIN", "Drain"),
            ("TCLEAN", "Clean"))
    _report(t1, technician, 2, now - timedelta(days=18), 120, ("TLEAK", "Leak"), ("TSEAL", "Seal"), ("TREPL", "Repl"))
    _report(t2, technician, 1, now - timedelta(days=9), 30, ("TNOISE", "Noise"), ("TSEAL", "Seal"), ("TREPL", "Repl"))
    _report(t2, technician, 2, now - timedelta(days=8), 999, ("TNOISE", "Noise"), ("TSEAL", "Seal"), ("TREPL", "Repl"),
            status="draft")  # not handed in: ignored
    row = reliability.reliability(use_cache=False)[0]
    assert row.failures == 2 and row.interventions == 3
    assert row.mttr_hours == pytest.approx(((60 + 120) + 30) / 2 / 60)  # 1.75 h
    assert row.mtbf_days == pytest.approx(10.0) and row.repeats == 1
    assert row.top["symptom"]["code"] == "TLEAK" and row.top["cause"]["code"] == "TSEAL"
    assert row.top["action"] == {"code": "TREPL", "label": "Repl", "n": 2}
