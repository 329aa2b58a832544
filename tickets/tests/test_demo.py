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
    assert sorted(ServiceReport.objects.values_list("status", flat=True)) == [ReportStatus.SIGNED,
                                                                             ReportStatus.SUBMITTED]
