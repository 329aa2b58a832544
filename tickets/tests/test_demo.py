import io

from accounts import demo as accounts_demo
from tickets import demo, report_demo
from tickets.models import Macro, Status, Ticket


def test_demo_has_every_status_and_is_idempotent(db):
    out = io.StringIO()
    accounts_demo.seed(out)
    demo.seed(out)
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Status}
    count, events = Ticket.objects.count(), sum(t.events.count() for t in Ticket.objects.all())
    demo.seed(out)
    assert Ticket.objects.count() == count == len(demo.TICKETS) + len(report_demo.JOBS)
    assert sum(t.events.count() for t in Ticket.objects.all()) == events
    assert Macro.objects.filter(owner__isnull=True).count() == 2
    assert Ticket.objects.filter(photos__isnull=False).distinct().count() >= 5


def test_demo_reports_one_awaiting_signature_one_signed(db):
    from tickets.models import ReportStatus, ServiceReport

    out = io.StringIO()
    accounts_demo.seed(out)
    demo.seed(out)
    demo.seed(out)
    titles = [job[0] for job in report_demo.JOBS]
    assert sorted(ServiceReport.objects.filter(ticket__title__in=titles).values_list("status", flat=True)) == [
        ReportStatus.SIGNED, ReportStatus.SUBMITTED]


def test_demo_field_jobs_are_resolved_by_their_service_report(db):
    """The demo keeps the rule it shows: jobs of a category needing a report were resolved by one."""
    from tickets.models import Category, ReportStatus, ServiceReport, TicketEvent

    out = io.StringIO()
    accounts_demo.seed(out)
    demo.seed(out)
    assert set(Category.objects.filter(needs_service_report=False).values_list("name", flat=True)) == {
        "IT incident", "Request"}
    worked = Ticket.objects.filter(events__action="resolve").distinct()
    assert set(worked.values_list("title", flat=True)) >= set(demo.RESOLVE_CODES)
    for ticket in worked:
        resolve = ticket.events.get(action="resolve")
        report = ticket.reports.get()
        assert report.status in (ReportStatus.SUBMITTED, ReportStatus.SIGNED)
        assert resolve.changes["comment"].startswith("Service report, visit 1.")
    reports, events = ServiceReport.objects.count(), TicketEvent.objects.count()
    demo.seed(out)  # idempotent: no second report, no new event
    assert (ServiceReport.objects.count(), TicketEvent.objects.count()) == (reports, events)
    chair = Ticket.objects.get(title="Broken chair in reception")
    assert chair.status == Status.CLOSED
    assert "Replaced the chair from stock." in chair.reports.get().action_text
    assert Ticket.objects.get(title="Heating timer wrong after clock change").status == Status.IN_PROGRESS
