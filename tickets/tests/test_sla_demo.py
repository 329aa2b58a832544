import io

from accounts import demo as accounts_demo
from tickets import demo
from tickets.models import SLAPolicy, Ticket, TicketEvent


def test_demo_sla_data_is_there_and_idempotent(db):
    out = io.StringIO()
    accounts_demo.seed(out)
    demo.seed(out)
    assert SLAPolicy.objects.filter(active=True).count() == 4
    assert Ticket.objects.filter(escalation_level__gt=0).exists()
    assert Ticket.objects.filter(response_due_at__isnull=False).count() == Ticket.objects.count()
    events = TicketEvent.objects.count()
    demo.seed(out)
    assert SLAPolicy.objects.count() == 4 and TicketEvent.objects.count() == events
