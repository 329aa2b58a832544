"""The figures computed by the database equal the reference Python implementation, exactly: same
groups in the same order, same counts and codes, MTBF/MTTR to well under a second, same CSV.

Random histories (several hundred tickets with start events and service reports) are built with
the edge cases put in on purpose: failures at the same instant, gaps of exactly 30 days and of 30
days plus one microsecond, failures just before and after midnight UTC on the warranty's last day,
resolutions before the start, reports of every status, tied codes, codes whose order differs between
code-point and linguistic sorting, two models whose labels read the same. Runs on SQLite and on
PostgreSQL (DATABASE_URL).
"""

import random
import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from facilities.models import Equipment, EquipmentModel, Manufacturer, Site
from knowledge import reliability
from knowledge.reliability import GROUPINGS, rows_to_csv
from knowledge.reports import report_model
from knowledge.tests import reliability_reference as reference
from tickets.models import Status, Ticket, TicketEvent

REPORT_STATUSES = ("draft", "submitted", "signed", "refused")
# Code-point order puts upper case first ("Zz" < "aa"); a linguistic collation would not.
CODE_NAMES = ("LEAK", "NOISE", "Zz", "aa", "ÉLEC", "SEAL", "")


def _now():
    return datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def _codes():
    Code = report_model()._meta.get_field("symptom").related_model
    out = {}
    for kind in ("symptom", "cause", "action"):
        out[kind] = [Code.objects.get_or_create(kind=kind, code=f"T{name}" if name else "",
                                                defaults={"label": f"{kind} {name}".strip()})[0]
                     for name in CODE_NAMES]
        # Same code text as another kind's, and a label starting with a formula character.
        out[kind].append(Code.objects.get_or_create(kind=kind, code=f"TX{kind[:2]}", defaults={"label": "=x"})[0])
    return out


def build_history(rng: random.Random, *, customer, technician, tickets: int, prefix: str = "",
                  lookalike: bool = True) -> dict:
    """A random estate and failure history; returns the sites and the failure dates."""
    sites = [Site.objects.create(name=prefix + name) for name in ("North", "south", "Zeta")]
    makers = [Manufacturer.objects.create(name=prefix + name) for name in ("A B", "A", "Carrier", "daikin")]
    models = [
        EquipmentModel.objects.create(manufacturer=makers[0], name="C", category="HVAC"),
        # With its maker, reads "A B C" like the first one.
        EquipmentModel.objects.create(manufacturer=makers[1], name="B C" if lookalike else "D", category="hvac"),
        EquipmentModel.objects.create(manufacturer=makers[2], name="X1", category="Lifts"),
        EquipmentModel.objects.create(manufacturer=makers[3], name="FTXM", category=""),
        EquipmentModel.objects.create(manufacturer=makers[3], name="VRV", category="HVAC"),
    ]
    now = _now()
    units = []
    for i in range(24):
        warranty = rng.choice([None, None, (now - timedelta(days=rng.randint(0, 400))).date()])
        units.append(Equipment.objects.create(asset_tag=f"{prefix}U-{i:02d}", model=rng.choice(models),
                                              site=rng.choice(sites), warranty_end=warranty))
    codes = _codes() if report_model() is not None else None

    created = []
    statuses = [s.value for s in Status]
    for _i in range(tickets):
        unit = rng.choice(units)
        roll = rng.random()
        if created and roll < 0.08:
            at = rng.choice(created)[1]  # the same instant as another failure
        elif created and roll < 0.16:
            at = rng.choice(created)[1] + rng.choice([timedelta(days=30), timedelta(days=30, microseconds=1),
                                                      -timedelta(days=30), timedelta(days=29, hours=23)])
        elif unit.warranty_end and roll < 0.24:
            midnight = datetime.combine(unit.warranty_end, datetime.min.time(), tzinfo=UTC)
            at = midnight + rng.choice([timedelta(days=1) - timedelta(microseconds=1), timedelta(days=1),
                                        timedelta(0), -timedelta(microseconds=1)])
        else:
            at = now - timedelta(days=rng.randint(0, 420), seconds=rng.randint(0, 86399),
                                 microseconds=rng.choice([0, rng.randint(1, 999999)]))
        status = rng.choice(statuses + [Status.CLOSED] * 4)
        assignee = technician if rng.random() < 0.7 else None
        assigned_at = at + timedelta(hours=1) if assignee and rng.random() < 0.9 else None
        resolved_at = at + timedelta(hours=rng.randint(-2, 90), microseconds=rng.randint(0, 999999)) \
            if rng.random() < 0.6 else None
        ticket = Ticket.objects.create(
            requester=customer, equipment=unit, site=unit.site, title="Broken", description="It broke.",
            status=status, assignee=assignee, assigned_at=assigned_at, resolved_at=resolved_at,
            deleted_at=now if rng.random() < 0.05 else None)
        created.append((ticket, at))
        for _s in range(rng.choice([0, 0, 1, 1, 2])):
            event = TicketEvent.objects.create(ticket=ticket, actor=technician, action="start")
            TicketEvent.objects.filter(pk=event.pk).update(
                created_at=at + timedelta(minutes=rng.randint(-30, 3000), microseconds=rng.randint(0, 999999)))
        if rng.random() < 0.2:
            event = TicketEvent.objects.create(ticket=ticket, actor=technician, action="hold")
            TicketEvent.objects.filter(pk=event.pk).update(created_at=at)
        if codes is not None and rng.random() < 0.45:
            for visit in range(1, rng.choice([1, 1, 2, 3]) + 1):
                arrived = at + timedelta(hours=rng.randint(0, 48), microseconds=rng.randint(0, 999999))
                departed = arrived + timedelta(minutes=rng.choice([0, rng.randint(1, 600)]),
                                               microseconds=rng.randint(0, 999999))
                report_model().objects.create(
                    ticket=ticket, visit=visit, author=technician, status=rng.choice(REPORT_STATUSES),
                    arrived_at=arrived, departed_at=departed, labour_minutes=30,
                    symptom=rng.choice(codes["symptom"][:4] + codes["symptom"]),
                    cause=rng.choice(codes["cause"]), action=rng.choice(codes["action"][2:]))
    for ticket, at in created:
        ticket.created_at = at
    Ticket.objects.bulk_update([t for t, _at in created], ["created_at"], batch_size=200)
    return {"sites": sites, "dates": [at.date() for _t, at in created]}


def _assert_same(got, want, context):
    assert [(r.key, r.label) for r in got] == [(r.key, r.label) for r in want], context
    for g, w in zip(got, want, strict=True):
        where = (context, w.label)
        assert (g.failures, g.interventions, g.repeats, g.under_warranty) == \
            (w.failures, w.interventions, w.repeats, w.under_warranty), where
        assert g.top == w.top, where
        for name in ("mtbf_seconds", "mttr_seconds"):
            a, b = getattr(g, name), getattr(w, name)
            assert (a is None) == (b is None), (where, name, a, b)
            if a is not None:
                assert a == pytest.approx(b, rel=1e-12, abs=1e-6), (where, name)
    assert rows_to_csv(got) == rows_to_csv(want), context


def _fail_at(at, *, customer):
    unit = Equipment.objects.order_by("pk").first()
    ticket = Ticket.objects.create(requester=customer, equipment=unit, site=unit.site, title="x", description="y",
                                   status=Status.CLOSED)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=at)


@pytest.mark.parametrize("seed,zone", [(1, "UTC"), (2, "America/Santiago"), (3, "Pacific/Chatham"), (4, "UTC")])
def test_database_figures_equal_the_reference(seed, zone, customer, technician):
    rng = random.Random(seed)
    built = build_history(rng, customer=customer, technician=technician, tickets=300)
    dates = sorted(built["dates"])
    middle, quarter, three_quarters = dates[len(dates) // 2], dates[len(dates) // 4], dates[3 * len(dates) // 4]
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        # Failures on both sides of the period's local midnights.
        for day in (middle, three_quarters + timedelta(days=1)):
            midnight = timezone.make_aware(datetime.combine(day, datetime.min.time()))
            for delta in (timedelta(0), -timedelta(microseconds=1)):
                _fail_at(midnight + delta, customer=customer)
        filter_sets = [
            {}, {"start": middle}, {"end": middle}, {"start": quarter, "end": three_quarters},
            {"site": built["sites"][0]}, {"site": built["sites"][1], "start": middle},
            {"category": "hvac"}, {"category": "Lifts", "end": middle}, {"category": "nothing"},
            {"start": dates[-1] + timedelta(days=1)},  # no failures at all
            {"start": date.min, "end": date.max}, {"start": date.max}, {"end": date.min},
        ]
        for filters in filter_sets:
            for grouping in GROUPINGS:
                want = reference.summarise(reference.collect_failures(**filters), grouping)
                got = reliability.reliability(grouping=grouping, use_cache=False, **filters)
                _assert_same(got, want, (seed, zone, grouping, filters))


def test_the_history_has_its_edge_cases(customer, technician):
    """The generator really produces ties, exact 30-day gaps, reports and both look-alike models."""
    build_history(random.Random(1), customer=customer, technician=technician, tickets=300)
    rows = reliability.reliability(grouping="model", use_cache=False)
    assert [r.label for r in rows].count("A B C") == 2
    assert sum(r.repeats for r in rows) > 0 and sum(r.under_warranty for r in rows) > 0
    if report_model() is not None:
        assert any(r.top for r in rows)


@pytest.mark.parametrize("grouping", GROUPINGS)
def test_query_count_does_not_grow_with_failures(grouping, customer, technician, django_assert_num_queries):
    """Figures, gaps and one query per code list, for 40 tickets as for 240."""
    build_history(random.Random(7), customer=customer, technician=technician, tickets=40, lookalike=False)
    with django_assert_num_queries(5 if report_model() is not None else 2):
        small = reliability.reliability(grouping=grouping, use_cache=False)
    build_history(random.Random(8), customer=customer, technician=technician, tickets=200, prefix="More ",
                  lookalike=False)
    with django_assert_num_queries(5 if report_model() is not None else 2):
        large = reliability.reliability(grouping=grouping, use_cache=False)
    assert sum(r.failures for r in large) > 4 * sum(r.failures for r in small) > 0


@pytest.mark.parametrize("later_first", [False, True])
def test_lookalike_groups_keep_the_reference_order(later_first, customer, django_assert_max_num_queries):
    """Two models reading "A B C" with as many failures: the one that failed first comes first
    (the reference grouped in report order and sorted stably), whichever was created first."""
    site = Site.objects.create(name="S")
    first = EquipmentModel.objects.create(manufacturer=Manufacturer.objects.create(name="A B"), name="C")
    second = EquipmentModel.objects.create(manufacturer=Manufacturer.objects.create(name="A"), name="B C")
    units = [Equipment.objects.create(asset_tag=f"L-{m.pk}", model=m, site=site) for m in (first, second)]
    if later_first:
        units.reverse()
    now = _now()
    same = now - timedelta(days=3)
    for unit, at in ((units[1], same), (units[0], same), (units[0], now - timedelta(days=1)),
                     (units[1], now - timedelta(days=2))):
        ticket = Ticket.objects.create(requester=customer, equipment=unit, site=site, title="x", description="y",
                                       status=Status.CLOSED)
        Ticket.objects.filter(pk=ticket.pk).update(created_at=at)
    want = reference.summarise(reference.collect_failures(), "model")
    with django_assert_max_num_queries(6):
        got = reliability.reliability(grouping="model", use_cache=False)
    assert [r.label for r in got] == ["A B C", "A B C"]
    assert [r.key for r in got] == [r.key for r in want] == [units[1].model_id, units[0].model_id]


def test_code_point_order_on_every_backend(db):
    """Ties between codes are broken as Python sorts text (upper case before lower case), also on a
    PostgreSQL database whose collation is linguistic."""
    from knowledge.reliability import CodePointOrder

    for name in ("aa", "Zz", "ÉLEC", "B"):
        Manufacturer.objects.create(name=name)
    names = list(Manufacturer.objects.order_by(CodePointOrder("name").asc()).values_list("name", flat=True))
    assert names == sorted(names) == ["B", "Zz", "aa", "ÉLEC"]
