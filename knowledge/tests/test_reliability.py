"""MTBF, MTTR, repeats and warranty against hand-worked examples; filters; CSV (their freshness:
test_reliability_freshness.py)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge import reliability
from knowledge.reliability import rows_to_csv, safe_cell
from knowledge.tests.reliability_reference import Failure, summarise
from tickets.models import Status

DAY = 86400.0


@pytest.fixture
def history(plant, customer, technician, failure_factory):
    """Hand-worked history (days before now):

    AC-1 (Daikin FTXM35, HQ, warranty ended 100 days ago): failures at -120, -110, -60.
      gaps 10 and 50 days; -120 and -110 were under warranty; -120 took 2 h (start -> resolved).
    AC-2 (Daikin FTXM35, Depot, no warranty): failures at -40, -20. gap 20 days; -40 took 4 h.
    VRV-1 (Daikin VRV IV, HQ): one failure at -5 (no gap).
    LIFT-1 (Otis Gen2, Depot, under warranty): -30, plus a cancelled ticket at -29 that does not count.

    FTXM35: 5 failures, MTBF (10+50+20)/3 = 26.67 days, repeats (<=30 d) 2, warranty 2, MTTR (2+4)/2 = 3 h.
    """
    now = timezone.now()
    at = {d: now - timedelta(days=d) for d in (120, 110, 60, 40, 20, 5, 30, 29)}
    make = failure_factory
    make(requester=customer, equipment=plant["ac1"], at=at[120], assignee=technician,
         started=at[120] + timedelta(hours=1), resolved=at[120] + timedelta(hours=3))
    make(requester=customer, equipment=plant["ac1"], at=at[110])
    make(requester=customer, equipment=plant["ac1"], at=at[60])
    make(requester=customer, equipment=plant["ac2"], at=at[40], assignee=technician,
         started=at[40], resolved=at[40] + timedelta(hours=4))
    make(requester=customer, equipment=plant["ac2"], at=at[20], status=Status.IN_PROGRESS)
    make(requester=customer, equipment=plant["vrv"], at=at[5], status=Status.NEW)
    make(requester=customer, equipment=plant["lift"], at=at[30])
    make(requester=customer, equipment=plant["lift"], at=at[29], status=Status.CANCELLED)
    return plant


def _by_label(rows):
    return {r.label: r for r in rows}


def test_per_model(history):
    rows = _by_label(reliability.reliability(grouping="model", use_cache=False))
    ftxm = rows["Daikin FTXM35"]
    assert ftxm.failures == 5
    assert ftxm.mtbf_seconds == pytest.approx(80 / 3 * DAY, rel=1e-6)
    assert ftxm.mtbf_days == pytest.approx(26.667, abs=1e-3)
    assert ftxm.repeats == 2
    assert ftxm.under_warranty == 2
    assert ftxm.mttr_hours == pytest.approx(3.0)
    assert ftxm.interventions == 2  # assigned failures (no service reports on this branch)
    assert rows["Daikin VRV IV"].failures == 1 and rows["Daikin VRV IV"].mtbf_seconds is None
    lift = rows["Otis Gen2"]
    assert (lift.failures, lift.under_warranty, lift.mtbf_seconds, lift.mttr_seconds) == (1, 1, None, None)
    assert [r.label for r in reliability.reliability(use_cache=False)][0] == "Daikin FTXM35"  # most failures


def test_per_manufacturer_pools_gaps(history):
    rows = _by_label(reliability.reliability(grouping="manufacturer", use_cache=False))
    assert rows["Daikin"].failures == 6
    assert rows["Daikin"].mtbf_days == pytest.approx(80 / 3, abs=1e-6)
    assert rows["Otis"].failures == 1


def test_per_equipment_and_site(history):
    eq = _by_label(reliability.reliability(grouping="equipment", use_cache=False))
    assert eq["AC-1"].mtbf_days == pytest.approx(30.0) and eq["AC-1"].repeats == 1
    assert eq["AC-2"].mtbf_days == pytest.approx(20.0) and eq["AC-2"].mttr_hours == pytest.approx(4.0)
    sites = _by_label(reliability.reliability(grouping="site", use_cache=False))
    assert sites["HQ"].failures == 4 and sites["Depot"].failures == 3


def test_filters(history):
    today = timezone.localdate()
    recent = _by_label(reliability.reliability(start=today - timedelta(days=70), use_cache=False))
    assert recent["Daikin FTXM35"].failures == 3
    assert recent["Daikin FTXM35"].mtbf_days == pytest.approx(20.0)
    old = _by_label(reliability.reliability(end=today - timedelta(days=100), use_cache=False))
    assert set(old) == {"Daikin FTXM35"} and old["Daikin FTXM35"].failures == 2
    depot = _by_label(reliability.reliability(site=history["depot"], use_cache=False))
    assert set(depot) == {"Daikin FTXM35", "Otis Gen2"}
    lifts = _by_label(reliability.reliability(category="lifts", use_cache=False))
    assert set(lifts) == {"Otis Gen2"}


def test_top_codes_from_report_facts():
    """The reference's tie rule, worked by hand (the database version is held to the reference by
    test_reliability_equivalence.py)."""
    now = timezone.now()

    def f(i, days, codes):
        return Failure(ticket_id=i, equipment_id=1, at=now - timedelta(days=days), model_id=1, model_name="M",
                       manufacturer_id=1, manufacturer_name="Maker", site_id=None, site_name="",
                       equipment_name="E", repair_seconds=3600.0 * i, interventions=1, codes=codes)

    rows = summarise([
        f(1, 3, {"symptom": [("LEAK", "Leak")], "cause": [("SEAL", "Seal worn")], "action": [("REPL", "Replaced")]}),
        f(2, 2, {"symptom": [("NOISE", "Noise")], "cause": [("SEAL", "Seal worn")], "action": []}),
        f(3, 1, {"symptom": [("LEAK", "Leak"), ("NOISE", "Noise")], "cause": [], "action": []}),
    ])
    row = rows[0]
    assert row.top["symptom"] == {"code": "LEAK", "label": "Leak", "n": 2}  # tie LEAK/NOISE 2:2 -> alphabetical
    assert row.top["cause"]["code"] == "SEAL" and row.top["cause"]["n"] == 2
    assert row.top["action"]["code"] == "REPL"
    assert row.mttr_hours == pytest.approx(2.0) and row.mtbf_days == pytest.approx(1.0)
    assert row.repeats == 2 and row.interventions == 3


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), (" =HYPERLINK(\"http://x\")", "' =HYPERLINK(\"http://x\")"),
    ("|calc", "'|calc"), ("Daikin", "Daikin"), (3, "3"), (2.5, "2.50"), (None, ""),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_cells_are_never_formulas(history, client_for, admin):
    unit = history["ac1"]
    unit.asset_tag = '=HYPERLINK("http://evil.example","x")'
    unit.save()
    history["daikin"].name = "+cmd|' /C calc'!A0"
    history["daikin"].save()
    for group in ("equipment", "manufacturer", "model"):
        response = client_for(admin).get(reverse("knowledge:reliability_csv"), {"group": group})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert f"reliability-{group}-" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][0] == "group"
        for row in rows[1:]:
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row


def test_csv_rows_match_the_page(history):
    text = rows_to_csv(reliability.reliability(use_cache=False))
    rows = list(csv.DictReader(io.StringIO(text)))
    ftxm = next(r for r in rows if r["group"] == "Daikin FTXM35")
    assert ftxm["failures"] == "5" and ftxm["mtbf_days"] == "26.67" and ftxm["mttr_hours"] == "3.00"


def test_page_filters_and_budget(history, client_for, engineer, django_assert_max_num_queries):
    c = client_for(engineer)
    # Nothing stored yet (not even the changes token): computed and stored in the request.
    with django_assert_max_num_queries(21):
        response = c.get(reverse("knowledge:reliability"), {"group": "manufacturer", "category": "HVAC"})
    html = response.content.decode()
    assert response.status_code == 200 and "Daikin" in html and "Otis" not in html and "<svg" in html
    with django_assert_max_num_queries(5):  # stored: read in one query
        again = c.get(reverse("knowledge:reliability"), {"group": "manufacturer", "category": "HVAC"})
    assert "Daikin" in again.content.decode() and "Otis" not in again.content.decode()
    response = c.get(reverse("knowledge:reliability"), {"start": "2026-02-01", "end": "2026-01-01",
                                                         "group": "nonsense", "site": "x"})
    assert response.status_code == 200 and "The end comes before the start." in response.content.decode()


@pytest.mark.parametrize("params", [
    {"start": "0001-01-01", "end": "9999-12-31"}, {"start": "9999-12-31"}, {"end": "0001-01-01"},
    {"start": "0001-01-01", "group": "site"},
])
def test_extreme_periods_never_break_the_page(history, client_for, engineer, params):
    engineer.time_zone = "Pacific/Chatham"  # ahead of UTC: its year-1 midnight is before UTC's year 1
    engineer.save(update_fields=["time_zone"])
    response = client_for(engineer).get(reverse("knowledge:reliability"), params)
    assert response.status_code == 200
    empty = params.get("start") == "9999-12-31" or params.get("end") == "0001-01-01"
    assert ("0 failures" if empty else "7 failures") in response.content.decode()
